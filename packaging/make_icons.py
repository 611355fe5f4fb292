"""Render the app icon from its SVG source into every raster format the packages need.

    python packaging/make_icons.py            # writes into resources/icons/
    python packaging/make_icons.py --check    # exit 1 if any output is missing or stale

Outputs (all committed, so a build needs no renderer):
  resources/icons/hicolor/<N>x<N>/apps/vidu-studio.png  N = 16 24 32 48 64 128 256 512
                                                        (the freedesktop icon-theme layout)
  resources/icons/vidu-studio.ico                       Windows: 16 24 32 48 64 128 256
  resources/icons/vidu-studio.icns                      macOS: 16 … 1024 (retina sizes included)

Rendering uses QSvgRenderer (PySide6.QtSvg, in PySide6-Essentials) on an offscreen
QGuiApplication; ICO and ICNS are written by Pillow from those renders. At 24 px and below the
sprocket holes are dropped and the frame is drawn pixel-aligned: detail only adds blur there.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SVG = ICONS / "vidu-studio.svg"
NAME = "vidu-studio"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)
SMALL = 24  # at or below: the simplified drawing


def png_path(size: int, icons: Path = ICONS) -> Path:
    return icons / "hicolor" / f"{size}x{size}" / "apps" / f"{NAME}.png"


def outputs(icons: Path = ICONS) -> list[Path]:
    return [png_path(s, icons) for s in PNG_SIZES] + [
        icons / f"{NAME}.ico", icons / f"{NAME}.icns"]


# at 16 px the frame's stroke lands on whole pixels (2 px from the edge, 1 px wide)
SMALL_FRAME = ('<rect id="frame" x="40" y="72" width="176" height="128" rx="18" ry="18" '
               'fill="#ffffff" fill-opacity="0.16" stroke="#ffffff" stroke-width="16"/>')


def svg_for(size: int, source: str) -> bytes:
    """The SVG to render at ``size``: as drawn, or simplified for small sizes (no sprocket
    holes, a pixel-aligned heavier frame)."""
    if size <= SMALL:
        source = re.sub(r'<g id="sprockets".*?</g>', "", source, flags=re.S)
        source = re.sub(r'<rect id="frame".*?/>', SMALL_FRAME, source, flags=re.S)
    return source.encode()


def render_png(svg: bytes, size: int) -> bytes:
    """One square render of ``svg`` at ``size`` px, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(QByteArray(svg))
    if not renderer.isValid():
        raise SystemExit(f"{SVG}: QSvgRenderer cannot read it")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.convertToFormat(QImage.Format.Format_ARGB32).save(buf, "PNG")
    return bytes(buf.data().data())


def render_all(icons: Path = ICONS) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    source = SVG.read_text(encoding="utf-8")
    sizes = sorted(set(PNG_SIZES) | set(ICO_SIZES) | set(ICNS_SIZES))
    images = {s: Image.open(io.BytesIO(render_png(svg_for(s, source), s))).convert("RGBA")
              for s in sizes}
    written: list[Path] = []
    for s in PNG_SIZES:
        path = png_path(s, icons)
        path.parent.mkdir(parents=True, exist_ok=True)
        images[s].save(path, format="PNG", optimize=True)
        written.append(path)
    ico = icons / f"{NAME}.ico"
    largest = images[max(ICO_SIZES)]
    largest.save(ico, format="ICO", sizes=[(s, s) for s in ICO_SIZES],
                 append_images=[images[s] for s in ICO_SIZES if s != max(ICO_SIZES)])
    written.append(ico)
    icns = icons / f"{NAME}.icns"
    images[max(ICNS_SIZES)].save(
        icns, format="ICNS",
        append_images=[images[s] for s in ICNS_SIZES if s != max(ICNS_SIZES)])
    written.append(icns)
    return written


def stale(icons: Path = ICONS) -> list[Path]:
    src = SVG.stat().st_mtime
    return [p for p in outputs(icons) if not p.is_file() or p.stat().st_mtime < src]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="only report missing or stale outputs (exit 1 if any)")
    parser.add_argument("--if-needed", action="store_true",
                        help="render only when an output is missing or older than the SVG")
    args = parser.parse_args(argv)
    if args.check or args.if_needed:
        todo = stale()
        if not todo:
            print("icons up to date")
            return 0
        if args.check:
            for p in todo:
                print(f"missing or stale: {p.relative_to(ROOT)}")
            return 1
    for path in render_all():
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
