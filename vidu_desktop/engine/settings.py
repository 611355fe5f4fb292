"""Engine settings: polling pace, timeouts, retries. Timeouts count processing, not queueing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the providers' package: when the first adapter or client is made
    from vidu_desktop.providers.base import Retry, Timeouts


@dataclass
class EngineSettings:
    """How the engine follows tasks: polling, time limits, retries and where each host is."""

    poll_initial_s: float = 2.0  # first status request after submit
    poll_max_s: float = 15.0  # the interval grows to this while nothing changes
    poll_factor: float = 1.5
    #: give up following a task after it has *processed* this long (queue time does not count);
    #: counted from when this run of the app saw it processing, so a resume gets a fresh span
    processing_timeout_s: float = 30 * 60.0
    #: keep sending a submit that the host refused for a passing reason (429, a busy backend:
    #: its answer proves no task was made) for this long, then fail it (nothing is charged)
    submit_retry_s: float = 30 * 60.0
    #: give up waiting in the queue after this long (None: wait as long as the host queues)
    queue_timeout_s: float | None = None
    retry_base_s: float = 1.0  # backoff for transient failures while following or downloading
    retry_max_s: float = 60.0
    #: consecutive unreadable status answers (PROTOCOL) before the task fails (resumable)
    protocol_error_limit: int = 5
    download_attempts: int = 8
    max_video_bytes: int = 2 * 1024**3
    requests_per_host: int = 4  # requests in flight at once per host
    outbox_probe_s: float = 15.0  # how often to try the outbox while offline
    #: after a lost submit answer, look for the task this many times, this far apart (the host
    #: may create it a little after the answer was lost)
    reconcile_attempts: int = 4
    reconcile_delay_s: float = 5.0
    progress_interval_s: float = 0.25  # at most this often a progress event per task
    # -- HTTP, passed to the adapters --------------------------------------------------------
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 60.0
    #: a submit carries up to 20 MB of images; its answer is lost (outcome unknown) after this
    submit_read_timeout_s: float = 180.0
    http_attempts: int = 5  # tries of an idempotent request (status, list) inside the adapter
    http_backoff_s: float = 0.5
    base_urls: dict[str, str] = field(default_factory=dict)  # host id -> base URL override

    def backoff(self, attempt: int) -> float:
        return float(min(self.retry_max_s, self.retry_base_s * 2 ** max(0, attempt - 1)))

    def timeouts(self) -> Timeouts:
        from vidu_desktop.providers.base import Timeouts

        return Timeouts(connect=self.connect_timeout_s, read=self.read_timeout_s,
                        pool=self.connect_timeout_s, submit_read=self.submit_read_timeout_s)

    def retry(self) -> Retry:
        from vidu_desktop.providers.base import Retry

        return Retry(attempts=max(1, self.http_attempts), base=self.http_backoff_s,
                     cap=max(self.http_backoff_s, min(20.0, self.retry_max_s)),
                     max_wait=self.retry_max_s)
