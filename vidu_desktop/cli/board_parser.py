"""The arguments of ``vidu-cli board``: create, import, list, show, generate, pick and export a
storyboard."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from vidu_desktop.core.capabilities import ProviderId

HOSTS = [h.value for h in ProviderId]
TIMELINES = ["otio", "edl", "fcpxml", "xml", "aaf"]


def add_parameters(a: argparse.ArgumentParser, what: str) -> None:
    a.add_argument("--duration", type=int, help=f"seconds ({what})")
    a.add_argument("--resolution")
    a.add_argument("--aspect-ratio")
    a.add_argument("--movement", choices=["auto", "small", "medium", "large"])
    a.add_argument("--seed", type=int, help="0: the host picks one")
    a.add_argument("--bgm", action=argparse.BooleanOptionalAction, default=None,
                   help="background music")
    a.add_argument("--audio", action=argparse.BooleanOptionalAction, default=None,
                   help="speech and sound (models that offer it)")


def parameters_of(args: argparse.Namespace) -> dict[str, Any]:
    """The parameters given on the command line (the others are left to the defaults)."""
    values = {"duration": args.duration, "resolution": args.resolution,
              "aspect_ratio": args.aspect_ratio, "movement_amplitude": args.movement,
              "seed": args.seed, "bgm": args.bgm, "audio": args.audio}
    return {k: v for k, v in values.items() if v is not None}


def add_board(c: argparse.ArgumentParser,
              add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    actions = c.add_subparsers(dest="board_action", required=True, metavar="ACTION")

    def action(name: str, text: str) -> argparse.ArgumentParser:
        a = actions.add_parser(name, help=text, description=text)
        add_common(a)
        a.add_argument("--json", action="store_true", help="print one JSON document")
        return a

    def board(a: argparse.ArgumentParser) -> None:
        a.add_argument("board", metavar="BOARD", help="the board's name or id")

    a = action("new", "make an empty board for a host and model, with its shots' defaults")
    a.add_argument("name")
    a.add_argument("--provider", "--host", "-H", choices=HOSTS, default="vidu")
    a.add_argument("--model", "-m", help="(default: the host's first)")
    add_parameters(a, "the shots' default")
    action("list", "list the boards, the most recently changed first")
    board(action("show", "a board's shots with their takes: state, mark, stale, chosen"))
    a = action("add-shot", "add a shot to a board")
    board(a)
    a.add_argument("--prompt", "-p", default="")
    a.add_argument("--subject", "-s", action="append", default=[], metavar="NAME",
                   help="a cast member the shot uses (see `cast list`); repeat for more")
    a.add_argument("--ref", action="append", default=[], metavar="FILE",
                   help="a picture of the shot (repeat)")
    a.add_argument("--position", type=int, metavar="N", help="its number (default: last)")
    add_parameters(a, "the board's default when not given")
    a = action("import", "make a board from a CSV shot list (columns: prompt, cast, "
                         "references, duration, resolution, aspect_ratio, movement_amplitude, "
                         "seed, bgm, audio)")
    a.add_argument("csv", type=Path, metavar="CSV")
    a.add_argument("--name", required=True)
    a.add_argument("--provider", "--host", "-H", choices=HOSTS, default="vidu")
    a.add_argument("--model", "-m")
    a = action("export-csv", "write a board's shots as a CSV shot list")
    board(a)
    a.add_argument("out", type=Path, metavar="OUT.csv")
    a = action("generate", "generate a board's shots (all, --shot N, or --missing); says the "
                           "number of tasks and the estimated cost first")
    board(a)
    a.add_argument("--shot", action="append", type=int, default=[], metavar="N",
                   help="only shot N (repeat)")
    a.add_argument("--missing", action="store_true",
                   help="only the shots without a take that succeeded or is under way")
    a.add_argument("--takes", type=int, default=1, metavar="N", help="takes of each shot")
    a.add_argument("--yes", "-y", action="store_true",
                   help="generate although the estimate is above the spend limit")
    a.add_argument("--wait", action="store_true",
                   help="follow the tasks until their videos are saved (always with --sandbox)")
    for name, text in (("pick", "pick take TAKE of shot SHOT: the shot's chosen take"),
                       ("reject", "reject take TAKE of shot SHOT")):
        a = action(name, text)
        board(a)
        a.add_argument("shot", type=int, metavar="SHOT")
        a.add_argument("take", type=int, metavar="TAKE")
    a = action("export", "write the board's chosen takes as one MP4, timelines and a contact "
                         "sheet")
    board(a)
    a.add_argument("--out", type=Path, required=True, metavar="DIR")
    a.add_argument("--name", help="the files' name (default: the board's)")
    a.add_argument("--no-mp4", action="store_true", help="no film")
    a.add_argument("--timeline", action="append", choices=TIMELINES, metavar="FORMAT",
                   help=f"a timeline ({', '.join(TIMELINES)}; repeat; default: otio)")
    a.add_argument("--sheet", action="append", choices=["png", "pdf"],
                   help="a contact sheet (repeat; default: png)")
    a = action("spend-limit", "the most one board generate may cost without --yes, per unit")
    a.add_argument("unit", nargs="?", metavar="UNIT", help="credits or USD")
    a.add_argument("amount", nargs="?", metavar="AMOUNT", help="an amount, or none")
