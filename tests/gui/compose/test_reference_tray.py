"""The reference tray as a user meets it: real drops, paste, keys, files made with Pillow.

Offscreen, with pytest-qt; any Qt warning fails a test. Set TRAY_SHOTS=/some/dir to keep the
screenshots (they are always written to the test's tmp_path).
"""

from __future__ import annotations

import asyncio
import io
import itertools
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, Qt, QTimer, QUrl
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QWidget

from vidu_desktop.core.capabilities import ImageRules
from vidu_desktop.ui.compose.tray import view as tray_view
from vidu_desktop.ui.compose.tray.menu import menu_for
from vidu_desktop.ui.compose.tray.model import NumberRole, OverLimitRole
from vidu_desktop.ui.compose.tray.tray import ItemState, ReferenceTray

from .tray_support import (
    COLORS,
    drop,
    make_image,
    noisy_photos,
    picture,
    remember_plugins,
    settled,
    shoot,
    states,
    url_mime,
    web_server,
)

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints"),
]

SEVEN = ImageRules(min_count=1, max_count=7)
ONE = ImageRules(min_count=1, max_count=1)


@pytest.fixture(autouse=True)
def _plugins(pytestconfig: pytest.Config) -> None:
    remember_plugins(pytestconfig)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path, threading.Event]]:
    """(base URL, folder it serves, gate that /slow/... requests wait for)."""
    root = tmp_path / "web"
    root.mkdir()
    with web_server(root) as (base, gate):
        yield base, root, gate


@pytest.fixture
def tray(qtbot) -> Iterator[ReferenceTray]:  # type: ignore[no-untyped-def]
    widget = ReferenceTray(rules=SEVEN)
    qtbot.addWidget(widget)
    widget.resize(980, 380)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()


@pytest.fixture
def qloop() -> Iterator[qasync.QEventLoop]:
    """A fresh qasync loop on the test's QApplication (driven with run_until_complete)."""
    loop = qasync.QEventLoop(QApplication.instance())
    asyncio.set_event_loop(loop)
    yield loop
    pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
    if pending:
        loop.run_until_complete(asyncio.wait(pending, timeout=2))
    asyncio.set_event_loop(None)
    loop.close()


# -- adding ----------------------------------------------------------------------------------

def test_empty_tray_invites_a_drop(tray: ReferenceTray, tmp_path: Path) -> None:
    assert tray.ui.count.text() == "0 / 7"
    assert tray.problem() == "Add a reference image"
    assert not tray.is_ready()
    assert "Drop 1–7 reference images here" in tray.view.hint
    shoot(tray, tmp_path, "tray-empty.png")


def test_dropped_files_and_folder_appear_at_once_then_fill_in(qtbot, tray: ReferenceTray,
                                                              tmp_path: Path) -> None:
    single = picture(tmp_path, "portrait.jpg", 0, (900, 1200))
    folder = tmp_path / "shoot"
    folder.mkdir()
    picture(folder, "img10.png", 1)
    picture(folder, "img2.png", 2)
    (folder / "notes.txt").write_text("not a picture")
    with qtbot.waitSignal(tray.changed, timeout=1000):
        assert drop(tray.view.viewport(), url_mime(single, folder))
    assert [i.name for i in tray.items()] == ["portrait.jpg", "img2.png", "img10.png"]
    assert states(tray) == [ItemState.PREPARING] * 3  # placeholders before any decode
    qtbot.waitUntil(lambda: settled(tray), timeout=15000)
    assert states(tray) == [ItemState.READY] * 3
    first = tray.items()[0]
    assert (first.width, first.height, first.format) == (900, 1200, "jpeg")
    assert first.data_uri.startswith("data:image/jpeg;base64,") and len(first.sha256) == 64
    assert first.thumbnail is not None and not first.thumbnail.isNull()
    assert tray.is_ready() and tray.problem() is None
    assert tray.ui.count.text() == "3 / 7"
    assert [r.sha256 for r in tray.references()] == [i.sha256 for i in tray.items()]


def test_unusable_files_are_error_cards_naming_the_file(qtbot, tray: ReferenceTray,
                                                        tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello, this is text")
    (tmp_path / "empty.png").write_bytes(b"")
    whole = make_image(800, 600, fmt="JPEG")
    (tmp_path / "cut.jpg").write_bytes(whole[: len(whole) // 2])
    picture(tmp_path, "tiny.png", 3, (64, 64))
    messages: list[str] = []
    tray.message.connect(messages.append)
    names = ["notes.txt", "empty.png", "cut.jpg", "tiny.png"]
    assert drop(tray.view.viewport(), url_mime(*(tmp_path / n for n in names)))
    qtbot.waitUntil(lambda: settled(tray), timeout=15000)
    items = tray.items()
    assert states(tray) == [ItemState.ERROR] * 4
    for name, item in zip(names, items, strict=True):
        assert name in item.error
        assert any(name in m for m in messages)
    assert "not a picture" in items[0].error
    assert "empty" in items[1].error
    assert "incomplete" in items[2].error or "damaged" in items[2].error
    assert "at least 128 px" in items[3].error
    assert tray.problem() == f"Image 1 cannot be used: {items[0].error}"
    assert tray.references() == []
    assert "tiny.png" in tray.ui.message_text()


def test_eighth_image_is_flagged_not_dropped(qtbot, tray: ReferenceTray,
                                             tmp_path: Path) -> None:
    tray.add_paths([picture(tmp_path, f"p{n}.png", n) for n in range(8)])
    qtbot.waitUntil(lambda: settled(tray), timeout=20000)
    assert len(tray.items()) == 8 and states(tray) == [ItemState.READY] * 8
    assert tray.problem() == "8 images; this model takes 1 to 7. Remove 1."
    assert not tray.is_ready()
    assert tray.ui.count.text() == "8 / 7"
    model = tray.model
    assert [model.index(r).data(OverLimitRole) for r in range(8)] == [False] * 7 + [True]
    tray.remove(0)
    assert tray.is_ready() and tray.ui.count.text() == "7 / 7"


def test_duplicates_are_refused_with_a_message(qtbot, tray: ReferenceTray,
                                               tmp_path: Path) -> None:
    original = picture(tmp_path, "hero.png", 1)
    copy = tmp_path / "hero copy.png"
    copy.write_bytes(original.read_bytes())
    messages: list[str] = []
    tray.message.connect(messages.append)
    tray.add_paths([original])
    qtbot.waitUntil(lambda: settled(tray), timeout=10000)
    tray.add_paths([original])  # the same file again: refused at once
    assert len(tray.items()) == 1
    assert messages[-1] == "hero.png is already in the tray (image 1)."
    tray.add_paths([copy])  # the same picture under another name: refused once hashed
    qtbot.waitUntil(lambda: len(tray.items()) == 1 and tray.pending() == 0, timeout=10000)
    assert "hero copy.png is the same picture as image 1 (hero.png)" in messages[-1]
    assert [i.name for i in tray.items()] == ["hero.png"]


def test_ctrl_v_pastes_an_image_and_copied_files(qtbot, tray: ReferenceTray,
                                                 tmp_path: Path) -> None:
    image = QImage.fromData(make_image(500, 400, color=COLORS[4]))
    QApplication.clipboard().setImage(image)
    tray.view.setFocus()
    qtbot.keyClick(tray.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert [i.name for i in tray.items()] == ["pasted image"]
    qtbot.waitUntil(lambda: settled(tray), timeout=10000)
    item = tray.items()[0]
    assert item.state is ItemState.READY and (item.width, item.height) == (500, 400)
    QApplication.clipboard().setMimeData(url_mime(picture(tmp_path, "copied.png", 5)))
    qtbot.keyClick(tray.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(tray.items()) == 2 and settled(tray), timeout=10000)
    assert tray.items()[1].name == "copied.png" and tray.is_ready()
    QApplication.clipboard().setText("just words")
    with qtbot.waitSignal(tray.message) as note:
        qtbot.keyClick(tray.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert note.args == ["The clipboard holds no picture, file or link to add."]


def test_links_and_browser_images_download_and_dead_links_fail(
        qtbot, tray: ReferenceTray, tmp_path: Path,
        server: tuple[str, Path, threading.Event]) -> None:
    base, root, _gate = server
    picture(root, "photo.png", 2)
    picture(root, "inline.jpg", 6)
    assert drop(tray.view.viewport(), url_mime(f"{base}/photo.png", f"{base}/gone.png"))
    browser = QMimeData()  # an image inside a link, dragged from a web page
    browser.setUrls([QUrl(f"{base}/article.html")])
    browser.setHtml(f'<a href="{base}/article.html"><img alt="x" src="{base}/inline.jpg"></a>')
    assert drop(tray, browser)  # onto the tray's header area, not the list
    qtbot.waitUntil(lambda: len(tray.items()) == 3 and settled(tray), timeout=15000)
    photo, gone, inline = tray.items()
    assert photo.state is ItemState.READY and photo.width == 640
    assert gone.state is ItemState.ERROR
    assert f"{base}/gone.png could not be downloaded" in gone.error and "404" in gone.error
    assert inline.state is ItemState.READY and inline.name == f"{base}/inline.jpg"


def test_a_slow_link_does_not_hold_up_files(qtbot, tray: ReferenceTray, tmp_path: Path,
                                            server: tuple[str, Path, threading.Event]) -> None:
    base, root, gate = server
    picture(root, "slow.png", 3)
    tray.add_urls([f"{base}/slow/slow.png"])  # answers only when the gate opens
    tray.add_paths([picture(tmp_path, f"local{n}.png", n) for n in range(3)])
    qtbot.waitUntil(lambda: tray.pending() == 1, timeout=10000)
    assert states(tray) == [ItemState.PREPARING] + [ItemState.READY] * 3
    assert tray.problem() == "Image 1 is still being prepared"
    gate.set()
    qtbot.waitUntil(lambda: settled(tray), timeout=10000)
    assert tray.is_ready()


def test_drag_reorders_and_numbers_follow(qtbot, tray: ReferenceTray, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    tray.add_paths([picture(tmp_path, f"{c}.png", n) for n, c in enumerate("abc")])
    qtbot.waitUntil(lambda: settled(tray), timeout=10000)
    before = [r.sha256 for r in tray.references()]
    view, model = tray.view, tray.model
    started: list[QMimeData] = []

    class Drag:  # QDrag.exec would wait for a real mouse: keep what the view would drag
        def __init__(self, source: QWidget) -> None:
            pass

        def setMimeData(self, mime: QMimeData) -> None:
            started.append(mime)

        def setPixmap(self, pixmap: object) -> None:
            pass

        def setHotSpot(self, point: QPoint) -> None:
            pass

        def exec(self, action: Qt.DropAction) -> Qt.DropAction:
            return action

    monkeypatch.setattr(tray_view, "QDrag", Drag)
    view.select_row(0)
    view.startDrag(Qt.DropAction.MoveAction)
    mime = started[0]
    last = view.visualRect(model.index(2))
    with qtbot.waitSignal(tray.changed, timeout=1000):
        assert drop(view.viewport(), mime, QPoint(last.right() - 10, last.center().y()))
    assert [i.name for i in tray.items()] == ["b.png", "c.png", "a.png"]
    assert [r.sha256 for r in tray.references()] == [before[1], before[2], before[0]]
    assert [model.index(r).data(NumberRole) for r in range(3)] == [1, 2, 3]
    assert "Image 3: a.png" in model.index(2).data(Qt.ItemDataRole.ToolTipRole)
    view.select_row(2)  # a.png
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert [i.name for i in tray.items()] == ["b.png", "a.png", "c.png"]
    assert view.selected_ids() == [tray.items()[1].id]  # the selection moved with it
    tray.move_image(0, 2)
    assert [i.name for i in tray.items()] == ["a.png", "c.png", "b.png"]


def test_delete_key_and_the_cards_button_remove(qtbot, tray: ReferenceTray, tmp_path: Path) -> None:
    tray.add_paths([picture(tmp_path, f"{c}.png", n) for n, c in enumerate("abc")])
    qtbot.waitUntil(lambda: settled(tray), timeout=10000)
    tray.view.select_row(1)
    with qtbot.waitSignal(tray.changed, timeout=1000):
        qtbot.keyClick(tray.view, Qt.Key.Key_Delete)
    assert [i.name for i in tray.items()] == ["a.png", "c.png"]
    assert tray.view.currentIndex().row() == 1  # the next one, ready for another Delete
    assert tray.ui.count.text() == "2 / 7"
    button = tray.view.card_delegate.close_rect(tray.view.visualRect(tray.model.index(0)))
    qtbot.mouseClick(tray.view.viewport(), Qt.MouseButton.LeftButton, pos=button.center())
    assert [i.name for i in tray.items()] == ["c.png"]  # the card's × removed a.png


def test_one_image_rule_flags_the_extras(qtbot, tray: ReferenceTray, tmp_path: Path) -> None:
    tray.add_paths([picture(tmp_path, f"{c}.png", n) for n, c in enumerate("abc")])
    qtbot.waitUntil(lambda: settled(tray), timeout=10000)
    tray.set_rules(ONE)
    qtbot.waitUntil(lambda: settled(tray), timeout=10000)  # a new budget: prepared again
    assert len(tray.items()) == 3 and states(tray) == [ItemState.READY] * 3
    assert tray.problem() == "3 images; this model takes 1. Remove 2."
    assert tray.ui.count.text() == "3 / 1"
    assert [tray.model.index(r).data(OverLimitRole) for r in range(3)] == [False, True, True]
    tray.set_rules(SEVEN)
    qtbot.waitUntil(lambda: tray.is_ready(), timeout=10000)


def test_the_auto_ratio_fits_no_picture(qtbot, tray: ReferenceTray, tmp_path: Path) -> None:
    """viduq3's ``auto`` ratio follows the pictures: with fitting on, 1:1 crops a 640x360
    picture, auto leaves it as it is."""
    tray.add_paths([picture(tmp_path, "wide.png", 0, size=(640, 360))])
    qtbot.waitUntil(lambda: settled(tray), timeout=10000)
    tray.set_aspect_fit("crop")
    tray.set_rules(SEVEN, "1:1")
    qtbot.waitUntil(lambda: settled(tray), timeout=10000)
    [item] = tray.items()
    assert item.width == item.height  # cropped to the square
    tray.set_rules(SEVEN, "auto")
    qtbot.waitUntil(lambda: settled(tray) and tray.items()[0].width == 640, timeout=10000)
    assert (tray.items()[0].width, tray.items()[0].height) == (640, 360)


@pytest.fixture(scope="module")
def large_photos(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return noisy_photos(tmp_path_factory.mktemp("large"), 7)


def test_ui_stays_responsive_while_large_pictures_prepare(qtbot, tray: ReferenceTray,
                                                          large_photos: list[Path]) -> None:
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    started = time.monotonic()
    tray.add_paths(large_photos)
    assert time.monotonic() - started < 0.5  # cards at once; the work is elsewhere
    assert states(tray) == [ItemState.PREPARING] * 7
    qtbot.waitUntil(lambda: settled(tray), timeout=40000)
    timer.stop()
    assert states(tray) == [ItemState.READY] * 7
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert len(ticks) >= 5 and max(gaps) < 0.5, f"longest UI stall {max(gaps):.3f} s"
    assert all("downscaled 4000x3000" in ", ".join(i.fixes) for i in tray.items())


# -- labels, drafts, dialog, menu ------------------------------------------------------------

def test_labels_by_editor_and_drafts_restore_byte_identical(qtbot, tray: ReferenceTray,
                                                            tmp_path: Path) -> None:
    tray.add_paths([picture(tmp_path, "man.jpg", 0, (1600, 1200)),
                    picture(tmp_path, "street.png", 2)])
    qtbot.waitUntil(lambda: settled(tray), timeout=10000)
    view = tray.view
    view.select_row(0)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = view.findChild(QLineEdit)
    assert editor is not None and editor.isVisible()
    qtbot.keyClicks(editor, "the man in the red coat")
    with qtbot.waitSignal(tray.changed, timeout=1000):
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    tray.set_label(1, "  the   street ")
    assert [r.label for r in tray.references()] == ["the man in the red coat", "the street"]
    saved = tray.entries()
    data = [i.data for i in tray.items()]
    assert [e[1:] for e in saved] == [("man.jpg", "the man in the red coat"),
                                      ("street.png", "the street")]
    again = ReferenceTray(rules=SEVEN)
    qtbot.addWidget(again)
    again.restore([(d, name, label) for d, (_sha, name, label) in zip(data, saved, strict=True)])
    qtbot.waitUntil(lambda: settled(again), timeout=10000)
    assert again.entries() == saved  # same hashes: a draft reopens without re-encoding
    again.shutdown()


def test_add_dialog_is_non_modal_and_adds_the_chosen(qtbot, tray: ReferenceTray,
                                                     tmp_path: Path) -> None:
    chosen = picture(tmp_path, "chosen.png", 7)
    qtbot.mouseClick(tray.ui.add_button, Qt.MouseButton.LeftButton)
    dialog = tray.ui.dialog
    assert isinstance(dialog, QFileDialog) and dialog.isVisible()
    assert dialog.fileMode() == QFileDialog.FileMode.ExistingFiles
    dialog.setDirectory(str(tmp_path))
    dialog.selectFile(chosen.name)
    dialog.accept()
    qtbot.waitUntil(lambda: settled(tray), timeout=10000)
    assert [i.name for i in tray.items()] == ["chosen.png"]
    assert tray.ui.dialog is None


def test_ratio_problem_offers_crop_from_the_menu(qtbot, tray: ReferenceTray,
                                                 tmp_path: Path) -> None:
    tray.add_paths([picture(tmp_path, "banner.png", 3, (2000, 300))])
    qtbot.waitUntil(lambda: settled(tray), timeout=10000)
    item = tray.items()[0]
    assert item.state is ItemState.ERROR and item.offer is not None
    menu = menu_for(tray, 0)  # what a right-click pops up
    assert [a.text() for a in menu.actions()][:3] == [
        "Edit label…", "Crop to 4:1 (1200×300)", "Pad to 4:1 (2000×500)"]
    next(a for a in menu.actions() if a.text().startswith("Crop to")).trigger()
    menu.deleteLater()
    qtbot.waitUntil(lambda: settled(tray), timeout=10000)
    fixed = tray.items()[0]
    assert fixed.state is ItemState.READY and fixed.width / fixed.height <= 4.0
    assert any(f.startswith("cropped") for f in fixed.fixes)


def test_results_arrive_under_a_qasync_loop(qloop: qasync.QEventLoop, tray: ReferenceTray,
                                            tmp_path: Path) -> None:
    async def scenario() -> list[ItemState]:
        done = asyncio.get_running_loop().create_future()

        def check() -> None:
            if settled(tray) and not done.done():
                done.set_result(None)

        tray.changed.connect(check)
        tray.add_paths([picture(tmp_path, "q.png", 1), picture(tmp_path, "r.png", 2)])
        await asyncio.wait_for(done, 10)
        return states(tray)

    assert qloop.run_until_complete(scenario()) == [ItemState.READY] * 2


def test_screenshot_of_a_filled_tray(qtbot, tray: ReferenceTray, tmp_path: Path,
                                     server: tuple[str, Path, threading.Event]) -> None:
    base, root, gate = server
    picture(root, "slow.png", 4)
    photo = io.BytesIO()
    Image.open(io.BytesIO(make_image(3000, 2000, "JPEG", COLORS[1]))).save(photo, "JPEG")
    (tmp_path / "beach.jpg").write_bytes(photo.getvalue())
    tray.add_paths([picture(tmp_path, "man in red.jpg", 0, (1200, 1600)),
                    tmp_path / "beach.jpg", picture(tmp_path, "street.png", 2),
                    picture(tmp_path, "logo.png", 5, (90, 90))])
    tray.add_urls([f"{base}/slow/slow.png"])
    tray.set_label(0, "the man in the red coat")
    qtbot.waitUntil(lambda: tray.pending() == 1, timeout=15000)
    assert states(tray) == [ItemState.READY] * 3 + [ItemState.ERROR, ItemState.PREPARING]
    shoot(tray, tmp_path, "tray-filled.png")
    gate.set()
    qtbot.waitUntil(lambda: settled(tray), timeout=10000)
    assert states(tray)[-1] is ItemState.READY


@pytest.fixture(autouse=True)
def _no_stray_clipboard() -> Iterator[None]:
    yield
    app = QApplication.instance()
    if isinstance(app, QApplication):
        app.clipboard().clear()

