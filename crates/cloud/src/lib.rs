//! The simulated Hik-Connect cloud: the account service of docs/protocol.md over HTTP,
//! backed by SQLite, with an injectable clock and a QA surface for testers.
//!
//! `spawn` binds a listener (port 0 works) and serves until the returned handle is
//! shut down or dropped; the `hik-cloud` binary and the desktop app's embedded
//! cloud both go through it.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

// The rooms of the cloud, one per capability, each holding its types, its
// flows, its SQL and its routes (docs/architecture.md draws them and what
// may call what; scripts/check-layout holds them to it). Lowest first.
mod accounts;
mod audit;
mod codes;
mod delivery;
mod devices;
mod login;
mod notices;
mod protection;
mod qa;
mod sessions;
mod terminals;
mod users;
// The edge that puts the rooms' routes together.
mod api;

// Plumbing, below every room: it imports none of them.
mod clock;
mod config;
mod context;
mod crypto;
mod db;
mod error;
mod http;
mod openapi;
mod random;
mod regions;
#[cfg(feature = "tls")]
mod tls;

pub use clock::Clock;
pub use config::{
    Config, DeliveryConfig, Hashing, Messages, Region, Rules, Smtp, SmtpSecurity, TlsFiles,
};
pub use db::Location;
pub use delivery::Fault;
pub use qa::seed::{Seed, Seeded};

use std::net::SocketAddr;
use std::sync::Arc;

/// Lock `m` even if a panic poisoned it: every value the cloud keeps behind a
/// mutex (the fault table, the hashing queue) is whole between statements, so
/// a panic elsewhere never leaves state stuck behind a poisoned lock.
pub(crate) fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Everything a request handler needs, shared by all of them.
pub(crate) struct Cloud {
    pub db: db::Db,
    pub clock: Clock,
    pub keys: crypto::Keys,
    pub hasher: crypto::PasswordHasher,
    pub rules: Rules,
    pub qa: bool,
    /// The QA surface's token, when it needs one (`Config::qa_token`).
    pub qa_token: Option<String>,
    pub regions: Vec<RegionInfo>,
    pub postman: delivery::Postman,
    /// QA's endpoint faults (`POST /qa/faults` with a `path`).
    pub endpoint_faults: qa::endpoint_faults::EndpointFaults,
    /// The version of the shared QA state this instance's copy is of.
    pub qa_version: std::sync::atomic::AtomicI64,
}

impl Cloud {
    /// Take the shared QA state as the database has it.
    pub(crate) fn adopt(&self, s: &qa::state::Snapshot) {
        self.clock.set_offset(s.clock_offset);
        self.endpoint_faults.replace(s.endpoints.clone());
        self.qa_version
            .store(s.version, std::sync::atomic::Ordering::Relaxed);
    }

    /// When other instances share the database, read the QA state again: what
    /// QA changed through any of them holds here from this request on.
    pub(crate) async fn sync_qa_state(&self) -> Result<(), error::ApiError> {
        if self.qa && self.db.shared() {
            // One small read per request; the whole state only when it changed.
            let (offset, version) = self.db.read_pair(qa::state::CLOCK).await?;
            self.clock.set_offset(offset);
            let current = self.qa_version.load(std::sync::atomic::Ordering::Relaxed);
            if version != current {
                let snapshot = self.db.call(qa::state::load).await?;
                self.adopt(&snapshot);
            }
        }
        Ok(())
    }
}

/// A region as requests see it: its name, its `apiDomain` and its areas.
pub(crate) struct RegionInfo {
    pub name: String,
    /// The bare `host:port` clients are told to dial (never a URL).
    pub api_domain: String,
    pub areas: Vec<u32>,
}

/// One region's listener, as the caller of `spawn` sees it.
struct Listening {
    name: String,
    addr: SocketAddr,
    /// `https://api_domain` or `http://api_domain`.
    url: String,
}

/// A cloud serving its regions until `shutdown` (or drop).
pub struct RunningCloud {
    listeners: Vec<Listening>,
    /// What `Config::seed` did, account by account.
    seeded: Vec<Seeded>,
    stop: tokio::sync::watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl RunningCloud {
    /// The first region's socket address: where clients start.
    pub fn addr(&self) -> SocketAddr {
        self.listeners[0].addr
    }
    /// The first region's base URL on its public address, e.g.
    /// `http://127.0.0.1:8080` or `https://cloud.example.net:8443`.
    pub fn url(&self) -> String {
        self.listeners[0].url.clone()
    }
    /// Every region's name and base URL, in configuration order.
    pub fn region_urls(&self) -> Vec<(String, String)> {
        self.listeners
            .iter()
            .map(|l| (l.name.clone(), l.url.clone()))
            .collect()
    }
    /// What seeding did at start, account by account (empty without a seed).
    pub fn seeded(&self) -> &[Seeded] {
        &self.seeded
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
    #[error("cannot make the seed file's accounts: {0}")]
    Seed(String),
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
    let (db, secret) = db::Db::open(&config.db, config.db_pool)
        .await
        .map_err(|source| StartError::Database {
            path: config.db.to_string(),
            source,
        })?;
    let shared_qa = db
        .call(qa::state::load)
        .await
        .map_err(|_| StartError::Database {
            path: config.db.to_string(),
            source: db::OpenError::Unreadable("cannot read the QA state".into()),
        })?;
    let mut published = Vec::new();
    for (region, _, addr) in &bound {
        let domain = match region.public_host_port().map_err(StartError::Config)? {
            Some((host, port)) => format!("{host}:{}", port.unwrap_or(addr.port())),
            None => addr.to_string(),
        };
        published.push(domain);
    }
    let tls = tls_settings(&config, &bound, &published)?;
    let postman = delivery::Postman::new(&config.delivery);
    let cloud = Arc::new(Cloud {
        postman,
        endpoint_faults: qa::endpoint_faults::EndpointFaults::default(),
        qa_version: std::sync::atomic::AtomicI64::new(-1),
        db,
        clock: Clock::default(),
        keys: crypto::Keys::new(secret),
        hasher: crypto::PasswordHasher::new(&config.rules, config.hashing),
        rules: config.rules.clone(),
        qa: config.qa,
        qa_token: config.qa_token.clone(),
        regions: bound
            .iter()
            .zip(&published)
            .map(|((r, _, _), domain)| RegionInfo {
                name: r.name.clone(),
                api_domain: domain.clone(),
                areas: r.areas.clone(),
            })
            .collect(),
    });
    cloud.adopt(&shared_qa);
    let seeded = qa::seed::apply(&cloud, &config.seed).await.map_err(|e| {
        StartError::Seed(format!("{} (result code {})", e.message, e.code.number()))
    })?;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mut tasks = vec![
        tokio::spawn(delivery::run(
            Arc::downgrade(&cloud),
            config.delivery.clone(),
            stopped.clone(),
        )),
        tokio::spawn(delivery::tick(Arc::downgrade(&cloud), stopped.clone())),
    ];
    let mut listeners = Vec::new();
    let bound = bound.into_iter().zip(published).zip(tls);
    for (index, (((region, listener, addr), domain), tls)) in bound.enumerate() {
        let app = api::router(Arc::clone(&cloud), index);
        let scheme = if tls.is_some() { "https" } else { "http" };
        tasks.push(tokio::spawn(serve(listener, app, tls, stopped.clone())));
        let url = format!("{scheme}://{domain}");
        tracing::info!(region = %region.name, %addr, %url, qa = config.qa, "simulated Hik-Connect cloud listening");
        listeners.push(Listening {
            name: region.name.clone(),
            addr,
            url,
        });
    }
    Ok(RunningCloud {
        listeners,
        seeded,
        stop,
        tasks,
    })
}

#[cfg(feature = "tls")]
type Tls = tls::ServerConfig;
#[cfg(not(feature = "tls"))]
type Tls = std::convert::Infallible;

/// Each region's TLS settings (`None`: plain HTTP). Regions with files of their
/// own use them; with `generate_ca`, the others share one certificate for all
/// their public names, made by a new local CA.
#[cfg(feature = "tls")]
fn tls_settings(
    config: &Config,
    bound: &[(&Region, tokio::net::TcpListener, SocketAddr)],
    published: &[String],
) -> Result<Vec<Option<Tls>>, StartError> {
    let generated = match &config.generate_ca {
        Some(ca_out) => {
            let mut names: Vec<String> = bound
                .iter()
                .zip(published)
                .filter(|((r, _, _), _)| r.tls.is_none())
                .map(|(_, domain)| regions::host(domain).trim_matches(['[', ']']).to_owned())
                .collect();
            // Loopback too, so that tools on this machine can use the listen address.
            names.extend([
                "localhost".to_owned(),
                "127.0.0.1".to_owned(),
                "::1".to_owned(),
            ]);
            let made = tls::generate(&names, ca_out).map_err(StartError::Config)?;
            tracing::info!(ca = %ca_out.display(), names = ?names, "made a local CA and a certificate; clients must trust the CA");
            Some(made)
        }
        None => None,
    };
    bound
        .iter()
        .map(|(r, _, _)| match &r.tls {
            Some(files) => tls::load(files).map(Some).map_err(StartError::Config),
            None => Ok(generated.clone()),
        })
        .collect()
}

#[cfg(not(feature = "tls"))]
fn tls_settings(
    config: &Config,
    bound: &[(&Region, tokio::net::TcpListener, SocketAddr)],
    _published: &[String],
) -> Result<Vec<Option<Tls>>, StartError> {
    // `Config::validate` refused HTTPS settings already.
    let _ = config;
    Ok(bound.iter().map(|_| None).collect())
}

/// Serve one listener until `stopped`, over TLS when given settings.
async fn serve(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    tls: Option<Tls>,
    mut stopped: tokio::sync::watch::Receiver<bool>,
) {
    let result = match tls {
        None => {
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .with_graceful_shutdown(async move {
                let _ = stopped.wait_for(|s| *s).await;
            })
            .await
        }
        #[cfg(feature = "tls")]
        Some(config) => {
            let handle = axum_server::Handle::new();
            let on_stop = handle.clone();
            tokio::spawn(async move {
                let _ = stopped.wait_for(|s| *s).await;
                on_stop.graceful_shutdown(Some(std::time::Duration::from_secs(10)));
            });
            match listener.into_std() {
                Ok(std) => {
                    let rustls = axum_server::tls_rustls::RustlsConfig::from_config(config);
                    match axum_server::from_tcp_rustls(std, rustls) {
                        Ok(server) => {
                            server
                                .handle(handle)
                                .serve(app.into_make_service_with_connect_info::<SocketAddr>())
                                .await
                        }
                        Err(e) => Err(e),
                    }
                }
                Err(e) => Err(e),
            }
        }
        #[cfg(not(feature = "tls"))]
        Some(never) => match never {},
    };
    if let Err(e) = result {
        tracing::error!(error = %e, "cloud listener failed");
    }
}
