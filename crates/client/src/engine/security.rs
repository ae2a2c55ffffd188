//! Account security, logged in: the profile, two-step verification, the
//! account's terminals, the password, the email and phone, and deleting the
//! account. Operations the cloud deems sensitive from an unbound terminal
//! answer 80000; the UI then asks for a code (`send_security_code`) and repeats
//! the operation with it.

use super::{checked_password, parse_code, Engine, Home, State, Terminal};
use crate::{ClientError, Rule};
use hik_proto::wire::CodeSent;
use hik_proto::{Account, BizType, Channel, Email, PasswordDigest, Phone, VerifyCode};
use serde::{Deserialize, Serialize};

/// What a code is for (the UI's words; the engine picks the `bizType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum CodePurpose {
    /// Two-step verification switched from a terminal that is not bound.
    TwoStep,
    /// Terminals removed from a terminal that is not bound.
    RemoveTerminals,
    DeleteAccount,
    /// Changing the email: the code to the current contact, then to the new one.
    EmailOld,
    EmailNew,
    PhoneOld,
    PhoneNew,
    /// A test code to the account's email or phone, typed back to check that
    /// the address receives codes (after changing it, say).
    ContactTest,
}

/// The settings screen: profile, two-step verification, terminals.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Security {
    pub email: Option<String>,
    pub phone: Option<String>,
    pub fuzzy_email: Option<String>,
    pub fuzzy_phone: Option<String>,
    pub area_id: u32,
    /// The dialling code of the account's region, for a new phone number.
    pub telephone_code: Option<String>,
    pub two_step: bool,
    /// Whether this computer is one of the account's bound terminals.
    pub this_terminal_bound: bool,
    /// Every terminal, the most recently used first; `current` marks this one.
    pub terminals: Vec<Terminal>,
    /// The latest 20 security events, newest first; `current` marks this
    /// computer's.
    pub activity: Vec<hik_proto::wire::Activity>,
    /// The cloud's clock when this was read (Unix seconds), for "5 minutes ago".
    pub cloud_now: i64,
    /// Where codes go, as chosen last time (when the account has both).
    pub code_channel: Option<Channel>,
}

/// After removing terminals: whether this one was among them (then the app is
/// logged out here, and the next login asks for a code).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Removed {
    pub logged_out: bool,
}

fn optional_code(input: Option<&str>) -> Result<Option<VerifyCode>, ClientError> {
    input
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(parse_code)
        .transpose()
}

impl Engine {
    pub async fn security(&self) -> Result<Security, ClientError> {
        let (info, status, terminals, activity) = self
            .with_session(|s| async move {
                let info = self.api.user_info(&s).await?;
                let status = self.api.terminal_status(&s).await?;
                let mut terminals = Vec::new();
                loop {
                    let page = self
                        .api
                        .terminals(&s, 50, u32::try_from(terminals.len()).unwrap_or(0))
                        .await?;
                    let more = page.page.has_next && !page.terminals.is_empty();
                    terminals.extend(page.terminals);
                    if !more {
                        break;
                    }
                }
                let activity = self.api.activity(&s, 20).await?;
                Ok((info, status, terminals, activity))
            })
            .await?;
        let telephone_code = self.telephone_code(info.user.area_id).await;
        let code_channel = match (
            &info.user.email,
            &info.user.phone,
            self.last_account().await,
        ) {
            (Some(_), Some(_), Some(account)) => self.remembered_for(&account).await,
            _ => None,
        };
        Ok(Security {
            email: info.user.email,
            phone: info.user.phone,
            fuzzy_email: info.fuzzy_email,
            fuzzy_phone: info.fuzzy_phone,
            area_id: info.user.area_id,
            telephone_code,
            two_step: status.terminal_opened == 1,
            this_terminal_bound: status.terminal_binded == 1,
            terminals: self.listed(&terminals),
            activity,
            cloud_now: self.api.cloud_now(),
            code_channel,
        })
    }

    /// The dialling code of the account's region (`None` if the cloud's area
    /// list cannot be read: the cloud keeps the one it has).
    async fn telephone_code(&self, area: u32) -> Option<String> {
        let found = self.find_area(area).await.ok().flatten();
        found.map(|a| a.telephone_code)
    }

    /// Send the code `purpose` needs: to the account's `channel` (its email or
    /// phone; the cloud picks when `None`), or to `new_address` for the
    /// second code of a contact change.
    pub async fn send_security_code(
        &self,
        purpose: CodePurpose,
        channel: Option<Channel>,
        new_address: Option<&str>,
    ) -> Result<CodeSent, ClientError> {
        let by_phone = channel == Some(Channel::Sms);
        let biz = match purpose {
            CodePurpose::TwoStep => BizType::TerminalBind,
            CodePurpose::RemoveTerminals => BizType::TerminalDelete,
            CodePurpose::DeleteAccount => BizType::UserDelete,
            CodePurpose::ContactTest => BizType::ContactTest,
            CodePurpose::EmailOld if by_phone => BizType::UpdateEmailValidateOldPhone,
            CodePurpose::EmailOld => BizType::UpdateEmailValidateOldEmail,
            CodePurpose::EmailNew => BizType::UpdateEmailValidateNewEmail,
            CodePurpose::PhoneOld if by_phone => BizType::UpdatePhoneValidateOldPhone,
            CodePurpose::PhoneOld => BizType::UpdatePhoneValidateOldEmail,
            CodePurpose::PhoneNew => BizType::UpdatePhoneValidateNewPhone,
        };
        let contact = match purpose {
            CodePurpose::EmailNew => {
                let raw = new_address.unwrap_or_default();
                Some(
                    Email::parse(raw)
                        .map_err(|e| ClientError::unparsed("email", e))?
                        .as_str()
                        .to_owned(),
                )
            }
            CodePurpose::PhoneNew => {
                let raw = new_address.unwrap_or_default();
                Some(
                    Phone::parse(raw)
                        .map_err(|e| ClientError::unparsed("phone", e))?
                        .as_str()
                        .to_owned(),
                )
            }
            _ => None,
        };
        let sms_type = if contact.is_some() {
            None
        } else {
            channel.map(Channel::sms_type)
        };
        // Where the account's codes go is remembered for next time (a test
        // of one address is no choice of where codes go).
        let chosen = channel.filter(|_| purpose != CodePurpose::ContactTest);
        if let (Some(c), None, Some(account)) = (chosen, &contact, self.last_account().await) {
            self.remember_channel(&account, c).await?;
        }
        self.with_session(|s| {
            let contact = contact.clone();
            async move {
                self.api
                    .send_code_logged_in(&s, biz, sms_type, contact.as_deref())
                    .await
            }
        })
        .await
    }

    /// Two-step verification on or off; 80000 asks for a `TwoStep` code.
    pub async fn set_two_step(&self, enable: bool, code: Option<&str>) -> Result<(), ClientError> {
        let code = optional_code(code)?;
        self.with_session(|s| {
            let code = code.clone();
            async move { self.api.switch_two_step(&s, enable, code.as_ref()).await }
        })
        .await
    }

    /// Remove terminals by the ids of the last list; 80000 asks for a
    /// `RemoveTerminals` code. Removing this one logs out here.
    pub async fn remove_account_terminals(
        &self,
        ids: &[i64],
        code: Option<&str>,
    ) -> Result<Removed, ClientError> {
        let signs = self.signs_of(ids)?;
        let code = optional_code(code)?;
        self.with_session(|s| {
            let (signs, code) = (signs.clone(), code.clone());
            async move { self.api.unbind(&s, &signs, code.as_ref()).await }
        })
        .await?;
        let logged_out = signs.contains(&self.feature);
        if logged_out {
            tracing::info!("this terminal was removed from the account: logged out");
            *self.state.lock().await = State::LoggedOut;
            self.forget_refresh_token().await;
        }
        Ok(Removed { logged_out })
    }

    /// A new password, with the old one; other computers' sessions end.
    pub async fn change_password(&self, old: &str, new: &str) -> Result<(), ClientError> {
        if old.is_empty() {
            return Err(ClientError::invalid(
                "oldPassword",
                Rule::Missing,
                "enter your current password",
            ));
        }
        let new_digest = checked_password(new)?;
        let old_digest = PasswordDigest::of_password(old);
        self.with_session(|s| {
            let (old, new) = (old_digest.clone(), new_digest.clone());
            async move { self.api.change_password(&s, &old, &new).await }
        })
        .await
    }

    /// Move the email (or, with `phone`, the phone number) to `new_address`:
    /// `old_code` came through `channel` to the current contact, `new_code` to
    /// the new address. Returns the home screen's new facts.
    pub async fn change_contact(
        &self,
        phone: bool,
        new_address: &str,
        old_code: &str,
        new_code: &str,
        channel: Channel,
    ) -> Result<Home, ClientError> {
        let to = if phone {
            Account::Phone(
                Phone::parse(new_address).map_err(|e| ClientError::unparsed("phone", e))?,
            )
        } else {
            Account::Email(
                Email::parse(new_address).map_err(|e| ClientError::unparsed("email", e))?,
            )
        };
        let (old_code, new_code) = (parse_code(old_code)?, parse_code(new_code)?);
        let phone_code = if phone {
            let area = match &*self.state.lock().await {
                State::LoggedIn { home, .. } => home.area_id,
                _ => return Err(ClientError::NotLoggedIn),
            };
            self.telephone_code(area).await
        } else {
            None
        };
        let info = self
            .with_session(|s| {
                let (to, old_code, new_code, phone_code) = (
                    to.clone(),
                    old_code.clone(),
                    new_code.clone(),
                    phone_code.clone(),
                );
                async move {
                    self.api
                        .change_contact(
                            &s,
                            &to,
                            phone_code.as_deref(),
                            &new_code,
                            &old_code,
                            channel.sms_type(),
                        )
                        .await?;
                    self.api.user_info(&s).await
                }
            })
            .await?;
        let home = Home::from(info.user);
        if let State::LoggedIn { home: h, .. } = &mut *self.state.lock().await {
            *h = home.clone();
        }
        let login_name = home.email.clone().or_else(|| home.phone.clone());
        if let Some(name) = login_name {
            self.store.set("last_account", name).await?;
        }
        Ok(home)
    }

    /// Delete the account with a `DeleteAccount` code: logged out, nothing of
    /// it kept here.
    pub async fn delete_account(&self, code_input: &str) -> Result<(), ClientError> {
        let c = parse_code(code_input)?;
        let owner = match &*self.state.lock().await {
            State::LoggedIn { home, .. } => home.user_id.clone(),
            _ => return Err(ClientError::NotLoggedIn),
        };
        self.with_session(|s| {
            let c = c.clone();
            async move { self.api.delete_account(&s, &c).await }
        })
        .await?;
        tracing::info!("account deleted");
        *self.state.lock().await = State::LoggedOut;
        self.forget_refresh_token().await;
        self.store.forget(owner).await?;
        self.store.set("last_account", String::new()).await?;
        Ok(())
    }

    /// The test code typed back: the address it went to receives codes.
    pub async fn confirm_contact_test(&self, code_input: &str) -> Result<(), ClientError> {
        let c = parse_code(code_input)?;
        self.with_session(|s| {
            let c = c.clone();
            async move { self.api.test_contact(&s, &c).await }
        })
        .await
    }
}
