"""@mentions in the prompt: ``@`` completes the draft's cast, a mention of no one is marked and
explained, the counter counts the prompt as the host receives it (on viduq1 the mentions become
words), and the line under the editor says which picture numbers each name became."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QHelpEvent, QTextCharFormat
from PySide6.QtWidgets import QApplication, QToolTip

from vidu_desktop.core.request import GenerationRequest, ReferenceImage, Subject
from vidu_desktop.ui.common import theme
from vidu_desktop.ui.compose.prompt_mentions import typed_offset

MIA_BOB = "@mia meets @bob by the car"


@pytest.fixture
def qt_warnings(qt_warnings):
    """The completer's popup asks for the keyboard; offscreen has no window manager to give
    it (informational on that platform, like the other offscreen messages)."""
    yield qt_warnings
    qt_warnings[:] = [m for m in qt_warnings
                      if "This plugin does not support grabbing the keyboard" not in m]


@dataclass
class Draft:
    """The draft's cast and loose pictures, as the composer hands them to the editor."""

    cast: dict[str, int] = field(default_factory=dict)  # name -> pictures
    loose: int = 0

    def subjects(self) -> tuple[Subject, ...]:
        return tuple(Subject(name, tuple(ReferenceImage(f"data:,{name}-{i}")
                                         for i in range(count)))
                     for name, count in self.cast.items())

    def images(self) -> tuple[ReferenceImage, ...]:
        return tuple(ReferenceImage(f"data:,loose-{i}", label=f"loose {i + 1}")
                     for i in range(self.loose))


def wire(window, draft: Draft) -> list[str]:
    """What the composer does: the request Generate would send, and the cast's names.
    Returns the prompts the editor asked for requests with."""
    panel, editor = window.panel, window.editor
    asked: list[str] = []

    def request(text: str) -> GenerationRequest:
        asked.append(text)
        return panel.choices().requests(text, draft.images(), subjects=draft.subjects())[0]

    editor.set_request_source(request)
    editor.set_cast(list(draft.cast), draft.loose)
    return asked


def formats(editor, block: int = 0) -> list[tuple[int, int, QTextCharFormat]]:
    layout = editor.text_edit.document().findBlockByNumber(block).layout()
    return [(r.start, r.length, QTextCharFormat(r.format)) for r in layout.formats()]


def wavy(editor) -> list[tuple[int, int]]:
    return [(start, length) for start, length, fmt in formats(editor)
            if fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline]


def test_at_completes_the_cast_of_the_draft(windows, qtbot):
    window = windows()
    wire(window, Draft({"mia": 2, "red_car": 1, "marco": 1}))
    editor = window.editor
    completer = editor.completer
    popup = completer.popup
    qtbot.keyClicks(editor.text_edit, "A shot of @")
    qtbot.waitUntil(popup.isVisible)
    assert completer.offered() == ["mia", "red_car", "marco"]  # the cast's order
    qtbot.keyClicks(editor.text_edit, "m")
    assert completer.offered() == ["mia", "marco"]
    qtbot.keyClicks(editor.text_edit, "I")  # any case
    assert completer.offered() == ["mia"]
    # Enter reaches the open popup first, as a real key press does
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert editor.text() == "A shot of @mia "
    assert not popup.isVisible()
    # Tab completes too (instead of moving the focus on), and a space that follows is kept
    editor.set_text("@ drives", undoable=False)
    cursor = editor.text_edit.textCursor()
    cursor.setPosition(1)
    editor.text_edit.setTextCursor(cursor)
    editor.text_edit.setFocus()
    qtbot.keyClicks(editor.text_edit, "re")
    qtbot.waitUntil(popup.isVisible)
    assert completer.offered() == ["red_car"]
    qtbot.keyClick(editor.text_edit, Qt.Key.Key_Tab)
    assert editor.text() == "@red_car drives"
    assert editor.text_edit.hasFocus()
    assert editor.text_edit.textCursor().position() == len("@red_car ")
    # Escape closes it and leaves the text; a name no one has closes it too
    cursor.setPosition(len(editor.text()))
    editor.text_edit.setTextCursor(cursor)
    qtbot.keyClicks(editor.text_edit, " with @")
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(editor.text_edit, Qt.Key.Key_Escape)
    assert not popup.isVisible()
    assert editor.text() == "@red_car drives with @"
    qtbot.keyClicks(editor.text_edit, "z")
    assert not popup.isVisible()
    # an e-mail address is no mention
    qtbot.keyClicks(editor.text_edit, " mail me@")
    assert not popup.isVisible()


def test_a_mention_of_no_one_is_marked_and_says_who_the_cast_is(windows, qtbot):
    window = windows()
    draft = Draft({"mia": 2, "red_car": 1})
    wire(window, draft)
    editor = window.editor
    editor.set_text(MIA_BOB)
    assert editor.unknown_spans() == [(11, 15)]
    assert wavy(editor) == [(11, 4)]  # exactly "@bob"
    (_, _, bob), = [f for f in formats(editor) if f[0] == 11]
    assert bob.underlineColor() == QColor(theme.colors().warning_fg)
    known = [f for f in formats(editor) if f[0] == 0]
    assert known and known[0][1] == 4 and known[0][2].underlineStyle() == \
        QTextCharFormat.UnderlineStyle.NoUnderline
    message = ("@bob names no one in this draft; the draft's cast: mia, red_car; its pictures "
               "by number: @1 to @3. Correct the name, or add a cast member named bob to the "
               "draft.")
    warning = editor.mentions.warning
    qtbot.waitUntil(warning.isVisible)
    assert warning.text() == message
    # the tooltip over the mention says the same
    assert editor.tooltip_at(13) == message
    viewport = editor.text_edit.viewport()
    rect = editor.text_edit.cursorRect(_cursor_at(editor, 13))
    point = rect.center()
    QApplication.sendEvent(viewport, QHelpEvent(QHelpEvent.Type.ToolTip, point,
                                                viewport.mapToGlobal(point)))
    qtbot.waitUntil(lambda: QToolTip.text() == message)
    QToolTip.hideText()
    assert "sent to viduq1 as \"mia (images 1-2)\"" in editor.tooltip_at(2)
    # on viduq1 a picture's number is a mention too, as the hosts' examples write it
    editor.set_text("@mia and @2 and @3 and @4")
    assert wavy(editor) == [(23, 2)]  # there are 3 pictures
    assert editor.tooltip_at(10) == "@2: picture 2 (one of mia's), sent to viduq1 as written."
    editor.set_text(MIA_BOB)
    # once bob is in the cast, nothing is marked
    draft.cast["bob"] = 1
    wire(window, draft)
    assert wavy(editor) == []
    assert not warning.isVisible()
    # a mention being typed is not marked until the cursor leaves it: "@mi" may become "@mia"
    editor.set_text("", undoable=False)
    editor.text_edit.setFocus()
    qtbot.keyClicks(editor.text_edit, "@mi")
    assert wavy(editor) == [] and editor.unknown_spans() == []
    with qtbot.waitSignal(editor.assist.timer.timeout):
        pass
    assert not warning.isVisible()
    qtbot.keyClicks(editor.text_edit, " ")
    assert wavy(editor) == [(0, 3)]
    qtbot.waitUntil(lambda: warning.text().startswith("@mi names no one"))
    # ... but a name no one has is marked at once
    qtbot.keyClicks(editor.text_edit, "@x")
    assert wavy(editor) == [(0, 3), (4, 2)]
    # several at once, and a draft without a cast
    draft.cast.clear()
    wire(window, draft)
    editor.set_text("@mia and @bob")
    qtbot.waitUntil(lambda: warning.text().startswith("@mia and @bob name no one"))
    assert "the draft has no cast members yet" in warning.text()


def _cursor_at(editor, position: int):
    cursor = editor.text_edit.textCursor()
    cursor.setPosition(position)
    return cursor


def test_on_viduq1_the_counter_counts_the_mentions_as_words(windows, qtbot):
    window = windows()
    asked = wire(window, Draft({"mia": 2, "red_car": 1}))
    editor = window.editor
    asked.clear()
    qtbot.keyClicks(editor.text_edit, "@mia waves at @red_car")
    sent = "mia (images 1-2) waves at red car (image 3)"
    assert editor.counter.text() == f"{len(sent)} / 1500"
    assert asked == []  # a keystroke puts the text into the request; the composer is not asked
    assert len(editor.text()) == 22 < len(sent)
    assert "as sent" in editor.counter.toolTip()
    # the limit applies to the prompt as sent: the mention that crosses it is highlighted
    # from its @
    editor.set_text("x" * 1480 + " @mia")
    assert editor.counter.text() == "1497 / 1500"
    assert editor.highlighted_range() is None
    editor.set_text("x" * 1490 + " @mia")
    assert editor.counter.text() == "1507 / 1500"
    assert editor.highlighted_range() == (1491, 1495)
    assert "7 characters over the limit of 1500 for Vidu viduq1 as sent" \
        in editor.over_note.text()


def test_the_line_under_the_editor_says_which_numbers_each_name_became(windows, qtbot):
    window = windows()
    draft = Draft({"mia": 2, "red_car": 1}, loose=1)
    wire(window, draft)
    line = window.editor.mentions.form
    assert line.isVisible()
    assert line.text() == ("viduq1 gets pictures in order: @mia → images 1-2 · @red_car → "
                           "image 3 · loose picture → image 4")
    assert "pictures in order" in line.toolTip()
    # the cast changes: the numbers follow
    draft.cast = {"red_car": 1, "mia": 2}
    draft.loose = 2
    wire(window, draft)
    assert line.text().endswith(
        ": @red_car → image 1 · @mia → images 2-3 · loose pictures → images 4-5")
    # "image N" offers the pictures by their numbers, each cast member's named
    window.editor._fill_images()
    texts = [a.text() for a in window.editor.image_menu.actions()]
    assert texts[:3] == ["image 1 — red_car", "image 2 — mia", "image 3 — mia"]
    assert texts[3] == "image 4 — loose 1"
    # no cast: nothing to say
    wire(window, Draft(loose=2))
    assert not window.editor.mentions.isVisible()


def test_the_over_limit_part_starts_where_the_prompt_as_sent_passes_the_limit():
    cast = (Subject("mia", (ReferenceImage("a"), ReferenceImage("b"))),)

    def request(prompt: str) -> GenerationRequest:
        return GenerationRequest("vidu", "viduq1", prompt, (), subjects=cast)

    # "mia (images 1-2)" is 16 characters for the 4 of "@mia"
    assert typed_offset(request("ab @mia cd"), 100) == 10
    assert typed_offset(request("ab @mia cd"), 2) == 2
    assert typed_offset(request("ab @mia cd"), 10) == 3  # inside the words: from the @
    assert typed_offset(request("ab @mia cd"), 19) == 7  # just after them
    assert typed_offset(request("ab @mia cd"), 20) == 8
    assert typed_offset(request("@bob @mia"), 6) == 5  # an unknown mention stays as written


def test_on_a_subjects_model_the_mentions_go_as_subjects(windows, qtbot):
    window = windows()
    panel, editor = window.panel, window.editor
    panel.model.setCurrentIndex(panel.model.findData("viduq2"))
    wire(window, Draft({"mia": 2, "red_car": 1}, loose=2))
    line = editor.mentions.form
    assert line.text() == ("Mentions are sent to viduq2 as subjects: @mia, @red_car · loose "
                           "pictures: @image1, @image2")
    assert "named subjects" in line.toolTip()
    # the picture menu mentions them too
    assert editor.image_button.text() == "Mention"
    editor._fill_images()
    assert [a.text() for a in editor.image_menu.actions()] == [
        "@mia", "@red_car", "@image1 — loose 1", "@image2 — loose 2"]
    # the loose pictures are names too: completed, and not marked
    qtbot.keyClicks(editor.text_edit, "@mia holds @im")
    qtbot.waitUntil(editor.completer.popup.isVisible)
    assert editor.completer.offered() == ["image1", "image2"]
    qtbot.keyClick(editor.text_edit, Qt.Key.Key_Return)
    assert editor.text() == "@mia holds @image1 "
    assert wavy(editor) == []
    # the prompt goes as written: the counter counts it, against viduq2's limit
    assert editor.counter.text() == f"{len(editor.text())} / 2000"
    assert "loose picture 1, sent to viduq2 as a subject of its own" in editor.tooltip_at(13)
    # on viduq1 the same prompt's @image1 names no one: pictures go in order there
    panel.model.setCurrentIndex(panel.model.findData("viduq1"))
    assert wavy(editor) == [(11, 7)]
    qtbot.waitUntil(editor.mentions.warning.isVisible)
    assert editor.mentions.warning.text() == (
        "@image1 names no one in this draft; the draft's cast: mia, red_car; its pictures by "
        "number: @1 to @5. Pictures on viduq1 go in order, the cast's first: write @3 for the "
        "third.")
    assert editor.mentions.form.text().startswith("viduq1 gets pictures in order")
