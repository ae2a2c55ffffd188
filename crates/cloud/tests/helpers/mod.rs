//! A cloud per test: port 0, a fresh database, QA on, and one method per
//! endpoint so tests read like the flows they check.
//!
//! The database is a SQLite file in a temporary folder, or, when
//! `HIK_TEST_POSTGRES` names a PostgreSQL server (`scripts/with-postgres`
//! starts a throwaway one), a new database on it: the same suite runs on
//! both backends.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hik_proto::PasswordDigest;
use serde_json::Value;

pub const AREA: &str = "44";
pub const PASSWORD: &str = "Correct-Horse-9";

pub struct TestCloud {
    pub cloud: Option<hik_cloud::RunningCloud>,
    pub url: String,
    pub http: reqwest::Client,
    /// Where the cloud keeps its state.
    pub db: hik_cloud::Location,
    _dir: tempfile::TempDir,
}

/// A fresh, empty database for a cloud: a file in `dir`, or a new database
/// on the server `HIK_TEST_POSTGRES` names.
pub async fn fresh_database(dir: &std::path::Path) -> hik_cloud::Location {
    let Ok(server) = std::env::var("HIK_TEST_POSTGRES") else {
        return hik_cloud::Location::File(dir.join("cloud.db"));
    };
    let (client, connection) = tokio_postgres::connect(&server, tokio_postgres::NoTls)
        .await
        .expect("HIK_TEST_POSTGRES names a PostgreSQL server that accepts connections");
    tokio::spawn(connection);
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = format!("hik_test_{}_{n}_{nanos}", std::process::id());
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let base = server.rsplit_once('/').map_or(server.as_str(), |(b, _)| b);
    hik_cloud::Location::Postgres(format!("{base}/{name}"))
}

/// Rows of text (or NULL) that a query reads straight from the cloud's
/// database, to look at what it keeps.
pub async fn stored(db: &hik_cloud::Location, sql: &str) -> Vec<Vec<Option<String>>> {
    match db {
        hik_cloud::Location::File(path) => {
            let conn = rusqlite::Connection::open(path).unwrap();
            let mut st = conn.prepare(sql).unwrap();
            let n = st.column_count();
            st.query_map([], |r| {
                (0..n)
                    .map(|i| {
                        Ok(match r.get_ref(i)? {
                            rusqlite::types::ValueRef::Null => None,
                            rusqlite::types::ValueRef::Integer(v) => Some(v.to_string()),
                            v => Some(v.as_str()?.to_owned()),
                        })
                    })
                    .collect()
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
        }
        hik_cloud::Location::Postgres(url) => {
            let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
                .await
                .unwrap();
            tokio::spawn(connection);
            let rows = client.simple_query(sql).await.unwrap();
            rows.iter()
                .filter_map(|m| match m {
                    tokio_postgres::SimpleQueryMessage::Row(r) => {
                        Some((0..r.len()).map(|i| r.get(i).map(str::to_owned)).collect())
                    }
                    _ => None,
                })
                .collect()
        }
    }
}

/// One terminal (install): its fingerprint goes in the `featureCode` header.
pub fn terminal(n: u8) -> String {
    format!("{n:02x}").repeat(16)
}

pub struct Reply {
    pub status: u16,
    pub retry_after_header: Option<String>,
    pub json: Value,
}

impl Reply {
    pub fn code(&self) -> u64 {
        self.json["meta"]["code"].as_u64().unwrap_or(0)
    }
}

impl TestCloud {
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    /// A cloud whose rules `change` adjusts.
    pub async fn spawn_with(change: impl FnOnce(&mut hik_cloud::Rules)) -> Self {
        Self::spawn_config(|config| change(&mut config.rules)).await
    }

    /// A cloud whose whole configuration `change` adjusts.
    pub async fn spawn_config(change: impl FnOnce(&mut hik_cloud::Config)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = fresh_database(dir.path()).await;
        let mut config = hik_cloud::Config::embedded(db.clone());
        change(&mut config);
        let cloud = hik_cloud::spawn(config).await.unwrap();
        Self {
            url: cloud.url(),
            cloud: Some(cloud),
            http: reqwest::Client::new(),
            db,
            _dir: dir,
        }
    }

    /// A client of a cloud already running at `url` on `db` (one instance of
    /// several, say); it stops nothing when dropped.
    pub fn on(url: String, db: hik_cloud::Location) -> Self {
        Self {
            cloud: None,
            url,
            http: reqwest::Client::new(),
            db,
            _dir: tempfile::tempdir().unwrap(),
        }
    }

    /// Rows a query reads straight from this cloud's database.
    pub async fn stored(&self, sql: &str) -> Vec<Vec<Option<String>>> {
        stored(&self.db, sql).await
    }

    pub async fn send(&self, req: reqwest::RequestBuilder) -> Reply {
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let retry_after_header = res
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap().to_owned());
        let json = res.json().await.unwrap_or(Value::Null);
        Reply {
            status,
            retry_after_header,
            json,
        }
    }

    pub async fn post(&self, path: &str, feature: &str, form: &[(&str, &str)]) -> Reply {
        self.send(
            self.http
                .post(format!("{}{path}", self.url))
                .header("featureCode", feature)
                .header("clientType", "9")
                .form(form),
        )
        .await
    }

    pub async fn areas(&self) -> Reply {
        self.send(self.http.get(format!("{}/v3/users/area/list", self.url)))
            .await
    }

    pub async fn send_code(&self, from: &str, biz: &str) -> Reply {
        self.post(
            "/v3/sms/nologin/checkcode",
            &terminal(0),
            &[("from", from), ("bizType", biz), ("areaId", AREA)],
        )
        .await
    }

    pub async fn sign_up(&self, account: &str, password: &str, code: &str, feature: &str) -> Reply {
        let digest = PasswordDigest::of_password(password);
        self.post(
            "/v3/users/regist/v2",
            feature,
            &[
                ("account", account),
                ("password", digest.as_str()),
                ("areaId", AREA),
                ("smsCode", code),
            ],
        )
        .await
    }

    pub async fn login(
        &self,
        account: &str,
        password: &str,
        feature: &str,
        code: Option<&str>,
    ) -> Reply {
        let digest = PasswordDigest::of_password(password);
        let mut form = vec![
            ("account", account),
            ("password", digest.as_str()),
            ("cuName", "VGVzdCBQQw=="),
        ];
        if let Some(c) = code {
            form.extend([
                ("smsCode", c),
                ("msgType", "3"),
                ("bizType", "TERMINAL_BIND"),
            ]);
        }
        self.post("/v3/users/login/v2", feature, &form).await
    }

    /// Log in from terminal 1 with a captcha answer.
    pub async fn login_with_captcha(
        &self,
        account: &str,
        password: &str,
        image_code: &str,
    ) -> Reply {
        let digest = PasswordDigest::of_password(password);
        let form = [
            ("account", account),
            ("password", digest.as_str()),
            ("imageCode", image_code),
        ];
        self.post("/v3/users/login/v2", &terminal(1), &form).await
    }

    /// Fetch a captcha picture for `account` (as a client would), then read its
    /// answer through the QA surface.
    pub async fn captcha_answer(&self, account: &str) -> String {
        let res = self
            .http
            .get(format!("{}/v3/captcha", self.url))
            .query(&[("account", account), ("featureCode", &terminal(1))])
            .send()
            .await
            .unwrap();
        assert_eq!(res.headers()["content-type"], "image/png");
        let png = res.bytes().await.unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "a real PNG");
        let r = self
            .send(
                self.http
                    .get(format!("{}/qa/captcha", self.url))
                    .query(&[("account", account)]),
            )
            .await;
        r.json["answer"]
            .as_str()
            .unwrap_or_else(|| panic!("no captcha answer: {}", r.json))
            .to_owned()
    }

    pub async fn reset_password(&self, account: &str, new_password: &str, code: &str) -> Reply {
        let digest = PasswordDigest::of_password(new_password);
        let form = [
            ("account", account),
            ("password", digest.as_str()),
            ("smsCode", code),
        ];
        self.post("/v3/users/password/reset", &terminal(1), &form)
            .await
    }

    pub async fn change_password(&self, session: &str, old: &str, new: &str) -> Reply {
        let (old, new) = (
            PasswordDigest::of_password(old),
            PasswordDigest::of_password(new),
        );
        self.send(
            self.http
                .post(format!("{}/v3/users/password/mod", self.url))
                .header("sessionId", session)
                .form(&[("oldPassword", old.as_str()), ("newPassword", new.as_str())]),
        )
        .await
    }

    /// A session of `account` logged in from terminal 1.
    pub async fn session(&self, account: &str, password: &str) -> String {
        let r = self.login(account, password, &terminal(1), None).await;
        assert_eq!(r.code(), 200, "{}", r.json);
        r.json["loginSession"]["sessionId"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// A logged-in request: `method` `path` with `form` (query for GET/DELETE).
    pub async fn authed(
        &self,
        method: &str,
        path: &str,
        session: &str,
        form: &[(&str, &str)],
    ) -> Reply {
        let url = format!("{}{path}", self.url);
        let req = match method {
            "GET" => self.http.get(url).query(form),
            "DELETE" => self.http.delete(url).query(form),
            "PUT" => self.http.put(url).form(form),
            _ => self.http.post(url).form(form),
        };
        self.send(req.header("sessionId", session)).await
    }

    /// Log in from `feature`, with a TERMINAL_BIND code when the terminal is new.
    /// Moves the clock 12 minutes first: past the cooldown, and slow enough for
    /// the 5-an-hour limit, so calls can follow each other.
    pub async fn session_on(&self, account: &str, feature: &str) -> String {
        let r = self.login(account, PASSWORD, feature, None).await;
        let r = if r.code() == 6002 {
            self.advance_clock(721).await;
            assert_eq!(self.send_code(account, "TERMINAL_BIND").await.code(), 200);
            let code = self.latest_code(account, "TERMINAL_BIND").await;
            self.login(account, PASSWORD, feature, Some(&code)).await
        } else {
            r
        };
        assert_eq!(r.code(), 200, "{}", r.json);
        r.json["loginSession"]["sessionId"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// Ask for a logged-in code and return it (from the outbox).
    pub async fn code_for(
        &self,
        session: &str,
        biz: &str,
        to: &str,
        extra: &[(&str, &str)],
    ) -> String {
        self.advance_clock(61).await;
        let mut form = vec![("bizType", biz)];
        form.extend_from_slice(extra);
        let r = self
            .authed("POST", "/v3/users/checkcode/mt", session, &form)
            .await;
        assert_eq!(r.code(), 200, "{}", r.json);
        self.latest_code(to, biz).await
    }

    pub async fn refresh(&self, token: &str, feature: &str) -> Reply {
        self.send(
            self.http
                .put(format!("{}/v3/apigateway/login", self.url))
                .header("featureCode", feature)
                .form(&[("refreshSessionId", token), ("featureCode", feature)]),
        )
        .await
    }

    pub async fn logout(&self, session: &str) -> Reply {
        self.send(
            self.http
                .delete(format!("{}/v3/users/logout/v2", self.url))
                .header("sessionId", session),
        )
        .await
    }

    pub async fn user_info(&self, session: &str) -> Reply {
        self.send(
            self.http
                .get(format!("{}/v3/users/info", self.url))
                .header("sessionId", session),
        )
        .await
    }

    /// The newest code sent to `to` for `biz`, read from the QA outbox.
    pub async fn latest_code(&self, to: &str, biz: &str) -> String {
        let r = self
            .send(self.http.get(format!("{}/qa/outbox", self.url)).query(&[
                ("to", to),
                ("bizType", biz),
                ("limit", "1"),
            ]))
            .await;
        r.json["messages"][0]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("no {biz} code in the outbox for {to}: {}", r.json))
            .to_owned()
    }

    /// A QA request with a JSON body.
    pub async fn qa(&self, method: &str, path: &str, body: Value) -> Reply {
        let url = format!("{}{path}", self.url);
        let req = match method {
            "DELETE" => self.http.delete(url),
            "GET" => self.http.get(url),
            _ => self.http.post(url).json(&body),
        };
        self.send(req).await
    }

    /// Wait until the newest message to `to` has `status`; returns it.
    pub async fn wait_status(&self, to: &str, status: &str) -> Value {
        for _ in 0..100 {
            if let Some(m) = self.outbox(to).await.first() {
                if m["status"] == status {
                    return m.clone();
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("no {status} message to {to}: {:?}", self.outbox(to).await);
    }

    pub async fn outbox(&self, to: &str) -> Vec<Value> {
        let r = self
            .send(
                self.http
                    .get(format!("{}/qa/outbox", self.url))
                    .query(&[("to", to)]),
            )
            .await;
        r.json["messages"].as_array().cloned().unwrap_or_default()
    }

    pub async fn advance_clock(&self, secs: u64) {
        let r = self
            .send(
                self.http
                    .post(format!("{}/qa/clock", self.url))
                    .json(&serde_json::json!({ "advanceSeconds": secs })),
            )
            .await;
        assert!(
            r.json["now"].as_i64().is_some(),
            "clock did not move: {}",
            r.json
        );
    }

    /// An account signed up from terminal 1, ready to log in.
    pub async fn account(&self, email: &str) {
        assert_eq!(self.send_code(email, "USER_REGISTRATION").await.code(), 200);
        let code = self.latest_code(email, "USER_REGISTRATION").await;
        let r = self.sign_up(email, PASSWORD, &code, &terminal(1)).await;
        assert_eq!(r.code(), 200, "{}", r.json);
    }
}
