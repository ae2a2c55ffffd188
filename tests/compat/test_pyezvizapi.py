"""pyezvizapi 1.0.4.5, unmodified, over HTTPS: the client the EZVIZ Home
Assistant integration is built on. Its address is the one setting it has
(`url`, a bare apiDomain); it trusts the cloud's CA through REQUESTS_CA_BUNDLE."""

from __future__ import annotations

import pytest
from pyezvizapi.client import EzvizClient
from pyezvizapi.exceptions import EzvizAuthTokenExpired, EzvizAuthVerificationCode

from conftest import PASSWORD


def test_a_new_terminal_asks_for_the_code_then_lists_devices_refreshes_and_logs_out(cloud):
    account = "ezviz-user@example.com"
    # The account lives in the Americas; the client starts in Europe and is
    # sent there with 1100, as the real service does.
    signed_up = cloud.sign_up(account, area_id=1, start_at=cloud.europe)
    assert signed_up["domain"] == cloud.americas

    client = EzvizClient(account, PASSWORD, url=cloud.europe)
    # A terminal the account has never seen: 6002. The client asks for the
    # code itself (POST /v3/sms/nologin/checkcode) and says so.
    with pytest.raises(EzvizAuthVerificationCode):
        client.login()
    code = cloud.latest_code(account, "TERMINAL_BIND")
    # pyezvizapi's own command line passes the code as int(): a code with a
    # leading zero arrives without it, and still works.
    token = client.login(sms_code=int(code))
    assert token["api_url"] == cloud.americas
    assert token["username"]
    sys_conf = token["service_urls"]["sysConf"]
    assert len(sys_conf) > 16 and sys_conf[15] == "127.0.0.1"

    devices = client.get_device_infos()
    assert len(devices) == 4
    names = sorted(d["deviceInfos"]["name"] for d in devices.values())
    assert names == ["Front Door", "Garden", "Office NVR", "Warehouse DVR"]
    for serial, device in devices.items():
        assert isinstance(device["deviceInfos"]["supportExt"], dict), "supportExt is decoded from its JSON string"
        assert device["STATUS"]["globalStatus"] in (0, 1)
        assert device["resourceInfos"], f"{serial} has its camera channels"
    nvr = next(d for d in devices.values() if d["deviceInfos"]["name"] == "Office NVR")
    assert len(nvr["resourceInfos"]) == 8

    records = client.get_device_records()
    assert {r.device_category for r in records.values()} == {"IPC", "XVR"}
    cameras = client.load_cameras(refresh=False)
    assert len(cameras) == 4, cameras.keys()
    garden = next(c for c in cameras.values() if c["name"] == "Garden")
    assert garden["local_ip"].startswith("192.168.")

    # Refresh: the same login() call, now with tokens; both rotate.
    before = dict(client.export_token())
    after = client.login()
    assert after["session_id"] != before["session_id"]
    assert after["rf_session_id"] != before["rf_session_id"]

    assert client.logout() is True
    # The refresh token died with the logout: 403 in meta.code, which the
    # client reads as an expired token.
    stale = EzvizClient(token=dict(after))
    with pytest.raises(EzvizAuthTokenExpired):
        stale.login()
