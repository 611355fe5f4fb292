"""``vidu-cli``: the command line: capability table, image checks (and, later, generation)."""

from __future__ import annotations

import argparse
import sys

from vidu_desktop.core.capabilities import PROMPT_COUNTING, PROVIDERS, Mode


def _providers(_: argparse.Namespace) -> int:
    for spec in PROVIDERS.values():
        print(f"{spec.display_name} ({spec.id.value})  {spec.base_url}  auth: {spec.auth.value}"
              f"  key: ${spec.key_env}")
        if spec.concurrency:
            print(f"  runs {spec.concurrency} tasks at once per account; more wait queued")
        print(f"  {spec.notes}")
        for m in spec.models:
            durations = ", ".join(f"{d} s: {'/'.join(r)}" for d, r in m.resolutions.items())
            ratios = "/".join(m.aspect_ratios) or "follows the image"
            images = (f"{m.images.min_count}-{m.images.max_count}"
                      if m.images.min_count != m.images.max_count else str(m.images.min_count))
            print(f"    {m.model:<24} {m.mode.value:<16} {durations};  ratio {ratios};  "
                  f"images {images};  prompt <= {m.prompt_limit};  cost {m.cost.describe()}")
    print(f"Prompt length is counted in {PROMPT_COUNTING}.")
    return 0


def _check_images(args: argparse.Namespace) -> int:
    from vidu_desktop.imaging.report import main as check_main

    return check_main(args.rest)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="vidu-cli",
                                     description="Vidu Studio from the command line.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("providers", help="print the capability table of every host and model"
                   ).set_defaults(run=_providers)
    check = sub.add_parser("check-images", help="check and prepare reference images",
                           add_help=False)
    check.add_argument("rest", nargs=argparse.REMAINDER)
    check.set_defaults(run=_check_images)
    args = parser.parse_args(argv)
    _ = Mode  # the table's modes are listed by ``providers``
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
