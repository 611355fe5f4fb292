"""The render pool's worker processes: they end with their parent, and stopping the pool leaves
none behind.

Workers are ``spawn``-ed by a ``ProcessPoolExecutor``. Each one, from its initializer:

- ignores SIGINT: Ctrl+C in a terminal reaches the whole process group, and the parent, which
  gets it too, stops the pool;
- ends on SIGTERM (sent by :func:`stop_pool`): at once when idle; while rendering, the render
  unwinds first (it removes its partial files), then the process exits;
- watches its parent through multiprocessing's parent sentinel (the read end of a pipe on
  POSIX, the parent's process handle on Windows), which becomes ready when the parent is gone,
  SIGKILL included: then it stops itself as on SIGTERM.

The resource tracker that multiprocessing starts for the pool's semaphores ends by itself once
the parent and every worker have closed their ends of its pipe, so it goes with them.

Linux's ``PR_SET_PDEATHSIG`` is not used: it fires when the *thread* that spawned the worker
ends (the pool spawns from whichever thread submits), and the sentinel works everywhere.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Any

#: How long a worker whose parent is gone lets a running render unwind before it exits anyway.
_UNWIND_S = 5.0
#: SIGTERM is sent again this often until the worker has gone: one that lands just before a
#: blocking call starts (a sleep, a read) is only handled when the call returns, and the next
#: one interrupts the call. The handler acts once.
_RESEND_S = 0.1

_busy = False  # in a worker: a job is running
_ending = False  # in a worker: SIGTERM came, exit once the running job has unwound


class _Stop(BaseException):
    """Raised in a worker's running job to unwind it when the worker must end."""


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    global _ending
    if _ending:  # unwinding already: do not cut its clean-up short
        return
    _ending = True
    if not _busy:
        os._exit(0)
    raise _Stop


def _watch_parent(parent: BaseProcess) -> None:
    """In a daemon thread: once the parent has ended, end this worker. An idle one exits at
    once; a busy one has its main thread interrupted (SIGTERM, where a thread can be signalled)
    so the render unwinds first, and exits anyway after ``_UNWIND_S``."""
    if sys.platform != "win32":  # the pool's SIGTERM goes to the main thread
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    parent.join()  # returns once the parent has ended
    main = threading.main_thread().ident
    if _busy and main is not None and sys.platform != "win32":
        deadline = time.monotonic() + _UNWIND_S
        while time.monotonic() < deadline:  # the main thread exits the process meanwhile
            signal.pthread_kill(main, signal.SIGTERM)
            time.sleep(_RESEND_S)
    os._exit(1)


def init_worker() -> None:
    """The pool's initializer: runs in each worker before its first job."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_sigterm)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_watch_parent, args=(parent,), name="parent-watch",
                         daemon=True).start()


def run_job[T](fn: Callable[..., T], *args: Any) -> T:
    """Run ``fn(*args)`` in a worker; a SIGTERM meanwhile unwinds it, then the worker exits."""
    global _busy
    try:
        _busy = True
        return fn(*args)
    finally:  # whatever the unwinding raised on its way (a codec closing early, say)
        _busy = False
        if _ending:
            os._exit(0)


def new_pool(max_workers: int) -> concurrent.futures.ProcessPoolExecutor:
    return concurrent.futures.ProcessPoolExecutor(
        max_workers=max_workers, mp_context=multiprocessing.get_context("spawn"),
        initializer=init_worker)


def stop_pool(executor: concurrent.futures.ProcessPoolExecutor, timeout: float = 5.0) -> None:
    """Drop the queued jobs, end the workers (SIGTERM: a running render removes its partial
    files first; SIGKILL for one that is still there after ``timeout``) and wait for them and
    for the pool's own thread."""
    # the executor forgets both in shutdown(): take them first
    processes: list[BaseProcess] = list((getattr(executor, "_processes", None) or {}).values())
    manager: threading.Thread | None = getattr(executor, "_executor_manager_thread", None)
    executor.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + timeout
    alive = processes
    while alive and time.monotonic() < deadline:
        for proc in alive:
            with contextlib.suppress(OSError, ValueError):  # gone meanwhile, or closed
                proc.terminate()
        multiprocessing.connection.wait([p.sentinel for p in alive], _RESEND_S)
        alive = [p for p in alive if p.is_alive()]
    for proc in alive:
        with contextlib.suppress(OSError, ValueError):
            proc.kill()
            proc.join(1.0)
    for proc in processes:  # reap them
        proc.join(0.1)
    if manager is not None and manager.is_alive():
        manager.join(max(0.1, deadline - time.monotonic()))
