//! JSON (`serde_json`): parse a generated document of `n` records into a `Value`, serialize
//! it back, and parse the result again to check it means the same.

use serde_json::Value;

use crate::checksum::Fnv1a;
use crate::generate::{sentence, SplitMix64, WORDS};

fn document(n: i32) -> String {
    let mut rng = SplitMix64::new(0x4a53_4f4e);
    let mut doc = String::from("{\"version\": 3, \"records\": [\n");
    for id in 0..n.max(0) {
        if id > 0 {
            doc.push_str(",\n");
        }
        let name = sentence(&mut rng, 2);
        let tags: Vec<String> = (0..1 + rng.below(5))
            .map(|_| format!("\"{}\"", rng.pick(WORDS)))
            .collect();
        let samples: Vec<String> = (0..8)
            .map(|_| {
                let mantissa = rng.next_u64() % 2_000_000;
                format!(
                    "{}.{:03}e{}",
                    mantissa as i64 - 1_000_000,
                    rng.below(1000),
                    rng.below(7) as i32 - 3
                )
            })
            .collect();
        doc.push_str(&format!(
            "  {{\"id\": {id}, \"name\": \"{name} \\\"#{id}\\\"\\n\", \"active\": {}, \"score\": {}, \
             \"tags\": [{}], \"samples\": [{}], \"owner\": {{\"login\": \"{}\", \"uid\": {}, \"note\": null}}}}",
            rng.below(2) == 1,
            rng.below(1 << 30) as i64 - (1 << 29),
            tags.join(", "),
            samples.join(", "),
            rng.pick(WORDS),
            rng.next_u64() >> 1,
        ));
    }
    doc.push_str("\n]}\n");
    doc
}

pub fn run(n: i32) -> i64 {
    let doc = document(n);
    let value: Value = serde_json::from_str(&doc).expect("generated JSON must parse");
    let text = serde_json::to_string(&value).expect("serialize");
    let again: Value = serde_json::from_str(&text).expect("serialized JSON must parse");
    assert!(again == value, "JSON round trip changed the document");
    let records = value["records"].as_array().map_or(0, Vec::len);
    Fnv1a::default()
        .u64(records as u64)
        .u64(text.len() as u64)
        .bytes(text.as_bytes())
        .finish()
}
