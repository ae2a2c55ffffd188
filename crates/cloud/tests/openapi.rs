//! /openapi.json lists every endpoint of the protocol (docs/protocol.md) and
//! of the QA surface, everything it lists is served, and docs/protocol.md
//! describes exactly what it lists.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hik_testkit::Cloud;

/// Every endpoint the protocol names.
const PROTOCOL: &[(&str, &str)] = &[
    ("get", "/v3/users/area/list"),
    ("post", "/v3/sms/nologin/checkcode"),
    ("post", "/v3/users/regist/v2"),
    ("post", "/v3/users/login/v2"),
    ("post", "/v3/users/login/v5"),
    ("get", "/v3/captcha"),
    ("post", "/v3/users/password/reset"),
    ("post", "/v3/users/password/mod"),
    ("get", "/v3/users/info"),
    ("post", "/v3/users/checkcode/mt"),
    ("put", "/v3/users/email"),
    ("put", "/v3/users/phone"),
    ("get", "/v3/terminals"),
    ("get", "/v3/terminals/status"),
    ("put", "/v3/terminals/status"),
    ("post", "/v3/terminals/unbind"),
    ("post", "/v3/terminals/nologin"),
    ("delete", "/v3/users"),
    ("get", "/v3/userdevices/v1/devices/pagelist"),
    ("get", "/v3/userdevices/v1/cameras/info"),
    ("get", "/v3/userdevices/v1/resources/pagelist"),
    ("get", "/v3/configurations/system/info"),
    ("put", "/v3/apigateway/login"),
    ("delete", "/v3/users/logout/v2"),
    // Simulator-defined: the account's recent security activity.
    ("get", "/v3/users/activity"),
    ("post", "/v3/users/contact/test"),
];

const QA: &[(&str, &str)] = &[
    ("get", "/qa/outbox"),
    ("get", "/qa/inbox"),
    ("post", "/qa/clock"),
    ("post", "/qa/faults"),
    ("delete", "/qa/faults"),
    ("post", "/qa/accounts"),
    ("get", "/qa/accounts/{account}"),
    ("get", "/qa/captcha"),
    ("post", "/qa/reset"),
    ("get", "/qa/scenarios"),
    ("post", "/qa/scenarios/{name}"),
];

async fn document(cloud: &Cloud) -> serde_json::Value {
    let r = cloud
        .send(cloud.http.get(format!("{}/openapi.json", cloud.url)))
        .await;
    assert_eq!(r.status, 200);
    r.json
}

#[tokio::test]
async fn the_document_lists_every_endpoint_and_each_one_is_served() {
    let cloud = Cloud::start().await;
    let doc = document(&cloud).await;
    assert_eq!(doc["openapi"], "3.0.3");
    let paths = doc["paths"].as_object().unwrap();
    for (method, path) in PROTOCOL.iter().chain(QA) {
        let op = &paths
            .get(*path)
            .unwrap_or_else(|| panic!("{path} is not documented"))[*method];
        assert!(
            op["summary"].as_str().is_some_and(|s| !s.is_empty()),
            "{method} {path}"
        );
    }
    assert_eq!(
        paths["/v3/users/info"]["get"]["security"][0]["sessionId"],
        serde_json::json!([])
    );
    // The field lists come from the request types: names, kinds, and which
    // are required.
    let login = &paths["/v3/users/login/v2"]["post"]["requestBody"]["content"]
        ["application/x-www-form-urlencoded"]["schema"];
    assert!(login["properties"]["featureCode"].is_object());
    assert_eq!(
        login["required"],
        serde_json::json!(["account", "password"])
    );
    let two_step = &paths["/v3/terminals/status"]["put"]["requestBody"]["content"]
        ["application/json"]["schema"];
    assert_eq!(two_step["properties"]["enable"]["type"], "boolean");
    let query: Vec<(String, bool)> = paths["/v3/userdevices/v1/cameras/info"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_owned(),
                p["required"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(query, [("deviceSerial".to_owned(), true)]);

    // Everything documented answers (never 404 or 405), even with no input.
    for (path, ops) in paths {
        for method in ops.as_object().unwrap().keys() {
            let url = format!(
                "{}{}",
                cloud.url,
                path.replace("{account}", "nobody@example.com")
                    .replace("{name}", "captcha-required")
            );
            let req = match method.as_str() {
                "get" => cloud.http.get(url),
                "post" => cloud.http.post(url).json(&serde_json::json!({})),
                "put" => cloud.http.put(url),
                "delete" => cloud.http.delete(url),
                other => panic!("unexpected method {other}"),
            };
            let status = req.send().await.unwrap().status().as_u16();
            assert!(
                ![404, 405].contains(&status) && status < 500,
                "{method} {path} answered {status}"
            );
        }
    }
}

#[tokio::test]
async fn without_the_qa_surface_neither_document_nor_cloud_has_it() {
    let cloud = Cloud::builder().config(|c| c.qa = false).start().await;
    let doc = document(&cloud).await;
    assert!(doc["paths"]
        .as_object()
        .unwrap()
        .keys()
        .all(|p| !p.starts_with("/qa/")));
    let r = cloud
        .send(cloud.http.get(format!("{}/qa/outbox", cloud.url)))
        .await;
    assert_eq!(r.status, 404);
}

/// docs/protocol.md's operations: each `### METHOD /path` heading with the
/// text of its section.
fn protocol_doc_sections() -> Vec<(String, String)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/protocol.md");
    let text = std::fs::read_to_string(path).unwrap();
    let mut sections: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if let Some(heading) = line.strip_prefix("### ") {
            sections.push((heading.trim().to_owned(), String::new()));
        } else if line.starts_with("## ") {
            sections.push((String::new(), String::new()));
        } else if let Some((_, body)) = sections.last_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    sections.retain(|(heading, _)| !heading.is_empty());
    sections
}

#[tokio::test]
async fn the_protocol_document_describes_every_operation_and_field_and_nothing_else() {
    let cloud = Cloud::start().await;
    let doc = document(&cloud).await;
    let mut served = std::collections::BTreeMap::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            let mut fields: Vec<String> = op["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|p| p["in"] == "query")
                .map(|p| p["name"].as_str().unwrap().to_owned())
                .collect();
            if let Some(props) =
                op["requestBody"]["content"]["application/json"]["schema"]["properties"].as_object()
            {
                fields.extend(props.keys().cloned());
            }
            served.insert(format!("{} {path}", method.to_uppercase()), fields);
        }
    }
    let sections = protocol_doc_sections();
    let described: std::collections::BTreeSet<&str> =
        sections.iter().map(|(h, _)| h.as_str()).collect();
    for operation in served.keys() {
        assert!(
            described.contains(operation.as_str()),
            "docs/protocol.md has no `### {operation}` section"
        );
    }
    for (heading, body) in &sections {
        let fields = served.get(heading).unwrap_or_else(|| {
            panic!("docs/protocol.md describes `{heading}`, which the cloud does not serve")
        });
        for field in fields {
            assert!(
                body.contains(&format!("`{field}`")),
                "docs/protocol.md: `{heading}` does not name its field `{field}`"
            );
        }
    }
    assert_eq!(
        sections.len(),
        described.len(),
        "a section is written twice"
    );
}
