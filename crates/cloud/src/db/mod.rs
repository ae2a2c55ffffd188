//! The cloud's database, behind one seam: SQLite (the embedded default, one
//! process) or PostgreSQL (any number of instances sharing one database). The
//! stores write their statements once against `Sql`; `Db::call` runs a job
//! as one transaction on whichever backend the cloud was started with.
//!
//! A job's transaction means what its result says: `Ok` commits, `Err` rolls
//! back everything the job wrote. A refusal that must keep what it wrote (a
//! wrong code's count, say) is therefore an `Ok` value of the job's own
//! (`crate::error::Verdict`). What must happen only once a write is there
//! (waking the outbox's sender) is handed to the job's transaction with
//! `Sql::after_commit`, which runs it after the commit and drops it on a
//! rollback or a retry. This module imports nothing of the cloud above it.

#[cfg(feature = "postgres")]
mod postgres;
mod sql;
mod sqlite;

pub(crate) use sql::params;
pub use sql::{Error, FromRow, Param, Row, Sql};

use std::path::PathBuf;

/// Hand `job` to the database's thread(s) and wait for its answer: a thread
/// that stopped, or a job that panicked (rolled back), is a database error.
async fn submit<J, R, E: From<Error>>(
    jobs: &std::sync::mpsc::Sender<J>,
    job: J,
    answer: tokio::sync::oneshot::Receiver<Result<R, E>>,
) -> Result<R, E> {
    jobs.send(job)
        .map_err(|_| gone("the database threads stopped"))?;
    answer
        .await
        .map_err(|_| gone("a database job panicked; it was rolled back"))?
}

/// A failure of the database itself, as `E`.
fn gone<E: From<Error>>(why: &str) -> E {
    E::from(Error::Database(why.to_owned()))
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

    /// Run `f` as one transaction: committed when it returns `Ok` (its
    /// value comes back once the commit is done), rolled back when it
    /// returns `Err`. The database's own failures (it cannot be reached, a
    /// commit fails, a job panics) come back as `E::from(Error)`. On
    /// PostgreSQL `f` may run more than once: a transaction that a
    /// concurrent one made unserialisable is run again, so `f` must do
    /// nothing but database work (`Sql::after_commit` for the rest).
    pub async fn call<R, E, F>(&self, f: F) -> Result<R, E>
    where
        R: Send + 'static,
        E: From<Error> + Send + 'static,
        F: FnMut(&dyn Sql) -> Result<R, E> + Send + 'static,
    {
        match self {
            Self::Sqlite(db) => db.call(f).await,
            #[cfg(feature = "postgres")]
            Self::Postgres(db) => db.call(f).await,
        }
    }

    /// One row of two integers, read alone (on PostgreSQL outside any
    /// transaction, in one round trip).
    pub async fn read_pair(&self, sql: &'static str) -> Result<(i64, i64), Error> {
        match self {
            Self::Sqlite(db) => db.call(move |conn| conn.one(sql, params![])).await,
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
