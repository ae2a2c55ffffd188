//! The account's simulated Hikvision devices. Every new account gets a plausible
//! set (two IP cameras, an NVR with camera channels, a DVR that is offline);
//! QA can ask for any number, and the set repeats with numbered names.

pub(crate) mod resources;
pub(crate) mod routes;

use crate::crypto::random_bytes;
use crate::db::{params, Row, Sql};
use crate::error::ApiError;
use hik_proto::wire::{CameraInfo, ChannelInfo, DeviceInfo};

/// The device set new accounts get.
pub const DEFAULT_COUNT: u32 = 4;

struct Template {
    name: &'static str,
    model: &'static str,
    category: &'static str,
    version: &'static str,
    channels: u32,
    named: &'static [&'static str],
    online: bool,
    wifi: bool,
}

const TEMPLATES: [Template; 4] = [
    Template {
        name: "Front Door",
        model: "DS-2CD2143G2-IS",
        category: "IPC",
        version: "V5.7.3 build 220112",
        channels: 1,
        named: &["Front Door"],
        online: true,
        wifi: false,
    },
    Template {
        name: "Garden",
        model: "DS-2CD2387G2-LU",
        category: "IPC",
        version: "V5.7.11 build 230112",
        channels: 1,
        named: &["Garden"],
        online: true,
        wifi: true,
    },
    Template {
        name: "Office NVR",
        model: "DS-7608NI-K2/8P",
        category: "NVR",
        version: "V4.61.025 build 220830",
        channels: 8,
        named: &["Reception", "Corridor", "Car Park", "Loading Bay"],
        online: true,
        wifi: false,
    },
    Template {
        name: "Warehouse DVR",
        model: "iDS-7204HQHI-M1/S",
        category: "DVR",
        version: "V4.31.100 build 210927",
        channels: 4,
        named: &["Dock 1", "Dock 2"],
        online: false,
        wifi: false,
    },
];

const SERIAL_CHARS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";

fn serial() -> String {
    let bytes = random_bytes::<8>();
    let tail: String = bytes
        .iter()
        .map(|b| char::from(SERIAL_CHARS[usize::from(*b) % SERIAL_CHARS.len()]))
        .collect();
    format!("{}{tail}", char::from(b'D' + bytes[0] % 20))
}

/// Give the account `count` devices after those it has.
pub fn provision(conn: &dyn Sql, user_id: i64, count: u32) -> Result<(), ApiError> {
    let existing: u32 = conn.one(
        "SELECT COUNT(*) FROM devices WHERE user_id = ?1",
        params![user_id],
    )?;
    for n in existing..existing + count {
        let t = &TEMPLATES[(n % 4) as usize];
        let round = n / 4;
        let name = if round == 0 {
            t.name.to_owned()
        } else {
            format!("{} {}", t.name, round + 1)
        };
        let serial = serial();
        let host = 64 + (n % 150);
        let device_id: i64 = conn.one("INSERT INTO devices (user_id, serial, full_serial, name, device_type, category, version, online,
                                  upgrade_available, local_ip, net_ip, wifi_address, wifi_signal)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) RETURNING id", params![
                user_id,
                &serial,
                format!("{}{}CCRR{serial}", t.model, 20_230_101 + n),
                name,
                t.model,
                t.category,
                t.version,
                t.online,
                t.category == "NVR",
                format!("192.168.1.{host}"),
                format!("203.0.113.{}", 10 + (n % 200)),
                // On Wi-Fi, the address on the Wi-Fi network is the local one.
                t.wifi.then(|| format!("192.168.1.{host}")),
                t.wifi.then_some(-48 - i64::from(n % 20)),
            ])?;
        for ch in 1..=t.channels {
            let named = t.named.get((ch - 1) as usize);
            conn.execute("INSERT INTO cameras (device_id, channel_no, name, is_show, signal_status) VALUES (?1, ?2, ?3, ?4, ?5)", params![
                    device_id,
                    ch,
                    named.map_or_else(|| format!("Camera {ch:02}"), |s| (*s).to_owned()),
                    named.is_some(),
                    t.online && named.is_some(),
                ])?;
        }
    }
    Ok(())
}

pub fn count(conn: &dyn Sql, user_id: i64) -> Result<u32, ApiError> {
    Ok(conn.one(
        "SELECT COUNT(*) FROM devices WHERE user_id = ?1",
        params![user_id],
    )?)
}

/// A device as the cloud keeps it: what the device list names (`info`, the
/// wire's `deviceInfos` entry) and what goes into its status, connection and
/// Wi-Fi maps.
#[derive(Debug, Clone)]
pub struct Device {
    pub info: DeviceInfo,
    pub online: bool,
    pub upgrade_available: bool,
    pub local_ip: String,
    pub net_ip: String,
    pub wifi: Option<(String, i64)>,
}

/// One page of the account's devices whose name or serial contains `search`.
pub fn page(
    conn: &dyn Sql,
    user_id: i64,
    limit: u32,
    offset: u32,
) -> Result<(u32, Vec<Device>), ApiError> {
    let total = count(conn, user_id)?;
    let rows = conn.map("SELECT serial, full_serial, name, device_type, version, category, online, upgrade_available,
                local_ip, net_ip, wifi_address, wifi_signal
         FROM devices WHERE user_id = ?1 ORDER BY id LIMIT ?2 OFFSET ?3", params![user_id, limit, offset], |r| {
        let wifi: Option<String> = r.get(10)?;
        let signal: Option<i64> = r.get(11)?;
        Ok(Device {
            info: DeviceInfo {
                device_serial: r.get(0)?,
                full_serial: r.get(1)?,
                name: r.get(2)?,
                device_type: r.get(3)?,
                version: r.get(4)?,
                device_category: r.get(5)?,
            },
            online: r.get(6)?,
            upgrade_available: r.get(7)?,
            local_ip: r.get(8)?,
            net_ip: r.get(9)?,
            wifi: wifi.zip(signal),
        })
    })?;
    Ok((total, rows))
}

/// The cameras of one of the account's devices, or `None` when the account has
/// no device with that serial.
pub fn cameras(
    conn: &dyn Sql,
    user_id: i64,
    serial: &str,
) -> Result<Option<Vec<CameraInfo>>, ApiError> {
    let list: Vec<CameraInfo> = conn.map(
        "SELECT c.channel_no, c.name, c.is_show, c.signal_status FROM cameras c
         JOIN devices d ON d.id = c.device_id
         WHERE d.user_id = ?1 AND d.serial = ?2 ORDER BY c.channel_no",
        params![user_id, serial],
        |r| camera(serial, r, 0),
    )?;
    if list.is_empty() && count_serial(conn, user_id, serial)? == 0 {
        return Ok(None);
    }
    Ok(Some(list))
}

/// A camera of the device `serial` from a row whose columns, from `first`,
/// are `channel_no, name, is_show, signal_status`.
fn camera(serial: &str, r: &Row, first: usize) -> Result<CameraInfo, crate::db::Error> {
    let channel_no: u32 = r.get(first)?;
    Ok(CameraInfo {
        camera_id: format!("{serial}-{channel_no}"),
        camera_name: r.get(first + 1)?,
        channel_no,
        is_show: r.get(first + 2)?,
        device_channel_info: ChannelInfo {
            signal_status: r.get(first + 3)?,
        },
    })
}

fn count_serial(conn: &dyn Sql, user_id: i64, serial: &str) -> Result<u32, ApiError> {
    Ok(conn.one(
        "SELECT COUNT(*) FROM devices WHERE user_id = ?1 AND serial = ?2",
        params![user_id, serial],
    )?)
}

/// The cameras of the account's devices among `serials`, keyed by serial.
pub fn cameras_of(
    conn: &dyn Sql,
    user_id: i64,
    serials: &[String],
) -> Result<std::collections::HashMap<String, Vec<CameraInfo>>, ApiError> {
    let mut by_serial: std::collections::HashMap<String, Vec<CameraInfo>> =
        serials.iter().map(|s| (s.clone(), Vec::new())).collect();
    let rows = conn.map(
        "SELECT d.serial, c.channel_no, c.name, c.is_show, c.signal_status FROM cameras c
         JOIN devices d ON d.id = c.device_id
         WHERE d.user_id = ?1 ORDER BY d.id, c.channel_no",
        params![user_id],
        |r| {
            let serial: String = r.get(0)?;
            let camera = camera(&serial, r, 1)?;
            Ok((serial, camera))
        },
    )?;
    for (serial, camera) in rows {
        if let Some(list) = by_serial.get_mut(&serial) {
            list.push(camera);
        }
    }
    Ok(by_serial)
}
