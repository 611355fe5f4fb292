"""The theme's stylesheet by role: each role widget gets its own role's rules and the rules
that select inside a role, in the stylesheet's order."""

from __future__ import annotations

from vidu_desktop.ui.common import theme

SHEET = """
QLabel[role="muted"] { color: grey; }
QFrame[role="banner"] { background: blue; }
QFrame[role="banner"] QLabel { color: white; }
QPushButton[role="primary"] { background: green; }
QFrame[role="warning"], QLabel[role="warning"] { color: brown; }
"""


def test_each_role_gets_its_rules_and_those_inside_a_role_in_order():
    sheets, shared = theme.role_sheets(SHEET)
    assert set(sheets) == {"muted", "banner", "primary", "warning"}
    inside = 'QFrame[role="banner"] QLabel { color: white; }'
    assert shared == inside
    assert sheets["muted"].splitlines() == ['QLabel[role="muted"] { color: grey; }', inside]
    assert sheets["banner"].splitlines() == ['QFrame[role="banner"] { background: blue; }',
                                             inside]
    assert sheets["primary"].splitlines() == [
        inside, 'QPushButton[role="primary"] { background: green; }']
    assert sheets["warning"].splitlines() == [
        inside, 'QFrame[role="warning"], QLabel[role="warning"] { color: brown; }']


def test_a_role_widget_is_given_its_role_s_rules(qapp):
    from PySide6.QtWidgets import QLabel

    current = theme.install(qapp, "light")
    label = QLabel("x")
    theme.set_role(label, "muted")
    assert label.styleSheet() == current.sheet_of("muted")
    assert 'QLabel[role="muted"]' in label.styleSheet()
    assert 'QPushButton[role="primary"]' not in label.styleSheet()
    theme.set_role(label, "error")
    assert 'QLabel[role="error"]' in label.styleSheet()
    assert 'QLabel[role="muted"]' not in label.styleSheet()
