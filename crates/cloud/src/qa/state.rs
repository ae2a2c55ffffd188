//! The QA state every instance on one database shares: how far the clock has
//! been moved, and the faults in force. It lives in the database; each
//! instance keeps a copy in memory (the clock's offset, the endpoint faults)
//! that it refreshes after its own changes and, when the database is shared,
//! at the start of every request, so a change made through one instance holds
//! on all of them from the next request on.

use crate::db::{params, Sql};
use crate::error::ApiError;
use hik_proto::qa::EndpointFault;

/// The shared QA state, as read from the database.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// Which change of the QA state this is (`qa_clock.version`).
    pub version: i64,
    pub clock_offset: i64,
    /// Longest prefix first.
    pub endpoints: Vec<EndpointFault>,
}

/// Every table of accounts and their traces, wiped by a QA reset (children first).
const WIPED: &[&str] = &[
    "cameras",
    "devices",
    "temp_logins",
    "captchas",
    "sessions",
    "refresh_tokens",
    "terminals",
    "codes",
    "sends",
    "outbox",
    "qa_captcha_answers",
    "audit_events",
    "users",
    "qa_delivery_faults",
    "qa_endpoint_faults",
];

/// The clock's offset and the version of the whole state.
pub const CLOCK: &str = "SELECT offset_secs, version FROM qa_clock WHERE id = 1";

pub fn load(conn: &dyn Sql) -> Result<Snapshot, ApiError> {
    let (clock_offset, version): (i64, i64) = conn.one(CLOCK, params![])?;
    let endpoints = conn.map(
        "SELECT path, status, latency_ms, rate FROM qa_endpoint_faults
         ORDER BY LENGTH(path) DESC, path",
        params![],
        |r| {
            Ok(EndpointFault {
                path: r.get(0)?,
                status: r.get(1)?,
                latency_ms: r.get(2)?,
                rate: r.get(3)?,
            })
        },
    )?;
    Ok(Snapshot {
        version,
        clock_offset,
        endpoints,
    })
}

/// Move the shared clock `secs` forward from the wall clock `wall`: the new
/// offset, or (`Err`) how many seconds it may still move.
pub fn advance_clock(conn: &dyn Sql, wall: i64, secs: u64) -> Result<Result<i64, i64>, ApiError> {
    conn.lock("qa", false)?;
    let offset: i64 = conn.one("SELECT offset_secs FROM qa_clock WHERE id = 1", params![])?;
    let moved = match crate::clock::advanced(wall, offset, secs) {
        Ok(moved) => moved,
        Err(room) => return Ok(Err(room)),
    };
    conn.execute(
        "UPDATE qa_clock SET offset_secs = ?1, version = version + 1 WHERE id = 1",
        params![moved],
    )?;
    Ok(Ok(moved))
}

/// Wipe every account, code, session and message, clear the faults and put
/// the clock back to the wall clock.
pub fn reset(conn: &dyn Sql) -> Result<(), ApiError> {
    conn.lock("qa", false)?;
    for table in WIPED {
        conn.execute(&format!("DELETE FROM {table}"), params![])?;
    }
    conn.execute(
        "UPDATE qa_clock SET offset_secs = 0, version = version + 1 WHERE id = 1",
        params![],
    )?;
    Ok(())
}

/// Set (or replace) the fault on `fault.path`.
pub fn set_endpoint_fault(conn: &dyn Sql, f: &EndpointFault) -> Result<(), ApiError> {
    conn.execute(
        "INSERT INTO qa_endpoint_faults (path, status, latency_ms, rate) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (path) DO UPDATE SET status = ?2, latency_ms = ?3, rate = ?4",
        params![&f.path, f.status, f.latency_ms, f.rate],
    )?;
    changed(conn)
}

pub fn clear_faults(conn: &dyn Sql) -> Result<(), ApiError> {
    conn.execute("DELETE FROM qa_delivery_faults", params![])?;
    conn.execute("DELETE FROM qa_endpoint_faults", params![])?;
    changed(conn)
}

/// Count a change that instances must take into their copies.
fn changed(conn: &dyn Sql) -> Result<(), ApiError> {
    conn.execute(
        "UPDATE qa_clock SET version = version + 1 WHERE id = 1",
        params![],
    )?;
    Ok(())
}
