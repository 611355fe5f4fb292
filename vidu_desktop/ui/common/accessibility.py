"""What screen readers (VoiceOver, Narrator, Orca) read: every control has an accessible name.

A button says its text; a field, a list or a choice box says its accessible name, which is set
explicitly: Qt names a combo box after its buddy label on Windows and macOS, but by its current
value under Linux (Orca follows the label relation instead), so :func:`name_from_labels` copies
each label's text onto the widget it labels, for all three alike. A tooltip is read as the
description. Items in the tray and the task list give their text through
``Qt.AccessibleTextRole`` / ``AccessibleDescriptionRole`` in their models.

:func:`focus_chain` and :func:`unnamed` walk what Tab reaches (the tests use them).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QWidget,
)

_AMPERSAND = re.compile(r"&(?!&)")


def plain(text: str) -> str:
    """A label's text as read aloud: no mnemonic "&", no trailing colon, no markup."""
    text = re.sub(r"<[^>]+>", "", text)
    return _AMPERSAND.sub("", text).replace("&&", "&").strip().rstrip(":").strip()


def name(widget: QWidget, text: str, description: str = "") -> QWidget:
    """Give ``widget`` an accessible name (and a description when the name is not enough)."""
    widget.setAccessibleName(text)
    if description:
        widget.setAccessibleDescription(description)
    return widget


def name_from_labels(root: QWidget) -> int:
    """Each label under ``root`` that labels a widget (``setBuddy``, a form row) names it,
    unless it has a name already. The number of widgets named."""
    named = 0
    for label in root.findChildren(QLabel):
        buddy = label.buddy()
        if buddy is not None and not buddy.accessibleName() and not spoken_name(buddy):
            text = plain(label.text())
            if text:
                buddy.setAccessibleName(text)
                named += 1
    return named


def takes_tab(widget: QWidget) -> bool:
    """Tab can stop on it: visible, enabled, with a tab focus policy, and not the inner part of
    another control (a spin box's or an editable combo box's line edit)."""
    if not (widget.isVisible() and widget.isEnabled()):
        return False
    if not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
        return False
    parent = widget.parentWidget()
    return not (widget.focusProxy() is not None
                or isinstance(parent, (QAbstractSpinBox, QComboBox)))


def focus_chain(root: QWidget) -> Iterator[QWidget]:
    """The widgets Tab stops on, in the order of ``root``'s focus chain."""
    seen: set[int] = set()
    widget: QWidget | None = root.nextInFocusChain()
    while widget is not None and widget is not root and id(widget) not in seen:
        seen.add(id(widget))
        if takes_tab(widget) and root.isAncestorOf(widget):
            yield widget
        widget = widget.nextInFocusChain()


def spoken_name(widget: QWidget) -> str:
    """The name a screen reader says: the accessible name, else a button's text when it has
    a word in it (not "✕" or "↶")."""
    if widget.accessibleName().strip():
        return widget.accessibleName().strip()
    if isinstance(widget, QAbstractButton):
        text = plain(widget.text())
        if any(c.isalnum() for c in text):
            return text
    return ""


def describe(widget: QWidget) -> str:
    return f"{type(widget).__name__} {widget.objectName() or '(no object name)'}"


def unnamed(root: QWidget) -> list[str]:
    """The widgets Tab reaches under ``root`` that a screen reader could not name."""
    return [describe(w) for w in focus_chain(root) if not spoken_name(w)]


def tab_order(widgets: list[QWidget]) -> None:
    """Tab goes through ``widgets`` in this order (each after the one before)."""
    for first, second in itertools.pairwise(widgets):
        QWidget.setTabOrder(first, second)
