//! The logged-in account's devices and their cameras.

use crate::error::ApiError;
use crate::http::extract::Form;
use crate::http::reply::{ok, ApiResult};
use crate::{devices, Cloud};
use axum::extract::State;
use hik_proto::request::{CamerasQuery, DevicePageQuery};
use hik_proto::wire::{DeviceInfo, Page};
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// `GET /v3/userdevices/v1/devices/pagelist?groupId=-1&limit=&offset=&filter=`.
/// `filter` names the maps to include (STATUS, CONNECTION, WIFI, comma-separated);
/// without it all are included.
pub async fn page(
    State(cloud): State<Arc<Cloud>>,
    axum::Extension(who): crate::sessions::Who,
    Form(q): Form<DevicePageQuery>,
) -> ApiResult {
    let limit = crate::http::extract::count_or(q.limit, 10);
    let offset = crate::http::extract::count_or(q.offset, 0);
    let filter = q.filter.map(|f| f.as_str().to_uppercase());
    let wants = |map: &str| {
        filter
            .as_deref()
            .is_none_or(|f| f.split(',').any(|x| x.trim() == map))
    };
    let (total, list) = cloud
        .db
        .call(move |conn| devices::page(conn, who.user_id, limit, offset))
        .await?;
    let (mut status, mut connection, mut wifi) = (Map::new(), Map::new(), Map::new());
    for d in &list {
        let serial = &d.info.device_serial;
        status.insert(
            serial.clone(),
            json!({"globalStatus": u8::from(d.online), "upgradeAvailable": u8::from(d.upgrade_available), "optionals": {}}),
        );
        connection.insert(
            serial.clone(),
            json!({"localIp": d.local_ip, "netIp": d.net_ip}),
        );
        if let Some((address, signal)) = &d.wifi {
            wifi.insert(
                serial.clone(),
                json!({"address": address, "signal": signal}),
            );
        }
    }
    let mut body = Map::new();
    body.insert("page".into(), json!(Page::new(limit, offset, total)));
    let infos: Vec<&DeviceInfo> = list.iter().map(|d| &d.info).collect();
    body.insert("deviceInfos".into(), json!(infos));
    for (name, key, map) in [
        ("STATUS", "statusInfos", status),
        ("CONNECTION", "connectionInfos", connection),
        ("WIFI", "wifiInfos", wifi),
    ] {
        if wants(name) {
            body.insert(key.into(), Value::Object(map));
        }
    }
    Ok(ok(Value::Object(body)))
}

/// `GET /v3/userdevices/v1/cameras/info?deviceSerial=`
pub async fn cameras(
    State(cloud): State<Arc<Cloud>>,
    axum::Extension(who): crate::sessions::Who,
    Form(q): Form<CamerasQuery>,
) -> ApiResult {
    let serial = q.device_serial.as_str().to_uppercase();
    let list = cloud
        .db
        .call(move |conn| devices::cameras(conn, who.user_id, &serial))
        .await?
        .ok_or_else(|| {
            ApiError::bad_field("deviceSerial", "no device with this serial on this account")
        })?;
    Ok(ok(json!({ "cameraInfos": list })))
}
