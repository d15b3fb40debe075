//! Group commit of tablets' syncs. One writer per database takes the batches
//! queued while the last transaction committed, applies each in one shared
//! transaction under a savepoint of its own (a batch that fails is undone
//! alone and answered with its error), commits once, and only then answers
//! each batch: acknowledged still means on disk. One durable commit then
//! carries many tablets' batches, where each batch used to wait for its own.
use super::sync::{apply, Batch};
use crate::api::council::SyncReceipt;
use crate::db::{self, Db};
use crate::error::AppError;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use tokio::sync::{mpsc, oneshot};

/// The most batches one transaction carries.
const GROUP_LIMIT: usize = 64;

type Answer = oneshot::Sender<Result<SyncReceipt, AppError>>;
type Queue = mpsc::UnboundedSender<(Batch, Answer)>;

/// The queue of each database's writer, by `Db::id`.
fn writers() -> &'static Mutex<HashMap<u64, Queue>> {
    static WRITERS: OnceLock<Mutex<HashMap<u64, Queue>>> = OnceLock::new();
    WRITERS.get_or_init(Default::default)
}

/// The queue of `db`'s writer, started if there is none.
fn queue_of(db: &Db) -> Result<Queue, AppError> {
    let mut writers = writers()
        .lock()
        .map_err(|_| AppError::internal(&"the sync writers' table is poisoned"))?;
    Ok(writers
        .entry(db.id())
        .or_insert_with(|| spawn_writer(db.clone()))
        .clone())
}

/// Applies `batch` in the next group transaction of `db`; its receipt once that
/// transaction is committed.
pub async fn submit(db: &Db, batch: Batch) -> Result<SyncReceipt, AppError> {
    let (answer, answered) = oneshot::channel();
    if let Err(mpsc::error::SendError(job)) = queue_of(db)?.send((batch, answer)) {
        // The writer is gone (its runtime ended): start another, send again.
        if let Ok(mut writers) = writers().lock() {
            writers.remove(&db.id());
        }
        queue_of(db)?
            .send(job)
            .map_err(|_| AppError::internal(&"no sync writer could be started"))?;
    }
    answered
        .await
        .map_err(|_| AppError::internal(&"the sync writer stopped before answering"))?
}

/// SQLite has one writer at a time whatever we do: one group at a time. On
/// PostgreSQL a group's statements are round trips to the server, so a few
/// groups are written at once (each on its own connection); within a group the
/// batches go in order of their sender, so two groups lock sheets in one order.
fn spawn_writer(db: Db) -> Queue {
    let (queue, jobs) = mpsc::unbounded_channel::<(Batch, Answer)>();
    let jobs = std::sync::Arc::new(tokio::sync::Mutex::new(jobs));
    let writers = match db.engine() {
        db::Engine::Sqlite => 1,
        db::Engine::Postgres => 4,
    };
    for _ in 0..writers {
        let (db, jobs) = (db.clone(), jobs.clone());
        tokio::spawn(async move {
            loop {
                let mut group = {
                    let mut jobs = jobs.lock().await;
                    let Some(first) = jobs.recv().await else {
                        break;
                    };
                    let mut group = vec![first];
                    while group.len() < GROUP_LIMIT {
                        match jobs.try_recv() {
                            Ok(job) => group.push(job),
                            Err(_) => break,
                        }
                    }
                    group
                };
                group.sort_by(|a, b| a.0.sender().cmp(b.0.sender()));
                write_group(&db, group).await;
            }
        });
    }
    queue
}

/// One transaction for the whole group; each batch under its own savepoint.
async fn write_group(db: &Db, group: Vec<(Batch, Answer)>) {
    let mut tx = match db.begin().await {
        Ok(tx) => tx,
        Err(error) => {
            let error = AppError::from(error);
            for (_, answer) in group {
                let _ = answer.send(Err(error.clone()));
            }
            return;
        }
    };
    let mut outcomes = Vec::with_capacity(group.len());
    for (batch, answer) in group {
        let outcome = in_savepoint(&mut tx, &batch).await;
        outcomes.push((answer, outcome));
    }
    match db::commit(tx).await {
        Ok(()) => {
            for (answer, outcome) in outcomes {
                let _ = answer.send(outcome);
            }
        }
        Err(error) => {
            // Nothing of the group is on disk: every batch is answered with the error.
            let error = AppError::from(error);
            for (answer, _) in outcomes {
                let _ = answer.send(Err(error.clone()));
            }
        }
    }
}

async fn in_savepoint(tx: &mut db::Tx, batch: &Batch) -> Result<SyncReceipt, AppError> {
    // The name is fixed: one batch at a time is under it.
    db::mark(tx, "sync_batch").await?;
    let outcome = apply(tx, batch).await;
    match outcome {
        Ok(_) => db::keep_mark(tx, "sync_batch").await?,
        Err(_) => db::undo_to_mark(tx, "sync_batch").await?,
    }
    outcome
}
