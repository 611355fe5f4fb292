"""Benchmark of the storyboard's film export (prints numbers; asserts nothing).

    .venv/bin/python bench/export.py [--shots 10] [--seconds 5] [--runs 3] [--keep DIR]
                                     [--encode-shots N]

Renders ``--shots`` takes of ``--seconds`` s at 1920x1080, 24 fps, with sound, with the
emulator's own renderer (the Ken Burns H.264 + AAC files the emulator serves as results; a
few minutes on two cores, reused from ``--keep DIR``), then measures, best of ``--runs``
interleaved runs:

- floor: reading every packet of every take once (demux, no decoding), the least any export
  of the takes can do;
- copy: ``export_mp4`` of the takes (same format: the packets are copied into one MP4, which
  is then rewritten with its index first, ``+faststart``);
- re-encode: ``export_mp4(force_encode=True)`` of the first ``--encode-shots`` takes (default
  all), once: frames per second of decoding and encoding with libx264 (``veryfast``, CRF 20).

Wall time and CPU time (``process_time``, all threads) are both shown: on a shared machine
other processes stretch the wall time but not the CPU the work needs.
Target: the copy within 2x of the floor.
"""

from __future__ import annotations

import argparse
import base64
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import av
from bench_common import reference, stop_on_sigterm
from PIL import Image, ImageOps

from vidu_desktop.emulator.media import RenderSpec, render
from vidu_desktop.film import Take, export_mp4

Timing = tuple[float, float]  # (wall seconds, CPU seconds of all threads)


def _pictures() -> tuple[bytes, bytes]:
    """The benches' reference picture and its mirror image, as JPEG bytes."""
    import io

    data = base64.b64decode(reference().uri.split(",", 1)[1])
    with Image.open(io.BytesIO(data)) as im:
        mirrored = ImageOps.mirror(im.convert("RGB"))
    buf = io.BytesIO()
    mirrored.save(buf, "JPEG", quality=90)
    return data, buf.getvalue()


def make_takes(folder: Path, shots: int, seconds: float) -> list[Take]:
    """``shots`` takes of 1920x1080 at 24 fps with sound (cached in ``folder`` by content)."""
    pictures = _pictures()

    def one(i: int) -> Take:
        spec = RenderSpec(images=pictures, width=1920, height=1080, duration_s=seconds,
                          fps=24, bgm=True, seed=i)
        result = render(spec, folder)
        return Take(path=result.video_path, shot=i + 1, prompt=f"bench shot {i + 1}",
                    host="vidu", model="viduq1", cost="$0.40", cover=result.cover_path)

    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(one, range(shots)))


def floor(takes: list[Take]) -> int:
    """Every packet of every take read once; returns the packet count."""
    count = 0
    for take in takes:
        with av.open(str(take.path)) as container:
            for _ in container.demux():
                count += 1
    return count


def timed(fn: Callable[[], object]) -> Timing:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def best(runs: int, contenders: dict[str, Callable[[], object]]) -> dict[str, Timing]:
    times: dict[str, Timing] = {k: (float("inf"), float("inf")) for k in contenders}
    for _ in range(runs):
        for name, fn in contenders.items():  # interleaved: load changes hit all alike
            t = timed(fn)
            times[name] = (min(times[name][0], t[0]), min(times[name][1], t[1]))
    return times


def show(label: str, t: Timing, extra: str = "") -> None:
    print(f"  {label:30} {t[0] * 1000:6.0f} ms {t[1] * 1000:6.0f} ms{extra}")


def main() -> None:
    stop_on_sigterm()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shots", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--encode-shots", type=int, default=None,
                        help="re-encode only the first N takes (default: all)")
    parser.add_argument("--keep", help="render the takes into this folder and keep them "
                        "(reused when it already holds them)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vidu-bench-") as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        takes = make_takes(folder, args.shots, args.seconds)
        size = sum(t.path.stat().st_size for t in takes) / 1e6
        packets = floor(takes)
        print(f"{args.shots} takes of {args.seconds:g} s, 1920x1080 24 fps H.264 + AAC, "
              f"{size:.1f} MB, {packets} packets (made or found in "
              f"{time.perf_counter() - start:.1f} s)")
        out = Path(tmp) / "out"
        out.mkdir(exist_ok=True)
        films: list[Path] = []
        modes: list[str] = []

        def copy() -> None:
            # a new name each run: replacing the last run's film would time its deletion too
            films.append(out / f"film{len(films)}.mp4")
            result = export_mp4(takes, films[-1])
            modes.append(f"{result.plan.video}/{result.plan.audio}")

        t = best(args.runs, {"floor": lambda: floor(takes), "copy": copy})
        film_mb = films[-1].stat().st_size / 1e6
        for film in films:
            film.unlink()
        print(f"best of {args.runs} interleaved runs        wall      CPU")
        show("floor: demux every packet", t["floor"])
        show(f"copy: export_mp4 ({modes[-1]})", t["copy"], f"   -> {film_mb:.1f} MB")
        print(f"  copy / floor                   {t['copy'][0] / t['floor'][0]:6.2f}x "
              f"{t['copy'][1] / t['floor'][1]:6.2f}x   (target <= 2x)")

        encode = takes[:args.encode_shots] if args.encode_shots else takes
        frames = round(len(encode) * args.seconds * 24)
        wall, cpu = timed(lambda: export_mp4(encode, out / "encoded.mp4", force_encode=True))
        print(f"  re-encode {len(encode)} takes ({frames} frames, libx264 veryfast): "
              f"{wall:.1f} s wall, {cpu:.1f} s CPU: {frames / wall:.1f} fps "
              f"({frames / cpu:.1f} frames per CPU second)")


if __name__ == "__main__":
    sys.exit(main())
