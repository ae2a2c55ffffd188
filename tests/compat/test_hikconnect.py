"""hikconnect 3.0.1, unmodified, over HTTPS: the client the Hik-Connect Home
Assistant integration is built on. It has no address setting: its base URL is
the `BASE_URL` attribute, which the library itself rewrites when the cloud
answers 1100; the test sets it on the instance. It trusts the cloud's CA
through SSL_CERT_FILE (aiohttp reads it when imported, so it is imported late).
It sends featureCode `deadbeef` and cannot answer 6002, so its account has
two-step verification off, as its users are told to do."""

from __future__ import annotations

import asyncio
import datetime

from conftest import PASSWORD


def test_login_follows_the_region_refreshes_and_lists_devices_with_their_cameras(cloud):
    account = "hc-user@example.com"
    cloud.qa_account(account, area_id=1, two_step=False, devices=4)

    async def run() -> None:
        from hikconnect.api import HikConnect

        async with HikConnect() as api:
            api.BASE_URL = cloud.url(cloud.europe)
            await api.login(account, PASSWORD)
            # 1100 from Europe: the library switched to https://{apiDomain}.
            assert api.BASE_URL == cloud.url(cloud.americas)
            in_a_day = datetime.datetime.now() + datetime.timedelta(hours=23)
            assert api.login_valid_until > in_a_day, "exp decoded from the session JWT"
            assert not api.is_refresh_login_needed()

            before = api.client.headers["sessionId"]
            await api.refresh_login()
            assert api.client.headers["sessionId"] != before

            devices = [d async for d in api.get_devices()]
            assert sorted(d["name"] for d in devices) == [
                "Front Door",
                "Garden",
                "Office NVR",
                "Warehouse DVR",
            ]
            online = {d["name"]: d["is_online"] for d in devices}
            assert online["Warehouse DVR"] is False and online["Front Door"] is True
            nvr = next(d for d in devices if d["name"] == "Office NVR")
            assert nvr["local_ip"].startswith("192.168.") and nvr["update_available"] is True
            cameras = [c async for c in api.get_cameras(nvr["serial"])]
            assert [c["channel_number"] for c in cameras] == list(range(1, 9))
            assert cameras[0]["name"] == "Reception" and cameras[0]["is_shown"] == 1

    asyncio.run(run())
