"""``vidu-cli providers`` lists every model of the capability table with its limits and cost."""

from __future__ import annotations

import pytest

from vidu_desktop.cli.output import print_providers


def test_the_listing_shows_the_new_models(capsys: pytest.CaptureFixture[str]) -> None:
    print_providers()
    out = capsys.readouterr().out
    lines = out.splitlines()
    q2 = next(i for i, line in enumerate(lines) if line.strip().startswith("viduq2 "))
    assert "1-10 s: 720p/1080p" in lines[q2] and "ratio 16:9/9:16/4:3/3:4/1:1" in lines[q2]
    assert "prompt <= 2000" in lines[q2]
    assert "cost about 4.5 credits (5 s × 0.5 credits/s + 2 credits)" in lines[q2]
    detail = lines[q2 + 1]
    assert "subjects: up to 7, 3 pictures each, 7 in all, with voices" in detail
    assert "audio (not off-peak)" in detail and "at 1080p about 11.5 credits" in detail
    assert "with audio about 6 credits" in detail
    q1 = next(line for line in lines if line.strip().startswith("viduq1 "))
    assert "5 s: 1080p;" in q1 and "cost about 8 credits" in q1
    assert "3-16 s: 720p/540p/1080p" in out and "/1:1/auto;" in out
    assert "no subjects (a cast goes as pictures in order" in out  # viduq3-mix
    for model in ("vidu-q2 ", "viduq2-pro-fast ", "viduq2_reference2video ",
                  "viduq2_pro_fast_reference2video "):
        assert model in out
    assert "1-8 s: 720p/1080p" in out  # Vtrix's viduq2-pro-fast
    assert "cost cost" not in out and "cost unknown (see the host's pricing page)" in out
