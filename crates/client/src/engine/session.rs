//! Calls that need a session. The session id lives 24 hours; it is renewed with
//! the refresh token shortly before it expires (on the cloud's clock, read from
//! the JWT's `exp`), and, should the cloud still answer 401, renewed and tried
//! once more. A refresh token the cloud refuses (403) ends the login: the engine
//! forgets it and the UI goes back to the login screen with a message.

use super::{Engine, State};
use crate::ClientError;
use std::future::Future;

/// Renew this long before the session id expires.
const RENEW_BEFORE_SECS: i64 = 300;

/// `exp` of a JWT, read without checking its signature (that is the cloud's
/// business; this only decides when to renew).
fn expires_at(jwt: &str) -> Option<i64> {
    use base64::Engine as _;
    let payload = jwt.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()?
        .get("exp")?
        .as_i64()
}

impl Engine {
    /// Run `call` with the session id, renewing the session first when it is
    /// about to expire and once more if the cloud answers 401.
    pub(super) async fn with_session<T, F, Fut>(&self, call: F) -> Result<T, ClientError>
    where
        F: Fn(String) -> Fut,
        Fut: Future<Output = Result<T, ClientError>>,
    {
        let session = self.live_session().await?;
        match call(session.clone()).await {
            Err(ClientError::Unauthorized) => {
                let renewed = self.renew(&session).await?;
                call(renewed).await.map_err(|e| match e {
                    ClientError::Unauthorized => ClientError::SessionEnded,
                    other => other,
                })
            }
            other => other,
        }
    }

    /// The current session id, renewed first if it expires within minutes.
    async fn live_session(&self) -> Result<String, ClientError> {
        let session = {
            let state = self.state.lock().await;
            match &*state {
                State::LoggedIn { session_id, .. } => session_id.clone(),
                _ => return Err(ClientError::NotLoggedIn),
            }
        };
        let now = self.api.cloud_now();
        match expires_at(&session) {
            Some(exp) if exp - now <= RENEW_BEFORE_SECS => self.renew(&session).await,
            _ => Ok(session),
        }
    }

    /// Renew the session that `stale` was, unless another call already did.
    async fn renew(&self, stale: &str) -> Result<String, ClientError> {
        let mut state = self.state.lock().await;
        let State::LoggedIn {
            session_id,
            refresh,
            ..
        } = &mut *state
        else {
            return Err(ClientError::SessionEnded);
        };
        if session_id != stale {
            return Ok(session_id.clone());
        }
        match self.api.refresh(refresh).await {
            Ok(r) => {
                let info = r.session_info;
                tracing::info!("session renewed");
                *session_id = info.session_id;
                *refresh = info.refresh_session_id;
                let (session, token) = (session_id.clone(), refresh.clone());
                drop(state);
                self.keep_refresh_token(token).await;
                Ok(session)
            }
            Err(ClientError::SessionEnded | ClientError::Unauthorized) => {
                tracing::info!("the cloud refused the refresh token: logged out");
                *state = State::LoggedOut;
                drop(state);
                self.forget_refresh_token().await;
                Err(ClientError::SessionEnded)
            }
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::expires_at;

    #[test]
    fn reads_exp_from_a_jwt_payload() {
        // {"alg":"HS384"} . {"exp":1700000000,"aud":"1"} . signature
        let jwt = "eyJhbGciOiJIUzM4NCJ9.eyJleHAiOjE3MDAwMDAwMDAsImF1ZCI6IjEifQ.c2ln";
        assert_eq!(expires_at(jwt), Some(1_700_000_000));
        assert_eq!(expires_at("not a jwt"), None);
        assert_eq!(expires_at("a.!!!.c"), None);
    }
}
