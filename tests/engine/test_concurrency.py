"""``requests_per_host`` bounds the API requests in flight to one host, measured where they
leave the app: a counting transport under the adapter's httpx client (a request counts from
the moment it is sent until its body is read and the response closed)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import httpx

from vidu_desktop.core.states import TaskState

from .conftest import Emu, EngineFactory, request_for, run


class _Tracked(httpx.AsyncByteStream):
    def __init__(self, inner: httpx.AsyncByteStream, done: Callable[[], None]) -> None:
        self.inner = inner
        self.done = done
        self.closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self.inner:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self.inner.aclose()
        finally:
            if not self.closed:
                self.closed = True
                self.done()


class CountingTransport(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.now = self.peak = self.total = 0

    def _leave(self) -> None:
        self.now -= 1

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.now += 1
        self.total += 1
        self.peak = max(self.peak, self.now)
        try:
            response = await self.inner.handle_async_request(request)
        except BaseException:
            self._leave()
            raise
        assert isinstance(response.stream, httpx.AsyncByteStream)
        return httpx.Response(response.status_code, headers=response.headers,
                              stream=_Tracked(response.stream, self._leave),
                              extensions=response.extensions)

    async def aclose(self) -> None:
        await self.inner.aclose()


def test_requests_per_host_bounds_requests_in_flight(emu: Emu,
                                                     make_engine: EngineFactory) -> None:
    async def scenario() -> CountingTransport:
        async with make_engine(requests_per_host=2, poll_initial_s=0.01,
                               poll_max_s=0.03) as engine:
            client = engine.adapter("vidu").client
            counting = CountingTransport(client._transport)
            client._transport = counting
            records = [await engine.submit(request_for("vidu", prompt=f"take {i}"))
                       for i in range(20)]
            done = await asyncio.gather(*(engine.wait(r.local_id) for r in records))
            assert [r.state for r in done] == [TaskState.SUCCEEDED] * 20
            assert counting.now == 0
            return counting

    counting = run(scenario(), timeout=60)
    assert counting.peak == 2  # contended by 20 tasks: the limit was reached, never passed
    assert counting.total >= 40  # 20 submits plus their polls all went through it
    assert emu.submissions("vidu") == 20


def test_each_host_has_its_own_limit(emu: Emu, make_engine: EngineFactory) -> None:
    async def scenario() -> dict[str, CountingTransport]:
        async with make_engine(requests_per_host=1, poll_initial_s=0.01,
                               poll_max_s=0.03) as engine:
            counters: dict[str, CountingTransport] = {}
            for host in ("vidu", "novita"):
                client = engine.adapter(host).client
                counters[host] = CountingTransport(client._transport)
                client._transport = counters[host]
            records = [await engine.submit(request_for(host, prompt=f"take {i}"))
                       for i in range(4) for host in ("vidu", "novita")]
            done = await asyncio.gather(*(engine.wait(r.local_id) for r in records))
            assert {r.state for r in done} == {TaskState.SUCCEEDED}
            return counters

    counters = run(scenario(), timeout=60)
    assert counters["vidu"].peak == 1 and counters["novita"].peak == 1
