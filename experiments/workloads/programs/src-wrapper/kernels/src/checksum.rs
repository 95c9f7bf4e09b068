//! FNV-1a, 64-bit: tiny, no dependencies, and identical on every target, which is all a
//! checksum compared between a native run and a Wasm run needs.

const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;

#[derive(Clone, Copy)]
pub struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Self(OFFSET_BASIS)
    }
}

impl Fnv1a {
    pub fn bytes(mut self, data: &[u8]) -> Self {
        for &b in data {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(PRIME);
        }
        self
    }

    /// Lengths and counts go in as fixed-width little-endian so `usize` width never matters.
    pub fn u64(self, value: u64) -> Self {
        self.bytes(&value.to_le_bytes())
    }

    pub fn finish(self) -> i64 {
        self.0 as i64
    }
}
