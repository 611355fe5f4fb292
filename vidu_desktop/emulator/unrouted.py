"""Answers for requests no route serves: an unknown path (404) or a verb the path does not take
(405), each in the error envelope of the host the client was talking to.

Which host: the mount (``/vidu/...``, ``/novita/...``, ``/highwayapi/...``, ``/segmind/...``,
``/vtrix/...``); at the root, the host whose paths start the same way (``/ent`` Vidu, ``/v3``
Novita, ``/v1`` and ``/v2`` Segmind, ``/model`` Vtrix), else the auth header the client sent
(``Token`` Vidu, ``x-api-key`` Segmind), else Vidu, the host the root belongs to first. The
emulator's own routes (``/_emulator``, ``/_files``) keep plain answers: no host serves them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from vidu_desktop.core.capabilities import ProviderId

from .contract import Contract

_ROOT_PREFIXES = {"ent": ProviderId.VIDU, "v3": ProviderId.NOVITA, "v1": ProviderId.SEGMIND,
                  "v2": ProviderId.SEGMIND, "model": ProviderId.VTRIX}
_OWN = ("_emulator", "_files")


def host_for(request: Request, contracts: Sequence[Contract]) -> Contract | None:
    """The contract whose envelope answers ``request`` (None: the emulator's own routes)."""
    by_id = {c.pid.value: c for c in contracts}
    first = request.url.path.lstrip("/").split("/", 1)[0]
    if first in _OWN:
        return None
    if first in by_id:
        return by_id[first]
    pid = _ROOT_PREFIXES.get(first)
    if pid is None:
        auth = request.headers.get("authorization", "").split(" ", 1)[0].lower()
        pid = ProviderId.VIDU if auth == "token" else (
            ProviderId.SEGMIND if "x-api-key" in request.headers else ProviderId.VIDU)
    return by_id.get(pid.value)


Handler = Callable[[Request, Exception], Awaitable[Response]]


def handlers(contracts: Sequence[Contract]) -> dict[Any, Handler]:
    """Starlette exception handlers for 404 and 405."""

    def headers_of(exc: Exception) -> dict[str, str]:
        return dict(exc.headers or {}) if isinstance(exc, HTTPException) else {}

    async def not_found(request: Request, exc: Exception) -> Response:
        contract = host_for(request, contracts)
        if contract is None:
            return JSONResponse({"code": 404, "reason": "NotFound", "message": "not found"},
                                status_code=404)
        return contract.unrouted(404, request.method, request.url.path, headers_of(exc))

    async def not_allowed(request: Request, exc: Exception) -> Response:
        contract = host_for(request, contracts)
        if contract is None:
            return Response("<html><body><h1>405 Method Not Allowed</h1></body></html>",
                            status_code=405, media_type="text/html", headers=headers_of(exc))
        return contract.unrouted(405, request.method, request.url.path, headers_of(exc))

    return {404: not_found, 405: not_allowed}
