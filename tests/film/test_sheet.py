"""The contact sheet: a cell per shot, on a grid that holds them, nothing outside its cell."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from vidu_desktop.core.errors import AppError, ErrorKind
from vidu_desktop.film import SheetLayout, Take, write_contact_sheet
from vidu_desktop.film.fonts import font
from vidu_desktop.film.sheet import MATTE, PAPER
from vidu_desktop.film.text_fit import ELLIPSIS, elide, wrap

LONG = ("@mia walks through a rain-soaked neon market at night, the camera tracking low "
        "behind her as lanterns sway overhead; she stops at a noodle stall ") * 4
UNBROKEN = "Supercalifragilistic" * 12  # no space to break at
CJK = "米娅穿过雨夜的霓虹市场，镜头低角度跟随，灯笼摇曳，她在面摊前停下，转身微笑。" * 3


def _cover(folder: Path, name: str, size: tuple[int, int], colour: tuple[int, int, int]) -> Path:
    path = folder / name
    Image.new("RGB", size, colour).save(path)
    return path


@pytest.fixture
def shots(make: Callable[..., Take], tmp_path: Path) -> list[Take]:
    red = _cover(tmp_path, "red.png", (1920, 1080), (200, 40, 30))
    tall = _cover(tmp_path, "tall.png", (720, 1280), (30, 160, 60))
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a picture")
    prompts = ["A short prompt", LONG, CJK, UNBROKEN]
    takes = []
    for i in range(10):
        cover = {0: red, 1: tall, 2: broken}.get(i)
        takes.append(make(f"t{i}", shot=i + 1, shade=30 + i * 20, prompt=prompts[i % 4],
                          cover=cover))
    return takes


def _blank(image: Image.Image, box: tuple[int, int, int, int]) -> bool:
    return ImageStat.Stat(image.crop(box)).extrema == [(255, 255)] * 3


def test_one_cell_per_shot_on_the_grid(shots: list[Take], tmp_path: Path) -> None:
    sheet = write_contact_sheet(shots, tmp_path / "sheet.png", title="Night market")
    layout = sheet.layout
    with Image.open(sheet.png) as im:
        image = im.convert("RGB")
    assert image.size == layout.png_size(10)
    assert layout.rows(10) == 3  # 4 columns: 4 + 4 + 2
    assert image.size[1] == (2 * layout.margin + layout.header + 3 * layout.cell_height
                             + 2 * layout.gap)
    for i in range(10):
        cell = layout.cell_box(i)
        picture = layout.picture_box(cell)
        assert not _blank(image, cell)
        middle = ((picture[0] + picture[2]) // 2, (picture[1] + picture[3]) // 2)
        assert image.getpixel(middle) not in (PAPER, MATTE), f"cell {i} has no picture"
        text = (cell[0], picture[3], cell[2], cell[3])
        assert ImageStat.Stat(image.crop(text).convert("L")).extrema[0][0] < 80, \
            f"cell {i} has no text"
    first = layout.picture_box(layout.cell_box(0))
    assert image.getpixel((first[0] + 20, first[1] + 20)) == (200, 40, 30)  # its cover
    tall = layout.picture_box(layout.cell_box(1))  # a portrait cover, whole, bars beside it
    assert image.getpixel((tall[0] + 5, (tall[1] + tall[3]) // 2)) == MATTE
    assert image.getpixel(((tall[0] + tall[2]) // 2, (tall[1] + tall[3]) // 2)) == (30, 160, 60)
    for empty in (10, 11):  # the last row's free slots stay paper
        assert _blank(image, layout.cell_box(empty))


def test_nothing_leaves_its_cell(shots: list[Take], tmp_path: Path) -> None:
    sheet = write_contact_sheet(shots, tmp_path / "sheet.png")
    layout = sheet.layout
    with Image.open(sheet.png) as im:
        image = im.convert("RGB")
    width, height = image.size
    top = layout.margin + layout.header
    for column in range(layout.columns - 1):  # the gaps between columns, every row
        right = layout.cell_box(column)[2]
        assert _blank(image, (right, top, right + layout.gap, height))
    for row in range(layout.rows(10) - 1):  # the gaps between rows
        bottom = layout.cell_box(row * layout.columns)[3]
        assert _blank(image, (0, bottom, width, bottom + layout.gap))
    assert _blank(image, (0, height - layout.margin, width, height))
    assert _blank(image, (width - layout.margin, 0, width, height))


def test_the_pdf_has_a4_pages_of_the_grid(shots: list[Take], tmp_path: Path) -> None:
    sheet = write_contact_sheet(shots, tmp_path / "sheet.png", tmp_path / "print.pdf")
    assert sheet.pdf == tmp_path / "print.pdf"
    data = sheet.pdf.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    layout = sheet.layout
    assert layout.per_page == 8 and sheet.pages == 2
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", data)) == 2
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    assert len(boxes) == 2
    for w, h in boxes:  # A4 landscape: 297 x 210 mm is 842 x 595 points
        assert float(w) == pytest.approx(842, abs=1) and float(h) == pytest.approx(595, abs=1)
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".png", ".pdf")) == [
        "broken.png", "print.pdf", "red.png", "sheet.png", "tall.png"]


def test_one_shot_one_page(make: Callable[..., Take], tmp_path: Path) -> None:
    sheet = write_contact_sheet([make("only", shot=1)], tmp_path / "sheet.png")
    assert sheet.pages == 1 and sheet.count == 1
    with Image.open(sheet.png) as im:
        assert im.size == SheetLayout().png_size(1)


def test_cancel_and_empty_leave_no_file(shots: list[Take], tmp_path: Path) -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(AppError) as caught:
        write_contact_sheet(shots, tmp_path / "sheet.png", cancel=cancel)
    assert caught.value.kind == ErrorKind.CANCELLED
    with pytest.raises(AppError) as caught:
        write_contact_sheet([], tmp_path / "sheet.png")
    assert "no shots" in caught.value.message
    assert not any(p.name.startswith(("sheet", ".sheet")) for p in tmp_path.iterdir())


@pytest.mark.parametrize("text", [LONG, UNBROKEN, CJK, "short"])
def test_wrapped_text_fits_its_width_and_lines(text: str) -> None:
    face = font(20)
    lines = wrap(text, face, 300, 3)
    assert 1 <= len(lines) <= 3
    assert all(face.getlength(line) <= 300 for line in lines)
    if text == "short":
        assert lines == ["short"]
    else:
        assert lines[-1].endswith(ELLIPSIS)
    if text == LONG:
        assert not lines[0].endswith(" ") and lines[1][0] != " "  # broken at a space


def test_elide_keeps_what_fits() -> None:
    face = font(18)
    assert elide("Vidu · viduq1", face, 500) == "Vidu · viduq1"
    cut = elide("Segmind · " + "x" * 200, face, 150)
    assert cut.endswith(ELLIPSIS) and face.getlength(cut) <= 150
