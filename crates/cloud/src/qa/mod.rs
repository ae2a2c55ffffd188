//! The QA surface (docs/protocol.md, "The QA surface"): see what was sent, move the clock.
//! Only mounted when the cloud runs with QA on.

pub(crate) mod accounts;
pub(crate) mod endpoint_faults;
pub(crate) mod scenarios;
pub(crate) mod seed;
pub(crate) mod state;

use crate::delivery::outbox;
use crate::error::ApiError;
use crate::http::extract::Form;
use crate::http::reply::{ok, ApiResult};
use crate::Cloud;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use hik_proto::request::{
    AdvanceClock, CaptchaAnswerQuery, OutboxQuery, QaAccount, ScenarioQuery, SetFault,
};
use std::sync::Arc;

crate::openapi::endpoints! { QA, qa_routes, Qa, crate::sessions::require_session;
    get "/qa/outbox" => outbox_messages {
        session: false, request: OutboxQuery, summary: "Messages sent, newest first, with their codes and status" }
    get "/qa/inbox" => inbox_page {
        session: false, request: NoFields, returns: Html, summary: "A page for people showing the outbox, refreshed live" }
    post "/qa/clock" => advance_clock {
        session: false, request: AdvanceClock, summary: "Move the cloud's clock forward" }
    get "/qa/clock" => clock_now {
        session: false, request: NoFields, summary: "The cloud's clock" }
    get "/qa/captcha" => captcha_answer {
        session: false, request: CaptchaAnswerQuery, summary: "The answer of the account's current captcha" }
    post "/qa/accounts" => create_account {
        session: false, request: QaAccount,
        summary: "Create a ready account (plain password; no code needed)" }
    get "/qa/accounts/{account}" => inspect_account {
        session: false, request: NoFields, summary: "An account's state: failures, captcha, lock, terminals, devices" }
    post "/qa/faults" => set_fault {
        session: false, request: SetFault,
        summary: "Delivery faults on a channel (email or sms), or an endpoint fault on a path prefix (status 500-504, latency, rate)" }
    get "/qa/faults" => faults {
        session: false, request: NoFields, summary: "The delivery and endpoint faults in force" }
    delete "/qa/faults" => clear_faults {
        session: false, request: NoFields, summary: "Clear the delivery and endpoint faults" }
    get "/qa/scenarios" => scenarios {
        session: false, request: NoFields, summary: "The scenarios QA can set up in one step" }
    post "/qa/scenarios/{name}" => set_up_scenario {
        session: false, request: ScenarioQuery,
        summary: "Set up a case of the verification-code guide in one step, for an account or a fresh one" }
    post "/qa/reset" => reset {
        session: false, request: NoFields, summary: "Wipe every account, code, session and message; clear faults and clock" }
}

/// `GET /qa/outbox?to=&bizType=&limit=`: messages, newest first.
async fn outbox_messages(
    State(cloud): State<Arc<Cloud>>,
    Form(q): Form<OutboxQuery>,
) -> Result<Response, ApiError> {
    let to = q.to.map(|t| t.as_str().to_lowercase());
    let biz = q.biz_type.map(hik_proto::request::Text::into_string);
    let limit = crate::http::extract::count_or(q.limit, 50);
    let now = cloud.clock.now();
    let c = Arc::clone(&cloud);
    let messages = cloud
        .db
        .call(move |conn| {
            // Whatever the clock has reached is shown as arrived, not half a second later.
            c.postman.wake_due(conn, now)?;
            outbox::list(conn, to.as_deref(), biz.as_deref(), limit)
        })
        .await?;
    Ok(Json(hik_proto::qa::Outbox { messages }).into_response())
}

/// `POST /qa/clock {"advanceSeconds": N}`.
async fn advance_clock(State(cloud): State<Arc<Cloud>>, Form(r): Form<AdvanceClock>) -> ApiResult {
    let secs = r.advance_seconds.unsigned();
    let wall = crate::clock::wall();
    let moved = cloud
        .db
        .call(move |conn| crate::qa::state::advance_clock(conn, wall, secs))
        .await?;
    let offset = moved.map_err(|room| {
        ApiError::bad_field(
            "advanceSeconds",
            format!("would move the clock past the year 9998; it may move {room} seconds more"),
        )
    })?;
    cloud.clock.set_offset(offset);
    let now = wall + offset;
    tracing::info!(advanced = secs, now, "QA moved the clock");
    Ok(Json(hik_proto::qa::Clock { now }).into_response())
}

async fn clock_now(State(cloud): State<Arc<Cloud>>) -> ApiResult {
    let now = cloud.clock.now();
    Ok(ok(hik_proto::qa::Clock { now }))
}

/// With a QA token configured, a QA request passes only with it: in the
/// `X-Hik-Qa-Token` header (the app), or as `qaToken` in the query (the inbox
/// address a person opens, and the page's own reads).
pub(crate) async fn require_token(
    State(cloud): State<Arc<Cloud>>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let Some(token) = cloud.qa_token.as_deref() else {
        return next.run(req).await;
    };
    let header = req
        .headers()
        .get("x-hik-qa-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let query = req.uri().query().and_then(|q| {
        serde_urlencoded::from_str::<Vec<(String, String)>>(q)
            .ok()?
            .into_iter()
            .find_map(|(k, v)| (k == "qaToken").then_some(v))
    });
    let given = header.or(query).unwrap_or_default();
    if bool::from(subtle::ConstantTimeEq::ct_eq(
        given.as_bytes(),
        token.as_bytes(),
    )) {
        next.run(req).await
    } else {
        ApiError::unauthorized()
            .with_message(
                "the QA surface of this cloud needs its token (X-Hik-Qa-Token or qaToken)",
            )
            .into_response()
    }
}

/// `GET /qa/inbox`: a page for people, refreshing itself from `/qa/outbox`,
/// in Chinese for a browser that prefers it (`Accept-Language`) or for
/// `?lang=zh-CN`, else in English.
async fn inbox_page(headers: axum::http::HeaderMap, uri: axum::http::Uri) -> Html<String> {
    use hik_proto::lang::Lang;
    let asked = uri
        .query()
        .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("lang=")))
        .or_else(|| {
            let accept = headers
                .get(axum::http::header::ACCEPT_LANGUAGE)?
                .to_str()
                .ok()?;
            // The browser's first choice ("zh-CN,zh;q=0.9,en;q=0.8").
            accept.split([',', ';']).next()
        })
        .and_then(Lang::from_header)
        .unwrap_or_default();
    let words: &[(&str, &str)] = match asked {
        Lang::En => &INBOX_EN,
        Lang::Zh => &INBOX_ZH,
    };
    let mut page = INBOX_PAGE.to_owned();
    for (key, text) in words {
        page = page.replace(key, text);
    }
    Html(page)
}

/// The inbox page's words, by the placeholder they fill.
const INBOX_EN: [(&str, &str); 9] = [
    ("{STATUS}", r#"{"delivered":"delivered","queued":"queued","sending":"sending","delayed":"delayed","dropped":"dropped","failed":"failed"}"#),
    ("{LANG}", "en"),
    ("{TITLE}", "QA inbox · Hik-Connect simulator"),
    ("{HEADING}", "QA inbox"),
    ("{HINT}", "Every email and SMS the simulated cloud has sent, newest first. Refreshes every 2 seconds."),
    ("{FILTER}", "Only messages to"),
    ("{PLACEHOLDER}", "address or phone"),
    ("{NONE}", "No messages yet."),
    ("{AWAY}", "Cannot reach the cloud: "),
];
const INBOX_ZH: [(&str, &str); 9] = [
    (
        "{STATUS}",
        r#"{"delivered":"已送达","queued":"排队中","sending":"发送中","delayed":"延迟中","dropped":"已丢弃","failed":"发送失败"}"#,
    ),
    ("{LANG}", "zh-CN"),
    ("{TITLE}", "QA 收件箱 · Hik-Connect 模拟器"),
    ("{HEADING}", "QA 收件箱"),
    (
        "{HINT}",
        "模拟云端发送的所有邮件和短信，最新的在前，每 2 秒刷新一次。",
    ),
    ("{FILTER}", "只看发送给"),
    ("{PLACEHOLDER}", "地址或手机号码"),
    ("{NONE}", "还没有消息。"),
    ("{AWAY}", "无法连接云端："),
];

const INBOX_PAGE: &str = r#"<!doctype html>
<html lang="{LANG}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{TITLE}</title>
<style>
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { margin: 0; padding: 1.5rem; max-width: 60rem; margin-inline: auto; }
  h1 { font-size: 1.3rem; margin: 0 0 .25rem; }
  .hint { color: GrayText; margin: 0 0 1rem; }
  input { font: inherit; padding: .35rem .5rem; min-width: 18rem; }
  article { border: 1px solid color-mix(in srgb, CanvasText 20%, transparent); border-radius: 8px; padding: .8rem 1rem; margin: .6rem 0; }
  header { display: flex; gap: .75rem; flex-wrap: wrap; align-items: baseline; }
  .code { font: 700 1.6rem ui-monospace, monospace; letter-spacing: .2em; color: #c8102e; }
  .meta { color: GrayText; font-size: .85rem; }
  pre { white-space: pre-wrap; font: inherit; margin: .5rem 0 0; }
  .tag { font-size: .75rem; border-radius: 4px; padding: 0 .4rem; background: color-mix(in srgb, CanvasText 10%, transparent); }
  .status { font-size: .75rem; font-weight: 700; border-radius: 4px; padding: 0 .4rem; text-transform: uppercase; }
  .status-delayed, .status-queued { background: #fff1c2; color: #6b4e00; }
  .status-dropped, .status-failed { background: #ffd9d9; color: #8a1020; }
  article.not-delivered .code { opacity: .45; }
</style>
</head>
<body>
<h1>{HEADING}</h1>
<p class="hint">{HINT}</p>
<label>{FILTER} <input id="to" type="search" placeholder="{PLACEHOLDER}" data-testid="inbox-filter"></label>
<p id="status" class="meta" aria-live="polite"></p>
<main id="list" data-testid="inbox-list"></main>
<script>
const STATUS = {STATUS};
const list = document.getElementById('list');
const status = document.getElementById('status');
const to = document.getElementById('to');
function el(tag, cls, text) { const e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; }
async function refresh() {
  try {
    const q = new URLSearchParams({ limit: '50' });
    if (to.value.trim()) q.set('to', to.value.trim());
    const token = new URLSearchParams(location.search).get('qaToken');
    if (token) q.set('qaToken', token);
    const res = await fetch('/qa/outbox?' + q);
    const { messages } = await res.json();
    list.replaceChildren(...messages.map(m => {
      const a = el('article'); a.dataset.testid = 'inbox-message';
      if (m.status !== 'delivered') a.classList.add('not-delivered');
      const h = el('header');
      const status = el('span', 'status status-' + m.status, m.status === 'delivered' ? '' : (STATUS[m.status] || m.status));
      status.dataset.testid = 'inbox-status';
      h.append(el('span', 'tag', m.channel), el('strong', null, m.to), el('span', 'tag', m.bizType || ''),
               el('span', 'meta', new Date(m.sentAt * 1000).toLocaleString() + (m.status === 'delivered' ? ' · ' + STATUS.delivered : '')), status);
      a.append(h);
      if (m.code) { const c = el('div', 'code', m.code); c.dataset.testid = 'inbox-code'; a.append(c); }
      a.append(el('div', null, m.subject), el('pre', 'meta', m.body));
      return a;
    }));
    status.textContent = messages.length ? '' : '{NONE}';
  } catch (e) { status.textContent = '{AWAY}' + e; }
}
to.addEventListener('input', refresh);
refresh(); setInterval(refresh, 2000);
</script>
</body>
</html>
"#;

/// `GET /qa/captcha?account=`: `{"answer"}` of the account's current captcha
/// (null when it has none: fetch `/v3/captcha` first).
async fn captcha_answer(
    State(cloud): State<Arc<Cloud>>,
    Form(q): Form<CaptchaAnswerQuery>,
) -> ApiResult {
    let account = q.account;
    let answer = cloud
        .db
        .call(move |conn| match crate::users::find(conn, &account)? {
            Some(user) => crate::protection::captcha_answer(conn, user.id),
            None => Ok(None),
        })
        .await?;
    Ok(Json(hik_proto::qa::CaptchaAnswer { answer }).into_response())
}

/// `POST /qa/accounts {"account", "password", "areaId", "twoStep", "devices"}`:
/// a ready account, no code needed. `password` is the plain password here.
async fn create_account(State(cloud): State<Arc<Cloud>>, Form(r): Form<QaAccount>) -> ApiResult {
    let made = crate::qa::accounts::create_account(&cloud, r).await?;
    Ok(Json(made).into_response())
}

/// `GET /qa/accounts/{account}`: what the cloud knows of the account.
async fn inspect_account(
    State(cloud): State<Arc<Cloud>>,
    axum::extract::Path(account): axum::extract::Path<String>,
) -> ApiResult {
    let account =
        hik_proto::Account::parse(&account).map_err(|e| ApiError::bad_field("account", e))?;
    let state = crate::qa::accounts::inspect_account(&cloud, account).await?;
    Ok(Json(state).into_response())
}

/// `POST /qa/faults {"channel", "delaySeconds", "dropRate", "failNext"}`: from
/// now on, messages on that channel arrive late, get lost, or fail. With
/// `{"path", "status", "latencyMs", "rate"}` instead: an endpoint fault.
async fn set_fault(State(cloud): State<Arc<Cloud>>, Form(r): Form<SetFault>) -> ApiResult {
    match (r.channel, r.path) {
        (Some(channel), None) => {
            let fault = crate::delivery::Fault {
                delay_seconds: r
                    .delay_seconds
                    .map_or(0, hik_proto::request::Bounded::unsigned),
                drop_rate: r.drop_rate.map_or(0.0, hik_proto::request::Fraction::get),
                fail_next: r.fail_next.map_or(0, hik_proto::request::Bounded::count),
            };
            cloud
                .db
                .call(move |conn| {
                    crate::delivery::faults::set_delivery_fault(conn, channel, &fault)
                })
                .await?;
            tracing::info!(
                channel = channel.as_str(),
                ?fault,
                "QA set a delivery fault"
            );
        }
        (None, Some(path)) => {
            let path = path.into_string();
            if !path.starts_with('/') {
                return Err(ApiError::bad_field(
                    "path",
                    "is a path prefix, starting with /",
                ));
            }
            let fault = hik_proto::qa::EndpointFault {
                path,
                status: r.status.map(hik_proto::request::FaultStatus::get),
                latency_ms: r
                    .latency_ms
                    .map_or(0, hik_proto::request::Bounded::unsigned),
                rate: r.rate.map_or(1.0, hik_proto::request::Fraction::get),
            };
            if fault.status.is_none() && fault.latency_ms == 0 {
                return Err(ApiError::bad_field(
                    "status",
                    "or latencyMs is needed for an endpoint fault",
                ));
            }
            tracing::info!(?fault, "QA set an endpoint fault");
            cloud
                .db
                .call(move |conn| crate::qa::state::set_endpoint_fault(conn, &fault))
                .await?;
        }
        _ => {
            return Err(ApiError::bad_field(
                "channel",
                "or path is needed, not both: a delivery fault or an endpoint fault",
            ))
        }
    }
    faults(State(cloud)).await
}

/// `GET /qa/faults`: the faults in force, by channel.
async fn faults(State(cloud): State<Arc<Cloud>>) -> ApiResult {
    let (faults, snapshot) = cloud
        .db
        .call(|conn| {
            Ok::<_, ApiError>((
                crate::delivery::faults::delivery_faults(conn)?,
                crate::qa::state::load(conn)?,
            ))
        })
        .await?;
    cloud.adopt(&snapshot);
    let endpoints = snapshot.endpoints;
    Ok(Json(hik_proto::qa::Faults { faults, endpoints }).into_response())
}

/// `DELETE /qa/faults`: deliver normally again.
async fn clear_faults(State(cloud): State<Arc<Cloud>>) -> ApiResult {
    cloud.db.call(crate::qa::state::clear_faults).await?;
    faults(State(cloud)).await
}

/// `GET /qa/scenarios`: `{"scenarios": [{"name", "title"}]}`.
async fn scenarios() -> ApiResult {
    let list = crate::qa::scenarios::Scenario::list();
    Ok(Json(serde_json::json!({ "scenarios": list })).into_response())
}

/// `POST /qa/scenarios/{name} {"account"}`: set a scenario up.
async fn set_up_scenario(
    State(cloud): State<Arc<Cloud>>,
    axum::extract::Path(name): axum::extract::Path<String>,
    Form(q): Form<ScenarioQuery>,
) -> ApiResult {
    use crate::qa::scenarios::{set_up, Scenario};
    let scenario = Scenario::parse(&name).ok_or_else(|| {
        let names: Vec<&str> = <Scenario as strum::VariantArray>::VARIANTS
            .iter()
            .map(|s| s.name())
            .collect();
        ApiError::not_found().with_message(format!(
            "No scenario {name:?}; there are {}.",
            names.join(", ")
        ))
    })?;
    let done = set_up(&cloud, scenario, q.account).await?;
    if matches!(
        scenario,
        Scenario::CodeNeverArrives | Scenario::CodeArrivesLate | Scenario::CloudTimesOut
    ) {
        let snapshot = cloud.db.call(crate::qa::state::load).await?;
        cloud.adopt(&snapshot);
    }
    Ok(Json(done).into_response())
}

/// `POST /qa/reset`: wipe every account, code, session and message, clear the
/// faults and put the clock back to the wall clock.
async fn reset(State(cloud): State<Arc<Cloud>>) -> ApiResult {
    let snapshot = cloud
        .db
        .call(|conn| {
            crate::qa::state::reset(conn)?;
            crate::qa::state::load(conn)
        })
        .await?;
    cloud.adopt(&snapshot);
    tracing::info!("QA reset the cloud");
    let now = cloud.clock.now();
    Ok(Json(hik_proto::qa::Reset { reset: true, now }).into_response())
}
