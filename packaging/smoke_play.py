"""Smoke player, frozen next to ``vidu-desktop`` in the same bundle as ``vidu-smoke-play``.

    vidu-smoke-play CLIP.mp4 [--frames N] [--timeout S] [--bundle]

Plays CLIP with QMediaPlayer into a QVideoSink (offscreen unless QT_QPA_PLATFORM says
otherwise) and exits 0 once N valid video frames have arrived, 1 on a player error or timeout.
That proves the Qt multimedia plugin (FFmpeg backend) and its libraries are in the bundle: an
import test would not notice them missing.

``--bundle`` first checks the rest of what the spec collects, importing it the way the app
does: the keyring backends for this system, PyAV (encodes one H.264 frame in memory), uvicorn's
dynamically imported modules, starlette, qasync and the icons, found as the app finds them
(:func:`vidu_desktop.ui.common.resources.resource_dir`: ``vidu_desktop/resources/`` in the bundle).

It is also runnable unfrozen (``python packaging/smoke_play.py clip.mp4``) for comparison.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path


def resources_dir() -> Path | None:
    """The app's resources, found as the app finds them (None when missing)."""
    from vidu_desktop.ui.common.resources import resource_dir

    return resource_dir()


def check_bundle() -> list[str]:
    """What is missing from the bundle, as readable lines (empty when all is there)."""
    problems: list[str] = []

    # keyring: backends are found through entry points (needs keyring's metadata) + imports
    try:
        from keyring import backend

        names = sorted(type(k).__module__ + "." + type(k).__name__
                       for k in backend.get_all_keyring())
        print("keyring backends:", ", ".join(names) or "(none viable)")
        wanted = {"linux": "keyring.backends.SecretService", "darwin": "keyring.backends.macOS",
                  "win32": "keyring.backends.Windows"}.get(sys.platform)
        if wanted:
            importlib.import_module(wanted)
        if any(n.startswith("keyrings.alt") for n in names):
            problems.append("keyrings.alt is bundled: it stores keys in plain text")
    except Exception as exc:
        problems.append(f"keyring: {exc!r}")

    # PyAV: the sandbox emulator renders placeholder videos with it
    try:
        import io

        import av

        buf = io.BytesIO()
        with av.open(buf, mode="w", format="mp4") as out:
            stream = out.add_stream("libx264", rate=24)
            stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
            frame = av.VideoFrame(64, 64, "yuv420p")
            for packet in stream.encode(frame):
                out.mux(packet)
            for packet in stream.encode(None):
                out.mux(packet)
        print(f"av {av.__version__}: encoded {len(buf.getvalue())} bytes of H.264")
    except Exception as exc:
        problems.append(f"av: {exc!r}")

    # uvicorn picks these by name at run time; starlette and qasync are plain imports
    for name in ("uvicorn", "uvicorn.logging", "uvicorn.loops.auto", "uvicorn.loops.asyncio",
                 "uvicorn.protocols.http.auto", "uvicorn.protocols.http.h11_impl",
                 "uvicorn.protocols.websockets.auto", "uvicorn.lifespan.on",
                 "uvicorn.lifespan.off", "starlette.applications", "qasync",
                 "vidu_desktop.emulator.server", "vidu_desktop.emulator.media"):
        try:
            importlib.import_module(name)
        except Exception as exc:
            problems.append(f"{name}: {exc!r}")

    folder = resources_dir()
    if folder is None:
        problems.append("missing resources:"
                        " vidu_desktop.ui.common.resources.resource_dir() is None")
    else:
        wanted = ["icons/vidu-studio.svg", "icons/hicolor/256x256/apps/vidu-studio.png",
                  "samples/place-lake.jpg"]
        if getattr(sys, "frozen", False):  # a checkout keeps them in packaging/linux/
            wanted.append("linux/vidu-desktop.desktop")
        for rel in wanted:
            if not (folder / rel).is_file():
                problems.append(f"missing resource: {folder / rel}")
    print("resources:", folder)
    return problems


def play(clip: Path, frames_wanted: int, timeout_s: float) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer, QUrl
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtMultimedia import QMediaPlayer, QVideoSink

    app = QGuiApplication(sys.argv[:1])
    player = QMediaPlayer()
    if not player.isAvailable():  # no multimedia backend plugin could be loaded
        print("FAIL: QMediaPlayer is not available: no multimedia backend (plugin missing?)")
        return 1
    sink = QVideoSink()
    player.setVideoSink(sink)
    state = {"frames": 0, "code": 1, "size": ""}

    def finish(code: int, message: str) -> None:
        if state.get("done"):
            return
        state["done"], state["code"] = True, code
        print(message, flush=True)
        player.stop()
        app.exit(code)

    def on_frame(frame: object) -> None:
        if frame.isValid():  # type: ignore[attr-defined]
            state["frames"] += 1
            size = frame.size()  # type: ignore[attr-defined]
            state["size"] = f"{size.width()}x{size.height()}"
            if state["frames"] >= frames_wanted:
                finish(0, f"OK: {state['frames']} frame(s) of {state['size']} from {clip.name}")

    def on_error(error: object, text: str) -> None:
        finish(1, f"FAIL: player error {error}: {text}")

    def on_status(status: object) -> None:
        if status == QMediaPlayer.MediaStatus.InvalidMedia:
            finish(1, f"FAIL: invalid media: {player.errorString()}")
        elif status == QMediaPlayer.MediaStatus.EndOfMedia:
            finish(1 if state["frames"] == 0 else 0,
                   f"end of media after {state['frames']} frame(s)")

    sink.videoFrameChanged.connect(on_frame)
    player.errorOccurred.connect(on_error)
    player.mediaStatusChanged.connect(on_status)
    QTimer.singleShot(int(timeout_s * 1000), lambda: finish(
        1, f"FAIL: timeout after {timeout_s:g} s with {state['frames']} frame(s)"))
    player.setSource(QUrl.fromLocalFile(str(clip.resolve())))
    player.play()
    app.exec()
    return int(state["code"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="vidu-smoke-play", description=(
        "Play a clip with QMediaPlayer offscreen; exit 0 when video frames arrive."))
    parser.add_argument("clip", type=Path)
    parser.add_argument("--frames", type=int, default=3, help="frames to wait for (default 3)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds (default 30)")
    parser.add_argument("--bundle", action="store_true",
                        help="also check keyring backends, PyAV, uvicorn and resources")
    args = parser.parse_args(argv)
    if not args.clip.is_file():
        print(f"FAIL: no such clip: {args.clip}")
        return 1
    if args.bundle:
        problems = check_bundle()
        for line in problems:
            print("FAIL:", line)
        if problems:
            return 1
    return play(args.clip, max(1, args.frames), args.timeout)


if __name__ == "__main__":
    sys.exit(main())
