"""The player (or the compare view) alone in a window, for screenshots and trying it by hand.

    python -m vidu_desktop.ui.review.demo VIDEO [VIDEO_B] [--state cover|play|pause|error]
                                          [--seek MS] [--loop] [--dark|--light]
                                          [--size 960x600] [--shot OUT.png] [--after MS]
    python -m vidu_desktop.ui.review.demo --cut VIDEO VIDEO ... [--missing N] [--shot OUT.png]

One video opens the player, two open the compare view; ``--cut`` plays the videos as the
shots of a cut in the Review pane (``--missing N``: shot N's file is missing). A cover is the
video's sibling ``.jpg`` when there is one (as the emulator and the downloads write them).
``--state``: ``cover`` shows the loaded file untouched, ``play`` plays it, ``pause`` seeks
(``--seek``, default 1000 ms) and holds the frame, ``error`` loads a missing file. ``--shot``
saves a grab of the window once that state is reached (``--after``), then quits.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMainWindow, QWidget

from vidu_desktop.ui.common import theme
from vidu_desktop.ui.review.compare import CompareWidget
from vidu_desktop.ui.review.cut_model import CutItem
from vidu_desktop.ui.review.player import PlayerWidget
from vidu_desktop.ui.review.review import ReviewPane


def cover_for(video: Path) -> Path | None:
    cover = video.with_suffix(".jpg")
    return cover if cover.is_file() else None


def build(args: argparse.Namespace) -> tuple[QMainWindow, QWidget]:
    window = QMainWindow()
    videos = [Path(v) for v in args.videos]
    if args.cut:
        window.setWindowTitle("Review — the cut")
        pane = ReviewPane(lambda _local_id: {})
        items = [CutItem(v.with_name("missing take.mp4") if i == args.missing else v,
                         f"Shot {i}") for i, v in enumerate(videos, 1)]
        pane.play_cut(items)
        window.setCentralWidget(pane)
        width, _, height = args.size.partition("x")
        window.resize(int(width), int(height))
        return window, pane
    if args.state == "error":
        videos = [Path(videos[0]).with_name("no such take.mp4"), *videos[1:]]
    if len(videos) >= 2:
        window.setWindowTitle("Compare takes")
        compare = CompareWidget()
        compare.load(videos[0], videos[1], cover_for(videos[0]), cover_for(videos[1]))
        compare.set_loop(args.loop)
        widget: QWidget = compare
    else:
        window.setWindowTitle(f"Player — {videos[0].name}")
        player = PlayerWidget()
        player.load(videos[0], cover_for(videos[0]))
        player.set_loop(args.loop)
        widget = player
    window.setCentralWidget(widget)
    width, _, height = args.size.partition("x")
    window.resize(int(width), int(height))
    return window, widget


def start(widget: QWidget, args: argparse.Namespace) -> None:
    if not isinstance(widget, PlayerWidget | CompareWidget):
        return
    if args.state == "play":
        widget.play()
    elif args.state == "pause":
        widget.seek(args.seek)
    widget.setFocus()


def run(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="player_demo")
    parser.add_argument("videos", nargs="+", help="one video (player) or two (compare)")
    parser.add_argument("--state", choices=["cover", "play", "pause", "error"], default="play")
    parser.add_argument("--seek", type=int, default=1000, help="ms, for --state pause")
    parser.add_argument("--loop", action="store_true")
    parser.add_argument("--cut", action="store_true", help="the videos as one cut")
    parser.add_argument("--missing", type=int, default=0, help="with --cut: shot N is gone")
    parser.add_argument("--size", default="960x600", help="window size, WxH")
    parser.add_argument("--shot", type=Path, help="save a grab of the window here and quit")
    parser.add_argument("--after", type=int, default=1800, help="ms before --shot's grab")
    theme.add_scheme_options(parser)
    args = parser.parse_args(argv)
    app = theme.demo_application(args.scheme)
    window, widget = build(args)
    window.show()
    QTimer.singleShot(300, lambda: start(widget, args))  # let the media open first
    if args.shot:
        def shoot() -> None:
            window.grab().save(str(args.shot))
            app.quit()

        QTimer.singleShot(args.after, shoot)
    sys.exit(app.exec())


if __name__ == "__main__":
    run()
