//! Number display shared by pages (the separator comes from the locale file).

/// `3321` → `3.321` (Vietnamese) or `3,321` (English), given the separator.
pub fn group_thousands(value: i64, separator: &str) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push_str(separator);
        }
        grouped.push(digit);
    }
    if value < 0 {
        grouped.insert(0, '-');
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::group_thousands;

    #[test]
    fn groups_by_three_from_the_right() {
        assert_eq!(group_thousands(0, "."), "0");
        assert_eq!(group_thousands(999, "."), "999");
        assert_eq!(group_thousands(3321, "."), "3.321");
        assert_eq!(group_thousands(18_000, ","), "18,000");
        assert_eq!(group_thousands(1_234_567, "."), "1.234.567");
        assert_eq!(group_thousands(-4500, "."), "-4.500");
    }
}
