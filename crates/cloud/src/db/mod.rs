//! The cloud's database, behind one seam: SQLite (the embedded default, one
//! process) or PostgreSQL (any number of instances sharing one database). The
//! stores write their statements once against `Sql`; `Db::call` runs a job
//! as one transaction on whichever backend the cloud was started with.

#[cfg(feature = "postgres")]
mod postgres;
mod sql;
mod sqlite;

pub(crate) use sql::params;
pub use sql::{Error, FromRow, Param, Row, Sql};

use crate::error::ApiError;
use std::cell::RefCell;
use std::path::PathBuf;

type Effect = Box<dyn FnOnce() + Send>;

thread_local! {
    /// What the job running on this thread does once its transaction commits.
    static AFTER_COMMIT: RefCell<Vec<Effect>> = const { RefCell::new(Vec::new()) };
}

/// From inside a job: run `f` once the job's transaction has committed (and
/// never if it does not, or if the job is run again). For what must not
/// happen for a write that is not there: waking the sender for a message.
pub fn after_commit(f: impl FnOnce() + Send + 'static) {
    AFTER_COMMIT.with(|a| a.borrow_mut().push(Box::new(f)));
}

/// The effects registered by the job that just ran on this thread (and a
/// clean slate for the next).
fn take_effects() -> Vec<Effect> {
    AFTER_COMMIT.with(|a| std::mem::take(&mut *a.borrow_mut()))
}

/// Where the cloud keeps its state: `--db` / `HIK_CLOUD_DB`, a file path or a
/// `postgres://` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    File(PathBuf),
    Postgres(String),
}

impl Location {
    /// A `postgres://` or `postgresql://` URL is PostgreSQL; anything else is
    /// a file path.
    pub fn parse(s: &str) -> Self {
        let lower = s.trim_start().to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            Self::Postgres(s.trim().to_owned())
        } else {
            Self::File(PathBuf::from(s))
        }
    }
}

impl std::fmt::Display for Location {
    /// A URL is shown without its password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::File(p) => write!(f, "{}", p.display()),
            Self::Postgres(url) => f.write_str(&redact(url)),
        }
    }
}

impl From<PathBuf> for Location {
    fn from(p: PathBuf) -> Self {
        Self::File(p)
    }
}

/// `postgres://user:secret@host/db` as `postgres://user:***@host/db`.
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error("cannot start a database thread: {0}")]
    Thread(std::io::Error),
    #[error("{0}")]
    Postgres(String),
    /// What the migrations made cannot be read (the QA state, at start).
    #[error("{0}")]
    Unreadable(String),
    #[error("this build of hik-cloud has no PostgreSQL support (feature `postgres`)")]
    NoPostgres,
}

/// The database of a running cloud.
#[derive(Clone)]
pub enum Db {
    Sqlite(sqlite::Db),
    #[cfg(feature = "postgres")]
    Postgres(postgres::Db),
}

impl Db {
    /// Open (creating a SQLite file if needed), migrate, and return the server
    /// secret that keys every stored hash and signs session tokens (made once,
    /// on first open, and shared by every instance of a PostgreSQL database).
    pub async fn open(location: &Location, pool: usize) -> Result<(Self, Vec<u8>), OpenError> {
        match location {
            Location::File(path) => {
                let path = path.clone();
                let (db, secret) = tokio::task::spawn_blocking(move || sqlite::Db::open(&path))
                    .await
                    .map_err(|e| OpenError::Thread(std::io::Error::other(e.to_string())))??;
                Ok((Self::Sqlite(db), secret))
            }
            #[cfg(feature = "postgres")]
            Location::Postgres(url) => {
                let (db, secret) = postgres::Db::open(url, pool).await?;
                Ok((Self::Postgres(db), secret))
            }
            #[cfg(not(feature = "postgres"))]
            Location::Postgres(_) => {
                let _ = pool;
                Err(OpenError::NoPostgres)
            }
        }
    }

    /// Run `f` as one transaction; its result comes back once what it wrote
    /// is committed. What `f` wrote stays even when it returns an error (a
    /// wrong code's counter, say). On PostgreSQL `f` may run more than once:
    /// a transaction that a concurrent one made unserialisable is run again,
    /// so `f` must do nothing but database work.
    pub async fn call<R, F>(&self, f: F) -> Result<R, ApiError>
    where
        R: Send + 'static,
        F: FnMut(&dyn Sql) -> Result<R, ApiError> + Send + 'static,
    {
        match self {
            Self::Sqlite(db) => db.call(f).await,
            #[cfg(feature = "postgres")]
            Self::Postgres(db) => db.call(f).await,
        }
    }

    /// One row of two integers, read alone (on PostgreSQL outside any
    /// transaction, in one round trip).
    pub async fn read_pair(&self, sql: &'static str) -> Result<(i64, i64), ApiError> {
        match self {
            Self::Sqlite(db) => db.call(move |conn| Ok(conn.one(sql, params![])?)).await,
            #[cfg(feature = "postgres")]
            Self::Postgres(db) => db.read_pair(sql).await,
        }
    }

    /// Whether other instances may be serving the same database, so that
    /// what this process keeps in memory must be read again from it.
    pub fn shared(&self) -> bool {
        match self {
            Self::Sqlite(_) => false,
            #[cfg(feature = "postgres")]
            Self::Postgres(_) => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_is_postgres_and_anything_else_a_file_and_passwords_are_not_shown() {
        assert_eq!(
            Location::parse("/var/lib/hik/cloud.db"),
            Location::File("/var/lib/hik/cloud.db".into())
        );
        assert_eq!(
            Location::parse("postgresql://h/db"),
            Location::Postgres("postgresql://h/db".into())
        );
        let pg = Location::parse("postgres://hik:s3cret@db.local:5432/hik");
        assert_eq!(pg.to_string(), "postgres://hik:***@db.local:5432/hik");
        assert_eq!(
            Location::parse("postgres://db.local/hik").to_string(),
            "postgres://db.local/hik"
        );
    }
}
