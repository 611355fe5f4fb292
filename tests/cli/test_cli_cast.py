"""``vidu-cli`` with the cast, end to end: ``generate --subject/--voice/--audio`` against the
emulator over loopback (a Q1 task reaches it in the images form: the pictures in order, the
subject's first, ``@mia`` put into words), and ``vidu-cli cast list|add|rename|remove`` on a
real library, in real mode and with ``--sandbox`` (the same profile's cast)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import make_image

from vidu_desktop.cli import main
from vidu_desktop.core.capabilities import PROVIDERS
from vidu_desktop.emulator.config import DEMO_KEY
from vidu_desktop.emulator.server import EmulatorServer
from vidu_desktop.store import AppPaths, Draft, DraftStore, ReferenceStore, TaskStore
from vidu_desktop.store.db import open_database


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for spec in PROVIDERS.values():
        monkeypatch.delenv(spec.key_env, raising=False)
    monkeypatch.setenv("VIDU_API_KEY", DEMO_KEY)
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    yield
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


@pytest.fixture
def pictures(tmp_path: Path) -> dict[str, Path]:
    """Three real pictures that differ (so their order can be told)."""
    out = {}
    for name, color in (("front", (220, 40, 40)), ("side", (40, 200, 40)),
                        ("sea", (40, 40, 220))):
        path = tmp_path / f"{name}.png"
        path.write_bytes(make_image(480, 320, color=color))
        out[name] = path
    return out


class Cli:
    def __init__(self, profile: Path, capsys: pytest.CaptureFixture[str],
                 emulator: EmulatorServer | None = None) -> None:
        self.profile = profile
        self.capsys = capsys
        self.emulator = emulator

    def __call__(self, *argv: str, sandbox: bool = False) -> tuple[int, str, str]:
        before: list[str] = ["--profile-dir", str(self.profile)]
        if sandbox:
            before.append("--sandbox")
        elif self.emulator is not None:
            before += ["--base-url", f"vidu={self.emulator.url}/vidu", "--poll", "0.05"]
        self.capsys.readouterr()
        code = main([*before, *argv])
        captured = self.capsys.readouterr()
        return code, captured.out, captured.err


def test_a_q1_task_with_a_subject_reaches_the_host_flattened(
        tmp_path: Path, emulator: EmulatorServer, pictures: dict[str, Path],
        capsys: pytest.CaptureFixture[str]) -> None:
    cli = Cli(tmp_path / "profile", capsys, emulator)
    code, out, err = cli("generate", "-m", "viduq1", "--subject",
                         f"mia={pictures['front']},{pictures['side']}", "-i",
                         str(pictures["sea"]), "-p", "@mia walks into the sea", "--wait",
                         "--json")
    assert code == 0, err
    task = json.loads(out)
    assert task["state"] == "succeeded"
    assert "viduq1 takes its pictures in order: mia is images 1-2" in err

    [remote] = emulator.world.board.tasks.values()
    assert remote.params["prompt"] == "mia (images 1-2) walks into the sea"
    conn = open_database(tmp_path / "profile" / "library.sqlite3")
    try:
        rec = TaskStore(conn).get(task["id"])
        assert rec is not None
        [mia] = rec.request.subjects
        assert [i.label for i in mia.images] == ["front.png", "side.png"]
        assert [i.label for i in rec.request.images] == ["sea.png"]
        refs = ReferenceStore(conn, tmp_path / "profile" / "refs")
        in_order = [*mia.images, *rec.request.images]
        assert remote.images == [refs.read(i.sha256) for i in in_order]  # the pictures, in order
    finally:
        conn.close()
    sidecar = json.loads(Path(task["files"]["sidecar"]).read_text("utf-8"))
    assert sidecar["mentions"]["numbers"] == {"mia": [1, 2]}
    assert sidecar["subjects"][0]["pictures"] == [i.sha256 for i in mia.images]


def test_a_viduq2_task_with_subjects_voices_and_audio_end_to_end(
        tmp_path: Path, emulator: EmulatorServer, pictures: dict[str, Path],
        capsys: pytest.CaptureFixture[str]) -> None:
    cli = Cli(tmp_path / "profile", capsys, emulator)
    code, _, err = cli("cast", "add", "leo", str(pictures["side"]), "--voice", "voice-leo",
                       "--model", "viduq2")
    assert code == 0, err
    code, out, err = cli("generate", "-m", "viduq2", "--subject", f"mia={pictures['front']}",
                         "--subject", "leo", "--voice", "mia=voice-mia", "--audio", "-i",
                         str(pictures["sea"]), "-p", "@mia sings to @LEO by @image1",
                         "--duration", "8", "--wait", "--json")
    assert code == 0, err
    task = json.loads(out)
    assert task["state"] == "succeeded"
    assert "takes its pictures in order" not in err  # the subjects form: no numbers

    [remote] = emulator.world.board.tasks.values()
    assert remote.params["prompt"] == "@mia sings to @leo by @image1"  # names as the cast's
    assert remote.params["audio"] is True and remote.params["duration"] == 8
    assert [(s["id"], s.get("voice_id", "")) for s in remote.extra["subjects"]] == [
        ("mia", "voice-mia"), ("leo", "voice-leo"), ("image1", "")]
    conn = open_database(tmp_path / "profile" / "library.sqlite3")
    try:
        rec = TaskStore(conn).get(task["id"])
        assert rec is not None
        refs = ReferenceStore(conn, tmp_path / "profile" / "refs")
        in_order = [i for s in rec.request.subjects for i in s.images] + list(rec.request.images)
        assert remote.images == [refs.read(i.sha256) for i in in_order]
    finally:
        conn.close()
    sidecar = json.loads(Path(task["files"]["sidecar"]).read_text("utf-8"))
    assert sidecar["mentions"] == {"form": "subjects", "mentioned": ["mia", "leo", "image1"],
                                   "prompt": "@mia sings to @leo by @image1"}
    assert [(s["name"], s["voice_id"]) for s in sidecar["subjects"]] == [
        ("mia", "voice-mia"), ("leo", "voice-leo")]
    assert sidecar["video"]["audio"] is True  # the emulator rendered a sound track
    code, out, _ = cli("cast", "list", "--json")
    assert json.loads(out)[0]["used_by"]["tasks"] == 1


def test_cast_add_list_rename_remove_and_a_generate_with_a_member(
        tmp_path: Path, emulator: EmulatorServer, pictures: dict[str, Path],
        capsys: pytest.CaptureFixture[str]) -> None:
    cli = Cli(tmp_path / "profile", capsys, emulator)
    code, out, _ = cli("cast", "list")
    assert code == 0 and "no cast members" in out
    code, out, err = cli("cast", "add", "Mia", str(pictures["front"]), str(pictures["side"]),
                         "--description", "red coat", "--voice", "voice-1")
    assert code == 0, err
    assert "cast member Mia added (2 pictures" in out and "@Mia" in out

    refused = [
        (("cast", "add", "mia", str(pictures["sea"])), 2, "already called 'Mia'"),
        (("cast", "add", "mia lee", str(pictures["sea"])), 2, "no spaces"),
        (("cast", "add", "leo", *map(str, pictures.values()), str(pictures["sea"])), 2,
         "4 pictures given; a cast member takes 1 to 3"),
        (("cast", "add", "leo", str(tmp_path / "missing.png")), 8, "missing.png"),
        (("cast", "rename", "nobody", "x"), 2, "no cast member is called 'nobody'"),
        (("generate", "--subject", "ghost", "-p", "@ghost"), 2,
         "No cast member is called 'ghost'"),
        (("generate", "--subject", "mia=", "-p", "@mia"), 2, "gives 0 pictures"),
        (("generate", "--subject", "mia", "--subject", "MIA", "-p", "@mia"), 2,
         "given twice"),
        (("generate", "--subject", "mia", "--voice", "leo=v", "-p", "@mia"), 2,
         "names no subject of this request (subjects: mia)"),
        (("generate", "--subject", "mia", "--img2video", "-i", str(pictures["sea"])), 2,
         "--subject works with reference-to-video only"),
    ]
    for argv, expected, words in refused:
        code, _, err = cli(*argv)
        assert (code, words in err) == (expected, True), (argv, err)
    assert [t for t in emulator.world.board.tasks.values()] == []  # nothing was sent

    # a member used by its name alone; Q1 makes no sound, so its voice is not sent
    code, out, err = cli("generate", "--subject", "mia", "-i", str(pictures["sea"]), "-p",
                         "@MIA at the sea", "--wait", "--json")
    assert code == 0, err
    task = json.loads(out)
    [remote] = emulator.world.board.tasks.values()
    assert remote.params["prompt"] == "MIA (images 1-2) at the sea"
    sidecar = json.loads(Path(task["files"]["sidecar"]).read_text("utf-8"))
    assert [(s["name"], s["voice_id"]) for s in sidecar["subjects"]] == [("Mia", "")]

    # a draft uses it too (the app's drafts live in the same library)
    conn = open_database(tmp_path / "profile" / "library.sqlite3")
    try:
        code, out, _ = cli("cast", "list", "--json")
        [listed] = json.loads(out)
        assert (listed["name"], listed["voice_id"], listed["description"]) == (
            "Mia", "voice-1", "red coat")
        assert [p["name"] for p in listed["pictures"]] == ["front.png", "side.png"]
        assert listed["used_by"] == {"drafts": [], "tasks": 1}
        DraftStore(conn).save(Draft.new("Shot 1", prompt="@mia waves", cast=(listed["id"],)))
        code, out, _ = cli("cast", "list")
        assert "Mia" in out and "used by 1 draft (Shot 1) and 1 task" in out

        code, out, err = cli("cast", "rename", "MIA", "mia_r")
        assert code == 0, err
        assert "cast member Mia is now mia_r; the prompts of 1 draft(s) now say @mia_r" in out
        [draft] = DraftStore(conn).list_drafts()
        assert draft.prompt == "@mia_r waves"

        code, out, err = cli("cast", "remove", "mia_r")
        assert code == 2 and "mia_r is used by 1 draft (Shot 1) and 1 task" in err
        assert "nothing was removed" in err and "Add --yes" in err
        code, out, err = cli("cast", "remove", "mia_r", "--yes")
        assert code == 0, err
        assert "cast member mia_r removed (it was used by 1 draft (Shot 1) and 1 task)" in out
        assert DraftStore(conn).list_drafts()[0].cast == ()
    finally:
        conn.close()
    code, out, _ = cli("cast", "list")
    assert "no cast members" in out


def test_the_sandbox_uses_the_profiles_cast(tmp_path: Path, pictures: dict[str, Path],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    cli = Cli(tmp_path / "profile", capsys)
    code, _, err = cli("cast", "add", "leo", str(pictures["side"]), sandbox=True)
    assert code == 0 and "Sandbox" in err
    code, out, _ = cli("cast", "list", "--json")  # the real mode sees it
    assert [m["name"] for m in json.loads(out)] == ["leo"]
    code, out, err = cli("generate", "--subject", "leo", "-p", "@leo waves", "--json",
                         sandbox=True)
    assert code == 0, err
    assert json.loads(out)["state"] == "succeeded"
    code, out, _ = cli("cast", "list", "--json", sandbox=True)
    assert json.loads(out)[0]["used_by"] == {"drafts": [], "tasks": 1}  # the sandbox's task
    code, _, err = cli("cast", "remove", "leo", sandbox=True)
    assert code == 2 and "leo is used by 1 task" in err and "vidu-cli" in err
    code, out, _ = cli("cast", "remove", "leo", "--yes", "--json", sandbox=True)
    assert code == 0 and json.loads(out)["removed"]["name"] == "leo"
    profile = AppPaths(tmp_path / "profile")
    conn = open_database(profile.database)
    try:
        assert conn.execute("SELECT COUNT(*) FROM cast_members").fetchone()[0] == 0
    finally:
        conn.close()
