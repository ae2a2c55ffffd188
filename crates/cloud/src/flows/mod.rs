//! The cloud's flows, out of the transport: each takes typed inputs (the
//! request types of `hik_proto::request`, who is calling, which region) and
//! returns a typed outcome or the protocol's error. The HTTP handlers extract,
//! call one flow, and map the result to a reply.

pub(crate) mod account;
pub(crate) mod login;
pub(crate) mod qa;
pub(crate) mod scenarios;
pub(crate) mod signup;
pub(crate) mod terminals;

use crate::error::ApiError;
use hik_proto::FeatureCode;

/// Who is calling, from the headers every client sends.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    pub feature: Option<FeatureCode>,
    pub client_type: u32,
}

impl Caller {
    /// `featureCode` from the form (already read), else from the header.
    pub fn feature_code(&self, sent: Option<FeatureCode>) -> Result<FeatureCode, ApiError> {
        sent.or_else(|| self.feature.clone())
            .ok_or_else(|| ApiError::bad_field("featureCode", "is required"))
    }
}
