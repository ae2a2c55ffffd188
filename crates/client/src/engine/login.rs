//! Getting in: sign-up, login (following the account's region), the new
//! terminal's code (6002), room among the account's terminals (1069), the
//! captcha, and a forgotten password.

use super::{
    checked_password, parse_account, parse_area, parse_code, Channel, Engine, Home, State, Terminal,
};
use crate::{ClientError, Rule};
use hik_proto::wire::{CodeSent, Contact, LoggedIn, TerminalInfo};
use hik_proto::{Account, BizType, FeatureCode, PasswordDigest, ResultCode, VerifyCode};
use serde::Serialize;

/// The local store's key for where codes go: `<account> <channel>`.
const CODE_CHANNEL: &str = "code_channel";

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(tag = "outcome", rename_all = "camelCase")]
pub enum LoginOutcome {
    /// Logged in: the terminal was bound, or two-step verification is off.
    LoggedIn { home: Home },
    /// 6002: this terminal is new; a `TERMINAL_BIND` code is needed.
    /// `contacts` lists the account's addresses (masked) when the code can
    /// go to either; `channel` is the one chosen last time.
    #[serde(rename_all = "camelCase")]
    NeedsTerminalCode {
        contact: Option<Contact>,
        contacts: Vec<Contact>,
        channel: Option<Channel>,
    },
    /// 1069: the account has as many terminals as it may; some must go (with a
    /// `TERMINAL_DELETE` code) before this one can be added.
    #[serde(rename_all = "camelCase")]
    TooManyTerminals {
        limits: u32,
        terminals: Vec<Terminal>,
        contacts: Vec<Contact>,
        channel: Option<Channel>,
    },
}

impl Engine {
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
            .send_code(&account, BizType::UserRegistration, Some(area), None)
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
            return Err(ClientError::invalid(
                "password",
                Rule::Missing,
                "enter your password",
            ));
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
                let (contacts, channel) = self.paused(&account, &e).await?;
                *state = State::AwaitingTerminalCode {
                    account,
                    digest,
                    contact: contact.clone(),
                };
                Ok(LoginOutcome::NeedsTerminalCode {
                    contact,
                    contacts,
                    channel,
                })
            }
            Err(e) if e.result_code() == Some(ResultCode::TooManyTerminals) => {
                let Some(data) = e.failure().and_then(|f| f.terminal_data.clone()) else {
                    return Err(e);
                };
                let (contacts, channel) = self.paused(&account, &e).await?;
                *state = State::AwaitingTerminalRemoval {
                    account,
                    digest,
                    temp_id: data.temp_id,
                };
                Ok(LoginOutcome::TooManyTerminals {
                    limits: data.limits,
                    terminals: self.listed(&data.terminals),
                    contacts,
                    channel,
                })
            }
            Err(e) => Err(e),
        }
    }

    /// A login of `account` paused (6002 or 1069, in `e`): remembered as the
    /// last account; the addresses its code can go to, and the one chosen
    /// last time.
    async fn paused(
        &self,
        account: &Account,
        e: &ClientError,
    ) -> Result<(Vec<Contact>, Option<Channel>), ClientError> {
        self.store
            .set("last_account", account.as_str().to_owned())
            .await?;
        let contacts = e.failure().map(|f| f.contacts.clone()).unwrap_or_default();
        let channel = self.remembered_channel(account, &contacts).await;
        Ok((contacts, channel))
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
    /// `channel` chooses where it goes (remembered for next time); the one
    /// chosen last time, or the cloud's choice, when `None`.
    pub async fn send_terminal_removal_code(
        &self,
        channel: Option<Channel>,
    ) -> Result<CodeSent, ClientError> {
        self.send_for_pending_login(BizType::TerminalDelete, channel)
            .await
    }

    /// The code `biz` for the login waiting on it (6002: `TERMINAL_BIND`,
    /// 1069: `TERMINAL_DELETE`), where `channel` says or was last chosen.
    async fn send_for_pending_login(
        &self,
        biz: BizType,
        channel: Option<Channel>,
    ) -> Result<CodeSent, ClientError> {
        let state = self.state.lock().await;
        let account = match (&*state, biz) {
            (State::AwaitingTerminalCode { account, .. }, BizType::TerminalBind)
            | (State::AwaitingTerminalRemoval { account, .. }, BizType::TerminalDelete) => account,
            (_, BizType::TerminalDelete) => {
                return Err(ClientError::NoPendingLogin(
                    "There is no login waiting for terminals to be removed. Log in again.",
                ))
            }
            _ => {
                return Err(ClientError::NoPendingLogin(
                    "There is no login waiting for a code. Log in again.",
                ))
            }
        };
        let sms_type = self.channel_for(account, channel).await?;
        self.api.send_code(account, biz, None, sms_type).await
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
    pub(super) fn listed(&self, terminals: &[TerminalInfo]) -> Vec<Terminal> {
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
    pub(super) fn signs_of(&self, ids: &[i64]) -> Result<Vec<FeatureCode>, ClientError> {
        if ids.is_empty() {
            return Err(ClientError::invalid(
                "terminals",
                Rule::NoneChosen,
                "choose at least one terminal to remove",
            ));
        }
        let known = self.terminal_signs.lock().map_err(|_| {
            ClientError::invalid("terminals", Rule::Stale, "the terminal list is unavailable")
        })?;
        ids.iter()
            .map(|id| {
                known.get(id).cloned().ok_or_else(|| {
                    ClientError::invalid(
                        "terminals",
                        Rule::Stale,
                        "the terminal list has changed since it was shown: open it again",
                    )
                })
            })
            .collect()
    }

    /// The captcha's characters by email or SMS instead of the picture
    /// (`LOGIN_CAPTCHA`), for those who cannot see it: typed as the captcha.
    pub async fn send_captcha(&self, account: &str) -> Result<CodeSent, ClientError> {
        self.send_to_account(account, BizType::LoginCaptcha).await
    }

    /// Forgotten password, step 1: a `RETRIEVE_PASSWORD` code to the account.
    /// The cloud answers alike whether or not the account exists.
    pub async fn request_password_reset_code(
        &self,
        account: &str,
    ) -> Result<CodeSent, ClientError> {
        self.send_to_account(account, BizType::RetrievePassword)
            .await
    }

    /// A logged-out message for `biz` to `account`, by the way it chose last.
    async fn send_to_account(&self, account: &str, biz: BizType) -> Result<CodeSent, ClientError> {
        let account = parse_account(account)?;
        self.ensure_region().await;
        let sms_type = self.channel_for(&account, None).await?;
        self.api.send_code(&account, biz, None, sms_type).await
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
    /// `channel` chooses where it goes (remembered for next time); the one
    /// chosen last time, or the cloud's choice, when `None`.
    pub async fn send_terminal_code(
        &self,
        channel: Option<Channel>,
    ) -> Result<CodeSent, ClientError> {
        self.send_for_pending_login(BizType::TerminalBind, channel)
            .await
    }

    /// The `smsType` for a code to `account`: `chosen` (then remembered), or
    /// the one remembered for it.
    pub(super) async fn channel_for(
        &self,
        account: &Account,
        chosen: Option<Channel>,
    ) -> Result<Option<u8>, ClientError> {
        if let Some(c) = chosen {
            self.remember_channel(account, c).await?;
            return Ok(Some(c.sms_type()));
        }
        Ok(self.remembered_for(account).await.map(Channel::sms_type))
    }

    /// Where `account`'s codes went last time it chose, if it still can go
    /// there (`contacts`: the choices offered now; none, no choice).
    pub(super) async fn remembered_channel(
        &self,
        account: &Account,
        contacts: &[Contact],
    ) -> Option<Channel> {
        let channel = self.remembered_for(account).await?;
        let offered = contacts.iter().any(|c| c.kind == channel);
        offered.then_some(channel)
    }

    /// Where `account`'s codes went last time it chose.
    pub(super) async fn remembered_for(&self, account: &Account) -> Option<Channel> {
        let account = account.as_str().to_owned();
        let remembered = self.store.account_get(account, CODE_CHANNEL).await.ok()??;
        <hik_proto::request::Channel as hik_proto::request::Field>::read(&remembered).ok()
    }

    /// The account last logged in (or trying to), as the local store keeps it.
    pub(super) async fn last_account(&self) -> Option<Account> {
        let last = self.store.get("last_account").await.ok().flatten()?;
        Account::parse(&last).ok()
    }

    /// Remember `channel` as where `account`'s codes go from now on.
    pub(super) async fn remember_channel(
        &self,
        account: &Account,
        channel: Channel,
    ) -> Result<(), ClientError> {
        let account = account.as_str().to_owned();
        self.store
            .account_set(account, CODE_CHANNEL, channel.as_str().to_owned())
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
}
