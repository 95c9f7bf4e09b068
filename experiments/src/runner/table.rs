//! Markdown tables (padded, so they read the same in a terminal) and number formatting.

#[derive(Clone, Debug, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Right-align every column but the first.
    pub numeric: bool,
}

impl Table {
    pub fn new(headers: &[&str]) -> Table {
        Table {
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
            numeric: true,
        }
    }

    pub fn with_headers(headers: Vec<String>) -> Table {
        Table {
            headers,
            rows: Vec::new(),
            numeric: true,
        }
    }

    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    pub fn to_markdown(&self) -> String {
        let columns = self.headers.len();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| width(h)).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(columns) {
                widths[i] = widths[i].max(width(cell));
            }
        }
        let mut out = String::new();
        let line = |cells: &[String], out: &mut String| {
            out.push('|');
            for (i, w) in widths.iter().enumerate() {
                let cell = cells.get(i).map_or("", String::as_str);
                let pad = w - width(cell);
                if self.numeric && i > 0 {
                    out.push_str(&format!(" {}{cell} |", " ".repeat(pad)));
                } else {
                    out.push_str(&format!(" {cell}{} |", " ".repeat(pad)));
                }
            }
            out.push('\n');
        };
        line(&self.headers, &mut out);
        out.push('|');
        for (i, w) in widths.iter().enumerate() {
            if self.numeric && i > 0 {
                out.push_str(&format!("{}:|", "-".repeat(w + 1)));
            } else {
                out.push_str(&format!("{}|", "-".repeat(w + 2)));
            }
        }
        out.push('\n');
        for row in &self.rows {
            line(row, &mut out);
        }
        out
    }
}

fn width(text: &str) -> usize {
    text.chars().count()
}

/// A duration in seconds with three significant digits and a unit that fits.
pub fn duration(secs: f64) -> String {
    let (value, unit) = if secs >= 1.0 {
        (secs, "s")
    } else if secs >= 1e-3 {
        (secs * 1e3, "ms")
    } else if secs >= 1e-6 {
        (secs * 1e6, "µs")
    } else {
        (secs * 1e9, "ns")
    };
    format!("{} {unit}", sig3(value))
}

/// Three significant digits, no exponent.
pub fn sig3(value: f64) -> String {
    let a = value.abs();
    if a >= 100.0 {
        format!("{value:.0}")
    } else if a >= 10.0 {
        format!("{value:.1}")
    } else if a >= 1.0 {
        format!("{value:.2}")
    } else if a >= 0.1 {
        format!("{value:.3}")
    } else if a == 0.0 {
        "0".to_owned()
    } else {
        format!("{value:.2e}")
    }
}

/// A ratio to the baseline, e.g. `1.00×`, `0.42×`.
pub fn ratio(value: f64) -> String {
    if value >= 10.0 {
        format!("{value:.1}×")
    } else {
        format!("{value:.2}×")
    }
}

/// A count with thin grouping, e.g. `12 345 678`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(duration(0.0123), "12.3 ms");
        assert_eq!(duration(1.5e-7), "150 ns");
        assert_eq!(duration(2.0), "2.00 s");
        assert_eq!(ratio(1.0), "1.00×");
        assert_eq!(count(12345678), "12 345 678");
        assert_eq!(count(123), "123");
    }

    #[test]
    fn markdown_is_padded() {
        let mut t = Table::new(&["engine", "time"]);
        t.push(vec!["a".into(), "1 ms".into()]);
        t.push(vec!["longer".into(), "10 ms".into()]);
        let md = t.to_markdown();
        assert!(md.contains("| engine |  time |"), "{md}");
        assert!(md.contains("| a      |  1 ms |"), "{md}");
        assert!(md.contains("|--------|------:|"), "{md}");
    }
}
