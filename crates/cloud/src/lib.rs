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
mod delivery;
mod devices;
mod error;
mod http;
mod mailer;
mod openapi;
mod outbox;
mod password_policy;
mod protection;
mod qa;
mod sessions;
mod terminals;
mod verification;

pub use clock::Clock;
pub use config::{Config, DeliveryConfig, Hashing, Region, Rules, Smtp, SmtpSecurity};
pub use delivery::Fault;

use std::net::SocketAddr;
use std::sync::Arc;

/// Everything a request handler needs, shared by all of them.
pub(crate) struct Cloud {
    pub db: db::Db,
    pub clock: Clock,
    pub keys: crypto::Keys,
    pub hasher: crypto::PasswordHasher,
    pub rules: Rules,
    pub qa: bool,
    pub regions: Vec<RegionInfo>,
    pub postman: delivery::Postman,
}

/// A region as requests see it: its name, its `apiDomain` and its areas.
pub(crate) struct RegionInfo {
    pub name: String,
    /// `http://host:port` of the region's listener.
    pub api_domain: String,
    pub areas: Vec<u32>,
}

/// A cloud serving its regions until `shutdown` (or drop).
pub struct RunningCloud {
    listeners: Vec<(String, SocketAddr)>,
    stop: tokio::sync::watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl RunningCloud {
    /// The first region's address: where clients start.
    pub fn addr(&self) -> SocketAddr {
        self.listeners[0].1
    }
    /// The first region's base URL, e.g. `http://127.0.0.1:8080`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr())
    }
    /// Every region's name and base URL, in configuration order.
    pub fn region_urls(&self) -> Vec<(String, String)> {
        self.listeners
            .iter()
            .map(|(name, addr)| (name.clone(), format!("http://{addr}")))
            .collect()
    }
    /// Stop accepting, finish requests under way, and return when done.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        for task in std::mem::take(&mut self.tasks) {
            let _ = task.await;
        }
    }
}

impl Drop for RunningCloud {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
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
    Database { path: String, source: db::OpenError },
    #[error("the start-up task failed: {0}")]
    Task(String),
    #[error("invalid setting: {0}")]
    Config(String),
}

/// Open the database (running migrations), bind every region's listener and serve.
pub async fn spawn(config: Config) -> Result<RunningCloud, StartError> {
    config.validate().map_err(StartError::Config)?;
    let mut bound = Vec::new();
    for region in &config.regions {
        let listen_error = |source| StartError::Listen {
            addr: region.listen,
            source,
        };
        let listener = tokio::net::TcpListener::bind(region.listen)
            .await
            .map_err(listen_error)?;
        let addr = listener.local_addr().map_err(listen_error)?;
        bound.push((region, listener, addr));
    }
    let path = config.db_path.clone();
    let (db, secret) = tokio::task::spawn_blocking(move || db::Db::open(&path))
        .await
        .map_err(|e| StartError::Task(e.to_string()))?
        .map_err(|source| StartError::Database {
            path: config.db_path.display().to_string(),
            source,
        })?;
    let (postman, queue) = delivery::Postman::new(&config.delivery);
    let cloud = Arc::new(Cloud {
        postman,
        db,
        clock: config.clock.clone().unwrap_or_default(),
        keys: crypto::Keys::new(secret),
        hasher: crypto::PasswordHasher::new(&config.rules, config.hashing),
        rules: config.rules.clone(),
        qa: config.qa,
        regions: bound
            .iter()
            .map(|(r, _, addr)| RegionInfo {
                name: r.name.clone(),
                api_domain: format!("http://{addr}"),
                areas: r.areas.clone(),
            })
            .collect(),
    });
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mut tasks = vec![
        tokio::spawn(delivery::run(
            Arc::downgrade(&cloud),
            queue,
            config.delivery.clone(),
        )),
        tokio::spawn(delivery::tick(Arc::downgrade(&cloud), stopped.clone())),
    ];
    let mut listeners = Vec::new();
    for (index, (region, listener, addr)) in bound.into_iter().enumerate() {
        let app = http::router(Arc::clone(&cloud), index);
        let mut stopped = stopped.clone();
        tasks.push(tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async move {
                let _ = stopped.wait_for(|s| *s).await;
            });
            if let Err(e) = serve.await {
                tracing::error!(error = %e, "cloud listener failed");
            }
        }));
        tracing::info!(region = %region.name, %addr, qa = config.qa, "simulated Hik-Connect cloud listening");
        listeners.push((region.name.clone(), addr));
    }
    Ok(RunningCloud {
        listeners,
        stop,
        tasks,
    })
}
