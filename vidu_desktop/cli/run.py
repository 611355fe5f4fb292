"""``vidu-cli``: generate, follow, resume, cancel and download from the command line.

Keys come from ``VIDU_API_KEY``, ``NOVITA_API_KEY``, ``HIGHWAYAPI_API_KEY``, ``SEGMIND_API_KEY``,
``VTRIX_API_KEY`` (these win) or the OS keychain (``vidu-cli key set HOST``). The library (tasks,
videos) lives in the profile folder: ``--profile-dir``, else ``VIDU_DESKTOP_HOME``, else the
system's data folder; a log is kept in its ``logs`` folder. ``--sandbox``: every host is the
built-in emulator, run inside vidu-cli while it works, with the profile's sandbox library
(``sandbox`` in the profile folder, the app's sandbox mode): placeholder videos, no cost, no key;
as the emulator stops with vidu-cli, generate there always follows its task to the end.
Exit codes: 0 success, 1 other failure, 2 invalid input or parameter, 3 missing or refused key,
4 not enough credits, 5 moderation, 6 network/timeout/outage (a task that could not be sent
waits in the outbox), 7 the generation failed, 8 an image cannot be used, 9 the outcome of a
submit is unknown, 10 cancel could only stop tracking (the host may still run and charge it).
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from typing import TYPE_CHECKING

from vidu_desktop.core.capabilities import ProviderId, provider
from vidu_desktop.core.errors import AppError
from vidu_desktop.core.formatting import host_label
from vidu_desktop.store import AppPaths, SecretStore
from vidu_desktop.store.paths import default_profile_dir

from . import output as out
from .board import cmd_board
from .commands import COMMANDS
from .output import fail, report_error
from .parser import parse
from .setup import base_urls, redacted_keys, setup_logging

if TYPE_CHECKING:
    from vidu_desktop.engine import Engine, EngineSettings
    from vidu_desktop.engine.sandbox import SandboxEmulator

EPILOG = __doc__.split("\n\n", 1)[1].replace("``", "")


def cmd_key(args: argparse.Namespace) -> int:
    if args.sandbox:
        return fail("the sandbox uses no key: every host there is the built-in emulator",
                    out.INVALID, "Leave out --sandbox to store a key for a real host.")
    secrets = SecretStore()
    pid = ProviderId(args.host)
    name = host_label(pid.value)
    if args.action == "set":
        key = sys.stdin.readline().strip() if not sys.stdin.isatty() else getpass.getpass(
            f"{name} API key: ")
        if not key:
            return fail("no key given", out.INVALID)
        if not secrets.set(pid, key):
            return fail(secrets.warning, out.AUTH,
                        f"Set {provider(pid).key_env} in the environment instead.")
        print(f"key for {name} stored in the system keychain")
    elif args.action == "delete":
        secrets.delete(pid)
        print(f"key for {name} removed from the system keychain")
    else:
        source = secrets.source(pid)
        print(f"{name}: " + (f"key from the {source.value}" if source else "no key"))
    return out.OK


def engine_settings(args: argparse.Namespace) -> EngineSettings:
    from vidu_desktop.engine import EngineSettings

    settings = EngineSettings()
    if args.poll is not None:
        settings.poll_initial_s = args.poll
        settings.poll_max_s = max(args.poll, min(settings.poll_max_s, args.poll * 8))
    if args.timeout is not None:
        settings.processing_timeout_s = args.timeout
        settings.submit_retry_s = args.timeout  # and how long a busy host may keep refusing
    return settings


def open_sandbox(paths: AppPaths, settings: EngineSettings
                 ) -> tuple[Engine, SandboxEmulator]:
    """The profile's sandbox library and the emulator it uses (started on first use)."""
    from vidu_desktop.engine import sandbox

    out.use_sandbox(sandbox.SANDBOX_LABEL)
    emulator = sandbox.SandboxEmulator(paths.cache_dir / sandbox.EMULATOR_MEDIA)
    return sandbox.open_sandbox(paths, settings, emulator.start), emulator


async def run_engine(args: argparse.Namespace) -> int:
    from vidu_desktop.engine import Engine

    # absolute: the library files its videos by path, and --out copies them from there
    paths = AppPaths((args.profile_dir or default_profile_dir()).absolute())
    if args.sandbox and args.base_url:
        return fail("--base-url cannot be used with --sandbox: there every host is the "
                    "built-in emulator", out.INVALID)
    try:
        paths.ensure()
    except OSError as exc:
        return fail(f"cannot use the profile folder {paths.profile_dir}: "
                    f"{exc.strerror or exc}", out.OTHER)
    secrets = SecretStore()
    logs = setup_logging(paths, args.verbose, secrets)
    settings = engine_settings(args)
    emulator: SandboxEmulator | None = None
    try:
        if args.sandbox:
            engine, emulator = open_sandbox(paths, settings)
        else:
            try:
                settings.base_urls = base_urls(paths, args.base_url)
            except ValueError as exc:
                return fail(str(exc), out.INVALID)
            engine = Engine(paths, redacted_keys(secrets.resolve, logs.redactor), settings)
        try:
            command = cmd_board if args.command == "board" else COMMANDS[args.command]
            return await command(engine, args)
        finally:
            await engine.close()
    finally:
        if emulator is not None:
            emulator.stop()
        logs.remove()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out.use_real()
    if "check-images" in argv:  # its own parser takes every argument after it, options too
        at = argv.index("check-images")
        args = parse(argv[:at + 1], EPILOG)
        args.rest = argv[at + 1:]
    else:
        args = parse(argv, EPILOG)
    if args.command == "providers":
        out.print_providers()
        return out.OK
    if args.command == "check-images":
        from vidu_desktop.imaging.report import main as check_main

        code = check_main(args.rest)
        return out.IMAGE if code == 1 else code
    if args.command == "key":
        return cmd_key(args)
    try:
        return asyncio.run(run_engine(args))
    except KeyboardInterrupt:
        if out.in_sandbox():
            return fail("interrupted; the built-in emulator stopped with vidu-cli, so a sandbox "
                        "task it had taken cannot be followed any more (generate it again)", 130)
        return fail(f"interrupted; {out.command('resume')} picks the tasks up again", 130)
    except AppError as err:
        return report_error(err)
