//! Writers for claims and matrices. The library never prints: every writer
//! takes an `io::Write`, and output is deterministic.

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
