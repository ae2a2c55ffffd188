"""One simulated cloud for the session: the hik-cloud binary, two regions over
HTTPS from a CA it makes at start, QA on. Clients are told to trust that CA the
way their users would: REQUESTS_CA_BUNDLE for requests (pyezvizapi),
SSL_CERT_FILE for aiohttp (hikconnect, which reads it once, at import)."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

HERE = Path(__file__).resolve().parent
PASSWORD = "Correct-Horse-9"
# The language of meta.message (hik-cloud --messages): "request" (each
# request's own), or "zh" as the real service answers everyone.
MESSAGES = os.environ.get("HIK_COMPAT_MESSAGES", "request")


@dataclass
class Cloud:
    """The running cloud: each region's bare apiDomain and URL, and its QA surface."""

    regions: dict[str, str]  # region name -> "127.0.0.1:PORT" (apiDomain)
    ca: Path
    http: requests.Session

    @property
    def europe(self) -> str:
        return self.regions["Europe"]

    @property
    def americas(self) -> str:
        return self.regions["Americas and Asia-Pacific"]

    def url(self, domain: str) -> str:
        return f"https://{domain}"

    def latest_code(self, to: str, biz_type: str) -> str:
        r = self.http.get(
            f"{self.url(self.europe)}/qa/outbox",
            params={"to": to, "bizType": biz_type, "limit": 1},
            timeout=10,
        )
        r.raise_for_status()
        messages = r.json()["messages"]
        assert messages and messages[0]["code"], f"no {biz_type} code for {to}: {r.text}"
        return messages[0]["code"]

    def qa_account(self, account: str, area_id: int, two_step: bool, devices: int) -> None:
        r = self.http.post(
            f"{self.url(self.europe)}/qa/accounts",
            json={
                "account": account,
                "password": PASSWORD,
                "areaId": area_id,
                "twoStep": two_step,
                "devices": devices,
            },
            timeout=30,
        )
        assert r.status_code == 200, r.text

    def sign_up(self, account: str, area_id: int, start_at: str) -> dict:
        """Sign up on the wire as a client of the real service would: ask for
        the code (following 1100 to the account's region), read it from the
        outbox, register. Returns the region's apiDomain and the reply."""
        domain = start_at
        headers = {"clientType": "55", "featureCode": "signup-terminal", "lang": "en-US"}
        for _ in range(2):
            r = self.http.post(
                f"{self.url(domain)}/v3/sms/nologin/checkcode",
                data={"from": account, "bizType": "USER_REGISTRATION", "areaId": area_id},
                headers=headers,
                timeout=10,
            ).json()
            if r["meta"]["code"] != 1100:
                break
            domain = r["loginArea"]["apiDomain"]
        assert r["meta"]["code"] == 200, r
        code = self.latest_code(account, "USER_REGISTRATION")
        r = self.http.post(
            f"{self.url(domain)}/v3/users/regist/v2",
            data={
                "account": account,
                "password": hashlib.md5(PASSWORD.encode()).hexdigest(),
                "areaId": area_id,
                "smsCode": code,
            },
            headers=headers,
            timeout=30,
        ).json()
        assert r["meta"]["code"] == 200, r
        return {"domain": domain, "reply": r}


def _binary() -> Path:
    path = os.environ.get("HIK_CLOUD_BIN")
    if path:
        return Path(path)
    target = Path(os.environ.get("CARGO_TARGET_DIR", HERE.parent.parent / "target"))
    return target / "debug" / "hik-cloud"


class Running:
    """A hik-cloud process started by a test, ended (by its process id) when done."""

    def __init__(self, args: list[str], work: Path, regions: int):
        self.proc = subprocess.Popen(
            [str(_binary()), *args],
            stdout=subprocess.PIPE,
            stderr=open(work / "cloud.log", "w"),
            text=True,
        )
        self.urls: dict[str, str] = {}
        deadline = time.monotonic() + 30
        assert self.proc.stdout is not None
        try:
            while len(self.urls) < regions:
                line = self.proc.stdout.readline()
                assert line, f"hik-cloud ended early; see {work / 'cloud.log'}"
                assert time.monotonic() < deadline, "hik-cloud did not start in 30 s"
                m = re.match(r"hik-cloud region (.+) listening on (https?://\S+)$", line.strip())
                if m:
                    self.urls[m.group(1)] = m.group(2)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture(scope="session")
def cloud(tmp_path_factory: pytest.TempPathFactory):
    # aiohttp builds its TLS context when it is imported: SSL_CERT_FILE must be
    # set first, so nothing may have imported it yet.
    assert "aiohttp" not in sys.modules, "aiohttp was imported before the cloud's CA existed"
    assert _binary().exists(), f"{_binary()} is missing: build it with `cargo build -p hik-cloud`"
    work = tmp_path_factory.mktemp("cloud")
    ca = work / "ca.pem"
    running = Running(
        [
            "--config", str(HERE / "regions.toml"), "--db", str(work / "cloud.db"), "--generate-ca", str(ca),
            "--messages", MESSAGES,
        ],
        work,
        regions=2,
    )
    try:
        regions = {name: url.removeprefix("https://") for name, url in running.urls.items()}
        os.environ["REQUESTS_CA_BUNDLE"] = str(ca)
        os.environ["SSL_CERT_FILE"] = str(ca)
        http = requests.Session()
        http.verify = str(ca)
        yield Cloud(regions=regions, ca=ca, http=http)
    finally:
        running.stop()


@pytest.fixture
def plain_cloud(tmp_path: Path):
    """A cloud of its own for a test that may wreck it: plain HTTP, one
    region, QA on. Yields its base URL."""
    running = Running(
        ["--listen", "127.0.0.1:0", "--qa", "--db", str(tmp_path / "cloud.db")], tmp_path, regions=1
    )
    try:
        yield next(iter(running.urls.values()))
    finally:
        running.stop()
