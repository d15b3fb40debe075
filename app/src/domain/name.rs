//! A person's name as shown to officials: trimmed, single-spaced, 2 to 100 characters.
use super::refusal::{Lang, Refusal, Said};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayName(String);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    Empty,
    TooShort,
    TooLong,
}

pub const MAX_CHARS: usize = 100;

impl NameError {
    /// What the person is told.
    pub fn refusal(&self) -> Refusal {
        match self {
            NameError::Empty => Refusal::NameEmpty,
            NameError::TooShort => Refusal::NameTooShort,
            NameError::TooLong => Refusal::NameTooLong {
                max: MAX_CHARS as u32,
            },
        }
    }
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.refusal().text(Lang::Vi))
    }
}

impl std::error::Error for NameError {}

impl DisplayName {
    pub fn parse(input: &str) -> Result<DisplayName, NameError> {
        let joined = super::subject::clean_text(input);
        match joined.chars().count() {
            0 => Err(NameError::Empty),
            1 => Err(NameError::TooShort),
            n if n > MAX_CHARS => Err(NameError::TooLong),
            _ => Ok(DisplayName(joined)),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_are_tidied_and_lengths_checked() {
        assert_eq!(
            DisplayName::parse("  Y   Bơ  ").map(|n| n.as_str().to_string()),
            Ok("Y Bơ".to_string())
        );
        assert_eq!(DisplayName::parse("   "), Err(NameError::Empty));
        assert_eq!(DisplayName::parse("A"), Err(NameError::TooShort));
        assert_eq!(
            DisplayName::parse(&"ă".repeat(101)),
            Err(NameError::TooLong)
        );
    }
}
