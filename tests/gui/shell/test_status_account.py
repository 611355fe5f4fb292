"""The status bar's account line where the host is Vidu: the balance and "N/5 running,
M queued" from the host's account info, read once the engine has started, again after a task
finishes and on demand; a failed read is logged, never shown. The real window against the
emulator in sandbox mode."""

from __future__ import annotations

import logging

import httpx
from conftest import data_uri, make_image

from vidu_desktop.core.capabilities import Mode, ProviderId, provider
from vidu_desktop.core.request import GenerationRequest, ReferenceImage
from vidu_desktop.emulator.config import DEFAULT_BALANCE, DEMO_KEY

COST = provider(ProviderId.VIDU).model("viduq1", Mode.REFERENCE2VIDEO).cost.amount


def line(balance, running=0, queued=0):
    return (f"Vidu balance: {balance:g} credits · {running}/5 running, {queued} queued"
            " (sandbox)")


def queued(emulator):
    answer = httpx.get(f"{emulator.url}/vidu/ent/v2/credits",
                       headers={"Authorization": f"Token {DEMO_KEY}"}).json()
    return answer["remains"][0]["queue_count"]


def submit(window, run, prompt="a fox in the snow"):
    image = ReferenceImage(data_uri(make_image(400, 300)), label="the fox")
    request = GenerationRequest(ProviderId.VIDU, "viduq1", prompt, (image,), seed=7)
    return run(window.session.engine.submit(request)).local_id


def test_the_status_bar_shows_vidus_balance_and_load(windows, qtbot, run, emulator, caplog):
    window = windows(sandbox=True, sandbox_url=emulator.url)
    summary, feed = window.summary, window.summary.accounts
    feed.min_gap_s = 0.05
    feed.ask()
    assert feed.asked == 0 and not summary.account.isVisible()  # the engine has not started
    run(window.session.start())  # what the shell does once the window is shown
    qtbot.waitUntil(lambda: summary.account.text() == line(DEFAULT_BALANCE), timeout=10_000)
    assert summary.account.isVisible() and not summary.balance.isVisible()

    done = submit(window, run)  # it finishes: the account is read again
    qtbot.waitUntil(lambda: summary.account.text() == line(DEFAULT_BALANCE - COST),
                    timeout=30_000)
    assert window.session.engine.tasks.get(done).actual_cost == COST

    httpx.post(f"{emulator.url}/_emulator/faults", json={"action": "stuck"}).raise_for_status()
    submit(window, run)
    qtbot.waitUntil(lambda: queued(emulator) == 1, timeout=10_000)
    feed.ask()
    qtbot.waitUntil(lambda: summary.account.text() == line(DEFAULT_BALANCE - COST, 0, 1),
                    timeout=10_000)

    httpx.post(f"{emulator.url}/_emulator/faults",
               json={"action": "status", "status": 500, "route": "account", "host": "vidu",
                     "times": None}).raise_for_status()
    asked = feed.asked
    with caplog.at_level(logging.INFO, logger="vidu_desktop.ui.shell.account_feed"):
        feed.ask()
        qtbot.waitUntil(lambda: feed.asked == asked + 1 and not feed.busy, timeout=10_000)
    assert any("account info from vidu not read" in r.getMessage() for r in caplog.records)
    assert summary.account.text() == line(DEFAULT_BALANCE - COST, 0, 1)  # the last it said


def test_leaving_the_sandbox_drops_the_account_line(windows, qtbot, run, emulator):
    window = windows(sandbox=True, sandbox_url=emulator.url)
    window.summary.accounts.min_gap_s = 0.05
    run(window.session.start())
    qtbot.waitUntil(lambda: window.summary.account.isVisible(), timeout=10_000)
    window.mode_banner.sandbox_button.click()  # the real library: no Vidu key here
    assert not window.summary.account.isVisible() and window.summary.account.text() == ""


def test_the_account_line_says_what_the_host_gave():
    from vidu_desktop.engine import AccountInfo
    from vidu_desktop.ui.shell.status import account_text

    assert account_text("vidu", AccountInfo(992.0, "credits", 5, 2, 1)) == \
        "Vidu balance: 992 credits · 2/5 running, 1 queued"
    assert account_text("vidu", AccountInfo(None, "credits", 5, 2)) == "Vidu: 2/5 running"
    assert account_text("vidu", AccountInfo(10.0, "credits")) == "Vidu balance: 10 credits"
    assert account_text("vidu", AccountInfo(None, "credits")) == ""
    assert account_text("vidu", AccountInfo(1234567.0, "credits")) == \
        "Vidu balance: 1234567 credits"  # in full, not 1.23457e+06
