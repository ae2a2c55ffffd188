//! The app's engine, with no desktop in it: talks to the cloud (reqwest), runs the
//! sign-up and login flows, keeps the terminal's fingerprint and the refresh token
//! in the OS keyring and a little local state in SQLite. The Tauri commands and
//! the tests call the same `Engine`.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod api;
pub mod engine;
pub mod error;
pub mod locale;
pub mod secrets;
pub mod store;

pub use api::QaApi;
pub use engine::{
    Camera, CameraList, Channel, CodePurpose, Device, DeviceList, Engine, EngineConfig, Home,
    LoginOutcome, QaView, Removed, Security, Status, Terminal,
};
pub use error::{ClientError, ErrorCode, Rule, StartStage, Transport, WireError};
pub use locale::Language;
pub use secrets::{KeyringStore, MemoryStore, SecretStore};
