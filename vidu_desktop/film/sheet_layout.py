"""Where the contact sheet puts things, in pixels at its print resolution.

Pages are A4 landscape at 150 dpi (1754 x 1240 px, 297 x 210 mm); a shot's cell holds its
picture (16:9) and below it three blocks of text: the shot number and the cost, up to three
lines of the prompt, the host and model. Sizes are chosen for print: the prompt at 20 px is
9.6 pt, the smallest text (18 px) 8.6 pt. The PNG is the same grid, every row on one picture;
the PDF has ``rows_per_page`` rows a page.
"""

from __future__ import annotations

import math

from vidu_desktop.core.records import record

Box = tuple[int, int, int, int]  # left, top, right, bottom (right and bottom excluded)


@record
class SheetLayout:
    dpi: int = 150
    page_width: int = 1754
    page_height: int = 1240
    margin: int = 60
    header: int = 64  # the title line above the grid
    columns: int = 4
    gap: int = 24
    title_px: int = 30
    label_px: int = 26  # "Shot 3", and the cost
    prompt_px: int = 20
    prompt_lines: int = 3
    meta_px: int = 18  # host and model
    padding: int = 10  # inside a cell, around the text

    @property
    def cell_width(self) -> int:
        inner = self.page_width - 2 * self.margin
        return (inner - (self.columns - 1) * self.gap) // self.columns

    @property
    def picture_height(self) -> int:
        return round(self.cell_width * 9 / 16)

    def line_height(self, px: int) -> int:
        return math.ceil(px * 1.3)

    @property
    def text_height(self) -> int:
        return (2 * self.padding + self.line_height(self.label_px)
                + self.prompt_lines * self.line_height(self.prompt_px)
                + self.line_height(self.meta_px) + self.padding)

    @property
    def cell_height(self) -> int:
        return self.picture_height + self.text_height

    @property
    def rows_per_page(self) -> int:
        room = self.page_height - 2 * self.margin - self.header + self.gap
        return max(1, room // (self.cell_height + self.gap))

    @property
    def per_page(self) -> int:
        return self.rows_per_page * self.columns

    def rows(self, count: int) -> int:
        return max(1, math.ceil(count / self.columns))

    def pages(self, count: int) -> int:
        return max(1, math.ceil(count / self.per_page))

    def png_size(self, count: int) -> tuple[int, int]:
        """The PNG: the page's width, every row."""
        rows = self.rows(count)
        height = (2 * self.margin + self.header + rows * self.cell_height
                  + (rows - 1) * self.gap)
        return self.page_width, height

    def cell_box(self, index: int, *, paged: bool = False) -> Box:
        """Cell ``index`` (0-based) on the PNG, or on its PDF page with ``paged``."""
        slot = index % self.per_page if paged else index
        row, column = divmod(slot, self.columns)
        left = self.margin + column * (self.cell_width + self.gap)
        top = self.margin + self.header + row * (self.cell_height + self.gap)
        return left, top, left + self.cell_width, top + self.cell_height

    def picture_box(self, cell: Box) -> Box:
        left, top, right, _ = cell
        return left, top, right, top + self.picture_height
