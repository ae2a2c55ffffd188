//! The session check of every logged-in endpoint, at the HTTP edge: a
//! middleware that finds the session (HTTP 401 without one) and what a
//! handler reads of it (`Who`).

use crate::error::ApiError;
use crate::http::extract::Client;
use crate::Cloud;
use axum::extract::State;
use axum::http::{HeaderMap, Request};
use std::sync::Arc;

/// The one session check of every logged-in endpoint, run before anything
/// else (its fields included): HTTP 401 without a valid `sessionId`; with
/// one, the handler finds `Extension<Authenticated>`.
pub(crate) async fn require_session(
    State(cloud): State<Arc<Cloud>>,
    mut req: Request<axum::body::Body>,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match authenticate(&cloud, req.headers()).await {
        Ok(who) => {
            // From here on the audit trail names this session's terminal.
            let origin = crate::context::Origin {
                terminal: Some(
                    who.terminal
                        .clone()
                        .unwrap_or_else(|| "an unbound terminal".into()),
                ),
                sign: Some(who.feature.clone()),
                ..crate::context::Origin::of_task().unwrap_or_default()
            };
            req.extensions_mut().insert(who);
            origin.scope(next.run(req)).await
        }
        Err(e) => e.into_response(),
    }
}

/// Who is calling: what `require_session` found.
pub(crate) type Who = axum::Extension<super::Authenticated>;

/// The session of a logged-in request, or HTTP 401.
async fn authenticate(
    cloud: &Arc<Cloud>,
    headers: &HeaderMap,
) -> Result<super::Authenticated, ApiError> {
    let token = Client::from_headers(headers)
        .session
        .ok_or_else(ApiError::unauthorized)?;
    let now = cloud.clock.now();
    let c = Arc::clone(cloud);
    cloud
        .db
        .call(move |conn| super::authenticate(conn, &c.keys, now, &token))
        .await
}
