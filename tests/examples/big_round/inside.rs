//! Where the time goes, seen from inside: the app's own functions that the
//! console and the minutes call, run in this process over the same database
//! once the round is sealed (the median of a few runs of each).
use super::common::Failure;
use super::timing::{ms, rank};
use std::time::{Duration, Instant};

const RUNS: usize = 5;

/// Prints the median of each step the slow answers take.
pub async fn breakdown(db: &app::db::Db, round_id: &str, label: &str) -> Result<(), Failure> {
    let round = app::db::rounds::get(db, round_id)
        .await?
        .ok_or("no round")?;
    let dossiers = app::db::rounds::dossiers(db, round_id).await?;
    let mut steps: [Vec<Duration>; 5] = Default::default();
    for _ in 0..RUNS {
        let began = Instant::now();
        let mut conn = db.pool().acquire().await?;
        app::db::results::round_inputs(&mut conn, round_id).await?;
        drop(conn);
        steps[0].push(began.elapsed());
        let began = Instant::now();
        app::service::council::console::round_console(db, &round).await?;
        steps[1].push(began.elapsed());
        // `council/previous_results` (on the console page): one read per product.
        let began = Instant::now();
        for product in &dossiers {
            app::db::producers::product(db, product).await?;
        }
        steps[2].push(began.elapsed());
        let began = Instant::now();
        app::service::seal::verify(db, round_id).await?;
        steps[3].push(began.elapsed());
        let began = Instant::now();
        app::service::minutes::minutes(db, round_id).await?;
        steps[4].push(began.elapsed());
    }
    let [inputs, console, previous, verify, minutes] = steps.map(|mut runs| {
        runs.sort();
        ms(rank(&runs, 500))
    });
    println!(
        "{label}, inside (median of {RUNS}): the console's model {console} ms, of which reading \
         and parsing its inputs {inputs} ms; the console page's previous results ({} product \
         reads, one each) {previous} ms; the minutes' data {minutes} ms (re-verifying the seal, \
         which it does each time: {verify} ms)",
        dossiers.len()
    );
    Ok(())
}
