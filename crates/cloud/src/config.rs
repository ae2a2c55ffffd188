//! Settings of the cloud. Every number of docs/protocol.md, "Rules" and "Codes" is a field of
//! `Rules`, with the protocol's figure as its default.

use std::net::SocketAddr;
use std::path::PathBuf;

/// One region: a listener with its own `apiDomain`, serving some areas.
/// Accounts belong to the region of the area they signed up in.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub name: String,
    pub listen: SocketAddr,
    /// What clients are told to dial (`apiDomain`): `host` or `host:port`,
    /// never a URL. Without a port, the listener's port. By default the
    /// listen address, which must then not be a wildcard (`0.0.0.0`, `[::]`).
    #[serde(default)]
    pub public: Option<String>,
    /// Serve HTTPS with this certificate and key (PEM files).
    #[serde(default)]
    pub tls: Option<TlsFiles>,
    /// Area ids (see `AREAS`) whose accounts live here.
    pub areas: Vec<u32>,
}

impl Region {
    pub fn new(name: impl Into<String>, listen: SocketAddr, areas: Vec<u32>) -> Self {
        Self {
            name: name.into(),
            listen,
            public: None,
            tls: None,
            areas,
        }
    }

    /// The public address's host and optional port, or why it is unusable.
    pub(crate) fn public_host_port(&self) -> Result<Option<(String, Option<u16>)>, String> {
        let Some(public) = self.public.as_deref().map(str::trim) else {
            return Ok(None);
        };
        let bad = |why: &str| {
            format!(
                "region {}: public address {public:?} {why} (it is what clients are told \
                 to dial: host or host:port, e.g. cloud.example.net:8443)",
                self.name
            )
        };
        if public.contains("://") || public.contains('/') {
            return Err(bad("is a URL, not a host"));
        }
        let (host, port) = match public.rsplit_once(':') {
            // A bracketed IPv6 literal, with or without a port.
            _ if public.starts_with('[') => match public.split_once(']') {
                Some((h, "")) => (format!("{h}]"), None),
                Some((h, p)) => match p.strip_prefix(':') {
                    Some(p) => (format!("{h}]"), Some(p)),
                    None => return Err(bad("has text after the IPv6 address")),
                },
                None => return Err(bad("has an unclosed [")),
            },
            Some((h, p)) if !h.contains(':') => (h.to_owned(), Some(p)),
            Some(_) => return Err(bad("is an IPv6 address without [brackets]")),
            None => (public.to_owned(), None),
        };
        let port = port
            .map(|p| p.parse::<u16>().map_err(|_| bad("has an invalid port")))
            .transpose()?;
        let host_ok = !host.is_empty()
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-.[]:".contains(&b));
        if !host_ok {
            return Err(bad("is not a host name or IP address"));
        }
        if host
            .trim_matches(|c| c == '[' || c == ']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_unspecified())
        {
            return Err(bad("is a wildcard address"));
        }
        Ok(Some((host, port)))
    }
}

/// A certificate (chain) and its private key, as PEM files.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

#[derive(Debug, Clone)]
pub struct Config {
    /// At least one; the first is where clients start (the area list is the
    /// same everywhere).
    pub regions: Vec<Region>,
    /// A SQLite file, or a PostgreSQL database shared by any number of instances.
    pub db: crate::Location,
    /// Serve the `/qa/` surface (outbox, inbox page, clock).
    pub qa: bool,
    /// Serve it on an address other machines reach too. Off, a QA surface on
    /// any address but loopback is refused at start: it has no
    /// authentication and shows every code (SECURITY.md).
    pub qa_on_network: bool,
    /// When set, every `/qa/` request must carry it, in the `X-Hik-Qa-Token`
    /// header or the `qaToken` query field: the desktop app's embedded cloud
    /// makes one at start, so that only the app (and the inbox address it
    /// shows its user) reaches the QA surface, not other users of the
    /// machine, who can reach its loopback port.
    pub qa_token: Option<String>,
    /// Accounts made at start when they do not exist (`--seed`).
    pub seed: crate::Seed,
    pub rules: Rules,
    /// Where messages go beyond the outbox.
    pub delivery: DeliveryConfig,
    pub hashing: Hashing,
    /// Serve every region that has no certificate of its own over HTTPS, with
    /// a certificate made at start by a new local CA whose certificate is
    /// written here (for clients to trust).
    pub generate_ca: Option<PathBuf>,
    /// With PostgreSQL: how many connections this instance keeps (a job holds
    /// one for a few round trips). Few enough that several instances stay
    /// well inside the server's `max_connections` (100 by default).
    pub db_pool: usize,
}

/// How passwords are hashed: on how many threads, and whether each keeps its
/// Argon2 memory (19 MiB by default) between hashes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hashing {
    pub workers: usize,
    /// Keep it: no allocation per login, for a cloud under load. Give it back
    /// after each hash: nothing held while idle, for a cloud inside a desktop
    /// app, where logins are rare and memory is the user's.
    pub keep_memory: bool,
}

impl Hashing {
    /// A standalone cloud: a thread per core, memory kept once used.
    pub fn server() -> Self {
        Self {
            workers: std::thread::available_parallelism().map_or(2, |n| n.get()),
            keep_memory: true,
        }
    }

    /// The desktop app's cloud: two threads at most, memory for one hash.
    pub fn desktop() -> Self {
        Self {
            workers: Self::server().workers.min(2),
            keep_memory: false,
        }
    }
}

/// Email by SMTP and SMS by an HTTP webhook, when configured; otherwise
/// messages stay in the outbox (for the QA inbox).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeliveryConfig {
    pub smtp: Option<Smtp>,
    /// SMS are POSTed as JSON `{"id", "to", "body", "bizType", "code"}` here.
    pub sms_webhook: Option<String>,
    /// Tries per message before it is marked failed, and the pause after the
    /// first failed try (doubling after each).
    pub attempts: u32,
    pub retry_delay_ms: u64,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        Self {
            smtp: None,
            sms_webhook: None,
            attempts: 3,
            retry_delay_ms: 500,
        }
    }
}

#[derive(Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Smtp {
    pub host: String,
    pub port: u16,
    #[serde(default)]
    pub security: SmtpSecurity,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
    /// The sender, e.g. `Hik-Connect <noreply@hik-connect.example>`.
    pub from: String,
}

/// Never print the SMTP password.
impl std::fmt::Debug for Smtp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Smtp")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("from", &self.from)
            .finish()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain SMTP (a local relay or test server).
    #[default]
    None,
    StartTls,
    Tls,
}

impl Config {
    /// A one-region cloud serving every area on `listen`, with the database at
    /// `db` (a SQLite file or a PostgreSQL URL), protocol defaults, QA off.
    pub fn new(listen: SocketAddr, db: impl Into<crate::Location>) -> Self {
        Self {
            regions: vec![Region::new(
                "Global",
                listen,
                AREAS.iter().map(|a| a.id).collect(),
            )],
            db: db.into(),
            qa: false,
            qa_on_network: false,
            qa_token: None,
            seed: crate::Seed::default(),
            rules: Rules::default(),
            delivery: DeliveryConfig::default(),
            hashing: Hashing::server(),
            generate_ca: None,
            db_pool: 8,
        }
    }

    /// The embedded default: loopback, a port the OS picks, QA surface on.
    /// What the desktop app starts when no cloud address is set, and what
    /// tests start one per test.
    /// Two regions, as the real service has several: Europe, and the Americas
    /// with Asia-Pacific.
    pub fn embedded(db: impl Into<crate::Location>) -> Self {
        let loopback = SocketAddr::from(([127, 0, 0, 1], 0));
        Self {
            regions: vec![
                Region::new("Europe", loopback, vec![44, 49, 33, 39]),
                Region::new("Americas and Asia-Pacific", loopback, vec![1, 55, 61]),
            ],
            qa: true,
            hashing: Hashing::desktop(),
            ..Self::new(loopback, db)
        }
    }

    /// The first region listening on an address other machines can reach
    /// (anything but loopback), if any.
    pub fn off_loopback(&self) -> Option<&Region> {
        self.regions.iter().find(|r| !r.listen.ip().is_loopback())
    }

    /// Every region has areas, every area is known and in one region at most.
    pub fn validate(&self) -> Result<(), String> {
        if !(1..=256).contains(&self.db_pool) {
            return Err(format!("db_pool is {}: 1 to 256 connections", self.db_pool));
        }
        if let Some(why) = smtp_unsupported(self.delivery.smtp.as_ref()) {
            return Err(why.into());
        }
        let tls_asked = self.generate_ca.is_some() || self.regions.iter().any(|r| r.tls.is_some());
        if tls_asked && !cfg!(feature = "tls") {
            return Err(
                "HTTPS was asked for, but this build of the cloud has no TLS \
                        (the `tls` feature)"
                    .into(),
            );
        }
        if self.regions.is_empty() {
            return Err("at least one region is needed".into());
        }
        let mut seen = std::collections::HashSet::new();
        for r in &self.regions {
            if r.areas.is_empty() {
                return Err(format!("region {} serves no area", r.name));
            }
            if r.public_host_port()?.is_none() && r.listen.ip().is_unspecified() {
                return Err(format!(
                    "region {} listens on {}, a wildcard address, which cannot be given \
                     to clients: set its public address (`public` in the region's \
                     settings, or --public), e.g. cloud.example.net",
                    r.name, r.listen
                ));
            }
            for a in &r.areas {
                if !AREAS.iter().any(|d| d.id == *a) {
                    return Err(format!("region {} names unknown area {a}", r.name));
                }
                if !seen.insert(*a) {
                    return Err(format!("area {a} is in two regions"));
                }
            }
        }
        if self.qa && !self.qa_on_network {
            if let Some(r) = self.off_loopback() {
                return Err(format!(
                    "the QA surface (--qa) is refused on {}, an address other machines \
                     can reach: it has no authentication, and anyone reaching it can read \
                     every code and captcha answer, make accounts and move the clock. \
                     Listen on loopback (127.0.0.1) for QA, or, on a network where \
                     everyone may do all that, add --unsafe-qa-on-network (SECURITY.md)",
                    r.listen
                ));
            }
        }
        self.rules.validate()
    }
}

#[derive(Debug, Clone, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rules {
    pub code_length: usize,
    /// Digits (the default), or digits and Crockford's letters.
    pub code_alphabet: hik_proto::CodeAlphabet,
    pub code_ttl_secs: i64,
    pub code_max_wrong: u32,
    pub send_cooldown_secs: i64,
    pub sends_per_hour: u32,
    /// Wrong passwords in a row before a captcha is required, and before a lock.
    pub captcha_after_failures: u32,
    pub lock_after_failures: u32,
    pub lock_secs: i64,
    /// How long a captcha image stays answerable.
    pub captcha_ttl_secs: i64,
    /// Bound terminals an account may have before a new one gets 1069.
    pub max_terminals: u32,
    pub session_ttl_secs: i64,
    pub refresh_ttl_secs: i64,
    /// Argon2id memory in KiB, passes and lanes.
    pub argon2_memory_kib: u32,
    pub argon2_passes: u32,
    pub argon2_lanes: u32,
    /// The language of `meta.message`: the request's (`"request"`, the
    /// default), or always `"zh"` as the real service does, or `"en"`.
    pub messages: Messages,
}

/// The language `meta.message` is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Messages {
    /// The language the request asks for (`lang` or `language` header),
    /// English when it asks for none.
    #[default]
    Request,
    En,
    /// Chinese for everyone, as the real service answers.
    Zh,
}

impl Messages {
    /// From the flag's word.
    pub fn parse(word: &str) -> Option<Self> {
        match word {
            "request" => Some(Self::Request),
            "en" => Some(Self::En),
            "zh" => Some(Self::Zh),
            _ => None,
        }
    }

    /// The language of `meta.message` for a request that asked for `asked`.
    pub fn for_request(self, asked: Option<hik_proto::lang::Lang>) -> hik_proto::lang::Lang {
        use hik_proto::lang::Lang;
        match self {
            Self::Request => asked.unwrap_or_default(),
            Self::En => Lang::En,
            Self::Zh => Lang::Zh,
        }
    }
}

impl Rules {
    /// Refuse settings the protocol cannot work with, naming the setting.
    pub fn validate(&self) -> Result<(), String> {
        // Ten years at most: times computed from the clock stay writable dates.
        const LONGEST: i64 = 10 * 365 * 24 * 3600;
        let lifetimes = [
            self.code_ttl_secs,
            self.send_cooldown_secs,
            self.lock_secs,
            self.captcha_ttl_secs,
            self.session_ttl_secs,
            self.refresh_ttl_secs,
        ];
        let checks: [(bool, &str); 9] = [
            (
                lifetimes.iter().all(|s| *s <= LONGEST) && self.lock_secs >= 0 && self.captcha_ttl_secs > 0,
                "every time setting (code_ttl_secs, send_cooldown_secs, lock_secs, captcha_ttl_secs, \
                 session_ttl_secs, refresh_ttl_secs) is at most 10 years, and captcha_ttl_secs positive",
            ),
            (
                (4..=8).contains(&self.code_length),
                "code_length must be 4 to 8",
            ),
            (self.code_ttl_secs > 0, "code_ttl_secs must be positive"),
            (
                self.code_max_wrong >= 2,
                "code_max_wrong must be at least 2",
            ),
            (
                self.send_cooldown_secs >= 0,
                "send_cooldown_secs must not be negative",
            ),
            (
                self.sends_per_hour >= 1,
                "sends_per_hour must be at least 1",
            ),
            (
                self.captcha_after_failures >= 1
                    && self.lock_after_failures > self.captcha_after_failures,
                "lock_after_failures must be more than captcha_after_failures (at least 1)",
            ),
            (
                self.session_ttl_secs > 0 && self.refresh_ttl_secs > 0,
                "token lifetimes must be positive",
            ),
            (self.max_terminals >= 1, "max_terminals must be at least 1"),
        ];
        match checks.iter().find(|(ok, _)| !ok) {
            Some((_, why)) => Err((*why).to_owned()),
            None => Ok(()),
        }
    }
}

impl Default for Rules {
    fn default() -> Self {
        Self {
            code_length: 6,
            code_alphabet: hik_proto::CodeAlphabet::Digits,
            code_ttl_secs: 10 * 60,
            code_max_wrong: 5,
            send_cooldown_secs: 60,
            sends_per_hour: 5,
            captcha_after_failures: 5,
            lock_after_failures: 10,
            lock_secs: 20 * 60,
            captcha_ttl_secs: 5 * 60,
            max_terminals: 10,
            session_ttl_secs: 24 * 3600,
            refresh_ttl_secs: 30 * 24 * 3600,
            argon2_memory_kib: 19 * 1024,
            argon2_passes: 2,
            argon2_lanes: 1,
            messages: Messages::Request,
        }
    }
}

/// One entry of the area list.
pub struct AreaDef {
    pub id: u32,
    pub name: &'static str,
    pub code: &'static str,
    pub telephone_code: &'static str,
}

/// The areas (countries) this cloud serves, each with its dialling code.
pub const AREAS: &[AreaDef] = &[
    AreaDef {
        id: 44,
        name: "United Kingdom",
        code: "GB",
        telephone_code: "44",
    },
    AreaDef {
        id: 49,
        name: "Germany",
        code: "DE",
        telephone_code: "49",
    },
    AreaDef {
        id: 33,
        name: "France",
        code: "FR",
        telephone_code: "33",
    },
    AreaDef {
        id: 39,
        name: "Italy",
        code: "IT",
        telephone_code: "39",
    },
    AreaDef {
        id: 1,
        name: "United States",
        code: "US",
        telephone_code: "1",
    },
    AreaDef {
        id: 61,
        name: "Australia",
        code: "AU",
        telephone_code: "61",
    },
    AreaDef {
        id: 55,
        name: "Brazil",
        code: "BR",
        telephone_code: "55",
    },
];

/// Why SMTP settings cannot run: this build has no SMTP delivery.
pub const NO_SMTP: &str = "this build of the cloud has no SMTP delivery (cargo feature `smtp`)";

/// Why a configuration with SMTP cannot run on this build, if it cannot.
pub fn smtp_unsupported(smtp: Option<&Smtp>) -> Option<&'static str> {
    (smtp.is_some() && !cfg!(feature = "smtp")).then_some(NO_SMTP)
}
