"""File names valid on every system (store/names.py), and the rename Windows refuses for a
moment (store/files.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from vidu_desktop.store import files
from vidu_desktop.store.names import (
    MAX_NAME_BYTES,
    is_reserved,
    name_problem,
    path_problem,
    safe_file_name,
)


@pytest.mark.parametrize("name", ["CON", "con", "nul.txt", "COM1", "lpt9.mp4", "AUX .json",
                                  "COM¹", "CONOUT$"])
def test_device_names_are_reserved(name):
    assert is_reserved(name)
    assert "device name" in name_problem(name)


@pytest.mark.parametrize("name", ["CONSOLE", "com10", "a con", "nullable.mp4", "LPT"])
def test_ordinary_names_are_not(name):
    assert not is_reserved(name) and name_problem(name) == ""


def test_what_windows_refuses_in_a_name():
    assert "Windows does not allow" in name_problem('a: "fox"?')
    assert "at the end" in name_problem("take one.")
    assert "at the end" in name_problem("take one ")
    assert name_problem("x" * 256)


def test_a_prompt_becomes_a_name_every_system_accepts():
    assert safe_file_name('A fox: "runs" / jumps?\n\tover <the> log...', ".json") == \
        "A fox runs jumps over the log.json"
    assert safe_file_name("con", ".json") == "con_.json"
    assert safe_file_name("  ...  ", ".mp4") == "untitled.mp4"
    long = safe_file_name("雪" * 300, ".json", max_chars=500)
    assert len(long.encode()) <= MAX_NAME_BYTES and long.endswith(".json")
    assert len(safe_file_name("a" * 300)) == 80
    for made in ("con", "a:b", "x. ", "é" * 200):
        assert name_problem(safe_file_name(made, ".json")) == ""


def test_paths_given_for_windows_are_checked_part_by_part():
    assert path_problem(r"C:\Users\ann\Videos\con.mp4", "win32").startswith("'con.mp4' has")
    assert path_problem(r"C:\Users\ann\Videos\take.mp4", "win32") == ""
    assert path_problem("videos/a?b.mp4", "win32")
    deep = "C:\\" + "\\".join(["folder"] * 40) + "\\take.mp4"
    assert "longer than 259" in path_problem(deep, "win32")
    assert path_problem("/home/ann/con.mp4", "linux") == ""  # a fine name there
    assert path_problem("/home/ann/" + "x" * 256, "linux")


def test_a_rename_refused_for_a_moment_is_tried_again(tmp_path: Path, monkeypatch):
    src, dst = tmp_path / "a.part", tmp_path / "a.mp4"
    src.write_bytes(b"video")
    real, calls = os.replace, []

    def flaky(a, b):  # a scanner holds the new file for two tries, as on Windows
        calls.append(a)
        if len(calls) <= 2:
            raise PermissionError(13, "Access is denied", str(a))
        real(a, b)

    monkeypatch.setattr(files.os, "replace", flaky)
    files.replace_retrying(src, dst, waits=(0.0, 0.0, 0.0))
    assert len(calls) == 3 and dst.read_bytes() == b"video" and not src.exists()


def test_a_rename_refused_every_time_raises_the_error(tmp_path: Path, monkeypatch):
    def refused(a, b):
        raise PermissionError(13, "Access is denied", str(a))

    monkeypatch.setattr(files.os, "replace", refused)
    target = tmp_path / "side.json"
    with pytest.raises(PermissionError):
        files.atomic_write_bytes(target, b"{}")
    assert list(tmp_path.iterdir()) == []  # no temporary left behind


def test_vidu_cli_out_refuses_a_path_windows_cannot_write(tmp_path: Path):
    from vidu_desktop.cli.output import out_target

    with pytest.raises(ValueError, match="device name on Windows"):
        out_target(str(tmp_path / "nul.mp4"), platform="win32")
    with pytest.raises(ValueError, match="does not allow"):
        out_target(str(tmp_path / "take?.mp4"), platform="win32")
    assert out_target(str(tmp_path / "take.mp4"), platform="win32") == tmp_path / "take.mp4"
    assert out_target(str(tmp_path / "nul.mp4"), platform="linux") == tmp_path / "nul.mp4"
