"""``vidu-desktop``: the application shell. Parses the arguments, picks the profile folder,
sets up logging (:mod:`vidu_desktop.logs`) and the crash handler, wires the session (engines,
stores, keys) and the window, and runs them on one qasync loop. One instance per profile: a
later launch hands its picture arguments to the running window and exits
(:mod:`vidu_desktop.ui.shell.single_instance`). The window is painted before the loop exists
(:func:`show`, Qt's own event processing); asyncio and qasync are imported after the paint.

With no API key for any host (and always with ``--sandbox``) the app runs in sandbox mode: the
built-in emulator of all five hosts, in-process on a free loopback port, with its demo key
(never written anywhere) — labelled "Sandbox: placeholder videos, no cost".
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from pathlib import Path
from typing import Any, NamedTuple

from vidu_desktop.store.paths import default_profile_dir

log = logging.getLogger("vidu_desktop.app")

APP_NAME = "Vidu Studio"
DESKTOP_FILE = "vidu-desktop"
#: Windows groups the taskbar button, its icon and pinned shortcuts by this id (an installer's
#: shortcut should carry the same one); without it the button is python.exe's
APP_USER_MODEL_ID = "ViduStudio.Desktop"
#: what qasync raises when Qt's event loop ends with the app's work still under way
LOOP_ENDED = "Event loop stopped before Future completed"
#: modules the start would run only because another module names them at its top; they run
#: at their first use instead (:mod:`vidu_desktop.core.deferred`). keyring's dependency
#: jaraco.context imports urllib.request (and with it http.client) for a function the app never
#: calls; asyncio imports ssl (and its module of TLS connections, which needs ssl at its top)
#: for TLS, which only a request to a host uses, after the start
DEFERRED = ("urllib.request", "ssl", "asyncio.sslproto")


def defer_modules() -> None:
    """Defer :data:`DEFERRED`: after the first paint, before asyncio or keyring is imported."""
    from vidu_desktop.core import deferred

    for name in DEFERRED:
        deferred.defer(name)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="vidu-desktop", description=(
        "Vidu Studio: reference-to-video on five API hosts. Starts in sandbox mode (the "
        "built-in emulator: placeholder videos, no cost) when no API key is configured."))
    parser.add_argument("--sandbox", action="store_true",
                        help="use the built-in emulator for every host (no key, no cost)")
    parser.add_argument("--profile-dir", type=Path, metavar="DIR",
                        help="keep the library, drafts and settings in DIR")
    parser.add_argument("--log-level", default="info",
                        choices=["debug", "info", "warning", "error"])
    scheme = parser.add_mutually_exclusive_group()
    scheme.add_argument("--dark", action="store_const", const="dark", dest="scheme",
                        help="use the dark colour scheme whatever the system says")
    scheme.add_argument("--light", action="store_const", const="light", dest="scheme",
                        help="use the light colour scheme whatever the system says")
    parser.add_argument("--self-test", action="store_true",
                        help="with --sandbox: add the sample pictures, generate, play the "
                             "video, save DIR/self-test.png, then exit (0: it all worked)")
    parser.add_argument("files", nargs="*", type=Path, metavar="PICTURE",
                        help="pictures to add to the reference tray (handed to the running "
                             "window when Vidu Studio is already open on this profile)")
    return parser.parse_args(argv)


def set_names() -> None:
    """Names that QStandardPaths and the desktop use. No organisation name: the data folder is
    "<app data>/Vidu Studio", the one ``vidu-cli`` uses."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QGuiApplication

    QCoreApplication.setOrganizationName("")
    QCoreApplication.setOrganizationDomain("vidu-desktop.local")
    QCoreApplication.setApplicationName(APP_NAME)
    QGuiApplication.setApplicationDisplayName(APP_NAME)
    QGuiApplication.setDesktopFileName(DESKTOP_FILE)


def set_identity() -> None:
    """Before the QApplication exists: the names and the Windows taskbar identity. (Fractional
    high-DPI scaling stays as is, 150 % stays 150 %: Qt 6's default rounding policy,
    PassThrough; QT_SCALE_FACTOR_ROUNDING_POLICY, when set, wins over any policy the app would
    set.)"""
    set_names()
    set_taskbar_identity()


def set_taskbar_identity() -> bool:
    """Windows: the process's AppUserModelID, so the taskbar shows Vidu Studio's icon and
    name. False elsewhere (macOS takes the Dock icon from the window icon or the bundle)."""
    if sys.platform != "win32":
        return False
    import ctypes

    try:
        result = ctypes.windll.shell32.SetCurrentProcessExplicitAppUserModelID(
            ctypes.c_wchar_p(APP_USER_MODEL_ID))
    except (AttributeError, OSError):
        log.debug("could not set the AppUserModelID", exc_info=True)
        return False
    return bool(result == 0)  # S_OK


def close_signals() -> list[signal.Signals]:
    """The signals that close the window as the user would: Ctrl+C and a kill (POSIX); on
    Windows Ctrl+C and Ctrl+Break in the console (a kill there ends the process at once: the
    drafts saved as they are typed and the persisted tasks are what survives)."""
    signums = [signal.SIGINT, signal.SIGTERM]
    if sys.platform == "win32":
        signums.append(signal.SIGBREAK)
    return signums


async def test_key(pid: Any, key: str, base_url: str) -> Any:
    """Ask the host whether it accepts ``key`` (one cheap request, no retries)."""
    from vidu_desktop.core.errors import AppError
    from vidu_desktop.providers.base import Retry, Timeouts
    from vidu_desktop.providers.registry import make_adapter

    adapter = make_adapter(pid, key, base_url or None, retry=Retry(attempts=1),
                           timeouts=Timeouts(connect=10, read=20, pool=10, submit_read=20))
    try:
        await adapter.check_key()
    except AppError as err:
        return err
    finally:
        await adapter.close()
    return None


def build(profile_dir: Path, *, sandbox: bool | None, sandbox_starter: Any,
          engine_settings: Any = None, secrets: Any = None,
          lazy_sandbox: bool = False, progressive: bool = False) -> tuple[Any, Any]:
    """The session (engine, stores, keys) and the window, ready to show.

    ``sandbox``: True to start in sandbox mode, None to start in it when no key is configured,
    False never to. ``lazy_sandbox``: start the emulator after the window is shown
    (``Session.start``) or when a sandbox request needs it, not before the window.
    ``progressive``: paint first, attach after (:mod:`vidu_desktop.ui.shell.startup`): the
    window holds the compose area and places of the final size for the task list and Review,
    which :class:`~vidu_desktop.ui.shell.startup.Startup` attaches after the first paint; the
    engine is opened and the keychain read then too (the mode starts as the last look-up left
    it). Without it the engine is opened, the keychain read and the window attached here,
    before it is shown."""
    from vidu_desktop.emulator import DEMO_KEY
    from vidu_desktop.store import AppPaths, SecretStore
    from vidu_desktop.ui.common.session import Session
    from vidu_desktop.ui.shell.main_window import MainWindow

    session = Session(secrets or SecretStore(), key_tester=test_key,
                      sandbox_starter=sandbox_starter, demo_key=DEMO_KEY,
                      lazy_sandbox=lazy_sandbox)
    session.open_profile(AppPaths(profile_dir), engine_settings,
                         sandbox=sandbox if sandbox_starter is not None else False,
                         keys_now=not progressive, engine_now=not progressive)
    return session, MainWindow(session, attach=not progressive)


class Shown(NamedTuple):
    """What :func:`show` made and :func:`run` goes on with."""

    paths: Any  # AppPaths
    sandbox: Any  # SandboxEmulator
    session: Any  # Session
    window: Any  # MainWindow
    crash: Any  # CrashHandler
    startup: Any  # Startup


def show(args: argparse.Namespace, app: Any, instance: Any = None,
         messages: Any = None) -> Shown:
    """Everything up to the window's first paint, with Qt's own event processing: no asyncio
    loop exists yet (asyncio and qasync are imported after the paint; input waits in Qt's
    queue meanwhile)."""
    from PySide6.QtCore import QTimer

    from vidu_desktop.emulator import DEMO_KEY
    from vidu_desktop.engine.sandbox_emulator import EMULATOR_MEDIA, SandboxEmulator
    from vidu_desktop.logs import setup_logging
    from vidu_desktop.store import AppPaths
    from vidu_desktop.ui.shell.crash import CrashHandler
    from vidu_desktop.ui.shell.startup import Startup

    profile = args.profile_dir or default_profile_dir()
    paths = AppPaths(profile).ensure()
    logging_ = setup_logging(paths.logs_dir, args.log_level, extra_keys=[DEMO_KEY])
    if messages is not None:
        messages.ready()  # Qt's messages so far, and from now on, into the log
    sandbox = SandboxEmulator(paths.cache_dir / EMULATOR_MEDIA)  # a new seed each start
    # paint first, attach after: the task list, Review, the keychain and the engine (with the
    # emulator in sandbox mode) come after the window's first paint (ui/shell/startup.py)
    session, window = build(profile, sandbox=True if args.sandbox else None,
                            sandbox_starter=sandbox.start, lazy_sandbox=True,
                            progressive=True)
    logging_.redactor.set_source(session.known_keys)  # every key the session may use
    session.changed.connect(logging_.redactor.refresh)  # a key saved or deleted
    crash = CrashHandler(logging_.last_lines, logging_.redactor.redact, window)
    crash.install()  # the loop's errors too, once it runs (run)
    for signum in close_signals():  # Ctrl+C, kill: close as the user would, from the loop
        # (a Python signal handler runs between any two bytecodes, e.g. in the middle of
        # building the task list: the close must wait until that code has returned)
        signal.signal(signum, lambda *_: QTimer.singleShot(0, window.close))
    # log-off or shut-down (Windows, an X11 session): the draft is saved before Qt closes
    app.commitDataRequest.connect(lambda _manager: window.commit_data())
    if instance is not None:
        instance.received.connect(lambda files: receive(window, files))
    # then (go, in run): attach, read the keychain, resume the active library's tasks and
    # outbox
    startup = Startup(window, session, window.composer.bg.spawn)
    startup.paint()
    log.info("window shown (%s)", "sandbox" if session.sandbox else "hosts")
    return Shown(paths, sandbox, session, window, crash, startup)


async def run(args: argparse.Namespace, shown: Shown) -> int:
    """From the first paint on, in the asyncio loop: attach, keys, engine; until closed."""
    import asyncio

    window, session, crash = shown.window, shown.session, shown.crash
    crash.watch_loop(asyncio.get_running_loop())
    closed = asyncio.Event()
    window.closed.connect(closed.set)
    if not window.isVisible():  # closed before the loop ran
        closed.set()
    shown.startup.go()
    if args.files:
        receive(window, [str(p) for p in args.files])
    outcome: list[int] = []
    if args.self_test:
        shown.startup.ready.connect(lambda: window.composer.bg.spawn(
            self_test(window, shown.paths.profile_dir, outcome), "self-test"))
    try:
        await closed.wait()
    finally:
        from vidu_desktop.ui.common.background import Background

        if window.isVisible():  # Qt's loop ended under the window (the display went away,
            window.close()  # say): it closes as the user's close does, the draft saved first

        await Background.close_all()  # the areas' requests end before the engine closes
        await session.close()
        stop_unlooped(shown)
        # one more turn of the loop for what is still queued (deferred deletes, the steps of
        # cancelled tasks). Never app.processEvents() here: a nested event loop inside this
        # coroutine lets qasync start another task's step while this one runs, which wedges
        # that task and leaves asyncio.run waiting for it at exit for ever.
        await asyncio.sleep(0)
    return outcome[0] if outcome else 0


async def self_test(window: Any, folder: Path, outcome: list[int]) -> None:
    """Run the self-test in the shown window, say how it went, then close the app."""
    from vidu_desktop.ui.shell.self_test import SelfTest

    result = await SelfTest(window, folder).run()
    log.info("%s", result.report())
    if sys.stdout is not None:  # None in a windowed Windows build: the log has it
        print(result.report(), flush=True)
    outcome.append(0 if result.ok else 1)
    window.close()


def receive(window: Any, files: list[str]) -> None:
    """Files from the command line (this launch's or a later one's): to the tray; the window
    to the front."""
    window.receive_files(files)
    log.info("received %d file(s); the tray holds %d picture(s)", len(files),
             len(window.tray.items()))


def stop_unlooped(shown: Shown) -> None:
    """The end of the app that needs no loop: the emulator and its workers stop, the crash
    handler goes. Safe to call again: each step does nothing the second time."""
    shown.sandbox.stop()
    shown.crash.uninstall()
    shown.crash.close()


def ended_by_qt(shown: Shown) -> int:
    """Qt's event loop ended on its own while the app ran (the connection to the display was
    lost, say): ``run`` closed the window as the user's close does (the draft saved) and
    began the rest, which the loop's end cut short; what needs no loop is done here. Every
    task is in the library: the next start resumes the unfinished ones."""
    log.error("Qt's event loop ended while the app ran (was the display closed?); "
              "unfinished tasks resume at the next start")
    stop_unlooped(shown)
    return 1


def second_launch(profile: Path, files: list[Path]) -> int:
    """Another Vidu Studio holds this profile: hand it the files and exit."""
    from vidu_desktop.ui.shell.single_instance import hand_over

    if hand_over(profile, files):
        print(f"{APP_NAME} is already running on {profile}: "
              + (f"handed it {len(files)} file(s)." if files else "brought it to the front."),
              file=sys.stderr)
        return 0
    print(f"Another {APP_NAME} holds the profile {profile} but does not answer. Close it, or "
          "use another --profile-dir.", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    from vidu_desktop.ui.common import gc_hold

    gc_hold.hold()  # until the start is ready (ui/shell/startup.py)
    try:
        return _main(argv)
    finally:
        gc_hold.release()  # (when the app ended before the start was ready)


def _main(argv: list[str] | None) -> int:
    args = parse_args(list(sys.argv[1:] if argv is None else argv))
    from vidu_desktop.ui.common import pyside_imports

    pyside_imports.quicken()  # before the other imports: PySide checks each one
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from vidu_desktop.ui.common import qt_messages, theme
    from vidu_desktop.ui.shell.single_instance import SingleInstance

    messages = qt_messages.install(debug=args.log_level == "debug")
    set_identity()
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else theme.application(sys.argv)
    profile = args.profile_dir or default_profile_dir()
    instance = SingleInstance(profile)
    if not instance.acquire():
        if args.self_test:
            print(f"self-test FAILED: another {APP_NAME} holds the profile {profile}; use "
                  "another --profile-dir.", file=sys.stderr)
            return 1
        return second_launch(profile, args.files)
    instance.listen()
    app.setQuitOnLastWindowClosed(False)
    theme.install(app, args.scheme)
    heartbeat = QTimer()  # lets Python handle Ctrl+C while Qt waits for events
    heartbeat.start(300)
    heartbeat.timeout.connect(lambda: None)
    try:
        shown = show(args, app, instance, messages)
        defer_modules()
        import asyncio  # after the first paint

        from vidu_desktop.ui.common.qt_loop import QtLoop

        try:
            return asyncio.run(run(args, shown), loop_factory=lambda: QtLoop(app))
        except RuntimeError as err:
            if LOOP_ENDED not in str(err):
                raise
            return ended_by_qt(shown)
    finally:
        heartbeat.stop()
        instance.release()
        messages.uninstall()

if __name__ == "__main__":
    sys.exit(main())
