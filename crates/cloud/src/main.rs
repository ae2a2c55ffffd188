//! `hik-cloud`: the simulated Hik-Connect cloud, standalone.
//!
//! Settings come in layers: protocol defaults, then an optional TOML file
//! (`--config`), then environment variables and flags (flags win).

use clap::Parser;
use hik_cloud::{Config, DeliveryConfig, Region, Rules, Smtp, SmtpSecurity};
use std::net::SocketAddr;
use std::path::PathBuf;

/// The simulated Hik-Connect cloud: account service, verification codes,
/// sessions and devices over HTTP, with an optional QA surface under /qa/.
/// Every setting not given here can be set in the TOML file (see
/// hik-cloud.example.toml).
#[derive(Parser, Debug)]
#[command(name = "hik-cloud", version)]
struct Args {
    /// TOML file with regions, rules and delivery settings.
    #[arg(long, env = "HIK_CLOUD_CONFIG")]
    config: Option<PathBuf>,
    /// Serve one region with every area on this address (replaces the file's
    /// regions). Default 127.0.0.1:8080 when the file names no region.
    #[arg(long, env = "HIK_CLOUD_LISTEN")]
    listen: Option<SocketAddr>,
    /// The address clients are told to dial for the --listen region (its
    /// apiDomain): host or host:port. Needed when --listen is a wildcard
    /// address such as 0.0.0.0:8443.
    #[arg(long, env = "HIK_CLOUD_PUBLIC", requires = "listen")]
    public: Option<String>,
    /// Serve the --listen region over HTTPS with this certificate (PEM chain).
    #[arg(long, env = "HIK_CLOUD_TLS_CERT", requires_all = ["listen", "tls_key"])]
    tls_cert: Option<PathBuf>,
    /// The private key (PEM) of --tls-cert.
    #[arg(long, env = "HIK_CLOUD_TLS_KEY", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Serve HTTPS with a certificate made at start by a new local CA, for
    /// every region without a certificate of its own; write the CA's
    /// certificate to this file for clients to trust.
    #[arg(long, env = "HIK_CLOUD_GENERATE_CA")]
    generate_ca: Option<PathBuf>,
    /// Where the state is kept: a SQLite file (one instance), or a
    /// postgres:// URL that any number of instances share. Created or migrated
    /// at start [default: ./hik-cloud.db].
    #[arg(long, env = "HIK_CLOUD_DB")]
    db: Option<String>,
    /// Connections to PostgreSQL this instance keeps, 1 to 256 [default: 8].
    #[arg(long, env = "HIK_CLOUD_DB_POOL")]
    db_pool: Option<usize>,
    /// Serve the QA surface (/qa/: outbox, inbox page, clock, faults, accounts,
    /// captcha answers, reset). Never on a shared network: it shows every code.
    #[arg(long, env = "HIK_CLOUD_QA", action = clap::ArgAction::SetTrue,
          value_parser = clap::builder::BoolishValueParser::new())]
    qa: bool,
    /// Allow --qa on an address other machines reach. Anyone who reaches the
    /// cloud can then read every code and captcha answer, make accounts and
    /// move the clock: only on a network where everyone may.
    #[arg(long, env = "HIK_CLOUD_UNSAFE_QA_ON_NETWORK", action = clap::ArgAction::SetTrue,
          value_parser = clap::builder::BoolishValueParser::new())]
    unsafe_qa_on_network: bool,
    /// The language of `meta.message`: `request` (the request's `lang`
    /// header, the default), `zh` (Chinese for everyone, as the real
    /// service), or `en`. Overrides `messages` under `[rules]`.
    #[arg(long, env = "HIK_CLOUD_MESSAGES", value_parser = ["request", "en", "zh"])]
    messages: Option<String>,
    /// Accounts to make at start (TOML, one [[account]] table each with the
    /// fields of POST /qa/accounts); existing ones are left as they are.
    #[arg(long, env = "HIK_CLOUD_SEED")]
    seed: Option<PathBuf>,
    /// SMTP server for email, as host:port (plain SMTP unless --smtp-security).
    #[arg(long, env = "HIK_CLOUD_SMTP")]
    smtp: Option<String>,
    /// none, starttls or tls.
    #[arg(long, env = "HIK_CLOUD_SMTP_SECURITY", value_parser = ["none", "starttls", "tls"])]
    smtp_security: Option<String>,
    /// SMTP user name.
    #[arg(long, env = "HIK_CLOUD_SMTP_USER")]
    smtp_user: Option<String>,
    /// SMTP password (prefer the environment variable to the flag).
    #[arg(long, env = "HIK_CLOUD_SMTP_PASSWORD", hide_env_values = true)]
    smtp_password: Option<String>,
    /// Sender of email [default: Hik-Connect <noreply@hik-connect.example>].
    #[arg(long, env = "HIK_CLOUD_SMTP_FROM")]
    smtp_from: Option<String>,
    /// URL that receives SMS as a JSON POST {"id","to","body","bizType","code"}.
    #[arg(long, env = "HIK_CLOUD_SMS_WEBHOOK")]
    sms_webhook: Option<String>,
}

/// The TOML file: every key optional.
#[derive(serde::Deserialize, Default, Debug)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    db: Option<String>,
    db_pool: Option<usize>,
    qa: Option<bool>,
    generate_ca: Option<PathBuf>,
    #[serde(default)]
    region: Vec<Region>,
    rules: Option<Rules>,
    delivery: Option<DeliveryConfig>,
}

fn read_file(path: &std::path::Path) -> Result<FileSettings, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Defaults, then the file, then environment and flags.
fn settings(args: &Args, file: FileSettings) -> Result<Config, String> {
    let db = args
        .db
        .clone()
        .or(file.db)
        .unwrap_or_else(|| "./hik-cloud.db".into());
    let db = hik_cloud::Location::parse(&db);
    let default_listen = SocketAddr::from(([127, 0, 0, 1], 8080));
    let mut config = Config::new(args.listen.unwrap_or(default_listen), db);
    if args.listen.is_none() && !file.region.is_empty() {
        config.regions = file.region;
    }
    if args.listen.is_some() {
        let region = &mut config.regions[0];
        region.public.clone_from(&args.public);
        region.tls = match (&args.tls_cert, &args.tls_key) {
            (Some(cert), Some(key)) => Some(hik_cloud::TlsFiles {
                cert: cert.clone(),
                key: key.clone(),
            }),
            _ => None,
        };
    }
    config.generate_ca = args.generate_ca.clone().or(file.generate_ca);
    if let Some(pool) = args.db_pool.or(file.db_pool) {
        config.db_pool = pool;
    }
    config.qa = args.qa || file.qa.unwrap_or(false);
    config.qa_on_network = args.unsafe_qa_on_network;
    if let Some(path) = &args.seed {
        config.seed = hik_cloud::Seed::read(path)?;
    }
    config.rules = file.rules.unwrap_or_default();
    if let Some(m) = args
        .messages
        .as_deref()
        .and_then(hik_cloud::Messages::parse)
    {
        config.rules.messages = m;
    }
    config.delivery = file.delivery.unwrap_or_default();
    if let Some(hostport) = &args.smtp {
        let (host, port) = hostport
            .rsplit_once(':')
            .and_then(|(h, p)| Some((h.to_owned(), p.parse::<u16>().ok()?)))
            .ok_or_else(|| format!("--smtp {hostport:?} is not host:port"))?;
        config.delivery.smtp = Some(Smtp {
            host,
            port,
            security: SmtpSecurity::None,
            username: None,
            password: None,
            from: "Hik-Connect <noreply@hik-connect.example>".into(),
        });
    }
    if let Some(smtp) = &mut config.delivery.smtp {
        if let Some(s) = &args.smtp_security {
            smtp.security = match s.as_str() {
                "starttls" => SmtpSecurity::StartTls,
                "tls" => SmtpSecurity::Tls,
                _ => SmtpSecurity::None,
            };
        }
        smtp.username = args.smtp_user.clone().or(smtp.username.take());
        smtp.password = args.smtp_password.clone().or(smtp.password.take());
        smtp.from = args
            .smtp_from
            .clone()
            .unwrap_or(std::mem::take(&mut smtp.from));
    }
    if let Some(url) = &args.sms_webhook {
        config.delivery.sms_webhook = Some(url.clone());
    }
    config.validate()?;
    Ok(config)
}

/// What a person starting this cloud must hear before it serves: sign-up is
/// open to anyone who reaches it, so a real transport sends mail or SMS to
/// any address typed in; a QA surface off loopback shows every code.
fn warnings(config: &Config) -> Vec<String> {
    let mut out = Vec::new();
    let off_loopback = config.off_loopback().is_some();
    let mut transports = Vec::new();
    if config.delivery.smtp.is_some() {
        transports.push("email by SMTP");
    }
    if config.delivery.sms_webhook.is_some() {
        transports.push("SMS by the webhook");
    }
    if !transports.is_empty() {
        out.push(format!(
            "{} is on and sign-up is open: anyone who reaches this cloud{} can make it \
             send codes to any address or number they type (SECURITY.md)",
            transports.join(" and "),
            if off_loopback {
                ", from other machines too,"
            } else {
                ""
            }
        ));
    }
    if config.qa && off_loopback {
        out.push(
            "the QA surface is served to other machines (--unsafe-qa-on-network): anyone \
             who reaches this cloud can read every code, make accounts and move the clock"
                .into(),
        );
    }
    out
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
    let file = match &args.config {
        Some(path) => read_file(path),
        None => Ok(FileSettings::default()),
    };
    let config = match file.and_then(|f| settings(&args, f)) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("hik-cloud: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let qa = config.qa;
    for warning in warnings(&config) {
        eprintln!("hik-cloud: warning: {warning}");
    }
    let generate_ca = config.generate_ca.clone();
    let database = match &config.db {
        hik_cloud::Location::File(_) => format!("{} (SQLite)", config.db),
        hik_cloud::Location::Postgres(_) => format!(
            "{} (PostgreSQL, {} connections; shared with any other instance on it)",
            config.db, config.db_pool
        ),
    };
    let email = config
        .delivery
        .smtp
        .as_ref()
        .map_or("outbox only".to_owned(), |s| {
            format!("SMTP {}:{}", s.host, s.port)
        });
    let sms = config
        .delivery
        .sms_webhook
        .clone()
        .unwrap_or_else(|| "outbox only".into());
    let cloud = match hik_cloud::spawn(config).await {
        Ok(c) => c,
        Err(e) => {
            eprintln!("hik-cloud: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    for (name, url) in cloud.region_urls() {
        println!("hik-cloud region {name} listening on {url}");
    }
    if let Some(ca) = &generate_ca {
        println!(
            "HTTPS certificates made by a new local CA; clients must trust {}",
            ca.display()
        );
    }
    for seeded in cloud.seeded() {
        match seeded {
            hik_cloud::Seeded::Created(account) => println!("seed: made account {account}"),
            hik_cloud::Seeded::Kept(account) => {
                println!("seed: account {account} exists; left as it is")
            }
        }
    }
    println!("database: {database}");
    println!("email: {email}; SMS: {sms}");
    if qa {
        println!("QA inbox: {}/qa/inbox", cloud.url());
    }
    let _ = tokio::signal::ctrl_c().await;
    cloud.shutdown().await;
    std::process::ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn args(extra: &[&str]) -> Args {
        Args::parse_from(std::iter::once("hik-cloud").chain(extra.iter().copied()))
    }

    #[test]
    fn the_example_file_parses_and_every_layer_applies() {
        let file = read_file(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/hik-cloud.example.toml"
        )))
        .unwrap();
        let config = settings(&args(&[]), file).unwrap();
        assert_eq!(config.regions.len(), 2);
        assert_eq!(config.regions[1].areas, [1, 55, 61]);
        assert_eq!(config.rules.code_length, 6);
        assert_eq!(config.rules.lock_secs, 1200);
        assert!(config.qa);

        let file = read_file(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/hik-cloud.example.toml"
        )))
        .unwrap();
        let flags = args(&[
            "--listen",
            "127.0.0.1:9000",
            "--smtp",
            "mail.local:2525",
            "--smtp-security",
            "starttls",
            "--sms-webhook",
            "http://127.0.0.1:9/sms",
            "--smtp-password",
            "hunter2-secret",
        ]);
        let config = settings(&flags, file).unwrap();
        assert_eq!(config.regions.len(), 1, "--listen makes one region");
        let smtp = config.delivery.smtp.unwrap();
        assert_eq!(
            (smtp.host.as_str(), smtp.port, smtp.security),
            ("mail.local", 2525, SmtpSecurity::StartTls)
        );
        assert_eq!(smtp.password.as_deref(), Some("hunter2-secret"));
        assert!(
            !format!("{smtp:?}").contains("hunter2"),
            "the password never prints"
        );
        assert_eq!(
            config.delivery.sms_webhook.as_deref(),
            Some("http://127.0.0.1:9/sms")
        );
    }

    #[test]
    fn bad_settings_are_refused_with_their_name() {
        let bad: FileSettings = toml::from_str("[rules]\ncode_length = 12").unwrap();
        assert!(settings(&args(&[]), bad)
            .unwrap_err()
            .contains("code_length"));
        let unknown = toml::from_str::<FileSettings>("[rules]\ncode_lenght = 6")
            .unwrap_err()
            .to_string();
        assert!(unknown.contains("code_lenght"), "{unknown}");
        assert!(settings(&args(&["--smtp", "nohost"]), FileSettings::default()).is_err());
    }

    #[test]
    fn qa_off_loopback_needs_the_loud_flag_and_is_warned_about() {
        let e = settings(
            &args(&[
                "--qa",
                "--listen",
                "0.0.0.0:8443",
                "--public",
                "cloud.example.net",
            ]),
            FileSettings::default(),
        )
        .unwrap_err();
        assert!(
            e.contains("0.0.0.0:8443") && e.contains("--unsafe-qa-on-network"),
            "{e}"
        );
        assert!(settings(
            &args(&["--qa", "--listen", "192.0.2.7:8443"]),
            FileSettings::default()
        )
        .is_err());
        let config = settings(
            &args(&[
                "--qa",
                "--unsafe-qa-on-network",
                "--listen",
                "0.0.0.0:8443",
                "--public",
                "cloud.example.net",
            ]),
            FileSettings::default(),
        )
        .unwrap();
        assert!(warnings(&config)[0].contains("every code"));
        let loopback = settings(
            &args(&["--qa", "--listen", "127.0.0.1:8443"]),
            FileSettings::default(),
        )
        .unwrap();
        assert!(warnings(&loopback).is_empty());
    }

    #[test]
    fn a_real_transport_with_open_sign_up_is_warned_about() {
        let config = settings(
            &args(&[
                "--smtp",
                "mail.local:25",
                "--sms-webhook",
                "http://127.0.0.1:9/sms",
            ]),
            FileSettings::default(),
        )
        .unwrap();
        let w = warnings(&config);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(
            w[0].contains("email by SMTP and SMS by the webhook")
                && w[0].contains("sign-up is open"),
            "{w:?}"
        );
    }

    #[test]
    fn the_seed_flag_reads_its_file_and_names_it_when_bad() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("seed.toml");
        std::fs::write(
            &good,
            "[[account]]\naccount = \"ana@example.com\"\npassword = \"Correct-Horse-9\"\n",
        )
        .unwrap();
        let config = settings(
            &args(&["--seed", good.to_str().unwrap()]),
            FileSettings::default(),
        )
        .unwrap();
        assert_eq!(config.seed.len(), 1);
        let bad = dir.path().join("bad.toml");
        std::fs::write(&bad, "[[account]]\npassword = \"x\"\n").unwrap();
        let e = settings(
            &args(&["--seed", bad.to_str().unwrap()]),
            FileSettings::default(),
        )
        .unwrap_err();
        assert!(e.contains("bad.toml") && e.contains("account"), "{e}");
    }

    #[test]
    fn a_wildcard_listen_address_needs_a_public_address() {
        let e = settings(
            &args(&["--listen", "0.0.0.0:8443"]),
            FileSettings::default(),
        )
        .unwrap_err();
        assert!(e.contains("wildcard") && e.contains("--public"), "{e}");
        let config = settings(
            &args(&["--listen", "0.0.0.0:8443", "--public", "cloud.example.net"]),
            FileSettings::default(),
        )
        .unwrap();
        assert_eq!(
            config.regions[0].public.as_deref(),
            Some("cloud.example.net")
        );
        for url in ["https://cloud.example.net", "0.0.0.0:9", "cloud example"] {
            let e = settings(
                &args(&["--listen", "0.0.0.0:8443", "--public", url]),
                FileSettings::default(),
            )
            .unwrap_err();
            assert!(e.contains("public address"), "{url}: {e}");
        }
        let v6: FileSettings = toml::from_str(
            "[[region]]\nname = \"v6\"\nlisten = \"[::]:8443\"\npublic = \"[2001:db8::1]:443\"\nareas = [44]",
        )
        .unwrap();
        assert!(settings(&args(&[]), v6).is_ok());
    }
}
