//! `GET /v3/userdevices/v1/resources/pagelist`: the account's devices as the
//! EZVIZ-family clients read them (pyezvizapi and the apps built on the same
//! service). Beside `deviceInfos` and `resourceInfos` (one per camera
//! channel), the reply carries one map per name in `filter`: keyed by device
//! serial (`STATUS`, `CONNECTION`, `WIFI`, `SWITCH`, `NODISTURB`, `UPGRADE`,
//! ...) or by resource id (`CLOUD`, `CHANNEL`, `VTM`, `VIDEO_QUALITY`). A name
//! this cloud has nothing for gets an empty map, as a device without that
//! feature would.

use crate::devices::Device;
use crate::error::ApiError;
use crate::http::extract::Form;
use crate::http::reply::{ok, ApiResult};
use crate::{devices, Cloud};
use axum::extract::State;
use hik_proto::request::DevicePageQuery;
use hik_proto::wire::{CameraInfo, Page};
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// Filter names a request may list, and how long one may be.
const MAX_FILTERS: usize = 40;
const MAX_FILTER_LEN: usize = 32;

/// Maps keyed by resource id (one per camera channel); the rest are keyed by
/// device serial.
const BY_RESOURCE: [&str; 4] = ["CLOUD", "CHANNEL", "VTM", "VIDEO_QUALITY"];

pub async fn page(
    State(cloud): State<Arc<Cloud>>,
    axum::Extension(who): crate::sessions::Who,
    Form(q): Form<DevicePageQuery>,
) -> ApiResult {
    let limit = crate::http::extract::count_or(q.limit, 30);
    let offset = crate::http::extract::count_or(q.offset, 0);
    let filters = filters(q.filter.as_ref().map(|f| f.as_str()))?;
    let (total, list, cameras) = cloud
        .db
        .call(move |conn| {
            let (total, list) = devices::page(conn, who.user_id, limit, offset)?;
            let serials: Vec<String> = list.iter().map(|d| d.info.device_serial.clone()).collect();
            let cameras = devices::cameras_of(conn, who.user_id, &serials)?;
            Ok::<_, ApiError>((total, list, cameras))
        })
        .await?;
    let mut body = Map::new();
    body.insert("page".into(), json!(Page::new(limit, offset, total)));
    let mut infos = Vec::new();
    let mut resources = Vec::new();
    let mut maps: Vec<(String, Map<String, Value>)> =
        filters.iter().map(|f| (f.clone(), Map::new())).collect();
    for d in &list {
        let channels = cameras
            .get(&d.info.device_serial)
            .map_or(&[][..], Vec::as_slice);
        infos.push(device_info(d, channels.len()));
        for camera in channels {
            resources.push(resource_info(d, camera));
        }
        for (name, map) in &mut maps {
            if BY_RESOURCE.contains(&name.as_str()) {
                for camera in channels {
                    if let Some(v) = by_resource(name, d, camera) {
                        map.insert(camera.camera_id.clone(), v);
                    }
                }
            } else if let Some(v) = by_serial(name, d, channels) {
                map.insert(d.info.device_serial.clone(), v);
            }
        }
    }
    body.insert("deviceInfos".into(), Value::Array(infos));
    body.insert("resourceInfos".into(), Value::Array(resources));
    for (name, map) in maps {
        body.insert(name, Value::Object(map));
    }
    Ok(ok(Value::Object(body)))
}

/// The names in `filter` (comma-separated, spaces allowed, any case), each
/// once. Without a filter, the maps clients use most.
fn filters(filter: Option<&str>) -> Result<Vec<String>, ApiError> {
    let Some(filter) = filter else {
        return Ok(["CLOUD", "STATUS", "CONNECTION", "WIFI", "SWITCH"]
            .map(str::to_owned)
            .to_vec());
    };
    let mut names: Vec<String> = Vec::new();
    for name in filter.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let usable = name.len() <= MAX_FILTER_LEN
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !usable {
            return Err(ApiError::bad_field(
                "filter",
                format!("{name:?} is not a filter name (letters, digits and _, at most {MAX_FILTER_LEN})"),
            ));
        }
        let name = name.to_ascii_uppercase();
        if !names.contains(&name) {
            names.push(name);
        }
    }
    if names.len() > MAX_FILTERS {
        return Err(ApiError::bad_field(
            "filter",
            format!("names at most {MAX_FILTERS} maps"),
        ));
    }
    Ok(names)
}

/// EZVIZ files recorders (NVR, DVR) under `XVR`, with the kind as sub-category.
fn category(d: &Device) -> (&str, &str) {
    match d.info.device_category.as_str() {
        "IPC" => ("IPC", "IPC"),
        other => ("XVR", other),
    }
}

/// The device's capabilities as EZVIZ sends them: a JSON object of
/// capability numbers, itself sent as a string.
fn support_ext(d: &Device) -> String {
    let recorder = d.info.device_category != "IPC";
    let wifi = d.wifi.is_some();
    json!({
        "7": "1",                                      // alarm voice
        "14": "1",                                     // capture
        "15": "1",                                     // change the safe password
        "52": if recorder { "1" } else { "0" },        // channel types
        "58": "0",                                     // bluetooth
        "106": if wifi { "1" } else { "0" },           // AP mode
    })
    .to_string()
}

fn device_info(d: &Device, channels: usize) -> Value {
    let (category, sub_category) = category(d);
    json!({
        "deviceSerial": d.info.device_serial,
        "fullSerial": d.info.full_serial,
        "name": d.info.name,
        "deviceType": d.info.device_type,
        "version": d.info.version,
        "deviceCategory": category,
        "deviceSubCategory": sub_category,
        // EZVIZ: 1 online, 2 offline.
        "status": if d.online { 1 } else { 2 },
        "channelNumber": channels,
        "hik": true,
        "mac": mac(d),
        "offlineNotify": 0,
        "offlineTime": if d.online { Value::Null } else { json!("2026-01-01 00:00:00") },
        "supportExt": support_ext(d),
    })
}

/// A stable, locally administered MAC derived from the serial.
fn mac(d: &Device) -> String {
    let mut bytes = [0x02u8, 0, 0, 0, 0, 0];
    for (i, b) in d.info.device_serial.bytes().enumerate() {
        bytes[1 + i % 5] = bytes[1 + i % 5].wrapping_mul(31).wrapping_add(b);
    }
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

fn resource_info(d: &Device, camera: &CameraInfo) -> Value {
    json!({
        "resourceId": camera.camera_id,
        "resourceName": camera.camera_name,
        "deviceSerial": d.info.device_serial,
        "localIndex": camera.channel_no.to_string(),
        "resourceType": 1,
        "isShow": camera.is_show,
        "shareType": 0,
        "permission": -1,
        "videoLevel": 2,
    })
}

fn by_resource(name: &str, d: &Device, camera: &CameraInfo) -> Option<Value> {
    let serial = &d.info.device_serial;
    let channel = camera.channel_no;
    Some(match name {
        // No cloud storage plan: status -1.
        "CLOUD" => {
            json!({"deviceSerial": serial, "channelNo": channel, "status": -1, "totalDays": 0, "validDays": 0})
        }
        "CHANNEL" => {
            json!({"deviceSerial": serial, "channelNo": channel, "channelName": camera.camera_name,
                            "isShow": camera.is_show, "signalStatus": camera.device_channel_info.signal_status})
        }
        "VIDEO_QUALITY" => json!({"deviceSerial": serial, "channelNo": channel, "videoLevel": 2}),
        _ => return None,
    })
}

fn by_serial(name: &str, d: &Device, channels: &[CameraInfo]) -> Option<Value> {
    let serial = &d.info.device_serial;
    Some(match name {
        "STATUS" => json!({
            "globalStatus": u8::from(d.online),
            "upgradeAvailable": u8::from(d.upgrade_available),
            "upgradeStatus": -1,
            "upgradeProcess": -1,
            "isEncrypt": 0,
            "alarmSoundMode": 0,
            "diskNum": if d.info.device_category == "IPC" { 0 } else { 1 },
            "optionals": {"timeZone": "UTC+00:00"},
        }),
        "CONNECTION" => json!({
            "localIp": d.local_ip,
            "netIp": d.net_ip,
            "localRtspPort": 554,
            "netType": if d.wifi.is_some() { "wireless" } else { "wire" },
        }),
        "WIFI" => {
            let (address, signal) = d.wifi.as_ref()?;
            json!({"address": address, "signal": signal, "netType": "wireless"})
        }
        "SWITCH" => Value::Array(
            channels
                .iter()
                .map(|c| json!({"deviceSerial": serial, "channelNo": c.channel_no, "type": 7, "enable": true}))
                .collect(),
        ),
        "NODISTURB" => json!({"alarmEnable": 0, "callingEnable": 0}),
        "UPGRADE" => json!({"isNeedUpgrade": if d.upgrade_available { 3 } else { 0 }}),
        _ => return None,
    })
}
