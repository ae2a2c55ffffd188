//! The account's simulated Hikvision devices and their cameras.

use super::{bounded, CloudApi};
use crate::ClientError;
use hik_proto::request::{self, CamerasQuery, DevicePageQuery, Request, Text};
use hik_proto::wire::{CameraList, DevicePage};

impl CloudApi {
    /// One page of the account's devices, with their status and addresses.
    pub async fn devices(
        &self,
        session: &str,
        limit: u32,
        offset: u32,
    ) -> Result<DevicePage, ClientError> {
        self.decode(
            self.request(
                reqwest::Method::GET,
                "/v3/userdevices/v1/devices/pagelist",
                Some(session),
            )
            .query(
                &DevicePageQuery {
                    group_id: request::GroupId::new(-1),
                    limit: Some(bounded("limit", limit)?),
                    offset: Some(bounded("offset", offset)?),
                    filter: None,
                }
                .write(),
            ),
        )
        .await
    }

    /// The cameras (channels) of one device.
    pub async fn cameras(&self, session: &str, serial: &str) -> Result<CameraList, ClientError> {
        self.decode(
            self.request(
                reqwest::Method::GET,
                "/v3/userdevices/v1/cameras/info",
                Some(session),
            )
            .query(
                &CamerasQuery {
                    device_serial: Text::new(serial),
                }
                .write(),
            ),
        )
        .await
    }
}
