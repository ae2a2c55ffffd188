//! Devices and cameras of an account, and QA-made accounts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hik_testkit::{terminal, Cloud, ResultCode, PASSWORD};
use serde_json::json;

#[tokio::test]
async fn a_new_account_has_cameras_an_nvr_and_an_offline_dvr() {
    let cloud = Cloud::start().await;
    cloud.account("ana@example.com").await;
    let session = cloud.session("ana@example.com", PASSWORD).await;
    let r = cloud
        .authed(
            "GET",
            "/v3/userdevices/v1/devices/pagelist",
            &session,
            &[("groupId", "-1"), ("limit", "20"), ("offset", "0")],
        )
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    assert_eq!(
        r.json["page"],
        json!({"limit": 20, "offset": 0, "total": 4, "hasNext": false})
    );
    let infos = r.json["deviceInfos"].as_array().unwrap();
    let categories: Vec<&str> = infos
        .iter()
        .map(|d| d["deviceCategory"].as_str().unwrap())
        .collect();
    assert_eq!(categories, ["IPC", "IPC", "NVR", "DVR"]);
    for d in infos {
        let serial = d["deviceSerial"].as_str().unwrap();
        assert_eq!(serial.len(), 9, "{d}");
        assert!(d["fullSerial"].as_str().unwrap().ends_with(serial));
        for key in ["name", "deviceType", "version"] {
            assert!(!d[key].as_str().unwrap().is_empty(), "{key} in {d}");
        }
        assert!(r.json["statusInfos"][serial]["globalStatus"].is_number());
        assert!(r.json["connectionInfos"][serial]["localIp"]
            .as_str()
            .unwrap()
            .starts_with("192.168."));
    }
    let offline: Vec<_> = infos
        .iter()
        .filter(|d| r.json["statusInfos"][d["deviceSerial"].as_str().unwrap()]["globalStatus"] == 0)
        .collect();
    assert_eq!(offline.len(), 1);
    assert_eq!(offline[0]["deviceCategory"], "DVR");
    assert_eq!(
        r.json["wifiInfos"].as_object().unwrap().len(),
        1,
        "one camera is on Wi-Fi"
    );

    let nvr = infos[2]["deviceSerial"].as_str().unwrap();
    let r = cloud
        .authed(
            "GET",
            "/v3/userdevices/v1/cameras/info",
            &session,
            &[("deviceSerial", nvr)],
        )
        .await;
    let cams = r.json["cameraInfos"].as_array().unwrap();
    assert_eq!(cams.len(), 8);
    assert_eq!(cams.iter().filter(|c| c["isShow"] == 1).count(), 4);
    assert_eq!(cams[0]["channelNo"], 1);
    assert_eq!(cams[0]["deviceChannelInfo"]["signalStatus"], 1);
    assert!(cams[0]["cameraName"].as_str().is_some());

    // Only the maps asked for.
    let r = cloud
        .authed(
            "GET",
            "/v3/userdevices/v1/devices/pagelist",
            &session,
            &[("limit", "2"), ("filter", "STATUS")],
        )
        .await;
    assert_eq!(r.json["page"]["hasNext"], true);
    assert!(r.json.get("statusInfos").is_some() && r.json.get("connectionInfos").is_none());
}

#[tokio::test]
async fn devices_are_private_to_their_account() {
    let cloud = Cloud::start().await;
    cloud.account("bo@example.com").await;
    cloud.account("cy@example.com").await;
    let bo = cloud.session("bo@example.com", PASSWORD).await;
    let cy = cloud.session("cy@example.com", PASSWORD).await;
    let r = cloud
        .authed("GET", "/v3/userdevices/v1/devices/pagelist", &bo, &[])
        .await;
    let serial = r.json["deviceInfos"][0]["deviceSerial"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = cloud
        .authed(
            "GET",
            "/v3/userdevices/v1/cameras/info",
            &cy,
            &[("deviceSerial", &serial)],
        )
        .await;
    assert_ne!(r.code(), ResultCode::Success);
    assert!(r.json.get("cameraInfos").is_none());
    let r = cloud
        .authed("GET", "/v3/userdevices/v1/devices/pagelist", "expired", &[])
        .await;
    assert_eq!(r.status, 401);
}

#[tokio::test]
async fn qa_makes_ready_accounts_and_shows_their_state() {
    let cloud = Cloud::start().await;
    let make = |body: serde_json::Value| {
        let http = cloud.http.clone();
        let url = format!("{}/qa/accounts", cloud.url);
        async move {
            http.post(url)
                .json(&body)
                .send()
                .await
                .unwrap()
                .json::<serde_json::Value>()
                .await
                .unwrap()
        }
    };
    let r = make(json!({"account": "qa@example.com", "password": PASSWORD, "areaId": 44, "twoStep": false, "devices": 7})).await;
    assert_eq!(r["account"], "qa@example.com", "{r}");
    let again = make(json!({"account": "qa@example.com", "password": PASSWORD})).await;
    assert_eq!(
        serde_json::from_value::<ResultCode>(again["meta"]["code"].clone()).unwrap(),
        ResultCode::AccountExists
    );

    // Two-step off: a new terminal logs straight in.
    let r = cloud
        .login("qa@example.com", PASSWORD, &terminal(5), None)
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    let session = r.login_session().session_id;
    let r = cloud
        .authed(
            "GET",
            "/v3/userdevices/v1/devices/pagelist",
            &session,
            &[("limit", "50")],
        )
        .await;
    assert_eq!(r.json["page"]["total"], 7);
    assert_eq!(r.json["deviceInfos"][4]["name"], "Front Door 2");

    for _ in 0..5 {
        cloud
            .login("qa@example.com", "Wrong-Pass-11", &terminal(5), None)
            .await;
    }
    let state: serde_json::Value = cloud
        .http
        .get(format!("{}/qa/accounts/qa@example.com", cloud.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(state["twoStep"], false);
    assert_eq!(state["devices"], 7);
    assert_eq!(state["failedLogins"], 5);
    assert_eq!(state["captchaRequired"], true);
    assert_eq!(state["lockedForSeconds"], 0);
    assert_eq!(
        state["terminals"].as_array().unwrap().len(),
        0,
        "unbound with two-step off"
    );
}

#[tokio::test]
async fn the_resource_list_has_the_shapes_ezviz_clients_read() {
    let cloud = Cloud::start().await;
    cloud.account("ez@example.com").await;
    let session = cloud.session("ez@example.com", PASSWORD).await;
    // pyezvizapi's own filter, spaces and repeats included.
    let filter = "CLOUD, TIME_PLAN, CONNECTION, SWITCH,STATUS, WIFI, NODISTURB, KMS,P2P, TIME_PLAN, CHANNEL, VTM, UPGRADE";
    let r = cloud
        .authed(
            "GET",
            "/v3/userdevices/v1/resources/pagelist",
            &session,
            &[
                ("groupId", "-1"),
                ("limit", "30"),
                ("offset", "0"),
                ("filter", filter),
            ],
        )
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    assert_eq!(r.json["page"]["hasNext"], false);
    let infos = r.json["deviceInfos"].as_array().unwrap();
    assert_eq!(infos.len(), 4);
    let categories: Vec<(&str, &str)> = infos
        .iter()
        .map(|d| {
            (
                d["deviceCategory"].as_str().unwrap(),
                d["deviceSubCategory"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        categories,
        [
            ("IPC", "IPC"),
            ("IPC", "IPC"),
            ("XVR", "NVR"),
            ("XVR", "DVR")
        ]
    );
    for d in infos {
        let serial = d["deviceSerial"].as_str().unwrap();
        // supportExt is a JSON object sent as a string.
        let ext: serde_json::Value =
            serde_json::from_str(d["supportExt"].as_str().unwrap()).unwrap();
        assert!(ext.is_object(), "{ext}");
        assert!(
            r.json["STATUS"][serial]["globalStatus"].is_number(),
            "{serial}"
        );
        assert!(
            r.json["CONNECTION"][serial]["netIp"].is_string(),
            "{serial}"
        );
        assert!(r.json["NODISTURB"][serial].is_object(), "{serial}");
    }
    assert_eq!(infos[3]["status"], 2, "the DVR is offline");
    // One resource per camera channel: 1 + 1 + 8 + 4.
    let resources = r.json["resourceInfos"].as_array().unwrap();
    assert_eq!(resources.len(), 14);
    let first = &resources[0];
    let id = first["resourceId"].as_str().unwrap();
    assert_eq!(r.json["CLOUD"][id]["deviceSerial"], first["deviceSerial"]);
    assert_eq!(r.json["CHANNEL"][id]["channelNo"], 1);
    // Maps this cloud has nothing for are there, and empty.
    for empty in ["KMS", "P2P", "TIME_PLAN", "VTM"] {
        assert_eq!(r.json[empty], json!({}), "{empty}");
    }
    assert_eq!(r.json["WIFI"].as_object().unwrap().len(), 1);

    // A filter that is not a list of names is refused, naming the field.
    let r = cloud
        .authed(
            "GET",
            "/v3/userdevices/v1/resources/pagelist",
            &session,
            &[("filter", "STATUS;DROP TABLE")],
        )
        .await;
    assert_eq!(r.code(), ResultCode::BadRequest, "{}", r.json);
    assert!(r.json["meta"]["message"]
        .as_str()
        .unwrap()
        .starts_with("filter"));
    let r = cloud
        .authed(
            "GET",
            "/v3/userdevices/v1/resources/pagelist",
            "not-a-session",
            &[],
        )
        .await;
    assert_eq!(r.status, 401);
}
