//! The protocol as raw as a test needs it: any field, any header, and every
//! reply kept whole, its result code read as a `ResultCode`.

use crate::{terminal, Qa, AREA, PASSWORD};
use hik_proto::{PasswordDigest, ResultCode};
use serde_json::Value;

/// A client of one cloud instance.
#[derive(Clone)]
pub struct Api {
    /// The instance's first region.
    pub url: String,
    pub http: reqwest::Client,
    qa: Qa,
    /// Sent with every request (`speaking`).
    headers: reqwest::header::HeaderMap,
}

/// A reply, whole.
#[derive(Debug)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    pub retry_after_header: Option<String>,
    /// The body (`Null` when it was not JSON).
    pub json: Value,
}

impl Reply {
    /// `meta.code` (`Other(0)` when the reply has none).
    pub fn code(&self) -> ResultCode {
        let n = self.json["meta"]["code"].as_u64().unwrap_or(0);
        ResultCode::from(u32::try_from(n).unwrap_or(0))
    }

    /// The body as the protocol's type `T` (panics, naming the body, when
    /// it is not one).
    pub fn body<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_value(self.json.clone())
            .unwrap_or_else(|e| panic!("not a {}: {e}: {}", std::any::type_name::<T>(), self.json))
    }

    /// The session and refresh token of a login's reply, typed.
    pub fn login_session(&self) -> hik_proto::wire::LoginSession {
        self.body::<hik_proto::wire::LoggedIn>().login_session
    }

    /// The session of a login's reply.
    pub fn session(&self) -> String {
        self.login_session().session_id
    }
}

impl Api {
    /// A client of the cloud at `url`, over `http` (which trusts the cloud's
    /// CA, for HTTPS).
    pub fn on(url: &str, http: reqwest::Client) -> Self {
        let url = url.trim_end_matches('/').to_owned();
        let qa = Qa::new(hik_client::QaApi::with_http(&url, http.clone()));
        Self {
            url,
            http,
            qa,
            headers: reqwest::header::HeaderMap::new(),
        }
    }

    /// The same client, naming its language in header `name` (`lang` as the
    /// app, `language` as pyezvizapi) on every request.
    pub fn speaking(&self, name: &'static str, lang: &str) -> Self {
        let mut api = self.clone();
        let value = reqwest::header::HeaderValue::from_str(lang).unwrap();
        api.headers.insert(name, value);
        api
    }

    /// The QA surface of the same instance.
    pub fn qa(&self) -> &Qa {
        &self.qa
    }

    pub async fn send(&self, req: reqwest::RequestBuilder) -> Reply {
        let res = req.headers(self.headers.clone()).send().await.unwrap();
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

    /// `POST path` with `form`, from terminal `feature`.
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

    /// A QA request with a JSON body, for tests of the QA surface itself.
    pub async fn qa_raw(&self, method: &str, path: &str, body: Value) -> Reply {
        let url = format!("{}{path}", self.url);
        let req = match method {
            "DELETE" => self.http.delete(url),
            "GET" => self.http.get(url),
            _ => self.http.post(url).json(&body),
        };
        self.send(req).await
    }

    pub async fn areas(&self) -> Reply {
        self.send(self.http.get(format!("{}/v3/users/area/list", self.url)))
            .await
    }

    /// A code while logged out, for `from` (a sign-up's in the kit's area).
    pub async fn send_code(&self, from: &str, biz: &str) -> Reply {
        self.post(
            "/v3/sms/nologin/checkcode",
            &terminal(0),
            &[
                ("from", from),
                ("bizType", biz),
                ("areaId", &AREA.to_string()),
            ],
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
                ("areaId", &AREA.to_string()),
                ("smsCode", code),
            ],
        )
        .await
    }

    /// Log in from terminal `feature` (named "Test PC"), with a
    /// TERMINAL_BIND code when given.
    pub async fn login(
        &self,
        account: &str,
        password: &str,
        feature: &str,
        code: Option<&str>,
    ) -> Reply {
        self.login_named(account, password, feature, "Test PC", code)
            .await
    }

    /// Log in from terminal `feature` called `name`.
    pub async fn login_named(
        &self,
        account: &str,
        password: &str,
        feature: &str,
        name: &str,
        code: Option<&str>,
    ) -> Reply {
        use base64::Engine;
        let digest = PasswordDigest::of_password(password);
        let name = base64::engine::general_purpose::STANDARD.encode(name);
        let mut form = vec![
            ("account", account),
            ("password", digest.as_str()),
            ("cuName", &name),
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

    /// Draw a new captcha for `account` on terminal 1, as a client would
    /// (checking that it is a PNG), and read its answer through QA.
    pub async fn new_captcha_answer(&self, account: &str) -> String {
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
        self.qa.captcha_answer(account).await
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
        assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
        r.session()
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

    /// Log in from `feature` (called `name`), with a TERMINAL_BIND code when
    /// the terminal is new. Moves the clock 12 minutes first: past the
    /// cooldown, and slow enough for the 5-an-hour limit, so calls can follow
    /// each other.
    async fn bind(&self, account: &str, feature: &str, name: &str) -> Reply {
        let r = self
            .login_named(account, PASSWORD, feature, name, None)
            .await;
        if r.code() != ResultCode::NewTerminal {
            return r;
        }
        self.qa.advance_clock(721).await;
        let before = self.qa.outbox_for(account, "TERMINAL_BIND").await.len();
        let sent = self.send_code(account, "TERMINAL_BIND").await;
        assert_eq!(sent.code(), ResultCode::Success, "{}", sent.json);
        let code = self.qa.nth_code(account, "TERMINAL_BIND", before + 1).await;
        self.login_named(account, PASSWORD, feature, name, Some(&code))
            .await
    }

    /// A session of `account` on terminal `feature`, bound with its code if
    /// it is new.
    pub async fn session_on(&self, account: &str, feature: &str) -> String {
        let r = self.bind(account, feature, "Test PC").await;
        assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
        r.session()
    }

    /// The fingerprint of the `i`th terminal that `bind_terminals` binds.
    pub fn bound_fingerprint(i: usize) -> String {
        format!("{:032x}", 0xabc0_0000 + i)
    }

    /// Bind `n` more terminals ("Phone 1", "Phone 2", ...) to `account`, each
    /// with its TERMINAL_BIND code.
    pub async fn bind_terminals(&self, account: &str, n: usize) {
        for i in 0..n {
            let feature = Self::bound_fingerprint(i);
            let r = self
                .bind(account, &feature, &format!("Phone {}", i + 1))
                .await;
            assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
        }
    }

    /// Ask for a logged-in code (a minute after the last, past the cooldown)
    /// and return it.
    pub async fn code_for(
        &self,
        session: &str,
        biz: &str,
        to: &str,
        extra: &[(&str, &str)],
    ) -> String {
        self.qa.advance_clock(61).await;
        let before = self.qa.outbox_for(to, biz).await.len();
        let mut form = vec![("bizType", biz)];
        form.extend_from_slice(extra);
        let r = self
            .authed("POST", "/v3/users/checkcode/mt", session, &form)
            .await;
        assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
        self.qa.nth_code(to, biz, before + 1).await
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

    /// An account signed up through the protocol from terminal 1 (so its
    /// terminal 1 is bound), with the kit's password, ready to log in.
    pub async fn account(&self, email: &str) {
        let before = self.qa.outbox_for(email, "USER_REGISTRATION").await.len();
        let sent = self.send_code(email, "USER_REGISTRATION").await;
        assert_eq!(sent.code(), ResultCode::Success, "{}", sent.json);
        let code = self
            .qa
            .nth_code(email, "USER_REGISTRATION", before + 1)
            .await;
        let r = self.sign_up(email, PASSWORD, &code, &terminal(1)).await;
        assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    }
}
