//! The HTTP edge: routes, request parsing, and one thin handler per endpoint.
//! Handlers parse at the edge, run the flow under the database lock, map to a reply.

use crate::accounts::{self, NewUser, Terminal};
use crate::error::{ok, ApiError, ApiResult};
use crate::outbox::{self, Channel, NewMessage};
use crate::sessions::{self, NewSession};
use crate::verification::{self, Subject};
use crate::Cloud;
use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderMap, Method};
use axum::routing::{delete, get, post, put};
use axum::Router;
use base64::Engine;
use hik_proto::wire::{
    Area, AreaList, CodeSent, LoggedIn, LoginArea, LoginSession, Refreshed, Registered,
    SessionInfo, TerminalStatus,
};
use hik_proto::{Account, AreaId, BizType, FeatureCode, PasswordDigest, ResultCode, VerifyCode};
use std::collections::HashMap;
use std::sync::Arc;

pub fn router(cloud: Arc<Cloud>) -> Router {
    let mut app = Router::new()
        .route("/v3/users/area/list", get(area_list))
        .route("/v3/sms/nologin/checkcode", post(send_code_logged_out))
        .route("/v3/users/regist/v2", post(sign_up))
        .route("/v3/users/login/v2", post(login))
        .route("/v3/users/login/v5", post(login))
        .route("/v3/apigateway/login", put(refresh))
        .route("/v3/users/logout/v2", delete(logout))
        .route("/v3/users/info", get(user_info));
    if cloud.qa {
        app = app.merge(crate::qa::router());
    }
    app.fallback(|| async { ApiError::not_found() })
        .layer(axum::middleware::map_response_with_state(
            Arc::clone(&cloud),
            stamp_date,
        ))
        .with_state(cloud)
}

/// The `Date` header tells the cloud's own clock (which QA can move), so clients
/// can run countdowns on the cloud's time rather than guess.
async fn stamp_date(
    State(cloud): State<Arc<Cloud>>,
    mut res: axum::response::Response,
) -> axum::response::Response {
    let secs = u64::try_from(cloud.clock.now()).unwrap_or(0);
    let date =
        httpdate::fmt_http_date(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs));
    if let Ok(v) = axum::http::HeaderValue::from_str(&date) {
        res.headers_mut().insert(axum::http::header::DATE, v);
    }
    res
}

/// Request fields from the query string and, for POST/PUT, a form or JSON body.
pub struct Params(HashMap<String, String>);

impl<S: Send + Sync> FromRequest<S> for Params {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let mut map: HashMap<String, String> = match req.uri().query() {
            Some(q) => serde_urlencoded::from_str(q).map_err(ApiError::unparseable)?,
            None => HashMap::new(),
        };
        if matches!(*req.method(), Method::GET | Method::DELETE | Method::HEAD) {
            return Ok(Self(map));
        }
        let is_json = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        let body = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(ApiError::unparseable)?;
        if body.is_empty() {
            return Ok(Self(map));
        }
        if is_json {
            let obj: serde_json::Map<String, serde_json::Value> =
                serde_json::from_slice(&body).map_err(ApiError::unparseable)?;
            for (k, v) in obj {
                let s = match v {
                    serde_json::Value::String(s) => s,
                    serde_json::Value::Null => continue,
                    other => other.to_string(),
                };
                map.insert(k, s);
            }
        } else {
            let form: HashMap<String, String> =
                serde_urlencoded::from_bytes(&body).map_err(ApiError::unparseable)?;
            map.extend(form);
        }
        Ok(Self(map))
    }
}

impl Params {
    pub fn opt(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|s| !s.trim().is_empty())
    }
    pub fn req(&self, name: &str) -> Result<&str, ApiError> {
        self.opt(name)
            .ok_or_else(|| ApiError::bad_field(name, "is required"))
    }
    /// A required field through its parser, naming the field on failure.
    pub fn parsed<T, E: std::fmt::Display>(
        &self,
        name: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<T, ApiError> {
        parse(self.req(name)?).map_err(|e| ApiError::bad_field(name, e))
    }
}

/// The headers every client sends about itself.
struct Client {
    feature: Option<FeatureCode>,
    client_type: u32,
    session: Option<String>,
}

impl Client {
    fn from_headers(h: &HeaderMap) -> Self {
        let get = |name: &str| h.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
        Self {
            feature: get("featureCode").and_then(|f| FeatureCode::parse(f).ok()),
            client_type: get("clientType").and_then(|c| c.parse().ok()).unwrap_or(55),
            session: get("sessionId")
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
        }
    }

    /// `featureCode` from the form, else from the header.
    fn feature_code(&self, p: &Params) -> Result<FeatureCode, ApiError> {
        match p.opt("featureCode") {
            Some(f) => FeatureCode::parse(f).map_err(|e| ApiError::bad_field("featureCode", e)),
            None => self
                .feature
                .clone()
                .ok_or_else(|| ApiError::bad_field("featureCode", "is required")),
        }
    }
}

fn areas(cloud: &Cloud) -> Vec<Area> {
    crate::config::AREAS
        .iter()
        .map(|a| Area {
            id: a.id,
            name: a.name.into(),
            code: a.code.into(),
            telephone_code: a.telephone_code.into(),
            api_domain: cloud.api_domain.clone(),
        })
        .collect()
}

fn find_area(cloud: &Cloud, id: AreaId) -> Option<Area> {
    areas(cloud).into_iter().find(|a| a.id == id.get())
}

async fn area_list(State(cloud): State<Arc<Cloud>>) -> ApiResult {
    Ok(ok(AreaList {
        area_list: areas(&cloud),
    }))
}

/// `POST /v3/sms/nologin/checkcode`. Never reveals whether an address is
/// registered: unknown accounts get the same reply and no message.
async fn send_code_logged_out(State(cloud): State<Arc<Cloud>>, p: Params) -> ApiResult {
    let from = p.parsed("from", Account::parse)?;
    let biz = p.parsed("bizType", BizType::parse)?;
    let contact = outbox::masked(&from);
    let now = cloud.clock.now();
    let rules = cloud.rules.clone();
    let c = Arc::clone(&cloud);
    let sent = match biz {
        BizType::UserRegistration => {
            let area = p.parsed("areaId", AreaId::parse)?;
            if find_area(&cloud, area).is_none() {
                return Err(ApiError::bad_field("areaId", "unknown region"));
            }
            cloud
                .db
                .call(move |conn| {
                    let tx = conn.transaction()?;
                    let subject = Subject::Address(from.as_str().to_owned());
                    verification::record_send(&tx, &rules, now, &subject, biz)?;
                    let channel = Channel::of(&from);
                    let (subject_line, body, code) = if accounts::find(&tx, &from)?.is_some() {
                        let (s, b) = outbox::already_registered_notice(channel);
                        (s, b, None)
                    } else {
                        let code = verification::issue(&tx, &c.keys, &rules, now, &subject, biz)?;
                        let (s, b) =
                            outbox::code_message(channel, biz, &code, rules.code_ttl_secs / 60);
                        (s, b, Some(code))
                    };
                    let message = NewMessage {
                        channel,
                        to: from.as_str(),
                        biz,
                        code: code.as_deref(),
                        subject: subject_line,
                        body,
                    };
                    outbox::deliver(&tx, now, message)?;
                    tx.commit()?;
                    Ok(contact)
                })
                .await?
        }
        BizType::TerminalBind | BizType::TerminalDelete | BizType::RetrievePassword => {
            cloud
                .db
                .call(move |conn| {
                    let tx = conn.transaction()?;
                    let Some(user) = accounts::find(&tx, &from)? else {
                        return Ok(contact);
                    };
                    let to = user.contact().unwrap_or(from);
                    let subject = Subject::User(user.id);
                    verification::record_send(&tx, &rules, now, &subject, biz)?;
                    let code = verification::issue(&tx, &c.keys, &rules, now, &subject, biz)?;
                    let channel = Channel::of(&to);
                    let (subject_line, body) =
                        outbox::code_message(channel, biz, &code, rules.code_ttl_secs / 60);
                    let message = NewMessage {
                        channel,
                        to: to.as_str(),
                        biz,
                        code: Some(&code),
                        subject: subject_line,
                        body,
                    };
                    outbox::deliver(&tx, now, message)?;
                    tx.commit()?;
                    Ok(outbox::masked(&to))
                })
                .await?
        }
        _ => return Err(ApiError::bad_field("bizType", "needs a logged-in session")),
    };
    let rules = &cloud.rules;
    Ok(ok(CodeSent {
        contact: sent,
        retry_after: u64::try_from(rules.send_cooldown_secs).ok(),
        expires_in: u64::try_from(rules.code_ttl_secs).ok(),
    }))
}

/// `POST /v3/users/regist/v2`: the code sent to the address, then the account.
/// The terminal that signs up is bound to the new account.
async fn sign_up(State(cloud): State<Arc<Cloud>>, headers: HeaderMap, p: Params) -> ApiResult {
    let client = Client::from_headers(&headers);
    let account = p.parsed("account", Account::parse)?;
    let digest = p.parsed("password", PasswordDigest::parse)?;
    let area = p.parsed("areaId", AreaId::parse)?;
    if find_area(&cloud, area).is_none() {
        return Err(ApiError::bad_field("areaId", "unknown region"));
    }
    let code = p.parsed("smsCode", VerifyCode::parse)?;
    let phone_code = match account {
        Account::Phone(_) => Some(p.req("phoneCode")?.trim_start_matches('+').to_owned()),
        Account::Email(_) => None,
    };
    let user_name = p
        .opt("userName")
        .map_or_else(|| account.as_str().to_owned(), str::to_owned);
    let feature = client.feature.clone();
    // Hash before taking the lock: Argon2 is the slow part.
    let password_hash = cloud.hasher.hash(digest.as_str()).await?;
    let now = cloud.clock.now();
    let c = Arc::clone(&cloud);
    let user = cloud
        .db
        .call(move |conn| {
            let subject = Subject::Address(account.as_str().to_owned());
            verification::consume(
                conn,
                &c.keys,
                &c.rules,
                now,
                &subject,
                BizType::UserRegistration,
                &code,
            )?;
            let tx = conn.transaction()?;
            let new = NewUser {
                account: &account,
                phone_code: phone_code.as_deref(),
                area,
                user_name: &user_name,
                password_hash: &password_hash,
            };
            let user = accounts::create(&tx, now, new)?;
            if let Some(sign) = &feature {
                let t = Terminal {
                    sign,
                    name: "Sign-up terminal",
                    client_type: client.client_type,
                    ip: "",
                };
                accounts::bind(&tx, user.id, now, t)?;
            }
            tx.commit()?;
            Ok(user)
        })
        .await?;
    tracing::info!(user_id = user.id, "account created");
    Ok(ok(Registered {
        login_user: user.login_user(),
    }))
}

/// `POST /v3/users/login/v2` (and v5).
async fn login(State(cloud): State<Arc<Cloud>>, headers: HeaderMap, p: Params) -> ApiResult {
    let client = Client::from_headers(&headers);
    let account = p.parsed("account", Account::parse)?;
    let digest = p.parsed("password", PasswordDigest::parse)?;
    let feature = client.feature_code(&p)?;
    let code = match p.opt("smsCode") {
        Some(c) => Some(VerifyCode::parse(c).map_err(|e| ApiError::bad_field("smsCode", e))?),
        None => None,
    };
    let terminal_name = p
        .opt("cuName")
        .and_then(|n| {
            base64::engine::general_purpose::STANDARD
                .decode(n.trim())
                .ok()
        })
        .and_then(|b| String::from_utf8(b).ok())
        .map(|n| {
            n.chars()
                .filter(|c| !c.is_control())
                .take(64)
                .collect::<String>()
        })
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "Unnamed terminal".to_owned());

    let lookup = account.clone();
    let user = cloud
        .db
        .call(move |conn| accounts::find(conn, &lookup))
        .await?
        .ok_or_else(|| ApiError::business(ResultCode::AccountMissing))?;
    if !cloud
        .hasher
        .verify(digest.as_str(), &user.password_hash)
        .await?
    {
        return Err(ApiError::business(ResultCode::WrongPassword));
    }

    let now = cloud.clock.now();
    let c = Arc::clone(&cloud);
    let login_area = find_area(&cloud, AreaId::new(user.area_id));
    let (issued, user) = cloud
        .db
        .call(move |conn| {
            let bound = accounts::is_bound(conn, user.id, &feature)?;
            if user.two_step && !bound {
                let Some(code) = code else {
                    let contact = user.contact().map(|a| outbox::masked(&a));
                    return Err(
                        ApiError::business(ResultCode::NewTerminal).with(|f| f.contact = contact)
                    );
                };
                let subject = Subject::User(user.id);
                verification::consume(
                    conn,
                    &c.keys,
                    &c.rules,
                    now,
                    &subject,
                    BizType::TerminalBind,
                    &code,
                )?;
            }
            let tx = conn.transaction()?;
            let t = Terminal {
                sign: &feature,
                name: &terminal_name,
                client_type: client.client_type,
                ip: "",
            };
            accounts::bind(&tx, user.id, now, t)?;
            let s = NewSession {
                user_id: user.id,
                feature: &feature,
                client_type: client.client_type,
                client_name: &terminal_name,
            };
            let issued = sessions::issue(&tx, &c.keys, &c.rules, now, &s, None)?;
            tx.commit()?;
            Ok((issued, user))
        })
        .await?;
    let area = login_area.unwrap_or_else(|| Area {
        id: user.area_id,
        name: String::new(),
        code: String::new(),
        telephone_code: String::new(),
        api_domain: cloud.api_domain.clone(),
    });
    Ok(ok(LoggedIn {
        login_session: LoginSession {
            session_id: issued.session_id,
            rf_session_id: issued.refresh,
        },
        login_user: user.login_user(),
        login_area: LoginArea {
            api_domain: area.api_domain.clone(),
            web_domain: area.api_domain,
            area_name: area.name,
            area_id: area.id,
        },
        login_terminal_status: TerminalStatus {
            terminal_binded: 1,
            terminal_opened: u8::from(user.two_step),
        },
    }))
}

/// `PUT /v3/apigateway/login`: rotate the refresh token (HTTP 403 when dead).
async fn refresh(State(cloud): State<Arc<Cloud>>, headers: HeaderMap, p: Params) -> ApiResult {
    let client = Client::from_headers(&headers);
    let token = p
        .opt("refreshSessionId")
        .ok_or_else(ApiError::forbidden)?
        .to_owned();
    let feature = client.feature_code(&p).map_err(|_| ApiError::forbidden())?;
    let now = cloud.clock.now();
    let c = Arc::clone(&cloud);
    let issued = cloud
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            let caller = sessions::Caller {
                feature: &feature,
                client_type: client.client_type,
                client_name: "",
            };
            let result = sessions::refresh(&tx, &c.keys, &c.rules, now, &token, &caller);
            // Commit even on refusal: a reused token's family revocation must stick.
            tx.commit()?;
            result
        })
        .await?;
    Ok(ok(Refreshed {
        session_info: SessionInfo {
            session_id: issued.session_id,
            refresh_session_id: issued.refresh,
        },
    }))
}

/// The session of a logged-in request, or HTTP 401.
async fn authenticate(
    cloud: &Arc<Cloud>,
    headers: &HeaderMap,
) -> Result<sessions::Authenticated, ApiError> {
    let token = Client::from_headers(headers)
        .session
        .ok_or_else(ApiError::unauthorized)?;
    let now = cloud.clock.now();
    let c = Arc::clone(cloud);
    cloud
        .db
        .call(move |conn| sessions::authenticate(conn, &c.keys, now, &token))
        .await
}

/// `DELETE /v3/users/logout/v2`: revoke this session and its refresh token.
async fn logout(State(cloud): State<Arc<Cloud>>, headers: HeaderMap) -> ApiResult {
    let who = authenticate(&cloud, &headers).await?;
    cloud
        .db
        .call(move |conn| sessions::revoke_family(conn, &who.family))
        .await?;
    Ok(ok(serde_json::json!({})))
}

/// `GET /v3/users/info`: the profile, with contacts in full and masked.
async fn user_info(State(cloud): State<Arc<Cloud>>, headers: HeaderMap) -> ApiResult {
    let who = authenticate(&cloud, &headers).await?;
    let user = cloud
        .db
        .call(move |conn| accounts::find_by_id(conn, who.user_id))
        .await?
        .ok_or_else(ApiError::unauthorized)?;
    let fuzzy = |v: &Option<String>| {
        v.as_deref()
            .and_then(|s| Account::parse(s).ok())
            .map(|a| outbox::masked(&a).fuzzy_contact)
    };
    Ok(ok(serde_json::json!({
        "userInfo": {
            "userId": user.id.to_string(),
            "username": user.user_name,
            "email": user.email,
            "phone": user.phone,
            "fuzzyEmail": fuzzy(&user.email),
            "fuzzyPhone": fuzzy(&user.phone),
            "areaId": user.area_id,
        }
    })))
}
