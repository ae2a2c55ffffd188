//! The desktop shell: parses its configuration, starts the embedded cloud when no
//! cloud address is given, opens the engine and hands the window thin commands.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

#[cfg(test)]
mod bindings;
mod commands;

use clap::Parser;
use hik_client::{Engine, EngineConfig, KeyringStore};
use std::path::PathBuf;
use std::sync::Arc;
use tauri::Manager;

/// Hik-Connect account simulator (desktop app).
#[derive(Parser, Debug, Clone)]
#[command(name = "hik-connect-sim", version)]
struct Args {
    /// Base URL of a running hik-cloud. When absent, a cloud is started inside
    /// the app on a loopback port, its database in the data folder, QA on.
    #[arg(long, env = "HIK_CLOUD_URL")]
    cloud_url: Option<String>,
    /// Folder for the app's local database (and the embedded cloud's).
    #[arg(long, env = "HIK_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Keyring service name: the namespace of this install's secrets.
    #[arg(
        long,
        env = "HIK_KEYRING_SERVICE",
        default_value = "dev.hiksim.desktop"
    )]
    keyring_service: String,
}

/// The embedded cloud lives as long as the app.
struct EmbeddedCloud(#[allow(dead_code)] Option<hik_cloud::RunningCloud>);

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,hik_cloud=info,hik_client=info".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let args = Args::parse();

    let result = tauri::Builder::default()
        .setup(move |app| {
            let data_dir = match &args.data_dir {
                Some(d) => d.clone(),
                None => app.path().app_data_dir()?,
            };
            std::fs::create_dir_all(&data_dir)?;
            let (engine, cloud) = tauri::async_runtime::block_on(start(&args, data_dir))?;
            app.manage(engine);
            app.manage(EmbeddedCloud(cloud));
            Ok(())
        })
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("hik-connect-sim: {e}");
        std::process::exit(1);
    }
}

async fn start(
    args: &Args,
    data_dir: PathBuf,
) -> Result<(Arc<Engine>, Option<hik_cloud::RunningCloud>), Box<dyn std::error::Error>> {
    let (cloud_url, qa_inbox_url, cloud) = match &args.cloud_url {
        Some(url) => (
            url.clone(),
            Some(format!("{}/qa/inbox", url.trim_end_matches('/'))),
            None,
        ),
        None => {
            let config = hik_cloud::Config::embedded(data_dir.join("embedded-cloud.db"));
            let cloud = hik_cloud::spawn(config).await?;
            tracing::info!(url = %cloud.url(), "embedded cloud started");
            (
                cloud.url(),
                Some(format!("{}/qa/inbox", cloud.url())),
                Some(cloud),
            )
        }
    };
    let engine = Engine::open(EngineConfig {
        cloud_url,
        data_dir,
        secrets: Arc::new(KeyringStore::new(args.keyring_service.clone())),
        qa_inbox_url,
    })
    .await?;
    Ok((Arc::new(engine), cloud))
}
