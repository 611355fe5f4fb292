"""A pytest plugin for CI (``.ci/run`` loads it: ``-p tests.no_skips``): a run that skipped a
test fails, so a green CI run means every test ran. Locally, skips stay skips."""

from __future__ import annotations

import pytest

skipped: list[pytest.TestReport] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and not hasattr(report, "wasxfail"):  # an xfail is not a skip
        skipped.append(report)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int | pytest.ExitCode) -> None:
    if not skipped:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write("\n")
        reporter.write_sep("=", f"{len(skipped)} skipped: CI runs every test", red=True)
        for report in skipped:
            longrepr = report.longrepr
            reason = longrepr[2] if isinstance(longrepr, tuple) else longrepr
            reporter.write_line(f"SKIPPED {report.nodeid}: {reason}")
    if exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
