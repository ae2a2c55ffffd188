//! The Hik-Connect account protocol, written once: result codes, parsed values and
//! the wire types shared by the simulated cloud and the app's engine.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod lang;
pub mod policy;
pub mod qa;
pub mod request;
pub mod result;
pub mod types;
pub mod wire;

pub use result::ResultCode;
pub use types::{
    Account, AreaId, BizType, Channel, CodeAlphabet, Email, FeatureCode, ParseError,
    PasswordDigest, Phone, VerifyCode,
};
