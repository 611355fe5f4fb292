"""The tray's groups: the cast members of the draft, each with its pictures under a header.

A ``TrayGroup`` is what the tray knows of a cast member: its library id, its name (the prompt's
``@name``), its description and voice. A group restored from a task whose cast member has
since left the library has no id (``member_id == ""``): it still sends its pictures as a
subject, and can be kept in the cast again.

The rows the tray's view shows are the pictures with a header before each group's
(``row_keys``); the loose pictures follow the groups.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from PySide6.QtCore import Qt

from vidu_desktop.core.records import record

#: A cast member's pictures: the library's rule (1 to 3), whatever the model.
MEMBER_PICTURES_MIN = 1
MEMBER_PICTURES_MAX = 3

RowKind = Literal["item", "group"]
#: A row's identity: ("item", item id) or ("group", group key).
RowKey = tuple[RowKind, int | str]


@record
class TrayGroup:
    member_id: str  # the cast member's id in the library; "" when it is not (any more) there
    name: str
    description: str = ""
    voice_id: str = ""

    @property
    def key(self) -> str:
        """Unique within the tray: the member's id, or its name for a group not in the cast."""
        return self.member_id or "~" + self.name.casefold()

    @property
    def in_cast(self) -> bool:
        return bool(self.member_id)


def pictures_text(count: int) -> str:
    return f"{count} picture{'s' * (count != 1)}"


def header_text(group: TrayGroup, count: int) -> str:
    """"mia · 2 pictures" (what the header and the screen reader say first)."""
    return f"{group.name} · {pictures_text(count)}"


def row_keys(groups: Sequence[TrayGroup], item_groups: Sequence[tuple[int, str]]
             ) -> list[RowKey]:
    """The rows for these groups (in order) and items ((id, group key), in tray order)."""
    rows: list[RowKey] = []
    for group in groups:
        rows.append(("group", group.key))
        rows.extend(("item", item_id) for item_id, key in item_groups if key == group.key)
    rows.extend(("item", item_id) for item_id, key in item_groups if not key)
    return rows


def group_tooltip(group: TrayGroup, count: int) -> str:
    lines = [f"{header_text(group, count)}: the prompt names it @{group.name}"]
    if group.description:
        lines.append(group.description)
    if group.voice_id:
        lines.append(f"Voice: {group.voice_id}")
    if not group.in_cast:
        lines.append("Not in the cast library: “Keep in the cast…” (its menu) saves it there.")
    lines.append("Removing it from the draft leaves it in the cast library.")
    return "\n".join(lines)


def group_data(group: TrayGroup, count: int, role: int) -> Any:
    """A header row's text for ``role`` (display, tooltip, accessibility), else None."""
    if role == Qt.ItemDataRole.DisplayRole:
        return header_text(group, count)
    if role == Qt.ItemDataRole.AccessibleTextRole:
        return "Cast member " + header_text(group, count)
    if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleDescriptionRole):
        return group_tooltip(group, count)
    return None
