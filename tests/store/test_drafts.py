"""Drafts: autosave (upsert), list, rename, duplicate, delete, last opened."""

from __future__ import annotations

import sqlite3

import pytest

from vidu_desktop.store.drafts import Draft, DraftReference, DraftStore
from vidu_desktop.store.errors import StoreError

from .conftest import FakeClock


def test_save_is_an_upsert_and_keeps_every_field(conn: sqlite3.Connection,
                                                 clock: FakeClock) -> None:
    drafts = DraftStore(conn, clock=clock)
    draft = Draft.new("Sea walk", provider="vidu", model="viduq1", mode="reference2video",
                      prompt="the man 👨 walks into the sea",
                      parameters={"duration": 5, "resolution": "1080p", "seed": 3, "takes": 2},
                      references=(DraftReference("a" * 64, "the man", "man.png"),
                                  DraftReference("b" * 64, "the sea")))
    saved = drafts.save(draft)
    assert saved.created_at == saved.updated_at == clock.now
    clock.advance(5)
    again = drafts.save(Draft(**{**saved.__dict__, "prompt": "changed"}))
    assert again.created_at == saved.created_at and again.updated_at == clock.now
    assert again.prompt == "changed"
    assert again.references == draft.references and again.parameters == draft.parameters
    assert len(drafts.list_drafts()) == 1


def test_list_rename_duplicate_delete(conn: sqlite3.Connection, clock: FakeClock) -> None:
    drafts = DraftStore(conn, clock=clock)
    a = drafts.save(Draft.new("A"))
    clock.advance()
    b = drafts.save(Draft.new("B", references=(DraftReference("c" * 64),)))
    assert [d.name for d in drafts.list_drafts()] == ["B", "A"]
    clock.advance()
    assert drafts.rename(a.id, "A renamed").name == "A renamed"
    assert [d.name for d in drafts.list_drafts()] == ["A renamed", "B"]
    copy = drafts.duplicate(b.id)
    assert copy.id != b.id and copy.name == "B (copy)" and copy.references == b.references
    assert drafts.referenced_hashes() == {"c" * 64}
    assert drafts.delete(b.id) and not drafts.delete(b.id)
    assert drafts.get(b.id) is None
    with pytest.raises(StoreError):
        drafts.rename("missing", "x")


def test_last_opened(conn: sqlite3.Connection, clock: FakeClock) -> None:
    drafts = DraftStore(conn, clock=clock)
    assert drafts.last_opened() is None
    a = drafts.save(Draft.new("A"))
    b = drafts.save(Draft.new("B"))
    drafts.mark_opened(b.id)
    clock.advance()
    drafts.mark_opened(a.id)
    last = drafts.last_opened()
    assert last is not None and last.id == a.id and last.opened_at == clock.now
    clock.advance()
    drafts.save(a)  # autosave keeps opened_at
    assert drafts.last_opened().opened_at == last.opened_at  # type: ignore[union-attr]
