//! The language chosen in the app: saved in the local database, where the
//! next start reads it before the window paints, and sent to the cloud so
//! that its codes and notices come in it.

use super::Engine;
use crate::locale::Language;
use crate::store::LocalStore;
use crate::ClientError;
use std::path::Path;

const KEY: &str = "language";

/// The language chosen in the app last time, as saved in `data_dir`.
pub fn saved_language(data_dir: &Path) -> Option<String> {
    LocalStore::peek(&data_dir.join("app.db"), KEY)
}

impl Engine {
    /// Speak `language` from now on, and next time (unless a flag says
    /// otherwise).
    pub async fn set_language(&self, language: &Language) -> Result<(), ClientError> {
        self.store.set(KEY, language.tag().to_owned()).await?;
        self.api.set_lang(language.cloud());
        Ok(())
    }
}
