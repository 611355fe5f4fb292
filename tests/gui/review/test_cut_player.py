"""Playing a cut: real H.264 takes (made with PyAV, as the film tests make them) back to back in
one player, offscreen through the FFmpeg backend: the shot boundaries on the bar, playback going
on from one take to the next, clicks on a shot and on the groove, the keys, a missing take."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from film.takes import make_take  # the film tests' takes (tests/ is on the path)
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtMultimedia import QMediaPlayer

from vidu_desktop.ui.review.cut_model import CutItem
from vidu_desktop.ui.review.cut_player import CutPlayer
from vidu_desktop.ui.review.review import ReviewPane

#: the four takes' lengths (seconds, at 12 fps: 12, 18, 9 and 12 frames)
LENGTHS = (1.0, 1.5, 0.75, 1.0)
_S = QMediaPlayer.PlaybackState


@pytest.fixture(scope="module")
def takes(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("cut-takes")
    return [make_take(folder / f"take {i}.mp4", seconds=seconds, shade=i * 50, shot=i).path
            for i, seconds in enumerate(LENGTHS, 1)]


def items_of(paths: list[Path], known: dict[int, float] | None = None) -> list[CutItem]:
    """Every length unknown (read from the file) but those in ``known`` (index: seconds)."""
    known = known or {}
    return [CutItem(p, f"Shot {i}", known.get(i - 1)) for i, p in enumerate(paths, 1)]


def stop(qtbot: Any, cut: CutPlayer) -> None:
    """Stop the way the app does (queued, see screen.py) and wait until it has."""
    screen = cut.screen_view
    if not shiboken6.isValid(screen.player):
        return
    screen.stop()
    qtbot.waitUntil(lambda: not shiboken6.isValid(screen.player)  # pytest-qt closed it
                    or screen.player.playbackState() == _S.StoppedState, timeout=5000)


@pytest.fixture
def cut(qtbot: Any) -> Iterator[CutPlayer]:
    widget = CutPlayer()
    qtbot.addWidget(widget)
    widget.resize(640, 420)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    stop(qtbot, widget)


def started(qtbot: Any, cut: CutPlayer, items: list[CutItem], play: bool = False) -> None:
    with qtbot.waitSignal(cut.ready, timeout=10_000):
        cut.play_cut(items, play=play)


def playing_from(cut: CutPlayer, path: Path) -> bool:
    player = cut.screen_view.player
    return player.source() == QUrl.fromLocalFile(str(path.resolve()))


def test_the_boundaries_sit_at_the_summed_durations(qtbot: Any, cut: CutPlayer,
                                                    takes: list[Path]) -> None:
    started(qtbot, cut, items_of(takes, known={1: 1.5}))  # one given, three read
    timeline = cut.timeline
    assert timeline is not None and not timeline.problems
    expected = [0.0, 1.0, 2.5, 3.25, 4.25]
    assert timeline.boundaries() == pytest.approx(expected, abs=1e-3)
    bar = cut.bar
    for index, start in enumerate(expected[:-1]):  # each shot's block starts at its time
        assert abs(bar.block_rect(index).left() - bar.x_of(start)) <= 2
    assert bar.block_rect(3).right() == pytest.approx(bar.x_of(4.25), abs=2)
    widths = [bar.block_rect(i).width() for i in range(4)]
    assert widths[1] > widths[0] > widths[2]  # as long as the takes are
    assert cut.caption.text() == "Shot 1 of 4 · 0:00 / 0:04"


def test_playback_goes_on_from_take_one_to_take_two(qtbot: Any, cut: CutPlayer,
                                                    takes: list[Path]) -> None:
    started(qtbot, cut, items_of(takes), play=True)
    qtbot.waitUntil(lambda: cut.screen_view.player.playbackState() == _S.PlayingState,
                    timeout=5000)
    assert playing_from(cut, takes[0])
    with qtbot.waitSignal(cut.shot_changed, timeout=10_000,
                          check_params_cb=lambda index: index == 1):
        pass  # take 1 reaches its end on its own
    qtbot.waitUntil(lambda: playing_from(cut, takes[1])
                    and cut.screen_view.player.playbackState() == _S.PlayingState
                    and cut.screen_view.player.position() > 0, timeout=5000)
    assert cut.playing
    assert cut.position() >= 1.0
    assert cut.caption.text().startswith("Shot 2 of 4 · 0:01")
    assert cut.bar.current == 1


def test_a_click_on_shot_three_seeks_into_take_three(qtbot: Any, cut: CutPlayer,
                                                     takes: list[Path]) -> None:
    started(qtbot, cut, items_of(takes))
    bar = cut.bar
    with qtbot.waitSignal(cut.shot_changed, timeout=3000,
                          check_params_cb=lambda index: index == 2):
        qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.block_rect(2).center())
    loaded = (QMediaPlayer.MediaStatus.LoadedMedia, QMediaPlayer.MediaStatus.BufferedMedia)
    qtbot.waitUntil(lambda: playing_from(cut, takes[2])
                    and cut.screen_view.player.mediaStatus() in loaded, timeout=5000)
    assert cut.screen_view.player.position() <= 100  # the shot's start
    assert cut.caption.text() == "Shot 3 of 4 · 0:02 / 0:04"
    assert not cut.playing  # paused it was, paused it stays (its first frame shown)

    # the groove under the blocks: that exact time, here 0.5 s into take 4
    groove = QPoint(round(bar.x_of(3.75)), bar.groove_y())
    with qtbot.waitSignal(cut.shot_changed, timeout=3000,
                          check_params_cb=lambda index: index == 3):
        qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=groove)
    qtbot.waitUntil(lambda: playing_from(cut, takes[3])
                    and abs(cut.screen_view.player.position() - 500) <= 100, timeout=5000)


def test_keys_play_and_go_from_shot_to_shot(qtbot: Any, cut: CutPlayer,
                                            takes: list[Path]) -> None:
    started(qtbot, cut, items_of(takes))
    cut.bar.setFocus()
    with qtbot.waitSignal(cut.shot_changed, check_params_cb=lambda index: index == 1):
        qtbot.keyClick(cut.bar, Qt.Key.Key_Right)
    with qtbot.waitSignal(cut.shot_changed, check_params_cb=lambda index: index == 2):
        qtbot.keyClick(cut.bar, Qt.Key.Key_Right)
    with qtbot.waitSignal(cut.shot_changed, check_params_cb=lambda index: index == 1):
        qtbot.keyClick(cut.bar, Qt.Key.Key_Left)
    qtbot.waitUntil(lambda: playing_from(cut, takes[1]))
    qtbot.keyClick(cut.bar, Qt.Key.Key_Space)
    assert cut.playing
    qtbot.waitUntil(lambda: cut.screen_view.player.playbackState() == _S.PlayingState,
                    timeout=5000)
    qtbot.keyClick(cut, Qt.Key.Key_Space)
    assert not cut.playing
    qtbot.waitUntil(lambda: cut.screen_view.player.playbackState() == _S.PausedState,
                    timeout=5000)


def test_a_missing_take_is_named_and_the_others_play(qtbot: Any, cut: CutPlayer,
                                                     takes: list[Path],
                                                     tmp_path: Path) -> None:
    paths = [takes[0], tmp_path / "gone.mp4", takes[2]]
    errors: list[str] = []
    cut.error.connect(errors.append)
    started(qtbot, cut, items_of(paths), play=True)
    assert cut.problems.isVisible()
    text = cut.problems.text()
    assert text.startswith("Shot 2: the take's file is missing (gone.mp4).")
    assert "pick another take for this shot" in text
    assert errors == [text]
    assert cut.timeline is not None
    assert [s.item.label for s in cut.timeline.spans] == ["Shot 1", "Shot 3"]
    with qtbot.waitSignal(cut.shot_changed, timeout=10_000,
                          check_params_cb=lambda index: index == 1):
        pass  # take 1 plays to its end, then the cut goes on with shot 3
    qtbot.waitUntil(lambda: playing_from(cut, takes[2]), timeout=5000)
    assert cut.caption.text().startswith("Shot 3 of 3 · 0:01")


def test_review_plays_a_cut_in_its_own_view(qtbot: Any, takes: list[Path]) -> None:
    pane = ReviewPane(lambda _id: {})
    qtbot.addWidget(pane)
    pane.resize(700, 500)
    pane.show()
    pane.play_cut(items_of(takes))
    view = pane.cut_view
    assert pane.current is view
    assert pane.title.text() == "The cut: 4 shots back to back"
    qtbot.waitUntil(lambda: view.timeline is not None, timeout=10_000)
    qtbot.waitUntil(lambda: view.screen_view.player.playbackState() == _S.PlayingState,
                    timeout=5000)
    pane.clear()  # back to the hint: the cut pauses
    qtbot.waitUntil(lambda: view.screen_view.player.playbackState() != _S.PlayingState,
                    timeout=5000)
    assert not view.playing
    stop(qtbot, view)
