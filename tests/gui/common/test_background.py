"""Background.close_all: every area's tasks end while the loop still runs."""

from __future__ import annotations

import asyncio

from vidu_desktop.ui.common.background import Background


def test_close_all_cancels_every_instances_tasks_and_waits_for_their_last_steps() -> None:
    ends: list[str] = []

    async def request(name: str) -> None:
        try:
            await asyncio.Event().wait()  # a request that never answers
        finally:
            await asyncio.sleep(0)  # a clean-up that needs the running loop
            asyncio.get_running_loop()
            ends.append(name)

    async def main() -> list[bool]:
        feed, composer = Background(), Background()
        tasks = [feed.spawn(request("feed")), composer.spawn(request("composer"))]
        await asyncio.sleep(0)  # both started
        await Background.close_all()
        return [t.cancelled() for t in tasks]

    assert asyncio.run(main()) == [True, True]
    assert sorted(ends) == ["composer", "feed"]
