//! CommonMark + GFM extensions (`pulldown-cmark`) rendered to HTML: a generated document of
//! `n` sections with headings, emphasis, links, lists, tables, code and footnotes.

use pulldown_cmark::{html, Options, Parser};

use crate::checksum::Fnv1a;
use crate::generate::{sentence, SplitMix64};

fn document(n: i32) -> String {
    let mut rng = SplitMix64::new(0x4d44_4f43);
    let mut doc = String::new();
    for section in 0..n.max(0) {
        let title = sentence(&mut rng, 3);
        doc.push_str(&format!("## {section}. {title}\n\n"));
        for _ in 0..3 {
            let (a, b, c) = (
                sentence(&mut rng, 6),
                sentence(&mut rng, 2),
                sentence(&mut rng, 5),
            );
            let link = rng.pick(crate::generate::WORDS);
            doc.push_str(&format!(
                "{a} *{b}* and **{c}**, see [{link}](https://example.org/{link}?s={section}) \
                 or `{link}_{section}` ~~old~~ \"quoted\" -- done.[^n{section}]\n\n"
            ));
        }
        for item in 0..4 {
            let done = if item % 2 == 0 { 'x' } else { ' ' };
            doc.push_str(&format!("- [{done}] {}\n", sentence(&mut rng, 4)));
        }
        doc.push_str("\n| op | count | note |\n|:---|---:|:---:|\n");
        for _ in 0..3 {
            let (op, count, note) = (
                rng.pick(crate::generate::WORDS),
                rng.below(10_000),
                sentence(&mut rng, 2),
            );
            doc.push_str(&format!("| {op} | {count} | {note} |\n"));
        }
        doc.push_str(&format!(
            "\n```rust\nfn f{section}(x: u32) -> u32 {{ x << {} }}\n```\n\n> {}\n\n[^n{section}]: {}\n\n",
            rng.below(31),
            sentence(&mut rng, 8),
            sentence(&mut rng, 4),
        ));
    }
    doc
}

pub fn run(n: i32) -> i64 {
    let doc = document(n);
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION;
    let mut out = String::with_capacity(doc.len() * 2);
    html::push_html(&mut out, Parser::new_ext(&doc, options));
    Fnv1a::default()
        .u64(doc.len() as u64)
        .u64(out.len() as u64)
        .bytes(out.as_bytes())
        .finish()
}
