//! The account flows as a state machine: logged out, a login waiting for the new
//! terminal's code (6002) or for room among the account's terminals (1069),
//! logged in. One lock around the state means one flow step at a time: a double
//! click cannot submit twice.

use crate::api::CloudApi;
use crate::error::StartStage;
use crate::locale::Language;
use crate::secrets::{SecretError, SecretStore};
use crate::store::LocalStore;
use crate::{ClientError, Rule};
use hik_proto::policy::PasswordCheck;
use hik_proto::wire::{Area, Contact, LoggedIn, LoginUser};
use hik_proto::{Account, AreaId, FeatureCode, PasswordDigest, VerifyCode};
use serde::Serialize;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::Mutex;

const FEATURE_CODE: &str = "featureCode";
const REFRESH_TOKEN: &str = "refreshToken";

pub struct EngineConfig {
    /// Base URL of the cloud, e.g. `http://127.0.0.1:8080`.
    pub cloud_url: String,
    /// A CA certificate (PEM) to trust beside the OS's, for an HTTPS cloud
    /// with a CA of its own.
    pub cloud_ca: Option<PathBuf>,
    /// Folder for the local database.
    pub data_dir: PathBuf,
    pub secrets: Arc<dyn SecretStore>,
    /// The QA inbox page, when the cloud serves one (shown to people).
    pub qa_inbox_url: Option<String>,
    /// The token the cloud's QA surface needs, if any.
    pub qa_token: Option<String>,
    /// The app's language at start (the cloud writes in it).
    pub language: Language,
}

/// What the home screen shows about the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Home {
    pub user_id: String,
    pub username: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub area_id: u32,
}

impl From<LoginUser> for Home {
    fn from(u: LoginUser) -> Self {
        Self {
            user_id: u.user_id,
            username: u.username,
            email: u.email,
            phone: u.phone,
            area_id: u.area_id,
        }
    }
}

/// A terminal of the account as the UI sees it: no fingerprint. Its
/// `featureCode` (with the password, the way past the verification code)
/// stays in the engine, which maps the ids the UI picks back to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Terminal {
    pub terminal_id: i64,
    pub name: String,
    pub client_type: u32,
    pub add_time: i64,
    pub last_modifytime: i64,
    pub ip: String,
    /// Whether this is the terminal the app runs on.
    pub current: bool,
}

/// Everything the UI needs at start and after each step.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    pub cloud_url: String,
    pub qa_inbox_url: Option<String>,
    /// Whether this terminal is remembered (fingerprint kept in the keyring).
    pub terminal_remembered: bool,
    pub keyring_problem: Option<String>,
    pub last_account: Option<String>,
    pub last_area: Option<u32>,
    pub home: Option<Home>,
    pub pending_contact: Option<Contact>,
}

enum State {
    LoggedOut,
    /// The password was right but the terminal is new: kept in memory only until
    /// the code is entered or the person goes back.
    AwaitingTerminalCode {
        account: Account,
        digest: PasswordDigest,
        contact: Option<Contact>,
    },
    /// 1069: the password was right but the account is full; `temp_id` lets
    /// terminals be removed without a session.
    AwaitingTerminalRemoval {
        account: Account,
        digest: PasswordDigest,
        temp_id: String,
    },
    LoggedIn {
        session_id: String,
        /// Kept in memory too, so a session can be renewed when the keyring
        /// cannot keep it.
        refresh: String,
        home: Home,
    },
}

mod devices;
mod language;
mod login;
mod qa;
mod security;
mod session;

pub use devices::{Camera, CameraList, Device, DeviceList};
pub use hik_proto::Channel;
pub use language::saved_language;
pub use login::LoginOutcome;
pub use qa::QaView;
pub use security::{CodePurpose, Removed, Security};

pub struct Engine {
    api: CloudApi,
    secrets: Arc<dyn SecretStore>,
    store: LocalStore,
    feature: FeatureCode,
    keyring_problem: Option<String>,
    /// The refresh token the last run kept, until `resume` uses it.
    kept_refresh: std::sync::Mutex<Option<String>>,
    /// The fingerprints of the terminals last listed to the UI, by id.
    terminal_signs: std::sync::Mutex<std::collections::HashMap<i64, FeatureCode>>,
    terminal_name: String,
    qa_inbox_url: Option<String>,
    /// Whether the remembered region has been looked up since start.
    routed: std::sync::atomic::AtomicBool,
    /// Whether the cloud serves the QA surface, once known.
    qa: tokio::sync::OnceCell<bool>,
    state: Mutex<State>,
}

async fn blocking<R: Send + 'static>(
    f: impl FnOnce() -> Result<R, SecretError> + Send + 'static,
) -> Result<R, SecretError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| SecretError(e.to_string()))?
}

/// The cloud client, trusting `cloud_ca` when one is given; a CA file that
/// cannot be used stops the start, naming the file.
fn api_for(config: &EngineConfig, feature: FeatureCode) -> Result<CloudApi, ClientError> {
    let Some(path) = &config.cloud_ca else {
        return CloudApi::new(&config.cloud_url, feature, None);
    };
    let unusable = |why: String| {
        ClientError::not_started(
            StartStage::CloudCa,
            Some(path),
            format!(
                "the cloud's CA certificate {} cannot be used: {why}",
                path.display()
            ),
        )
    };
    let pem = std::fs::read(path).map_err(|e| unusable(e.to_string()))?;
    CloudApi::new(&config.cloud_url, feature, Some(&pem)).map_err(|e| match e {
        ClientError::Protocol(why) => unusable(why),
        other => other,
    })
}

impl Engine {
    /// Open the local store and read the keyring once: this terminal's
    /// fingerprint (made on first use) and the refresh token of the last run.
    pub async fn open(config: EngineConfig) -> Result<Self, ClientError> {
        let db = config.data_dir.join("app.db");
        let store = LocalStore::open(&db)
            .map_err(|e| ClientError::not_started(StartStage::Database, Some(&db), e))?;
        let kept = load_secrets(Arc::clone(&config.secrets)).await;
        if let Some(p) = &kept.problem {
            tracing::warn!(problem = %p, "the keyring is unavailable: this terminal will not be remembered");
        }
        let api = api_for(&config, kept.feature.clone())?.with_qa_token(config.qa_token.clone());
        api.set_lang(config.language.cloud());
        Ok(Self {
            api,
            secrets: config.secrets,
            store,
            feature: kept.feature,
            keyring_problem: kept.problem,
            kept_refresh: std::sync::Mutex::new(kept.refresh),
            terminal_signs: std::sync::Mutex::default(),
            terminal_name: terminal_name(),
            qa_inbox_url: config.qa_inbox_url,
            routed: std::sync::atomic::AtomicBool::new(false),
            qa: tokio::sync::OnceCell::new(),
            state: Mutex::new(State::LoggedOut),
        })
    }

    pub fn feature_code(&self) -> &FeatureCode {
        &self.feature
    }

    /// The QA inbox page, when the cloud serves one.
    pub fn qa_inbox_url(&self) -> Option<&str> {
        self.qa_inbox_url.as_deref()
    }

    pub async fn status(&self) -> Result<Status, ClientError> {
        let state = self.state.lock().await;
        let (home, pending_contact) = match &*state {
            State::LoggedIn { home, .. } => (Some(home.clone()), None),
            State::AwaitingTerminalCode { contact, .. } => (None, contact.clone()),
            State::AwaitingTerminalRemoval { .. } | State::LoggedOut => (None, None),
        };
        Ok(Status {
            cloud_url: self.api.base(),
            qa_inbox_url: self.qa_inbox_url.clone(),
            terminal_remembered: self.keyring_problem.is_none(),
            keyring_problem: self.keyring_problem.clone(),
            last_account: self.store.get("last_account").await?,
            last_area: self
                .store
                .get("last_area")
                .await?
                .and_then(|a| a.parse().ok()),
            home,
            pending_contact,
        })
    }

    /// Pick up where the last run left off: a kept refresh token logs in silently.
    pub async fn resume(&self) -> Result<Option<Home>, ClientError> {
        let mut state = self.state.lock().await;
        if let State::LoggedIn { home, .. } = &*state {
            return Ok(Some(home.clone()));
        }
        let Some(token) = self.take_kept_refresh() else {
            return Ok(None);
        };
        self.ensure_region().await;
        let refreshed = match self.api.refresh(&token).await {
            Ok(r) => r,
            Err(ClientError::SessionEnded) => {
                self.forget_refresh_token().await;
                return Ok(None);
            }
            Err(e) => {
                // Not the token's fault (the cloud is away): keep it for a retry.
                self.keep_for_resume(token);
                return Err(e);
            }
        };
        let info = refreshed.session_info;
        self.keep_refresh_token(info.refresh_session_id.clone())
            .await;
        let home = match self.api.user_info(&info.session_id).await {
            Ok(reply) => Home::from(reply.user),
            Err(e) => {
                self.keep_for_resume(info.refresh_session_id);
                return Err(e);
            }
        };
        *state = State::LoggedIn {
            session_id: info.session_id,
            refresh: info.refresh_session_id,
            home: home.clone(),
        };
        Ok(Some(home))
    }

    /// Now on the cloud's clock (Unix seconds), read afresh from the cloud.
    /// Countdowns (resend, expiry) run on this time, never on a local guess.
    pub async fn sync_clock(&self) -> Result<i64, ClientError> {
        self.api.areas().await?;
        Ok(self.api.cloud_now())
    }

    /// Now on the cloud's clock as of its last reply, without asking it.
    pub fn cloud_now(&self) -> i64 {
        self.api.cloud_now()
    }

    pub async fn areas(&self) -> Result<Vec<Area>, ClientError> {
        Ok(self.api.areas().await?.area_list)
    }

    /// Log out: the cloud revokes the session and its refresh token; this side
    /// forgets both. Local state is cleared even if the cloud cannot be reached.
    pub async fn logout(&self) -> Result<(), ClientError> {
        let mut state = self.state.lock().await;
        let previous = std::mem::replace(&mut *state, State::LoggedOut);
        self.forget_refresh_token().await;
        if let State::LoggedIn { session_id, .. } = previous {
            match self.api.logout(&session_id).await {
                Ok(()) | Err(ClientError::SessionEnded | ClientError::Unauthorized) => {}
                Err(e) => tracing::warn!(error = %e, "the cloud did not hear the logout"),
            }
        }
        Ok(())
    }

    /// Talk to the region serving `area` (from the area list's apiDomain).
    async fn go_to_area(&self, area: AreaId) -> Result<Area, ClientError> {
        let found = self.find_area(area.get()).await?.ok_or_else(|| {
            ClientError::invalid(
                "region",
                Rule::Region,
                "this region is not offered by the cloud",
            )
        })?;
        self.api.set_base(&found.api_domain)?;
        self.routed
            .store(true, std::sync::atomic::Ordering::Relaxed);
        Ok(found)
    }

    /// An area of the cloud's area list, by id.
    async fn find_area(&self, id: u32) -> Result<Option<Area>, ClientError> {
        let areas = self.api.areas().await?.area_list;
        Ok(areas.into_iter().find(|a| a.id == id))
    }

    /// Once per run, go back to the region of the last account, if known. A
    /// failure leaves us where we are (the next login's 1100 would fix it).
    async fn ensure_region(&self) {
        use std::sync::atomic::Ordering;
        if self.routed.swap(true, Ordering::Relaxed) {
            return;
        }
        let last = self
            .store
            .get("last_area")
            .await
            .ok()
            .flatten()
            .and_then(|a| AreaId::parse(&a).ok());
        if let Some(area) = last {
            if self.go_to_area(area).await.is_err() {
                self.routed.store(false, Ordering::Relaxed);
            }
        }
    }

    async fn enter(
        &self,
        state: &mut State,
        account: &Account,
        logged_in: LoggedIn,
    ) -> Result<Home, ClientError> {
        let home = Home::from(logged_in.login_user);
        let refresh = logged_in.login_session.rf_session_id;
        // A token kept from the last run is stale once this login has its own.
        self.take_kept_refresh();
        self.keep_refresh_token(refresh.clone()).await;
        self.store
            .set("last_account", account.as_str().to_owned())
            .await?;
        self.store
            .set("last_area", logged_in.login_area.area_id.to_string())
            .await?;
        *state = State::LoggedIn {
            session_id: logged_in.login_session.session_id,
            refresh,
            home: home.clone(),
        };
        Ok(home)
    }

    fn take_kept_refresh(&self) -> Option<String> {
        self.kept_refresh.lock().ok()?.take()
    }

    fn keep_for_resume(&self, token: String) {
        if let Ok(mut kept) = self.kept_refresh.lock() {
            *kept = Some(token);
        }
    }

    async fn keep_refresh_token(&self, token: String) {
        if self.keyring_problem.is_some() {
            return;
        }
        let secrets = Arc::clone(&self.secrets);
        if let Err(e) = blocking(move || secrets.set(REFRESH_TOKEN, &token)).await {
            tracing::warn!(error = %e, "could not keep the refresh token");
        }
    }

    async fn forget_refresh_token(&self) {
        if self.keyring_problem.is_some() {
            return;
        }
        let secrets = Arc::clone(&self.secrets);
        if let Err(e) = blocking(move || secrets.delete(REFRESH_TOKEN)).await {
            tracing::warn!(error = %e, "could not forget the refresh token");
        }
    }
}

/// The policy's checks this side can make (the cloud only sees a digest), then
/// the digest that travels.
fn checked_password(password: &str) -> Result<PasswordDigest, ClientError> {
    if let Some(why) = PasswordCheck::of(password).explain() {
        return Err(ClientError::invalid("password", Rule::Password, why));
    }
    Ok(PasswordDigest::of_password(password))
}

fn parse_account(account: &str) -> Result<Account, ClientError> {
    Account::parse(account).map_err(|e| ClientError::unparsed("account", e))
}

fn parse_code(code: &str) -> Result<VerifyCode, ClientError> {
    VerifyCode::parse(code).map_err(|e| ClientError::unparsed("code", e))
}

fn parse_area(area: u32) -> Result<AreaId, ClientError> {
    AreaId::parse(&area.to_string()).map_err(|e| ClientError::unparsed("region", e))
}

/// What the keyring holds for this install, read in one go at start.
struct Kept {
    feature: FeatureCode,
    refresh: Option<String>,
    /// Why nothing can be remembered, when the keyring cannot be used.
    problem: Option<String>,
}

/// The fingerprint kept in the keyring, made on first use, and the refresh
/// token of the last run. A fingerprint made now is read back before it is
/// trusted: a store that only pretends to keep secrets fails there. With no
/// usable keyring, a fingerprint for this run only, and the reason.
async fn load_secrets(secrets: Arc<dyn SecretStore>) -> Kept {
    let result = blocking(move || {
        secrets.persistent()?;
        let kept = secrets
            .get(FEATURE_CODE)?
            .and_then(|v| FeatureCode::parse(&v).ok());
        let feature = match kept {
            Some(f) => f,
            None => {
                let f = FeatureCode::from_bytes(random_16());
                secrets.set(FEATURE_CODE, f.as_str())?;
                if secrets.get(FEATURE_CODE)?.as_deref() != Some(f.as_str()) {
                    return Err(SecretError(
                        "the keyring did not keep what was written to it".into(),
                    ));
                }
                f
            }
        };
        Ok((feature, secrets.get(REFRESH_TOKEN)?))
    })
    .await;
    match result {
        Ok((feature, refresh)) => Kept {
            feature,
            refresh,
            problem: None,
        },
        Err(e) => Kept {
            feature: FeatureCode::from_bytes(random_16()),
            refresh: None,
            problem: Some(e.to_string()),
        },
    }
}

fn random_16() -> [u8; 16] {
    let mut b = [0u8; 16];
    if getrandom::fill(&mut b).is_err() {
        // Fall back to time and address entropy only for the fingerprint, which
        // identifies rather than protects; never for secrets.
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        b = t.to_le_bytes();
    }
    b
}

/// The name this terminal shows in the account's terminal list.
fn terminal_name() -> String {
    let host = gethostname::gethostname();
    let host = host.to_string_lossy();
    let host = host.trim();
    let host = if host.is_empty() {
        "this computer"
    } else {
        host
    };
    format!("Hik-Connect Simulator on {host}")
}
