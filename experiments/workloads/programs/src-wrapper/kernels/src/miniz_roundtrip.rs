//! DEFLATE (`miniz_oxide`) at level 6 over `n` KiB of generated prose, then inflate and
//! check the round trip.

use miniz_oxide::deflate::compress_to_vec;
use miniz_oxide::inflate::decompress_to_vec;

use crate::checksum::Fnv1a;
use crate::generate::{sentence, SplitMix64};

pub fn run(n: i32) -> i64 {
    let target = n.max(0) as usize * 1024;
    let mut rng = SplitMix64::new(0x4d49_4e5a);
    let mut text = String::with_capacity(target + 256);
    while text.len() < target {
        let words = 4 + rng.below(12);
        text.push_str(&sentence(&mut rng, words));
        text.push_str(".\n");
    }
    let original = text.into_bytes();
    let compressed = compress_to_vec(&original, 6);
    let restored = decompress_to_vec(&compressed).expect("inflate failed");
    assert!(restored == original, "round trip changed the data");
    Fnv1a::default()
        .u64(original.len() as u64)
        .u64(compressed.len() as u64)
        .bytes(&compressed)
        .finish()
}
