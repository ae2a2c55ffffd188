//! Where the terminal's fingerprint and the refresh token live: the OS keyring
//! (Secret Service, Keychain, Credential Manager). Never a file: if the keyring
//! cannot be reached the engine says so and works without remembering.

use std::collections::HashMap;
use std::sync::Mutex;

#[derive(Debug, Clone, thiserror::Error)]
#[error("the system keyring cannot be used: {0}")]
pub struct SecretError(pub String);

/// A tiny key-value store of secrets. Calls may block (D-Bus): run them off the
/// async threads.
pub trait SecretStore: Send + Sync + 'static {
    fn get(&self, name: &str) -> Result<Option<String>, SecretError>;
    fn set(&self, name: &str, value: &str) -> Result<(), SecretError>;
    fn delete(&self, name: &str) -> Result<(), SecretError>;
    /// Whether what is set outlives this process. A store that keeps secrets
    /// only in memory must say so here, so that nothing relies on it.
    fn persistent(&self) -> Result<(), SecretError> {
        Ok(())
    }
}

/// The OS keyring, under one service name (the namespace: one per install).
pub struct KeyringStore {
    service: String,
}

impl KeyringStore {
    pub fn new(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }
    fn entry(&self, name: &str) -> Result<keyring::Entry, SecretError> {
        keyring::Entry::new(&self.service, name).map_err(|e| SecretError(e.to_string()))
    }
}

impl SecretStore for KeyringStore {
    fn get(&self, name: &str) -> Result<Option<String>, SecretError> {
        match self.entry(name)?.get_password() {
            Ok(v) => Ok(Some(v)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(SecretError(e.to_string())),
        }
    }
    fn set(&self, name: &str, value: &str) -> Result<(), SecretError> {
        self.entry(name)?
            .set_password(value)
            .map_err(|e| SecretError(e.to_string()))
    }
    fn delete(&self, name: &str) -> Result<(), SecretError> {
        match self.entry(name)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(SecretError(e.to_string())),
        }
    }
    /// keyring falls back to its mock store, which keeps a secret only in the
    /// `Entry` object, on a platform whose native store is not compiled in.
    /// Such a store would make a new fingerprint at every launch: refuse it.
    fn persistent(&self) -> Result<(), SecretError> {
        use keyring::credential::CredentialPersistence::{EntryOnly, ProcessOnly};
        match keyring::default::default_credential_builder().persistence() {
            EntryOnly | ProcessOnly => Err(SecretError(
                "this build has no keyring for this operating system".into(),
            )),
            _ => Ok(()),
        }
    }
}

/// For tests: secrets in memory, optionally "unreachable" like a keyring with no
/// Secret Service on the bus.
#[derive(Default)]
pub struct MemoryStore {
    values: Mutex<HashMap<String, String>>,
    broken: bool,
    forgetful: bool,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn unreachable() -> Self {
        Self {
            broken: true,
            ..Self::default()
        }
    }
    /// A store that answers every call and keeps nothing, like keyring's mock
    /// store seen through a new `Entry`.
    pub fn forgetful() -> Self {
        Self {
            forgetful: true,
            ..Self::default()
        }
    }
    fn check(&self) -> Result<std::sync::MutexGuard<'_, HashMap<String, String>>, SecretError> {
        if self.broken {
            return Err(SecretError("no Secret Service on the session bus".into()));
        }
        self.values
            .lock()
            .map_err(|_| SecretError("memory store poisoned".into()))
    }
}

impl SecretStore for MemoryStore {
    fn get(&self, name: &str) -> Result<Option<String>, SecretError> {
        Ok(self.check()?.get(name).cloned())
    }
    fn set(&self, name: &str, value: &str) -> Result<(), SecretError> {
        let mut values = self.check()?;
        if !self.forgetful {
            values.insert(name.to_owned(), value.to_owned());
        }
        Ok(())
    }
    fn delete(&self, name: &str) -> Result<(), SecretError> {
        self.check()?.remove(name);
        Ok(())
    }
}
