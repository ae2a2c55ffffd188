//! Start-up behind the window. The window and its login form come first; the
//! embedded cloud, the local database and the keyring are opened on a task
//! meanwhile, and every command waits for that task. The first command the
//! window sends, `start`, brings back everything it needs in one round trip.

use hik_client::{ClientError, Engine, EngineConfig, KeyringStore};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::watch;

/// Where the app's cloud and keyring are, as the command line or environment
/// said.
#[derive(Debug, Clone)]
pub struct Settings {
    pub cloud_url: Option<String>,
    pub data_dir: PathBuf,
    pub keyring_service: String,
}

/// What start-up made: the engine, and the embedded cloud, which must live as
/// long as the app.
struct Started {
    engine: Arc<Engine>,
    _cloud: Option<hik_cloud::RunningCloud>,
}

type Outcome = Option<Result<Arc<Started>, String>>;

/// The start-up task's outcome, once it has one; managed by Tauri.
pub struct Starting {
    ready: watch::Receiver<Outcome>,
}

impl Starting {
    /// Begin starting on the async runtime, and return at once.
    pub fn begin(settings: Settings) -> Self {
        let (done, ready) = watch::channel(None);
        tauri::async_runtime::spawn(async move {
            let began = Instant::now();
            let outcome = match start(settings).await {
                Ok(started) => {
                    tracing::info!(ms = began.elapsed().as_millis(), "started");
                    Ok(Arc::new(started))
                }
                Err(e) => {
                    tracing::error!(error = %e, "the app could not start");
                    Err(e)
                }
            };
            let _ = done.send(Some(outcome));
        });
        Self { ready }
    }

    /// The engine, waiting for start-up to finish; its failure, if it failed.
    pub async fn engine(&self) -> Result<Arc<Engine>, ClientError> {
        let mut ready = self.ready.clone();
        let outcome = ready
            .wait_for(Option::is_some)
            .await
            .map_err(|_| ClientError::NotStarted("start-up was interrupted".into()))?;
        match &*outcome {
            Some(Ok(started)) => Ok(Arc::clone(&started.engine)),
            Some(Err(why)) => Err(ClientError::NotStarted(why.clone())),
            None => Err(ClientError::NotStarted("start-up was interrupted".into())),
        }
    }
}

async fn start(settings: Settings) -> Result<Started, String> {
    let data_dir = settings.data_dir;
    std::fs::create_dir_all(&data_dir)
        .map_err(|e| format!("cannot create the data folder {}: {e}", data_dir.display()))?;
    let (cloud_url, cloud) = match settings.cloud_url {
        Some(url) => (url, None),
        None => {
            let began = Instant::now();
            let config = hik_cloud::Config::embedded(data_dir.join("embedded-cloud.db"));
            let cloud = hik_cloud::spawn(config)
                .await
                .map_err(|e| format!("the embedded cloud did not start: {e}"))?;
            tracing::info!(url = %cloud.url(), ms = began.elapsed().as_millis(), "embedded cloud started");
            (cloud.url(), Some(cloud))
        }
    };
    let qa_inbox_url = Some(format!("{}/qa/inbox", cloud_url.trim_end_matches('/')));
    let began = Instant::now();
    let engine = Engine::open(EngineConfig {
        cloud_url,
        data_dir,
        secrets: Arc::new(KeyringStore::new(settings.keyring_service)),
        qa_inbox_url,
    })
    .await
    .map_err(|e| e.to_string())?;
    tracing::info!(
        ms = began.elapsed().as_millis(),
        "engine opened (local database and keyring)"
    );
    Ok(Started {
        engine: Arc::new(engine),
        _cloud: cloud,
    })
}
