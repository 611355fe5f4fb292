"""The cast in the real window (real engine, real SQLite, real pictures): making a subject
from the tray, the cast panel (add to the draft, rename, delete with what uses it shown
first), drafts that keep their cast, the requests Generate sends with cast members (a Q1
model: the pictures in order, the cast member's first; a model with subjects: ``subjects``)
and "Reuse settings" of a task made with a cast member."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt

from vidu_desktop.core.mentions import sent_references
from vidu_desktop.core.states import TaskState
from vidu_desktop.store import (
    CastMember,
    Draft,
    DraftReference,
    DraftStore,
    ReferenceMeta,
    open_database,
)
from vidu_desktop.ui.compose.cast.area import BELOW_KEEPS
from vidu_desktop.ui.compose.tray.model import BadgeRole, NumberRole

from ..conftest import write_images

SENT = {TaskState.QUEUED, TaskState.PROCESSING, TaskState.DOWNLOADING, TaskState.SUCCEEDED}


def select(tray: Any, ids: list[int]) -> None:
    selection = tray.view.selectionModel()
    selection.clearSelection()
    for item_id in ids:
        selection.select(tray.model.index(tray.model.row_of(item_id)),
                         QItemSelectionModel.SelectionFlag.Select)


def rows(tray: Any) -> list[str]:
    """The tray row by row: "[mia · 2 pictures]" for a header, else the picture's name."""
    model = tray.model
    return [f"[{model.index(r).data()}]" if model.group_at(r) else model.item(r).name
            for r in range(model.rowCount())]


def member(engine: Any, folder: Path, name: str, count: int) -> CastMember:
    """A cast member of ``count`` real pictures, made through the engine's verbs."""
    pictures = []
    for path in write_images(folder / name, count, size=(480, 640)):
        sha = engine.keep_reference(path.read_bytes(), ReferenceMeta("png", 480, 640,
                                                                     path.name))
        pictures.append(DraftReference(sha, "", path.name))
    made: CastMember = engine.add_cast_member(name, pictures, description=f"{name} in red")
    return made


def ready(window: Any, qtbot: Any) -> None:
    qtbot.waitUntil(lambda: window.tray.items() and window.tray.is_ready(), timeout=15_000)


def test_making_a_subject_from_the_tray(windows, qtbot, tmp_path):
    window = windows()
    tray, area = window.tray, window.cast_area
    tray.add_paths(write_images(tmp_path / "refs", 3))
    ready(window, qtbot)
    items = tray.items()
    select(tray, [items[0].id, items[1].id])
    qtbot.mouseClick(tray.ui.subject_button, Qt.MouseButton.LeftButton)
    dialog = area.controller.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.picture_keys() == (f"tray:{items[0].id}", f"tray:{items[1].id}")
    assert not dialog.ok.isEnabled()  # no name yet
    qtbot.keyClicks(dialog.name, "mia lee")  # checked as it is typed
    assert "no spaces" in dialog.problem.text() and dialog.problem.isVisible()
    assert not dialog.ok.isEnabled()
    dialog.name.clear()
    qtbot.keyClicks(dialog.name, "mia")
    assert not dialog.problem.isVisible() and dialog.ok.isEnabled()
    qtbot.keyClicks(dialog.description, "a girl of ten in a yellow raincoat")
    qtbot.keyClicks(dialog.voice, "voice-anna")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())

    # the tray shows the group with its name, the library has it, the panel lists it
    assert rows(tray) == ["[mia · 2 pictures]", "ref 1.png", "ref 2.png", "ref 3.png"]
    # the tray grew to show its rows, taken from the prompt below as far as it could spare
    qtbot.waitUntil(lambda: window.v_split.sizes()[0] >= min(
        area.needed_height(), sum(window.v_split.sizes()) - BELOW_KEEPS) > 330)
    engine = window.session.engine
    [mia] = engine.cast_members()
    assert (mia.name, mia.description, mia.voice_id) == (
        "mia", "a girl of ten in a yellow raincoat", "voice-anna")
    assert mia.hashes == (items[0].sha256, items[1].sha256)
    [listed] = area.panel.model.rows
    assert (listed.name, listed.pictures, listed.in_draft) == ("mia", 2, True)
    assert not area.panel.add_button.isEnabled()  # it is in this draft already
    # a second "MIA" is refused as it is typed: names are one whatever their case
    select(tray, [items[2].id])
    assert tray.cast.make_subject()
    second = area.controller.dialog
    qtbot.keyClicks(second.name, "MIA")
    assert "already" in second.problem.text() and not second.ok.isEnabled()
    second.reject()

    # a saved draft keeps the member by id and the loose picture by hash, and restores them
    window.drafts.save_now()
    draft = window.session.drafts.get(window.drafts.current_id)
    assert draft.cast == (mia.id,)
    assert [r.sha256 for r in draft.references] == [items[2].sha256]
    windows.close(window)
    again = windows()
    ready(again, qtbot)
    assert rows(again.tray) == ["[mia · 2 pictures]", "ref 1.png", "ref 2.png", "ref 3.png"]
    group = again.tray.cast.groups()[0]
    assert (group.member_id, group.voice_id) == (mia.id, "voice-anna")
    assert [i.sha256 for i in again.tray.cast.pictures(group.key)] == list(mia.hashes)
    # taking it out of the draft leaves it in the library
    again.tray.cast.remove_group(group.key)
    assert rows(again.tray) == ["ref 3.png"]
    assert [m.name for m in again.session.engine.cast_members()] == ["mia"]
    assert again.cast_area.panel.add_button.isEnabled()


def test_renaming_and_deleting_say_what_uses_a_member(windows, qtbot, tmp_path, emulator):
    window = windows(sandbox=True, sandbox_url=emulator.url)
    engine = window.session.engine
    mia = member(engine, tmp_path, "mia", 2)
    area, tray = window.cast_area, window.tray
    panel, controller = area.panel, area.controller
    controller.refresh()
    assert panel.select(mia.id)
    cell = panel.list.visualRect(panel.model.index(0))
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=cell.center())
    qtbot.mouseDClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=cell.center())
    assert [g.name for g in tray.cast.groups()] == ["mia"]  # a double click adds it
    ready(window, qtbot)
    window.editor.set_text("@mia walks into the sea at dusk")
    qtbot.waitUntil(window.generate_bar.button.isEnabled, timeout=10_000)
    assert window.generate()
    qtbot.waitUntil(lambda: engine.tasks.count() == 1
                    and engine.tasks.list_tasks()[0].state in SENT, timeout=15_000)
    first = window.drafts.current_name
    first_id = window.drafts.current_id
    window.drafts.new()  # a second draft with mia, added with Enter
    second = window.drafts.current_name
    panel.list.setFocus()
    qtbot.keyClick(panel.list, Qt.Key.Key_Return)
    assert [g.name for g in tray.cast.groups()] == ["mia"]
    window.drafts.switch(first_id)
    ready(window, qtbot)

    # F2 renames: the tray's header, the prompt's mention and the library follow
    qtbot.keyClick(panel.list, Qt.Key.Key_F2)
    dialog = controller.dialog
    assert dialog is not None and dialog.name.text() == "mia"
    assert not dialog.description.isVisible()  # a rename asks for the name only
    dialog.name.selectAll()
    qtbot.keyClicks(dialog.name, "maya")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert rows(tray)[0] == "[maya · 2 pictures]"
    assert window.editor.text() == "@maya walks into the sea at dusk"
    assert engine.cast_member(mia.id).name == "maya"
    assert panel.model.rows[0].name == "maya"

    # Delete asks first, saying which drafts and how many tasks use it
    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    box = controller.confirm
    assert box is not None and box.isVisible()
    assert box.text() == "Delete maya from the cast library?"
    info = box.informativeText()
    drafts = sorted([f"“{first}”", f"“{second}”"])
    assert info.startswith("Used by 2 drafts (") and " and 1 task. " in info
    assert sorted(info.partition("(")[2].partition(")")[0].split(", ")) == drafts
    assert info.endswith("After deleting, the drafts no longer have maya (a mention of @maya "
                         "in their prompts shows as naming no one); the tasks keep what was "
                         "sent.")
    assert engine.cast_members()  # nothing deleted yet
    delete = next(b for b in box.buttons() if b.objectName() == "confirm-delete")
    qtbot.mouseClick(delete, Qt.MouseButton.LeftButton)
    assert engine.cast_members() == []
    assert tray.cast.groups() == [] and panel.model.rows == []
    assert engine.tasks.count() == 1  # the task keeps what was sent

    # "Reuse settings" of that task: its subject comes back as a group to keep again
    rec = engine.tasks.list_tasks()[0]
    notes = window.composer.reuse(rec)
    assert any("mia is no longer in the cast" in n for n in notes)
    ready(window, qtbot)
    [group] = tray.cast.groups()
    assert (group.name, group.in_cast) == ("mia", False)
    assert [i.sha256 for i in tray.cast.pictures(group.key)] == list(mia.hashes)
    [subject] = window.composer.subjects()
    assert subject.name == "mia" and [i.sha256 for i in subject.images] == list(mia.hashes)


def test_reuse_settings_restores_cast_members_still_in_the_library(windows, qtbot, tmp_path,
                                                                 emulator):
    window = windows(sandbox=True, sandbox_url=emulator.url)
    engine = window.session.engine
    mia = member(engine, tmp_path, "mia", 2)
    window.cast_area.controller.add_to_draft(mia.id)
    window.tray.add_paths(write_images(tmp_path / "loose", 1))
    ready(window, qtbot)
    window.editor.set_text("@mia feeds the birds")
    qtbot.waitUntil(window.generate_bar.button.isEnabled, timeout=10_000)
    assert window.generate()
    qtbot.waitUntil(lambda: engine.tasks.count() == 1, timeout=15_000)
    rec = engine.tasks.list_tasks()[0]
    window.drafts.new()
    assert window.tray.items() == []
    assert window.composer.reuse(rec) == []
    ready(window, qtbot)
    assert rows(window.tray) == ["[mia · 2 pictures]", "ref 1.png", "ref 2.png", "image 1"]
    assert [g.member_id for g in window.tray.cast.groups()] == [mia.id]
    [subject] = window.composer.subjects()
    assert subject == engine.subject_of(mia)
    assert window.editor.text() == "@mia feeds the birds"


def test_the_request_of_a_q1_draft_puts_the_members_pictures_first(windows, qtbot, tmp_path,
                                                                  emulator):
    window = windows(sandbox=True, sandbox_url=emulator.url)
    engine = window.session.engine
    mia = member(engine, tmp_path, "mia", 2)
    leo = member(engine, tmp_path, "leo", 1)
    controller = window.cast_area.controller
    assert controller.add_to_draft(leo.id) and controller.add_to_draft(mia.id)
    window.tray.add_paths(write_images(tmp_path / "loose", 1))
    ready(window, qtbot)
    window.tray.cast.model.shift_groups([mia.id], -1)  # mia first, by its header
    window.editor.set_text("@mia gives @leo a kite")
    assert window.panel.choices().model == "viduq1"
    [request] = window.composer.requests()
    assert request.subjects == (engine.subject_of(mia), engine.subject_of(leo))
    loose = window.tray.loose_items()[0].sha256
    assert [i.sha256 for i in request.images] == [loose]
    assert [i.sha256 for i in request.all_images] == [*mia.hashes, *leo.hashes, loose]
    assert window.composer.reasons() == []
    # Q1 reads pictures in order: the cast members' first, the mentions put into words
    sent = sent_references(request)
    assert sent.form == "images"
    assert [i.sha256 for i in sent.images] == [*mia.hashes, *leo.hashes, loose]
    assert sent.prompt == "mia (images 1-2) gives leo (image 3) a kite"
    # the cards are numbered as Q1 reads them
    model = window.tray.model
    assert [model.index(r).data(NumberRole) for r in range(model.rowCount())
            if model.item_at(r)] == [1, 2, 3, 4]
    # a mention of no one in the draft keeps Generate off, with validation's message
    window.editor.set_text("@mia gives @tom a kite")
    reasons = window.composer.reasons()
    assert any("@tom" in r for r in reasons), reasons


def test_the_request_of_a_subjects_model_carries_subjects(windows, qtbot, tmp_path, emulator):
    window = windows(sandbox=True, sandbox_url=emulator.url)
    engine = window.session.engine
    mia = member(engine, tmp_path, "mia", 2)
    window.cast_area.controller.add_to_draft(mia.id)
    window.tray.add_paths(write_images(tmp_path / "loose", 2))
    ready(window, qtbot)
    panel = window.panel
    panel.model.setCurrentIndex(panel.model.findData("viduq2"))
    assert panel.choices().model == "viduq2"
    window.editor.set_text("@mia rides past @image2")
    [request] = window.composer.requests()
    assert request.subjects == (engine.subject_of(mia),)
    assert len(request.images) == 2
    sent = sent_references(request)
    assert sent.form == "subjects"
    assert [s.name for s in sent.subjects] == ["mia", "image1", "image2"]
    assert [i.sha256 for i in sent.subjects[0].images] == list(mia.hashes)
    assert sent.mentioned == ("mia", "image2")
    assert window.composer.reasons() == []
    assert window.generate()  # the emulator takes the subjects form of viduq2
    qtbot.waitUntil(lambda: engine.tasks.count() == 1
                    and engine.tasks.list_tasks()[0].state in SENT, timeout=15_000)
    assert [s.name for s in engine.tasks.list_tasks()[0].request.subjects] == ["mia"]
    # the loose cards are numbered among themselves, as the prompt names them (@image1, …)
    model = window.tray.model
    loose = [model.index(model.row_of(i.id)).data(NumberRole)
             for i in window.tray.loose_items()]
    assert loose == [1, 2]
    assert [model.index(model.row_of(i.id)).data(BadgeRole)
            for i in window.tray.loose_items()] == ["@image1", "@image2"]
    # a draft on this model keeps the cast too
    window.drafts.save_now()
    draft = window.session.drafts.get(window.drafts.current_id)
    assert (draft.model, draft.cast, len(draft.references)) == ("viduq2", (mia.id,), 2)


def test_editing_a_member_changes_the_library_and_the_tray(windows, qtbot, tmp_path):
    window = windows()
    engine = window.session.engine
    mia = member(engine, tmp_path, "mia", 2)
    area, tray = window.cast_area, window.tray
    area.controller.refresh()
    assert area.controller.add_to_draft(mia.id)
    tray.add_paths(write_images(tmp_path / "loose", 2, size=(640, 360)))
    ready(window, qtbot)
    new = tray.loose_items()[1]
    select(tray, [new.id])
    assert area.panel.select(mia.id)
    qtbot.mouseClick(area.panel.edit_button, Qt.MouseButton.LeftButton)
    dialog = area.controller.dialog
    assert dialog is not None and dialog.picture_keys() == mia.hashes
    from vidu_desktop.ui.common.accessibility import unnamed
    assert unnamed(dialog) == []
    dialog.description.selectAll()
    qtbot.keyClicks(dialog.description, "a girl in a green raincoat")
    dialog.voice.setText("voice two")  # a voice id is one word: the library refuses it
    add, remove = dialog.picture_tools[3], dialog.picture_tools[2]
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)  # the tray's selection
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)  # twice: nothing new to add
    assert "Select loose pictures in the tray first" in dialog.problem.text()
    assert dialog.picture_keys() == (*mia.hashes, f"tray:{new.id}")
    select(tray, [i.id for i in tray.loose_items()])
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)  # four: one too many
    assert dialog.problem.text() == "4 pictures; a cast member has 1 to 3 pictures. Remove 1."
    assert not dialog.ok.isEnabled()
    dialog.pictures.setCurrentRow(3)
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    dialog.pictures.setCurrentRow(0)
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)  # mia's first picture goes
    assert dialog.ok.isEnabled()
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert "voice id" in dialog.problem.text() and dialog.isVisible()  # stays open, says why
    dialog.voice.setText("voice-two")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    edited = engine.cast_member(mia.id)
    assert (edited.description, edited.voice_id) == ("a girl in a green raincoat", "voice-two")
    assert edited.hashes == (mia.hashes[1], new.sha256)
    ready(window, qtbot)
    group = tray.cast.groups()[0]
    assert group.description == "a girl in a green raincoat"
    assert [i.sha256 for i in tray.cast.pictures(group.key)] == list(edited.hashes)
    assert rows(window.tray)[0] == "[mia · 2 pictures]"


def test_the_cast_panel_is_named_and_keyboard_operable(windows, qtbot, tmp_path):
    from vidu_desktop.ui.common.accessibility import focus_chain, unnamed

    window = windows()
    engine = window.session.engine
    long = "W" * 19 + "_wide_name_32"  # 32 characters, the longest a name may be
    member(engine, tmp_path, long, 1)
    member(engine, tmp_path, "leo", 1)
    area = window.cast_area
    area.controller.refresh()
    panel = area.panel
    assert unnamed(panel) == []
    chain = list(focus_chain(window))
    assert chain.index(window.tray.view) < chain.index(panel.list) < chain.index(
        window.editor.text_edit)
    panel.list.setFocus()
    qtbot.keyClick(panel.list, Qt.Key.Key_Down)
    qtbot.keyClick(panel.list, Qt.Key.Key_Return)
    names = [g.name for g in window.tray.cast.groups()]
    assert len(names) == 1 and panel.current().in_draft
    assert panel.add_button.text() == "In this draft" and not panel.add_button.isEnabled()
    row = panel.model.index(panel.model.rows.index(panel.current()))
    assert row.data(Qt.ItemDataRole.AccessibleTextRole).startswith(names[0] + ", 1 picture")
    assert names == [long]
    ready(window, qtbot)
    assert panel.list.horizontalScrollBar().maximum() == 0  # elided, never scrolled
    qtbot.keyClick(panel.list, Qt.Key.Key_Delete)  # Delete asks first
    assert area.controller.confirm is not None and area.controller.confirm.isVisible()
    area.controller.confirm.reject()


def test_a_cast_restored_at_start_is_given_the_height_it_needs(windows, qtbot, tmp_path):
    """The draft that opens at start has a cast: its groups are fitted once the window shows
    (not only when the cast changes on screen)."""
    window = windows()
    mia = member(window.session.engine, tmp_path, "mia", 2)
    leo = member(window.session.engine, tmp_path, "leo", 1)
    windows.close(window)
    conn = open_database(windows.profile / "library.sqlite3")
    try:  # a draft made elsewhere (the CLI, another session), the last one opened
        drafts = DraftStore(conn)
        draft = drafts.save(Draft.new("Harbour", cast=(mia.id, leo.id)))
        drafts.mark_opened(draft.id)
    finally:
        conn.close()
    again = windows()
    ready(again, qtbot)
    assert rows(again.tray) == ["[mia · 2 pictures]", "ref 1.png", "ref 2.png",
                                "[leo · 1 picture]", "ref 1.png"]
    split = again.v_split
    qtbot.waitUntil(lambda: split.sizes()[0] >= min(
        again.cast_area.needed_height(), sum(split.sizes()) - BELOW_KEEPS) > 330)
