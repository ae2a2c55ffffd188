//! The password policy (docs/protocol.md, "Rules" and "Codes"): 8 to 64 characters with at least
//! three of lower case, upper case, digits and symbols.

use serde::Serialize;

pub const MIN_LEN: usize = 8;
pub const MAX_LEN: usize = 64;
/// Of lower case, upper case, digits and symbols, at least this many.
pub const MIN_CLASSES: usize = 3;

/// How a password measures up, rule by rule, for live feedback and for refusals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PasswordCheck {
    pub long_enough: bool,
    pub short_enough: bool,
    pub lower: bool,
    pub upper: bool,
    pub digit: bool,
    pub symbol: bool,
}

/// A check with its verdicts, so that what shows the rules need not know them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PasswordFeedback {
    #[serde(flatten)]
    pub check: PasswordCheck,
    /// At least `MIN_CLASSES` kinds of character.
    pub enough_classes: bool,
    /// Every rule met (the cloud may still refuse a common password).
    pub passes: bool,
}

impl PasswordCheck {
    pub fn of(password: &str) -> Self {
        let len = password.chars().count();
        Self {
            long_enough: len >= MIN_LEN,
            short_enough: len <= MAX_LEN,
            lower: password.chars().any(char::is_lowercase),
            upper: password.chars().any(char::is_uppercase),
            digit: password.chars().any(|c| c.is_ascii_digit()),
            symbol: password
                .chars()
                .any(|c| !c.is_alphanumeric() && !c.is_whitespace()),
        }
    }

    pub fn classes(&self) -> usize {
        [self.lower, self.upper, self.digit, self.symbol]
            .into_iter()
            .filter(|b| *b)
            .count()
    }

    pub fn enough_classes(&self) -> bool {
        self.classes() >= MIN_CLASSES
    }

    pub fn passes(&self) -> bool {
        self.long_enough && self.short_enough && self.enough_classes()
    }

    /// The rules and the verdicts, as live feedback shows them.
    pub fn feedback(self) -> PasswordFeedback {
        PasswordFeedback {
            enough_classes: self.enough_classes(),
            passes: self.passes(),
            check: self,
        }
    }

    /// What is missing, in words, or `None` when the password passes.
    pub fn explain(&self) -> Option<String> {
        if self.passes() {
            return None;
        }
        let mut why = Vec::new();
        if !self.long_enough {
            why.push(format!("at least {MIN_LEN} characters"));
        }
        if !self.short_enough {
            why.push(format!("at most {MAX_LEN} characters"));
        }
        if !self.enough_classes() {
            why.push(
                "at least three of: lower-case letters, upper-case letters, digits, symbols".into(),
            );
        }
        Some(format!("The password needs {}.", why.join(" and ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_classes_and_the_length_bounds() {
        assert!(PasswordCheck::of("Correct-Horse-9").passes());
        assert!(PasswordCheck::of("abcdEF12").passes());
        assert!(!PasswordCheck::of("abcdefgh1").passes(), "two classes");
        assert!(!PasswordCheck::of("Ab1!").passes(), "too short");
        assert!(!PasswordCheck::of(&"Ab1!".repeat(17)).passes(), "too long");
        let why = PasswordCheck::of("abc").explain().unwrap_or_default();
        assert!(
            why.contains("at least 8") && why.contains("three of"),
            "{why}"
        );
    }
}
