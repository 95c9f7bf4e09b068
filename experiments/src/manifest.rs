//! Workload manifests: `workloads/micro/manifest.toml` and `workloads/programs/manifest.toml`.
//!
//! Each `[[workload]]` names a module file (.wat or .wasm, relative to the manifest), the
//! export to call, and a `full` (benchmark) and `quick` (test) case, each with its arguments
//! and the exact results expected.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use toml::{Table, Value as Toml};

use crate::value::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Size {
    Quick,
    Full,
}

#[derive(Clone, Debug)]
pub struct Case {
    pub args: Vec<Value>,
    pub results: Vec<Value>,
}

#[derive(Clone, Debug)]
pub struct Workload {
    /// The manifest's directory name, e.g. `micro` or `programs`.
    pub suite: String,
    pub name: String,
    pub file: PathBuf,
    pub export: String,
    pub full: Case,
    pub quick: Case,
}

impl Workload {
    /// `suite/name`: the workload's stable identifier in output files.
    pub fn id(&self) -> String {
        format!("{}/{}", self.suite, self.name)
    }

    pub fn case(&self, size: Size) -> &Case {
        match size {
            Size::Quick => &self.quick,
            Size::Full => &self.full,
        }
    }

    /// The module in binary form, whichever format the file is in.
    pub fn wasm(&self) -> Result<Vec<u8>> {
        let bytes = std::fs::read(&self.file)
            .with_context(|| format!("reading {}", self.file.display()))?;
        if self.file.extension().is_some_and(|ext| ext == "wat") {
            return wat::parse_bytes(&bytes)
                .map(|wasm| wasm.into_owned())
                .with_context(|| format!("assembling {}", self.file.display()));
        }
        Ok(bytes)
    }
}

/// `experiments/workloads`, wherever the crate is built from.
pub fn workloads_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("workloads")
}

pub const SUITES: &[&str] = &["micro", "programs"];

/// Every workload of every suite, in manifest order.
pub fn load_all() -> Result<Vec<Workload>> {
    let mut all = Vec::new();
    for suite in SUITES {
        all.extend(load(&workloads_dir().join(suite).join("manifest.toml"))?);
    }
    Ok(all)
}

pub fn load(path: &Path) -> Result<Vec<Workload>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let table: Table = text
        .parse()
        .with_context(|| format!("parsing {}", path.display()))?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let suite = dir
        .file_name()
        .map_or_else(String::new, |name| name.to_string_lossy().into_owned());
    let Some(Toml::Array(entries)) = table.get("workload") else {
        bail!("{}: no [[workload]] entries", path.display());
    };
    entries
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let entry = entry
                .as_table()
                .ok_or_else(|| anyhow!("workload #{i} is not a table"))?;
            workload(&suite, dir, entry)
                .with_context(|| format!("{}: workload #{i}", path.display()))
        })
        .collect()
}

fn workload(suite: &str, dir: &Path, entry: &Table) -> Result<Workload> {
    Ok(Workload {
        suite: suite.to_owned(),
        name: string(entry, "name")?.to_owned(),
        file: dir.join(string(entry, "file")?),
        export: string(entry, "export")?.to_owned(),
        full: case(entry, "full")?,
        quick: case(entry, "quick")?,
    })
}

fn string<'a>(table: &'a Table, key: &str) -> Result<&'a str> {
    table
        .get(key)
        .and_then(Toml::as_str)
        .ok_or_else(|| anyhow!("missing string `{key}`"))
}

fn case(entry: &Table, key: &str) -> Result<Case> {
    let table = entry
        .get(key)
        .and_then(Toml::as_table)
        .ok_or_else(|| anyhow!("missing table `{key}`"))?;
    Ok(Case {
        args: values(table, "args")?,
        results: values(table, "results")?,
    })
}

fn values(table: &Table, key: &str) -> Result<Vec<Value>> {
    let items = table
        .get(key)
        .and_then(Toml::as_array)
        .ok_or_else(|| anyhow!("missing array `{key}`"))?;
    items
        .iter()
        .map(|item| {
            item.as_str()
                .ok_or_else(|| anyhow!("`{key}` items must be strings"))?
                .parse()
        })
        .collect()
}
