"""Benchmark of the reference-image pipeline (prints numbers; asserts nothing).

    .venv/bin/python bench/imaging.py [--runs 3] [--workers N] [--keep DIR]

Generates into a temporary folder 7 photo-like 24 MP pictures (6000x4000: gradients, shapes,
grain) as JPEG, PNG and WebP, and 7 noise PNGs of about 50 MB (4096x4096 RGB noise, which
does not compress), then measures with the same thread pool for every contender:

- pipeline: ``prepare_batch`` on the 7 pictures (default options; "strict" = draft_floor 1.0,
  which always resamples to exactly 2048 px);
- floor: decoding the same files and nothing else (JPEG at reduced scale with ``draft``, both
  at the scale the pipeline uses and at the scale Pillow picks for a 2048 px request);
- naive: full decode, LANCZOS resize to 2048 px, PNG encode.

Times are the best of ``--runs`` interleaved runs (the slow naive and strict runs: once).
Peak memory is the high-water RSS (VmHWM; ``ru_maxrss`` elsewhere) of a fresh subprocess per
measurement, next to the baseline of a subprocess that only imports.
Targets: pipeline <= 1.3x the floor, >= 4x faster than naive, peak < 400 MB for 7 x 50 MB.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vidu_desktop.imaging import PrepareOptions, prepare_batch  # noqa: E402
from vidu_desktop.imaging.batch import default_workers  # noqa: E402

SIZE = (6000, 4000)
COUNT = 7
TARGET = 2048


def photo(seed: int) -> Image.Image:
    """A 24 MP picture that compresses like a photo (about 4 bits per pixel as JPEG q92)."""
    rng = random.Random(seed)
    w, h = SIZE
    small = (w // 8, h // 8)
    base = Image.merge("RGB", (
        Image.linear_gradient("L").resize(small),
        Image.linear_gradient("L").transpose(Image.Transpose.ROTATE_90).resize(small),
        Image.radial_gradient("L").resize(small)))
    draw = ImageDraw.Draw(base)
    for _ in range(40):
        x, y, s = rng.randrange(small[0]), rng.randrange(small[1]), rng.randrange(8, 200)
        colour = tuple(rng.randrange(256) for _ in range(3))
        if rng.random() < 0.5:
            draw.ellipse([x, y, x + s, y + s * 0.7], fill=colour)
        else:
            draw.rectangle([x, y, x + s * 1.3, y + s], fill=colour)
    im = base.filter(ImageFilter.GaussianBlur(1.5)).resize(SIZE, Image.Resampling.BICUBIC)
    grain = Image.effect_noise(SIZE, 24).convert("RGB")
    return Image.blend(im, grain, 0.12)


VARIANTS = (None, Image.Transpose.FLIP_LEFT_RIGHT, Image.Transpose.ROTATE_180,
            Image.Transpose.FLIP_TOP_BOTTOM)


def generate(folder: Path, workers: int) -> dict[str, list[Path]]:
    """Seven different pictures from two generated scenes (flipped, with their own marks)."""
    names = {"jpeg": "photo{}.jpg", "png": "photo{}.png", "webp": "photo{}.webp",
             "noise": "noise{}.png"}
    existing = {k: [folder / v.format(i) for i in range(COUNT)] for k, v in names.items()}
    if all(p.exists() for paths in existing.values() for p in paths):
        return existing  # --keep folder from an earlier run
    with ThreadPoolExecutor(2) as pool:
        scenes = list(pool.map(photo, (1, 2)))

    def one(i: int) -> tuple[Path, Path, Path, Path]:
        im = scenes[i % 2]
        turn = VARIANTS[i // 2 % len(VARIANTS)]
        im = im.transpose(turn) if turn is not None else im.copy()
        draw = ImageDraw.Draw(im)
        rng = random.Random(100 + i)
        for _ in range(6):
            x, y = rng.randrange(SIZE[0] - 600), rng.randrange(SIZE[1] - 600)
            draw.ellipse([x, y, x + rng.randrange(100, 600), y + rng.randrange(100, 600)],
                         fill=tuple(rng.randrange(256) for _ in range(3)))
        jpg, png, webp = (folder / f"photo{i}.{ext}" for ext in ("jpg", "png", "webp"))
        im.save(jpg, quality=92)
        im.save(png, compress_level=1)
        im.save(webp, quality=90, method=0)
        noise = folder / f"noise{i}.png"
        Image.frombytes("RGB", (4096, 4096), random.Random(i).randbytes(4096 * 4096 * 3)).save(
            noise, compress_level=0)  # noise does not compress anyway
        return jpg, png, webp, noise

    with ThreadPoolExecutor(workers) as pool:
        rows = list(pool.map(one, range(COUNT)))
    return {name: [r[k] for r in rows] for k, name in enumerate(("jpeg", "png", "webp", "noise"))}


def floor_decode(path: Path, scale: int | None) -> None:
    with Image.open(path) as im:
        if scale:
            im.draft("RGB", (im.width // scale, im.height // scale))
        im.load()


def naive(path: Path) -> None:
    with Image.open(path) as im:
        im.load()
        out = im.resize((TARGET, round(im.height * TARGET / im.width)), Image.Resampling.LANCZOS)
        out.save(io.BytesIO(), "PNG")


Timing = tuple[float, float]  # (wall seconds, CPU seconds of all threads)


def best(runs: int, contenders: dict[str, Callable[[], object]],
         once: tuple[str, ...] = ()) -> dict[str, Timing]:
    """Best wall and CPU time of each contender; those in ``once`` (slow) run once.

    CPU time (``process_time``, all threads) is reported too: on a shared machine other
    processes stretch wall time but not the CPU this work needs.
    """
    times: dict[str, Timing] = {k: (float("inf"), float("inf")) for k in contenders}
    for run in range(runs):
        for name, fn in contenders.items():  # interleaved: load changes hit all alike
            if run and name in once:
                continue
            wall, cpu = time.perf_counter(), time.process_time()
            fn()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            times[name] = (min(times[name][0], wall), min(times[name][1], cpu))
    return times


def show(label: str, t: Timing) -> None:
    print(f"  {label:32} {t[0] * 1000:7.0f} ms {t[0] * 1000 / COUNT:6.0f} ms "
          f"{t[1] * 1000 / COUNT:6.0f} ms")


def ratio(label: str, a: Timing, b: Timing, target: str = "") -> None:
    print(f"  {label:36} {a[0] / b[0]:5.2f}x wall {a[1] / b[1]:5.2f}x CPU  {target}")


def peak_rss(paths: list[Path] | None, workers: int) -> float:
    """MB of peak RSS in a fresh interpreter that prepares ``paths`` (None: imports only).

    Reads VmHWM, the high-water mark of the child's own address space: on Linux ru_maxrss
    survives fork and exec, so a child of this (large) process would report our peak.
    """
    code = (
        "import json, resource, sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from vidu_desktop.imaging import prepare_batch\n"
        "paths = json.loads(sys.argv[1])\n"
        f"result = prepare_batch(paths, max_workers={workers}) if paths else None\n"
        "assert result is None or result.ok, result.problems\n"
        "try:\n"
        "    status = open('/proc/self/status').read().split('VmHWM:')[1]\n"
        "    print(int(status.split()[0]))\n"
        "except OSError:\n"
        "    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n")
    arg = json.dumps([str(p) for p in paths] if paths else [])
    out = subprocess.run([sys.executable, "-c", code, arg], capture_output=True, text=True,
                         check=True, timeout=600)
    return int(out.stdout.strip()) / 1024  # kilobytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--keep", help="generate into this folder and keep it (reused when "
                        "it already holds the files)")
    args = parser.parse_args()
    workers = args.workers
    with tempfile.TemporaryDirectory(prefix="vidu-bench-") as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        files = generate(folder, workers)
        mb = {k: sum(p.stat().st_size for p in v) / COUNT / 1e6 for k, v in files.items()}
        print(f"generated in {time.perf_counter() - start:.1f} s: {COUNT} x 6000x4000 "
              f"JPEG q92 ~{mb['jpeg']:.1f} MB, PNG ~{mb['png']:.1f} MB, WebP ~{mb['webp']:.1f} "
              f"MB; {COUNT} x 4096x4096 noise PNG ~{mb['noise']:.1f} MB")
        first = prepare_batch(files["jpeg"], max_workers=workers).prepared[0]
        print(f"pipeline output for a 6000x4000 JPEG: {first.summary()}; "
              f"fixes: {'; '.join(first.fixes)}")
        print(f"{workers} worker threads, best of {args.runs} interleaved runs\n")

        pool = ThreadPoolExecutor(workers)

        def over(fn: Callable[[Path], object], paths: list[Path]) -> Callable[[], object]:
            return lambda: list(pool.map(fn, paths))

        strict = PrepareOptions(draft_floor=1.0)
        jpeg = files["jpeg"]
        t = best(args.runs, {
            "pipeline": lambda: prepare_batch(jpeg, max_workers=workers),
            "pipeline strict": lambda: prepare_batch(jpeg, strict, max_workers=workers),
            "floor 1/4": over(lambda p: floor_decode(p, 4), jpeg),
            "floor 1/2": over(lambda p: floor_decode(p, 2), jpeg),
            "naive": over(naive, jpeg),
        }, once=("naive", "pipeline strict"))
        header = "wall total  per image  CPU per image"
        print(f"JPEG (7 x 24 MP)                   {header}")
        for name, label in (("pipeline", "pipeline (default)"),
                            ("pipeline strict", "pipeline (strict 2048 px)"),
                            ("floor 1/4", "floor: draft 1/4 decode only"),
                            ("floor 1/2", "floor: draft 1/2 decode only"),
                            ("naive", "naive: decode+LANCZOS+PNG")):
            show(label, t[name])
        ratio("pipeline / floor (same scale, 1/4)", t["pipeline"], t["floor 1/4"],
              "(target <= 1.3x)")
        ratio("strict pipeline / floor (1/2)", t["pipeline strict"], t["floor 1/2"])
        ratio("naive / pipeline", t["naive"], t["pipeline"], "(target >= 4x)")
        ratio("naive / strict pipeline", t["naive"], t["pipeline strict"])

        for fmt in ("png", "webp"):
            paths = files[fmt]
            t = best(args.runs, {
                "pipeline": lambda paths=paths: prepare_batch(paths, max_workers=workers),
                "floor": over(lambda p: floor_decode(p, None), paths),
                "naive": over(naive, paths),
            }, once=("naive",))
            print(f"\n{fmt.upper()} (7 x 24 MP; no reduced-scale decode)  {header}")
            show("pipeline", t["pipeline"])
            show("floor: full decode only", t["floor"])
            show("naive: decode+LANCZOS+PNG", t["naive"])
            ratio("pipeline / floor", t["pipeline"], t["floor"])
            ratio("naive / pipeline", t["naive"], t["pipeline"])
        pool.shutdown()

        base = peak_rss(None, workers)
        print("\npeak memory (VmHWM, high-water RSS, of a fresh process per line)")
        print(f"  imports only:                           {base:6.0f} MB")
        for name, label in (("noise", f"7 x ~{mb['noise']:.0f} MB noise PNG (4096x4096)"),
                            ("jpeg", f"7 x ~{mb['jpeg']:.0f} MB JPEG (24 MP)")):
            peak = peak_rss(files[name], workers)
            print(f"  {label:38} {peak:6.0f} MB (+{peak - base:.0f} MB over imports; "
                  "target < 400 MB)")


if __name__ == "__main__":
    main()
