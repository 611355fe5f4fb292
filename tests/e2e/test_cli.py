"""``vidu-cli`` as a user runs it: a child process against the emulator, every command, every
failure kind with its exit code and its one message."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import httpx
import pytest

from vidu_desktop.core.capabilities import Mode, ProviderId, provider
from vidu_desktop.emulator.server import EmulatorServer

from .helpers import Cli, assert_playable, control, submissions


def one_json(stdout: str) -> dict[str, object]:
    """stdout holds exactly one JSON object."""
    data = json.loads(stdout)
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("host", [h.value for h in ProviderId])
def test_generate_wait_saves_a_playable_video_on_every_host(
        cli: Cli, emulator: EmulatorServer, image: Path, tmp_path: Path, host: str) -> None:
    target = tmp_path / "out" / f"{host}.mp4"
    done = cli.run("generate", "--host", host, "-i", str(image), "-p", "a fox in the snow",
                   "--wait", "--json", "--out", str(target))
    assert done.returncode == 0, done.stderr
    data = one_json(done.stdout)
    assert data["state"] == "succeeded" and data["host"] == host
    files = data["files"]
    assert isinstance(files, dict)
    assert_playable(Path(files["video"]))
    sidecar = json.loads(Path(files["sidecar"]).read_text(encoding="utf-8"))
    assert sidecar  # written, and valid JSON
    assert "vidu-sandbox-demo-key" not in Path(files["sidecar"]).read_text(encoding="utf-8")
    assert_playable(target)
    assert data["saved_to"] == str(target)
    assert submissions(emulator, host) == 1


def test_url_references_and_an_out_folder(cli: Cli, emulator: EmulatorServer, image: Path,
                                          tmp_path: Path) -> None:
    answer = httpx.post(f"{emulator.url}/_emulator/uploads", content=image.read_bytes(),
                        headers={"content-type": "image/png"})
    url = answer.json()["url"]
    folder = tmp_path / "exports"
    done = cli.run("generate", "-i", str(image), "-i", url, "-p", "x", "--wait",
                   "--out", str(folder))
    assert done.returncode == 0, done.stderr
    assert_playable(next(folder.glob("*.mp4")))
    assert list(folder.glob("*.json"))
    assert "saved to:" in done.stdout


def test_out_with_another_extension_is_refused_before_anything_is_sent(
        cli: Cli, emulator: EmulatorServer, image: Path) -> None:
    done = cli.run("generate", "-i", str(image), "-p", "x", "--out", "clip.mov")
    assert done.returncode == 2
    assert "--out takes a folder or a .mp4 file name" in done.stderr
    assert submissions(emulator) == 0


# -- one message and one exit code per failure kind ------------------------------------------
def test_missing_key(cli: Cli, emulator: EmulatorServer, image: Path) -> None:
    done = cli.run("generate", "-i", str(image), "-p", "x", "--wait",
                   env={"VIDU_API_KEY": None})
    assert done.returncode == 3
    assert "No API key for Vidu." in done.stderr
    assert "vidu-cli key set vidu" in done.stderr and "VIDU_API_KEY" in done.stderr
    assert "Traceback" not in done.stderr
    assert cli.rows() == [] and submissions(emulator) == 0


@pytest.mark.parametrize(("args", "says"), [
    (["--resolution", "720p", "--aspect-ratio", "4:3"],
     ["allowed: 1080p", "allowed: 16:9, 9:16, 1:1"]),
    (["--duration", "7"], ["allowed: 5"]),
    (["--model", "vidu9"], ["allowed: " + ", ".join(  # every Vidu reference model, in order
        m.model for m in provider(ProviderId.VIDU).models_for(Mode.REFERENCE2VIDEO))]),
])
def test_invalid_parameter_names_the_allowed_values(cli: Cli, emulator: EmulatorServer,
                                                    image: Path, args: list[str],
                                                    says: list[str]) -> None:
    done = cli.run("generate", "-i", str(image), "-p", "x", *args)
    assert done.returncode == 2, done.stderr
    assert all(s in done.stderr for s in says), done.stderr
    assert "Traceback" not in done.stderr
    assert submissions(emulator) == 0


def test_prompt_too_long_gives_the_count(cli: Cli, image: Path) -> None:
    done = cli.run("generate", "-i", str(image), "-p", "é" * 1501, "--json")
    assert done.returncode == 2
    assert "1501 characters" in done.stderr and "limit is 1500" in done.stderr
    error = one_json(done.stdout)["error"]
    assert isinstance(error, dict) and error["exit_code"] == 2


def test_unreadable_images_are_named(cli: Cli, tmp_path: Path) -> None:
    text = tmp_path / "notes.png"
    text.write_text("not a picture at all")
    done = cli.run("generate", "-i", str(text), "-p", "x")
    assert done.returncode == 8
    assert "notes.png" in done.stderr and "not a picture" in done.stderr
    missing = cli.run("generate", "-i", str(tmp_path / "gone.jpg"), "-p", "x")
    assert missing.returncode == 8
    assert "gone.jpg does not exist" in missing.stderr


def test_refused_key(cli: Cli, image: Path) -> None:
    done = cli.run("generate", "-i", str(image), "-p", "x", "--wait",
                   env={"VIDU_API_KEY": "not-the-key"})
    assert done.returncode == 3, done.stderr
    assert "refused the API key" in done.stderr
    assert "vidu-cli key set vidu" in done.stderr
    assert "not-the-key" not in done.stdout + done.stderr


def test_not_enough_credits(cli: Cli, emulator: EmulatorServer, image: Path) -> None:
    control(emulator, "keys", {"key": "empty-wallet", "balance": 0})
    done = cli.run("generate", "-i", str(image), "-p", "x", "--wait",
                   env={"VIDU_API_KEY": "empty-wallet"})
    assert done.returncode == 4, done.stderr
    assert "Not enough credits" in done.stderr


def test_moderation(cli: Cli, emulator: EmulatorServer, image: Path) -> None:
    control(emulator, "faults", {"action": "fail", "code": "CreationPolicyViolation"})
    done = cli.run("generate", "-i", str(image), "-p", "x", "--wait")
    assert done.returncode == 5, done.stderr
    assert "content policy" in done.stderr


def test_unreachable_host_keeps_the_task_in_the_outbox_until_resume(
        cli: Cli, emulator: EmulatorServer, image: Path) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}/vidu"
    done = cli.run("--base-url", f"vidu={dead}", "generate", "-i", str(image), "-p", "x",
                   "--wait")
    assert done.returncode == 6, done.stderr
    assert "Could not reach Vidu" in done.stderr and "outbox" in done.stderr
    assert submissions(emulator) == 0
    # the next run uses the emulator again (the address is remembered per profile)
    again = cli.run("resume")
    assert again.returncode == 0, again.stderr
    assert cli.state() == "succeeded" and submissions(emulator) == 1


# -- the other commands ----------------------------------------------------------------------
def test_status_list_and_download(cli: Cli, emulator: EmulatorServer, image: Path,
                                  tmp_path: Path) -> None:
    control(emulator, "config", {"time_scale": 0.05})
    sent = cli.run("generate", "-i", str(image), "-p", "a lighthouse", "--json")
    assert sent.returncode == 0, sent.stderr
    task = one_json(sent.stdout)
    assert task["state"] in ("queued", "processing") and task["remote_id"]
    status = cli.json("status", str(task["remote_id"]))  # the host's id works too
    assert status["id"] == task["id"]
    listed = cli.run("list", "--state", "queued", "--state", "processing")
    assert str(task["id"]) in listed.stdout and "a lighthouse" in listed.stdout
    fetched = cli.run("download", str(task["id"]), "--out", str(tmp_path / "got.mp4"))
    assert fetched.returncode == 0, fetched.stderr
    assert_playable(tmp_path / "got.mp4")
    again = cli.run("download", str(task["id"]), "--out", str(tmp_path / "copies"), "--json")
    assert again.returncode == 0, again.stderr
    assert one_json(again.stdout)["state"] == "succeeded"
    assert_playable(next((tmp_path / "copies").glob("*.mp4")))
    assert submissions(emulator) == 1


def test_cancel_a_queued_vidu_task_on_the_server(cli: Cli, emulator: EmulatorServer,
                                                 image: Path) -> None:
    control(emulator, "faults", {"action": "stuck", "provider": "vidu"})
    sent = cli.run("generate", "-i", str(image), "-p", "x", "--json")
    task = one_json(sent.stdout)
    done = cli.run("cancel", str(task["id"]))
    assert done.returncode == 0, done.stderr
    assert "cancelled on the server" in done.stdout
    assert cli.state() == "cancelled"
    phases = [t["phase"] for t in control(emulator, "tasks")["tasks"]]
    assert phases == ["cancelled"]


def test_cancel_on_novita_only_stops_tracking(cli: Cli, emulator: EmulatorServer,
                                              image: Path) -> None:
    control(emulator, "faults", {"action": "stuck", "provider": "novita"})
    sent = cli.run("generate", "-H", "novita", "-i", str(image), "-p", "x", "--json")
    task = one_json(sent.stdout)
    done = cli.run("cancel", str(task["id"]))
    assert done.returncode == 10, done.stderr
    assert "stopped tracking" in done.stdout
    assert cli.state() == "untracked"


def test_providers_prints_every_host_and_model(cli: Cli) -> None:
    done = cli.run("providers")
    assert done.returncode == 0
    for name in ("Vidu (vidu)", "Novita", "HighwayAPI", "Segmind", "Vtrix", "viduq1",
                 "viduq1_reference2video", "VIDU_API_KEY"):
        assert name in done.stdout


def test_check_images(cli: Cli, image: Path, tmp_path: Path) -> None:
    good = cli.run("check-images", str(image))
    assert good.returncode == 0, good.stdout + good.stderr
    assert "ok" in good.stdout
    tiny = tmp_path / "tiny.png"
    from conftest import make_image

    tiny.write_bytes(make_image(64, 64))
    bad = cli.run("check-images", "--json", str(image), str(tiny))
    assert bad.returncode == 8
    verdicts = [i["verdict"] for i in json.loads(bad.stdout)["images"]]
    assert verdicts == ["ok", "error"]


def test_key_show_says_where_the_key_comes_from(cli: Cli) -> None:
    done = cli.run("key", "show", "vidu")
    assert done.returncode == 0 and "environment" in done.stdout


def test_an_empty_library(cli: Cli) -> None:
    done = cli.run("resume")
    assert done.returncode == 0 and "nothing to resume" in done.stdout
    unknown = cli.run("status", "no-such-task")
    assert unknown.returncode == 2 and "no task no-such-task" in unknown.stderr


def test_wait_prints_the_states_it_passes(cli: Cli, image: Path) -> None:
    done = cli.run("generate", "-i", str(image), "-p", "x", "--wait")
    assert done.returncode == 0, done.stderr
    assert "succeeded" in done.stdout
    assert "downloading" in done.stderr  # the states it passed, on stderr
