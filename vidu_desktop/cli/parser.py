"""The arguments of ``vidu-cli``: the commands, and the options that work before or after them."""

from __future__ import annotations

import argparse
from pathlib import Path

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.core.states import TaskState

from .board_parser import add_board

HOSTS = [h.value for h in ProviderId]


def add_common(p: argparse.ArgumentParser, *, top: bool) -> None:
    """The options that work before or after the command (given after it, they win)."""
    def default(value: object) -> object:
        return value if top else argparse.SUPPRESS

    p.add_argument("--profile-dir", type=Path, default=default(None),
                   help="the library folder (default: $VIDU_DESKTOP_HOME or the system's)")
    p.add_argument("--sandbox", action="store_true", default=default(False), help=(
        "every host is the built-in emulator, in the profile's sandbox library (the app's "
        "sandbox mode): placeholder videos, no cost, no key"))
    p.add_argument("--base-url", action="append", metavar="HOST=URL",
                   dest="base_url" if top else "base_url_after", default=default([]),
                   help="use another address for a host (remembered; HOST= forgets it), "
                        "e.g. vidu=http://127.0.0.1:8765/vidu")
    p.add_argument("--poll", type=float, default=default(None),
                   help="first poll interval in seconds")
    p.add_argument("--timeout", type=float, default=default(None), help=(
        "stop following after this many seconds of processing (queue time does not count); "
        "also how long a busy host (429, 503) may keep refusing the submit"))
    p.add_argument("-v", "--verbose", action="count", default=default(0),
                   help="log to stderr (-vv: debug)")


def parse(argv: list[str] | None, epilog: str = "") -> argparse.Namespace:
    args = parser(epilog).parse_args(argv)
    args.base_url = [*args.base_url, *getattr(args, "base_url_after", [])]
    return args


def add_cast(c: argparse.ArgumentParser) -> None:
    actions = c.add_subparsers(dest="cast_action", required=True, metavar="ACTION")

    def action(name: str, text: str) -> argparse.ArgumentParser:
        a = actions.add_parser(name, help=text, description=text)
        add_common(a, top=False)
        a.add_argument("--json", action="store_true", help="print one JSON document")
        return a

    action("list", "list the cast members, with what uses each")
    a = action("add", "add a cast member: its name and 1-3 pictures of it (files or URLs), "
                      "prepared once and kept in the library")
    a.add_argument("name", help="the name the prompt mentions as @name: letters, digits, "
                                "'_' and '-' (the same whatever its case)")
    a.add_argument("pictures", nargs="+", metavar="PIC")
    a.add_argument("--description", default="", help="a short description")
    a.add_argument("--voice", default="", metavar="ID", help="a voice id for its speech")
    a.add_argument("--host", "-H", choices=HOSTS, default="vidu",
                   help="prepare the pictures for this host's image rules (default: vidu)")
    a.add_argument("--model", "-m", help="and this model's (default: the host's first)")
    r = action("rename", "rename a cast member (the drafts that use it follow)")
    r.add_argument("old", metavar="OLD")
    r.add_argument("new", metavar="NEW")
    rm = action("remove", "remove a cast member; says what uses it first, and needs --yes "
                          "when something does")
    rm.add_argument("name")
    rm.add_argument("--yes", "-y", action="store_true",
                    help="remove it although drafts or tasks use it")


def parser(epilog: str = "") -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="vidu-cli", epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter, description=(
            "Vidu Studio from the command line: generate Vidu Q1 videos on five hosts, "
            "follow, resume, cancel and download them (--sandbox: try it all without a "
            "key)."))
    add_common(p, top=True)
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, text: str) -> argparse.ArgumentParser:
        c = sub.add_parser(name, help=text, description=text)
        add_common(c, top=False)
        return c

    g = command("generate", "submit a generation task (and with --wait, follow it to the MP4)")
    g.add_argument("--host", "-H", choices=HOSTS, default="vidu")
    g.add_argument("--model", "-m", help="model id (default: the host's first; see providers)")
    g.add_argument("--image", "-i", action="append", default=[], metavar="FILE|URL",
                   help="a reference image (repeat, 1-7)")
    g.add_argument("--subject", "-s", action="append", default=[],
                   metavar="NAME[=PIC,PIC...]", help=(
                       "a subject the prompt mentions as @NAME, with 1-3 pictures (files or "
                       "URLs, comma-separated); NAME alone uses that cast member's (see "
                       "`cast list`); repeat for more. Their pictures go before the -i ones"))
    g.add_argument("--voice", action="append", default=[], metavar="NAME=ID",
                   help="the voice of a subject's speech (with --audio; repeat per subject)")
    g.add_argument("--audio", action="store_true",
                   help="speech and sound generated with the video (models that offer it)")
    g.add_argument("--prompt", "-p")
    g.add_argument("--prompt-file", metavar="FILE")
    g.add_argument("--img2video", action="store_true", help="image-to-video (one start frame)")
    g.add_argument("--duration", type=int)
    g.add_argument("--resolution")
    g.add_argument("--aspect-ratio")
    g.add_argument("--movement", choices=["auto", "small", "medium", "large"])
    g.add_argument("--seed", type=int, help="0 or absent: the host picks one")
    g.add_argument("--bgm", action="store_true", help="add background music")
    g.add_argument("--payload", help="pass-through text (Vidu, Vtrix)")
    g.add_argument("--off-peak", action="store_true", help="cheaper, within 48 h (Vidu)")
    g.add_argument("--wait", action="store_true",
                   help="follow until the video is saved (always with --sandbox)")
    g.add_argument("--out", help="copy the video here: a folder, or a .mp4 file name")
    g.add_argument("--json", action="store_true", help="print one JSON object")
    for name, text in (("status", "show one task (as stored in the library)"),
                       ("cancel", "cancel a task on the server where the host allows it "
                        "(Vidu, while queued); else stop tracking it"),
                       ("download", "follow a task to its video and save it (--out)")):
        c = command(name, text)
        c.add_argument("id", help="the task id (local or the host's)")
        c.add_argument("--json", action="store_true")
        if name == "download":
            c.add_argument("--out", help="copy the video here: a folder, or a .mp4 file name")
            c.set_defaults(outbox_wait=20.0, resend=False)
    ls = command("list", "list tasks, newest first")
    ls.add_argument("--state", action="append", choices=[s.value for s in TaskState])
    ls.add_argument("--host", choices=HOSTS)
    ls.add_argument("--search", default="", help="text in the prompt or the ids")
    ls.add_argument("--limit", type=int, default=50)
    ls.add_argument("--json", action="store_true")
    r = command("resume", "resume unfinished tasks (all, or the given ids)")
    r.add_argument("id", nargs="*")
    r.add_argument("--resend", action="store_true", help="submit a task whose outcome is "
                   "unknown once more (it may be charged twice)")
    r.add_argument("--outbox-wait", type=float, default=20.0, metavar="S",
                   help="how long to wait for a host to answer again (outbox tasks)")
    r.add_argument("--json", action="store_true", help="one JSON object per task")
    add_cast(command("cast", "the cast: named subjects (1-3 pictures each, a description, a "
                     "voice) that a prompt mentions as @name; list, add, rename, remove"))
    add_board(command("board", "storyboards: boards of shots generated as takes, picked, and "
                      "exported as one film; new, list, show, add-shot, import, export-csv, "
                      "generate, pick, reject, export, spend-limit"),
              lambda a: add_common(a, top=False))
    command("providers", "print the capability table of every host and model")
    k = command("key", "store, remove or show a host's key in the OS keychain")
    k.add_argument("action", choices=["set", "delete", "show"])
    k.add_argument("host", choices=HOSTS)
    sub.add_parser("check-images", add_help=False, help="check and prepare reference images "
                   "without sending them (exit 8 when one cannot be used)"
                   ).add_argument("rest", nargs=argparse.REMAINDER)
    return p
