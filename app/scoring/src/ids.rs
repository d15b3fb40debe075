//! Identifiers that parse instead of validate.
use serde::{Deserialize, Serialize};
use std::fmt;

/// What every text identifier `$name(String)` with a `parse(&str) ->
/// Result<$name, $error>` has besides: `as_str`, serde through `String`
/// (`#[serde(try_from = "String", into = "String")]` on the type), `Display`.
#[macro_export]
macro_rules! text_id {
    ($name:ident, $error:ty) => {
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = $error;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                $name::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

/// A rule set, named after its legal instrument: `qd-26-2026`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RuleSetId(String);

impl RuleSetId {
    pub fn parse(text: &str) -> Result<RuleSetId, String> {
        let ok = !text.is_empty()
            && text.len() <= 64
            && text
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if ok {
            Ok(RuleSetId(text.to_string()))
        } else {
            Err(format!(
                "mã bộ quy định \"{text}\" không hợp lệ (chữ thường, số, dấu gạch)"
            ))
        }
    }
}

text_id!(RuleSetId, String);

/// A product set's number in Phụ lục II: 1 to 26 under QĐ 26/2026.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct ProductSetNumber(u8);

impl ProductSetNumber {
    pub const MAX: u8 = 99;

    pub fn new(number: u32) -> Result<ProductSetNumber, String> {
        if (1..=u32::from(Self::MAX)).contains(&number) {
            Ok(ProductSetNumber(number as u8))
        } else {
            Err(format!("số bộ sản phẩm {number} không hợp lệ"))
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u32> for ProductSetNumber {
    type Error = String;
    fn try_from(value: u32) -> Result<Self, Self::Error> {
        ProductSetNumber::new(value)
    }
}

impl From<ProductSetNumber> for u32 {
    fn from(value: ProductSetNumber) -> Self {
        u32::from(value.0)
    }
}

impl fmt::Display for ProductSetNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A criterion's code as printed in the decision: "1.1", "2.4", "7".
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CriterionCode(String);

impl CriterionCode {
    pub fn parse(text: &str) -> Result<CriterionCode, String> {
        let mut parts = text.split('.');
        let ok = !text.is_empty()
            && parts
                .all(|p| !p.is_empty() && p.len() <= 3 && p.chars().all(|c| c.is_ascii_digit()));
        if ok {
            Ok(CriterionCode(text.to_string()))
        } else {
            Err(format!("mã tiêu chí \"{text}\" không hợp lệ"))
        }
    }
}

text_id!(CriterionCode, String);

/// The 0-based position of an option in the decision's order (through all cases).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct OptionIndex(pub u16);

/// A star level, 1 to 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Stars(u8);

impl Stars {
    pub const ONE: Stars = Stars(1);
    pub const TWO: Stars = Stars(2);
    pub const THREE: Stars = Stars(3);
    pub const FOUR: Stars = Stars(4);
    pub const FIVE: Stars = Stars(5);
    pub const ALL: [Stars; 5] = [Stars(1), Stars(2), Stars(3), Stars(4), Stars(5)];

    pub fn new(value: u8) -> Result<Stars, String> {
        if (1..=5).contains(&value) {
            Ok(Stars(value))
        } else {
            Err(format!("hạng sao {value} không hợp lệ (1 đến 5)"))
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }

    /// 1★ and 2★ get no decision and no certificate (Điều 4.1a).
    pub fn is_certifiable(self) -> bool {
        self.0 >= 3
    }
}

impl TryFrom<u8> for Stars {
    type Error = String;
    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Stars::new(value)
    }
}

impl From<Stars> for u8 {
    fn from(value: Stars) -> Self {
        value.0
    }
}

impl fmt::Display for Stars {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}★", self.0)
    }
}
