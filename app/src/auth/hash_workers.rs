//! The threads that run password hashes: a fixed few, each holding one argon2
//! memory (19 MiB) made at its first hash and reused for every later one.
//!
//! Why not `spawn_blocking`: each hash there ran on whichever blocking thread
//! was free, allocated its 19 MiB, and freed it into that thread's malloc arena,
//! which keeps it. Tokio keeps up to 512 blocking threads, so a burst of
//! sign-ins left hundreds of megabytes held (100 sign-ins: 934 MB). Here the
//! memory is at most `threads × 19 MiB`, however many people sign in.
use argon2::password_hash::{rand_core::OsRng, Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Mutex};

type Job = Box<dyn FnOnce(&mut Vec<Block>) + Send>;

/// The hashing threads; jobs wait in one queue (the gate in `hashing` bounds it).
pub struct Workers {
    queue: Mutex<Sender<Job>>,
}

impl Workers {
    /// Starts `count` threads (at least one).
    pub fn start(count: usize) -> Workers {
        let (sender, receiver) = channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        for n in 0..count.max(1) {
            let receiver = Arc::clone(&receiver);
            let started = std::thread::Builder::new()
                .name(format!("sao-hash-{n}"))
                .spawn(move || {
                    let mut memory = Vec::new();
                    loop {
                        let job = match receiver.lock() {
                            Ok(queue) => match queue.recv() {
                                Ok(job) => job,
                                Err(_) => return,
                            },
                            Err(_) => return,
                        };
                        job(&mut memory);
                    }
                });
            if let Err(error) = started {
                tracing::error!(%error, "a password-hashing thread did not start");
            }
        }
        Workers {
            queue: Mutex::new(sender),
        }
    }

    /// Runs `work` on a hashing thread with that thread's memory.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static,
    ) -> Result<T, String> {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |memory| {
            let _ = answer.send(work(memory));
        });
        self.queue
            .lock()
            .map_err(|_| "hash queue poisoned".to_string())?
            .send(job)
            .map_err(|_| "no hashing thread is running".to_string())?;
        answered
            .await
            .map_err(|_| "the hashing thread ended".to_string())
    }
}

/// The blocks `params` needs, from the thread's memory. A stored hash with a
/// larger memory cost than today's default gets memory of its own, freed after.
fn with_memory<T>(
    memory: &mut Vec<Block>,
    params: &Params,
    work: impl FnOnce(&mut [Block]) -> T,
) -> T {
    let needed = params.block_count();
    if needed > Params::default().block_count() {
        let mut own = vec![Block::default(); needed];
        return work(&mut own);
    }
    if memory.len() < needed {
        memory.resize(needed, Block::default());
    }
    work(&mut memory[..needed])
}

/// argon2id with the crate's defaults (19 MiB, 2 passes) as a PHC string,
/// computed in `memory`.
pub fn hash_in(memory: &mut Vec<Block>, password: &[u8]) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    let params = Params::default();
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt
        .as_salt()
        .decode_b64(&mut salt_bytes)
        .map_err(|e| e.to_string())?;
    let output = with_memory(memory, &params, |blocks| {
        Output::init_with(Params::DEFAULT_OUTPUT_LEN, |out| {
            argon
                .hash_password_into_with_memory(password, salt_bytes, out, blocks)
                .map_err(Into::into)
        })
    })
    .map_err(|e| e.to_string())?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| e.to_string())?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    };
    Ok(phc.to_string())
}

/// Whether `password` gives `stored`'s output under `stored`'s own parameters
/// (compared in constant time), computed in `memory`.
pub fn verify_in(memory: &mut Vec<Block>, password: &[u8], stored: &PasswordHash<'_>) -> bool {
    let (Some(salt), Some(expected)) = (stored.salt, stored.hash.as_ref()) else {
        return false;
    };
    let Ok(algorithm) = Algorithm::try_from(stored.algorithm) else {
        return false;
    };
    let version = match stored.version.map(Version::try_from).transpose() {
        Ok(version) => version.unwrap_or_default(),
        Err(_) => return false,
    };
    let Ok(params) = Params::try_from(stored) else {
        return false;
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt_bytes) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let argon = Argon2::new(algorithm, version, params.clone());
    let computed = with_memory(memory, &params, |blocks| {
        Output::init_with(expected.len(), |out| {
            argon
                .hash_password_into_with_memory(password, salt_bytes, out, blocks)
                .map_err(Into::into)
        })
    });
    computed.is_ok_and(|computed| computed == *expected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::PasswordVerifier;

    #[test]
    fn a_hash_made_in_reused_memory_is_the_crates_argon2id() {
        let mut memory = Vec::new();
        let first = hash_in(&mut memory, b"mat-khau-1").expect("hash");
        let second = hash_in(&mut memory, b"mat-khau-2").expect("hash");
        assert_eq!(memory.len(), Params::default().block_count());
        assert!(
            first.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{first}"
        );
        // The crate's own verifier accepts both, and refuses the wrong password.
        let parsed = PasswordHash::new(&second).expect("phc");
        assert!(Argon2::default()
            .verify_password(b"mat-khau-2", &parsed)
            .is_ok());
        assert!(Argon2::default()
            .verify_password(b"mat-khau-1", &parsed)
            .is_err());
        let parsed_first = PasswordHash::new(&first).expect("phc");
        assert!(verify_in(&mut memory, b"mat-khau-1", &parsed_first));
        assert!(!verify_in(&mut memory, b"mat-khau-2", &parsed_first));
    }

    #[test]
    fn hashes_made_by_the_crate_verify_here_whatever_their_cost() {
        use argon2::password_hash::PasswordHasher;
        let mut memory = Vec::new();
        let salt = SaltString::generate(&mut OsRng);
        let cheap = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(1024, 1, 1, None).expect("params"),
        );
        let stored = cheap.hash_password(b"cu", &salt).expect("hash").to_string();
        let parsed = PasswordHash::new(&stored).expect("phc");
        assert!(verify_in(&mut memory, b"cu", &parsed));
        assert!(!verify_in(&mut memory, b"moi", &parsed));
        // A broken or foreign string is a plain "no".
        let foreign = PasswordHash::new(
            "$argon2i$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        );
        if let Ok(foreign) = foreign {
            assert!(!verify_in(&mut memory, b"cu", &foreign));
        }
    }
}
