//! One-click QA scenarios: each case of the verification-code guide's
//! troubleshooting section set up in one step (`POST /qa/scenarios/{name}`),
//! for an account QA names or a fresh one.

use crate::codes::{self, Subject};
use crate::error::ApiError;
use crate::Cloud;
use hik_proto::qa::{EndpointFault, QaFault};
use hik_proto::qa::{ScenarioInfo, ScenarioSetUp};
use hik_proto::request::{QaAccount, Text};
use hik_proto::{Account, AreaId, BizType, FeatureCode};
use std::sync::Arc;

/// The password of the fresh accounts scenarios make.
pub(crate) const PASSWORD: &str = "Scenario-Pass-1";

/// A case of the verification-code guide, named in kebab case
/// (`code-never-arrives`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString, strum::VariantArray,
)]
#[strum(serialize_all = "kebab-case")]
pub(crate) enum Scenario {
    CodeNeverArrives,
    CodeArrivesLate,
    CodeExpired,
    OneTryLeft,
    CaptchaRequired,
    AccountLocked,
    TerminalsFull,
    OtherRegion,
    CloudTimesOut,
    SessionExpired,
}

impl Scenario {
    /// Its name in `POST /qa/scenarios/{name}`.
    pub(crate) fn name(self) -> &'static str {
        self.into()
    }

    pub(crate) const fn title(self) -> &'static str {
        match self {
            Self::CodeNeverArrives => "A code that never arrives",
            Self::CodeArrivesLate => "A code that arrives late",
            Self::CodeExpired => "An expired code",
            Self::OneTryLeft => "A code with one try left",
            Self::CaptchaRequired => "A captcha required",
            Self::AccountLocked => "A locked account",
            Self::TerminalsFull => "All 10 terminals taken (1069)",
            Self::OtherRegion => "An account in the other region (1100)",
            Self::CloudTimesOut => "The cloud timing out",
            Self::SessionExpired => "A session that has just expired",
        }
    }

    pub(crate) fn parse(name: &str) -> Option<Self> {
        name.parse().ok()
    }

    pub(crate) fn list() -> Vec<ScenarioInfo> {
        <Self as strum::VariantArray>::VARIANTS
            .iter()
            .map(|s| ScenarioInfo {
                name: s.name().to_owned(),
                title: s.title().to_owned(),
            })
            .collect()
    }
}

/// Set `scenario` up for `account`, or for a fresh account.
pub(crate) async fn set_up(
    cloud: &Arc<Cloud>,
    scenario: Scenario,
    account: Option<Account>,
) -> Result<ScenarioSetUp, ApiError> {
    let (user, password) = match account {
        Some(a) => (existing(cloud, &a).await?, None),
        None => fresh(cloud, scenario).await?,
    };
    let ctx = crate::context::Ctx::new(cloud.clock.now());
    let rules = cloud.rules.clone();
    let c = Arc::clone(cloud);
    let u = user.clone();
    let summary = cloud
        .db
        .call(move |conn| apply(conn, &c, &rules, &ctx, scenario, &u))
        .await?;
    if let Scenario::CodeExpired = scenario {
        // Past the code's life, on every instance.
        let secs = u64::try_from(cloud.rules.code_ttl_secs + 1).unwrap_or(601);
        let wall = crate::clock::wall();
        let offset = cloud
            .db
            .call(move |conn| crate::qa::state::advance_clock(conn, wall, secs))
            .await?
            .map_err(|_| ApiError::bad_field("scenario", "the clock cannot move further"))?;
        cloud.clock.set_offset(offset);
    }
    tracing::info!(
        scenario = scenario.name(),
        user_id = user.id,
        "QA set up a scenario"
    );
    Ok(ScenarioSetUp {
        scenario: scenario.name().to_owned(),
        account: user
            .contact()
            .map_or_else(String::new, |a| a.as_str().to_owned()),
        password: password.map(str::to_owned),
        summary,
    })
}

async fn existing(cloud: &Cloud, account: &Account) -> Result<crate::users::User, ApiError> {
    let a = account.clone();
    cloud
        .db
        .call(move |conn| crate::users::find(conn, &a))
        .await?
        .ok_or_else(|| ApiError::bad_field("account", "no account has this address"))
}

/// A fresh account for `scenario`: in the second region for `other-region`.
async fn fresh(
    cloud: &Arc<Cloud>,
    scenario: Scenario,
) -> Result<(crate::users::User, Option<&'static str>), ApiError> {
    let tag = crate::crypto::random_code(6, hik_proto::CodeAlphabet::Letters).to_lowercase();
    let address = format!("{}-{tag}@example.com", scenario.name());
    let account =
        Account::parse(&address).map_err(|e| ApiError::internal(format!("{address}: {e}")))?;
    let area = match scenario {
        Scenario::OtherRegion => other_area(cloud, None),
        _ => cloud.regions.first().and_then(|r| r.areas.first().copied()),
    }
    .unwrap_or(44);
    super::accounts::create_account(
        cloud,
        QaAccount {
            account: account.clone(),
            password: Text::new(PASSWORD),
            area_id: Some(AreaId::new(area)),
            two_step: None,
            devices: None,
            email: None,
            phone: None,
        },
    )
    .await?;
    Ok((existing(cloud, &account).await?, Some(PASSWORD)))
}

/// An area of a region other than the one `of` is in (the second region for
/// a fresh account).
fn other_area(cloud: &Cloud, of: Option<u32>) -> Option<u32> {
    let here = of
        .and_then(|a| crate::regions::region_of(cloud, a))
        .unwrap_or(0);
    cloud
        .regions
        .iter()
        .enumerate()
        .find(|(i, _)| *i != here)
        .and_then(|(_, r)| r.areas.first().copied())
}

fn apply(
    conn: &dyn crate::db::Sql,
    cloud: &Cloud,
    rules: &crate::Rules,
    ctx: &crate::context::Ctx,
    scenario: Scenario,
    user: &crate::users::User,
) -> Result<String, ApiError> {
    let now = ctx.now;
    let both = |fault: QaFault| -> Result<(), ApiError> {
        for channel in [
            crate::delivery::outbox::Channel::Email,
            crate::delivery::outbox::Channel::Sms,
        ] {
            crate::delivery::faults::set_delivery_fault(conn, channel, &fault)?;
        }
        Ok(())
    };
    Ok(match scenario {
        Scenario::CodeNeverArrives => {
            both(QaFault {
                drop_rate: 1.0,
                ..QaFault::default()
            })?;
            "Every email and SMS is dropped from now on: a code that is sent never \
             arrives (the QA inbox shows it as dropped). Clear the faults to deliver again."
                .into()
        }
        Scenario::CodeArrivesLate => {
            both(QaFault {
                delay_seconds: 300,
                ..QaFault::default()
            })?;
            "Every email and SMS arrives 5 minutes late (cloud clock) from now on. \
             Move the clock, or clear the faults."
                .into()
        }
        Scenario::CodeExpired => {
            let sent = live_or_new_code(conn, cloud, ctx, user)?;
            format!(
                "{sent} The clock moved {} s: every code sent so far has expired.",
                rules.code_ttl_secs + 1
            )
        }
        Scenario::OneTryLeft => {
            let sent = live_or_new_code(conn, cloud, ctx, user)?;
            let subject = Subject::User(user.id);
            let wrong = rules.code_max_wrong - 1;
            codes::set_wrong(conn, &subject, BizType::TerminalBind, wrong)?;
            format!("{sent} It has one try left: one more wrong entry and it stops working.")
        }
        Scenario::CaptchaRequired => {
            crate::protection::set_state(conn, user.id, rules.captcha_after_failures, 0)?;
            format!(
                "{} wrong passwords in a row: the next login needs the captcha.",
                rules.captcha_after_failures
            )
        }
        Scenario::AccountLocked => {
            let until = now + rules.lock_secs;
            crate::protection::set_state(conn, user.id, rules.lock_after_failures, until)?;
            format!(
                "{} wrong passwords in a row: the account is locked for {} minutes. \
                 A password reset unlocks it.",
                rules.lock_after_failures,
                rules.lock_secs / 60
            )
        }
        Scenario::TerminalsFull => {
            let have = crate::terminals::count(conn, user.id)?;
            for i in have..rules.max_terminals {
                let sign = FeatureCode::parse(&format!("{:032x}", 0x5ce0_0000_u64 + u64::from(i)))
                    .map_err(|e| ApiError::internal(e.to_string()))?;
                let name = format!("QA phone {}", i + 1);
                let ip = format!("192.0.2.{}", i + 1);
                let t = crate::users::Terminal {
                    sign: &sign,
                    name: &name,
                    client_type: 13,
                    ip: &ip,
                };
                crate::users::bind(conn, ctx, user.id, t)?;
            }
            format!(
                "The account has all {} terminals it may have: a new computer gets 1069 \
                 and must remove one first.",
                rules.max_terminals
            )
        }
        Scenario::OtherRegion => {
            // Another region than the first (where clients start); a fresh
            // account was made there already.
            let mut area = user.area_id;
            if crate::regions::region_of(cloud, area).unwrap_or(0) == 0 {
                area = other_area(cloud, Some(area))
                    .ok_or_else(|| ApiError::bad_field("scenario", "this cloud has one region"))?;
                crate::users::set_area(conn, user.id, area)?;
            }
            format!(
                "The account lives in area {area}, another region: a login at this one \
                 gets 1100 and the way there."
            )
        }
        Scenario::CloudTimesOut => {
            let fault = EndpointFault {
                path: "/v3/".into(),
                status: Some(504),
                latency_ms: 5000,
                rate: 1.0,
            };
            crate::qa::state::set_endpoint_fault(conn, &fault)?;
            "Every request of the protocol is held 5 s, then answered 504 (a gateway \
             timeout). Clear the faults to serve again."
                .into()
        }
        Scenario::SessionExpired => {
            crate::sessions::expire_user(conn, user.id, now - 1)?;
            "Every session and refresh token of the account has just expired: the app's \
             next request finds it logged out."
                .into()
        }
    })
}

/// A live TERMINAL_BIND code for the account (the one a login waiting on it
/// holds), or a new one sent to its address.
fn live_or_new_code(
    conn: &dyn crate::db::Sql,
    cloud: &Cloud,
    ctx: &crate::context::Ctx,
    user: &crate::users::User,
) -> Result<String, ApiError> {
    let subject = Subject::User(user.id);
    if codes::is_live(conn, &subject, BizType::TerminalBind, ctx.now)? {
        return Ok("The TERMINAL_BIND code already sent is the one.".into());
    }
    let to = user
        .contact()
        .ok_or_else(|| ApiError::bad_field("account", "has no address"))?;
    let biz = BizType::TerminalBind;
    let it = codes::Issue {
        subject: &subject,
        biz,
        to: &to,
    };
    codes::deliver(conn, cloud, ctx, it)?;
    Ok("A TERMINAL_BIND code was sent (see the QA inbox).".into())
}
