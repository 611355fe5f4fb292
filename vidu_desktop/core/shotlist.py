"""Shot lists as CSV files: one row a shot, read and written with the standard library.

The first row names the columns (in any order, whatever their case); ``prompt`` is required,
the others are optional:

- ``cast``: cast member names separated by spaces or commas, with or without ``@``;
- ``references``: picture files separated by ``;`` (relative to the CSV file's folder);
- ``duration``, ``resolution``, ``aspect_ratio``, ``movement_amplitude``, ``seed``, ``bgm``,
  ``audio``: the shot's own value (empty: the board's default). ``bgm`` and ``audio`` take
  yes/no (true/false, 1/0, on/off).

Rows are numbered as a spreadsheet shows them: the header is row 1. An empty row is skipped.
:func:`read_shot_list` reports every problem it can see without the library (an unknown
column, a value of the wrong kind) per row; what needs the library and the model (cast names,
allowed values, readable pictures) is checked by the engine's import.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import field
from typing import Any

from vidu_desktop.core.records import record

COLUMNS = ("prompt", "cast", "references", "duration", "resolution", "aspect_ratio",
           "movement_amplitude", "seed", "bgm", "audio")
PARAMETER_COLUMNS = COLUMNS[3:]
_INTS = frozenset({"duration", "seed"})
_BOOLS = frozenset({"bgm", "audio"})
_YES = frozenset({"yes", "y", "true", "1", "on"})
_NO = frozenset({"no", "n", "false", "0", "off"})


@record
class ShotRow:
    row: int  # as a spreadsheet numbers it (the header is row 1)
    prompt: str
    cast: tuple[str, ...] = ()  # names, without "@"
    references: tuple[str, ...] = ()  # file names as written
    parameters: dict[str, Any] = field(default_factory=dict)  # only the cells not empty


@record
class ShotList:
    rows: tuple[ShotRow, ...]
    problems: tuple[str, ...]  # "Row 4: duration 'five' is not a whole number"


def cast_names(text: str) -> tuple[str, ...]:
    """"@mia leo, @sam" -> ("mia", "leo", "sam")."""
    return tuple(dict.fromkeys(n.lstrip("@") for n in re.split(r"[\s,]+", text)
                               if n.lstrip("@")))


def _value(column: str, text: str) -> tuple[Any, str]:
    """The cell's value and "" or None and the problem."""
    if column in _INTS:
        try:
            return int(text), ""
        except ValueError:
            return None, f"{column} {text!r} is not a whole number"
    if column in _BOOLS:
        word = text.lower()
        if word in _YES or word in _NO:
            return word in _YES, ""
        return None, f"{column} {text!r} is not yes or no"
    return text, ""


def _delimiter(text: str) -> str:
    """Commas, or the semicolons or tabs some spreadsheets write instead (read from the
    header)."""
    header = text.lstrip("\ufeff").split("\n", 1)[0].lower()
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_shot_list(text: str) -> ShotList:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=_delimiter(text)))
    if not rows or not any(c.strip() for c in rows[0]):
        return ShotList((), ("Row 1: the first row must name the columns "
                             f"({', '.join(COLUMNS)})",))
    header = [c.strip().lower().replace(" ", "_") for c in rows[0]]
    problems = [f"Row 1: there is no column {c!r} (the columns are: {', '.join(COLUMNS)})"
                for c in header if c and c not in COLUMNS]
    problems += [f"Row 1: the column {c!r} is given twice"
                 for c in dict.fromkeys(c for c in header if c and header.count(c) > 1)]
    if "prompt" not in header:
        problems.append("Row 1: there is no prompt column (it is the one column required)")
    if problems:
        return ShotList((), tuple(problems))
    shots: list[ShotRow] = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            problems.append(f"Row {number}: {len(cells)} cells for {len(header)} columns")
            continue
        values = {h: c.strip() for h, c in zip(header, cells, strict=False) if h}
        parameters: dict[str, Any] = {}
        bad = []
        for column in PARAMETER_COLUMNS:
            if values.get(column):
                value, problem = _value(column, values[column])
                if problem:
                    bad.append(problem)
                else:
                    parameters[column] = value
        if bad:
            problems += [f"Row {number}: {p}" for p in bad]
            continue
        refs = tuple(r.strip() for r in values.get("references", "").split(";") if r.strip())
        shots.append(ShotRow(number, values.get("prompt", ""),
                             cast_names(values.get("cast", "")), refs, parameters))
    return ShotList(tuple(shots), tuple(problems))


def write_shot_list(rows: Sequence[ShotRow]) -> str:
    """The CSV text of ``rows`` with every column (their ``row`` numbers are not written)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        cells = [row.prompt, " ".join(row.cast), ";".join(row.references)]
        for column in PARAMETER_COLUMNS:
            value = row.parameters.get(column)
            cells.append("" if value is None else ("yes" if value is True else "no"
                                                   if value is False else str(value)))
        writer.writerow(cells)
    return out.getvalue()
