"""The export dialog with real jobs: one that writes the film of two real MP4s with
``film.export_mp4`` (progress to 100 %, the file there; cancelled, no file at all), one that
fails with a message and a hint, one held in the middle to show the window stays responsive
and that closing mid-run leaves no thread; and the question before files are replaced."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from film.takes import make_take  # the film tests' takes (tests/ is on the path)
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from vidu_desktop.core.errors import AppError, ErrorKind
from vidu_desktop.film import Take, TimelineFormat, export_mp4, timeline_formats
from vidu_desktop.film.progress import CancelFlag, ProgressCallback
from vidu_desktop.ui.board.export_choice import ExportChoice, planned_files
from vidu_desktop.ui.board.export_dialog import ExportDialog

Job = Callable[[ExportChoice, ProgressCallback, CancelFlag], list[Path]]


@pytest.fixture(scope="module")
def takes(tmp_path_factory: pytest.TempPathFactory) -> list[Take]:
    folder = tmp_path_factory.mktemp("export-takes")
    return [make_take(folder / f"take {i}.mp4", seconds=1.0, shade=i * 60, shot=i, sound=True)
            for i in (1, 2)]


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "export"
    folder.mkdir()
    return folder


class Gate:
    """Holds a job at its first progress report: ``reached`` is set there, and it goes on
    once ``release`` is set, so the test acts while the job is surely in the middle."""

    def __init__(self) -> None:
        self.reached = threading.Event()
        self.release = threading.Event()


def film_job(takes: list[Take], gate: Gate | None = None) -> Job:
    """The film of ``takes``, written as the engine will: ``<folder>/<name>.mp4``."""
    def job(choice: ExportChoice, progress: ProgressCallback,
            cancel: CancelFlag) -> list[Path]:
        def report(fraction: float) -> None:
            progress(fraction)
            if gate is not None and not gate.reached.is_set():
                gate.reached.set()
                gate.release.wait(20)

        dest = choice.folder / f"{choice.name}.mp4"
        return [export_mp4(takes, dest, progress=report, cancel=cancel).path]
    return job


@pytest.fixture
def dialogs(qtbot: Any, out: Path) -> Iterator[Callable[..., ExportDialog]]:
    made: list[ExportDialog] = []

    def make(job: Job, **kw: Any) -> ExportDialog:
        dialog = ExportDialog("Fox in the snow", 2, job, folder=out, **kw)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        made.append(dialog)
        return dialog

    yield make
    for dialog in made:  # never a thread left behind, whatever a test did
        assert dialog.shutdown(20)


def only_the_film(dialog: ExportDialog) -> None:
    for box in dialog.form.boxes():
        box.setChecked(box is dialog.form.mp4_box)


def answer(qtbot: Any, dialog: ExportDialog, text: str) -> None:
    qtbot.waitUntil(lambda: dialog.question is not None and dialog.question.isVisible())
    box = dialog.question
    assert box is not None
    [button] = [b for b in box.buttons() if b.text() == text]
    button.click()


def test_the_film_is_written_with_progress_to_100(qtbot: Any, dialogs: Any, takes: list[Take],
                                                  out: Path) -> None:
    dialog = dialogs(film_job(takes))
    only_the_film(dialog)
    assert dialog.form.choice() == ExportChoice(out, "Fox in the snow", True, (), ())
    assert dialog.form.files_note.text() == "Writes Fox in the snow.mp4"
    reported: list[float] = []  # what the job reports (connecting to the run's signal after
    job = dialog.job  # start() would miss what a fast job reported before that)

    def recording(choice: Any, report: Any, cancel: Any) -> Any:
        def both(fraction: float) -> None:
            reported.append(fraction)
            report(fraction)
        return job(choice, both, cancel)

    dialog.job = recording
    dialog.start(dialog.form.choice())
    assert dialog.status.text().startswith("Writing Fox in the snow.mp4 in ")
    qtbot.waitUntil(lambda: not dialog.running, timeout=20_000)
    assert reported and reported[-1] == 1.0 and reported == sorted(reported)
    assert dialog.progress.value() == dialog.progress.maximum() == 1000
    film = out / "Fox in the snow.mp4"
    assert dialog.written == [film] and film.stat().st_size > 1000
    assert dialog.status.text() == f"Done: 1 file written in {out}."
    assert dialog.done_box.isVisible() and "Fox in the snow.mp4" in dialog.files.text()
    shown: list[Path] = []
    dialog.opener = shown.append
    dialog.show_button.click()
    assert shown == [out]
    assert dialog.export_button.isEnabled() and dialog.form.name_edit.isEnabled()


def test_cancel_leaves_no_file(qtbot: Any, dialogs: Any, takes: list[Take], out: Path) -> None:
    gate = Gate()
    dialog = dialogs(film_job(takes, gate))
    only_the_film(dialog)
    dialog.export_button.click()
    qtbot.waitUntil(gate.reached.is_set, timeout=10_000)  # in the middle of the film
    assert dialog.running and dialog.close_button.text() == "Cancel export"
    dialog.close_button.click()
    assert dialog.status.text() == "Cancelling: removing what was begun…"
    gate.release.set()
    qtbot.waitUntil(lambda: not dialog.running, timeout=20_000)
    assert dialog.status.text() == "Cancelled: nothing was written."
    assert list(out.iterdir()) == []  # neither the film nor a part of it
    assert dialog.isVisible() and dialog.export_button.isEnabled()


def test_an_error_shows_its_message_and_hint_and_the_dialog_stays(qtbot: Any, dialogs: Any,
                                                                  out: Path) -> None:
    calls: list[ExportChoice] = []

    def job(choice: ExportChoice, progress: ProgressCallback,
            cancel: CancelFlag) -> list[Path]:
        calls.append(choice)
        progress(0.3)
        raise AppError(ErrorKind.LOCAL, message="Shot 2: the take's file take 2.mp4 is "
                       "missing.", hint="Pick another take for this shot, or download "
                       "this one again.")

    dialog = dialogs(job)
    dialog.export_button.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=10_000)
    assert dialog.error_box.isVisible()
    text = dialog.error_box.text()
    assert "Shot 2: the take's file take 2.mp4 is missing." in text
    assert "Pick another take for this shot" in text
    assert dialog.isVisible() and dialog.export_button.isEnabled()
    dialog.export_button.click()  # and again, as the user would after fixing it
    qtbot.waitUntil(lambda: len(calls) == 2 and not dialog.running, timeout=10_000)


def test_the_window_stays_responsive_and_closing_mid_run_leaves_no_thread(
        qtbot: Any, dialogs: Any, takes: list[Take], out: Path) -> None:
    gate = Gate()
    dialog = dialogs(film_job(takes, gate))
    only_the_film(dialog)
    run = dialog.start(dialog.form.choice())
    qtbot.waitUntil(gate.reached.is_set, timeout=10_000)
    ticks: list[int] = []
    timer = QTimer(dialog)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    qtbot.waitUntil(lambda: len(ticks) >= 5)  # the event loop turns while the job works
    assert run.running and dialog.progress.isVisible()
    assert not dialog.form.name_edit.isEnabled()  # the fields wait for the end
    dialog.close()  # the window's close button: asks first
    assert dialog.isVisible()
    answer(qtbot, dialog, "Stop and close")
    assert run.cancel_flag.is_set() and dialog.isVisible()  # until the worker has ended
    gate.release.set()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20_000)
    assert not run.worker.is_alive()
    assert not [t for t in threading.enumerate() if t.name == "board-export"]
    assert list(out.iterdir()) == []


def test_keep_exporting_lets_the_export_finish(qtbot: Any, dialogs: Any, takes: list[Take],
                                               out: Path) -> None:
    gate = Gate()
    dialog = dialogs(film_job(takes, gate))
    only_the_film(dialog)
    dialog.export_button.click()
    qtbot.waitUntil(gate.reached.is_set, timeout=10_000)
    dialog.reject()  # Escape
    answer(qtbot, dialog, "Keep exporting")
    run = dialog.run
    assert run is not None and not run.cancel_flag.is_set()
    gate.release.set()
    qtbot.waitUntil(lambda: not dialog.running, timeout=20_000)
    assert dialog.isVisible() and dialog.written == [out / "Fox in the snow.mp4"]


def test_replacing_files_asks_first(qtbot: Any, dialogs: Any, out: Path) -> None:
    calls: list[ExportChoice] = []

    def job(choice: ExportChoice, progress: ProgressCallback,
            cancel: CancelFlag) -> list[Path]:
        calls.append(choice)
        return planned_files(choice)

    dialog = dialogs(job)
    choice = dialog.form.choice()
    assert [p.name for p in planned_files(choice)] == [
        "Fox in the snow.mp4", "Fox in the snow.otio", "Fox in the snow.png"]
    (out / "Fox in the snow.otio").write_text("{}")
    dialog.export_button.click()
    box = dialog.question
    assert isinstance(box, QMessageBox)
    assert box.text() == f"Fox in the snow.otio is already in {out}."
    answer(qtbot, dialog, "Cancel")
    assert calls == [] and not dialog.running
    dialog.export_button.click()
    answer(qtbot, dialog, "Replace it")
    qtbot.waitUntil(lambda: calls and not dialog.running, timeout=10_000)
    assert calls == [choice]


def test_the_form_says_what_is_wrong_and_offers_only_installed_timelines(
        dialogs: Any, out: Path) -> None:
    dialog = dialogs(lambda *_: [])  # the formats installed here
    installed = [f.suffix for f in timeline_formats() if f.installed]
    assert list(dialog.form.timeline_boxes) == installed and "otio" in installed
    assert dialog.form.timeline_boxes["otio"].isChecked()
    formats = [TimelineFormat("otio_json", "OpenTimelineIO", "otio", "opentimelineio", True),
               TimelineFormat("cmx_3600", "EDL (CMX 3600)", "edl", "otio-cmx3600-adapter",
                              False)]
    dialog = dialogs(lambda *_: [], formats=formats)
    assert list(dialog.form.timeline_boxes) == ["otio"]
    assert dialog.form.absent_note.isVisible()
    assert dialog.form.absent_note.text() == (
        "Not offered: their OpenTimelineIO adapter is not installed.\n"
        "• EDL (CMX 3600): pip install otio-cmx3600-adapter")
    dialog.form.name_edit.setText("a/b")
    assert not dialog.export_button.isEnabled()
    assert dialog.status.text() == ("The name has the character(s) '/', which Windows does "
                                    "not allow: change it.")
    dialog.form.name_edit.setText("Fox")
    dialog.form.folder_edit.setText(str(out / "nowhere"))
    assert "does not exist" in dialog.status.text()
    dialog.form.folder_edit.setText(str(out))
    for box in dialog.form.boxes():
        box.setChecked(False)
    assert dialog.status.text() == "Tick at least one thing to write."
    dialog.form.mp4_box.setChecked(True)
    assert dialog.export_button.isEnabled() and not dialog.status.isVisible()
