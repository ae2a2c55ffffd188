//! Accounts made at start (`hik-cloud --seed FILE`), so that a client author's
//! first login has an account to log in to. The file is TOML: one
//! `[[account]]` table per account, with the fields of `POST /qa/accounts`
//! under the same names, read by the same parser:
//!
//! ```toml
//! [[account]]
//! account = "ana@example.com"
//! password = "Correct-Horse-9"
//! areaId = 44        # the area it signs up in (default 44)
//! twoStep = false    # default true
//! devices = 3        # simulated devices (default 3)
//! ```
//!
//! An account that exists already is left as it is, so a restart keeps what
//! happened to it.

use crate::error::ApiError;
use crate::Cloud;
use hik_proto::request::{Fields, QaAccount, Request};

/// The accounts of a seed file, checked.
#[derive(Debug, Clone, Default)]
pub struct Seed {
    pub(crate) accounts: Vec<QaAccount>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedFile {
    #[serde(default)]
    account: Vec<toml::Table>,
}

impl Seed {
    /// Read and check a seed file; an error names the file, the account's
    /// place in it and the field.
    pub fn read(path: &std::path::Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the seed file {}: {e}", path.display()))?;
        Self::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Parse the text of a seed file.
    pub fn parse(text: &str) -> Result<Self, String> {
        let file: SeedFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut accounts = Vec::new();
        for (index, table) in file.account.into_iter().enumerate() {
            let place = format!("[[account]] number {}", index + 1);
            let mut fields = Fields::default();
            for (name, value) in table {
                if !QaAccount::FIELDS.iter().any(|f| f.name == name) {
                    let known: Vec<_> = QaAccount::FIELDS.iter().map(|f| f.name).collect();
                    return Err(format!(
                        "{place}: unknown key {name:?} (known: {})",
                        known.join(", ")
                    ));
                }
                let text = match value {
                    toml::Value::String(s) => s,
                    toml::Value::Integer(n) => n.to_string(),
                    toml::Value::Boolean(b) => b.to_string(),
                    other => return Err(format!("{place}: {name} cannot be {}", other.type_str())),
                };
                fields.insert(name, text);
            }
            let account = QaAccount::read(&fields).map_err(|e| format!("{place}: {e}"))?;
            accounts.push(account);
        }
        Ok(Self { accounts })
    }

    pub fn len(&self) -> usize {
        self.accounts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty()
    }
}

/// What seeding did to one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seeded {
    Created(String),
    /// It existed already and was left as it is.
    Kept(String),
}

/// Make each account of `seed` that does not exist yet.
pub(crate) async fn apply(cloud: &Cloud, seed: &Seed) -> Result<Vec<Seeded>, ApiError> {
    let mut done = Vec::new();
    for account in &seed.accounts {
        let name = account.account.as_str().to_owned();
        let wanted = account.account.clone();
        let exists = cloud
            .db
            .call(move |conn| Ok::<_, ApiError>(crate::users::find(conn, &wanted)?.is_some()))
            .await?;
        if exists {
            done.push(Seeded::Kept(name));
        } else {
            crate::qa::accounts::create_account(cloud, account.clone()).await?;
            done.push(Seeded::Created(name));
        }
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_file_reads_with_the_qa_surfaces_names() {
        let seed = Seed::parse(
            "[[account]]\naccount = \"ana@example.com\"\npassword = \"Correct-Horse-9\"\n\
             areaId = 1\ntwoStep = false\ndevices = 2\n\n\
             [[account]]\naccount = \"015123456789\"\npassword = \"x\"\n",
        )
        .unwrap();
        assert_eq!(seed.len(), 2);
        let ana = &seed.accounts[0];
        assert_eq!(ana.account.as_str(), "ana@example.com");
        assert_eq!(ana.area_id.map(|a| a.get()), Some(1));
        assert_eq!(ana.two_step, Some(false));
        assert_eq!(ana.devices.map(|d| d.get()), Some(2));
    }

    #[test]
    fn a_bad_seed_file_names_the_account_and_the_field() {
        let e = Seed::parse("[[account]]\naccount = \"ana@example.com\"\n").unwrap_err();
        assert!(e.contains("number 1") && e.contains("password"), "{e}");
        let e =
            Seed::parse("[[account]]\naccount = \"not an address\"\npassword = \"x\"").unwrap_err();
        assert!(e.contains("account"), "{e}");
        let e = Seed::parse(
            "[[account]]\naccount = \"a@b.example\"\npassword = \"x\"\ntwo_step = false",
        )
        .unwrap_err();
        assert!(e.contains("two_step") && e.contains("twoStep"), "{e}");
        let e = Seed::parse("[[acount]]\naccount = \"a@b.example\"").unwrap_err();
        assert!(e.contains("acount"), "{e}");
        let e =
            Seed::parse("[[account]]\naccount = \"a@b.example\"\npassword = \"x\"\ndevices = 999")
                .unwrap_err();
        assert!(e.contains("devices"), "{e}");
    }
}
