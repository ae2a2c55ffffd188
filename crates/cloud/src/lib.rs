//! The simulated Hik-Connect cloud: the account service of PROTOCOL.md over HTTP,
//! backed by SQLite, with an injectable clock and a QA surface for testers.
//!
//! `spawn` binds a listener (port 0 works) and serves until the returned handle is
//! shut down or dropped; the `hik-cloud` binary and the desktop app's embedded
//! cloud both go through it.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod accounts;
mod captcha;
mod clock;
mod config;
mod crypto;
mod db;
mod devices;
mod error;
mod http;
mod outbox;
mod password_policy;
mod protection;
mod qa;
mod sessions;
mod terminals;
mod verification;

pub use clock::Clock;
pub use config::{Config, Rules};

use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::oneshot;

/// Everything a request handler needs, shared by all of them.
pub(crate) struct Cloud {
    pub db: db::Db,
    pub clock: Clock,
    pub keys: crypto::Keys,
    pub hasher: crypto::PasswordHasher,
    pub rules: Rules,
    pub qa: bool,
    /// `http://host:port` of this region's listener, as the area list gives it.
    pub api_domain: String,
}

/// A cloud serving on a bound address until `shutdown` (or drop).
pub struct RunningCloud {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl RunningCloud {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// The base URL clients use, e.g. `http://127.0.0.1:8080`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
    /// Stop accepting, finish requests under way, and return when done.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.task).await;
    }
}

impl Drop for RunningCloud {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot open the database {path}: {source}")]
    Database {
        path: String,
        source: rusqlite::Error,
    },
    #[error("the start-up task failed: {0}")]
    Task(String),
    #[error("invalid setting: {0}")]
    Config(String),
}

/// Open the database (running migrations), bind the listener and serve.
pub async fn spawn(config: Config) -> Result<RunningCloud, StartError> {
    config.rules.validate().map_err(StartError::Config)?;
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|source| StartError::Listen {
            addr: config.listen,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| StartError::Listen {
        addr: config.listen,
        source,
    })?;
    let path = config.db_path.clone();
    let (db, secret) = tokio::task::spawn_blocking(move || db::Db::open(&path))
        .await
        .map_err(|e| StartError::Task(e.to_string()))?
        .map_err(|source| StartError::Database {
            path: config.db_path.display().to_string(),
            source,
        })?;
    let clock = config.clock.clone().unwrap_or_default();
    let cloud = Arc::new(Cloud {
        db,
        clock,
        keys: crypto::Keys::new(secret),
        hasher: crypto::PasswordHasher::new(&config.rules),
        rules: config.rules.clone(),
        qa: config.qa,
        api_domain: format!("http://{addr}"),
    });
    let app = http::router(cloud);
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let serve = axum::serve(listener, app).with_graceful_shutdown(async move {
            let _ = stopped.await;
        });
        if let Err(e) = serve.await {
            tracing::error!(error = %e, "cloud listener failed");
        }
    });
    tracing::info!(%addr, qa = config.qa, "simulated Hik-Connect cloud listening");
    Ok(RunningCloud {
        addr,
        stop: Some(stop),
        task,
    })
}
