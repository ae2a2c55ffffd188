//! Regions: which listener serves which areas, and where an account lives.
//! An account belongs to the region of the area it signed up in; a request for
//! it at another region's listener is answered 1100 with the way there.

use crate::error::ApiError;
use crate::Cloud;
use hik_proto::wire::{Area, LoginArea};
use hik_proto::AreaId;

/// Which region's listener a request came in on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Here(pub usize);

/// The host of an `apiDomain` (`host:port`), brackets of an IPv6 literal kept.
pub(crate) fn host(api_domain: &str) -> &str {
    api_domain.rsplit_once(':').map_or(api_domain, |(h, _)| h)
}

/// The region serving `area`, if any.
pub(crate) fn region_of(cloud: &Cloud, area: u32) -> Option<usize> {
    cloud.regions.iter().position(|r| r.areas.contains(&area))
}

pub(crate) fn areas(cloud: &Cloud) -> Vec<Area> {
    crate::config::AREAS
        .iter()
        .filter_map(|a| {
            let region = &cloud.regions[region_of(cloud, a.id)?];
            Some(Area {
                id: a.id,
                name: a.name.into(),
                code: a.code.into(),
                telephone_code: a.telephone_code.into(),
                api_domain: region.api_domain.clone(),
            })
        })
        .collect()
}

pub(crate) fn find_area(cloud: &Cloud, id: AreaId) -> Option<Area> {
    areas(cloud).into_iter().find(|a| a.id == id.get())
}

/// Where an area's accounts live, as `loginArea`.
pub(crate) fn login_area(cloud: &Cloud, area: &Area) -> LoginArea {
    let region = region_of(cloud, area.id).map(|r| cloud.regions[r].name.clone());
    LoginArea {
        api_domain: area.api_domain.clone(),
        web_domain: area.api_domain.clone(),
        area_name: region.map_or_else(|| area.name.clone(), |r| format!("{} ({r})", area.name)),
        area_id: area.id,
    }
}

/// 1100 unless `area` is served by the region the request came in on.
pub(crate) fn require_region(cloud: &Cloud, here: Here, area: &Area) -> Result<(), ApiError> {
    match region_of(cloud, area.id) {
        Some(r) if r != here.0 => {
            let to = login_area(cloud, area);
            Err(ApiError::business(hik_proto::ResultCode::WrongRegion)
                .with_message(format!(
                    "This account belongs to another region: repeat the request at {}.",
                    to.api_domain
                ))
                .with(|f| f.login_area = Some(to)))
        }
        _ => Ok(()),
    }
}
