"""Emulator settings: keys and balances, the time scale, the preview scale, the fault seed."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from vidu_desktop.emulator import DEMO_KEY as DEMO_KEY

DEFAULT_BALANCE = 1000.0


@dataclass
class EmulatorConfig:
    """How the emulator behaves: its keys and balances, its pace and its videos."""

    #: accepted keys and their starting balance (credits on Vidu, USD elsewhere), for every host
    keys: dict[str, float] = field(default_factory=lambda: {DEMO_KEY: DEFAULT_BALANCE})
    #: multiplies every delay: 1.0 is the demo pace (about 10 s a task), 0.01 is near instant
    time_scale: float = 1.0
    created_s: float = 0.3  # created -> queueing
    queue_s: float = 1.5  # minimum time queued
    processing_s: float = 8.0  # time spent processing
    #: render videos at this fraction of the requested size (1.0: full size)
    preview_scale: float = 1.0
    fps: int = 24
    #: a video longer than this is rendered at a lower frame rate (down to 8 fps), so that it
    #: has no more frames than this many seconds at ``fps``: the new models' 10 and 16 s
    #: videos cost about what a 5 s one does
    frame_budget_s: float = 5.0
    #: overrides every host's documented result URL lifetime (seconds) when set
    url_ttl_s: float | None = None
    #: Segmind v2 keeps request records this long (documented: 1 hour)
    record_ttl_s: float = 3600.0
    #: Segmind v1 holds the request for the task's own (scaled) time plus at most this many
    #: seconds of unscaled grace for rendering; past that it answers 504
    sync_hold_s: float = 10.0
    seed: int = 0  # seeds ids, random seeds and fault probabilities
    media_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="vidu-emu-")))
    render_processes: bool = True  # render in a process pool (False: threads, for tests)
    render_workers: int = 2
    callback_retries: int = 3
    callback_backoff_s: float = 1.0
    #: a submission's whole body above this is refused (the hosts document 20 MB)
    max_body_bytes: int = 20 * 1024 * 1024

    def scaled(self, seconds: float) -> float:
        return max(0.0, seconds * self.time_scale)
