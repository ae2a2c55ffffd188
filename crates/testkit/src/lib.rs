//! One test kit for every suite: the cloud's HTTP tests, the engine's tests,
//! the WebDriver harness and the load benchmark all start their clouds and
//! read their codes here.
//!
//! - [`Cloud`]: a simulated cloud for one test: one instance or several on
//!   one database, SQLite or PostgreSQL, HTTP or HTTPS, QA on or off; it can
//!   be stopped and started again on the same ports and database.
//! - [`Api`]: the protocol spoken as raw as a test needs it (any field, any
//!   header), each reply's result code read as a [`ResultCode`].
//! - [`Qa`]: the QA surface through the app's own typed client
//!   (`hik_client::QaApi`): codes from the outbox, the clock, faults,
//!   ready accounts and their state.
//! - [`database`]: a fresh database per cloud, and a look inside it.
//!
//! The database is a SQLite file in a temporary folder, or, when
//! `HIK_TEST_POSTGRES` names a PostgreSQL server (`scripts/with-postgres`
//! starts a throwaway one), a new database on it: the same suite runs on
//! both backends.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod api;
mod cloud;
pub mod database;
mod qa;

pub use api::{Api, Reply};
pub use cloud::{Builder, Cloud};
pub use hik_cloud::Messages;
pub use hik_proto::ResultCode;
pub use qa::Qa;

/// The password of every account the kit makes.
pub const PASSWORD: &str = "Correct-Horse-9";

/// The area (region) of every account the kit makes: the United Kingdom, in
/// the first region.
pub const AREA: u32 = 44;

/// How long the kit waits for what should come soon (a message, a restart).
pub const WAIT: std::time::Duration = std::time::Duration::from_secs(15);

/// Terminal (install) number `n`: its fingerprint, for the `featureCode`
/// header. [`Api::account`] signs up from terminal 1.
pub fn terminal(n: u8) -> String {
    format!("{n:02x}").repeat(16)
}
