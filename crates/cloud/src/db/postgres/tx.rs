//! A job's transaction on PostgreSQL: statements pipelined with BEGIN and
//! the deferred writes, `?N` placeholders rewritten to `$N`, rows and
//! parameters converted, a rollback when dropped uncommitted.

use super::{describe, is_conflict, is_lost, Connected, Link};
use crate::db::sql::{self, Effect, Param, Row, Sql, Value};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::{IsNull, ToSql, Type};

/// A job's transaction, statement by statement. It begins with the job's
/// first statement, in the same round trip (pipelined); deferred writes go
/// with the statement after them, or with the COMMIT; it is rolled back when
/// dropped uncommitted (a job that panicked, say).
pub(super) struct Tx<'a> {
    pub(super) link: &'a Link,
    pub(super) conn: Rc<Connected>,
    /// Set when the connection itself failed: the job is run again on a new one.
    pub(super) lost: Cell<bool>,
    /// Set when a statement failed for a conflict: the job is run again.
    pub(super) conflict: Cell<bool>,
    /// Whether BEGIN was sent and neither COMMIT nor ROLLBACK since.
    pub(super) open: Cell<bool>,
    /// Deferred writes, not sent yet.
    pub(super) pending: RefCell<Vec<(tokio_postgres::Statement, Vec<Param<'static>>)>>,
    /// What to do once committed.
    pub(super) effects: RefCell<Vec<Effect>>,
}

pub(super) type PgResult<T> = Result<T, tokio_postgres::Error>;

impl Tx<'_> {
    fn statement(&self, sql: &str) -> sql::Result<tokio_postgres::Statement> {
        self.link
            .statement(&self.conn, sql)
            .map_err(|e| self.error(&e))
    }

    /// In one round trip: BEGIN if this is the transaction's first
    /// statement, the deferred writes, then `last`. The first failure is the
    /// answer (PostgreSQL refuses everything after it).
    fn pipelined<T>(&self, last: impl std::future::Future<Output = PgResult<T>>) -> PgResult<T> {
        let begin = !self.open.replace(true);
        let pending = self.pending.take();
        let writes = pending.iter().map(|(st, params)| {
            let params: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as _).collect();
            async move { self.conn.client.execute(st, &params).await.map(drop) }
        });
        let begun = async {
            if begin {
                self.conn.client.batch_execute("BEGIN").await
            } else {
                Ok(())
            }
        };
        let (begun, written, result) = self
            .link
            .rt
            .block_on(async { tokio::join!(begun, futures_util::future::join_all(writes), last) });
        begun?;
        written.into_iter().collect::<PgResult<Vec<()>>>()?;
        result
    }

    fn run<T>(&self, query: impl std::future::Future<Output = PgResult<T>>) -> sql::Result<T> {
        self.pipelined(query).map_err(|e| self.error(&e))
    }

    pub(super) fn commit(self) -> PgResult<()> {
        if !self.open.get() && self.pending.borrow().is_empty() {
            return Ok(());
        }
        let committed = self.pipelined(self.conn.client.batch_execute("COMMIT"));
        if committed.is_ok() {
            self.open.set(false);
        }
        committed
    }

    fn error(&self, e: &tokio_postgres::Error) -> sql::Error {
        if is_lost(e) {
            self.lost.set(true);
        }
        if is_conflict(e) {
            self.conflict.set(true);
            return sql::Error::Conflict;
        }
        if e.code() == Some(&SqlState::UNIQUE_VIOLATION) {
            return sql::Error::Unique;
        }
        sql::Error::Database(format!("PostgreSQL: {}", describe(e)))
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open.replace(false) {
            // The connection goes back to the pool: never in a transaction.
            let _ = self
                .link
                .rt
                .block_on(self.conn.client.batch_execute("ROLLBACK"));
        }
    }
}

impl Sql for Tx<'_> {
    fn execute(&self, sql: &str, params: &[Param<'_>]) -> sql::Result<u64> {
        let st = self.statement(sql)?;
        let params: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as _).collect();
        self.run(self.conn.client.execute(&st, &params))
    }

    fn query(&self, sql: &str, params: &[Param<'_>]) -> sql::Result<Vec<Row>> {
        let st = self.statement(sql)?;
        let params: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as _).collect();
        let rows = self.run(self.conn.client.query(&st, &params))?;
        rows.iter().map(row).collect()
    }

    fn defer(&self, sql: &str, params: &[Param<'_>]) -> sql::Result<()> {
        let st = self.statement(sql)?;
        let owned = params.iter().cloned().map(Param::into_owned).collect();
        self.pending.borrow_mut().push((st, owned));
        Ok(())
    }

    /// In one statement, `SELECT pg_advisory_xact_lock(...), ...`, sent
    /// with the next one.
    fn lock_all(&self, keys: &[(&str, bool)]) -> sql::Result<()> {
        if keys.is_empty() {
            return Ok(());
        }
        let calls: Vec<String> = keys
            .iter()
            .enumerate()
            .map(|(i, (_, shared))| {
                let f = if *shared {
                    "pg_advisory_xact_lock_shared"
                } else {
                    "pg_advisory_xact_lock"
                };
                format!("{f}(hashtextextended(?{}, 0))", i + 1)
            })
            .collect();
        let sql = format!("SELECT {}", calls.join(", "));
        let params: Vec<Param<'_>> = keys.iter().map(|(k, _)| Param::from(*k)).collect();
        // Sent with the next statement: PostgreSQL runs them in order, and
        // that statement (READ COMMITTED) looks at the data once the locks
        // are held.
        self.defer(&sql, &params)
    }

    fn after_commit(&self, effect: Effect) {
        self.effects.borrow_mut().push(effect);
    }
}

/// `?1` as `$1`: the stores' statements are written with SQLite's
/// placeholders, which PostgreSQL spells with a dollar.
pub(super) fn placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quoted = false;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            quoted = !quoted;
        }
        if c == '?' && !quoted && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

fn row(r: &tokio_postgres::Row) -> sql::Result<Row> {
    let decode =
        |i: usize, e: tokio_postgres::Error| sql::Error::Decode(format!("column {i}: {e}"));
    let mut values = Vec::with_capacity(r.len());
    for (i, column) in r.columns().iter().enumerate() {
        let ty = column.type_();
        let value = match *ty {
            Type::INT8 => r.try_get::<_, Option<i64>>(i).map(|v| v.map(Value::Int)),
            Type::INT4 => r
                .try_get::<_, Option<i32>>(i)
                .map(|v| v.map(|v| Value::Int(v.into()))),
            Type::INT2 => r
                .try_get::<_, Option<i16>>(i)
                .map(|v| v.map(|v| Value::Int(v.into()))),
            Type::BOOL => r
                .try_get::<_, Option<bool>>(i)
                .map(|v| v.map(|v| Value::Int(v.into()))),
            Type::FLOAT8 => r.try_get::<_, Option<f64>>(i).map(|v| v.map(Value::Real)),
            Type::FLOAT4 => r
                .try_get::<_, Option<f32>>(i)
                .map(|v| v.map(|v| Value::Real(v.into()))),
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => r
                .try_get::<_, Option<String>>(i)
                .map(|v| v.map(Value::Text)),
            _ => {
                return Err(sql::Error::Decode(format!(
                    "column {i} ({}) has type {ty}, which the stores do not read",
                    column.name()
                )))
            }
        };
        values.push(value.map_err(|e| decode(i, e))?.unwrap_or(Value::Null));
    }
    Ok(Row(values))
}

/// Parameters take the type PostgreSQL inferred for their place: an integer
/// goes as INT2, INT4 or INT8 (or BOOL, or TEXT) as the statement needs.
impl ToSql for Param<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match (self, ty) {
            (Param::Null, _) => Ok(IsNull::Yes),
            (Param::Int(v), &Type::INT8) => v.to_sql(ty, out),
            (Param::Int(v), &Type::INT4) => i32::try_from(*v)?.to_sql(ty, out),
            (Param::Int(v), &Type::INT2) => i16::try_from(*v)?.to_sql(ty, out),
            (Param::Int(v), &Type::BOOL) => (*v != 0).to_sql(ty, out),
            #[allow(clippy::cast_precision_loss)]
            (Param::Int(v), &Type::FLOAT8) => (*v as f64).to_sql(ty, out),
            (Param::Int(v), _) => v.to_string().as_str().to_sql(ty, out),
            (Param::Real(v), &Type::FLOAT4) =>
            {
                #[allow(clippy::cast_possible_truncation)]
                (*v as f32).to_sql(ty, out)
            }
            (Param::Real(v), _) => v.to_sql(ty, out),
            (Param::Text(t), _) => t.as_ref().to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    tokio_postgres::types::to_sql_checked!();
}
