//! Writers for claims, matrices and reports ([`Table`]: CSV, or aligned
//! text for a terminal). The library never prints: every writer takes an
//! `io::Write`, and output is deterministic.

use std::io;

use crate::extract::Claim;
use crate::matrix::Matrix;

/// Writes claims as CSV: the SPEC §1 columns in order, then `cue`.
pub fn write_claims<W: io::Write>(w: W, claims: &[Claim]) -> csv::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    if claims.is_empty() {
        out.write_record([
            "article",
            "party",
            "speaker",
            "stance",
            "issue",
            "target",
            "object",
            "condition",
            "mode",
            "sentence",
            "start",
            "end",
            "evidence",
            "cue",
        ])?;
    }
    for c in claims {
        out.serialize(c)?;
    }
    out.flush()?;
    Ok(())
}

/// Writes the wide matrix: one row per issue, one column per party.
pub fn write_matrix<W: io::Write>(w: W, m: &Matrix) -> csv::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    let mut header = vec!["issue".to_string()];
    header.extend(m.parties.iter().cloned());
    out.write_record(&header)?;
    for issue in m.issues() {
        let mut row = vec![issue.clone()];
        row.extend(m.parties.iter().map(|p| m.cell(&issue, p)));
        out.write_record(&row)?;
    }
    out.flush()?;
    Ok(())
}

/// Writes the long matrix: one row per (article, issue, party, stance).
pub fn write_matrix_long<W: io::Write>(w: W, m: &Matrix) -> csv::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(["article", "issue", "party", "stance", "claims"])?;
    for ((article, issue, party, stance), n) in &m.counts {
        out.write_record([article, issue, party, stance.as_str(), &n.to_string()])?;
    }
    out.flush()?;
    Ok(())
}

/// How a report is written: CSV, or an aligned text table for a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Table,
}

/// The widest a cell may be in a text table, in characters; longer cells
/// are cut with `…` (the CSV keeps them whole).
pub const MAX_CELL: usize = 48;

/// A report: rows under a header, each row as long as the header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// An empty table with these column names.
    pub fn new(header: &[&str]) -> Table {
        Table {
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// Writes the table as CSV or as aligned text.
    pub fn write<W: io::Write>(&self, w: W, format: Format) -> io::Result<()> {
        match format {
            Format::Csv => self.write_csv(w),
            Format::Table => self.write_text(w),
        }
    }

    fn write_csv<W: io::Write>(&self, w: W) -> io::Result<()> {
        let mut out = csv::Writer::from_writer(w);
        out.write_record(&self.header)?;
        for row in &self.rows {
            out.write_record(row)?;
        }
        out.flush()
    }

    fn write_text<W: io::Write>(&self, mut w: W) -> io::Result<()> {
        let cell = |s: &str| -> String {
            let flat: String = s.chars().map(|c| if c.is_whitespace() { ' ' } else { c }).collect();
            if flat.chars().count() > MAX_CELL {
                let cut: String = flat.chars().take(MAX_CELL - 1).collect();
                format!("{}…", cut.trim_end())
            } else {
                flat
            }
        };
        let header: Vec<String> = self.header.iter().map(|h| cell(h)).collect();
        let rows: Vec<Vec<String>> = self.rows.iter().map(|r| r.iter().map(|c| cell(c)).collect()).collect();
        let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
        for row in &rows {
            for (i, c) in row.iter().enumerate() {
                if let Some(width) = widths.get_mut(i) {
                    *width = (*width).max(c.chars().count());
                }
            }
        }
        let line = |cells: &[String]| -> String {
            let padded: Vec<String> = cells
                .iter()
                .zip(&widths)
                .map(|(c, &width)| format!("{c}{}", " ".repeat(width - c.chars().count())))
                .collect();
            padded.join("  ").trim_end().to_string()
        };
        writeln!(w, "{}", line(&header))?;
        let rule: Vec<String> = widths.iter().map(|&n| "-".repeat(n)).collect();
        writeln!(w, "{}", line(&rule))?;
        for row in &rows {
            writeln!(w, "{}", line(row))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        let mut t = Table::new(&["party", "issue", "note"]);
        t.rows
            .push(vec!["RUS".into(), "alliance".into(), "a, \"quoted\"\nline".into()]);
        t.rows.push(vec!["UKR".into(), "territory".into(), "x".repeat(60)]);
        t
    }

    #[test]
    fn csv_quotes() {
        let mut out = Vec::new();
        sample().write(&mut out, Format::Csv).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("party,issue,note\nRUS,alliance,\"a, \"\"quoted\"\"\nline\"\n"));
    }

    #[test]
    fn text_is_aligned_and_cut() {
        let mut out = Vec::new();
        sample().write(&mut out, Format::Table).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "party  issue      note");
        assert_eq!(
            lines[1],
            "-----  ---------  ------------------------------------------------"
        );
        assert_eq!(lines[2], "RUS    alliance   a, \"quoted\" line");
        assert_eq!(lines[3], format!("UKR    territory  {}…", "x".repeat(MAX_CELL - 1)));
    }
}
