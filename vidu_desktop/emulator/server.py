"""The emulator's HTTP server: every host's contract on one loopback port, plus a control API.

Each host is mounted under ``/<host id>`` (``/vidu``, ``/novita``, ``/highwayapi``, ``/segmind``,
``/vtrix``) and, where its paths do not clash, at the root too (Novita owns the root
``/v3/async`` paths; HighwayAPI, which has the same paths, lives under ``/highwayapi``).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import socket
import threading
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route, Router

from vidu_desktop.core.capabilities import ProviderId

from . import unrouted
from .config import EmulatorConfig
from .contract import Contract
from .faults import FaultRule
from .files import InjectedDisconnect
from .world import World

log = logging.getLogger(__name__)


def _contracts(world: World) -> list[Contract]:
    from .novita import NovitaContract
    from .segmind import SegmindContract
    from .vidu import ViduContract
    from .vtrix import VtrixContract

    return [
        ViduContract(world, ProviderId.VIDU),
        NovitaContract(world, ProviderId.NOVITA),
        NovitaContract(world, ProviderId.HIGHWAYAPI),
        SegmindContract(world, ProviderId.SEGMIND),
        VtrixContract(world, ProviderId.VTRIX),
    ]


_ROOT_HOSTS = {ProviderId.VIDU, ProviderId.NOVITA, ProviderId.SEGMIND, ProviderId.VTRIX}


def _control_routes(world: World) -> list[BaseRoute]:
    async def health(_: Request) -> Response:
        return JSONResponse({"ok": True, "hosts": [c.pid.value for c in world.contracts]})

    async def counters(_: Request) -> Response:
        return JSONResponse(world.accounts.snapshot())

    async def faults(request: Request) -> Response:
        if request.method == "DELETE":
            world.faults.clear()
        elif request.method == "POST":
            try:
                data = await request.json()
                items = data.get("rules", [data]) if isinstance(data, dict) else data
                for item in items:
                    world.faults.add(FaultRule.from_dict(item))
            except (ValueError, TypeError) as exc:
                return JSONResponse({"error": f"bad fault rule: {exc}"}, status_code=400)
        return JSONResponse({"rules": [r.to_dict() for r in world.faults.rules()],
                             "fired": world.faults.fired[-100:]})

    async def keys(request: Request) -> Response:
        try:
            data = await request.json()
            if request.method == "DELETE":
                world.accounts.remove_key(str(data["key"]))
            else:
                world.accounts.set_key(str(data["key"]), float(data.get("balance", 0)),
                                       data.get("provider"))
        except (ValueError, TypeError, KeyError) as exc:
            return JSONResponse({"error": f"bad key request: {exc}"}, status_code=400)
        return JSONResponse({"ok": True})

    async def balance(request: Request) -> Response:
        key = request.query_params.get("key", "")
        provider = request.query_params.get("provider", "vidu")
        return JSONResponse({"key_valid": world.accounts.valid(key),
                             "balance": world.accounts.balance(provider, key)})

    async def config(request: Request) -> Response:
        cfg = world.config
        if request.method == "POST":
            data = await request.json()
            for name in ("time_scale", "created_s", "queue_s", "processing_s", "url_ttl_s",
                         "preview_scale", "sync_hold_s", "record_ttl_s"):
                if name in data:
                    setattr(cfg, name, None if data[name] is None else float(data[name]))
        return JSONResponse({"time_scale": cfg.time_scale, "queue_s": cfg.queue_s,
                             "processing_s": cfg.processing_s, "url_ttl_s": cfg.url_ttl_s,
                             "preview_scale": cfg.preview_scale,
                             "sync_hold_s": cfg.sync_hold_s, "record_ttl_s": cfg.record_ttl_s})

    async def tasks(_: Request) -> Response:
        return JSONResponse({"tasks": [
            {"id": t.id, "provider": t.provider, "model": t.model, "phase": t.phase.value,
             "err_code": t.err_code, "history": t.history}
            for t in world.board.tasks.values()]})

    async def upload(request: Request) -> Response:
        data = await request.body()
        ctype = request.headers.get("content-type", "application/octet-stream")
        name = hashlib.sha256(data).hexdigest()[:32]
        world.uploads[name] = (data, ctype)
        return JSONResponse({"url": f"{str(request.base_url).rstrip('/')}/_emulator/uploads/"
                                    f"{name}"})

    async def uploaded(request: Request) -> Response:
        item = world.uploads.get(request.path_params["name"])
        if item is None:
            return Response("not found", status_code=404)
        return Response(item[0], media_type=item[1])

    return [
        Route("/_emulator/health", health),
        Route("/_emulator/counters", counters),
        Route("/_emulator/faults", faults, methods=["GET", "POST", "DELETE"]),
        Route("/_emulator/keys", keys, methods=["POST", "DELETE"]),
        Route("/_emulator/balance", balance),
        Route("/_emulator/config", config, methods=["GET", "POST"]),
        Route("/_emulator/tasks", tasks),
        Route("/_emulator/uploads", upload, methods=["POST"]),
        Route("/_emulator/uploads/{name}", uploaded),
        Route("/_files/{name}", world.files.serve),
    ]


def build_app(world: World) -> Starlette:
    world.contracts = _contracts(world)
    routes = _control_routes(world)
    for contract in world.contracts:
        own = [Route(path, contract.endpoint(kind, handler), methods=[method])
               for method, path, kind, handler in contract.routes()]
        routes.append(Mount(f"/{contract.pid.value}",
                            app=Router(routes=own, redirect_slashes=False)))
        if contract.pid in _ROOT_HOSTS:
            routes.extend(own)

    # unknown paths and wrong verbs are answered in the envelope of the host asked; a path
    # with a slash too many is one of them, as on the real hosts, not a redirect to another
    app = Starlette(routes=routes, exception_handlers=unrouted.handlers(world.contracts))
    app.router.redirect_slashes = False
    return app


def _is_injected(exc: BaseException | None) -> bool:
    if exc is None:
        return False
    if isinstance(exc, InjectedDisconnect):
        return True
    if isinstance(exc, BaseExceptionGroup):
        return any(_is_injected(e) for e in exc.exceptions)
    return _is_injected(exc.__cause__) or _is_injected(exc.__context__)


class _QuietInjected(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and _is_injected(record.exc_info[1]))


class _Server(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, ready: threading.Event) -> None:
        super().__init__(config)
        self._ready = ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self._ready.set()


class EmulatorServer:
    """The emulator on a loopback port, in a background thread (tests, sandbox mode) or in
    the foreground (``serve``)."""

    def __init__(self, config: EmulatorConfig | None = None, host: str = "127.0.0.1",
                 port: int = 0, log_level: str = "warning") -> None:
        self.config = config or EmulatorConfig()
        self.world = World(self.config)
        self.app = build_app(self.world)
        self.host = host
        # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only then (else Nagle adds ~40 ms)
        self._sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET,
                                   socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, port))
        self.port = int(self._sock.getsockname()[1])
        self._ready = threading.Event()
        self._server = _Server(uvicorn.Config(
            self.app, log_level=log_level, access_log=False, lifespan="off", ws="none",
            timeout_keep_alive=30, timeout_graceful_shutdown=2), self._ready)
        self._thread: threading.Thread | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        logging.getLogger("uvicorn.error").addFilter(_QuietInjected())

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    async def serve(self) -> None:
        self.loop = asyncio.get_running_loop()
        try:
            await self._server.serve(sockets=[self._sock])
        finally:
            await self.world.close()

    def start(self, timeout: float = 30.0) -> str:
        self._thread = threading.Thread(target=lambda: asyncio.run(self.serve()),
                                        name="vidu-emulator", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise RuntimeError("the emulator did not start")
        return self.url

    def request_stop(self) -> None:
        """Ask a serving emulator to stop (from any thread); ``serve`` then closes the world."""
        self._server.should_exit = True

    def stop(self, timeout: float = 10.0) -> None:
        self.request_stop()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self._sock.close()

    def call(self, fn: Any, *args: Any) -> Any:
        """Run ``fn(*args)`` on the server's loop and return its result (thread-safe)."""
        assert self.loop is not None

        async def run() -> Any:
            return fn(*args)

        return asyncio.run_coroutine_threadsafe(run(), self.loop).result(10)

    def __enter__(self) -> EmulatorServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
