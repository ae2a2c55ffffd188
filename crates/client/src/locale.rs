//! The app's language: one of those it speaks (each a catalogue of the UI,
//! `ui/src/i18n/messages/<tag>.json`, plus the two pseudo-locales QA uses to
//! find cut-off text and mirrored layouts). Chosen from the `--lang` flag (or
//! `HIK_LANG`), else the choice made in the app, else the operating system's
//! locale, else English. The shell says which languages there are; this
//! module knows how a tag however written names one of them.

use hik_proto::lang::{is_simplified_chinese, parse_tag, Lang};
use serde::{Deserialize, Serialize};

/// The two pseudo-locales, made from English at build time; chosen by their
/// exact tags only (`en-US` is not `en-XA`).
pub const PSEUDO: [&str; 2] = ["en-XA", "ar-XB"];

/// A language the app speaks, by its BCP 47 tag as its catalogue is named
/// (`en`, `zh-CN`, `en-XA`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(type = "string")]
pub struct Language(String);

impl Default for Language {
    fn default() -> Self {
        Self("en".to_owned())
    }
}

impl Language {
    /// The tag: `en`, `zh-CN`, `en-XA`.
    pub fn tag(&self) -> &str {
        &self.0
    }

    /// The language of `spoken` that `tag` names, however written
    /// (`zh_CN.UTF-8`, `zh-Hans-CN` and `zh` are `zh-CN`; `en_GB` is `en`);
    /// `None` for a language the app does not speak (`zh-TW` is not `zh-CN`).
    pub fn matching(tag: &str, spoken: &[&str]) -> Option<Self> {
        let id = parse_tag(tag)?;
        let found = spoken.iter().find(|s| {
            let Some(s_id) = parse_tag(s) else {
                return false;
            };
            if PSEUDO.contains(s) || id.language.as_str() == "zh" {
                // A pseudo-locale by its tag alone; Chinese by its script.
                return s_id == id || (is_simplified_chinese(&id) && is_simplified_chinese(&s_id));
            }
            s_id == id
        });
        // Else the same language in any region (`en_GB` for `en`, `de-AT` for `de`).
        let found = found.or_else(|| {
            spoken.iter().find(|s| {
                !PSEUDO.contains(s)
                    && id.language.as_str() != "zh"
                    && parse_tag(s).is_some_and(|s_id| s_id.language == id.language)
            })
        });
        found.map(|s| Self((*s).to_owned()))
    }

    /// The first of the flag, the saved choice and the OS's locale that names
    /// a language of `spoken`; English when none does.
    pub fn resolve(
        flag: Option<&str>,
        saved: Option<&str>,
        os: Option<&str>,
        spoken: &[&str],
    ) -> Self {
        [flag, saved, os]
            .into_iter()
            .flatten()
            .find_map(|t| Self::matching(t, spoken))
            .unwrap_or_default()
    }

    /// The language the cloud is asked to write in (the `lang` header):
    /// Chinese for Simplified Chinese, English for the rest, pseudo-locales
    /// included.
    pub fn cloud(&self) -> Lang {
        if PSEUDO.contains(&self.tag()) {
            return Lang::En;
        }
        Lang::from_header(self.tag()).unwrap_or_default()
    }
}

/// The operating system's language for the app's messages, as it names it.
pub fn os_locale() -> Option<String> {
    sys_locale::get_locale()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPOKEN: [&str; 4] = ["en", "zh-CN", "en-XA", "ar-XB"];

    fn tag(t: &str) -> Option<String> {
        Language::matching(t, &SPOKEN).map(|l| l.tag().to_owned())
    }

    #[test]
    fn each_way_of_writing_a_language_is_one_language() {
        for t in [
            "zh-Hans-CN",
            "zh_CN.UTF-8",
            "zh-CN",
            "zh",
            "zh_SG.GB2312",
            "zh-hans",
        ] {
            assert_eq!(tag(t).as_deref(), Some("zh-CN"), "{t}");
        }
        for t in ["en", "en-US", "en_GB.UTF-8", "en-Latn-AU"] {
            assert_eq!(tag(t).as_deref(), Some("en"), "{t}");
        }
        assert_eq!(tag("en-XA").as_deref(), Some("en-XA"));
        assert_eq!(tag("en_XA").as_deref(), Some("en-XA"));
        assert_eq!(tag("ar-XB").as_deref(), Some("ar-XB"));
        // Languages the app does not speak, and no language at all.
        for t in [
            "fr-FR",
            "zh-TW",
            "zh-Hant-HK",
            "ar-EG",
            "ar",
            "C",
            "POSIX",
            "C.UTF-8",
            "",
        ] {
            assert_eq!(tag(t), None, "{t:?}");
        }
    }

    #[test]
    fn a_new_catalogue_is_a_new_language() {
        let spoken = ["en", "zh-CN", "de", "en-XA", "ar-XB"];
        let de = Language::matching("de_AT.UTF-8", &spoken).unwrap();
        assert_eq!(de.tag(), "de");
        assert_eq!(de.cloud(), Lang::En);
    }

    #[test]
    fn the_flag_wins_then_the_saved_choice_then_the_os_then_english() {
        let r = |f, s, o| Language::resolve(f, s, o, &SPOKEN).tag().to_owned();
        assert_eq!(r(Some("en"), Some("zh-CN"), Some("zh_CN.UTF-8")), "en");
        assert_eq!(r(None, Some("zh-CN"), Some("en_US.UTF-8")), "zh-CN");
        assert_eq!(r(None, None, Some("zh_CN.UTF-8")), "zh-CN");
        assert_eq!(r(None, None, None), "en");
        // A source naming a language the app does not speak is passed over.
        assert_eq!(r(Some("fr"), None, Some("zh-Hans-CN")), "zh-CN");
        assert_eq!(r(None, Some("garbage!"), Some("de_DE.UTF-8")), "en");
    }

    #[test]
    fn the_cloud_is_asked_in_chinese_or_english() {
        let cloud = |t: &str| Language::matching(t, &SPOKEN).unwrap().cloud();
        assert_eq!(cloud("zh-CN"), Lang::Zh);
        assert_eq!(cloud("en"), Lang::En);
        assert_eq!(cloud("en-XA"), Lang::En);
        assert_eq!(cloud("ar-XB"), Lang::En);
    }
}
