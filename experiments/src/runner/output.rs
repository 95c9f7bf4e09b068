//! Where results go: `results/<name>.csv` and `.md`, the paper's generated blocks, and
//! the figures.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::platform::Platform;

/// The destinations of one run.
#[derive(Clone, Debug)]
pub struct Output {
    pub results: PathBuf,
    pub figures: PathBuf,
    pub paper: PathBuf,
}

impl Output {
    /// The repository's own: `experiments/results/`, `papers/figures/`, `papers/dispatch.md`.
    pub fn in_repo(repo: &Path) -> Output {
        Output {
            results: repo.join("experiments/results"),
            figures: repo.join("papers/figures"),
            paper: repo.join("papers/dispatch.md"),
        }
    }

    /// Everything under `dir`, the paper starting as a copy of the repository's.
    pub fn under(dir: &Path, repo: &Path) -> Result<Output> {
        let out = Output {
            results: dir.join("results"),
            figures: dir.join("figures"),
            paper: dir.join("dispatch.md"),
        };
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let source = Output::in_repo(repo).paper;
        if !out.paper.exists() && source.exists() {
            std::fs::copy(&source, &out.paper)
                .with_context(|| format!("copying {} to {}", source.display(), dir.display()))?;
        }
        Ok(out)
    }

    /// Write `results/<name>.csv`: `header` then `rows`, each followed by the platform columns.
    pub fn write_csv(
        &self,
        name: &str,
        header: &[&str],
        rows: &[Vec<String>],
        platform: &Platform,
    ) -> Result<PathBuf> {
        let mut text = String::new();
        let columns: Vec<&str> = header
            .iter()
            .chain(Platform::CSV_COLUMNS)
            .copied()
            .collect();
        text.push_str(&csv_line(
            &columns.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>(),
        ));
        let platform_values = platform.csv_values();
        for row in rows {
            let mut full = row.clone();
            full.extend(platform_values.iter().cloned());
            text.push_str(&csv_line(&full));
        }
        let path = self.results.join(format!("{name}.csv"));
        write(&path, &text)?;
        Ok(path)
    }

    /// Write `results/<name>.md` and replace the paper's block `name` with `markdown`.
    /// Returns whether the paper had the block's markers.
    pub fn write_block(&self, name: &str, markdown: &str) -> Result<bool> {
        write(&self.results.join(format!("{name}.md")), markdown)?;
        let Ok(paper) = std::fs::read_to_string(&self.paper) else {
            return Ok(false);
        };
        match replace_block(&paper, name, markdown) {
            Some(updated) => {
                write(&self.paper, &updated)?;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    pub fn figure_path(&self, name: &str) -> Result<PathBuf> {
        std::fs::create_dir_all(&self.figures)
            .with_context(|| format!("creating {}", self.figures.display()))?;
        Ok(self.figures.join(format!("{name}.svg")))
    }
}

fn write(path: &Path, text: &str) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

/// Replace what lies between `<!-- BEGIN name -->` and `<!-- END name -->`.
pub fn replace_block(text: &str, name: &str, content: &str) -> Option<String> {
    let begin = format!("<!-- BEGIN {name} -->");
    let end = format!("<!-- END {name} -->");
    let start = text.find(&begin)? + begin.len();
    let stop = start + text[start..].find(&end)?;
    Some(format!(
        "{}\n{}\n{}",
        &text[..start],
        content.trim_end(),
        &text[stop..]
    ))
}

fn csv_line(cells: &[String]) -> String {
    let mut line = cells
        .iter()
        .map(|c| {
            if c.contains([',', '"', '\n']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(",");
    line.push('\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_replaced_between_markers() {
        let text = "a\n<!-- BEGIN micro -->\nold\n<!-- END micro -->\nb\n";
        let new = replace_block(text, "micro", "new table\n").unwrap();
        assert_eq!(
            new,
            "a\n<!-- BEGIN micro -->\nnew table\n<!-- END micro -->\nb\n"
        );
        assert_eq!(replace_block(&new, "micro", "new table").unwrap(), new);
        assert!(replace_block(text, "programs", "x").is_none());
    }

    #[test]
    fn csv_quotes() {
        assert_eq!(
            csv_line(&["a".into(), "b,c".into(), "d\"e".into()]),
            "a,\"b,c\",\"d\"\"e\"\n"
        );
    }
}
