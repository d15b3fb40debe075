//! Issue 19: the kill -9 drill, short (3 cycles) on each engine; the full 20
//! cycles are `cargo run -p sao-tests --example kill_drill`
//! (figures in BENCHMARKS.md). The drill's code is the example's own.
#[allow(dead_code)]
#[path = "../examples/common/mod.rs"]
pub(crate) mod common;
#[path = "../examples/common/council.rs"]
pub(crate) mod council;
#[path = "../examples/kill/drill.rs"]
pub(crate) mod drill;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_kills_mid_sync_lose_and_double_nothing_and_the_chain_verifies() {
    let Some((bin, _site)) = crate::support::release_build_or_skip() else {
        return;
    };
    let postgres = std::env::var("SAO_TEST_POSTGRES_URL").ok();
    let mut engines = vec![None];
    engines.extend(postgres.map(Some));
    for admin in engines {
        let scratch = common::Scratch::new("drilltest", admin.as_deref())
            .await
            .expect("scratch database");
        let options = drill::Options {
            cycles: 3,
            tablets: 3,
            per_cycle: 40,
            seed: u64::from(std::process::id()),
        };
        let outcome = drill::run(
            &bin.display().to_string(),
            &scratch.url,
            &scratch.dir,
            &options,
        )
        .await;
        let engine = scratch.engine;
        scratch.remove().await.expect("remove scratch");
        let report = outcome.unwrap_or_else(|e| panic!("the drill on {engine}: {e}"));
        println!("{}", report.line(engine));
        assert_eq!(report.lost, 0, "{report:?}");
        assert_eq!(report.doubled, 0, "{report:?}");
        assert_eq!(report.acknowledged, report.stored, "{report:?}");
        assert!(
            report.in_flight_at_kills.iter().all(|n| *n > 0),
            "{report:?}"
        );
        assert_eq!(report.chain_length, 3, "{report:?}");
    }
}
