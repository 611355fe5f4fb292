"""`vidu-desktop --sandbox --profile-dir DIR --self-test` as a user (or CI) runs it: a real
process, offscreen, its own sandbox emulator; exit 0 with DIR/self-test.png, or non-zero with
the reason."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from .test_shell_single_instance import _env


def self_test(profile: Path, *extra: str, env: dict[str, str] | None = None
              ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "vidu_desktop.app", *extra, "--profile-dir",
                           str(profile), "--self-test"], env=env or _env(), text=True,
                          capture_output=True, timeout=240)


def test_the_self_test_command_plays_a_clip_and_saves_a_screenshot(tmp_path):
    done = self_test(tmp_path / "profile", "--sandbox")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("self-test passed\n")
    assert "played: a frame is on screen" in done.stdout
    shot = QImage(str(tmp_path / "profile" / "self-test.png"))
    assert not shot.isNull() and shot.width() >= 640 and shot.height() >= 480
    # a quiet terminal: Qt's and FFmpeg's messages are in the log, not on stderr
    for noise in ("Input #0", "Stream #0", "qt.multimedia", "FFmpeg", "propagateSizeHints",
                  "PulseAudio"):
        assert noise not in done.stderr, done.stderr
    log = (tmp_path / "profile" / "logs" / "app.log").read_text()
    assert "WARNING qt.multimedia" in log or "WARNING qt:" in log


def test_the_self_test_command_fails_with_the_reason_outside_the_sandbox(tmp_path):
    env = {**_env(), "VIDU_API_KEY": "a-real-looking-key"}  # a key: no automatic sandbox
    done = self_test(tmp_path / "profile", env=env)
    assert done.returncode == 1
    assert "self-test FAILED: the self-test runs only in sandbox mode (add --sandbox)" \
        in done.stdout
    assert "a-real-looking-key" not in done.stdout + done.stderr
    assert not (tmp_path / "profile" / "self-test.png").exists()
