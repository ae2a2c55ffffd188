"""The app in a window, launched through tauri-driver: one `Install` is one
computer (its data folder and keyring namespace), so a second install is a
second terminal of the same account."""

import os
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.remote.client_config import ClientConfig
from selenium.webdriver.support.ui import WebDriverWait

from hik import WAIT

# A WebDriver command that has not answered in this many seconds fails,
# rather than holding the suite for ever.
COMMAND_TIMEOUT = 60


@dataclass
class Install:
    data_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="hik-install-")))
    keyring_service: str = field(default_factory=lambda: f"hik-example-{uuid.uuid4().hex[:8]}")


def launch(install):
    """Start the app for `install` against the session's cloud, and wait until
    it has started (`#app[data-started]`)."""
    options = ArgOptions()
    options.set_capability("tauri:options", {
        "application": os.environ["HIK_APP_PATH"],
        "args": [
            "--cloud-url", os.environ["HIK_QA_CLOUD_URL"],
            "--data-dir", str(install.data_dir),
            "--keyring-service", install.keyring_service,
        ],
    })
    url = os.environ["HIK_WEBDRIVER_URL"]
    driver = webdriver.Remote(
        command_executor=url,
        options=options,
        client_config=ClientConfig(remote_server_addr=url, timeout=COMMAND_TIMEOUT),
    )
    WebDriverWait(driver, WAIT).until(
        lambda d: d.execute_script("return document.getElementById('app').dataset.started"),
        "the app never finished starting",
    )
    return driver


def capture_window(install, path):
    """Save the app's window as the display shows it. WebDriver's own
    screenshot waits for the window to paint, which a window covered by
    another never does on a display with no window manager; this raises the
    window and reads it from the display (scripts/capture-window)."""
    subprocess.run(
        [os.environ["HIK_CAPTURE_WINDOW"], str(path), str(install.data_dir)],
        check=True, timeout=30, stdout=subprocess.DEVNULL,
    )
