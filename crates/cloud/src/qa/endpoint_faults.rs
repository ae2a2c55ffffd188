//! Endpoint faults for QA: requests whose path starts with a prefix are held a
//! while and answered with a server or gateway error instead of being served,
//! for a share of them. Users of the real service report gateway timeouts on
//! the device list; this is how QA reproduces them. Only the protocol's routes
//! are affected, never the QA surface itself.

use crate::error::ApiError;
use crate::Cloud;
use axum::extract::State;
use axum::http::{Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hik_proto::qa::EndpointFault;
use hik_proto::ResultCode;
use std::sync::{Arc, Mutex};

/// This instance's copy of the faults in force, by path prefix (one per
/// prefix; the longest matches). The database holds them (`qa_state`).
#[derive(Default)]
pub struct EndpointFaults(Mutex<Vec<EndpointFault>>);

impl EndpointFaults {
    /// Take the faults as the database has them, longest prefix first.
    pub fn replace(&self, mut faults: Vec<EndpointFault>) {
        faults.sort_by_key(|f| std::cmp::Reverse(f.path.len()));
        *crate::lock(&self.0) = faults;
    }

    /// The fault that strikes a request for `path` this time, if any.
    fn strike(&self, path: &str) -> Option<EndpointFault> {
        let fault = crate::lock(&self.0)
            .iter()
            .find(|f| path.starts_with(&f.path))
            .cloned()?;
        let roll =
            f64::from(u32::from_le_bytes(crate::crypto::random_bytes::<4>())) / f64::from(u32::MAX);
        (roll < fault.rate || fault.rate >= 1.0).then_some(fault)
    }
}

/// The middleware on the protocol's routes.
pub async fn inject(
    State(cloud): State<Arc<Cloud>>,
    req: Request<axum::body::Body>,
    next: Next,
) -> Response {
    let Some(fault) = cloud.endpoint_faults.strike(req.uri().path()) else {
        return next.run(req).await;
    };
    if fault.latency_ms > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(fault.latency_ms)).await;
    }
    let Some(status) = fault.status.and_then(|s| StatusCode::from_u16(s).ok()) else {
        return next.run(req).await;
    };
    tracing::info!(path = %req.uri().path(), status = status.as_u16(), "QA endpoint fault answered");
    let reason = status.canonical_reason().unwrap_or("Server error");
    let mut e = ApiError::business(ResultCode::Other(u32::from(status.as_u16()))).with_message(
        format!("{reason} (a fault injected by QA on {})", fault.path),
    );
    e.kind = crate::error::Kind::Injected(status.as_u16());
    e.into_response()
}
