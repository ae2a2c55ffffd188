//! The commands the window may call. Each one extracts, calls the engine, and
//! returns its result; errors cross as `{code, message, ...}` (ClientError).
//!
//! Every command is written once, in `commands!`, which makes from it the
//! Tauri command, its entry in the invoke handler and its TypeScript signature
//! (`ui/src/bindings.ts`, see `bindings.rs`). All are async: none runs on the
//! main thread.

use crate::start::Starting;
use hik_client::{
    CameraList, Channel, ClientError, CodePurpose, DeviceList, Engine, Home, Language,
    LoginOutcome, QaView, Removed, Rule, Security, Status, WireError,
};
use hik_proto::policy::{PasswordCheck, PasswordFeedback};
use hik_proto::qa::QaFault;
use hik_proto::qa::ScenarioSetUp;
use hik_proto::wire::{Area, CodeSent};
use serde::Serialize;
use std::collections::BTreeMap;
use tauri::State;

type Result<T> = std::result::Result<T, ClientError>;

/// A code was sent: where, and the cloud's time at sending, so the UI runs the
/// resend and expiry countdowns on the cloud's clock.
#[derive(Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Sent {
    #[serde(flatten)]
    sent: CodeSent,
    cloud_now: i64,
}

impl Sent {
    fn new(engine: &Engine, sent: CodeSent) -> Self {
        Self {
            sent,
            cloud_now: engine.cloud_now(),
        }
    }
}

/// What the window needs once start-up is done, in one round trip.
#[derive(Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Startup {
    status: Status,
    /// Logged in again with the refresh token the last run kept.
    home: Option<Home>,
    /// Why that could not be tried (the cloud away), for a banner and a retry.
    resume_error: Option<WireError>,
    /// Whether the cloud serves the QA surface (the QA drawer shows then).
    qa: bool,
}

/// A command as TypeScript sees it: its name, its arguments and its result.
#[cfg(test)]
pub struct Signature {
    pub name: &'static str,
    pub args: Vec<(&'static str, String)>,
    pub returns: String,
}

/// `fn name(engine, arg: Type, ...) -> Returned { body }` makes a command whose
/// body gets the engine (waiting for start-up) and its arguments; `&app` before
/// `engine` also hands it the app (for plugins), which TypeScript never sees.
macro_rules! commands {
    ($(
        $(#[doc = $doc:literal])*
        fn $name:ident($(&$app:ident,)? $engine:ident $(, $arg:ident: $ty:ty)* $(,)?) -> $ret:ty $body:block
    )*) => {
        $(
            $(#[doc = $doc])*
            #[tauri::command]
            pub async fn $name(
                starting: State<'_, Starting>,
                $($app: tauri::AppHandle,)?
                $($arg: $ty),*
            ) -> Result<$ret> {
                let $engine = starting.engine().await?;
                $body
            }
        )*

        /// Every command, for the TypeScript bindings and the permission manifest.
        #[cfg(test)]
        pub fn signatures() -> Vec<Signature> {
            vec![$(Signature {
                name: stringify!($name),
                args: vec![$((stringify!($arg), <$ty as ts_rs::TS>::name())),*],
                returns: <$ret as ts_rs::TS>::name(),
            }),*]
        }

        /// The invoke handler: every command above, and no other.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }
    };
}

commands! {
    /// The first call: waits for start-up, resumes the last run's session if
    /// it can, and says whether the cloud serves QA.
    fn start(engine) -> Startup {
        let (resumed, qa) = tokio::join!(engine.resume(), engine.qa_available());
        let (home, resume_error) = match resumed {
            Ok(home) => (home, None),
            Err(e) => (None, Some(WireError::from(&e))),
        };
        Ok(Startup {
            status: engine.status().await?,
            home,
            resume_error,
            qa,
        })
    }

    /// Where the cloud is, whether this computer is remembered, who is in.
    fn app_status(engine) -> Status {
        engine.status().await
    }

    /// Log in with a refresh token kept from the last run, if any.
    fn resume(engine) -> Option<Home> {
        engine.resume().await
    }

    /// The cloud's clock now, read afresh.
    fn sync_clock(engine) -> i64 {
        engine.sync_clock().await
    }

    fn list_areas(engine) -> Vec<Area> {
        engine.areas().await
    }

    /// The password rules, rule by rule, for live feedback while typing.
    fn check_password(_engine, password: String) -> PasswordFeedback {
        Ok(PasswordCheck::of(&password).feedback())
    }

    fn request_sign_up_code(engine, area: u32, account: String) -> Sent {
        let sent = engine.request_sign_up_code(area, &account).await?;
        Ok(Sent::new(&engine, sent))
    }

    fn sign_up(engine, area: u32, account: String, code: String, password: String) -> Home {
        engine.sign_up(area, &account, &code, &password).await
    }

    fn login(engine, account: String, password: String, captcha: Option<String>) -> LoginOutcome {
        engine.login(&account, &password, captcha.as_deref()).await
    }

    /// A new captcha picture for the account, as a `data:image/png` URL.
    fn captcha(engine, account: String) -> String {
        engine.captcha(&account).await
    }

    /// The captcha's characters by email or SMS instead of the picture.
    fn send_captcha(engine, account: String) -> Sent {
        let sent = engine.send_captcha(&account).await?;
        Ok(Sent::new(&engine, sent))
    }

    fn send_terminal_code(engine, channel: Option<Channel>) -> Sent {
        let sent = engine.send_terminal_code(channel).await?;
        Ok(Sent::new(&engine, sent))
    }

    fn submit_terminal_code(engine, code: String) -> Home {
        engine.submit_terminal_code(&code).await
    }

    fn send_terminal_removal_code(engine, channel: Option<Channel>) -> Sent {
        let sent = engine.send_terminal_removal_code(channel).await?;
        Ok(Sent::new(&engine, sent))
    }

    /// 1069: remove terminals during a login, then log in again.
    fn remove_terminals(engine, terminal_ids: Vec<i64>, code: String) -> LoginOutcome {
        engine.remove_terminals(&terminal_ids, &code).await
    }

    fn request_password_reset_code(engine, account: String) -> Sent {
        let sent = engine.request_password_reset_code(&account).await?;
        Ok(Sent::new(&engine, sent))
    }

    fn reset_password(engine, account: String, code: String, password: String) -> () {
        engine.reset_password(&account, &code, &password).await
    }

    fn cancel_login(engine) -> () {
        engine.cancel_login().await;
        Ok(())
    }

    fn logout(engine) -> () {
        engine.logout().await
    }

    fn list_devices(engine) -> DeviceList {
        engine.devices().await
    }

    fn device_cameras(engine, serial: String) -> CameraList {
        engine.cameras(&serial).await
    }

    fn security(engine) -> Security {
        engine.security().await
    }

    /// A code for a security operation, to the chosen channel or a new address.
    fn send_security_code(engine, purpose: CodePurpose, channel: Option<Channel>, new_address: Option<String>) -> Sent {
        let sent = engine
            .send_security_code(purpose, channel, new_address.as_deref())
            .await?;
        Ok(Sent::new(&engine, sent))
    }

    /// The test code typed back: the address receives codes.
    fn confirm_contact_test(engine, code: String) -> () {
        engine.confirm_contact_test(&code).await
    }

    fn set_two_step(engine, enable: bool, code: Option<String>) -> () {
        engine.set_two_step(enable, code.as_deref()).await
    }

    fn remove_account_terminals(engine, terminal_ids: Vec<i64>, code: Option<String>) -> Removed {
        engine.remove_account_terminals(&terminal_ids, code.as_deref()).await
    }

    fn change_password(engine, old_password: String, new_password: String) -> () {
        engine.change_password(&old_password, &new_password).await
    }

    /// Move the email (or, with `phone`, the phone number) to a new address.
    fn change_contact(engine, phone: bool, new_address: String, old_code: String, new_code: String, channel: Channel) -> Home {
        engine
            .change_contact(phone, &new_address, &old_code, &new_code, channel)
            .await
    }

    fn delete_account(engine, code: String) -> () {
        engine.delete_account(&code).await
    }

    fn qa_view(engine) -> QaView {
        engine.qa_view().await
    }

    fn qa_advance_clock(engine, seconds: u64) -> i64 {
        engine.qa_advance_clock(seconds).await
    }

    fn qa_set_fault(engine, channel: String, fault: QaFault) -> BTreeMap<String, QaFault> {
        engine.qa_set_fault(&channel, fault).await
    }

    fn qa_clear_faults(engine) -> BTreeMap<String, QaFault> {
        engine.qa_clear_faults().await
    }

    /// Set a scenario of the guide up, for the account at hand or a fresh one.
    fn qa_scenario(engine, name: String, fresh: bool) -> ScenarioSetUp {
        engine.qa_scenario(&name, fresh).await
    }

    /// Speak `language` from now on (saved for the next start), the window's
    /// title included: one of the languages the app speaks.
    fn set_language(&app, engine, language: String) -> () {
        use tauri::Manager;
        let language = Language::matching(&language, crate::languages::SPOKEN).ok_or_else(|| {
            ClientError::invalid("language", Rule::Malformed, format!("the app does not speak {language:?}"))
        })?;
        engine.set_language(&language).await?;
        if let Some(window) = app.get_webview_window("main") {
            if let Err(e) = window.set_title(crate::languages::title(language.tag())) {
                tracing::warn!(error = %e, "could not retitle the window");
            }
        }
        Ok(())
    }

    /// Open the QA inbox page in the system's browser.
    fn open_qa_inbox(engine) -> () {
        let url = engine
            .qa_inbox_url()
            .ok_or_else(|| ClientError::invalid("url", Rule::Missing, "this cloud has no QA inbox"))?
            .to_owned();
        // The launcher is waited for briefly, to see it start: off the
        // async threads.
        let opened = {
            let url = url.clone();
            tokio::task::spawn_blocking(move || open::that(&url).map_err(|e| e.to_string())).await
        };
        opened
            .map_err(|e| e.to_string())
            .and_then(|r| r)
            .map_err(|e| ClientError::invalid("url", Rule::Malformed, format!("cannot open {url}: {e}")))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::signatures;

    fn read(file: &str) -> String {
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file))
            .unwrap()
    }

    /// The permission manifest (build.rs) and the main window's capability name
    /// every command, and nothing else.
    #[test]
    fn every_command_has_a_permission_and_the_main_window_is_granted_it() {
        let names: Vec<&str> = signatures().iter().map(|s| s.name).collect();
        let build = read("build.rs");
        let listed: Vec<&str> = build
            .lines()
            .filter_map(|l| l.trim().strip_prefix('"')?.strip_suffix("\","))
            .collect();
        assert_eq!(listed, names, "build.rs COMMANDS");

        let cap: serde_json::Value = serde_json::from_str(&read("capabilities/main.json")).unwrap();
        assert_eq!(cap["windows"], serde_json::json!(["main"]));
        let granted: Vec<String> = cap["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().to_owned())
            .collect();
        let wanted: Vec<String> = names
            .iter()
            .map(|n| format!("allow-{}", n.replace('_', "-")))
            .collect();
        assert_eq!(granted, wanted, "capabilities/main.json");
    }
}
