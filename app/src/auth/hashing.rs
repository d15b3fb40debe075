//! Password hashing (argon2id, 19 MiB per hash) behind a gate: at most one hash per
//! core runs at once and a bounded number wait; past that the request is answered
//! 503 with Retry-After at once, so a burst of logins can neither exhaust memory
//! nor grow a queue without bound. The hashes run on `hash_workers`' threads,
//! each reusing its own memory.
use super::hash_workers::{hash_in, verify_in, Workers};
use crate::error::AppError;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, SaltString};
use argon2::{Argon2, Block};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::Duration;
use tokio::sync::Semaphore;

/// How many hashes run at once and how many may wait for a turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashLimits {
    pub running: usize,
    pub waiting: usize,
}

impl HashLimits {
    /// One running hash per core; sixteen waiting per core (about a second of work).
    pub fn for_this_machine() -> HashLimits {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        HashLimits {
            running: cores,
            waiting: cores * 16,
        }
    }
}

struct Gate {
    permits: Semaphore,
    /// The threads the hashes run on, one per permit.
    workers: Workers,
    /// Requests in the gate, running or waiting.
    inside: AtomicUsize,
    /// Most requests in the gate at once.
    capacity: usize,
}

impl Gate {
    fn new(limits: HashLimits) -> Gate {
        let running = limits.running.max(1);
        Gate {
            permits: Semaphore::new(running),
            workers: Workers::start(running),
            inside: AtomicUsize::new(0),
            capacity: running + limits.waiting,
        }
    }
}

static GATE: OnceLock<Gate> = OnceLock::new();

/// Sets the limits (the server does it once at start; later calls change nothing).
pub fn configure(limits: HashLimits) {
    let _ = GATE.set(Gate::new(limits));
}

fn gate() -> &'static Gate {
    GATE.get_or_init(|| Gate::new(HashLimits::for_this_machine()))
}

/// Requests in the gate now (running or waiting) and its capacity: what the
/// server's watchdog logs beside a request that passed its deadline.
pub fn gate_load() -> (usize, usize) {
    let gate = gate();
    (gate.inside.load(Ordering::SeqCst), gate.capacity)
}

/// Seconds a refused client is told to wait.
const RETRY_AFTER_S: u32 = 2;
/// Longest a request waits for its turn before it is refused.
const LONGEST_WAIT: Duration = Duration::from_secs(10);

/// Leaves the gate when dropped (also when the request is cancelled).
struct Inside(&'static Gate);

impl Drop for Inside {
    fn drop(&mut self) {
        self.0.inside.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Runs `work` (a hash) when a core is free; refuses with `AppError::Busy` when the
/// gate is full or the turn does not come in time.
async fn gated<T: Send + 'static>(
    work: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static,
) -> Result<T, AppError> {
    let gate = gate();
    let busy = AppError::Busy {
        retry_after_s: RETRY_AFTER_S,
    };
    let inside = Inside(gate);
    if gate.inside.fetch_add(1, Ordering::SeqCst) >= gate.capacity {
        return Err(busy);
    }
    let Ok(Ok(_permit)) = tokio::time::timeout(LONGEST_WAIT, gate.permits.acquire()).await else {
        return Err(busy);
    };
    let outcome = gate
        .workers
        .run(work)
        .await
        .map_err(|error| AppError::internal(&error));
    drop(inside);
    outcome
}

/// argon2id with the crate's defaults (19 MiB, 2 passes), as a PHC string.
pub fn hash_password_now(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| error.to_string())
}

/// A hash like `hash_password_now`'s, through the gate, on a hashing thread.
pub async fn hash_password(password: String) -> Result<String, AppError> {
    gated(move |memory| hash_in(memory, password.as_bytes()))
        .await?
        .map_err(|error| AppError::internal(&error))
}

/// Checks a password against a stored hash; with no hash (unknown account, or an
/// invitation not yet accepted) it still spends the same time, so timing tells nothing.
pub async fn verify_password(password: String, stored: Option<String>) -> Result<bool, AppError> {
    gated(move |memory| {
        let stored = stored.unwrap_or_else(|| DUMMY_HASH.to_string());
        let parsed = PasswordHash::new(&stored).map_err(|error| AppError::internal(&error))?;
        let matches = verify_in(memory, password.as_bytes(), &parsed);
        Ok(matches && stored != DUMMY_HASH)
    })
    .await?
}

/// A valid argon2id hash of a random string nobody knows.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FvZHVtbXlzYWx0MTIzNA$0sd6HRzxn6xoPi5xw1Go3ljPrrjzrWn3uD0sVbKLYkI";
