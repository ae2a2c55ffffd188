//! The delivery faults QA sets per channel (late, dropped, failing), kept
//! in the database so that every instance sends by the same ones.

use super::outbox::Channel;
use crate::db::{params, Sql};
use crate::error::ApiError;
use hik_proto::qa::QaFault as Fault;
use std::collections::BTreeMap;

/// Set (or replace) the fault on `channel`.
pub fn set_delivery_fault(conn: &dyn Sql, channel: Channel, f: &Fault) -> Result<(), ApiError> {
    conn.execute(
        "INSERT INTO qa_delivery_faults (channel, delay_seconds, drop_rate, fail_next)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (channel) DO UPDATE SET delay_seconds = ?2, drop_rate = ?3, fail_next = ?4",
        params![channel.as_str(), f.delay_seconds, f.drop_rate, f.fail_next],
    )?;
    Ok(())
}

pub fn delivery_faults(conn: &dyn Sql) -> Result<BTreeMap<String, Fault>, ApiError> {
    let rows = conn.map(
        "SELECT channel, delay_seconds, drop_rate, fail_next FROM qa_delivery_faults",
        params![],
        |r| {
            let fault = Fault {
                delay_seconds: r.get(1)?,
                drop_rate: r.get(2)?,
                fail_next: r.get(3)?,
            };
            Ok((r.get::<String>(0)?, fault))
        },
    )?;
    Ok(rows.into_iter().collect())
}

/// The fault on `channel` for the message being sent now: a "fail next" is
/// used up by it.
pub fn take_delivery_fault(conn: &dyn Sql, channel: Channel) -> Result<Fault, ApiError> {
    // One statement: of messages racing for the last "fail next", one fails.
    let failed = conn.execute(
        "UPDATE qa_delivery_faults SET fail_next = fail_next - 1
         WHERE channel = ?1 AND fail_next > 0",
        params![channel.as_str()],
    )?;
    let fault: Option<(u64, f64)> = conn.opt(
        "SELECT delay_seconds, drop_rate FROM qa_delivery_faults WHERE channel = ?1",
        params![channel.as_str()],
    )?;
    let (delay_seconds, drop_rate) = fault.unwrap_or_default();
    Ok(Fault {
        delay_seconds,
        drop_rate,
        fail_next: u32::from(failed > 0),
    })
}
