//! A fresh database for each cloud, on the backend the run chose, and a look
//! at what the cloud keeps in it.

use hik_cloud::Location;

/// The PostgreSQL server the run uses (`HIK_TEST_POSTGRES`), if any.
pub fn postgres_server() -> Option<String> {
    std::env::var("HIK_TEST_POSTGRES")
        .ok()
        .filter(|s| !s.is_empty())
}

/// A fresh, empty database: a file in `dir`, or a new database on the
/// server `HIK_TEST_POSTGRES` names.
pub async fn fresh(dir: &std::path::Path) -> Location {
    match postgres_server() {
        Some(server) => fresh_postgres(&server).await,
        None => Location::File(dir.join("cloud.db")),
    }
}

/// A new, empty database on the PostgreSQL server at `server`.
pub async fn fresh_postgres(server: &str) -> Location {
    let (client, connection) = tokio_postgres::connect(server, tokio_postgres::NoTls)
        .await
        .expect("HIK_TEST_POSTGRES names a PostgreSQL server that accepts connections");
    tokio::spawn(connection);
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = format!("hik_test_{}_{n}_{nanos}", std::process::id());
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let base = server.rsplit_once('/').map_or(server, |(b, _)| b);
    Location::Postgres(format!("{base}/{name}"))
}

/// Rows of text (or NULL) that `sql` reads straight from the database, to
/// look at what the cloud keeps.
pub async fn stored(db: &Location, sql: &str) -> Vec<Vec<Option<String>>> {
    match db {
        Location::File(path) => {
            let conn = rusqlite::Connection::open(path).unwrap();
            let mut st = conn.prepare(sql).unwrap();
            let n = st.column_count();
            st.query_map([], |r| {
                (0..n)
                    .map(|i| {
                        Ok(match r.get_ref(i)? {
                            rusqlite::types::ValueRef::Null => None,
                            rusqlite::types::ValueRef::Integer(v) => Some(v.to_string()),
                            v => Some(v.as_str()?.to_owned()),
                        })
                    })
                    .collect()
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
        }
        Location::Postgres(url) => {
            let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
                .await
                .unwrap();
            tokio::spawn(connection);
            let rows = client.simple_query(sql).await.unwrap();
            rows.iter()
                .filter_map(|m| match m {
                    tokio_postgres::SimpleQueryMessage::Row(r) => {
                        Some((0..r.len()).map(|i| r.get(i).map(str::to_owned)).collect())
                    }
                    _ => None,
                })
                .collect()
        }
    }
}
