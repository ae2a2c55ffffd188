//! Nothing a request sends can take the cloud down: every number has a bound,
//! and time arithmetic stays within dates HTTP can write.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hik_testkit::{Cloud, Reply, ResultCode};
use serde_json::json;

fn refused_naming(r: &Reply, field: &str) {
    assert_eq!(
        (r.status, r.code()),
        (200, ResultCode::BadRequest),
        "{}",
        r.json
    );
    let message = r.json["meta"]["message"].as_str().unwrap();
    assert!(message.starts_with(&format!("{field}:")), "{message}");
}

/// The cloud still answers, with a Date header HTTP can read.
async fn still_serving(cloud: &Cloud) {
    let res = cloud
        .http
        .get(format!("{}/v3/users/area/list", cloud.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let date = res.headers()["date"].to_str().unwrap().to_owned();
    assert!(httpdate::parse_http_date(&date).is_ok(), "{date}");
    assert_eq!(
        cloud
            .send_code("still@example.com", "USER_REGISTRATION")
            .await
            .code(),
        ResultCode::Success
    );
}

#[tokio::test]
async fn a_far_future_clock_is_refused_and_the_clock_stops_before_the_year_9999() {
    let cloud = Cloud::start().await;
    let r = cloud
        .qa_raw(
            "POST",
            "/qa/clock",
            json!({"advanceSeconds": 251_606_455_197_u64}),
        )
        .await;
    refused_naming(&r, "advanceSeconds");
    let r = cloud
        .qa_raw("POST", "/qa/clock", json!({"advanceSeconds": i64::MAX}))
        .await;
    refused_naming(&r, "advanceSeconds");
    still_serving(&cloud).await;

    // As far as it goes, a hundred years at a time: then it says how far.
    let mut last = 0;
    for _ in 0..100 {
        let r = cloud
            .qa_raw(
                "POST",
                "/qa/clock",
                json!({"advanceSeconds": 3_155_760_000_u64}),
            )
            .await;
        if r.code() == ResultCode::BadRequest {
            assert!(r.json["meta"]["message"]
                .as_str()
                .unwrap()
                .contains("may move"));
            break;
        }
        last = r.json["now"].as_i64().unwrap();
    }
    assert!(last > 250_000_000_000, "near the year 9900: {last}");
    still_serving(&cloud).await;
}

#[tokio::test]
async fn a_huge_delivery_delay_is_refused_and_delivery_goes_on() {
    let cloud = Cloud::start().await;
    for body in [
        json!({"channel": "email", "delaySeconds": "9223372036854775807"}),
        json!({"channel": "email", "delaySeconds": -1}),
        json!({"channel": "email", "delaySeconds": 604_801}),
    ] {
        refused_naming(
            &cloud.qa_raw("POST", "/qa/faults", body).await,
            "delaySeconds",
        );
    }
    refused_naming(
        &cloud
            .qa_raw(
                "POST",
                "/qa/faults",
                json!({"channel": "email", "failNext": 100_000}),
            )
            .await,
        "failNext",
    );
    refused_naming(
        &cloud
            .qa_raw(
                "POST",
                "/qa/faults",
                json!({"channel": "email", "dropRate": 2}),
            )
            .await,
        "dropRate",
    );
    // A week is the most, and it works.
    let r = cloud
        .qa_raw(
            "POST",
            "/qa/faults",
            json!({"channel": "email", "delaySeconds": 604_800}),
        )
        .await;
    assert_eq!(
        r.json["faults"]["email"]["delaySeconds"], 604_800,
        "{}",
        r.json
    );
    still_serving(&cloud).await;
    assert_eq!(
        cloud
            .qa()
            .wait_status("still@example.com", "delayed")
            .await
            .status,
        "delayed"
    );
    let r = cloud.qa_raw("DELETE", "/qa/faults", json!({})).await;
    assert_eq!(r.json["faults"], json!({}), "cleared: {}", r.json);
}

#[tokio::test]
async fn page_sizes_and_offsets_out_of_bounds_name_their_field() {
    let cloud = Cloud::start().await;
    cloud.account("pg@example.com").await;
    let session = cloud.session("pg@example.com", hik_testkit::PASSWORD).await;
    for (path, field, value) in [
        ("/v3/userdevices/v1/devices/pagelist", "limit", "0"),
        ("/v3/userdevices/v1/devices/pagelist", "limit", "51"),
        ("/v3/userdevices/v1/resources/pagelist", "offset", "-1"),
        (
            "/v3/userdevices/v1/resources/pagelist",
            "groupId",
            "99999999999",
        ),
        ("/v3/terminals", "offset", "18446744073709551616"),
        ("/v3/terminals", "limit", "1.5"),
    ] {
        let r = cloud.authed("GET", path, &session, &[(field, value)]).await;
        refused_naming(&r, field);
    }
    let r = cloud.qa_raw("GET", "/qa/outbox?limit=501", json!({})).await;
    refused_naming(&r, "limit");
    let r = cloud
        .qa_raw("POST",
            "/qa/accounts",
            json!({"account": "many@example.com", "password": hik_testkit::PASSWORD, "devices": 201}),
        )
        .await;
    refused_naming(&r, "devices");
}

#[tokio::test]
async fn every_logged_in_endpoint_checks_the_session_before_its_fields() {
    let cloud = Cloud::start().await;
    let doc = cloud
        .send(cloud.http.get(format!("{}/openapi.json", cloud.url)))
        .await
        .json;
    let mut checked = 0;
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            if op.get("security").is_none() {
                continue;
            }
            let url = format!("{}{path}", cloud.url);
            // No fields at all, then fields that are all wrong: 401 either way.
            let garbage = [
                ("enable", "maybe"),
                ("signs", ""),
                ("limit", "-5"),
                ("email", "x"),
            ];
            for (form, session) in [(&[][..], None), (&garbage[..], Some("not-a-session"))] {
                let req = match method.as_str() {
                    "get" => cloud.http.get(&url).query(form),
                    "delete" => cloud.http.delete(&url).query(form),
                    "put" => cloud.http.put(&url).form(form),
                    _ => cloud.http.post(&url).form(form),
                };
                let req = match session {
                    Some(s) => req.header("sessionId", s),
                    None => req,
                };
                let r = cloud.send(req).await;
                assert_eq!(r.status, 401, "{method} {path} {form:?}: {}", r.json);
            }
            checked += 1;
        }
    }
    assert!(checked >= 14, "only {checked} logged-in endpoints");
}

#[tokio::test]
async fn an_endpoint_fault_answers_its_status_on_its_paths_only_until_cleared() {
    let cloud = Cloud::start().await;
    let r = cloud
        .qa_raw(
            "POST",
            "/qa/faults",
            json!({"path": "/v3/users/area", "status": 504}),
        )
        .await;
    assert_eq!(r.json["endpoints"][0]["status"], 504, "{}", r.json);
    assert_eq!(r.json["endpoints"][0]["rate"], 1.0);
    let hit = cloud.areas().await;
    assert_eq!(
        (hit.status, hit.code()),
        (504, ResultCode::Other(504)),
        "{}",
        hit.json
    );
    assert!(hit.json["meta"]["message"]
        .as_str()
        .unwrap()
        .contains("Gateway Timeout"));
    // Other paths, and the QA surface itself, are served.
    assert_eq!(
        cloud
            .send_code("ef@example.com", "USER_REGISTRATION")
            .await
            .code(),
        ResultCode::Success
    );
    assert_eq!(
        cloud.qa_raw("GET", "/qa/faults", json!({})).await.status,
        200
    );
    // A rate of 0 never strikes; a latency alone only delays.
    cloud
        .qa_raw(
            "POST",
            "/qa/faults",
            json!({"path": "/v3/users/area", "status": 500, "rate": 0}),
        )
        .await;
    assert_eq!(cloud.areas().await.status, 200);
    cloud
        .qa_raw(
            "POST",
            "/qa/faults",
            json!({"path": "/v3/users/area", "latencyMs": 300}),
        )
        .await;
    let began = std::time::Instant::now();
    assert_eq!(cloud.areas().await.status, 200);
    assert!(began.elapsed() >= std::time::Duration::from_millis(300));
    let r = cloud.qa_raw("DELETE", "/qa/faults", json!({})).await;
    assert_eq!(r.json["endpoints"], json!([]));
    // Refused: a status that is not a server error, no path, both kinds at once.
    for (body, field) in [
        (json!({"path": "/v3", "status": 404}), "status"),
        (json!({"path": "/v3", "latencyMs": 60_001}), "latencyMs"),
        (json!({"path": "v3", "status": 500}), "path"),
        (json!({"path": "/v3"}), "status"),
        (
            json!({"channel": "email", "path": "/v3", "status": 500}),
            "channel",
        ),
        (json!({}), "channel"),
    ] {
        refused_naming(&cloud.qa_raw("POST", "/qa/faults", body).await, field);
    }
}

#[tokio::test]
async fn a_json_body_sent_as_a_form_is_read_as_json() {
    // What `curl -d '{...}'` sends: JSON, labelled a form.
    let cloud = Cloud::start().await;
    let as_form = |path: &str, body: &str| {
        cloud
            .http()
            .post(format!("{}{path}", cloud.url()))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body.to_owned())
            .send()
    };
    let before = cloud.qa().now().await;
    let reply = as_form("/qa/clock", r#" {"advanceSeconds": 600}"#)
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    assert!(cloud.qa().now().await >= before + 600);

    let reply = as_form(
        "/qa/accounts",
        r#"{"account":"curl@example.com","password":"Horse-Battery-42"}"#,
    )
    .await
    .unwrap();
    assert_eq!(reply.status(), 200);
    let r = cloud
        .login(
            "curl@example.com",
            "Horse-Battery-42",
            &hik_testkit::terminal(1),
            None,
        )
        .await;
    assert_eq!(r.code(), ResultCode::NewTerminal);

    // A broken object is refused as one, never read as a form.
    let reply = as_form("/qa/clock", r#"{"advanceSeconds": "#)
        .await
        .unwrap();
    assert_eq!(reply.status(), 400);
    // A real form still is one.
    let reply = as_form("/qa/clock", "advanceSeconds=60").await.unwrap();
    assert_eq!(reply.status(), 200);
}

/// A cloud with a QA token (the desktop app's embedded one) serves its QA
/// surface only to requests that carry it; the protocol needs none.
#[tokio::test]
async fn a_qa_token_guards_the_qa_surface_and_nothing_else() {
    let cloud = Cloud::builder()
        .config(|c| c.qa_token = Some("0123456789abcdef0123456789abcdef".into()))
        .start()
        .await;
    let get = |path: &str, token: Option<&str>| {
        let mut req = cloud.http.get(format!("{}{path}", cloud.url));
        if let Some(t) = token {
            req = req.header("X-Hik-Qa-Token", t);
        }
        async move { req.send().await.unwrap() }
    };
    assert_eq!(get("/qa/clock", None).await.status(), 401);
    assert_eq!(get("/qa/clock", Some("wrong")).await.status(), 401);
    assert_eq!(
        get("/qa/clock", Some("0123456789abcdef0123456789abcdef"))
            .await
            .status(),
        200
    );
    let by_query = "/qa/outbox?qaToken=0123456789abcdef0123456789abcdef";
    assert_eq!(get(by_query, None).await.status(), 200);
    let reset = cloud
        .http
        .post(format!("{}/qa/reset", cloud.url))
        .send()
        .await
        .unwrap();
    assert_eq!(
        reset.status(),
        401,
        "the reset is refused without the token"
    );
    // The inbox page, opened with the token, reads the outbox with it.
    let page = get("/qa/inbox?qaToken=0123456789abcdef0123456789abcdef", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("get('qaToken')"), "{page}");
    assert_eq!(get("/v3/users/area/list", None).await.status(), 200);
}
