"""The cache (memory and disk) and the parallel batch with per-image progress."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from vidu_desktop.imaging import (
    BatchProgress,
    MemoryGate,
    PrepareCache,
    PreparedImage,
    PrepareOptions,
    prepare_batch,
    prepare_image,
)
from vidu_desktop.imaging import prepare as prepare_module

from .corpus import encode, photo

Write = Callable[[str, bytes], Path]


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the sources the pipeline really decoded."""
    calls: list[str] = []
    real = prepare_module._prepare

    def counting(src, *args):  # type: ignore[no-untyped-def]
        calls.append(src.name)
        return real(src, *args)

    monkeypatch.setattr(prepare_module, "_prepare", counting)
    return calls


def test_second_prepare_does_no_decode(corpus: Write, decodes: list[str]) -> None:
    path = corpus("a.jpg", encode(photo((1600, 1200)), "JPEG"))
    cache = PrepareCache()
    first = prepare_image(path, cache=cache)
    second = prepare_image(path, cache=cache)
    assert decodes == ["a.jpg"]
    assert not first.from_cache and second.from_cache
    assert second.data == first.data and cache.hits == 1
    # The same content under another name is the same work.
    copy = corpus("copy.jpg", path.read_bytes())
    assert prepare_image(copy, cache=cache).name == "copy.jpg" and decodes == ["a.jpg"]
    # Other options are other work.
    prepare_image(path, PrepareOptions(aspect="1:1"), cache=cache)
    assert decodes == ["a.jpg", "a.jpg"]


def test_disk_cache_survives_a_restart(corpus: Write, tmp_path: Path,
                                       decodes: list[str]) -> None:
    path = corpus("a.png", encode(photo((900, 700)), "PNG"))
    first = prepare_image(path, cache=PrepareCache(tmp_path / "cache"))
    again = prepare_image(path, cache=PrepareCache(tmp_path / "cache"))
    assert decodes == ["a.png"] and again.from_cache
    assert (again.data, again.thumbnail, again.fixes, again.original) == (
        first.data, first.thumbnail, first.fixes, first.original)
    for f in (tmp_path / "cache").rglob("*.img"):
        f.write_bytes(b"damaged")
    assert not prepare_image(path, cache=PrepareCache(tmp_path / "cache")).from_cache


def test_cache_respects_the_budget(corpus: Write, decodes: list[str]) -> None:
    path = corpus("p.jpg", encode(photo((2400, 1600), seed=9), "JPEG", quality=95))
    cache = PrepareCache()
    full = prepare_image(path, cache=cache)
    assert prepare_image(path, cache=cache, budget=full.budget // 2).from_cache  # still fits
    squeezed = prepare_image(path, cache=cache, budget=full.data_uri_length // 2)
    assert not squeezed.from_cache and squeezed.fitted
    # A squeezed result is not reused when there is room for a better one.
    assert not prepare_image(path, cache=cache, budget=full.budget).from_cache
    assert len(decodes) == 3


def test_parallel_batch_with_progress(corpus: Write) -> None:
    paths = [corpus(f"{i}.jpg", encode(photo((1000 + 40 * i, 800), seed=i), "JPEG"))
             for i in range(5)]
    paths.append(corpus("bad.jpg", b"garbage" * 50))
    events: list[BatchProgress] = []
    threads: set[str] = set()
    lock = threading.Lock()

    def progress(event: BatchProgress) -> None:
        with lock:
            events.append(event)
            threads.add(threading.current_thread().name)

    result = prepare_batch(paths, cache=PrepareCache(), progress=progress, max_workers=2)
    assert [i.name for i in result.items] == [p.name for p in paths]
    assert len(result.prepared) == 5 and len(result.problems) == 1 and not result.ok
    for index in range(len(paths)):
        stages = [e.stage for e in events if e.index == index]
        assert stages[0] == "queued" and stages[-1] in ("done", "failed")
        assert "decoding" in stages or stages[-1] == "failed"
    final = [e for e in events if e.outcome is not None]
    assert sorted(e.done for e in final) == list(range(1, 7))
    assert max(e.overall for e in events) == 1.0
    assert any(t.startswith("imaging") for t in threads)
    assert all(isinstance(e.outcome, PreparedImage) for e in final if e.stage == "done")


def test_batch_cancel(corpus: Write) -> None:
    paths = [corpus(f"{i}.jpg", encode(photo((600, 400), seed=i), "JPEG")) for i in range(3)]
    cancel = threading.Event()
    cancel.set()
    from concurrent.futures import CancelledError
    with pytest.raises(CancelledError):
        prepare_batch(paths, cancel=cancel)


def test_memory_gate_limits_concurrent_bytes() -> None:
    gate = MemoryGate(100)
    inside: list[int] = []
    peak = [0]
    lock = threading.Lock()

    def hold(n: int) -> None:
        with gate(n):
            with lock:
                inside.append(min(n, gate.capacity))
                peak[0] = max(peak[0], sum(inside))
            threading.Event().wait(0.02)
            with lock:
                inside.remove(min(n, gate.capacity))

    workers = [threading.Thread(target=hold, args=(n,)) for n in (60, 60, 60, 500)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(5)
    assert peak[0] == 100  # two of 60 never overlap; 500 takes the whole gate, alone
