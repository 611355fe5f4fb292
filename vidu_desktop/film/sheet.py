"""The contact sheet: a cell per shot with its picture, number, prompt, host, model and cost,
as a PNG (every row on one picture) and a PDF (A4 landscape pages), with Pillow.

A shot's picture is its take's cover, or the take's first frame when it has none (or the cover
cannot be read); it is fitted inside the cell's 16:9 box whole (a portrait take gets bars at the
sides). Text is measured with the font that draws it (``text_fit``), so it stays in its cell.
Both files are written whole or not at all (``partfiles``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

from PIL import Image, ImageDraw, ImageOps

from vidu_desktop.core.records import record

from ..core.formatting import host_label
from . import partfiles
from .cut import Take
from .errors import input_problem
from .fonts import font_for
from .progress import CancelFlag, Progress, ProgressCallback
from .sheet_layout import Box, SheetLayout
from .text_fit import elide, wrap

PAPER = (255, 255, 255)
INK = (20, 20, 20)
MUTED = (90, 90, 90)
FRAME = (200, 200, 200)
MATTE = (32, 32, 32)  # behind a picture that does not fill its box


@record
class ContactSheet:
    png: Path
    pdf: Path
    layout: SheetLayout
    count: int  # cells (shots)
    pages: int  # of the PDF


def first_frame(path: Path) -> Image.Image | None:
    """The take's first video frame, or None when it cannot be decoded."""
    import av
    import av.error

    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            for frame in container.decode(stream):
                image: Image.Image = cast(Any, frame).to_image()  # PyAV leaves it unannotated
                return image
    except (av.error.FFmpegError, IndexError, OSError):
        return None
    return None


def picture_of(take: Take) -> Image.Image | None:
    """The cover, else the first frame, as RGB; None when neither can be read."""
    if take.cover is not None:
        with (contextlib.suppress(OSError, ValueError, Image.DecompressionBombError),
              Image.open(take.cover) as im):
            im.load()
            return ImageOps.exif_transpose(im).convert("RGB")
    frame = first_frame(Path(take.path))
    return frame.convert("RGB") if frame is not None else None


def _draw_picture(sheet: Image.Image, box: Box, picture: Image.Image | None,
                  layout: SheetLayout) -> None:
    left, top, right, bottom = box
    draw = ImageDraw.Draw(sheet)
    draw.rectangle((left, top, right - 1, bottom - 1), fill=MATTE)
    if picture is None:
        text = "no picture"
        font = font_for(text, layout.prompt_px)
        w = font.getlength(text)
        draw.text(((left + right - w) / 2, (top + bottom - layout.prompt_px) / 2), text,
                  fill=(200, 200, 200), font=font)
        return
    fitted = ImageOps.contain(picture, (right - left, bottom - top),
                              Image.Resampling.LANCZOS)
    sheet.paste(fitted, (left + (right - left - fitted.width) // 2,
                         top + (bottom - top - fitted.height) // 2))


def _draw_cell(sheet: Image.Image, box: Box, take: Take, picture: Image.Image | None,
               layout: SheetLayout) -> None:
    draw = ImageDraw.Draw(sheet)
    left, top, right, bottom = box
    _draw_picture(sheet, layout.picture_box(box), picture, layout)
    draw.rectangle((left, top, right - 1, bottom - 1), outline=FRAME, width=1)
    pad = layout.padding
    width = right - left - 2 * pad
    x = left + pad
    y = top + layout.picture_height + pad

    label = f"Shot {take.shot}"
    label_font = font_for(label, layout.label_px, bold=True)
    label = elide(label, label_font, width * 0.6)
    draw.text((x, y), label, fill=INK, font=label_font)
    cost = take.cost.strip()
    if cost:  # right-aligned in the room the label leaves
        cost_font = font_for(cost, layout.label_px)
        cost = elide(cost, cost_font, width - label_font.getlength(label) - pad)
        draw.text((right - pad - cost_font.getlength(cost), y), cost, fill=INK,
                  font=cost_font)
    y += layout.line_height(layout.label_px)

    prompt = take.prompt.strip() or "(no prompt)"
    prompt_font = font_for(prompt, layout.prompt_px)
    for line in wrap(prompt, prompt_font, width, layout.prompt_lines):
        draw.text((x, y), line, fill=INK, font=prompt_font)
        y += layout.line_height(layout.prompt_px)
    y = (top + layout.picture_height + pad + layout.line_height(layout.label_px)
         + layout.prompt_lines * layout.line_height(layout.prompt_px) + pad // 2)

    meta = " · ".join(p for p in (host_label(take.host) if take.host else "", take.model) if p)
    if meta:
        meta_font = font_for(meta, layout.meta_px)
        draw.text((x, y), elide(meta, meta_font, width), fill=MUTED, font=meta_font)


def _title_line(draw: ImageDraw.ImageDraw, layout: SheetLayout, title: str, count: int,
                page: int = 0, pages: int = 1) -> None:
    text = f"{title} · {count} shot{'s' if count != 1 else ''}" if title else (
        f"{count} shot{'s' if count != 1 else ''}")
    if pages > 1:
        text += f" · page {page + 1} of {pages}"
    font = font_for(text, layout.title_px, bold=True)
    draw.text((layout.margin, layout.margin), elide(text, font, layout.page_width - 2 *
                                                    layout.margin), fill=INK, font=font)


def write_contact_sheet(takes: Sequence[Take], png: Path, pdf: Path | None = None, *,
                        title: str = "", layout: SheetLayout | None = None,
                        progress: ProgressCallback | None = None,
                        cancel: CancelFlag | None = None) -> ContactSheet:
    """Write the sheet of ``takes`` (in order) to ``png`` and ``pdf`` (default: ``png`` with
    ``.pdf``); raises ``AppError`` for an empty cut, CANCELLED, or a failed write."""
    if not takes:
        raise input_problem("The contact sheet has no shots.",
                            "Pick a take for at least one shot, then export again.")
    layout = layout or SheetLayout()
    png = Path(png)
    pdf = Path(pdf) if pdf is not None else png.with_suffix(".pdf")
    count = len(takes)
    steps = Progress(count + 1, progress, cancel, "contact sheet")
    whole = Image.new("RGB", layout.png_size(count), PAPER)
    pages = [Image.new("RGB", (layout.page_width, layout.page_height), PAPER)
             for _ in range(layout.pages(count))]
    _title_line(ImageDraw.Draw(whole), layout, title, count)
    for i, page in enumerate(pages):
        _title_line(ImageDraw.Draw(page), layout, title, count, i, len(pages))
    for i, take in enumerate(takes):
        steps.check()
        picture = picture_of(take)
        _draw_cell(whole, layout.cell_box(i), take, picture, layout)
        _draw_cell(pages[i // layout.per_page], layout.cell_box(i, paged=True), take,
                   picture, layout)
        steps.at(i + 1)
    steps.check()
    with partfiles.writing(png) as png_part, partfiles.writing(pdf) as pdf_part:
        whole.save(png_part, format="PNG", dpi=(layout.dpi, layout.dpi))
        pages[0].save(pdf_part, format="PDF", resolution=float(layout.dpi), save_all=True,
                      append_images=pages[1:], quality=92, title=title or "Contact sheet")
    steps.finish()
    return ContactSheet(png=png, pdf=pdf, layout=layout, count=count, pages=len(pages))
