"""The reference tray alone in a window, for screenshots and trying it by hand.

    python -m vidu_desktop.ui.compose.tray.demo [--state empty|filled|cast] [--dark|--light]
                                                [--rules 1|7] [--size 1000x420]

``filled`` adds generated pictures: three that prepare, one too small (an error card) and one
link to a local server that never answers (a card that stays "preparing"); ``cast`` two cast
members (groups, as if made with "Make a subject…") and loose pictures. Runs on the app's
event loop setup (qasync) and quits when the window closes.
"""

from __future__ import annotations

import argparse
import asyncio
import http.server
import sys
import tempfile
import threading
from pathlib import Path

import qasync
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter
from PySide6.QtWidgets import QApplication, QMainWindow

from vidu_desktop.core.capabilities import ImageRules
from vidu_desktop.ui.compose.tray.tray import ReferenceTray, TrayGroup


def sample(path: Path, width: int, height: int, hue: int) -> Path:
    """A picture with a gradient and a circle, drawn with Qt (no Pillow in the UI layer)."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    gradient = QLinearGradient(QPointF(0, 0), QPointF(width, height))
    gradient.setColorAt(0, QColor.fromHsv(hue, 160, 230))
    gradient.setColorAt(1, QColor.fromHsv((hue + 60) % 360, 200, 120))
    painter.fillRect(image.rect(), gradient)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor.fromHsv((hue + 180) % 360, 120, 250))
    painter.setPen(Qt.PenStyle.NoPen)
    side = min(width, height) * 0.5
    painter.drawEllipse(QRectF(width / 2 - side / 2, height / 2 - side / 2, side, side))
    painter.end()
    image.save(str(path), quality=90)
    return path


class _Silent(http.server.BaseHTTPRequestHandler):
    """Accepts a request and never answers: a link that stays "preparing"."""

    def do_GET(self) -> None:
        threading.Event().wait(3600)

    def log_message(self, format: str, *args: object) -> None:
        pass


def silent_server() -> str:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Silent)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}"


def fill(tray: ReferenceTray, folder: Path) -> None:
    tray.add_paths([sample(folder / "man in red.jpg", 1200, 1600, 0),
                    sample(folder / "harbour at dusk.jpg", 3000, 2000, 200),
                    sample(folder / "street.png", 640, 360, 120),
                    sample(folder / "logo.png", 90, 90, 280)])
    tray.add_urls([f"{silent_server()}/images/cat.jpg"])
    tray.set_label(0, "the man in the red coat")


def fill_cast(tray: ReferenceTray, folder: Path) -> None:
    """Two cast members and two loose pictures; the groups are made once all are ready."""
    tray.add_paths([sample(folder / "mia front.jpg", 1200, 1600, 330),
                    sample(folder / "mia side.jpg", 1200, 1600, 300),
                    sample(folder / "red bicycle.png", 1600, 1200, 10),
                    sample(folder / "harbour at dusk.jpg", 3000, 2000, 200),
                    sample(folder / "street.png", 1280, 720, 120)])

    def group() -> None:
        items = tray.items()
        if len(items) < 5 or tray.pending() or tray.cast.groups():
            return
        tray.cast.make_group([items[0].id, items[1].id], TrayGroup(
            "demo-mia", "mia", "a girl of ten in a yellow raincoat", "voice-anna"))
        tray.cast.make_group([items[2].id], TrayGroup(
            "demo-bike", "red_bicycle", "her grandfather's old bicycle"))
        tray.set_label(3, "the harbour at dusk")

    tray.changed.connect(group)


async def main(args: argparse.Namespace) -> None:
    window = QMainWindow()
    window.setWindowTitle("Reference tray")
    rules = ImageRules(min_count=1, max_count=args.rules)
    tray = ReferenceTray(window, rules=rules)
    window.setCentralWidget(tray)
    width, _, height = args.size.partition("x")
    window.resize(int(width), int(height))
    folder = Path(tempfile.mkdtemp(prefix="tray-demo-"))
    if args.state == "filled":
        fill(tray, folder)
    elif args.state == "cast":
        fill_cast(tray, folder)
    closed = asyncio.get_running_loop().create_future()
    app = QApplication.instance()
    assert isinstance(app, QApplication)

    def finish() -> None:
        if not closed.done():
            closed.set_result(None)

    app.lastWindowClosed.connect(finish)
    window.show()
    await closed
    tray.shutdown()


def run(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="tray_demo")
    parser.add_argument("--state", choices=["empty", "filled", "cast"], default="filled")
    parser.add_argument("--rules", type=int, default=7, help="the model's maximum (1, 3, 7)")
    parser.add_argument("--size", default="1000x420", help="window size, WxH")
    scheme = parser.add_mutually_exclusive_group()
    scheme.add_argument("--dark", action="store_const", const="dark", dest="scheme")
    scheme.add_argument("--light", action="store_const", const="light", dest="scheme")
    args = parser.parse_args(argv)
    app = QApplication(sys.argv[:1])
    try:
        from vidu_desktop.ui.common import theme

        theme.install(app, args.scheme)
    except ImportError:  # the theme is another module's; the tray works without it
        pass
    asyncio.run(main(args), loop_factory=lambda: qasync.QEventLoop(app))


if __name__ == "__main__":
    run()
