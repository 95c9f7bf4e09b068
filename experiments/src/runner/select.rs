//! Which engines a run measures: `--engines` and `--configs`.

use anyhow::{bail, Result};

use crate::engine::Engine;
use crate::peers;
use crate::weft_adapter::{Weft, PREFIX};

/// Peer names the runner knows, with the feature that compiles each in.
const KNOWN_PEERS: &[(&str, &str)] = &[
    ("wasmi", "peer-wasmi (or peers)"),
    ("stitch", "peer-stitch (or peers)"),
    ("tinywasm", "peer-tinywasm (or peers)"),
    ("wasm3", "peers-wasm3"),
    ("wasmtime", "peers-wasmtime"),
];

/// The engines named by `engines` (comma-separated; `None`: every weft configuration and
/// every compiled-in peer), with weft's configurations narrowed by `configs`.
///
/// List items: `weft` (every configuration), `weft:<config>` (one), a peer's full name
/// (`wasmi/eager`) or its family (`wasmi`: both wasmi engines).
/// `configs`: comma-separated patterns over configuration names (`threaded/register+fuse`);
/// `*` matches any run of characters, and a pattern without `*` matches as a substring.
pub fn engines(engines: Option<&str>, configs: Option<&str>) -> Result<Vec<Box<dyn Engine>>> {
    let weft_all: Vec<Weft> = Weft::all()
        .into_iter()
        .filter(|w| configs.is_none_or(|p| matches_any(p, &w.config.name())))
        .collect();
    if weft_all.is_empty() {
        bail!(
            "--configs {} matches no configuration; compiled in: {}",
            configs.unwrap_or(""),
            config_names().join(", ")
        );
    }
    let Some(list) = engines else {
        let mut all: Vec<Box<dyn Engine>> = weft_all
            .into_iter()
            .map(|w| Box::new(w) as Box<dyn Engine>)
            .collect();
        all.extend(peers::compiled_in());
        return Ok(all);
    };
    let mut chosen: Vec<Box<dyn Engine>> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut push = |engine: Box<dyn Engine>, chosen: &mut Vec<Box<dyn Engine>>| {
        if !names.contains(&engine.name()) {
            names.push(engine.name());
            chosen.push(engine);
        }
    };
    for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if item == "weft" {
            for w in &weft_all {
                push(Box::new(w.clone()), &mut chosen);
            }
        } else if let Some(config) = item.strip_prefix(PREFIX) {
            match Weft::by_config_name(config) {
                Some(w) => push(Box::new(w), &mut chosen),
                None => bail!(
                    "no weft configuration `{config}` in this build; compiled in: {}",
                    config_names().join(", ")
                ),
            }
        } else {
            let matching: Vec<Box<dyn Engine>> = peers::compiled_in()
                .into_iter()
                .filter(|p| {
                    let name = p.name();
                    name == item || name.split('/').next() == Some(item)
                })
                .collect();
            if matching.is_empty() {
                let compiled: Vec<String> = peers::compiled_in().iter().map(|p| p.name()).collect();
                match KNOWN_PEERS
                    .iter()
                    .find(|(p, _)| item.split('/').next() == Some(*p))
                {
                    Some((_, feature)) if !compiled.iter().any(|c| c.starts_with(item)) => {
                        bail!("engine `{item}` is not compiled in: build with --features {feature}")
                    }
                    _ => bail!(
                        "unknown engine `{item}`; known: weft, weft:<config> ({}), {}",
                        config_names().join(", "),
                        if compiled.is_empty() {
                            "and no peers compiled in (--features peers)".to_owned()
                        } else {
                            compiled.join(", ")
                        }
                    ),
                }
            }
            for p in matching {
                push(p, &mut chosen);
            }
        }
    }
    if chosen.is_empty() {
        bail!("--engines selects nothing");
    }
    Ok(chosen)
}

pub fn config_names() -> Vec<String> {
    Weft::all().iter().map(|w| w.config.name()).collect()
}

pub fn is_weft(name: &str) -> bool {
    name.starts_with(PREFIX)
}

pub fn matches_any(patterns: &str, name: &str) -> bool {
    patterns
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .any(|p| glob(p, name))
}

/// `*` matches any run of characters; a pattern without `*` matches as a substring.
pub fn glob(pattern: &str, text: &str) -> bool {
    if !pattern.contains('*') {
        return text.contains(pattern);
    }
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn globs() {
        assert!(glob("threaded", "threaded/stack"));
        assert!(glob("threaded/*", "threaded/register+fuse"));
        assert!(glob("*/stack", "loop-switch/stack"));
        assert!(!glob("*/stack", "loop-switch/register"));
        assert!(glob("*register*", "threaded/register+fuse"));
        assert!(!glob("a*b*c", "acb"));
        assert!(glob("a*b*c", "axbyc"));
    }
}
