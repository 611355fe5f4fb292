"""The engine's account verb: Vidu's account info through the host's adapter, None for the
hosts without an account endpoint and for a host without a key."""

from __future__ import annotations

from vidu_desktop.core.errors import AppError, ErrorKind

from .conftest import Emu, EngineFactory, request_for, run


def test_account_info_for_vidu_only(emu: Emu, make_engine: EngineFactory) -> None:
    emu.set_key("engine-account", 40)

    async def scenario() -> None:
        async with make_engine("engine-account") as engine:
            info = await engine.account_info("vidu")
            assert info is not None and (info.balance, info.unit) == (40.0, "credits")
            assert (info.concurrency_limit, info.running, info.queued) == (5, 0, 0)
            for host in ("novita", "highwayapi", "segmind", "vtrix"):
                assert await engine.account_info(host) is None
            done = await engine.wait((await engine.submit(request_for("vidu"))).local_id)
            after = await engine.account_info("vidu")
            assert after is not None and after.balance == 40 - (done.actual_cost or 0) < 40
        async with make_engine(None) as keyless:
            assert await keyless.account_info("vidu") is None
        async with make_engine("not-a-key") as refused:
            try:
                await refused.account_info("vidu")
            except AppError as err:
                assert err.kind == ErrorKind.AUTH
            else:
                raise AssertionError("a refused key gave account info")

    run(scenario())
