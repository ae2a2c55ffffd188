"""The cloud's QA surface (README, "The QA surface"): codes from the outbox,
the clock, ready accounts and scenarios. Plain HTTP and JSON."""

import json
import os
import time
import urllib.parse
import urllib.request

from hik import WAIT


class Qa:
    def __init__(self, base_url=None):
        self.base = (base_url or os.environ["HIK_QA_CLOUD_URL"]).rstrip("/")

    def _call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.base + path, data=data, method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=WAIT) as reply:
            return json.load(reply)

    def code(self, to, biz_type, wait=WAIT):
        """The newest code sent to `to` for `biz_type` (USER_REGISTRATION,
        TERMINAL_BIND, RETRIEVE_PASSWORD...), once it is delivered."""
        query = urllib.parse.urlencode({"to": to, "bizType": biz_type, "limit": 1})
        deadline = time.monotonic() + wait
        while True:
            messages = self._call("GET", f"/qa/outbox?{query}")["messages"]
            if messages and messages[0]["status"] == "delivered":
                return messages[0]["code"]
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"no {biz_type} code delivered to {to} in {wait} s: {messages}"
                )
            time.sleep(0.2)

    def create_account(self, account, password, area_id=44, two_step=True):
        """A ready account, with no code and no terminal."""
        return self._call("POST", "/qa/accounts", {
            "account": account, "password": password,
            "areaId": area_id, "twoStep": two_step,
        })

    def scenario(self, name, account=None):
        """One of the guide's cases set up in one step, for `account` or a
        fresh account; the reply has `account` and (fresh) `password`."""
        return self._call("POST", f"/qa/scenarios/{name}",
                          {} if account is None else {"account": account})

    def advance_clock(self, seconds):
        """Move the cloud's clock: expiry, cooldowns and locks follow."""
        return self._call("POST", "/qa/clock", {"advanceSeconds": seconds})["now"]
