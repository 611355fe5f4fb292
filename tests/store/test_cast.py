"""The cast on disk: members round-trip through a real SQLite file, names are unique whatever
their case and follow the mention rules, 1-3 pictures by hash, drafts of format 2 carry their
cast, and the reference clean-up keeps every cast picture."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import make_image

from vidu_desktop.core.errors import AppError, ErrorKind, Promise
from vidu_desktop.store.cast import MAX_PICTURES, CastStore
from vidu_desktop.store.db import open_database
from vidu_desktop.store.drafts import Draft, DraftReference, DraftStore
from vidu_desktop.store.leftovers import ORPHAN_AGE_S, library_facts, sweep
from vidu_desktop.store.references import ReferenceMeta, ReferenceStore

from .conftest import FakeClock


def pictures(refs: ReferenceStore, count: int, shade: int = 0) -> tuple[DraftReference, ...]:
    """``count`` real prepared pictures in ``refs``."""
    out = []
    for n in range(count):
        data = make_image(320 + n, 240, color=(shade, 40 * n, 90))
        sha = refs.put(data, ReferenceMeta("png", 320 + n, 240, f"mia-{n}.png"))
        out.append(DraftReference(sha, f"view {n + 1}", f"mia-{n}.png"))
    return tuple(out)


@pytest.fixture
def refs(conn: sqlite3.Connection, tmp_path: Path) -> ReferenceStore:
    return ReferenceStore(conn, tmp_path / "profile" / "refs")


def test_a_member_round_trips_through_the_file(db_path: Path, refs: ReferenceStore,
                                               clock: FakeClock) -> None:
    cast = CastStore(refs.conn, clock=clock)
    pics = pictures(refs, 2)
    mia = cast.add(" Mia ", pics, description="  red coat, short hair ", voice_id="voice-7")
    assert (mia.name, mia.description, mia.voice_id) == ("Mia", "red coat, short hair",
                                                          "voice-7")
    assert mia.pictures == pics and mia.hashes == tuple(p.sha256 for p in pics)
    assert mia.created_at == mia.updated_at == clock.now
    other = open_database(db_path)  # another connection reads what was committed
    try:
        again = CastStore(other).get(mia.id)
    finally:
        other.close()
    assert again == mia
    assert cast.by_name("MIA") == mia and cast.by_name("nobody") is None
    assert cast.referenced_hashes() == set(mia.hashes)


def test_names_are_one_whatever_their_case(refs: ReferenceStore) -> None:
    cast = CastStore(refs.conn)
    mia = cast.add("Mia", pictures(refs, 1))
    for taken in ("mia", "MIA", "Mia"):
        with pytest.raises(AppError) as err:
            cast.add(taken, pictures(refs, 1, shade=9))
        assert err.value.kind == ErrorKind.INVALID_PARAMETER
        assert err.value.promise == Promise.FIX_INPUT
        assert "already called 'Mia'" in err.value.message
        assert "Choose another name" in err.value.hint
    assert [m.name for m in cast.list_members()] == ["Mia"]
    # the member itself may change its name's case; another may not take it
    assert cast.update(mia.id, name="MIA").name == "MIA"
    leo = cast.add("leo", pictures(refs, 1, shade=20))
    with pytest.raises(AppError, match="already called 'MIA'"):
        cast.update(leo.id, name="mia")
    # non-ASCII letters fold too (SQLite's NOCASE would not)
    cast.add("Öykü", pictures(refs, 1, shade=30))
    with pytest.raises(AppError, match="already called"):
        cast.add("öYKÜ", pictures(refs, 1, shade=31))
    assert [m.name for m in cast.list_members()] == ["leo", "MIA", "Öykü"]


@pytest.mark.parametrize(("name", "words"), [
    ("", "needs a name"),
    ("mia lee", "no spaces"),
    ("@mia", "letters, digits"),
    ("x" * 33, "the limit is 32"),
    ("image2", "kept for loose pictures"),
])
def test_a_name_the_prompt_cannot_mention_is_refused(refs: ReferenceStore, name: str,
                                                     words: str) -> None:
    cast = CastStore(refs.conn)
    with pytest.raises(AppError) as err:
        cast.add(name, pictures(refs, 1))
    assert words in err.value.message and "Change the name" in err.value.hint
    assert cast.list_members() == []


def test_one_to_three_pictures_each_once(refs: ReferenceStore) -> None:
    cast = CastStore(refs.conn)
    assert MAX_PICTURES == 3
    with pytest.raises(AppError, match="mia has 0 pictures; a cast member takes 1 to 3"):
        cast.add("mia", ())
    with pytest.raises(AppError, match="mia has 4 pictures; a cast member takes 1 to 3"):
        cast.add("mia", pictures(refs, 4))
    one = pictures(refs, 1)
    with pytest.raises(AppError, match="the same picture twice"):
        cast.add("mia", one + one)
    mia = cast.add("mia", pictures(refs, 3))
    with pytest.raises(AppError, match="4 pictures"):
        cast.update(mia.id, pictures=pictures(refs, 4, shade=50))
    assert len(cast.get(mia.id).pictures) == 3  # type: ignore[union-attr]
    changed = cast.update(mia.id, pictures=one)
    assert changed.pictures == one and cast.referenced_hashes() == {one[0].sha256}


def test_description_and_voice_id_are_checked(refs: ReferenceStore) -> None:
    cast = CastStore(refs.conn)
    with pytest.raises(AppError, match="the limit is 500"):
        cast.add("mia", pictures(refs, 1), description="x" * 501)
    with pytest.raises(AppError, match="without spaces") as err:
        cast.add("mia", pictures(refs, 1), voice_id="voice with spaces")
    assert "voice list" in err.value.hint
    mia = cast.add("mia", pictures(refs, 1), voice_id="  ")
    assert mia.voice_id == ""
    assert cast.update(mia.id, voice_id="v-1").voice_id == "v-1"
    assert cast.update(mia.id, description="tall").description == "tall"
    assert cast.get(mia.id).voice_id == "v-1"  # type: ignore[union-attr]


def test_update_and_delete_of_an_unknown_member(refs: ReferenceStore) -> None:
    cast = CastStore(refs.conn)
    with pytest.raises(AppError, match="No cast member with id 'nope'") as err:
        cast.update("nope", name="mia")
    assert "cast list" in err.value.hint
    mia = cast.add("mia", pictures(refs, 2))
    assert cast.delete(mia.id) and not cast.delete(mia.id)
    assert cast.get(mia.id) is None and cast.referenced_hashes() == set()
    assert refs.conn.execute("SELECT COUNT(*) FROM cast_pictures").fetchone()[0] == 0


def test_drafts_of_format_2_carry_their_cast(conn: sqlite3.Connection, refs: ReferenceStore,
                                             clock: FakeClock) -> None:
    cast, drafts = CastStore(conn), DraftStore(conn, clock=clock)
    mia, leo = cast.add("mia", pictures(refs, 2)), cast.add("leo", pictures(refs, 1, 70))
    loose = pictures(refs, 1, shade=140)
    shot = drafts.save(Draft.new("Shot 1", prompt="@Mia waves at @leo", references=loose,
                                 cast=(leo.id, mia.id)))
    assert shot.cast == (leo.id, mia.id)
    stored = conn.execute("SELECT data_json FROM drafts").fetchone()[0]
    assert '"format": 2' in stored and '"cast": [' in stored
    other = drafts.save(Draft.new("Shot 2", prompt="@mia alone", cast=(mia.id,)))
    drafts.save(Draft.new("Shot 3", prompt="@mia is not in this one"))
    assert [d.name for d in drafts.using_cast_member(mia.id)] == ["Shot 2", "Shot 1"]
    # cast pictures are kept with the drafts' own
    assert drafts.referenced_hashes() == {*mia.hashes, *leo.hashes, loose[0].sha256}

    clock.advance(10)
    renamed = drafts.rename_mentions(mia.id, "mia", "mia_r")
    assert {d.name for d in renamed} == {"Shot 1", "Shot 2"}
    assert drafts.get(shot.id).prompt == "@mia_r waves at @leo"  # type: ignore[union-attr]
    assert drafts.get(other.id).prompt == "@mia_r alone"  # type: ignore[union-attr]
    assert [d.prompt for d in drafts.list_drafts() if d.name == "Shot 3"] == [
        "@mia is not in this one"]  # not a draft of the member: left as written

    dropped = drafts.drop_cast_member(mia.id)
    assert {d.name for d in dropped} == {"Shot 1", "Shot 2"}
    assert drafts.get(shot.id).cast == (leo.id,)  # type: ignore[union-attr]
    assert drafts.get(other.id).cast == ()  # type: ignore[union-attr]
    assert drafts.get(shot.id).updated_at == shot.updated_at  # type: ignore[union-attr]
    assert drafts.using_cast_member(mia.id) == []


def test_the_reference_clean_up_keeps_cast_pictures(conn: sqlite3.Connection,
                                                    refs: ReferenceStore,
                                                    tmp_path: Path) -> None:
    mia = CastStore(conn).add("mia", pictures(refs, 2))
    kept = refs.path(mia.hashes[0])
    assert kept is not None
    # a crash lost the picture's row (or a restore brought the file back): the cast keeps it
    conn.execute("DELETE FROM prepared_references WHERE sha256 = ?", (mia.hashes[0],))
    orphan_sha = "9" * 64
    orphan = kept.parent.parent / orphan_sha[:2] / f"{orphan_sha}.png"
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"x")
    states, recorded = library_facts(conn)
    assert set(mia.hashes) <= recorded and orphan_sha not in recorded
    later = kept.stat().st_mtime + ORPHAN_AGE_S * 2
    removed = sweep(tmp_path / "media", tmp_path / "profile" / "refs", None, states=states,
                    recorded=recorded, now=later)
    assert removed == [orphan]
    assert kept.is_file() and refs.exists(mia.hashes[1])
