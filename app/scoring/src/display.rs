//! Display values: exact rationals rounded half up to two decimals.

/// `sum / n` with two decimals, rounded half up, from integers only ("70.00", "69.67").
pub fn mean_two_decimals(sum: u64, n: u64) -> String {
    if n == 0 {
        return "0.00".to_string();
    }
    // round(sum * 100 / n) half up = floor((2 * sum * 100 + n) / (2n))
    let hundredths = (2 * sum * 100 + n) / (2 * n);
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

#[cfg(test)]
mod tests {
    use super::mean_two_decimals;

    #[test]
    fn rounds_half_up() {
        assert_eq!(mean_two_decimals(209, 3), "69.67");
        assert_eq!(mean_two_decimals(210, 3), "70.00");
        assert_eq!(mean_two_decimals(1, 8), "0.13"); // 0.125 → 0.13
        assert_eq!(mean_two_decimals(559, 8), "69.88"); // 69.875 → 69.88
        assert_eq!(mean_two_decimals(100, 1), "100.00");
        assert_eq!(mean_two_decimals(0, 0), "0.00");
    }
}
