//! The app's language: English, Simplified Chinese, or one of the two
//! pseudo-locales QA uses to find cut-off text and mirrored layouts. Chosen
//! from the `--lang` flag (or `HIK_LANG`), else the choice made in the app,
//! else the operating system's locale, else English.

use hik_proto::lang::{is_simplified_chinese, parse_tag, Lang};
use serde::{Deserialize, Serialize};

/// A language the app speaks; its name crosses to the UI as a BCP 47 tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
pub enum Language {
    #[default]
    #[serde(rename = "en")]
    En,
    #[serde(rename = "zh-CN")]
    ZhCn,
    /// Pseudo-English: accented, about 40% longer, bracketed.
    #[serde(rename = "en-XA")]
    EnXa,
    /// Pseudo-bidi: English words written right to left, the layout mirrored.
    #[serde(rename = "ar-XB")]
    ArXb,
}

impl Language {
    pub const ALL: [Self; 4] = [Self::En, Self::ZhCn, Self::EnXa, Self::ArXb];

    /// `en`, `zh-CN`, `en-XA`, `ar-XB`.
    pub const fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::ZhCn => "zh-CN",
            Self::EnXa => "en-XA",
            Self::ArXb => "ar-XB",
        }
    }

    /// The language a tag names, however written (`zh_CN.UTF-8`,
    /// `zh-Hans-CN`, `zh-CN`, `en_GB`); `None` for one the app does not
    /// speak (its caller then looks further).
    pub fn from_tag(tag: &str) -> Option<Self> {
        let id = parse_tag(tag)?;
        let region = id.region.as_ref().map(|r| r.as_str());
        match (id.language.as_str(), region) {
            ("en", Some("XA")) => Some(Self::EnXa),
            ("ar", Some("XB")) => Some(Self::ArXb),
            ("en", _) => Some(Self::En),
            _ if is_simplified_chinese(&id) => Some(Self::ZhCn),
            _ => None,
        }
    }

    /// The first of the flag, the saved choice and the OS's locale that names
    /// a language the app speaks; English when none does.
    pub fn resolve(flag: Option<&str>, saved: Option<&str>, os: Option<&str>) -> Self {
        [flag, saved, os]
            .into_iter()
            .flatten()
            .find_map(Self::from_tag)
            .unwrap_or_default()
    }

    /// The language the cloud is asked to write in (the `lang` header): the
    /// pseudo-locales stand for English.
    pub const fn cloud(self) -> Lang {
        match self {
            Self::ZhCn => Lang::Zh,
            _ => Lang::En,
        }
    }

    /// The window's title.
    pub const fn title(self) -> &'static str {
        match self {
            Self::ZhCn => "Hik-Connect 模拟器",
            Self::EnXa => "[Ĥîîķ-Çööññéééçţ Šîîɱûûļááţöör]",
            _ => "Hik-Connect Simulator",
        }
    }
}

/// The operating system's language for the app's messages, as it names it.
pub fn os_locale() -> Option<String> {
    sys_locale::get_locale()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_way_of_writing_a_language_is_one_language() {
        for tag in [
            "zh-Hans-CN",
            "zh_CN.UTF-8",
            "zh-CN",
            "zh",
            "zh_SG.GB2312",
            "zh-hans",
        ] {
            assert_eq!(Language::from_tag(tag), Some(Language::ZhCn), "{tag}");
        }
        for tag in ["en", "en-US", "en_GB.UTF-8", "en-Latn-AU"] {
            assert_eq!(Language::from_tag(tag), Some(Language::En), "{tag}");
        }
        assert_eq!(Language::from_tag("en-XA"), Some(Language::EnXa));
        assert_eq!(Language::from_tag("en_XA"), Some(Language::EnXa));
        assert_eq!(Language::from_tag("ar-XB"), Some(Language::ArXb));
        // Languages the app does not speak, and no language at all.
        for tag in [
            "fr-FR",
            "zh-TW",
            "zh-Hant-HK",
            "ar-EG",
            "C",
            "POSIX",
            "C.UTF-8",
            "",
        ] {
            assert_eq!(Language::from_tag(tag), None, "{tag:?}");
        }
    }

    #[test]
    fn the_flag_wins_then_the_saved_choice_then_the_os_then_english() {
        let r = Language::resolve;
        assert_eq!(
            r(Some("en"), Some("zh-CN"), Some("zh_CN.UTF-8")),
            Language::En
        );
        assert_eq!(r(None, Some("zh-CN"), Some("en_US.UTF-8")), Language::ZhCn);
        assert_eq!(r(None, None, Some("zh_CN.UTF-8")), Language::ZhCn);
        assert_eq!(r(None, None, None), Language::En);
        // A source naming a language the app does not speak is passed over.
        assert_eq!(r(Some("fr"), None, Some("zh-Hans-CN")), Language::ZhCn);
        assert_eq!(r(None, Some("garbage!"), Some("de_DE.UTF-8")), Language::En);
    }

    #[test]
    fn every_language_reads_back_from_its_tag() {
        for lang in Language::ALL {
            assert_eq!(Language::from_tag(lang.tag()), Some(lang));
        }
    }
}
