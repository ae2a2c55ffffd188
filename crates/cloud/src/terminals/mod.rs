//! The terminals bound to an account: listing, removal (which also ends their
//! sessions), the limit, and the temporary id a full account's login gets (1069).

pub(crate) mod flows;
pub(crate) mod routes;

use crate::context::Ctx;
use crate::crypto::{random_token, Keys};
use crate::db::{params, Sql};
use crate::error::ApiError;
use crate::sessions;
use hik_proto::wire::TerminalInfo;

/// One page of the account's terminals, most recently used first, and the total.
pub fn list(
    conn: &dyn Sql,
    user_id: i64,
    current: &str,
    limit: u32,
    offset: u32,
) -> Result<(u32, Vec<TerminalInfo>), ApiError> {
    let total = count(conn, user_id)?;
    let rows = conn.map(
        "SELECT id, name, sign, client_type, added_at, last_used_at, ip FROM terminals
         WHERE user_id = ?1 ORDER BY last_used_at DESC, id DESC LIMIT ?2 OFFSET ?3",
        params![user_id, limit, offset],
        |r| {
            let sign: String = r.get(2)?;
            Ok(TerminalInfo {
                terminal_id: r.get(0)?,
                name: r.get(1)?,
                current: sign == current,
                sign,
                client_type: r.get(3)?,
                add_time: r.get(4)?,
                last_modifytime: r.get(5)?,
                ip: r.get(6)?,
            })
        },
    )?;
    Ok((total, rows))
}

pub fn count(conn: &dyn Sql, user_id: i64) -> Result<u32, ApiError> {
    Ok(conn.one(
        "SELECT COUNT(*) FROM terminals WHERE user_id = ?1",
        params![user_id],
    )?)
}

/// Remove these terminals (unknown signs are ignored) and end their sessions.
/// Returns how many were removed.
pub fn unbind(
    conn: &dyn Sql,
    ctx: &Ctx,
    user_id: i64,
    signs: &[String],
) -> Result<usize, ApiError> {
    let mut removed = 0;
    for sign in signs {
        let name: Option<String> = conn.opt(
            "DELETE FROM terminals WHERE user_id = ?1 AND sign = ?2 RETURNING name",
            params![user_id, sign],
        )?;
        sessions::revoke_terminal(conn, user_id, sign)?;
        if let Some(name) = name {
            removed += 1;
            let detail = format!("removed {name}");
            let line =
                crate::audit::Event::TerminalRemoved.line(Some(user_id), crate::audit::Outcome::Ok);
            crate::audit::record(conn, ctx, line.detail(&detail))?;
        }
    }
    Ok(removed)
}

pub fn set_two_step(conn: &dyn Sql, user_id: i64, on: bool) -> Result<(), ApiError> {
    conn.execute(
        "UPDATE users SET two_step = ?2 WHERE id = ?1",
        params![user_id, on],
    )?;
    Ok(())
}

/// A temporary id for removing terminals without a session, valid `ttl` seconds.
pub fn new_temp_id(
    conn: &dyn Sql,
    keys: &Keys,
    now: i64,
    ttl: i64,
    user_id: i64,
) -> Result<String, ApiError> {
    let id = random_token();
    conn.execute(
        "DELETE FROM temp_logins WHERE expires_at <= ?1",
        params![now],
    )?;
    conn.execute(
        "INSERT INTO temp_logins (id_hash, user_id, expires_at) VALUES (?1, ?2, ?3)",
        params![keys.keyed_hash("temp", &id), user_id, now + ttl],
    )?;
    Ok(id)
}

/// The account a live temporary id belongs to.
pub fn temp_id_owner(
    conn: &dyn Sql,
    keys: &Keys,
    now: i64,
    id: &str,
) -> Result<Option<i64>, ApiError> {
    Ok(conn.opt(
        "SELECT user_id FROM temp_logins WHERE id_hash = ?1 AND expires_at > ?2",
        params![keys.keyed_hash("temp", id), now],
    )?)
}
