"""The collector held off while the app starts: off from ``hold`` until ``release``, which
freezes what the start made and turns it on again; the start's ``ready`` releases it."""

from __future__ import annotations

import gc

import pytest

from vidu_desktop.ui.common import gc_hold


@pytest.fixture
def collector():
    """The collector on and unheld for each test, then as it was (off in the GUI tests: see
    gc_on_the_main_thread), the frozen objects thawed."""
    was = gc.isenabled()
    gc_hold.release()
    gc.enable()
    yield
    gc_hold.release()
    gc.unfreeze()
    if not was:
        gc.disable()


def test_hold_turns_the_collector_off_until_release(collector):
    frozen = gc.get_freeze_count()
    assert gc_hold.hold() is True
    assert not gc.isenabled() and gc_hold.held()
    assert gc_hold.hold() is False  # once
    kept = [object() for _ in range(10)], {"made": "while held"}
    assert gc_hold.release() is True
    assert gc.isenabled() and not gc_hold.held()
    assert gc.get_freeze_count() > frozen  # the start's objects: never walked again
    assert gc_hold.release() is False
    assert kept


def test_a_collector_turned_off_by_the_caller_stays_off(collector):
    gc.disable()
    assert gc_hold.hold() is False
    assert gc_hold.release() is False
    assert not gc.isenabled()
