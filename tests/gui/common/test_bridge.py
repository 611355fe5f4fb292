"""The engine's events reach Qt through the session's bridge: a widget connects to its typed
signals once and hears the active library's engine, a real one on the emulator over loopback;
after sandbox mode is left or entered the same connections hear the new engine, and nothing
the engine left behind says."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.core.states import TaskState
from vidu_desktop.emulator.config import DEMO_KEY
from vidu_desktop.engine import EngineEvent, EventKind
from vidu_desktop.store import ArtifactKind, TaskRecord
from vidu_desktop.ui.common.bridge import DownloadProgress, EngineBridge

from ..conftest import closed_port
from ..review.test_review import submit

_S = TaskState


class Listener(QObject):
    """A widget's view of the engine: connected to the bridge once, in its constructor."""

    def __init__(self, bridge: EngineBridge) -> None:
        super().__init__()
        self.heard: list[tuple[str, TaskRecord]] = []
        self.downloads: list[DownloadProgress] = []
        bridge.state_changed.connect(lambda rec: self.heard.append(("state", rec)))
        bridge.progress.connect(lambda rec: self.heard.append(("progress", rec)))
        bridge.download.connect(self._download)

    def _download(self, progress: DownloadProgress) -> None:
        self.downloads.append(progress)
        self.heard.append(("download", progress.record))

    def states(self, local_id: str) -> list[TaskState]:
        return [rec.state for kind, rec in self.heard
                if kind == "state" and rec.local_id == local_id]

    def ids(self, since: int = 0) -> set[str]:
        return {rec.local_id for _kind, rec in self.heard[since:]}


def test_the_bridge_follows_the_active_engine_across_switches(windows, qtbot, run, emulator,
                                                              memory_keyring: Any):
    memory_keyring.set_password("vidu-desktop", "vidu", DEMO_KEY)
    window = windows(sandbox=True, sandbox_url=emulator.url)
    session = window.session
    listener = Listener(session.bridge)
    sandbox = session.engine
    assert session.bridge.engine is sandbox

    # a sandbox task, from submit to its verified video, heard through the bridge only
    first = submit(window, run)
    qtbot.waitUntil(lambda: listener.states(first)[-1:] == [_S.SUCCEEDED], timeout=30_000)
    states = listener.states(first)
    assert states[0] == _S.SUBMITTING and _S.DOWNLOADING in states
    assert all(isinstance(rec, TaskRecord) for _kind, rec in listener.heard)
    last = [d for d in listener.downloads if d.local_id == first][-1]
    video = sandbox.file(first, ArtifactKind.VIDEO)
    assert video is not None and last.done == last.total == video.path.stat().st_size > 0
    done = sandbox.task(first)
    assert done is not None

    # the real library: its host cannot be reached, so its job waits in the outbox
    session.set_base_url_override(ProviderId.VIDU, f"http://127.0.0.1:{closed_port()}")
    session.leave_sandbox()
    real = session.engine
    assert real is not sandbox and session.bridge.engine is real
    mark = len(listener.heard)
    sandbox.bus.publish(EngineEvent(EventKind.STATE, done))  # the engine left behind
    assert len(listener.heard) == mark
    second = submit(window, run, prompt="a lighthouse at dusk")
    qtbot.waitUntil(lambda: real.in_outbox(second), timeout=10_000)
    qtbot.waitUntil(lambda: _S.DRAFT in listener.states(second), timeout=10_000)
    assert listener.ids(mark) == {second}
    assert listener.states(second)[0] == _S.SUBMITTING
    waiting = real.task(second)
    assert waiting is not None

    # back in the sandbox: a new engine; the real one is heard no more
    session.enter_sandbox()
    again = session.engine
    assert again is not sandbox and again is not real and session.bridge.engine is again
    mark = len(listener.heard)
    real.bus.publish(EngineEvent(EventKind.STATE, waiting))
    sandbox.bus.publish(EngineEvent(EventKind.STATE, done))
    assert len(listener.heard) == mark
    third = submit(window, run, prompt="a kite over the dunes")
    qtbot.waitUntil(lambda: listener.states(third)[-1:] == [_S.SUCCEEDED], timeout=30_000)
    assert listener.ids(mark) == {third}
    run(session.settled())


def test_a_detached_bridge_passes_nothing_on(windows, qtbot, run, emulator):
    window = windows(sandbox=True, sandbox_url=emulator.url)
    session = window.session
    bridge = EngineBridge()
    retargeted: list[bool] = []
    bridge.retargeted.connect(lambda: retargeted.append(True))
    listener = Listener(bridge)
    engine = session.engine
    bridge.follow(engine)
    bridge.follow(engine)  # the same engine again: nothing changes
    assert retargeted == [True]
    local_id = submit(window, run)
    qtbot.waitUntil(lambda: listener.states(local_id)[-1:] == [_S.SUCCEEDED], timeout=30_000)
    rec = engine.task(local_id)
    assert rec is not None
    bridge.detach()
    assert bridge.engine is None and retargeted == [True, True]
    mark = len(listener.heard)
    engine.bus.publish(EngineEvent(EventKind.STATE, rec))
    assert len(listener.heard) == mark
