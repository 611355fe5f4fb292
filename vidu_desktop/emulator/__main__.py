"""``vidu-emulator``: run the local emulator of the five provider APIs in the foreground."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import Any

from .config import DEFAULT_BALANCE, DEMO_KEY, EmulatorConfig
from .faults import parse_fault


def _key(text: str) -> tuple[str, float]:
    key, sep, balance = text.partition("=")
    if not key:
        raise argparse.ArgumentTypeError("a key may not be empty")
    try:
        return key, float(balance) if sep else DEFAULT_BALANCE
    except ValueError:
        raise argparse.ArgumentTypeError(f"balance must be a number: {text!r}") from None


def _fault(text: str) -> object:
    try:
        return parse_fault(text)
    except (ValueError, TypeError) as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="vidu-emulator",
        description="A local HTTP emulator of the Vidu, Novita, HighwayAPI, Segmind and Vtrix "
                    "video APIs, for tests and sandbox mode. Loopback only.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback)")
    p.add_argument("--port", type=int, default=8765, help="port (0: any free port)")
    p.add_argument("--key", type=_key, action="append", default=[], metavar="KEY[=BALANCE]",
                   help=f"an accepted key and its balance (default: {DEMO_KEY})")
    p.add_argument("--no-demo-key", action="store_true", help="do not accept the demo key")
    p.add_argument("--time-scale", type=float, default=1.0,
                   help="multiply every delay (1.0: about 10 s a task; 0.01: near instant)")
    p.add_argument("--preview-scale", type=float, default=1.0,
                   help="render videos at this fraction of their size (fast tests)")
    p.add_argument("--url-ttl", type=float, default=None,
                   help="seconds result URLs stay valid (default: as each host documents)")
    p.add_argument("--fault", type=_fault, action="append", default=[],
                   metavar="SPEC", help="a scripted fault, e.g. "
                   "action=status,status=429,route=submit,retry_after=2,times=1")
    p.add_argument("--seed", type=int, default=0, help="seed for ids, seeds and faults")
    p.add_argument("--media-dir", type=Path, default=None, help="where rendered videos go")
    p.add_argument("--threads", action="store_true", help="render in threads, not processes")
    p.add_argument("--exit-with-stdin", action="store_true",
                   help="stop when standard input ends: a parent holding a pipe to it has "
                        "exited or closed it (benches, scripts)")
    p.add_argument("--log-level", default="warning",
                   choices=["debug", "info", "warning", "error"])
    return p


_stopping = False


def _interrupt(signum: int, frame: FrameType | None) -> None:
    global _stopping
    if _stopping:  # a second Ctrl+C or kill: let the clean-up (a few seconds at most) finish
        return
    _stopping = True
    raise KeyboardInterrupt


def _stop_when_stdin_ends(server: Any) -> None:
    """A daemon thread reads standard input to its end, then asks the server to stop."""
    def watch() -> None:
        try:
            while os.read(sys.stdin.fileno(), 65536):
                pass
        except (OSError, ValueError):  # no usable stdin: treat as ended
            pass
        server.request_stop()

    threading.Thread(target=watch, name="stdin-watch", daemon=True).start()


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    # Ctrl+C and kill (SIGTERM) both stop the server, then its tasks and its render pool, so no
    # worker is left behind: uvicorn stops serving first, then passes the signal on to this
    # handler, whose KeyboardInterrupt unwinds ``serve`` through its clean-up (asyncio's own
    # Ctrl+C handling would cancel that clean-up instead)
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _interrupt)
    from .server import EmulatorServer

    keys = {} if args.no_demo_key else {DEMO_KEY: DEFAULT_BALANCE}
    keys.update(dict(args.key))
    if not keys:
        print("vidu-emulator: no key would be accepted; give --key KEY", file=sys.stderr)
        return 2
    options: dict[str, Any] = dict(keys=keys, time_scale=args.time_scale,
                                   preview_scale=args.preview_scale, url_ttl_s=args.url_ttl,
                                   seed=args.seed, render_processes=not args.threads)
    if args.media_dir is not None:  # else the default: a new temporary folder
        args.media_dir.mkdir(parents=True, exist_ok=True)
        options["media_dir"] = args.media_dir
    config = EmulatorConfig(**options)
    logging.basicConfig(level=args.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        server = EmulatorServer(config, host=args.host, port=args.port,
                                log_level=args.log_level)
    except OSError as exc:
        print(f"vidu-emulator: cannot listen on {args.host}:{args.port}: {exc.strerror}. "
              "Choose another --port.", file=sys.stderr)
        return 1
    for rule in args.fault:
        server.world.faults.add(rule)
    print(f"Vidu emulator listening on {server.url}")
    for contract in server.world.contracts:
        print(f"  {contract.spec.display_name:<11} {server.url}/{contract.pid.value}")
    print(f"  accepted keys: {', '.join(keys)}    (Ctrl+C stops)", flush=True)
    if args.exit_with_stdin:
        _stop_when_stdin_ends(server)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(server.serve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
