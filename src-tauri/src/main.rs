//! The desktop shell: parses its configuration, opens the window, starts the
//! embedded cloud (when no cloud address is given) and the engine behind it,
//! and hands the window thin commands.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

#[cfg(test)]
mod bindings;
mod commands;
/// The languages the app speaks, from the UI's catalogues (build.rs).
mod languages {
    include!(concat!(env!("OUT_DIR"), "/languages.rs"));
}
mod serve;
mod start;

use clap::Parser;
use hik_client::Language;
use std::path::PathBuf;
use tauri::Manager;

/// Hik-Connect account simulator (desktop app).
#[derive(Parser, Debug, Clone)]
#[command(name = "hik-connect-sim", version)]
struct Args {
    /// Base URL of a running hik-cloud. When absent, a cloud is started inside
    /// the app on a loopback port, its database in the data folder, QA on.
    #[arg(long, env = "HIK_CLOUD_URL")]
    cloud_url: Option<String>,
    /// A CA certificate (PEM) to trust, beside the system's, for a cloud
    /// served over HTTPS with a CA of its own (hik-cloud --generate-ca).
    #[arg(long, env = "HIK_CLOUD_CA", requires = "cloud_url")]
    cloud_ca: Option<PathBuf>,
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
    /// Open no window: serve the embedded cloud (QA on, its database in
    /// --data-dir) until interrupted, and print each region's address on
    /// standard output, the first region's first. For WebDriver sessions
    /// whose apps share one cloud (scripts/webdriver-session).
    #[arg(long, requires = "data_dir", conflicts_with_all = ["cloud_url", "cloud_ca"])]
    serve_cloud: bool,
    /// The app's language: en, zh-CN (any language the UI has a catalogue
    /// for), or a pseudo-locale for QA (en-XA, ar-XB). Without it, the
    /// language chosen in the app, else the OS's.
    #[arg(long, env = "HIK_LANG", value_parser = parse_language)]
    lang: Option<Language>,
}

fn parse_language(tag: &str) -> Result<Language, String> {
    Language::matching(tag, languages::SPOKEN).ok_or_else(|| {
        format!(
            "the app does not speak {tag:?}; it speaks {}",
            languages::SPOKEN.join(", ")
        )
    })
}

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
    if args.serve_cloud {
        let data_dir = args.data_dir.unwrap_or_default();
        if let Err(e) = serve::cloud(&data_dir) {
            eprintln!("hik-connect-sim: {e}");
            std::process::exit(1);
        }
        return;
    }

    let result = tauri::Builder::default()
        .setup(move |app| {
            // The window exists already; what it needs is opened when it asks.
            let data_dir = match &args.data_dir {
                Some(d) => d.clone(),
                None => app.path().app_data_dir()?,
            };
            let language = args.lang.clone().unwrap_or_else(|| {
                let saved = hik_client::engine::saved_language(&data_dir);
                let os = hik_client::locale::os_locale();
                Language::resolve(None, saved.as_deref(), os.as_deref(), languages::SPOKEN)
            });
            window::open(app, &language)?;
            app.manage(start::Starting::new(start::Settings {
                cloud_url: args.cloud_url.clone(),
                cloud_ca: args.cloud_ca.clone(),
                data_dir,
                keyring_service: args.keyring_service.clone(),
                language,
            }));
            #[cfg(target_os = "linux")]
            webview::lighten(app);
            Ok(())
        })
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("hik-connect-sim: {e}");
        std::process::exit(1);
    }
}

/// The main window, in the app's language from its first paint: its title,
/// and the language handed to the page before any of its scripts run.
mod window {
    use hik_client::Language;

    pub fn open(app: &tauri::App, language: &Language) -> tauri::Result<()> {
        let config = app
            .config()
            .app
            .windows
            .iter()
            .find(|w| w.label == "main")
            .cloned()
            .unwrap_or_default();
        tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?
            .title(crate::languages::title(language.tag()))
            .initialization_script(format!("window.__HIK_LANGUAGE__ = {:?};", language.tag()))
            .build()?;
        Ok(())
    }
}

/// WebKitGTK settings Tauri does not expose.
#[cfg(target_os = "linux")]
mod webview {
    use tauri::Manager;
    use webkit2gtk::{CacheModel, WebContextExt, WebViewExt};

    /// This is an app, not a browser: WebKit's document-viewer cache model
    /// keeps no page cache and small memory caches.
    pub fn lighten(app: &tauri::App) {
        let Some(window) = app.get_webview_window("main") else {
            return;
        };
        let set = window.with_webview(|webview| {
            if let Some(context) = webview.inner().context() {
                context.set_cache_model(CacheModel::DocumentViewer);
            }
        });
        if let Err(e) = set {
            tracing::warn!(error = %e, "could not set WebKit's cache model");
        }
    }
}
