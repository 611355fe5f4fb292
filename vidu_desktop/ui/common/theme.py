"""Light and dark: follow the system's colour scheme, or a forced one (``--dark``/``--light``).

The window uses the Fusion style with a palette for the scheme in force, so both schemes look
the same on every platform and under Xvfb/offscreen (where the system scheme is Unknown, taken
as light). Widgets mark their semantic role with :func:`set_role` ("warning", "error", "note",
"muted", "primary", "banner-sandbox", ...); the stylesheet built here colours each role for the
scheme, and is rebuilt when the system scheme changes.

The stylesheet is set on each widget that has a role, not on the application: a stylesheet on
the application puts every widget under Qt's stylesheet style, which polishes each one (and
again each time it is moved into a layout) against the rules; with about 40 widgets holding a
role out of several hundred, building the main window took some 60 ms of CPU more, and
attaching the task list and Review some 25 ms more (``bench/startup.py``). The rules only ever
select by role, so the pixels are the same either way (the shell's screenshots, compared before
and after). Each widget gets the rules of its own role and the rules that select inside a
role (``QFrame[role="banner-sandbox"] QLabel``), in the stylesheet's order: Qt parses a
widget's stylesheet for each widget, and the whole one for each of them took a few
milliseconds of the first paint.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory, QWidget

if TYPE_CHECKING:
    import argparse


class Colors(NamedTuple):
    """A scheme's colours. (A named tuple: a frozen dataclass's made methods cost about a
    millisecond before the first paint.)"""

    dark: bool
    window: str
    base: str
    alt_base: str
    text: str
    muted: str
    button: str
    accent: str
    accent_text: str
    warning_bg: str
    warning_fg: str
    error_fg: str
    error_bg: str
    ok_fg: str
    over_limit_bg: str
    sandbox_bg: str
    sandbox_fg: str
    border: str


LIGHT = Colors(False, window="#f3f3f5", base="#ffffff", alt_base="#f7f7f9", text="#1d1d1f",
               muted="#6b6b73", button="#e9e9ec", accent="#2f6fde", accent_text="#ffffff",
               warning_bg="#fff4d6", warning_fg="#6b4a00", error_fg="#b3261e",
               error_bg="#fde3e1", ok_fg="#1b7f3b", over_limit_bg="#f7b9b4",
               sandbox_bg="#e4f1ff", sandbox_fg="#0b4a8b", border="#c9c9cf")
DARK = Colors(True, window="#232326", base="#1a1a1c", alt_base="#26262a", text="#e8e8ea",
              muted="#9d9da6", button="#34343a", accent="#4f8ff7", accent_text="#ffffff",
              warning_bg="#4a3b12", warning_fg="#ffdf8a", error_fg="#ff8a80",
              error_bg="#4d1f1c", ok_fg="#7fd69a", over_limit_bg="#7a2621",
              sandbox_bg="#173352", sandbox_fg="#bcdcff", border="#46464d")


def palette_for(c: Colors) -> QPalette:
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: c.window, QPalette.ColorRole.WindowText: c.text,
        QPalette.ColorRole.Base: c.base, QPalette.ColorRole.AlternateBase: c.alt_base,
        QPalette.ColorRole.Text: c.text, QPalette.ColorRole.Button: c.button,
        QPalette.ColorRole.ButtonText: c.text, QPalette.ColorRole.ToolTipBase: c.base,
        QPalette.ColorRole.ToolTipText: c.text, QPalette.ColorRole.Highlight: c.accent,
        QPalette.ColorRole.HighlightedText: c.accent_text, QPalette.ColorRole.Link: c.accent,
        QPalette.ColorRole.PlaceholderText: c.muted, QPalette.ColorRole.BrightText: c.error_fg,
        QPalette.ColorRole.Mid: c.border, QPalette.ColorRole.Midlight: c.button,
    }
    for role, value in roles.items():
        pal.setColor(role, QColor(value))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor(c.muted))
    return pal


def stylesheet_for(c: Colors) -> str:
    return f"""
    QLabel[role="muted"] {{ color: {c.muted}; }}
    QLabel[role="ok"] {{ color: {c.ok_fg}; }}
    QLabel[role="error"] {{ color: {c.error_fg}; }}
    QLabel[role="counter"] {{ color: {c.muted}; font-weight: 600; }}
    QLabel[role="counter-warn"] {{ color: {c.warning_fg}; background: {c.warning_bg};
        border-radius: 4px; padding: 1px 6px; font-weight: 600; }}
    QLabel[role="counter-over"] {{ color: {c.error_fg}; background: {c.error_bg};
        border-radius: 4px; padding: 1px 6px; font-weight: 700; }}
    QLabel[role="section"] {{ font-weight: 700; }}
    QFrame[role="warning"], QLabel[role="warning"] {{ color: {c.warning_fg};
        background: {c.warning_bg}; border: 1px solid {c.border}; border-radius: 6px; }}
    QLabel[role="warning"] {{ padding: 6px 8px; }}
    QFrame[role="banner-sandbox"] {{ background: {c.sandbox_bg}; border-radius: 6px; }}
    QFrame[role="banner-sandbox"] QLabel {{ color: {c.sandbox_fg}; font-weight: 600; }}
    QFrame[role="banner-offline"] {{ background: {c.warning_bg}; border-radius: 6px; }}
    QFrame[role="banner-offline"] QLabel {{ color: {c.warning_fg}; font-weight: 600; }}
    QFrame[role="banner-error"] {{ background: {c.error_bg}; border-radius: 6px; }}
    QFrame[role="banner-error"] QLabel {{ color: {c.error_fg}; font-weight: 600; }}
    QPushButton[role="primary"] {{ background: {c.accent}; color: {c.accent_text};
        border: none; border-radius: 6px; padding: 8px 18px; font-weight: 700; }}
    QPushButton[role="primary"]:disabled {{ background: {c.button}; color: {c.muted}; }}
    QPushButton[role="primary"]:focus {{ outline: none; border: 2px solid {c.text}; }}
    """


_ROLE = re.compile(r'\[role="([^"]+)"\]')


def role_sheets(sheet: str) -> tuple[dict[str, str], str]:
    """``sheet``'s rules by role: each role's own rules with the rules that select inside a
    role (a descendant selector), in ``sheet``'s order; and those inside-a-role rules alone
    (for a role with no rules of its own)."""
    rules = [rule.strip() + " }" for rule in sheet.split("}") if rule.strip()]
    roles: dict[str, list[str]] = {}
    shared: list[str] = []
    for rule in rules:
        head = rule.partition("{")[0]  # the selectors
        if any(" " in sel.strip() for sel in head.split(",")):  # QFrame[role="x"] QLabel: all
            shared.append(rule)
            for own in roles.values():
                own.append(rule)
            continue
        for role in dict.fromkeys(_ROLE.findall(head)):
            roles.setdefault(role, list(shared)).append(rule)
    return ({role: "\n".join(own) for role, own in roles.items()}, "\n".join(shared))


#: A QApplication's own arguments for the app's style: Fusion from the start. A style object
#: handed to Python (``QStyleFactory.create``, ``setStyle``) makes PySide create the QStyle
#: class with its enums, some 5 ms before the first paint; this way none is.
STYLE_ARGUMENTS = ("-style", "Fusion")
_STYLED = "vidu-fusion-from-start"  # the application's property: made by application()


def application(argv: list[str]) -> QApplication:
    """The QApplication, in the app's style from the start (``STYLE_ARGUMENTS``)."""
    app = QApplication([*argv[:1], *STYLE_ARGUMENTS])
    app.setProperty(_STYLED, True)
    return app


class Theme(QObject):
    """The scheme in force. ``changed`` fires after the palette and the role widgets'
    stylesheet are replaced."""

    changed = Signal()

    def __init__(self, app: QApplication, forced: str | None = None) -> None:
        super().__init__(app)
        self._app = app
        self.forced: str | None = None  # "dark", "light" or None (follow the system)
        self.colors = LIGHT
        self._sheets: dict[str, str] = {}  # by role: what is set on a widget of that role
        self._shared = ""
        if not app.property(_STYLED):  # (an application not made by application())
            fusion = QStyleFactory.create("Fusion")
            if fusion is not None:
                app.setStyle(fusion)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_changed)
        self.set_forced(forced)

    def set_forced(self, forced: str | None) -> None:
        """Force "dark" or "light", or follow the system again (None)."""
        if forced not in (None, "dark", "light"):
            raise ValueError(f"unknown colour scheme {forced!r}")
        self.forced = forced
        self.apply()

    def _system_changed(self) -> None:
        if self.forced is None:
            self.apply()

    def sheet_of(self, role: str) -> str:
        """The stylesheet a widget of ``role`` is given."""
        return self._sheets.get(role, self._shared)

    @property
    def dark(self) -> bool:
        return self.colors.dark

    def system_is_dark(self) -> bool:
        return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark

    def apply(self) -> None:
        dark = self.forced == "dark" if self.forced else self.system_is_dark()
        self.colors = DARK if dark else LIGHT
        self._app.setPalette(palette_for(self.colors))
        # the widgets hear of the palette now, not at the next turn of the loop (as when the
        # application's stylesheet was replaced too: that re-polished every widget at once)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.ApplicationPaletteChange)
        self._sheets, self._shared = role_sheets(stylesheet_for(self.colors))
        for widget in QApplication.allWidgets():  # the widgets given a role so far
            role = widget.property("role")
            if role:
                widget.setStyleSheet(self.sheet_of(str(role)))
        self.changed.emit()


_current: Theme | None = None


def install(app: QApplication, forced: str | None = None) -> Theme:
    """Apply the theme to ``app``; a later call changes the forced scheme (or unforces it)."""
    global _current
    if _current is None:
        _current = Theme(app, forced)
    elif _current.forced != forced:
        _current.set_forced(forced)
    return _current


def current() -> Theme | None:
    return _current


def colors() -> Colors:
    return _current.colors if _current is not None else LIGHT


def set_role(widget: QWidget, role: str) -> None:
    """Give ``widget`` a semantic role (see the stylesheet) and re-polish it if it changed."""
    if widget.property("role") == role:
        return
    widget.setProperty("role", role)
    sheet = _current.sheet_of(role) if _current is not None else ""  # no theme: no rules
    if sheet and widget.styleSheet() != sheet:
        widget.setStyleSheet(sheet)  # polishes it (and its children) against the rules
    else:
        style = widget.style()
        style.unpolish(widget)
        style.polish(widget)
    widget.update()


def add_scheme_options(parser: argparse.ArgumentParser) -> None:
    """``--dark`` or ``--light`` (one of them; ``args.scheme`` is "dark", "light" or None), for
    the areas' demo programs."""
    scheme = parser.add_mutually_exclusive_group()
    scheme.add_argument("--dark", action="store_const", const="dark", dest="scheme")
    scheme.add_argument("--light", action="store_const", const="light", dest="scheme")


def demo_application(scheme: str | None) -> QApplication:
    """The QApplication of a demo program, with the theme installed (``scheme``: as
    :func:`install`'s ``forced``)."""
    app = application(sys.argv)
    install(app, scheme)
    return app
