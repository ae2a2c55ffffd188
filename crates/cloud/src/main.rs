//! `hik-cloud`: the simulated Hik-Connect cloud, standalone.

use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;

/// The simulated Hik-Connect cloud: account service, verification codes and
/// sessions over HTTP, with an optional QA surface under /qa/.
#[derive(Parser, Debug)]
#[command(name = "hik-cloud", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, env = "HIK_CLOUD_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// SQLite database file (created and migrated at start).
    #[arg(long, env = "HIK_CLOUD_DB", default_value = "./hik-cloud.db")]
    db: PathBuf,
    /// Serve the QA surface (/qa/outbox, /qa/inbox, /qa/clock). Never on a shared network.
    #[arg(
        long,
        env = "HIK_CLOUD_QA",
        action = clap::ArgAction::SetTrue,
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    qa: bool,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,hik_cloud=info".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let args = Args::parse();
    let mut config = hik_cloud::Config::new(args.listen, args.db);
    config.qa = args.qa;
    let cloud = match hik_cloud::spawn(config).await {
        Ok(c) => c,
        Err(e) => {
            eprintln!("hik-cloud: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    println!("hik-cloud listening on {}", cloud.url());
    if args.qa {
        println!("QA inbox: {}/qa/inbox", cloud.url());
    }
    let _ = tokio::signal::ctrl_c().await;
    cloud.shutdown().await;
    std::process::ExitCode::SUCCESS
}
