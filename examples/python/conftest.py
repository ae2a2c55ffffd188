"""Fixtures: the QA surface, and `open_app`, which launches the app for an
install and, when the test fails, saves each window it opened (a picture
and the page source) to artifacts/<test>/."""

import re
from pathlib import Path

import pytest

from hik.app import Install, capture_window, launch
from hik.qa import Qa

ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture
def qa():
    return Qa()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.failed_call = report.failed
    return report


@pytest.fixture
def open_app(request):
    """`open_app(install=None)` -> (driver, install). Quit at the end of the
    test; each app is quit before the next opens (one session at a time)."""
    opened = []

    def open_(install=None):
        for driver, _ in opened:
            if driver.session_id:
                driver.quit()
                driver.session_id = None
        install = install or Install()
        driver = launch(install)
        opened.append((driver, install))
        return driver, install

    yield open_
    failed = getattr(request.node, "failed_call", False)
    for index, (driver, install) in enumerate(opened):
        if failed and driver.session_id:
            folder = ARTIFACTS / re.sub(r"[^\w.-]", "_", request.node.name)
            folder.mkdir(parents=True, exist_ok=True)
            # What is saved helps; what cannot be saved must not hide the
            # test's own failure.
            try:
                capture_window(install, folder / f"window-{index}.png")
                (folder / f"window-{index}.html").write_text(driver.page_source)
                print(f"saved the window and its page source in {folder}")
            except Exception as e:  # noqa: BLE001
                print(f"could not save the window: {e}")
        if driver.session_id:
            driver.quit()
