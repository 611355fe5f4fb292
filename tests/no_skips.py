"""A pytest plugin for CI (``.ci/run`` loads it: ``-p tests.no_skips``): a run that skipped a
test fails, so a green CI run means every test ran. Locally, skips stay skips."""

from __future__ import annotations

import pytest


def pytest_sessionfinish(session: pytest.Session, exitstatus: int | pytest.ExitCode) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    if not skipped:
        return
    reporter.write("\n")
    reporter.write_sep("=", f"{len(skipped)} skipped: CI runs every test", red=True)
    for report in skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        reporter.write_line(f"SKIPPED {report.nodeid}: {reason}")
    if exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
