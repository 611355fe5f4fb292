"""``vidu-cli board`` end to end, as child processes: with ``--sandbox`` (the built-in
emulator inside each run) a board made, imported, generated, picked, rejected and exported; and
against the test's emulator, the spend limit refused without ``--yes`` and a SIGKILL in the
middle of ``board generate``, after which ``vidu-cli resume`` finishes every shot's task and
``board show`` lists them as takes."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import av
import httpx
from conftest import make_image, wait_for

from vidu_desktop.emulator.server import EmulatorServer

from .helpers import CLI, RUN_TIMEOUT, Cli, assert_playable, control

HOLD = 20.0  # seconds a held poll waits: far longer than the kill takes


class SandboxCli:
    """``vidu-cli --sandbox`` with a profile of its own (no emulator address: its own)."""

    def __init__(self, profile: Path) -> None:
        self.profile = profile
        self.env = Cli("", profile).child_env()

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*CLI, "--profile-dir", str(self.profile), "--sandbox",
                               "--poll", "0.05", *args], env=self.env, capture_output=True,
                              text=True, timeout=RUN_TIMEOUT, check=False)

    def ok(self, *args: str) -> str:
        done = self.run(*args)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        return done.stdout

    def json(self, *args: str) -> Any:
        return json.loads(self.ok(*args, "--json"))


def seconds(path: Path) -> float:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        assert stream.duration is not None and stream.time_base is not None
        return float(stream.duration * stream.time_base)


def test_a_board_from_new_to_export_in_the_sandbox(tmp_path: Path) -> None:
    for name, color in (("mia.png", (200, 80, 40)), ("sea.png", (20, 90, 200))):
        (tmp_path / name).write_bytes(make_image(640, 360, color=color))
    cli = SandboxCli(tmp_path / "profile")
    cli.ok("cast", "add", "mia", str(tmp_path / "mia.png"))
    board = cli.json("board", "new", "Beach day", "--provider", "vidu", "--model", "viduq1")
    assert (board["name"], board["shots"]) == ("Beach day", [])
    cli.ok("board", "add-shot", "beach DAY", "--prompt", "@mia runs", "--subject", "mia")
    cli.ok("board", "add-shot", board["id"], "--prompt", "the sea", "--ref",
           str(tmp_path / "sea.png"))
    bad = cli.run("board", "add-shot", "Beach day", "--prompt", "x", "--duration", "8")
    assert bad.returncode == 2 and "Shot 3: duration 8 s is not offered" in bad.stderr

    generated = cli.json("board", "generate", "Beach day", "--takes", "2")
    assert [t["state"] for t in generated["tasks"]] == ["succeeded"] * 4
    shown = cli.json("board", "show", "Beach day")
    assert [[t["number"] for t in s["takes"]] for s in shown["shots"]] == [[1, 2], [1, 2]]
    assert shown["shots"][0]["cast"] == ["mia"] and shown["shots"][1]["chosen"] is None

    cli.ok("board", "pick", "Beach day", "1", "2")
    cli.ok("board", "pick", "Beach day", "2", "1")
    cli.ok("board", "reject", "Beach day", "2", "2")
    missing = cli.run("board", "pick", "Beach day", "3", "1")
    assert missing.returncode == 2 and "has 2 shot(s); there is no shot 3" in missing.stderr
    shown = cli.json("board", "show", "Beach day")
    assert [s["chosen"] for s in shown["shots"]] == [2, 1]
    assert [t["mark"] for t in shown["shots"][1]["takes"]] == ["star", "reject"]
    cli.ok("board", "generate", "Beach day", "--missing")  # nothing is missing
    assert len(cli.json("board", "show", "Beach day")["shots"][0]["takes"]) == 2

    out = tmp_path / "export"
    report = cli.json("board", "export", "Beach day", "--out", str(out), "--name", "film",
                      "--sheet", "png", "--sheet", "pdf")
    names = [Path(p).name for p in report["paths"]]
    assert names == ["film.mp4", "film.otio", "film.png", "film.pdf"]
    assert sorted(p.name for p in out.iterdir()) == sorted(names)
    assert_playable(out / "film.mp4")
    takes = {t["local_id"]: t for s in shown["shots"] for t in s["takes"]}
    chosen = [s["takes"][s["chosen"] - 1]["local_id"] for s in shown["shots"]]
    videos = {p.stem: p for p in (tmp_path / "profile" / "sandbox").rglob("*.mp4")}
    expected = sum(seconds(next(v for k, v in videos.items() if i in k)) for i in chosen)
    assert abs(seconds(out / "film.mp4") - expected) <= 0.1 and set(chosen) <= set(takes)

    csv_file = tmp_path / "export" / "shots.csv"
    cli.ok("board", "export-csv", "Beach day", str(csv_file))
    (csv_file.parent / "sea.png").write_bytes((tmp_path / "sea.png").read_bytes())
    again = cli.json("board", "import", str(csv_file), "--name", "Again", "--provider",
                     "vidu")
    assert [(s["prompt"], s["cast"], s["references"]) for s in again["shots"]] == [
        ("@mia runs", ["mia"], []), ("the sea", [], ["sea.png"])]
    assert {b["name"] for b in cli.json("board", "list")} == {"Beach day", "Again"}


def test_killed_mid_generation_the_resume_finishes_every_shots_take(
        emulator: EmulatorServer, cli: Cli, image: Path) -> None:
    def ok(*args: str) -> Any:
        done = cli.run(*args, "--json")
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        return json.loads(done.stdout)

    ok("board", "new", "Crash", "--provider", "vidu", "--model", "viduq1")
    for n in range(3):
        ok("board", "add-shot", "Crash", "--prompt", f"shot {n + 1}", "--ref", str(image))
    # the spend limit: 3 tasks of about 8 credits are above 20, refused without --yes
    ok("board", "spend-limit", "credits", "20")
    refused = cli.run("board", "generate", "Crash")
    assert refused.returncode == 2 and "above the spend limit" in refused.stderr
    assert "3 tasks, about 24 credits (an estimate)" in refused.stderr
    assert cli.rows() == []

    control(emulator, "faults", {"action": "slow", "route": "poll", "delay_s": HOLD,
                                 "provider": "vidu", "times": None})
    proc = cli.spawn("board", "generate", "Crash", "--yes", "--wait")
    try:
        def held() -> object:
            rows = cli.rows()
            return (len(rows) == 3 and all(r["remote_id"] for r in rows)
                    and control(emulator, "faults")["fired"]) or proc.poll() is not None
        wait_for(held, timeout=30)
        assert proc.poll() is None, proc.communicate()
        proc.send_signal(signal.SIGKILL)  # no cleanup, no finally, no atexit
        proc.communicate(timeout=10)
        assert proc.returncode == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=10)
    rows = cli.rows()
    assert len(rows) == 3 and {r["state"] for r in rows} <= {"queued", "processing",
                                                             "submitting"}
    conn = sqlite3.connect(cli.database)
    try:
        linked = conn.execute("SELECT COUNT(*) FROM shot_takes").fetchone()[0]
    finally:
        conn.close()
    assert linked == 3

    httpx.delete(f"{emulator.url}/_emulator/faults").raise_for_status()
    done = cli.run("resume", timeout=60)
    assert done.returncode == 0, (done.stdout, done.stderr)
    assert [r["state"] for r in cli.rows()] == ["succeeded"] * 3
    shown = ok("board", "show", "Crash")
    assert [[t["state"] for t in s["takes"]] for s in shown["shots"]] == [["succeeded"]] * 3
    assert {t["local_id"] for s in shown["shots"] for t in s["takes"]} == {
        r["local_id"] for r in cli.rows()}
