//! Vietnamese mobile numbers, accepted as people type them and stored in one form.
use super::refusal::{Lang, Refusal, Said};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A Vietnamese mobile number in E.164 form: `+84` and nine digits (`+84912345678`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhoneError {
    Empty,
    InvalidCharacter(char),
    WrongLength,
    NotMobile,
}

impl PhoneError {
    /// What the person is told.
    pub fn refusal(&self) -> Refusal {
        match self {
            PhoneError::Empty => Refusal::PhoneEmpty,
            PhoneError::InvalidCharacter(c) => Refusal::PhoneNotDigits {
                character: c.to_string(),
            },
            PhoneError::WrongLength => Refusal::PhoneLength,
            PhoneError::NotMobile => Refusal::PhoneNotMobile,
        }
    }
}

impl fmt::Display for PhoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.refusal().text(Lang::Vi))
    }
}

impl std::error::Error for PhoneError {}

/// Mobile numbers start 3, 5, 7, 8 or 9 after the leading 0 (or after +84).
const MOBILE_PREFIXES: [char; 5] = ['3', '5', '7', '8', '9'];

impl PhoneNumber {
    /// Accepts `0912 345 678`, `0912.345.678`, `+84 912 345 678`, `84912345678`, `(+84) 912-345-678`.
    pub fn parse(input: &str) -> Result<PhoneNumber, PhoneError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(PhoneError::Empty);
        }
        let mut digits = String::with_capacity(trimmed.len());
        for (index, c) in trimmed.chars().enumerate() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '.' | '-' | '(' | ')' | '\u{a0}' => {}
                '+' if digits.is_empty() && index <= 1 => {}
                other => return Err(PhoneError::InvalidCharacter(other)),
            }
        }
        let national = if let Some(rest) = digits.strip_prefix("84").filter(|r| r.len() == 9) {
            rest
        } else if let Some(rest) = digits.strip_prefix('0') {
            rest
        } else {
            return Err(if digits.len() == 9 {
                PhoneError::NotMobile
            } else {
                PhoneError::WrongLength
            });
        };
        if national.len() != 9 {
            return Err(PhoneError::WrongLength);
        }
        if !national.starts_with(MOBILE_PREFIXES) {
            return Err(PhoneError::NotMobile);
        }
        Ok(PhoneNumber(format!("+84{national}")))
    }

    /// The form people read: `0912 345 678`.
    pub fn display_local(&self) -> String {
        let national = &self.0[3..];
        format!("0{} {} {}", &national[..3], &national[3..6], &national[6..])
    }
}

sao_scoring::text_id!(PhoneNumber, PhoneError);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forms_people_type_give_one_number() {
        for input in [
            "0912 345 678",
            "0912.345.678",
            "0912345678",
            "+84912345678",
            "+84 912 345 678",
            "84912345678",
            "(+84) 912-345-678",
            " 0912\u{a0}345\u{a0}678 ",
        ] {
            assert_eq!(
                PhoneNumber::parse(input).map(String::from),
                Ok("+84912345678".to_string()),
                "{input}"
            );
        }
        assert_eq!(
            PhoneNumber::parse("0358 123 456").map(|p| p.display_local()),
            Ok("0358 123 456".into())
        );
    }

    #[test]
    fn wrong_numbers_are_refused_with_a_reason() {
        assert_eq!(PhoneNumber::parse(""), Err(PhoneError::Empty));
        assert_eq!(
            PhoneNumber::parse("0912 345 67"),
            Err(PhoneError::WrongLength)
        );
        assert_eq!(
            PhoneNumber::parse("09123456789"),
            Err(PhoneError::WrongLength)
        );
        assert_eq!(
            PhoneNumber::parse("0212 345 678"),
            Err(PhoneError::NotMobile),
            "landline"
        );
        assert_eq!(
            PhoneNumber::parse("0912a45678"),
            Err(PhoneError::InvalidCharacter('a'))
        );
        assert_eq!(
            PhoneNumber::parse("09+12345678"),
            Err(PhoneError::InvalidCharacter('+'))
        );
        assert!(PhoneError::NotMobile.to_string().contains("di động"));
    }
}
