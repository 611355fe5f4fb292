"""What every emulated host has in common: the endpoint wrapper (auth, counters, faults, error
answers in the host's own shape) and strict body reading. One subclass per wire contract."""

from __future__ import annotations

import asyncio
import json
import logging
import random
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from vidu_desktop.core.capabilities import ProviderId, ProviderSpec, provider

from .faults import FaultRule
from .fields import FieldProblem
from .files import InjectedDisconnect
from .images import ImageRejected

if TYPE_CHECKING:
    from .world import World

log = logging.getLogger(__name__)

Handler = Callable[[Request, str], Awaitable[Response]]


class ProviderError(Exception):
    """An error answer: status, the host's code, a message; rendered by ``Contract.error``."""

    def __init__(self, status: int, code: str, message: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


class BadInput(StrEnum):
    CONTENT_TYPE = "content_type"
    JSON = "json"
    NOT_OBJECT = "not_object"
    TOO_LARGE = "too_large"


class Contract:
    """Base for a host's wire contract. Subclasses set ``routes()`` and the error shapes."""

    def __init__(self, world: World, pid: ProviderId) -> None:
        self.world = world
        self.pid = pid
        self.spec: ProviderSpec = provider(pid)
        self.rng = random.Random(f"{world.config.seed}:{pid.value}")

    # -- to override ---------------------------------------------------------------------
    def routes(self) -> list[tuple[str, str, str, Handler]]:
        """(method, path, route kind, handler(request, key))."""
        raise NotImplementedError

    def error(self, err: ProviderError) -> Response:
        """The host's error body for ``err``."""
        raise NotImplementedError

    def authenticate(self, request: Request) -> str:
        """The key from the host's auth header, or raise the host's 401."""
        raise NotImplementedError

    def bad_input(self, kind: BadInput, message: str) -> ProviderError:
        status = 413 if kind == BadInput.TOO_LARGE else 400
        return ProviderError(status, kind.value, message)

    def field_error(self, problem: FieldProblem) -> ProviderError:
        return ProviderError(400, problem.kind, problem.message)

    def image_error(self, exc: ImageRejected) -> ProviderError:
        return ProviderError(400, exc.issue.value, f"images[{exc.index}]: {exc.detail}")

    def unrouted_error(self, status: int, method: str, path: str) -> ProviderError:
        """The host's error for a path no route serves (404) or a verb the path does not
        take (405)."""
        if status == 405:
            return ProviderError(405, "405", f"method {method} not allowed")
        return ProviderError(404, "404", "not found")

    def unrouted(self, status: int, method: str, path: str,
                 headers: dict[str, str] | None = None) -> Response:
        """The whole answer for ``unrouted_error`` (``headers``: e.g. 405's ``Allow``)."""
        err = self.unrouted_error(status, method, path)
        err.headers.update(headers or {})
        return self.error(err)

    def fault_error(self, rule: FaultRule) -> ProviderError:
        headers = {}
        if rule.retry_after is not None:
            headers["Retry-After"] = f"{rule.retry_after:g}"
        message = rule.message or ("too many requests" if rule.status == 429
                                   else "internal service failure")
        return ProviderError(rule.status, rule.code or str(rule.status), message, headers)

    # -- helpers ---------------------------------------------------------------------------
    def bearer(self, request: Request, scheme: str = "Bearer") -> str | None:
        value = request.headers.get("authorization", "")
        word, _, key = value.partition(" ")
        if word.lower() != scheme.lower() or not key.strip():
            return None
        return key.strip()

    def base_url(self, request: Request) -> str:
        """Where this contract is mounted, as the client addressed it."""
        root = str(request.scope.get("root_path", ""))
        return str(request.base_url).rstrip("/") + root

    def server_url(self, request: Request) -> str:
        return str(request.base_url).rstrip("/")

    def trace_id(self) -> str:
        return secrets.token_hex(16)

    def json(self, data: Any, status: int = 200, headers: dict[str, str] | None = None
             ) -> Response:
        return JSONResponse(data, status_code=status, headers=headers)

    def url_ttl(self) -> float:
        configured = self.world.config.url_ttl_s
        return configured if configured is not None else float(self.spec.result_ttl_s)

    async def read_json(self, request: Request) -> dict[str, Any]:
        ctype = request.headers.get("content-type", "")
        if "application/json" not in ctype.lower():
            raise self.bad_input(BadInput.CONTENT_TYPE,
                                 f"unsupported content type {ctype or 'none'!r}; "
                                 "use application/json")
        limit = self.world.config.max_body_bytes
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise self.bad_input(BadInput.TOO_LARGE,
                                 f"request body larger than {limit} bytes")
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise self.bad_input(BadInput.TOO_LARGE,
                                     f"request body larger than {limit} bytes")
            chunks.append(chunk)
        try:
            body = json.loads(b"".join(chunks))
        except (UnicodeDecodeError, ValueError):
            raise self.bad_input(BadInput.JSON, "request body is not valid JSON") from None
        if not isinstance(body, dict):
            raise self.bad_input(BadInput.NOT_OBJECT, "request body must be a JSON object")
        return body

    def endpoint(self, kind: str, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def run(request: Request) -> Response:
            self.world.accounts.count_request(self.pid.value, kind)
            try:
                key = self.authenticate(request)
                fault = self.world.faults.take(self.pid.value, kind)
                if fault is not None:
                    if fault.action == "status":
                        raise self.fault_error(fault)
                    if fault.action == "slow":
                        if request.method == "POST":
                            # a real host has the body before it is slow: a client that hangs
                            # up meanwhile still leaves a task behind
                            await request.body()
                        await asyncio.sleep(fault.delay_s)
                    if fault.action == "malformed":
                        return Response(b'{"task_id": "tr', media_type="application/json")
                response = await handler(request, key)
                if fault is not None and fault.action in ("reset", "truncate"):
                    return _cut(response)
                return response
            except ProviderError as err:
                return self.error(err)
            except FieldProblem as problem:
                return self.error(self.field_error(problem))
            except ImageRejected as exc:
                return self.error(self.image_error(exc))
            except Exception:
                log.exception("emulated %s endpoint failed", self.pid.value)
                return self.error(ProviderError(500, "InternalServiceFailure",
                                                "internal service failure"))
        return run


def _cut(response: Response) -> Response:
    body = bytes(response.body)

    async def half() -> AsyncIterator[bytes]:
        yield body[: max(1, len(body) // 2)]
        raise InjectedDisconnect("scripted fault: connection reset mid-body")

    headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
    headers["content-length"] = str(len(body))
    return StreamingResponse(half(), status_code=response.status_code, headers=headers)
