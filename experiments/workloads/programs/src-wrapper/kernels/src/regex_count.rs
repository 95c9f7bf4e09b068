//! Regular expressions (`regex`): compile a few typical patterns and count and locate their
//! matches over `n` generated log lines.

use regex::Regex;

use crate::checksum::Fnv1a;
use crate::generate::{sentence, SplitMix64, WORDS};

const PATTERNS: &[&str] = &[
    r"\b\d{4}-\d{2}-\d{2}\b",
    r"[a-z][a-z0-9._]*@[a-z]+\.(?:com|org|net)",
    r"(?i)\b(?:error|warn)(?:ing)?\b",
    r"\b[A-Z][a-z]+\b",
    r"(\w+)=(\d+)",
    r"interp\w*|dispatch|trampolin[ge]",
];

fn log_text(n: i32) -> String {
    let mut rng = SplitMix64::new(0x5245_4745);
    let mut text = String::new();
    for line in 0..n.max(0) {
        let level = ["INFO", "Warn", "ERROR", "debug", "warning"][rng.below(5) as usize];
        text.push_str(&format!(
            "{:04}-{:02}-{:02} {level} user{}@{}.{} {} {}={} ",
            2000 + rng.below(30),
            1 + rng.below(12),
            1 + rng.below(28),
            line,
            rng.pick(WORDS).to_lowercase(),
            ["com", "org", "net", "io"][rng.below(4) as usize],
            sentence(&mut rng, 6),
            rng.pick(WORDS),
            rng.below(100_000),
        ));
        text.push_str(&sentence(&mut rng, 5));
        text.push('\n');
    }
    text
}

pub fn run(n: i32) -> i64 {
    let text = log_text(n);
    let mut sum = Fnv1a::default().u64(text.len() as u64);
    for pattern in PATTERNS {
        let re = Regex::new(pattern).expect("pattern must compile");
        let mut count = 0u64;
        for m in re.find_iter(&text) {
            count += 1;
            sum = sum.u64(m.start() as u64).u64(m.end() as u64);
        }
        sum = sum.u64(count);
    }
    sum.finish()
}
