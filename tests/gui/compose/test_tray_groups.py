"""The tray's groups (a draft's cast members) as a user meets them, without a library: the
header before each group's cards, "Make a subject…" and what it refuses, moving and removing
a group, and the loose pictures still dragged and numbered as before."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt
from PySide6.QtWidgets import QWidget

from vidu_desktop.core.capabilities import ImageRules
from vidu_desktop.ui.compose.tray import view as tray_view
from vidu_desktop.ui.compose.tray.delegate import CARD
from vidu_desktop.ui.compose.tray.header import TILE_W
from vidu_desktop.ui.compose.tray.model import GroupRole, NumberRole
from vidu_desktop.ui.compose.tray.tray import ReferenceTray, TrayGroup

from .tray_support import drop, picture, remember_plugins, settled, shoot

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints"),
]

MIA = TrayGroup("m-1", "mia", "a girl of ten in a yellow raincoat", "voice-anna")
BIKE = TrayGroup("m-2", "red_bicycle", "her grandfather's old bicycle")


@pytest.fixture(autouse=True)
def _plugins(pytestconfig: pytest.Config) -> None:
    remember_plugins(pytestconfig)


@pytest.fixture
def tray(qtbot) -> Iterator[ReferenceTray]:  # type: ignore[no-untyped-def]
    widget = ReferenceTray(rules=ImageRules(min_count=1, max_count=7))
    qtbot.addWidget(widget)
    widget.resize(980, 520)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()


def five(qtbot, tray: ReferenceTray, folder: Path) -> list[int]:  # type: ignore[no-untyped-def]
    tray.add_paths([picture(folder, f"{c}.png", n) for n, c in enumerate("abcde")])
    qtbot.waitUntil(lambda: settled(tray), timeout=15_000)
    return [i.id for i in tray.items()]


def select(tray: ReferenceTray, ids: list[int]) -> None:
    from PySide6.QtCore import QItemSelectionModel

    selection = tray.view.selectionModel()
    selection.clearSelection()
    for item_id in ids:
        selection.select(tray.model.index(tray.model.row_of(item_id)),
                         QItemSelectionModel.SelectionFlag.Select)


def rows(tray: ReferenceTray) -> list[str]:
    """What the view shows, row by row: "[mia · 2 pictures]" for a header, else the name."""
    model = tray.model
    return [f"[{model.index(r).data()}]" if model.group_at(r) else model.item(r).name
            for r in range(model.rowCount())]


def test_groups_stand_first_each_under_its_header(qtbot, tray, tmp_path, shots) -> None:
    ids = five(qtbot, tray, tmp_path)
    select(tray, [ids[1], ids[3]])
    assert tray.ui.subject_button.isEnabled()
    requested: list[list[int]] = []
    tray.cast.subject_requested.connect(requested.append)
    qtbot.mouseClick(tray.ui.subject_button, Qt.MouseButton.LeftButton)
    assert requested == [[ids[1], ids[3]]]
    with qtbot.waitSignal(tray.cast.changed, timeout=1000):
        tray.cast.make_group(requested[0], MIA)
    tray.cast.make_group([ids[4]], BIKE)
    assert rows(tray) == ["[mia · 2 pictures]", "b.png", "d.png",
                          "[red_bicycle · 1 picture]", "e.png", "a.png", "c.png"]
    assert [i.name for i in tray.items()] == ["b.png", "d.png", "e.png", "a.png", "c.png"]
    assert [i.label for i in tray.loose_items()] == ["", ""]
    assert [i.name for i in tray.cast.pictures(MIA.key)] == ["b.png", "d.png"]
    # the cards are numbered in the order they are sent (cast first) ...
    model = tray.model
    assert [model.index(model.row_of(i)).data(NumberRole) for i in ids] == [4, 1, 5, 2, 3]
    # ... or, for a model with subjects, the loose ones among themselves (@image1, …)
    tray.cast.set_loose_numbers(True)
    assert [model.index(model.row_of(i)).data(NumberRole) for i in ids] == [1, 1, 2, 2, 1]
    header = model.index(0)
    assert header.data(Qt.ItemDataRole.AccessibleTextRole) == "Cast member mia · 2 pictures"
    assert "@mia" in header.data(Qt.ItemDataRole.ToolTipRole)
    # the header is a tile as tall as a card, the band behind it holds the group's cards
    assert tray.view.visualRect(header).size().toTuple() == (TILE_W, CARD.height())
    bands = tray.view.group_bands(MIA.key)
    assert len(bands) == 1 and bands[0].contains(
        tray.view.visualRect(model.index(model.row_of(ids[3]))))
    shoot(tray, shots, "tray-groups.png")


def test_make_a_subject_says_what_to_select(qtbot, tray, tmp_path) -> None:
    ids = five(qtbot, tray, tmp_path)
    requested: list[list[int]] = []
    tray.cast.subject_requested.connect(requested.append)
    assert not tray.ui.subject_button.isEnabled()  # nothing selected
    assert not tray.cast.make_subject()
    assert "Select 1 to 3 pictures" in tray.ui.message_text()
    select(tray, ids[:4])
    assert not tray.cast.make_subject()
    assert ("4 pictures are selected; a cast member has 1 to 3. Select at most 3 of them."
            in tray.ui.message_text())
    tray.cast.make_group(ids[:2], MIA)
    select(tray, ids[:2])  # a cast member's pictures cannot make another
    assert not tray.ui.subject_button.isEnabled()
    assert not tray.cast.make_subject()
    assert "that no cast member has yet" in tray.ui.message_text()
    assert requested == []


def test_a_group_moves_by_its_header_and_leaves_the_draft_whole(qtbot, tray, tmp_path):
    ids = five(qtbot, tray, tmp_path)
    tray.cast.make_group(ids[:2], MIA)
    tray.cast.make_group([ids[2]], BIKE)
    changed: list[bool] = []
    tray.cast.changed.connect(lambda: changed.append(True))
    tray.view.select_row(3)  # red_bicycle's header
    tray.view.setFocus()
    qtbot.keyClick(tray.view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert [g.name for g in tray.cast.groups()] == ["red_bicycle", "mia"]
    assert [i.name for i in tray.items()] == ["c.png", "a.png", "b.png", "d.png", "e.png"]
    assert tray.view.selected_groups() == [BIKE.key]  # the selection moved with it
    assert changed
    # a cast member's own picture stays: Delete on it says how to change it
    select(tray, [ids[0]])
    qtbot.keyClick(tray.view, Qt.Key.Key_Delete)
    assert len(tray.items()) == 5
    assert "cast member's" in tray.ui.message_text()
    assert tray.model.setData(tray.model.index(tray.model.row_of(ids[0])), "x") is False
    # Delete on its header takes the whole member out of the draft
    tray.view.select_row(2)
    assert tray.view.selected_groups() == [MIA.key]
    with qtbot.waitSignal(tray.message, timeout=1000) as said:
        qtbot.keyClick(tray.view, Qt.Key.Key_Delete)
    assert said.args == ["mia is out of this draft; the cast library keeps it."]
    assert [g.name for g in tray.cast.groups()] == ["red_bicycle"]
    assert [i.name for i in tray.items()] == ["c.png", "d.png", "e.png"]
    # and the header's ✕ does the same
    header = tray.view.visualRect(tray.model.index(0))
    qtbot.mouseMove(tray.view.viewport(), header.center())
    from vidu_desktop.ui.compose.tray.header import close_rect
    qtbot.mouseClick(tray.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=close_rect(header).center())
    assert tray.cast.groups() == []
    assert [i.name for i in tray.items()] == ["d.png", "e.png"]
    assert [tray.model.index(r).data(GroupRole) for r in range(2)] == [None] * 2


def test_loose_pictures_are_still_dragged_among_themselves(qtbot, tray, tmp_path,
                                                           monkeypatch) -> None:
    ids = five(qtbot, tray, tmp_path)
    tray.cast.make_group(ids[:2], MIA)
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
    model, view = tray.model, tray.view
    select(tray, [ids[4]])  # e.png, the last loose one
    view.startDrag(Qt.DropAction.MoveAction)
    first_loose = view.visualRect(model.index(model.row_of(ids[2])))
    with qtbot.waitSignal(tray.changed, timeout=1000):
        assert drop(view.viewport(), started[-1], QPoint(first_loose.left() + 10,
                                                         first_loose.center().y()))
    assert [i.name for i in tray.loose_items()] == ["e.png", "c.png", "d.png"]
    # dropped among the cast member's cards, it stays with the loose ones
    select(tray, [ids[3]])
    view.startDrag(Qt.DropAction.MoveAction)
    inside = view.visualRect(model.index(model.row_of(ids[1])))
    drop(view.viewport(), started[-1], QPoint(inside.left() + 5, inside.center().y()))
    assert [i.name for i in tray.cast.pictures(MIA.key)] == ["a.png", "b.png"]
    assert [i.name for i in tray.loose_items()] == ["d.png", "e.png", "c.png"]
    # a cast member's card is not dragged on its own; its header drags the group
    select(tray, [ids[0]])
    count = len(started)
    view.startDrag(Qt.DropAction.MoveAction)
    assert len(started) == count


def test_restore_brings_back_groups_and_loose_pictures(qtbot, tray, tmp_path) -> None:
    five(qtbot, tray, tmp_path)
    data = [(i.data, i.name, i.label) for i in tray.items()]
    with qtbot.waitSignal(tray.cast.changed, timeout=1000):
        tray.restore(data[3:], groups=[(BIKE, data[2:3]), (MIA, data[:2])])
    qtbot.waitUntil(lambda: settled(tray), timeout=15_000)
    assert rows(tray) == ["[red_bicycle · 1 picture]", "c.png", "[mia · 2 pictures]",
                          "a.png", "b.png", "d.png", "e.png"]
    assert [r.sha256 for r in tray.references()] == [
        tray.items()[n].sha256 for n in range(5)]
    assert len(tray.loose_references()) == 2
    assert not tray.cast.add_group(MIA, data[:1])
    assert "mia is already in this draft." in tray.ui.message_text()
    renamed = TrayGroup(MIA.member_id, "mia_rose", MIA.description)
    tray.cast.update_group(MIA.key, renamed)
    assert rows(tray)[2] == "[mia_rose · 2 pictures]"
    tray.cast.replace_pictures(renamed.key, data[4:5])
    qtbot.waitUntil(lambda: settled(tray), timeout=15_000)
    assert rows(tray)[2:4] == ["[mia_rose · 1 picture]", "e.png"]
    assert [g.name for g in tray.cast.groups()] == ["red_bicycle", "mia_rose"]
