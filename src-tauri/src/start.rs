//! Start-up behind the window. The window and its login form come first; then
//! the embedded cloud, the local database and the keyring are opened, once, by
//! the first command, and every command waits for that. The first command the
//! window sends, `start`, brings back everything it needs in one round trip.

use hik_client::{ClientError, Engine, EngineConfig, KeyringStore, StartStage};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::OnceCell;

/// Where the app's cloud and keyring are, as the command line or environment
/// said.
#[derive(Debug, Clone)]
pub struct Settings {
    pub cloud_url: Option<String>,
    pub cloud_ca: Option<PathBuf>,
    pub data_dir: PathBuf,
    pub keyring_service: String,
    pub language: hik_client::Language,
}

/// What start-up made: the engine, and the embedded cloud, which must live as
/// long as the app.
struct Started {
    engine: Arc<Engine>,
    _cloud: Option<hik_cloud::RunningCloud>,
}

/// Start-up, run once, by the first command that needs the engine; managed by
/// Tauri. The window sends its first command (`start`) as its script begins,
/// and loads its words and paints its start screen while start-up runs.
pub struct Starting {
    settings: Settings,
    started: OnceCell<Result<Started, Failed>>,
}

impl Starting {
    pub fn new(settings: Settings) -> Self {
        Self {
            settings,
            started: OnceCell::new(),
        }
    }

    /// The engine, starting it if no command has yet (concurrent callers wait
    /// for the same start-up); its failure, if it failed.
    pub async fn engine(&self) -> Result<Arc<Engine>, ClientError> {
        let started = self
            .started
            .get_or_init(|| async {
                let began = Instant::now();
                let outcome = start(self.settings.clone()).await;
                match &outcome {
                    Ok(_) => tracing::info!(ms = began.elapsed().as_millis(), "started"),
                    Err(e) => tracing::error!(error = %e, "the app could not start"),
                }
                outcome
            })
            .await;
        match started {
            Ok(started) => Ok(Arc::clone(&started.engine)),
            Err(f) => Err(ClientError::NotStarted {
                stage: f.stage,
                path: f.path.clone(),
                why: f.why.clone(),
            }),
        }
    }
}

/// Why start-up failed, kept for every command that asks after it.
#[derive(Debug, Clone)]
struct Failed {
    stage: StartStage,
    path: Option<String>,
    why: String,
}

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.why)
    }
}

impl Failed {
    fn at(stage: StartStage, path: Option<&std::path::Path>, why: impl std::fmt::Display) -> Self {
        Self {
            stage,
            path: path.map(|p| p.display().to_string()),
            why: why.to_string(),
        }
    }
}

/// The cloud the app embeds: its database in the data folder, QA on. The
/// window's and `--serve-cloud`'s are this one; the window's QA surface
/// needs `qa_token`, which only the app and the inbox address it shows know.
pub async fn embedded_cloud(
    data_dir: &std::path::Path,
    qa_token: Option<String>,
) -> Result<hik_cloud::RunningCloud, String> {
    let mut config = hik_cloud::Config::embedded(data_dir.join("embedded-cloud.db"));
    config.qa_token = qa_token;
    hik_cloud::spawn(config)
        .await
        .map_err(|e| format!("the embedded cloud did not start: {e}"))
}

/// 128 random bits, in hex: the embedded cloud's QA token, new at each start.
fn qa_token() -> Result<String, Failed> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| {
        Failed::at(
            StartStage::Random,
            None,
            format!("cannot make the QA surface's token: {e}"),
        )
    })?;
    Ok(hex::encode(bytes))
}

async fn start(settings: Settings) -> Result<Started, Failed> {
    let data_dir = settings.data_dir;
    std::fs::create_dir_all(&data_dir).map_err(|e| {
        let why = format!("cannot create the data folder {}: {e}", data_dir.display());
        Failed::at(StartStage::DataFolder, Some(&data_dir), why)
    })?;
    let (cloud_url, cloud, qa_token) = match settings.cloud_url {
        Some(url) => (url, None, None),
        None => {
            let began = Instant::now();
            let token = qa_token()?;
            let cloud = embedded_cloud(&data_dir, Some(token.clone()))
                .await
                .map_err(|why| Failed::at(StartStage::EmbeddedCloud, None, why))?;
            tracing::info!(url = %cloud.url(), ms = began.elapsed().as_millis(), "embedded cloud started");
            (cloud.url(), Some(cloud), Some(token))
        }
    };
    let mut qa_inbox_url = format!("{}/qa/inbox", cloud_url.trim_end_matches('/'));
    if let Some(token) = &qa_token {
        qa_inbox_url.push_str(&format!("?qaToken={token}"));
    }
    let qa_inbox_url = Some(qa_inbox_url);
    let began = Instant::now();
    let engine = Engine::open(EngineConfig {
        cloud_url,
        cloud_ca: settings.cloud_ca,
        data_dir,
        secrets: Arc::new(KeyringStore::new(settings.keyring_service)),
        qa_inbox_url,
        qa_token,
        language: settings.language,
    })
    .await
    .map_err(|e| match e {
        ClientError::NotStarted { stage, path, why } => Failed { stage, path, why },
        other => Failed::at(StartStage::Database, None, other),
    })?;
    tracing::info!(
        ms = began.elapsed().as_millis(),
        "engine opened (local database and keyring)"
    );
    Ok(Started {
        engine: Arc::new(engine),
        _cloud: cloud,
    })
}
