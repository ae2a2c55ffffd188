//! Local state in SQLite (nothing secret): the last account and region, and the
//! account's device lists as last seen, for when the cloud cannot be reached.

use crate::ClientError;
use rusqlite::{Connection, OptionalExtension};
use std::path::Path;
use std::sync::{Arc, Mutex};

const MIGRATIONS: &[&str] = &[
    "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
    // What the cloud last said (device lists, cameras), kept to show when it
    // cannot be reached: JSON as the engine saved it, with the time it came.
    "CREATE TABLE saved (
        account  TEXT NOT NULL,
        key      TEXT NOT NULL,
        json     TEXT NOT NULL,
        saved_at INTEGER NOT NULL,
        PRIMARY KEY (account, key)
    );",
    // Settings of one account (where its codes go), keyed by the account;
    // the one such setting kept before, as "<account> <channel>" in
    // `settings`, moves here.
    "CREATE TABLE account_settings (
        account TEXT NOT NULL,
        key     TEXT NOT NULL,
        value   TEXT NOT NULL,
        PRIMARY KEY (account, key)
    );
    INSERT INTO account_settings (account, key, value)
        SELECT substr(value, 1, instr(value, ' ') - 1), 'code_channel',
               CASE substr(value, instr(value, ' ') + 1) WHEN 'phone' THEN 'sms' ELSE 'email' END
        FROM settings WHERE key = 'code_channel' AND instr(value, ' ') > 1;
    DELETE FROM settings WHERE key = 'code_channel';",
];

#[derive(Clone)]
pub struct LocalStore {
    conn: Arc<Mutex<Connection>>,
}

impl LocalStore {
    pub fn open(path: &Path) -> Result<Self, ClientError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| {
                ClientError::Storage(format!("cannot create {}: {e}", dir.display()))
            })?;
        }
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let done: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(done) {
            let tx = conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", i + 1)?;
            tx.commit()?;
        }
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// One setting, read before anything else is open (the language, for the
    /// window's first paint): `None` when there is no database yet, or on
    /// any failure, which the full open reports later.
    pub fn peek(path: &Path, key: &str) -> Option<String> {
        let conn =
            Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).ok()?;
        conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()
        .ok()
        .flatten()
    }

    async fn call<R: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<R> + Send + 'static,
    ) -> Result<R, ClientError> {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            let guard = conn
                .lock()
                .map_err(|_| ClientError::Storage("local database lock poisoned".into()))?;
            f(&guard).map_err(ClientError::from)
        })
        .await
        .map_err(|e| ClientError::Storage(e.to_string()))?
    }

    pub async fn get(&self, key: &'static str) -> Result<Option<String>, ClientError> {
        self.call(move |c| {
            c.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
        })
        .await
    }

    pub async fn set(&self, key: &'static str, value: String) -> Result<(), ClientError> {
        self.call(move |c| {
            c.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = ?2",
                (key, value),
            )
            .map(|_| ())
        })
        .await
    }

    /// A setting of `account`.
    pub async fn account_get(
        &self,
        account: String,
        key: &'static str,
    ) -> Result<Option<String>, ClientError> {
        self.call(move |c| {
            c.query_row(
                "SELECT value FROM account_settings WHERE account = ?1 AND key = ?2",
                (account, key),
                |r| r.get(0),
            )
            .optional()
        })
        .await
    }

    pub async fn account_set(
        &self,
        account: String,
        key: &'static str,
        value: String,
    ) -> Result<(), ClientError> {
        self.call(move |c| {
            c.execute(
                "INSERT INTO account_settings (account, key, value) VALUES (?1, ?2, ?3)
                 ON CONFLICT (account, key) DO UPDATE SET value = ?3",
                (account, key, value),
            )
            .map(|_| ())
        })
        .await
    }

    /// Keep `json` for `account` under `key`, with the time it was fetched.
    pub async fn save(
        &self,
        account: String,
        key: String,
        json: String,
        saved_at: i64,
    ) -> Result<(), ClientError> {
        self.call(move |c| {
            c.execute(
                "INSERT INTO saved (account, key, json, saved_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (account, key) DO UPDATE SET json = ?3, saved_at = ?4",
                (account, key, json, saved_at),
            )
            .map(|_| ())
        })
        .await
    }

    /// What was kept for `account` under `key`, and when it was fetched.
    pub async fn saved(
        &self,
        account: String,
        key: String,
    ) -> Result<Option<(String, i64)>, ClientError> {
        self.call(move |c| {
            c.query_row(
                "SELECT json, saved_at FROM saved WHERE account = ?1 AND key = ?2",
                (account, key),
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
        })
        .await
    }

    /// Forget everything kept for `account` (it was deleted, say).
    pub async fn forget(&self, account: String) -> Result<(), ClientError> {
        self.call(move |c| {
            c.execute("DELETE FROM saved WHERE account = ?1", [&account])?;
            c.execute(
                "DELETE FROM account_settings WHERE account = ?1",
                [&account],
            )
            .map(|_| ())
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_channel_kept_as_account_and_name_moves_to_the_accounts_settings() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("local.db");
        {
            // A store as the app left it before: two migrations, the channel
            // kept as "<account> <channel>".
            let conn = Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
            for sql in &MIGRATIONS[..2] {
                conn.execute_batch(sql).unwrap_or_else(|e| panic!("{e}"));
            }
            conn.pragma_update(None, "user_version", 2)
                .unwrap_or_else(|e| panic!("{e}"));
            conn.execute(
                "INSERT INTO settings (key, value) VALUES ('code_channel', 'ana@example.com phone')",
                [],
            )
            .unwrap_or_else(|e| panic!("{e}"));
        }
        let store = LocalStore::open(&path).unwrap_or_else(|e| panic!("{e}"));
        let kept = store
            .account_get("ana@example.com".into(), "code_channel")
            .await
            .unwrap_or_default();
        assert_eq!(kept.as_deref(), Some("sms"));
        assert_eq!(store.get("code_channel").await.unwrap_or_default(), None);
        assert_eq!(
            store
                .account_get("bo@example.com".into(), "code_channel")
                .await
                .unwrap_or_default(),
            None
        );
        store
            .forget("ana@example.com".into())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            store
                .account_get("ana@example.com".into(), "code_channel")
                .await
                .unwrap_or_default(),
            None
        );
    }
}
