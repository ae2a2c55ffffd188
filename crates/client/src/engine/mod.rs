//! The account flows as a state machine: logged out, a login waiting for the new
//! terminal's code (6002) or for room among the account's terminals (1069),
//! logged in. One lock around the state means one flow step at a time: a double
//! click cannot submit twice.

use crate::api::CloudApi;
use crate::secrets::{SecretError, SecretStore};
use crate::store::LocalStore;
use crate::ClientError;
use hik_proto::policy::PasswordCheck;
use hik_proto::wire::{Area, CodeSent, Contact, LoggedIn, LoginUser, TerminalInfo};
use hik_proto::{Account, AreaId, BizType, FeatureCode, PasswordDigest, ResultCode, VerifyCode};
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

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(tag = "outcome", rename_all = "camelCase")]
pub enum LoginOutcome {
    /// Logged in: the terminal was bound, or two-step verification is off.
    LoggedIn { home: Home },
    /// 6002: this terminal is new; a `TERMINAL_BIND` code is needed.
    #[serde(rename_all = "camelCase")]
    NeedsTerminalCode { contact: Option<Contact> },
    /// 1069: the account has as many terminals as it may; some must go (with a
    /// `TERMINAL_DELETE` code) before this one can be added.
    #[serde(rename_all = "camelCase")]
    TooManyTerminals {
        limits: u32,
        terminals: Vec<Terminal>,
    },
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
mod qa;
mod security;
mod session;

pub use devices::{Camera, CameraList, Device, DeviceList};
pub use qa::QaView;
pub use security::{Channel, CodePurpose, Removed, Security};

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
        ClientError::NotStarted(format!(
            "the cloud's CA certificate {} cannot be used: {why}",
            path.display()
        ))
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
        let store = LocalStore::open(&config.data_dir.join("app.db"))?;
        let kept = load_secrets(Arc::clone(&config.secrets)).await;
        if let Some(p) = &kept.problem {
            tracing::warn!(problem = %p, "the keyring is unavailable: this terminal will not be remembered");
        }
        Ok(Self {
            api: api_for(&config, kept.feature.clone())?,
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

    /// Ask for a `USER_REGISTRATION` code for `account` in `area`.
    pub async fn request_sign_up_code(
        &self,
        area: u32,
        account: &str,
    ) -> Result<CodeSent, ClientError> {
        let area = parse_area(area)?;
        let account = parse_account(account)?;
        self.go_to_area(area).await?;
        let sent = self
            .api
            .send_code(&account, BizType::UserRegistration, Some(area))
            .await?;
        self.store.set("last_area", area.get().to_string()).await?;
        Ok(sent)
    }

    /// Create the account with the code, then log in (this terminal is bound by
    /// the sign-up, so no second code is asked).
    pub async fn sign_up(
        &self,
        area: u32,
        account: &str,
        code: &str,
        password: &str,
    ) -> Result<Home, ClientError> {
        let area = parse_area(area)?;
        let account = parse_account(account)?;
        let code = parse_code(code)?;
        let digest = checked_password(password)?;
        let mut state = self.state.lock().await;
        let found = self.go_to_area(area).await?;
        // A phone number is national; its dialling code is the region's.
        let phone_code =
            matches!(account, Account::Phone(_)).then_some(found.telephone_code.as_str());
        self.api
            .register(&account, &digest, area, phone_code, &code)
            .await?;
        let logged_in = self
            .api
            .login(&account, &digest, &self.terminal_name, None, None)
            .await?;
        self.enter(&mut state, &account, logged_in).await
    }

    /// Log in. A new terminal on an account with two-step verification gets
    /// `NeedsTerminalCode` (or `TooManyTerminals` when the account is full); the
    /// password is then kept in memory until the flow ends. `captcha` is the
    /// answer to the picture, once the cloud asks for one (1015 `needCaptcha`).
    pub async fn login(
        &self,
        account: &str,
        password: &str,
        captcha: Option<&str>,
    ) -> Result<LoginOutcome, ClientError> {
        let account = parse_account(account)?;
        if password.is_empty() {
            return Err(ClientError::invalid("password", "enter your password"));
        }
        let captcha = captcha.map(str::trim).filter(|c| !c.is_empty());
        let digest = PasswordDigest::of_password(password);
        let mut state = self.state.lock().await;
        self.ensure_region().await;
        let result = self.login_in_region(&account, &digest, None, captcha).await;
        self.conclude(&mut state, account, digest, result).await
    }

    /// Where a login attempt leads: home, the terminal code, or the terminal list.
    async fn conclude(
        &self,
        state: &mut State,
        account: Account,
        digest: PasswordDigest,
        result: Result<LoggedIn, ClientError>,
    ) -> Result<LoginOutcome, ClientError> {
        match result {
            Ok(logged_in) => {
                let home = self.enter(state, &account, logged_in).await?;
                Ok(LoginOutcome::LoggedIn { home })
            }
            Err(e) if e.result_code() == Some(ResultCode::NewTerminal) => {
                let contact = e.failure().and_then(|f| f.contact.clone());
                self.store
                    .set("last_account", account.as_str().to_owned())
                    .await?;
                *state = State::AwaitingTerminalCode {
                    account,
                    digest,
                    contact: contact.clone(),
                };
                Ok(LoginOutcome::NeedsTerminalCode { contact })
            }
            Err(e) if e.result_code() == Some(ResultCode::TooManyTerminals) => {
                let Some(data) = e.failure().and_then(|f| f.terminal_data.clone()) else {
                    return Err(e);
                };
                self.store
                    .set("last_account", account.as_str().to_owned())
                    .await?;
                *state = State::AwaitingTerminalRemoval {
                    account,
                    digest,
                    temp_id: data.temp_id,
                };
                Ok(LoginOutcome::TooManyTerminals {
                    limits: data.limits,
                    terminals: self.listed(&data.terminals),
                })
            }
            Err(e) => Err(e),
        }
    }

    /// A new captcha picture for `account`, as a `data:` URL the window can show.
    pub async fn captcha(&self, account: &str) -> Result<String, ClientError> {
        use base64::Engine as _;
        let account = parse_account(account)?;
        self.ensure_region().await;
        let png = self.api.captcha(&account).await?;
        Ok(format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(png)
        ))
    }

    /// 1069: send the `TERMINAL_DELETE` code for the login waiting on room.
    pub async fn send_terminal_removal_code(&self) -> Result<CodeSent, ClientError> {
        let state = self.state.lock().await;
        let State::AwaitingTerminalRemoval { account, .. } = &*state else {
            return Err(ClientError::NoPendingLogin(
                "There is no login waiting for terminals to be removed. Log in again.",
            ));
        };
        self.api
            .send_code(account, BizType::TerminalDelete, None)
            .await
    }

    /// 1069: remove the chosen terminals with the code, then log in again; this
    /// terminal still has to be verified (6002) unless two-step is off.
    pub async fn remove_terminals(
        &self,
        ids: &[i64],
        code: &str,
    ) -> Result<LoginOutcome, ClientError> {
        let signs = self.signs_of(ids)?;
        let code = parse_code(code)?;
        let mut state = self.state.lock().await;
        let State::AwaitingTerminalRemoval {
            account,
            digest,
            temp_id,
        } = &*state
        else {
            return Err(ClientError::NoPendingLogin(
                "There is no login waiting for terminals to be removed. Log in again.",
            ));
        };
        let (account, digest) = (account.clone(), digest.clone());
        self.api.unbind_logged_out(temp_id, &signs, &code).await?;
        tracing::info!(removed = signs.len(), "terminals removed during login");
        let result = self.login_in_region(&account, &digest, None, None).await;
        self.conclude(&mut state, account, digest, result).await
    }

    /// The terminals as the UI may see them; their fingerprints are kept here,
    /// by id, for `signs_of`.
    fn listed(&self, terminals: &[TerminalInfo]) -> Vec<Terminal> {
        if let Ok(mut signs) = self.terminal_signs.lock() {
            // A sign that is no fingerprint cannot be chosen: its id stays unknown.
            *signs = terminals
                .iter()
                .filter_map(|t| Some((t.terminal_id, FeatureCode::parse(&t.sign).ok()?)))
                .collect();
        }
        terminals
            .iter()
            .map(|t| Terminal {
                terminal_id: t.terminal_id,
                name: t.name.clone(),
                client_type: t.client_type,
                add_time: t.add_time,
                last_modifytime: t.last_modifytime,
                ip: t.ip.clone(),
                current: t.current,
            })
            .collect()
    }

    /// The fingerprints of the terminals the UI chose, by the ids it was
    /// shown: at least one, each from the last list.
    fn signs_of(&self, ids: &[i64]) -> Result<Vec<FeatureCode>, ClientError> {
        if ids.is_empty() {
            return Err(ClientError::invalid(
                "terminals",
                "choose at least one terminal to remove",
            ));
        }
        let known = self
            .terminal_signs
            .lock()
            .map_err(|_| ClientError::invalid("terminals", "the terminal list is unavailable"))?;
        ids.iter()
            .map(|id| {
                known.get(id).cloned().ok_or_else(|| {
                    ClientError::invalid(
                        "terminals",
                        "the terminal list has changed since it was shown: open it again",
                    )
                })
            })
            .collect()
    }

    /// Forgotten password, step 1: a `RETRIEVE_PASSWORD` code to the account.
    /// The cloud answers alike whether or not the account exists.
    pub async fn request_password_reset_code(
        &self,
        account: &str,
    ) -> Result<CodeSent, ClientError> {
        let account = parse_account(account)?;
        self.ensure_region().await;
        self.api
            .send_code(&account, BizType::RetrievePassword, None)
            .await
    }

    /// Forgotten password, step 2: the new password with the code. Lifts a
    /// lock and the captcha, and ends every session of the account.
    pub async fn reset_password(
        &self,
        account: &str,
        code: &str,
        password: &str,
    ) -> Result<(), ClientError> {
        let account = parse_account(account)?;
        let code = parse_code(code)?;
        let digest = checked_password(password)?;
        self.ensure_region().await;
        self.api.reset_password(&account, &digest, &code).await?;
        self.store
            .set("last_account", account.as_str().to_owned())
            .await?;
        Ok(())
    }

    /// Send (or resend) the `TERMINAL_BIND` code for the login waiting on it.
    pub async fn send_terminal_code(&self) -> Result<CodeSent, ClientError> {
        let state = self.state.lock().await;
        let State::AwaitingTerminalCode { account, .. } = &*state else {
            return Err(ClientError::NoPendingLogin(
                "There is no login waiting for a code. Log in again.",
            ));
        };
        self.api
            .send_code(account, BizType::TerminalBind, None)
            .await
    }

    /// Finish the waiting login with the code; binds this terminal.
    pub async fn submit_terminal_code(&self, code: &str) -> Result<Home, ClientError> {
        let code = parse_code(code)?;
        let mut state = self.state.lock().await;
        let State::AwaitingTerminalCode {
            account, digest, ..
        } = &*state
        else {
            return Err(ClientError::NoPendingLogin(
                "There is no login waiting for a code. Log in again.",
            ));
        };
        let (account, digest) = (account.clone(), digest.clone());
        let logged_in = self
            .login_in_region(&account, &digest, Some(&code), None)
            .await?;
        self.enter(&mut state, &account, logged_in).await
    }

    /// Leave a login halfway (code or terminal list): forget the password held.
    pub async fn cancel_login(&self) {
        let mut state = self.state.lock().await;
        if matches!(
            *state,
            State::AwaitingTerminalCode { .. } | State::AwaitingTerminalRemoval { .. }
        ) {
            *state = State::LoggedOut;
        }
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

    /// Log in where the account lives: a 1100 answer names the region, which is
    /// followed once, without bothering the person, and remembered.
    async fn login_in_region(
        &self,
        account: &Account,
        digest: &PasswordDigest,
        code: Option<&VerifyCode>,
        captcha: Option<&str>,
    ) -> Result<LoggedIn, ClientError> {
        match self
            .api
            .login(account, digest, &self.terminal_name, code, captcha)
            .await
        {
            Err(e) if e.result_code() == Some(ResultCode::WrongRegion) => {
                let Some(area) = e.failure().and_then(|f| f.login_area.clone()) else {
                    return Err(e);
                };
                tracing::info!(region = %area.api_domain, "the account lives in another region; following");
                self.api.set_base(&area.api_domain)?;
                self.store
                    .set("last_area", area.area_id.to_string())
                    .await?;
                self.api
                    .login(account, digest, &self.terminal_name, code, captcha)
                    .await
            }
            other => other,
        }
    }

    /// Talk to the region serving `area` (from the area list's apiDomain).
    async fn go_to_area(&self, area: AreaId) -> Result<Area, ClientError> {
        let found = self.find_area(area.get()).await?.ok_or_else(|| {
            ClientError::invalid("region", "this region is not offered by the cloud")
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
        return Err(ClientError::invalid("password", why));
    }
    Ok(PasswordDigest::of_password(password))
}

fn parse_account(account: &str) -> Result<Account, ClientError> {
    Account::parse(account).map_err(|e| ClientError::invalid("account", e))
}

fn parse_code(code: &str) -> Result<VerifyCode, ClientError> {
    VerifyCode::parse(code).map_err(|e| ClientError::invalid("code", e))
}

fn parse_area(area: u32) -> Result<AreaId, ClientError> {
    AreaId::parse(&area.to_string()).map_err(|e| ClientError::invalid("region", e))
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
