//! Deterministic inputs: every program builds its input from a fixed seed, so a workload
//! is just its code plus `n`, and a native run and a Wasm run see the same bytes.

/// SplitMix64: a full-period 64-bit generator whose output is well mixed from the first call.
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform enough in `0..bound` for generating text (the modulo bias is irrelevant here).
    pub fn below(&mut self, bound: u32) -> u32 {
        (self.next_u64() % u64::from(bound)) as u32
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u32) as usize]
    }
}

/// A small vocabulary makes generated text compress, tokenise and match like prose does.
pub const WORDS: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "in",
    "is",
    "interpreter",
    "dispatch",
    "handler",
    "stack",
    "register",
    "accumulator",
    "frame",
    "branch",
    "loop",
    "memory",
    "table",
    "global",
    "module",
    "instance",
    "value",
    "trap",
    "call",
    "return",
    "operand",
    "opcode",
    "fusion",
    "threaded",
    "trampoline",
    "switch",
    "Wasm",
    "Rust",
    "LLVM",
    "benchmark",
    "cache",
    "pipeline",
    "predictor",
    "latency",
    "throughput",
    "x86",
    "aarch64",
    "byte",
    "word",
];

/// `count` words separated by single spaces.
pub fn sentence(rng: &mut SplitMix64, count: u32) -> String {
    let mut out = String::new();
    for i in 0..count {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(rng.pick(WORDS));
    }
    out
}
