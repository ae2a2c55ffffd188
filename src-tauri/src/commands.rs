//! The commands the window may call. Each one extracts, calls the engine, and
//! returns its result; errors cross as `{code, message, ...}` (ClientError).

use hik_client::{CameraList, ClientError, DeviceList, Engine, Home, LoginOutcome, QaView, Status};
use hik_proto::policy::PasswordCheck;
use hik_proto::wire::{Area, CodeSent, QaFault};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;
use tauri::State;

type Result<T> = std::result::Result<T, ClientError>;

/// A code was sent: where, and the cloud's time at sending, so the UI runs the
/// resend and expiry countdowns on the cloud's clock.
#[derive(Serialize)]
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

#[tauri::command]
pub async fn app_status(engine: State<'_, Arc<Engine>>) -> Result<Status> {
    engine.status().await
}

#[tauri::command]
pub async fn resume(engine: State<'_, Arc<Engine>>) -> Result<Option<Home>> {
    engine.resume().await
}

#[tauri::command]
pub async fn sync_clock(engine: State<'_, Arc<Engine>>) -> Result<i64> {
    engine.sync_clock().await
}

#[tauri::command]
pub async fn list_areas(engine: State<'_, Arc<Engine>>) -> Result<Vec<Area>> {
    engine.areas().await
}

#[tauri::command]
pub async fn request_sign_up_code(
    engine: State<'_, Arc<Engine>>,
    area: u32,
    account: String,
) -> Result<Sent> {
    let sent = engine.request_sign_up_code(area, &account).await?;
    Ok(Sent::new(&engine, sent))
}

#[tauri::command]
pub async fn sign_up(
    engine: State<'_, Arc<Engine>>,
    area: u32,
    account: String,
    code: String,
    password: String,
) -> Result<Home> {
    engine.sign_up(area, &account, &code, &password).await
}

/// The password rules, rule by rule, for live feedback while typing.
#[tauri::command]
pub async fn check_password(password: String) -> PasswordCheck {
    PasswordCheck::of(&password)
}

#[tauri::command]
pub async fn login(
    engine: State<'_, Arc<Engine>>,
    account: String,
    password: String,
    captcha: Option<String>,
) -> Result<LoginOutcome> {
    engine.login(&account, &password, captcha.as_deref()).await
}

#[tauri::command]
pub async fn captcha(engine: State<'_, Arc<Engine>>, account: String) -> Result<String> {
    engine.captcha(&account).await
}

#[tauri::command]
pub async fn send_terminal_removal_code(engine: State<'_, Arc<Engine>>) -> Result<Sent> {
    let sent = engine.send_terminal_removal_code().await?;
    Ok(Sent::new(&engine, sent))
}

#[tauri::command]
pub async fn remove_terminals(
    engine: State<'_, Arc<Engine>>,
    signs: Vec<String>,
    code: String,
) -> Result<LoginOutcome> {
    engine.remove_terminals(&signs, &code).await
}

#[tauri::command]
pub async fn request_password_reset_code(
    engine: State<'_, Arc<Engine>>,
    account: String,
) -> Result<Sent> {
    let sent = engine.request_password_reset_code(&account).await?;
    Ok(Sent::new(&engine, sent))
}

#[tauri::command]
pub async fn reset_password(
    engine: State<'_, Arc<Engine>>,
    account: String,
    code: String,
    password: String,
) -> Result<()> {
    engine.reset_password(&account, &code, &password).await
}

#[tauri::command]
pub async fn send_terminal_code(engine: State<'_, Arc<Engine>>) -> Result<Sent> {
    let sent = engine.send_terminal_code().await?;
    Ok(Sent::new(&engine, sent))
}

#[tauri::command]
pub async fn submit_terminal_code(engine: State<'_, Arc<Engine>>, code: String) -> Result<Home> {
    engine.submit_terminal_code(&code).await
}

#[tauri::command]
pub async fn cancel_login(engine: State<'_, Arc<Engine>>) -> Result<()> {
    engine.cancel_login().await;
    Ok(())
}

#[tauri::command]
pub async fn logout(engine: State<'_, Arc<Engine>>) -> Result<()> {
    engine.logout().await
}

#[tauri::command]
pub async fn list_devices(engine: State<'_, Arc<Engine>>) -> Result<DeviceList> {
    engine.devices().await
}

#[tauri::command]
pub async fn device_cameras(engine: State<'_, Arc<Engine>>, serial: String) -> Result<CameraList> {
    engine.cameras(&serial).await
}

#[tauri::command]
pub async fn qa_available(engine: State<'_, Arc<Engine>>) -> Result<bool> {
    Ok(engine.qa_available().await)
}

#[tauri::command]
pub async fn qa_view(engine: State<'_, Arc<Engine>>) -> Result<QaView> {
    engine.qa_view().await
}

#[tauri::command]
pub async fn qa_advance_clock(engine: State<'_, Arc<Engine>>, seconds: u64) -> Result<i64> {
    engine.qa_advance_clock(seconds).await
}

#[tauri::command]
pub async fn qa_set_fault(
    engine: State<'_, Arc<Engine>>,
    channel: String,
    fault: QaFault,
) -> Result<BTreeMap<String, QaFault>> {
    engine.qa_set_fault(&channel, fault).await
}

#[tauri::command]
pub async fn qa_clear_faults(engine: State<'_, Arc<Engine>>) -> Result<BTreeMap<String, QaFault>> {
    engine.qa_clear_faults().await
}

/// Open the QA inbox page in the system's browser.
#[tauri::command]
pub async fn open_qa_inbox(engine: State<'_, Arc<Engine>>) -> Result<()> {
    let url = engine
        .status()
        .await?
        .qa_inbox_url
        .ok_or_else(|| ClientError::invalid("url", "this cloud has no QA inbox"))?;
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(target_os = "windows") {
        "explorer"
    } else {
        "xdg-open"
    };
    std::process::Command::new(opener)
        .arg(&url)
        .spawn()
        .map(|_| ())
        .map_err(|e| ClientError::invalid("url", format!("cannot open {url} with {opener}: {e}")))
}
