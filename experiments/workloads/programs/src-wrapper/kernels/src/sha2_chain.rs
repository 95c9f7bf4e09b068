//! SHA-256 (RustCrypto `sha2`) over a 16 KiB buffer, `n` times, each digest written back
//! into the buffer so no round can be skipped or hoisted.

use sha2::{Digest, Sha256};

use crate::checksum::Fnv1a;
use crate::generate::SplitMix64;

const BUFFER_BYTES: usize = 16 * 1024;

pub fn run(n: i32) -> i64 {
    let mut rng = SplitMix64::new(0x5348_4132);
    let mut buffer: Vec<u8> = (0..BUFFER_BYTES / 8)
        .flat_map(|_| rng.next_u64().to_le_bytes())
        .collect();
    let mut sum = Fnv1a::default();
    for round in 0..n.max(0) as usize {
        let digest = Sha256::digest(&buffer);
        let at = (round * 32) % (BUFFER_BYTES - 32);
        buffer[at..at + 32].copy_from_slice(&digest);
        sum = sum.bytes(&digest);
    }
    sum.finish()
}
