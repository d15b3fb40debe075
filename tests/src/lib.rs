//! Integration tests live in `integration/`; this library holds only the little
//! they share with the examples in `examples/` (std only).

/// The resident memory of process `pid` in kB, from /proc (Linux); 0 when unknown.
pub fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse().ok())
        })
        .unwrap_or(0)
}
