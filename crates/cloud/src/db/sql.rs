//! What the cloud's stores write against: one small interface to a database
//! transaction, which SQLite and PostgreSQL both implement. Statements are
//! written once, in the SQL both understand, with `?1`-style placeholders (the
//! PostgreSQL side rewrites them to `$1`). Integers are 64-bit on both sides;
//! a boolean is read as 0 or 1.

use std::borrow::Cow;

/// A value as a row holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

/// A statement's parameter.
#[derive(Clone, PartialEq)]
pub enum Param<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(Cow<'a, str>),
}

impl Param<'_> {
    /// The same parameter, owning its text.
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub fn into_owned(self) -> Param<'static> {
        match self {
            Self::Null => Param::Null,
            Self::Int(i) => Param::Int(i),
            Self::Real(f) => Param::Real(f),
            Self::Text(t) => Param::Text(Cow::Owned(t.into_owned())),
        }
    }
}

/// Parameters carry secrets (the outbox's copy of a code, say), and drivers
/// log them at debug level (tokio-postgres does): only their kind shows.
impl std::fmt::Debug for Param<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Null => f.write_str("NULL"),
            Self::Int(_) => f.write_str("<integer>"),
            Self::Real(_) => f.write_str("<real>"),
            Self::Text(t) => write!(f, "<text of {} bytes>", t.len()),
        }
    }
}

macro_rules! int_param {
    ($($t:ty),*) => {$(
        impl From<$t> for Param<'_> {
            fn from(v: $t) -> Self {
                Param::Int(i64::from(v))
            }
        }
    )*};
}
int_param!(i64, i32, u32, u16, u8, bool);

impl From<u64> for Param<'_> {
    fn from(v: u64) -> Self {
        Param::Int(i64::try_from(v).unwrap_or(i64::MAX))
    }
}
impl From<usize> for Param<'_> {
    fn from(v: usize) -> Self {
        Param::Int(i64::try_from(v).unwrap_or(i64::MAX))
    }
}
impl From<f64> for Param<'_> {
    fn from(v: f64) -> Self {
        Param::Real(v)
    }
}
impl<'a> From<&'a str> for Param<'a> {
    fn from(v: &'a str) -> Self {
        Param::Text(Cow::Borrowed(v))
    }
}
impl<'a> From<&'a String> for Param<'a> {
    fn from(v: &'a String) -> Self {
        Param::Text(Cow::Borrowed(v))
    }
}
impl From<String> for Param<'_> {
    fn from(v: String) -> Self {
        Param::Text(Cow::Owned(v))
    }
}
impl<'a, T: Into<Param<'a>>> From<Option<T>> for Param<'a> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Param::Null, Into::into)
    }
}
impl<'a> From<&'a Option<String>> for Param<'a> {
    fn from(v: &'a Option<String>) -> Self {
        v.as_deref().into()
    }
}

/// `params![a, b]`: a statement's parameters, each converted with `Param::from`.
macro_rules! params {
    () => { &[] as &[$crate::db::Param<'_>] };
    ($($p:expr),+ $(,)?) => { &[$($crate::db::Param::from($p)),+] as &[$crate::db::Param<'_>] };
}
pub(crate) use params;

/// Why a statement failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A unique constraint refused the row.
    #[error("a row with the same key exists")]
    Unique,
    /// PostgreSQL could not serialise this transaction with a concurrent one;
    /// the transaction is run again from the start.
    #[error("a concurrent transaction conflicted; retrying")]
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    Conflict,
    /// A value of the wrong type, or a missing row.
    #[error("{0}")]
    Decode(String),
    #[error("{0}")]
    Database(String),
}

pub type Result<T> = std::result::Result<T, Error>;

/// One row of a result.
#[derive(Debug, Clone, PartialEq)]
pub struct Row(pub Vec<Value>);

impl Row {
    /// Column `i` as a `T`.
    pub fn get<T: FromValue>(&self, i: usize) -> Result<T> {
        let v = self
            .0
            .get(i)
            .ok_or_else(|| Error::Decode(format!("no column {i}")))?;
        T::from_value(v).ok_or_else(|| Error::Decode(format!("column {i} is {v:?}")))
    }
}

/// A Rust value a column converts to.
pub trait FromValue: Sized {
    fn from_value(v: &Value) -> Option<Self>;
}

impl FromValue for i64 {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }
}
macro_rules! int_value {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            fn from_value(v: &Value) -> Option<Self> {
                i64::from_value(v).and_then(|i| <$t>::try_from(i).ok())
            }
        }
    )*};
}
int_value!(i32, u32, u64, u16, u8, usize);

impl FromValue for bool {
    fn from_value(v: &Value) -> Option<Self> {
        i64::from_value(v).map(|i| i != 0)
    }
}
impl FromValue for f64 {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Real(f) => Some(*f),
            #[allow(clippy::cast_precision_loss)]
            Value::Int(i) => Some(*i as f64),
            _ => None,
        }
    }
}
impl FromValue for String {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Text(s) => Some(s.clone()),
            _ => None,
        }
    }
}
impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Null => Some(None),
            v => T::from_value(v).map(Some),
        }
    }
}

/// A Rust value a whole row converts to: a single value (the first column),
/// a tuple (one column each), or a type of the stores' own.
pub trait FromRow: Sized {
    fn from_row(r: &Row) -> Result<Self>;
}

impl<T: FromValue> FromRow for T {
    fn from_row(r: &Row) -> Result<Self> {
        r.get(0)
    }
}

macro_rules! tuple_row {
    ($($t:ident $i:tt),+) => {
        impl<$($t: FromValue),+> FromRow for ($($t,)+) {
            fn from_row(r: &Row) -> Result<Self> {
                Ok(($(r.get::<$t>($i)?,)+))
            }
        }
    };
}
tuple_row!(A 0);
tuple_row!(A 0, B 1);
tuple_row!(A 0, B 1, C 2);
tuple_row!(A 0, B 1, C 2, D 3);
tuple_row!(A 0, B 1, C 2, D 3, E 4);
tuple_row!(A 0, B 1, C 2, D 3, E 4, F 5);
tuple_row!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple_row!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);

/// What a job does once its transaction has committed (waking the outbox's
/// sender, say): never for a transaction rolled back or run again.
pub type Effect = Box<dyn FnOnce() + Send>;

/// A transaction the stores run statements in.
pub trait Sql {
    /// Run a statement; returns how many rows it changed.
    fn execute(&self, sql: &str, params: &[Param<'_>]) -> Result<u64>;
    /// Run a query; returns its rows.
    fn query(&self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>>;
    /// A write whose outcome the job does not read: it may be sent later,
    /// together with the next statement or the commit (PostgreSQL pipelines
    /// them: one round trip for several). If it fails, the transaction fails
    /// at that point, so it is for writes that only a fault can refuse (never
    /// one whose unique key may be taken, say).
    fn defer(&self, sql: &str, params: &[Param<'_>]) -> Result<()> {
        self.execute(sql, params).map(drop)
    }

    /// Hold the locks named by `keys`, in order, until the transaction
    /// ends: each exclusive, or (`true`) shared with other shared holders.
    /// Where one thread runs every job (SQLite) there is nothing to wait for.
    fn lock_all(&self, keys: &[(&str, bool)]) -> Result<()> {
        let _ = keys;
        Ok(())
    }

    /// Hold the lock named `key` (see `lock_all`).
    fn lock(&self, key: &str, shared: bool) -> Result<()> {
        self.lock_all(&[(key, shared)])
    }

    /// Run `effect` once this transaction has committed; drop it if the
    /// transaction is rolled back or run again.
    fn after_commit(&self, effect: Effect);
}

impl dyn Sql + '_ {
    /// The only (or first) row; an error if there is none.
    pub fn one<T: FromRow>(&self, sql: &str, params: &[Param<'_>]) -> Result<T> {
        self.opt(sql, params)?
            .ok_or_else(|| Error::Decode("the query returned no row".into()))
    }

    /// The first row, if any.
    pub fn opt<T: FromRow>(&self, sql: &str, params: &[Param<'_>]) -> Result<Option<T>> {
        self.query(sql, params)?
            .first()
            .map(T::from_row)
            .transpose()
    }

    /// Every row, each converted by `f`.
    pub fn map<T>(
        &self,
        sql: &str,
        params: &[Param<'_>],
        f: impl FnMut(&Row) -> Result<T>,
    ) -> Result<Vec<T>> {
        self.query(sql, params)?.iter().map(f).collect()
    }
}
