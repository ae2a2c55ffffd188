//! The account's simulated Hikvision devices and their cameras. Every list the
//! cloud sends is kept in the local database; when the cloud cannot be reached,
//! the kept one is shown instead, marked as saved, with the time it was fetched.

use super::{Engine, State};
use crate::{ClientError, Rule};
use hik_proto::wire::{CameraInfo, DeviceInfo, DevicePage};
use serde::{Deserialize, Serialize};

/// Devices are fetched in pages of this many (the cloud's largest page).
const PAGE: u32 = 50;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Device {
    pub serial: String,
    pub name: String,
    /// `IPC`, `NVR` or `DVR`.
    pub category: String,
    /// The model, e.g. `DS-7608NI-K2`.
    pub model: String,
    pub version: String,
    pub online: bool,
    pub local_ip: String,
}

/// A list as shown: fresh from the cloud, or saved from an earlier visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct DeviceList {
    pub devices: Vec<Device>,
    /// When the cloud sent it (Unix seconds, this computer's clock).
    pub fetched_at: i64,
    /// Shown from the local database because the cloud could not be reached.
    pub saved: bool,
    /// Why the cloud could not be reached, when `saved`.
    pub problem: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Camera {
    pub id: String,
    pub name: String,
    pub channel: u32,
    /// Whether the channel has a video signal.
    pub signal: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct CameraList {
    pub serial: String,
    pub cameras: Vec<Camera>,
    pub fetched_at: i64,
    pub saved: bool,
    pub problem: Option<String>,
}

/// A list that can be shown from the local database instead of the cloud.
trait Shown: Serialize + for<'de> Deserialize<'de> {
    /// The same list, marked as the saved copy, with why the cloud was not asked.
    fn into_saved(self, problem: String) -> Self;
}

impl Shown for DeviceList {
    fn into_saved(self, problem: String) -> Self {
        Self {
            saved: true,
            problem: Some(problem),
            ..self
        }
    }
}

impl Shown for CameraList {
    fn into_saved(self, problem: String) -> Self {
        Self {
            saved: true,
            problem: Some(problem),
            ..self
        }
    }
}

fn device(info: DeviceInfo, page: &DevicePage) -> Device {
    let online = page
        .status_infos
        .get(&info.device_serial)
        .is_some_and(|s| s.global_status == 1);
    let local_ip = page
        .connection_infos
        .get(&info.device_serial)
        .map(|c| c.local_ip.clone())
        .unwrap_or_default();
    Device {
        serial: info.device_serial,
        name: info.name,
        category: info.device_category,
        model: info.device_type,
        version: info.version,
        online,
        local_ip,
    }
}

fn camera(c: CameraInfo) -> Camera {
    Camera {
        id: c.camera_id,
        name: c.camera_name,
        channel: c.channel_no,
        signal: c.device_channel_info.signal_status == 1,
    }
}

fn local_now() -> i64 {
    crate::api::unix(std::time::SystemTime::now())
}

impl Engine {
    /// Whose saved lists to use: the logged-in account's user id.
    async fn owner(&self) -> Result<String, ClientError> {
        match &*self.state.lock().await {
            State::LoggedIn { home, .. } => Ok(home.user_id.clone()),
            _ => Err(ClientError::NotLoggedIn),
        }
    }

    /// The account's devices, every page, fresh from the cloud; the saved list
    /// when the cloud cannot be reached.
    pub async fn devices(&self) -> Result<DeviceList, ClientError> {
        let owner = self.owner().await?;
        let fetched = self
            .with_session(|session| async move {
                let mut devices = Vec::new();
                let mut offset = 0;
                loop {
                    let mut page = self.api.devices(&session, PAGE, offset).await?;
                    let infos = std::mem::take(&mut page.device_infos);
                    let more = page.page.has_next && !infos.is_empty();
                    offset += u32::try_from(infos.len()).unwrap_or(PAGE);
                    devices.extend(infos.into_iter().map(|i| device(i, &page)));
                    if !more {
                        return Ok(devices);
                    }
                }
            })
            .await;
        let fetched = fetched.map(|devices| DeviceList {
            devices,
            fetched_at: local_now(),
            saved: false,
            problem: None,
        });
        self.fresh_or_saved(&owner, "devices".into(), fetched).await
    }

    /// The cameras (channels) of one device; the saved list when the cloud
    /// cannot be reached.
    pub async fn cameras(&self, serial: &str) -> Result<CameraList, ClientError> {
        let serial = serial.trim().to_uppercase();
        if serial.is_empty() || serial.len() > 64 {
            return Err(ClientError::invalid(
                "serial",
                Rule::NoSuchDevice,
                "no such device",
            ));
        }
        let owner = self.owner().await?;
        let key = format!("cameras:{serial}");
        let fetched = self
            .with_session(|session| {
                let serial = serial.clone();
                async move { self.api.cameras(&session, &serial).await }
            })
            .await;
        let fetched = fetched.map(|list| CameraList {
            serial,
            cameras: list.camera_infos.into_iter().map(camera).collect(),
            fetched_at: local_now(),
            saved: false,
            problem: None,
        });
        self.fresh_or_saved(&owner, key, fetched).await
    }

    /// A fresh list is kept for later; when the cloud cannot be reached, the
    /// kept one is shown instead, marked as saved and with the reason.
    async fn fresh_or_saved<T: Shown>(
        &self,
        owner: &str,
        key: String,
        fetched: Result<T, ClientError>,
    ) -> Result<T, ClientError> {
        match fetched {
            Ok(list) => {
                self.keep(owner, key, &list).await;
                Ok(list)
            }
            Err(
                e @ (ClientError::Unreachable { .. }
                | ClientError::Certificate { .. }
                | ClientError::CloudFailed { .. }),
            ) => match self.kept::<T>(owner, key).await {
                Some(list) => Ok(list.into_saved(e.to_string())),
                None => Err(e),
            },
            Err(e) => Err(e),
        }
    }

    /// Save a list; a failure only costs the offline copy, so it is logged.
    async fn keep<T: Serialize>(&self, owner: &str, key: String, value: &T) {
        let saved = match serde_json::to_string(value) {
            Ok(json) => {
                self.store
                    .save(owner.to_owned(), key, json, local_now())
                    .await
            }
            Err(e) => Err(ClientError::Storage(e.to_string())),
        };
        if let Err(e) = saved {
            tracing::warn!(error = %e, "could not keep the list for offline use");
        }
    }

    async fn kept<T: for<'de> Deserialize<'de>>(&self, owner: &str, key: String) -> Option<T> {
        let (json, _) = self.store.saved(owner.to_owned(), key).await.ok()??;
        serde_json::from_str(&json).ok()
    }
}
