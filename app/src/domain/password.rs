//! The password rule for sign-up and change (hashing with argon2id is the server's part).
use super::refusal::{Lang, Refusal, Said};
use std::fmt;

/// At least this many characters (not bytes: "mậtkhẩu" counts 7).
pub const MIN_CHARS: usize = 8;

/// Passwords people pick first, refused whatever their length; one per line, lower case.
const COMMON: &str = include_str!("../../data/common-passwords.txt");

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordError {
    TooShort { chars: usize },
    Common,
    SameAsPhone,
}

impl PasswordError {
    /// What the person is told.
    pub fn refusal(&self) -> Refusal {
        match self {
            PasswordError::TooShort { chars } => Refusal::PasswordTooShort {
                min: MIN_CHARS as u32,
                chars: (*chars).min(u32::MAX as usize) as u32,
            },
            PasswordError::Common => Refusal::PasswordCommon,
            PasswordError::SameAsPhone => Refusal::PasswordSameAsPhone,
        }
    }
}

impl fmt::Display for PasswordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.refusal().text(Lang::Vi))
    }
}

impl std::error::Error for PasswordError {}

/// Checks a new password; `phone_digits` is the account's number as typed, if known.
pub fn check_new_password(password: &str, phone_digits: Option<&str>) -> Result<(), PasswordError> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(PasswordError::TooShort { chars });
    }
    let lowered = password.to_lowercase();
    if COMMON
        .lines()
        .map(str::trim)
        .any(|common| common == lowered)
    {
        return Err(PasswordError::Common);
    }
    let digits: String = password.chars().filter(char::is_ascii_digit).collect();
    if let Some(phone) = phone_digits {
        let phone: String = phone.chars().filter(char::is_ascii_digit).collect();
        let national = phone.trim_start_matches("84").trim_start_matches('0');
        if !national.is_empty() && digits.len() == chars && digits.ends_with(national) {
            return Err(PasswordError::SameAsPhone);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_common_and_phone_passwords_are_refused() {
        assert_eq!(
            check_new_password("abc", None),
            Err(PasswordError::TooShort { chars: 3 })
        );
        assert_eq!(
            check_new_password("mậtkhẩu", None),
            Err(PasswordError::TooShort { chars: 7 })
        );
        assert_eq!(
            check_new_password("12345678", None),
            Err(PasswordError::Common)
        );
        assert_eq!(
            check_new_password("Password1", None),
            Err(PasswordError::Common)
        );
        assert_eq!(
            check_new_password("matkhau123", None),
            Err(PasswordError::Common)
        );
        assert_eq!(
            check_new_password("0912345678", Some("+84912345678")),
            Err(PasswordError::SameAsPhone)
        );
        assert!(PasswordError::Common
            .to_string()
            .starts_with("Mật khẩu này"));
    }

    #[test]
    fn a_reasonable_password_passes() {
        assert_eq!(check_new_password("chè Tân Cương 2025", None), Ok(()));
        assert_eq!(
            check_new_password("ca-phe-dak-ha", Some("0912345678")),
            Ok(())
        );
    }
}
