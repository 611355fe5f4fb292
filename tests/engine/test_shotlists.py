"""Importing a board from a CSV shot list and writing it back, through the engine: real files,
real pictures prepared by the imaging pipeline, the library's cast. A file with bad rows
names each and imports nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_image

from vidu_desktop.core.errors import AppError, ErrorKind

from .conftest import EngineFactory, run
from .test_cast_verbs import keep


def pictures(folder: Path) -> None:
    (folder / "beach.png").write_bytes(make_image(640, 360))
    (folder / "sea shore.jpg").write_bytes(make_image(480, 360, "JPEG", color=(10, 90, 200)))
    (folder / "tiny.png").write_bytes(make_image(40, 40))  # too small for any host
    (folder / "notes.png").write_text("not a picture")


GOOD = ("prompt,cast,references,duration,seed,bgm\n"
        "@mia walks on the beach,@mia,beach.png,5,7,yes\n"
        "the sea,,beach.png;sea shore.jpg,,,\n"
        "@mia and the sea,mia,sea shore.jpg,,,no\n")


def test_a_good_file_becomes_a_board_and_goes_back_out_the_same(
        make_engine: EngineFactory, tmp_path: Path) -> None:
    pictures(tmp_path)
    csv_file = tmp_path / "shots.csv"
    csv_file.write_text(GOOD, encoding="utf-8")

    async def scenario() -> None:
        async with make_engine() as engine:
            mia = engine.add_cast_member("mia", keep(engine, 1, 20))
            board = await engine.import_shot_list(csv_file, board_name="Beach",
                                                  provider="vidu", model="viduq1")
            assert (board.name, board.provider, board.model) == ("Beach", "vidu", "viduq1")
            one, two, three = board.shots
            assert (one.prompt, one.cast, one.parameters) == (
                "@mia walks on the beach", (mia.id,), {"duration": 5, "seed": 7, "bgm": True})
            assert [r.original_name for r in two.references] == ["beach.png", "sea shore.jpg"]
            assert one.references[0].sha256 == two.references[0].sha256  # prepared once
            assert all(engine.reference(r.sha256) for r in two.references)
            assert three.parameters == {"bgm": False}
            assert engine.plan_generation(board.id).problems == ()

            out = tmp_path / "back" / "shots.csv"
            engine.export_shot_list(board.id, out)
            for name in ("beach.png", "sea shore.jpg"):  # the pictures beside it
                (out.parent / name).write_bytes((tmp_path / name).read_bytes())
            again = await engine.import_shot_list(out, board_name="Beach 2", provider="vidu",
                                                  model="viduq1")
            assert [(s.prompt, s.cast, s.parameters, s.references) for s in again.shots] == [
                (s.prompt, s.cast, s.parameters, s.references) for s in board.shots]
            assert out.read_text("utf-8").splitlines()[0] == (
                "prompt,cast,references,duration,resolution,aspect_ratio,movement_amplitude,"
                "seed,bgm,audio")
    run(scenario())


def test_bad_rows_are_each_named_and_nothing_is_imported(
        make_engine: EngineFactory, tmp_path: Path) -> None:
    pictures(tmp_path)
    csv_file = tmp_path / "bad.csv"
    csv_file.write_text(
        "prompt,cast,references,duration,audio\n"
        "fine,,beach.png,5,\n"                          # row 2: good
        "@leo runs,leo,beach.png,,\n"                   # row 3: no such cast member
        "long,,beach.png,7,\n"                          # row 4: a duration not offered
        "lost,,gone.png;notes.png,,\n"                  # row 5: missing and not a picture
        ",,beach.png,,\n"                               # row 6: empty prompt
        "small,,tiny.png,,yes\n"                        # row 7: too small, and no audio
        "no pictures,,,,\n"                             # row 8: the model needs one
        "two,,beach.png,five,\n",                       # row 9: not a number
        encoding="utf-8")

    async def scenario() -> None:
        async with make_engine() as engine:
            engine.add_cast_member("mia", keep(engine, 1, 20))
            refs_before = sorted(p.name for p in engine.paths.refs_dir.rglob("*"))
            with pytest.raises(AppError) as err:
                await engine.import_shot_list(csv_file, board_name="Bad", provider="vidu",
                                              model="viduq1")
            assert err.value.kind == ErrorKind.INVALID_PARAMETER and err.value.hint
            lines = err.value.message.splitlines()
            assert lines[0] == "The shot list bad.csv has 7 bad rows; nothing was imported."
            text = err.value.message
            for words in ("Row 3: no cast member is called 'leo'",
                          "Row 4: duration 7 s is not offered by Vidu viduq1 (offered: 5 s)",
                          "Row 5: the picture gone.png is not there",
                          "Row 5: notes.png is a text file",
                          "Row 6: the prompt is empty",
                          "Row 7: tiny.png is 40x40 px",
                          "Row 7: audio is not offered by Vidu viduq1",
                          "Row 8: 0 reference images given",
                          "Row 9: duration 'five' is not a whole number"):
                assert words in text, (words, text)
            assert "Row 2" not in text
            numbers = [int(line.split(":")[0].split()[1]) for line in lines[1:]]
            assert numbers == sorted(numbers)  # in the file's order
            assert engine.boards() == []
            assert sorted(p.name for p in engine.paths.refs_dir.rglob("*")) == refs_before

            csv_file.write_text("prompt,speed\nx,2\n", encoding="utf-8")
            with pytest.raises(AppError, match="Row 1: there is no column 'speed'"):
                await engine.import_shot_list(csv_file, board_name="Bad", provider="vidu",
                                              model="viduq1")
            with pytest.raises(AppError, match="cannot be read"):
                await engine.import_shot_list(tmp_path / "none.csv", board_name="Bad",
                                              provider="vidu", model="viduq1")
    run(scenario())
