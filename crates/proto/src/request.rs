//! The protocol's requests as types: one struct per endpoint's inputs, each
//! field named once (its wire name beside its type), read from the fields a
//! client sent through each value's own parser, and written back as a form by
//! the app. The cloud reads them, the app's engine writes them, and the
//! cloud's OpenAPI document lists their fields.
//!
//! On the wire every value is text: a query string, a form, or a JSON body
//! whose values the cloud turns into text first. A blank value is an absent
//! one (clients send `bizType=` for "none").

use crate::types::{
    Account, AreaId, BizType, Email, FeatureCode, ParseError, PasswordDigest, Phone, VerifyCode,
};
use std::collections::HashMap;

/// The fields of one request, merged from the query, the form and a JSON body.
#[derive(Debug, Clone, Default)]
pub struct Fields(HashMap<String, String>);

impl Fields {
    pub fn new(map: HashMap<String, String>) -> Self {
        Self(map)
    }

    pub fn insert(&mut self, name: String, value: String) {
        self.0.insert(name, value);
    }

    /// The field's text, unless absent or blank.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|s| !s.trim().is_empty())
    }
}

/// Why a request could not be read: which field, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct FieldError {
    pub field: &'static str,
    pub problem: Problem,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("is required")]
    Missing,
    #[error("{0}")]
    Invalid(ParseError),
}

/// One field as the OpenAPI document describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldDoc {
    pub name: &'static str,
    pub required: bool,
    /// The JSON Schema type of its value: `string`, `integer`, `number`, `boolean`.
    pub kind: &'static str,
}

/// An endpoint's inputs.
pub trait Request: Sized {
    const FIELDS: &'static [FieldDoc];
    /// Read every field through its parser; the first problem names its field.
    fn read(fields: &Fields) -> Result<Self, FieldError>;
    /// The fields as a form or query, absent ones left out.
    fn write(&self) -> Vec<(&'static str, String)>;
}

/// A value a request field can carry.
pub trait Field: Sized {
    const KIND: &'static str = "string";
    fn read(text: &str) -> Result<Self, ParseError>;
    fn write(&self) -> String;
}

#[doc(hidden)]
pub fn required<T: Field>(fields: &Fields, name: &'static str) -> Result<T, FieldError> {
    match fields.get(name) {
        Some(text) => T::read(text).map_err(|e| FieldError {
            field: name,
            problem: Problem::Invalid(e),
        }),
        None => Err(FieldError {
            field: name,
            problem: Problem::Missing,
        }),
    }
}

#[doc(hidden)]
pub fn optional<T: Field>(fields: &Fields, name: &'static str) -> Result<Option<T>, FieldError> {
    fields
        .get(name)
        .map(|text| {
            T::read(text).map_err(|e| FieldError {
                field: name,
                problem: Problem::Invalid(e),
            })
        })
        .transpose()
}

/// `request! { /// docs \n Name { field: req Type = "wireName", other: opt Type = "otherName" } }`
macro_rules! request {
    ($(#[$meta:meta])* $name:ident { $( $(#[$fmeta:meta])* $field:ident : $mode:ident $ty:ty = $wire:literal ),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $name { $( $(#[$fmeta])* pub $field: request!(@type $mode $ty), )* }

        impl Request for $name {
            const FIELDS: &'static [FieldDoc] = &[$(
                FieldDoc { name: $wire, required: request!(@required $mode), kind: <$ty as Field>::KIND }
            ),*];

            #[allow(unused_variables)]
            fn read(fields: &Fields) -> Result<Self, FieldError> {
                Ok(Self { $( $field: request!(@read $mode fields $wire), )* })
            }

            #[allow(unused_mut, clippy::vec_init_then_push)]
            fn write(&self) -> Vec<(&'static str, String)> {
                let mut out = Vec::new();
                $( request!(@write $mode out $wire &self.$field); )*
                out
            }
        }
    };
    (@type req $ty:ty) => { $ty };
    (@type opt $ty:ty) => { Option<$ty> };
    (@required req) => { true };
    (@required opt) => { false };
    (@read req $fields:ident $wire:literal) => { required($fields, $wire)? };
    (@read opt $fields:ident $wire:literal) => { optional($fields, $wire)? };
    (@write req $out:ident $wire:literal $value:expr) => { $out.push(($wire, Field::write($value))) };
    (@write opt $out:ident $wire:literal $value:expr) => {
        if let Some(v) = $value { $out.push(($wire, Field::write(v))) }
    };
}

// ---- Values -------------------------------------------------------------

macro_rules! parsed_field {
    ($($ty:ty => $parse:path, $show:expr;)*) => {$(
        impl Field for $ty {
            fn read(text: &str) -> Result<Self, ParseError> {
                $parse(text)
            }
            fn write(&self) -> String {
                #[allow(clippy::redundant_closure_call)]
                ($show)(self)
            }
        }
    )*};
}

parsed_field! {
    Account => Account::parse, |v: &Account| v.as_str().to_owned();
    Email => Email::parse, |v: &Email| v.as_str().to_owned();
    Phone => Phone::parse, |v: &Phone| v.as_str().to_owned();
    BizType => BizType::parse, |v: &BizType| v.as_str().to_owned();
    PasswordDigest => PasswordDigest::parse, |v: &PasswordDigest| v.as_str().to_owned();
    FeatureCode => FeatureCode::parse, |v: &FeatureCode| v.as_str().to_owned();
    // As sent: a client that sends the code as a number dropped its leading
    // zeros, which the cloud restores (`VerifyCode::zero_padded`).
    VerifyCode => VerifyCode::parse_sent, |v: &VerifyCode| v.as_str().to_owned();
}

impl Field for AreaId {
    const KIND: &'static str = "integer";
    fn read(text: &str) -> Result<Self, ParseError> {
        AreaId::parse(text)
    }
    fn write(&self) -> String {
        self.get().to_string()
    }
}

/// Free text, trimmed, at most `Text::MAX` characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text(String);

impl Text {
    pub const MAX: usize = 4096;

    pub fn new(s: impl Into<String>) -> Self {
        Self(s.into())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn into_string(self) -> String {
        self.0
    }
}

impl Field for Text {
    fn read(text: &str) -> Result<Self, ParseError> {
        let t = text.trim();
        if t.chars().count() > Self::MAX {
            return Err(ParseError::Text { max: Self::MAX });
        }
        Ok(Self(t.to_owned()))
    }
    fn write(&self) -> String {
        self.0.clone()
    }
}

/// A whole number from `MIN` to `MAX`: every number a request carries has a
/// bound, and a value out of it is refused naming the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Bounded<const MIN: i64, const MAX: i64>(i64);

impl<const MIN: i64, const MAX: i64> Bounded<MIN, MAX> {
    /// `n` when it is in bounds.
    pub fn new(n: i64) -> Option<Self> {
        (MIN..=MAX).contains(&n).then_some(Self(n))
    }
    /// `n` in bounds, or the error that names them.
    pub fn try_new(n: impl TryInto<i64>) -> Result<Self, ParseError> {
        n.try_into()
            .ok()
            .and_then(Self::new)
            .ok_or_else(Self::out_of_range)
    }
    fn out_of_range() -> ParseError {
        ParseError::Number {
            min: MIN.to_string(),
            max: MAX.to_string(),
        }
    }
    pub const fn get(self) -> i64 {
        self.0
    }
    /// As an unsigned count (bounds below zero read as zero).
    pub fn count(self) -> u32 {
        u32::try_from(self.0.max(0)).unwrap_or(u32::MAX)
    }
    /// As unsigned seconds or a count that may exceed `u32`.
    pub fn unsigned(self) -> u64 {
        u64::try_from(self.0.max(0)).unwrap_or(0)
    }
}

impl<const MIN: i64, const MAX: i64> Field for Bounded<MIN, MAX> {
    const KIND: &'static str = "integer";
    fn read(text: &str) -> Result<Self, ParseError> {
        match text.trim().parse::<i64>() {
            Ok(n) => Self::try_new(n),
            Err(_) => Err(Self::out_of_range()),
        }
    }
    fn write(&self) -> String {
        self.0.to_string()
    }
}

/// A page's size, and where it starts.
pub type Limit = Bounded<1, 50>;
pub type Offset = Bounded<0, 1_000_000>;
/// The device group (`-1`: all).
pub type GroupId = Bounded<-1, 2_147_483_647>;
/// How far QA moves the clock in one step: up to 100 years.
pub type AdvanceSeconds = Bounded<0, 3_155_760_000>;
/// How late QA makes messages arrive: up to a week.
pub type DelaySeconds = Bounded<0, 604_800>;
/// How many of the next messages QA makes fail.
pub type FailNext = Bounded<0, 1_000>;
/// How many messages the QA outbox lists at once.
pub type OutboxLimit = Bounded<1, 500>;
/// How many devices a QA-made account gets.
pub type DeviceCount = Bounded<0, 200>;
/// How long an endpoint fault holds each request: up to a minute.
pub type LatencyMs = Bounded<0, 60_000>;

/// The HTTP status an endpoint fault answers with: a server or gateway error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FaultStatus(u16);

impl FaultStatus {
    pub const ALLOWED: [u16; 4] = [500, 502, 503, 504];
    pub const fn get(self) -> u16 {
        self.0
    }
}

impl Field for FaultStatus {
    const KIND: &'static str = "integer";
    fn read(text: &str) -> Result<Self, ParseError> {
        text.trim()
            .parse::<u16>()
            .ok()
            .filter(|s| Self::ALLOWED.contains(s))
            .map(Self)
            .ok_or(ParseError::FaultStatus)
    }
    fn write(&self) -> String {
        self.0.to_string()
    }
}

/// 1 or 0, as the protocol's switches are sent; `true` and `false` are read too
/// (a JSON body's booleans).
impl Field for bool {
    const KIND: &'static str = "boolean";
    fn read(text: &str) -> Result<Self, ParseError> {
        match text.trim() {
            "1" | "true" => Ok(true),
            "0" | "false" => Ok(false),
            _ => Err(ParseError::Switch),
        }
    }
    fn write(&self) -> String {
        if *self { "1" } else { "0" }.to_owned()
    }
}

/// A fraction from 0 to 1 (a rate).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fraction(f64);

impl Fraction {
    /// `f` when it is from 0 to 1.
    pub fn new(f: f64) -> Option<Self> {
        (0.0..=1.0).contains(&f).then_some(Self(f))
    }
    pub const fn get(self) -> f64 {
        self.0
    }
}

impl Field for Fraction {
    const KIND: &'static str = "number";
    fn read(text: &str) -> Result<Self, ParseError> {
        match text.trim().parse::<f64>() {
            Ok(f) if (0.0..=1.0).contains(&f) => Ok(Self(f)),
            _ => Err(ParseError::Fraction),
        }
    }
    fn write(&self) -> String {
        self.0.to_string()
    }
}

/// Where a code for the account itself goes: `smsType` 1 (SMS to the phone) or
/// 3 (the email).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SmsType {
    Phone,
    Email,
}

impl SmsType {
    pub const fn from_number(n: u8) -> Option<Self> {
        match n {
            1 => Some(Self::Phone),
            3 => Some(Self::Email),
            _ => None,
        }
    }
    pub const fn number(self) -> u8 {
        match self {
            Self::Phone => 1,
            Self::Email => 3,
        }
    }
}

impl Field for SmsType {
    const KIND: &'static str = "integer";
    fn read(text: &str) -> Result<Self, ParseError> {
        match text.trim() {
            "1" => Ok(Self::Phone),
            "3" => Ok(Self::Email),
            _ => Err(ParseError::SmsType),
        }
    }
    fn write(&self) -> String {
        self.number().to_string()
    }
}

/// Terminals by their featureCode, comma-separated, at most `Signs::MAX`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signs(Vec<FeatureCode>);

impl Signs {
    pub const MAX: usize = 100;

    pub fn new(signs: Vec<FeatureCode>) -> Self {
        Self(signs)
    }
    pub fn into_vec(self) -> Vec<FeatureCode> {
        self.0
    }
}

impl Field for Signs {
    fn read(text: &str) -> Result<Self, ParseError> {
        let signs = text
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(FeatureCode::parse)
            .collect::<Result<Vec<_>, _>>()?;
        if signs.is_empty() || signs.len() > Self::MAX {
            return Err(ParseError::List { max: Self::MAX });
        }
        Ok(Self(signs))
    }
    fn write(&self) -> String {
        self.0
            .iter()
            .map(FeatureCode::as_str)
            .collect::<Vec<_>>()
            .join(",")
    }
}

pub use crate::types::Channel;

impl Field for Channel {
    fn read(text: &str) -> Result<Self, ParseError> {
        match text.trim() {
            "email" => Ok(Self::Email),
            "sms" | "phone" => Ok(Self::Sms),
            _ => Err(ParseError::Channel),
        }
    }
    fn write(&self) -> String {
        self.as_str().to_owned()
    }
}

// ---- The API's requests --------------------------------------------------

request! {
    /// An endpoint that reads no field.
    NoFields {}
}

request! {
    /// `POST /v3/sms/nologin/checkcode`: a code while logged out.
    SendCodeLoggedOut {
        /// The account, or the new address for a sign-up.
        from: req Account = "from",
        biz_type: req BizType = "bizType",
        sms_type: opt SmsType = "smsType",
        /// The region of a sign-up.
        area_id: opt AreaId = "areaId",
    }
}

request! {
    /// `POST /v3/users/regist/v2`.
    SignUp {
        account: req Account = "account",
        password: req PasswordDigest = "password",
        area_id: req AreaId = "areaId",
        /// The dialling code of a phone account (`44`, `+44`).
        phone_code: opt Text = "phoneCode",
        sms_code: req VerifyCode = "smsCode",
        user_name: opt Text = "userName",
    }
}

request! {
    /// `POST /v3/users/login/v2` and `/v5`. `featureCode` may come as a header
    /// instead; `msgType` and `bizType` are sent by clients with a code
    /// (3, `TERMINAL_BIND`) and blank without, and change nothing here.
    Login {
        account: req Account = "account",
        password: req PasswordDigest = "password",
        feature_code: opt FeatureCode = "featureCode",
        /// The terminal's name, base64.
        cu_name: opt Text = "cuName",
        sms_code: opt VerifyCode = "smsCode",
        msg_type: opt Text = "msgType",
        biz_type: opt Text = "bizType",
        /// The answer to the captcha.
        image_code: opt Text = "imageCode",
    }
}

request! {
    /// `PUT /v3/apigateway/login`: a new session for a refresh token.
    Refresh {
        refresh_session_id: opt Text = "refreshSessionId",
        feature_code: opt FeatureCode = "featureCode",
    }
}

request! {
    /// `POST /v3/users/password/reset` with a `RETRIEVE_PASSWORD` code.
    ResetPassword {
        account: req Account = "account",
        password: req PasswordDigest = "password",
        sms_code: req VerifyCode = "smsCode",
    }
}

request! {
    /// `POST /v3/users/password/mod`.
    ChangePassword {
        old_password: req PasswordDigest = "oldPassword",
        new_password: req PasswordDigest = "newPassword",
    }
}

request! {
    /// `GET /v3/captcha`: read leniently; a picture is drawn whatever comes.
    CaptchaQuery {
        account: opt Text = "account",
        feature_code: opt Text = "featureCode",
    }
}

request! {
    /// `POST /v3/users/checkcode/mt`: a code while logged in.
    SendCodeLoggedIn {
        biz_type: req BizType = "bizType",
        sms_type: opt SmsType = "smsType",
        /// The new address, for `UPDATE_*_VALIDATE_NEW_*` (simulator-defined).
        contact: opt Text = "contact",
    }
}

request! {
    /// `DELETE /v3/users` with a `USER_DELETE` code (80000 without).
    DeleteAccount {
        sms_code: opt VerifyCode = "smsCode",
    }
}

request! {
    /// `PUT /v3/users/email`: the code sent to the new address and one from
    /// an old contact (`oldSmsType`: 3 email, 1 SMS).
    ChangeEmail {
        email: req Email = "email",
        sms_code: req VerifyCode = "smsCode",
        old_sms_code: req VerifyCode = "oldSmsCode",
        old_sms_type: opt SmsType = "oldSmsType",
        sms_type: opt SmsType = "smsType",
    }
}

request! {
    /// `PUT /v3/users/phone` (simulator-defined path), as the email change.
    ChangePhone {
        phone: req Phone = "phone",
        phone_code: opt Text = "phoneCode",
        sms_code: req VerifyCode = "smsCode",
        old_sms_code: req VerifyCode = "oldSmsCode",
        old_sms_type: opt SmsType = "oldSmsType",
        sms_type: opt SmsType = "smsType",
    }
}

request! {
    /// `GET /v3/userdevices/v1/devices/pagelist` and `.../resources/pagelist`.
    DevicePageQuery {
        group_id: opt GroupId = "groupId",
        limit: opt Limit = "limit",
        offset: opt Offset = "offset",
        /// Names of the maps to include, comma-separated.
        filter: opt Text = "filter",
    }
}

request! {
    /// `GET /v3/userdevices/v1/cameras/info`.
    CamerasQuery {
        device_serial: req Text = "deviceSerial",
    }
}

request! {
    /// `GET /v3/terminals`.
    PageQuery {
        limit: opt Limit = "limit",
        offset: opt Offset = "offset",
    }
}

request! {
    /// `PUT /v3/terminals/status`: two-step verification on (1) or off (0).
    SwitchTwoStep {
        enable: req bool = "enable",
        sms_code: opt VerifyCode = "smsCode",
    }
}

request! {
    /// `POST /v3/terminals/unbind`.
    Unbind {
        signs: req Signs = "signs",
        sms_code: opt VerifyCode = "smsCode",
    }
}

request! {
    /// `POST /v3/terminals/nologin`: terminals removed during a login that got
    /// 1069, with a `TERMINAL_DELETE` code.
    UnbindLoggedOut {
        temp_id: req Text = "tempId",
        signs: req Signs = "signs",
        sms_code: req VerifyCode = "smsCode",
    }
}

request! {
    /// `POST /v3/users/contact/test` (simulator-defined): the `CONTACT_TEST`
    /// code, typed back.
    ContactTest {
        sms_code: req VerifyCode = "smsCode",
    }
}

request! {
    /// `GET /v3/users/activity` (simulator-defined): the latest security events.
    ActivityQuery {
        limit: opt Limit = "limit",
    }
}

// ---- The QA surface's requests -------------------------------------------

request! {
    /// `GET /qa/outbox`.
    OutboxQuery {
        to: opt Text = "to",
        biz_type: opt Text = "bizType",
        limit: opt OutboxLimit = "limit",
    }
}

request! {
    /// `POST /qa/clock`.
    AdvanceClock {
        advance_seconds: req AdvanceSeconds = "advanceSeconds",
    }
}

request! {
    /// `GET /qa/captcha`.
    CaptchaAnswerQuery {
        account: req Account = "account",
    }
}

request! {
    /// `POST /qa/accounts`: a ready account.
    QaAccount {
        account: req Account = "account",
        /// In plain text: the QA surface hashes it as a client would.
        password: req Text = "password",
        area_id: opt AreaId = "areaId",
        two_step: opt bool = "twoStep",
        devices: opt DeviceCount = "devices",
        /// A second contact: an email for a phone account.
        email: opt Email = "email",
        /// A second contact: a phone number (in the account's area) for an
        /// email account.
        phone: opt Phone = "phone",
    }
}

request! {
    /// `POST /qa/scenarios/{name}`: a case of the guide set up in one step,
    /// for `account` (an existing one), or a fresh account.
    ScenarioQuery {
        account: opt Account = "account",
    }
}

request! {
    /// `POST /qa/faults`: delivery faults on a `channel`, or an endpoint
    /// fault on the requests whose path starts with `path` (a status to
    /// answer with instead, an added latency, for a share of them).
    SetFault {
        channel: opt Channel = "channel",
        delay_seconds: opt DelaySeconds = "delaySeconds",
        drop_rate: opt Fraction = "dropRate",
        fail_next: opt FailNext = "failNext",
        path: opt Text = "path",
        status: opt FaultStatus = "status",
        latency_ms: opt LatencyMs = "latencyMs",
        rate: opt Fraction = "rate",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        Fields::new(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn a_request_reads_through_each_fields_parser_and_names_the_field_at_fault() {
        let r = SendCodeLoggedOut::read(&fields(&[
            ("from", " Ana@Example.com "),
            ("bizType", "USER_REGISTRATION"),
            ("areaId", "44"),
            ("smsType", ""),
            ("unknown", "ignored"),
        ]))
        .unwrap();
        assert_eq!(r.from.as_str(), "ana@example.com");
        assert_eq!(r.biz_type, BizType::UserRegistration);
        assert_eq!(r.area_id, Some(AreaId::new(44)));
        assert_eq!(r.sms_type, None, "blank is absent");

        let e = SendCodeLoggedOut::read(&fields(&[("from", "a@b.co")])).unwrap_err();
        assert_eq!(e.to_string(), "bizType: is required");
        let e = SendCodeLoggedOut::read(&fields(&[
            ("from", "a@b.co"),
            ("bizType", "USER_REGISTRATION"),
            ("smsType", "2"),
        ]))
        .unwrap_err();
        assert_eq!(e.field, "smsType");
        assert_eq!(e.problem, Problem::Invalid(ParseError::SmsType));
    }

    #[test]
    fn what_is_written_reads_back_the_same() {
        let login = Login {
            account: Account::parse("447700900123").unwrap(),
            password: PasswordDigest::of_password("pw"),
            feature_code: Some(FeatureCode::parse("deadbeef").unwrap()),
            cu_name: Some(Text::new("bGFwdG9w")),
            sms_code: Some(VerifyCode::parse("012345").unwrap()),
            msg_type: None,
            biz_type: None,
            image_code: None,
        };
        let written = login.write();
        assert!(
            written.iter().all(|(k, _)| *k != "imageCode"),
            "absent fields are left out"
        );
        let pairs: Vec<(&str, &str)> = written.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(Login::read(&fields(&pairs)).unwrap(), login);
    }

    #[test]
    fn the_field_list_is_the_struct() {
        let names: Vec<&str> = Unbind::FIELDS.iter().map(|f| f.name).collect();
        assert_eq!(names, ["signs", "smsCode"]);
        assert!(Unbind::FIELDS[0].required && !Unbind::FIELDS[1].required);
        assert_eq!(SwitchTwoStep::FIELDS[0].kind, "boolean");
        assert!(NoFields::FIELDS.is_empty());
    }

    #[test]
    fn values_refuse_what_they_cannot_be() {
        let out_of_range = ParseError::Number {
            min: "1".into(),
            max: "50".into(),
        };
        for refused in ["0", "51", "-3", "9223372036854775808", "1e3", "x"] {
            assert_eq!(
                Limit::read(refused),
                Err(out_of_range.clone()),
                "{refused:?}"
            );
        }
        assert_eq!(Limit::read(" 50 ").unwrap().count(), 50);
        assert_eq!(GroupId::read("-1").unwrap().get(), -1);
        assert!(
            AdvanceSeconds::read("251606455197").is_err(),
            "past 100 years"
        );
        assert!(DelaySeconds::read("9223372036854775807").is_err());
        assert_eq!(bool::read("yes"), Err(ParseError::Switch));
        assert_eq!(Fraction::read("1.5"), Err(ParseError::Fraction));
        assert_eq!(Fraction::read("NaN"), Err(ParseError::Fraction));
        assert!(Text::read(&"x".repeat(Text::MAX + 1)).is_err());
        assert_eq!(
            Signs::read(" , ,"),
            Err(ParseError::List { max: Signs::MAX })
        );
        let signs = Signs::read("a, b").unwrap().into_vec();
        assert_eq!(
            signs.iter().map(FeatureCode::as_str).collect::<Vec<_>>(),
            ["a", "b"]
        );
    }
}
