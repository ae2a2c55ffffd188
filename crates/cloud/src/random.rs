//! Random bytes from the operating system's CSPRNG: codes, tokens, the
//! server secret, retry jitter. Plumbing: imports nothing of the cloud.

/// `N` random bytes. The OS RNG failing leaves nothing safe to do: codes and
/// tokens must not be predictable, and zeroes would be; so it panics.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    #[allow(clippy::panic)]
    if let Err(e) = getrandom::fill(&mut buf) {
        panic!("the operating system's random number generator failed: {e}");
    }
    buf
}
