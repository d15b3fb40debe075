//! What a phone downloads: the shipped wasm + js + css, compressed as served.
use crate::support::release_build_or_skip;

/// The budget for the brotli total, in bytes (issue 2: 300 KB).
const BROTLI_BUDGET: u64 = 300 * 1000;

#[test]
fn shipped_wasm_js_and_css_fit_the_page_weight_budget() {
    let Some((_bin, site)) = release_build_or_skip() else {
        return;
    };
    let mut rows = Vec::new();
    let entries = std::fs::read_dir(site.join("pkg")).expect("site pkg dir");
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().to_string();
        if ![".wasm", ".js", ".css"]
            .iter()
            .any(|ext| name.ends_with(ext))
        {
            continue;
        }
        let size = |suffix: &str| {
            std::fs::metadata(entry.path().with_file_name(format!("{name}{suffix}")))
                .unwrap_or_else(|_| panic!("{name}{suffix} missing: build with --precompress"))
                .len()
        };
        rows.push((name.clone(), size(""), size(".gz"), size(".br")));
    }
    rows.sort();
    assert!(
        rows.iter().any(|r| r.0.ends_with(".wasm")),
        "no wasm in {}",
        site.display()
    );

    // `sao.*` is what every first visit downloads; split files load with their lazy route.
    let (entry, lazy): (Vec<_>, Vec<_>) = rows.into_iter().partition(|r| r.0.starts_with("sao."));
    let sum = |rows: &[(String, u64, u64, u64)]| {
        rows.iter()
            .fold((0, 0, 0), |(a, b, c), r| (a + r.1, b + r.2, c + r.3))
    };
    println!("page weight (bytes)                                      raw      gzip    brotli");
    for (name, raw, gz, br) in entry.iter().chain(&lazy) {
        println!("  {name:<52} {raw:>9} {gz:>9} {br:>9}");
    }
    let (raw, gz, br) = sum(&entry);
    let (lazy_raw, lazy_gz, lazy_br) = sum(&lazy);
    println!("  {:<52} {raw:>9} {gz:>9} {br:>9}", "first load (sao.*)");
    println!(
        "  {:<52} {lazy_raw:>9} {lazy_gz:>9} {lazy_br:>9}",
        "all lazy-route files together"
    );
    println!(
        "PAGE WEIGHT: first load gzip {gz} B, brotli {br} B (budget {BROTLI_BUDGET} B brotli); \
         lazy routes {} files, gzip {lazy_gz} B, brotli {lazy_br} B",
        lazy.len()
    );
    assert!(
        br <= BROTLI_BUDGET,
        "first-load brotli total {br} B exceeds {BROTLI_BUDGET} B"
    );
}
