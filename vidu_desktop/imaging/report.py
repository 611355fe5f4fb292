"""``vidu-cli check-images FILES... [--provider P] [--model M] [--aspect R]``

Prepares every picture as a submission would, and prints per picture the verdict, the original
and the prepared format, dimensions and bytes, and the fixes applied; then the request body size
against the host's limit. Exit status: 0 all usable, 1 any picture unusable (or too many or too
few for the model), 2 usage error. Runnable as ``python -m vidu_desktop.imaging.report``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from vidu_desktop.core.capabilities import Mode, ProviderId, provider
from vidu_desktop.core.formatting import format_bytes

from .batch import BatchResult, prepare_batch
from .budget import body_limit, overhead
from .cache import PrepareCache
from .errors import ImageProblem
from .options import PrepareOptions
from .result import PreparedImage


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vidu-cli check-images",
        description="Check and prepare reference images the way a submission would.")
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help="image files or http(s) URLs")
    parser.add_argument("--provider", choices=[p.value for p in ProviderId],
                        default=ProviderId.VIDU.value, help="host whose rules apply")
    parser.add_argument("--model", help="model id (default: the host's default)")
    parser.add_argument("--aspect", metavar="R",
                        help="crop or pad every image to this output ratio, e.g. 16:9")
    parser.add_argument("--aspect-mode", choices=["crop", "pad"], default="crop")
    parser.add_argument("--fix-ratio", choices=["crop", "pad"],
                        help="repair images whose ratio is outside the host's range")
    parser.add_argument("--format", choices=["jpeg", "png", "webp"], dest="output_format",
                        help="force the output format")
    parser.add_argument("--prompt", default="", help="prompt text, to size the body exactly")
    parser.add_argument("--cache-dir", help="reuse prepared images from this folder")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    return parser


def _options(args: argparse.Namespace, parser: argparse.ArgumentParser) -> PrepareOptions:
    host = provider(args.provider)
    try:
        spec = (host.model(args.model, Mode.REFERENCE2VIDEO) if args.model
                else host.models_for(Mode.REFERENCE2VIDEO)[0])
    except KeyError as exc:
        parser.error(str(exc.args[0]))
    if args.aspect and spec.aspect_ratios and args.aspect not in spec.aspect_ratios:
        parser.error(f"--aspect {args.aspect}: {spec.model} takes "
                     f"{', '.join(spec.aspect_ratios)}")
    options = PrepareOptions(rules=spec.images, aspect=args.aspect,
                             aspect_mode=args.aspect_mode, fix_ratio=args.fix_ratio,
                             output_format=args.output_format)
    try:
        options.validate()
    except ValueError as exc:
        parser.error(str(exc))
    return options


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        options = _options(args, parser)
    except SystemExit as exc:  # argparse: 2 for usage errors, 0 for --help
        return exc.code if isinstance(exc.code, int) else 2
    fields = {"model": args.model or "", "prompt": args.prompt}
    reserve = overhead(fields) + 4096  # parameters the engine adds around the prompt
    cache = PrepareCache(args.cache_dir) if args.cache_dir else None
    result = prepare_batch(args.files, options, cache=cache, overhead=reserve)
    if args.json:
        json.dump(_as_json(result, fields), out, indent=2)
        out.write("\n")
    else:
        _print(result, fields, out)
    return 0 if result.ok and _body_ok(result, fields) else 1


def _body_ok(result: BatchResult, fields: dict[str, Any]) -> bool:
    limit = result.rules.max_body_bytes
    return limit is None or result.body_size(fields) <= limit


def _print(result: BatchResult, fields: dict[str, Any], out: TextIO) -> None:
    total = len(result.items)
    for i, item in enumerate(result.items, 1):
        if isinstance(item, PreparedImage):
            verdict = "ok" + (" (fixed)" if item.fixes else "") + (
                " (cached)" if item.from_cache else "")
            out.write(f"{i}/{total} {item.name}: {verdict}\n")
            out.write(f"    original  {item.original.describe()}\n")
            out.write(f"    prepared  {item.summary()}\n")
            for fix in item.fixes:
                out.write(f"    fixed     {fix}\n")
            for note in item.notes:
                out.write(f"    note      {note}\n")
        else:
            out.write(f"{i}/{total} {item.name}: error ({item.kind.value})\n")
            if item.original is not None:
                out.write(f"    original  {item.original.describe()}\n")
            out.write(f"    problem   {item.message}\n")
    rules = result.rules
    if not result.count_ok:
        out.write(f"count: {total} images; this model takes {rules.min_count} to "
                  f"{rules.max_count}\n")
    size = result.body_size(fields)
    limit = rules.max_body_bytes
    aim = body_limit(rules)
    limit_text = (f"of the host's {format_bytes(limit)} limit (aiming under "
                  f"{format_bytes(aim or limit)})" if limit else "(the host states no limit)")
    out.write(f"body: {format_bytes(size)} {limit_text}; {len(result.prepared)} of {total} "
              f"images usable, up to {format_bytes(result.budget)} of base64 each\n")


def _as_json(result: BatchResult, fields: dict[str, Any]) -> dict[str, Any]:
    items: list[dict[str, Any]] = []
    for item in result.items:
        if isinstance(item, ImageProblem):
            items.append({"name": item.name, "verdict": "error", "kind": item.kind.value,
                          "message": item.message,
                          "original": item.original.__dict__ if item.original else None,
                          "offer": item.offer.describe() if item.offer else None})
        else:
            items.append({"name": item.name, "verdict": "ok",
                          "original": item.original.__dict__,
                          "prepared": {"format": item.format, "width": item.width,
                                       "height": item.height, "bytes": item.byte_count,
                                       "base64_bytes": item.data_uri_length,
                                       "sha256": item.sha256, "quality": item.quality},
                          "fixes": list(item.fixes), "notes": list(item.notes),
                          "from_cache": item.from_cache})
    return {"ok": result.ok, "images": items, "budget_per_image": result.budget,
            "body_bytes": result.body_size(fields), "body_limit": result.rules.max_body_bytes,
            "count_ok": result.count_ok}


if __name__ == "__main__":
    sys.exit(main())
