"""The export dialog alone in a window, for screenshots and trying it by hand.

    python -m vidu_desktop.ui.board.demo [--state form|running|done|error|cancelled]
                                         [--takes A.mp4 B.mp4 ...] [--folder DIR]
                                         [--shots 6] [--dark|--light] [--shot OUT.png]

Without ``--takes`` the job is a stand-in that takes a few seconds (``running`` holds it at
42 %); with them it writes the real film of those takes (``film.export_mp4``) into
``--folder`` (a new temporary folder when not given). ``--shot`` saves a grab of the dialog
once the state is reached, then quits. (The cut playing in Review has its own demo:
``python -m vidu_desktop.ui.review.demo --cut``.)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
from pathlib import Path

from PySide6.QtCore import QTimer

from vidu_desktop.core.errors import AppError, ErrorKind
from vidu_desktop.film.progress import CancelFlag, ProgressCallback
from vidu_desktop.ui.board.export_choice import ExportChoice, ExportJob, planned_files
from vidu_desktop.ui.board.export_dialog import ExportDialog
from vidu_desktop.ui.common import theme


def stand_in(state: str, hold: threading.Event) -> ExportJob:
    """A job that reports progress for about three seconds (``running``: stops at 42 % until
    ``hold`` is set), fails (``error``) or writes empty files (a demo only)."""
    def job(choice: ExportChoice, progress: ProgressCallback,
            cancel: CancelFlag) -> list[Path]:
        for step in range(101):
            if cancel.is_set():
                raise AppError(ErrorKind.CANCELLED, message="The export was cancelled.")
            progress(step / 100)
            if state == "running" and step == 42:
                hold.wait()
            elif state == "error" and step == 60:
                raise AppError(ErrorKind.LOCAL, message="Shot 4: the take's file "
                               "take-4.mp4 is missing.", hint="Pick another take for this "
                               "shot, or download this one again, then export again.")
            else:
                threading.Event().wait(0.03)  # a stand-in for the work
        for path in planned_files(choice):
            path.touch()
        return planned_files(choice)
    return job


def real(takes: list[Path]) -> ExportJob:
    from vidu_desktop.film import Take, export_mp4

    cut = [Take(path=p, shot=i) for i, p in enumerate(takes, 1)]

    def job(choice: ExportChoice, progress: ProgressCallback,
            cancel: CancelFlag) -> list[Path]:
        dest = choice.folder / f"{choice.name}.mp4"
        return [export_mp4(cut, dest, progress=progress, cancel=cancel).path]
    return job


def run(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="export_demo")
    parser.add_argument("--state", choices=["form", "running", "done", "error", "cancelled"],
                        default="running")
    parser.add_argument("--takes", nargs="+", type=Path, help="real takes: the real film")
    parser.add_argument("--folder", type=Path, help="where the files go")
    parser.add_argument("--shots", type=int, default=6)
    parser.add_argument("--name", default="The lighthouse keeper")
    parser.add_argument("--shot", type=Path, help="save a grab of the dialog here and quit")
    theme.add_scheme_options(parser)
    args = parser.parse_args(argv)
    app = theme.demo_application(args.scheme)
    folder = args.folder or Path(tempfile.mkdtemp(prefix="board-export-"))
    hold = threading.Event()
    job = real(args.takes) if args.takes else stand_in(args.state, hold)
    dialog = ExportDialog(args.name, len(args.takes) if args.takes else args.shots, job,
                          folder=folder)
    app.aboutToQuit.connect(hold.set)
    app.aboutToQuit.connect(lambda: dialog.shutdown())
    dialog.show()
    if args.state != "form":
        QTimer.singleShot(200, dialog.export)
    if args.state == "cancelled":
        QTimer.singleShot(900, dialog.cancel)
    if args.shot:
        def shoot() -> None:
            dialog.grab().save(str(args.shot))
            app.quit()

        QTimer.singleShot(2500 if args.state == "running" else 4500, shoot)
    sys.exit(app.exec())


if __name__ == "__main__":
    run()
