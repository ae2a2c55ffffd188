//! `--serve-cloud`: the embedded cloud alone, without a window, for
//! WebDriver sessions whose apps share one cloud (scripts/webdriver-session).

use std::io::Write;
use std::path::Path;

/// Serve until Ctrl+C or SIGTERM; the error says why the cloud could not
/// start.
pub fn cloud(data_dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(data_dir)
        .map_err(|e| format!("cannot create the data folder {}: {e}", data_dir.display()))?;
    let runtime = tokio::runtime::Runtime::new()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(async {
        let cloud = crate::start::embedded_cloud(data_dir, None).await?;
        // One line per region, first region first: a script reads the
        // first line as the cloud's address.
        let mut out = std::io::stdout().lock();
        for (name, url) in cloud.region_urls() {
            writeln!(out, "{url} {name}").map_err(|e| e.to_string())?;
        }
        out.flush().map_err(|e| e.to_string())?;
        drop(out);
        stopped().await;
        tracing::info!("stopping the cloud");
        cloud.shutdown().await;
        Ok(())
    })
}

/// Ctrl+C, or SIGTERM where there is such a thing.
async fn stopped() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
