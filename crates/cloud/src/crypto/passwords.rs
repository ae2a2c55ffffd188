//! Argon2id of password digests in a bounded pool of blocking threads.

use crate::error::ApiError;
use crate::random::random_bytes;
use crate::{Hashing, Rules};
use std::sync::Arc;

/// Argon2id of password digests on a fixed set of threads, each with one
/// block of Argon2 memory at most. Memory stays at workers x 19 MiB however
/// many logins arrive (a thread pool that grows, each thread keeping its own
/// 19 MiB, measured 3.4 GB at 64 concurrent logins), and no async thread hashes.
/// How long a thread keeps its block is `Hashing::keep_memory`.
#[derive(Clone)]
pub struct PasswordHasher {
    jobs: std::sync::mpsc::Sender<HashJob>,
}

enum HashJob {
    Hash {
        digest: String,
        reply: tokio::sync::oneshot::Sender<Result<String, String>>,
    },
    Verify {
        digest: String,
        stored: String,
        reply: tokio::sync::oneshot::Sender<Result<bool, String>>,
    },
}

impl PasswordHasher {
    pub fn new(rules: &Rules, hashing: Hashing) -> Self {
        let params = argon2::Params::new(
            rules.argon2_memory_kib,
            rules.argon2_passes,
            rules.argon2_lanes,
            None,
        )
        .unwrap_or_default();
        let (jobs, queue) = std::sync::mpsc::channel::<HashJob>();
        let queue = Arc::new(std::sync::Mutex::new(queue));
        for n in 0..hashing.workers.max(1) {
            let queue = Arc::clone(&queue);
            let params = params.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || hash_worker(&queue, params, hashing.keep_memory));
            if let Err(e) = spawned {
                tracing::error!(error = %e, "could not start a password hashing thread");
            }
        }
        Self { jobs }
    }

    pub async fn hash(&self, digest: &str) -> Result<String, ApiError> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job = HashJob::Hash {
            digest: digest.to_owned(),
            reply,
        };
        self.ask(job, answer).await
    }

    pub async fn verify(&self, digest: &str, stored: &str) -> Result<bool, ApiError> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job = HashJob::Verify {
            digest: digest.to_owned(),
            stored: stored.to_owned(),
            reply,
        };
        self.ask(job, answer).await
    }

    /// Hand `job` to the hashing threads and wait for `answer`.
    async fn ask<R>(
        &self,
        job: HashJob,
        answer: tokio::sync::oneshot::Receiver<Result<R, String>>,
    ) -> Result<R, ApiError> {
        self.jobs
            .send(job)
            .map_err(|_| ApiError::internal("the hashing threads stopped"))?;
        answer
            .await
            .map_err(|_| ApiError::internal("a hashing thread stopped"))?
            .map_err(ApiError::internal)
    }
}

/// One hashing thread: takes jobs until every sender is gone. Its memory is
/// made at its first job, not before: an idle cloud holds none. Unless
/// `keep_memory`, it is given back after every job.
fn hash_worker(
    queue: &std::sync::Mutex<std::sync::mpsc::Receiver<HashJob>>,
    params: argon2::Params,
    keep_memory: bool,
) {
    let mut kept: Option<ArgonMemory> = None;
    loop {
        // A poisoned lock still guards a usable queue: take the next job.
        let job = match crate::lock(queue).recv() {
            Ok(job) => job,
            Err(_) => return,
        };
        let mut memory = kept
            .take()
            .unwrap_or_else(|| ArgonMemory::new(params.block_count()));
        // A job that panics drops its reply (its caller gets an internal
        // error) and its memory; the worker goes on to the next one.
        let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match job {
            HashJob::Hash { digest, reply } => {
                let _ = reply.send(hash_with(&params, memory.blocks(), &digest));
            }
            HashJob::Verify {
                digest,
                stored,
                reply,
            } => {
                let _ = reply.send(verify_with(memory.blocks(), &digest, &stored));
            }
        }));
        if ran.is_err() {
            tracing::error!("a password hash panicked; its request failed, the worker goes on");
            continue;
        }
        if keep_memory {
            kept = Some(memory);
        }
    }
}

/// Argon2's working memory for one hash.
///
/// The capacity asked for is above glibc's 32 MiB ceiling for its sliding
/// mmap threshold: such an allocation is always a mapping of its own, given
/// back to the system when dropped. 19 MiB alone would be mapped once, then
/// (glibc having raised its threshold to that size) come from the heap and stay
/// resident after being freed. Pages past the blocks in use are never touched,
/// so they cost address space, not memory.
struct ArgonMemory(Vec<argon2::Block>);

impl ArgonMemory {
    const OWN_MAPPING_BYTES: usize = 33 << 20;

    fn new(blocks: usize) -> Self {
        let block = std::mem::size_of::<argon2::Block>();
        let mut v = Vec::with_capacity(blocks.max(Self::OWN_MAPPING_BYTES / block));
        v.resize(blocks, argon2::Block::default());
        Self(v)
    }

    fn blocks(&mut self) -> &mut [argon2::Block] {
        &mut self.0
    }
}

fn argon(params: argon2::Params) -> argon2::Argon2<'static> {
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
}

/// A PHC string (`$argon2id$v=19$m=..,t=..,p=..$salt$hash`) of `digest`.
fn hash_with(
    params: &argon2::Params,
    memory: &mut [argon2::Block],
    digest: &str,
) -> Result<String, String> {
    use argon2::password_hash::{Output, SaltString};
    let salt = random_bytes::<16>();
    let mut out = [0u8; 32];
    argon(params.clone())
        .hash_password_into_with_memory(digest.as_bytes(), &salt, &mut out, memory)
        .map_err(|e| format!("argon2: {e}"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| format!("salt: {e}"))?;
    let out = Output::new(&out).map_err(|e| format!("output: {e}"))?;
    Ok(format!(
        "$argon2id$v=19$m={},t={},p={}${}${out}",
        params.m_cost(),
        params.t_cost(),
        params.p_cost(),
        salt.as_str()
    ))
}

/// Whether `digest` matches the PHC string `stored`, compared in constant time.
/// Hashes made with other parameters are checked with memory of their own size.
fn verify_with(memory: &mut [argon2::Block], digest: &str, stored: &str) -> Result<bool, String> {
    use argon2::password_hash::{Output, PasswordHash};
    let hash = PasswordHash::new(stored).map_err(|e| format!("stored hash: {e}"))?;
    if hash.algorithm.as_str() != "argon2id" {
        return Err(format!("stored hash uses {}", hash.algorithm));
    }
    let params = argon2::Params::try_from(&hash).map_err(|e| format!("stored params: {e}"))?;
    let expected = hash.hash.ok_or("stored hash has no output")?;
    let mut salt = [0u8; 64];
    let salt = hash
        .salt
        .ok_or("stored hash has no salt")?
        .decode_b64(&mut salt)
        .map_err(|e| format!("stored salt: {e}"))?;
    let mut out = vec![0u8; expected.len()];
    let blocks = params.block_count();
    let computed = if blocks == memory.len() {
        argon(params).hash_password_into_with_memory(digest.as_bytes(), salt, &mut out, memory)
    } else {
        argon(params).hash_password_into(digest.as_bytes(), salt, &mut out)
    };
    computed.map_err(|e| format!("argon2: {e}"))?;
    Ok(Output::new(&out).map_err(|e| format!("output: {e}"))? == expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_standard_phc_strings_and_verify_in_constant_time() {
        use argon2::password_hash::{PasswordHash, PasswordVerifier};
        let rules = Rules {
            argon2_memory_kib: 1024,
            ..Rules::default()
        };
        let params = argon2::Params::new(
            rules.argon2_memory_kib,
            rules.argon2_passes,
            rules.argon2_lanes,
            None,
        )
        .unwrap();
        let mut memory = vec![argon2::Block::default(); params.block_count()];
        let stored = hash_with(&params, &mut memory, "5f4dcc3b5aa765d61d8327deb882cf99").unwrap();
        assert!(
            stored.starts_with("$argon2id$v=19$m=1024,t=2,p=1$"),
            "{stored}"
        );
        // The argon2 crate's own verifier agrees: a standard PHC string.
        let parsed = PasswordHash::new(&stored).unwrap();
        assert!(argon(params.clone())
            .verify_password(b"5f4dcc3b5aa765d61d8327deb882cf99", &parsed)
            .is_ok());
        assert_eq!(
            verify_with(&mut memory, "5f4dcc3b5aa765d61d8327deb882cf99", &stored),
            Ok(true)
        );
        assert_eq!(
            verify_with(&mut memory, "00000000000000000000000000000000", &stored),
            Ok(false)
        );
        // A hash made with other parameters is still checked (with its own memory).
        let mut small = vec![argon2::Block::default(); 8];
        assert_eq!(
            verify_with(&mut small, "5f4dcc3b5aa765d61d8327deb882cf99", &stored),
            Ok(true)
        );
        assert!(verify_with(&mut memory, "x", "not a hash").is_err());
    }

    /// Both ways of holding Argon2's memory give the same standard hashes.
    #[tokio::test]
    async fn the_desktop_hasher_and_the_server_hasher_agree() {
        let rules = Rules {
            argon2_memory_kib: 1024,
            ..Rules::default()
        };
        let desktop = PasswordHasher::new(&rules, Hashing::desktop());
        let server = PasswordHasher::new(&rules, Hashing::server());
        let digest = "5f4dcc3b5aa765d61d8327deb882cf99";
        for (made, checked) in [(&desktop, &server), (&server, &desktop)] {
            let stored = made.hash(digest).await.unwrap();
            assert!(checked.verify(digest, &stored).await.unwrap());
            assert!(!checked.verify("x", &stored).await.unwrap());
            // Twice, so a worker that keeps its memory uses it again.
            assert!(made.verify(digest, &stored).await.unwrap());
        }
        assert!(Hashing::desktop().workers <= 2);
        assert!(!Hashing::desktop().keep_memory);
    }
}
