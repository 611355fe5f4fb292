"""A scriptable fake host on httpx.MockTransport, for shell tests without a server."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx

from vidu_desktop.core.capabilities import ProviderId
from vidu_desktop.providers.base import Adapter, Retry
from vidu_desktop.providers.registry import make_adapter

from .samples import KEY

Handler = Callable[[httpx.Request], httpx.Response]


class CutStream(httpx.AsyncByteStream):
    """Yields ``data`` then fails like a connection reset."""

    def __init__(self, data: bytes, exc: Exception | None = None) -> None:
        self.data = data
        self.exc = exc or httpx.RemoteProtocolError("peer closed connection")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self.data
        raise self.exc


def js(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, content=json.dumps(data).encode(),
                          headers={"content-type": "application/json", **(headers or {})})


class Fake:
    """Answers requests from a list of scripted responses (or a function), recording each."""

    def __init__(self, *answers: httpx.Response | Handler | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []
        self.client = httpx.AsyncClient(transport=httpx.MockTransport(self.handle))

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        if callable(answer):
            return answer(request)
        return answer

    def adapter(self, pid: ProviderId, **options: Any) -> tuple[Adapter, list[float]]:
        adapter = make_adapter(pid, KEY, "https://api.example.test", client=self.client,
                               retry=Retry(attempts=4, base=0.01), **options)
        slept: list[float] = []

        async def sleep(seconds: float) -> None:
            slept.append(seconds)

        adapter._sleep = sleep  # type: ignore[method-assign]
        return adapter, slept
