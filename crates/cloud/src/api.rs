//! The cloud's API as one router: the protocol's route table (each route a
//! room's handler), the QA surface when it is on, and the middleware every
//! request goes through (its origin, the shared QA state, QA's endpoint
//! faults, the `Date` header, a panic contained). Above every room.

use crate::error::ApiError;
use crate::http::reply::{ok, ApiResult};
use crate::Cloud;
use crate::{accounts, devices, login, protection, terminals};
use axum::extract::State;
use axum::http::Request;
use axum::Router;
use hik_proto::wire::AreaList;
use std::sync::Arc;

crate::openapi::endpoints! { API, api_routes, Reply, crate::sessions::require_session;
    get "/v3/users/area/list" => area_list {
        session: false, request: NoFields, summary: "The areas (countries) and the apiDomain of the region serving each" }
    post "/v3/sms/nologin/checkcode" => accounts::routes::send_code_logged_out {
        session: false, request: SendCodeLoggedOut,
        summary: "Send a code while logged out (USER_REGISTRATION, TERMINAL_BIND, TERMINAL_DELETE, RETRIEVE_PASSWORD)" }
    post "/v3/users/regist/v2" => accounts::routes::sign_up {
        session: false, request: SignUp,
        summary: "Sign up with the USER_REGISTRATION code; binds the featureCode header's terminal" }
    post "/v3/users/login/v2" => login::routes::login {
        session: false, request: Login,
        summary: "Log in (6002 for a new terminal, 1069 when full, 1015 captcha or lock, 1100 other region)" }
    post "/v3/users/login/v5" => login::routes::login {
        session: false, request: Login,
        summary: "Log in (alias of v2)" }
    put "/v3/apigateway/login" => login::routes::refresh {
        session: false, request: Refresh,
        summary: "Rotate the refresh token for a new session (meta.code 403 when dead; reuse revokes the family)" }
    delete "/v3/users/logout/v2" => login::routes::logout {
        session: true, request: NoFields, summary: "Log out: revoke this session and its refresh token" }
    get "/v3/users/info" => accounts::routes::user_info {
        session: true, request: NoFields, summary: "The profile, contacts in full and masked" }
    post "/v3/users/contact/test" => accounts::routes::test_contact {
        session: true, request: ContactTest,
        summary: "Type back a CONTACT_TEST code (simulator-defined): the address it went to receives codes" }
    get "/v3/users/activity" => accounts::routes::activity {
        session: true, request: ActivityQuery,
        summary: "The account's latest security events (simulator-defined), this terminal's marked" }
    post "/v3/users/password/reset" => accounts::routes::reset_password {
        session: false, request: ResetPassword,
        summary: "Reset the password with a RETRIEVE_PASSWORD code; lifts captcha and lock" }
    post "/v3/users/password/mod" => accounts::routes::change_password {
        session: true, request: ChangePassword, summary: "Change the password; other sessions end" }
    get "/v3/captcha" => protection::routes::captcha {
        session: false, request: CaptchaQuery, returns: Png, summary: "A new captcha picture (PNG) for the account" }
    post "/v3/users/checkcode/mt" => accounts::routes::send_code {
        session: true, request: SendCodeLoggedIn,
        summary: "Send a code while logged in (contact: the new address for UPDATE_*_VALIDATE_NEW_*)" }
    delete "/v3/users" => accounts::routes::delete_account {
        session: true, request: DeleteAccount, summary: "Delete the account with a USER_DELETE code (80000 without)" }
    put "/v3/users/email" => accounts::routes::change_email {
        session: true, request: ChangeEmail,
        summary: "Change the email: a code from an old contact and one sent to the new address" }
    put "/v3/users/phone" => accounts::routes::change_phone {
        session: true, request: ChangePhone,
        summary: "Change the phone: a code from an old contact and one sent to the new number" }
    get "/v3/configurations/system/info" => accounts::routes::system_info {
        session: false, request: NoFields, summary: "The rules this cloud runs by" }
    get "/v3/userdevices/v1/devices/pagelist" => devices::routes::page {
        session: true, request: DevicePageQuery,
        summary: "The account's devices, with status, connection and Wi-Fi maps keyed by serial" }
    get "/v3/userdevices/v1/resources/pagelist" => devices::resources::page {
        session: true, request: DevicePageQuery,
        summary: "The devices as EZVIZ-family clients read them: deviceInfos (supportExt a JSON string), resourceInfos (one per channel), and one map per filter name" }
    get "/v3/userdevices/v1/cameras/info" => devices::routes::cameras {
        session: true, request: CamerasQuery, summary: "The cameras (channels) of one device" }
    get "/v3/terminals" => terminals::routes::list {
        session: true, request: PageQuery, summary: "The account's bound terminals, this one marked current" }
    get "/v3/terminals/status" => terminals::routes::status {
        session: true, request: NoFields, summary: "Whether this terminal is bound and two-step verification is on" }
    put "/v3/terminals/status" => terminals::routes::switch_two_step {
        session: true, request: SwitchTwoStep,
        summary: "Two-step verification on or off (a code when this terminal is not bound)" }
    post "/v3/terminals/unbind" => terminals::routes::unbind {
        session: true, request: Unbind,
        summary: "Remove terminals, ending their sessions (a code when this terminal is not bound)" }
    post "/v3/terminals/nologin" => terminals::routes::unbind_logged_out {
        session: false, request: UnbindLoggedOut,
        summary: "Remove terminals during a login that got 1069, with a TERMINAL_DELETE code" }
    get "/openapi.json" => openapi_json {
        session: false, request: NoFields, returns: Qa, summary: "This document" }
}

/// `GET /openapi.json`: every endpoint this cloud serves, QA ones included
/// when the QA surface is on.
async fn openapi_json(State(cloud): State<Arc<Cloud>>) -> axum::Json<serde_json::Value> {
    let mut surfaces: Vec<(&str, &[crate::openapi::Endpoint])> = vec![("api", API)];
    if cloud.qa {
        surfaces.push(("qa", crate::qa::QA));
    }
    axum::Json(crate::openapi::document(&surfaces))
}

pub fn router(cloud: Arc<Cloud>, region: usize) -> Router {
    let mut app = api_routes(&cloud);
    if cloud.qa {
        // QA's endpoint faults strike the protocol's routes, never QA's own.
        app = app
            .layer(axum::middleware::from_fn_with_state(
                Arc::clone(&cloud),
                crate::qa::endpoint_faults::inject,
            ))
            .merge(
                crate::qa::qa_routes(&cloud).route_layer(axum::middleware::from_fn_with_state(
                    Arc::clone(&cloud),
                    crate::qa::require_token,
                )),
            );
        if cloud.db.shared() {
            // Outermost, so the faults and the clock are those in force now.
            app = app.layer(axum::middleware::from_fn_with_state(
                Arc::clone(&cloud),
                sync_qa_state,
            ));
        }
    }
    contain(app.fallback(|| async { ApiError::not_found() }))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&cloud),
            origin,
        ))
        .layer(axum::Extension(crate::regions::Here(region)))
        .layer(axum::middleware::map_response_with_state(
            Arc::clone(&cloud),
            stamp_date,
        ))
        .with_state(cloud)
}
/// With instances sharing the database: take QA's clock and faults as they
/// are now, whichever instance they were changed through.
async fn sync_qa_state(
    State(cloud): State<Arc<Cloud>>,
    req: Request<axum::body::Body>,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match cloud.sync_qa_state().await {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

/// Serve the request as coming from its peer's address, for the audit trail,
/// in the language it asks for.
async fn origin(
    State(cloud): State<Arc<Cloud>>,
    req: Request<axum::body::Body>,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let ip = req
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string());
    // The terminal, when the request names it (every request of the app
    // does; a login may name it in its form instead, see login::login).
    let sign = req
        .headers()
        .get("featureCode")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| hik_proto::FeatureCode::parse(v).ok())
        .map(|f| f.as_str().to_owned());
    // Public clients send `lang` (en-US, zh-CN) or `language` (en_GB, zh).
    let lang = ["lang", "language"]
        .iter()
        .filter_map(|h| req.headers().get(*h)?.to_str().ok())
        .find_map(hik_proto::lang::Lang::from_header);
    crate::context::Origin {
        ip,
        terminal: None,
        sign,
        lang,
        meta: cloud.rules.messages.for_request(lang),
    }
    .scope(next.run(req))
    .await
}

/// A panic while serving a request answers that request with HTTP 500 (the
/// protocol's JSON error) and nothing else: the connection, the listener and
/// every other request go on.
fn contain<S: Clone + Send + Sync + 'static>(app: Router<S>) -> Router<S> {
    app.layer(tower_http::catch_panic::CatchPanicLayer::custom(
        |_: Box<dyn std::any::Any + Send>| {
            use axum::response::IntoResponse;
            ApiError::internal("a request handler panicked").into_response()
        },
    ))
}

/// The `Date` header tells the cloud's own clock (which QA can move), so clients
/// can run countdowns on the cloud's time rather than guess.
async fn stamp_date(
    State(cloud): State<Arc<Cloud>>,
    mut res: axum::response::Response,
) -> axum::response::Response {
    let secs = u64::try_from(cloud.clock.now().clamp(0, crate::clock::LAST_HTTP_DATE)).unwrap_or(0);
    let date =
        httpdate::fmt_http_date(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs));
    if let Ok(v) = axum::http::HeaderValue::from_str(&date) {
        res.headers_mut().insert(axum::http::header::DATE, v);
    }
    res
}

async fn area_list(State(cloud): State<Arc<Cloud>>) -> ApiResult {
    Ok(ok(AreaList {
        area_list: crate::regions::areas(&cloud),
    }))
}
#[cfg(test)]
mod tests {
    use super::*;

    async fn boom() -> &'static str {
        panic!("injected")
    }

    #[tokio::test]
    async fn a_handler_that_panics_answers_500_and_the_next_request_is_served() {
        let app: Router = contain(
            Router::new()
                .route("/boom", axum::routing::get(boom))
                .route("/ok", axum::routing::get(|| async { "fine" })),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        let http = reqwest::Client::new();
        let boom = http
            .get(format!("http://{addr}/boom"))
            .send()
            .await
            .unwrap();
        assert_eq!(boom.status(), 500);
        let body: serde_json::Value = boom.json().await.unwrap();
        assert_eq!(body["meta"]["code"], 500);
        for _ in 0..3 {
            let ok = http.get(format!("http://{addr}/ok")).send().await.unwrap();
            assert_eq!(ok.text().await.unwrap(), "fine");
        }
    }
}
