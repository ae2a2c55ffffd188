//! Languages as clients and operating systems name them, and the two the
//! cloud writes in. `zh_CN.UTF-8` (a POSIX locale), `zh-Hans-CN` (macOS,
//! Windows), `zh-CN` and `zh` (the `lang` header of public clients) are one
//! language; parsing is ICU4X's (`icu_locale_core`), the folding is ours.

use icu_locale_core::LanguageIdentifier;

/// A language tag as anything names it, as a BCP 47 identifier: the POSIX
/// codeset (`.UTF-8`) and modifier (`@euro`) dropped, `_` read as `-`.
/// `None` for "C", "POSIX" and what does not parse.
pub fn parse_tag(tag: &str) -> Option<LanguageIdentifier> {
    let tag = tag.split(['.', '@']).next().unwrap_or("").trim();
    if tag.is_empty() || tag.eq_ignore_ascii_case("c") || tag.eq_ignore_ascii_case("posix") {
        return None;
    }
    LanguageIdentifier::try_from_str(&tag.replace('_', "-")).ok()
}

/// Whether `id` is Simplified Chinese: `zh` with the Hans script, or a
/// region that writes it (mainland China, Singapore), or neither said.
pub fn is_simplified_chinese(id: &LanguageIdentifier) -> bool {
    if id.language.as_str() != "zh" {
        return false;
    }
    match (
        id.script.as_ref().map(|s| s.as_str()),
        id.region.as_ref().map(|r| r.as_str()),
    ) {
        (Some(script), _) => script == "Hans",
        (None, Some(region)) => matches!(region, "CN" | "SG"),
        (None, None) => true,
    }
}

/// The language the cloud writes its messages, codes and notices in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// From a `lang` or `language` header (`en-US`, `en_GB`, `zh-CN`, `zh`):
    /// Chinese for Simplified Chinese, English for any other language; `None`
    /// when the header says nothing usable.
    pub fn from_header(value: &str) -> Option<Self> {
        let id = parse_tag(value)?;
        Some(if is_simplified_chinese(&id) {
            Self::Zh
        } else {
            Self::En
        })
    }

    /// As a `lang` header and as stored: `en-US`, `zh-CN`.
    pub const fn tag(self) -> &'static str {
        match self {
            Self::En => "en-US",
            Self::Zh => "zh-CN",
        }
    }

    /// From what `tag` wrote.
    pub fn from_tag(tag: &str) -> Self {
        Self::from_header(tag).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_language_however_it_is_written() {
        for tag in [
            "zh-CN",
            "zh_CN.UTF-8",
            "zh-Hans-CN",
            "zh-Hans",
            "zh",
            "zh_SG",
            "ZH-cn",
        ] {
            assert_eq!(Lang::from_header(tag), Some(Lang::Zh), "{tag}");
        }
        for tag in [
            "en-US",
            "en_GB",
            "en",
            "en_US.UTF-8@euro",
            "de-DE",
            "zh-TW",
            "zh-Hant-HK",
        ] {
            assert_eq!(Lang::from_header(tag), Some(Lang::En), "{tag}");
        }
        for tag in ["", "C", "POSIX", "C.UTF-8", "!!", "en-"] {
            assert_eq!(Lang::from_header(tag), None, "{tag:?}");
        }
    }

    #[test]
    fn tags_are_read_back() {
        for lang in [Lang::En, Lang::Zh] {
            assert_eq!(Lang::from_tag(lang.tag()), lang);
        }
    }
}
