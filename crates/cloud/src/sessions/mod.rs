//! Sessions (24 h JWTs) and refresh tokens (30 days, rotated on every use). A
//! session and the refresh tokens rotated from one login form a family; showing
//! an already-rotated refresh token revokes the family (someone copied it).

pub(crate) mod edge;

pub(crate) use edge::{require_session, Who};

use crate::context::Ctx;
use crate::crypto::{random_token, Claims, Keys};
use crate::db::{params, Sql};
use crate::error::{Answer, ApiError, Refusal};
use crate::Rules;
use hik_proto::FeatureCode;

pub struct Issued {
    pub session_id: String,
    pub refresh: String,
}

/// A session to issue: whose, and for which terminal.
pub struct NewSession<'a> {
    pub user_id: i64,
    pub caller: Caller<'a>,
}

/// A new session and refresh token (in `family`, or a new one). The caller
/// holds the account's lock, exclusive (a login) or shared (a rotation), so
/// that no revocation of all the account's sessions is under way.
pub fn issue(
    conn: &dyn Sql,
    keys: &Keys,
    rules: &Rules,
    now: i64,
    s: &NewSession<'_>,
    family: Option<&str>,
) -> Result<Issued, ApiError> {
    let family = family.map_or_else(random_token, str::to_owned);
    let jti = random_token();
    let claims = Claims {
        iss: "ysauth".into(),
        aud: s.user_id.to_string(),
        sub: "s".into(),
        iat: now,
        exp: now + rules.session_ttl_secs,
        ct: s.caller.client_type.to_string(),
        cn: s.caller.client_name.to_owned(),
        jti: jti.clone(),
    };
    let session_id = keys.issue_jwt(&claims);
    let refresh = random_token();
    conn.defer("INSERT INTO sessions (jti_hash, family, user_id, feature_code, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)", params![keys.keyed_hash("session", &jti), &family, s.user_id, s.caller.feature.as_str(), claims.exp])?;
    conn.defer("INSERT INTO refresh_tokens (token_hash, family, user_id, feature_code, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)", params![
            keys.keyed_hash("refresh", &refresh),
            &family,
            s.user_id,
            s.caller.feature.as_str(),
            now + rules.refresh_ttl_secs
        ])?;
    Ok(Issued {
        session_id,
        refresh,
    })
}

/// Who a logged-in request is from.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub user_id: i64,
    pub family: String,
    /// The terminal the session was opened on, and its name when it is bound.
    pub feature: String,
    pub terminal: Option<String>,
}

/// HTTP 401 unless `token` is our unexpired, unrevoked session JWT.
pub fn authenticate(
    conn: &dyn Sql,
    keys: &Keys,
    now: i64,
    token: &str,
) -> Result<Authenticated, ApiError> {
    let claims = keys
        .verify_jwt(token, now)
        .ok_or_else(ApiError::unauthorized)?;
    let row: Option<(i64, String, String, Option<String>)> = conn.opt(
        "SELECT s.user_id, s.family, s.feature_code, t.name FROM sessions s
         LEFT JOIN terminals t ON t.user_id = s.user_id AND t.sign = s.feature_code
         WHERE s.jti_hash = ?1 AND s.revoked = 0 AND s.expires_at > ?2",
        params![keys.keyed_hash("session", &claims.jti), now],
    )?;
    let (user_id, family, feature, terminal) = row.ok_or_else(ApiError::unauthorized)?;
    Ok(Authenticated {
        user_id,
        family,
        feature,
        terminal,
    })
}

/// The terminal a session is for, or that presents a refresh token.
#[derive(Debug, Clone, Copy)]
pub struct Caller<'a> {
    pub feature: &'a FeatureCode,
    pub client_type: u32,
    pub client_name: &'a str,
}

/// Rotate a refresh token: 403 (in `meta.code`) if it is unknown, expired, revoked, for
/// another terminal, or already used (then the whole family is revoked too,
/// and that is kept with the refusal).
pub fn refresh(
    conn: &dyn Sql,
    keys: &Keys,
    rules: &Rules,
    ctx: &Ctx,
    token: &str,
    caller: &Caller<'_>,
) -> Answer<Issued> {
    let (feature, now) = (caller.feature, ctx.now);
    let hash = keys.keyed_hash("refresh", token);
    let known: Option<(String, i64)> = conn.opt(
        "SELECT family, user_id FROM refresh_tokens WHERE token_hash = ?1",
        params![&hash],
    )?;
    let Some((family, user_id)) = known else {
        return Ok(Err(Refusal(ApiError::refresh_dead())));
    };
    // Rotations of one family take turns (each sees the one before it), and
    // ending all of an account's sessions waits for them (see `revoke_user`).
    conn.lock_all(&[
        (&crate::users::lock_key(user_id), true),
        (&format!("family:{family}"), false),
    ])?;
    // The rotation, in one statement, when the token is still good.
    let rotated = conn.execute(
        "UPDATE refresh_tokens SET used_at = ?2
         WHERE token_hash = ?1 AND used_at IS NULL AND revoked = 0
           AND expires_at > ?2 AND feature_code = ?3",
        params![&hash, now, feature.as_str()],
    )?;
    if rotated == 0 {
        // (A token whose account was deleted meanwhile is simply gone.)
        let used: Option<Option<i64>> = conn.opt(
            "SELECT used_at FROM refresh_tokens WHERE token_hash = ?1",
            params![&hash],
        )?;
        if used.flatten().is_some() {
            // Shown again after its rotation: someone copied it.
            use crate::audit::{record, Event, Outcome};
            let user = Some(user_id);
            record(conn, ctx, Event::RefreshReuse.line(user, Outcome::Refused))?;
            revoke_family(conn, &family)?;
            record(conn, ctx, Event::FamilyRevoked.line(user, Outcome::Ok))?;
        }
        // The revocation stays: refused, and kept.
        return Ok(Err(Refusal(ApiError::refresh_dead())));
    }
    // The session the old refresh token belonged to is superseded.
    conn.defer(
        "UPDATE sessions SET revoked = 1 WHERE family = ?1 AND revoked = 0",
        params![&family],
    )?;
    let s = NewSession {
        user_id,
        caller: *caller,
    };
    issue(conn, keys, rules, now, &s, Some(&family)).map(Ok)
}

pub fn revoke_family(conn: &dyn Sql, family: &str) -> Result<(), ApiError> {
    conn.defer(
        "UPDATE sessions SET revoked = 1 WHERE family = ?1 AND revoked = 0",
        params![family],
    )?;
    conn.defer(
        "UPDATE refresh_tokens SET revoked = 1 WHERE family = ?1 AND revoked = 0",
        params![family],
    )?;
    Ok(())
}

/// End every session and refresh token of the account, but for `keep`'s family.
pub fn revoke_user(conn: &dyn Sql, user_id: i64, keep: Option<&str>) -> Result<(), ApiError> {
    crate::users::lock(conn, user_id)?;
    conn.execute("UPDATE sessions SET revoked = 1 WHERE user_id = ?1 AND family IS DISTINCT FROM ?2 AND revoked = 0", params![user_id, keep])?;
    conn.execute("UPDATE refresh_tokens SET revoked = 1 WHERE user_id = ?1 AND family IS DISTINCT FROM ?2 AND revoked = 0", params![user_id, keep])?;
    Ok(())
}

/// Let every live session and unused refresh token of the account expire at
/// `at` (QA: a session that has just expired).
pub fn expire_user(conn: &dyn Sql, user_id: i64, at: i64) -> Result<(), ApiError> {
    conn.execute(
        "UPDATE sessions SET expires_at = ?2 WHERE user_id = ?1 AND revoked = 0",
        params![user_id, at],
    )?;
    conn.execute(
        "UPDATE refresh_tokens SET expires_at = ?2
         WHERE user_id = ?1 AND revoked = 0 AND used_at IS NULL",
        params![user_id, at],
    )?;
    Ok(())
}

/// End the sessions and refresh tokens opened on one terminal of the account.
pub fn revoke_terminal(conn: &dyn Sql, user_id: i64, sign: &str) -> Result<(), ApiError> {
    crate::users::lock(conn, user_id)?;
    conn.execute(
        "UPDATE sessions SET revoked = 1 WHERE user_id = ?1 AND feature_code = ?2 AND revoked = 0",
        params![user_id, sign],
    )?;
    conn.execute("UPDATE refresh_tokens SET revoked = 1 WHERE user_id = ?1 AND feature_code = ?2 AND revoked = 0", params![user_id, sign])?;
    Ok(())
}
