"""Reading and writing shot lists: columns in any order and case, values of the right kind,
one problem per bad cell, and what is written reads back the same."""

from __future__ import annotations

from vidu_desktop.core.shotlist import ShotRow, cast_names, read_shot_list, write_shot_list


def test_a_good_file_in_any_column_order_and_case() -> None:
    text = ("\ufeffReferences,Prompt,CAST,duration,bgm,Seed\n"
            "beach.png; sea.png,@mia runs,\"@mia, leo\",5,yes,\n"
            ",,,,,\n"
            "sea.png,the sea,,,No,7\n")
    listed = read_shot_list(text)
    assert listed.problems == ()
    first, second = listed.rows
    assert (first.row, first.prompt, first.cast, first.references, first.parameters) == (
        2, "@mia runs", ("mia", "leo"), ("beach.png", "sea.png"),
        {"duration": 5, "bgm": True})
    assert (second.row, second.parameters) == (4, {"bgm": False, "seed": 7})  # row 3: empty


def test_semicolons_as_a_spreadsheet_writes_them() -> None:
    listed = read_shot_list("prompt;cast;duration\nthe sea;mia;5\n")
    assert listed.rows[0].cast == ("mia",) and listed.rows[0].parameters == {"duration": 5}


def test_every_bad_cell_and_column_is_named() -> None:
    assert read_shot_list("prompt,colour\nx,red\n").problems == (
        "Row 1: there is no column 'colour' (the columns are: prompt, cast, references, "
        "duration, resolution, aspect_ratio, movement_amplitude, seed, bgm, audio)",)
    assert read_shot_list("cast\nmia\n").problems == (
        "Row 1: there is no prompt column (it is the one column required)",)
    assert read_shot_list("").problems[0].startswith("Row 1: the first row must name")
    listed = read_shot_list("prompt,duration,audio\na,five,yes\nb,5,maybe\nc,4,no,extra\n"
                            "d,5,no\n")
    assert listed.problems == ("Row 2: duration 'five' is not a whole number",
                               "Row 3: audio 'maybe' is not yes or no",
                               "Row 4: 4 cells for 3 columns")
    assert [r.prompt for r in listed.rows] == ["d"]


def test_what_is_written_reads_back() -> None:
    rows = [ShotRow(2, 'say "hi", @mia', ("mia", "leo"), ("a b.png", "c.png"),
                    {"duration": 5, "audio": True, "bgm": False, "seed": 3}),
            ShotRow(3, "line one\nline two")]
    again = read_shot_list(write_shot_list(rows)).rows
    assert again == tuple(rows)
    assert cast_names("@a,b  @c a") == ("a", "b", "c")
