//! Reading inputs: articles (files, directories of `*.txt`, the bundled
//! sample) and claims CSV files (extracted or hand-corrected claims).

use std::io;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::decode::{Offsets, decode};
use crate::error::{Error, Result};
use crate::extract::{Article, Claim, Mode};
use crate::lexicon::{ISSUES, Stance};

/// The sample article shipped in `data/samples/`, used when no path is given.
pub const SAMPLE_ID: &str = "putin_no_deal";
pub const SAMPLE_TEXT: &str = include_str!("../data/samples/putin_no_deal.txt");

/// The bundled sample as an article.
pub fn sample() -> Article {
    Article {
        id: SAMPLE_ID.to_string(),
        text: SAMPLE_TEXT.to_string(),
        date: None,
    }
}

/// Expands paths into article files: a file as itself, a directory as its
/// `*.txt` files, sorted by name.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| Error::io(path, e))?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "txt"))
                .collect();
            files.sort();
            out.extend(files);
        } else {
            out.push(path.clone());
        }
    }
    Ok(out)
}

/// An article read from a file, with what the file was.
#[derive(Debug)]
pub struct Read {
    pub article: Article,
    pub source: Source,
    /// Maps offsets in the article's text to offsets in the file.
    pub offsets: Offsets,
    /// What decoding repaired, to be reported (`None` when nothing was).
    pub warning: Option<String>,
}

impl Read {
    /// Moves the claims' offsets from the decoded text to the file.
    pub fn locate(&self, claims: &mut [Claim]) {
        if self.offsets.is_identity() {
            return;
        }
        for c in claims {
            c.start = self.offsets.original(c.start);
            c.end = self.offsets.original(c.end);
        }
    }
}

/// Reads one article (see [`crate::decode`]); its id is the file stem, its
/// date `date` if given, else the first full date in its opening
/// (dateline), if any.
pub fn read(path: &Path, date: Option<u32>) -> Result<Read> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let decoded = decode(&bytes).map_err(|message| Error::Input {
        path: path.to_path_buf(),
        message,
    })?;
    let text = decoded.text;
    let date = date.or_else(|| crate::date::find_in_text(&text));
    let id = article_id(path);
    let source = Source::new(&id, &path.display().to_string(), date, &bytes);
    Ok(Read {
        article: Article { id, text, date },
        source,
        offsets: decoded.offsets,
        warning: decoded.warning,
    })
}

/// The article id of a file: its stem.
pub fn article_id(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Whether a path names a claims CSV (it ends in `.csv`) rather than an
/// article file or directory.
pub fn is_claims_csv(path: &Path) -> bool {
    path.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv"))
}

/// Columns a claims CSV must have; the other SPEC §1 columns are optional.
pub const CLAIM_COLUMNS: [&str; 4] = ["article", "party", "stance", "issue"];

/// Reads a claims CSV file (see [`claims_from_reader`]).
pub fn read_claims(path: &Path) -> Result<Vec<Claim>> {
    read_claims_bytes(path).map(|(claims, _)| claims)
}

/// Reads a claims CSV file and returns its claims with the bytes read, so
/// that the caller can describe the input ([`Source`]).
pub fn read_claims_bytes(path: &Path) -> Result<(Vec<Claim>, Vec<u8>)> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let claims = claims_from_reader(&path.display().to_string(), bytes.as_slice())?;
    Ok((claims, bytes))
}

/// Where an article came from, so that every output cell can be traced
/// to the exact bytes it was read from (the workbook's Sources sheet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub article: String,
    /// The file as given on the command line; for the bundled sample its
    /// path in the repository.
    pub path: String,
    /// Publication date as yyyymmdd (`--date`, else the dateline), if known.
    pub date: Option<u32>,
    /// Size of the input file in bytes.
    pub bytes: u64,
    /// SHA-256 of the input file, lower-case hex.
    pub sha256: String,
}

impl Source {
    /// Describes `bytes`, read from `path`, as the source of `article`.
    pub fn new(article: &str, path: &str, date: Option<u32>, bytes: &[u8]) -> Source {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(bytes);
        Source {
            article: article.to_string(),
            path: path.to_string(),
            date,
            bytes: bytes.len() as u64,
            sha256: digest.iter().map(|b| format!("{b:02x}")).collect(),
        }
    }
}

/// The path of the bundled sample in the repository, for [`Source`].
pub const SAMPLE_PATH: &str = "data/samples/putin_no_deal.txt";

/// One row of a claims CSV: every column but the required four may be
/// missing, and empty numbers are 0.
#[derive(Deserialize)]
struct ClaimRow {
    article: String,
    party: String,
    #[serde(default)]
    speaker: String,
    stance: String,
    issue: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    object: String,
    #[serde(default)]
    condition: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    sentence: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
    #[serde(default)]
    evidence: String,
    #[serde(default)]
    cue: String,
}

/// Reads claims from CSV text with a header row holding at least
/// `article, party, stance, issue` (the claims `extract` writes, or gold
/// claims with `target, condition, evidence`); other columns are optional
/// and unknown ones ignored. `file` names the source in errors, which give
/// its line: `gold.csv:7: unknown stance "demnad"`.
pub fn claims_from_reader<R: io::Read>(file: &str, r: R) -> Result<Vec<Claim>> {
    let mut reader = csv::Reader::from_reader(r);
    let mut headers = reader
        .headers()
        .map_err(|e| Error::data(file, 1, format!("cannot read the header: {e}")))?
        .clone();
    // A byte-order mark would stick to the first column's name.
    if let Some(first) = headers.get(0).and_then(|h| h.strip_prefix('\u{feff}')) {
        let mut fixed = csv::StringRecord::from(vec![first]);
        fixed.extend(headers.iter().skip(1));
        headers = fixed;
    }
    let trimmed: csv::StringRecord = headers.iter().map(str::trim).collect();
    let missing: Vec<&str> = CLAIM_COLUMNS
        .into_iter()
        .filter(|c| !trimmed.iter().any(|h| h == *c))
        .collect();
    if !missing.is_empty() {
        return Err(Error::data(
            file,
            1,
            format!("not a claims CSV: missing column(s) {}", missing.join(", ")),
        ));
    }
    let mut claims = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| Error::data(file, e.position().map_or(0, |p| p.line()), csv_message(&e)))?;
        let line = record.position().map_or(0, |p| p.line());
        let row: ClaimRow = record
            .deserialize(Some(&trimmed))
            .map_err(|e| Error::data(file, line, csv_message(&e)))?;
        claims.push(claim(row).map_err(|message| Error::data(file, line, message))?);
    }
    Ok(claims)
}

fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("{len} fields where the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "not UTF-8".to_string(),
        csv::ErrorKind::Deserialize { err, .. } => err.to_string(),
        _ => e.to_string(),
    }
}

/// Checks one row and turns it into a claim. A text cell that demarche
/// neutralised against formula injection (`'=...`) is read back without
/// the `'` ([`crate::output::restore`]).
fn claim(row: ClaimRow) -> std::result::Result<Claim, String> {
    let text = |s: &str| crate::output::restore(s.trim()).to_string();
    let stance: Stance = row.stance.trim().to_lowercase().parse()?;
    let issue = row.issue.trim().to_lowercase();
    if !ISSUES.contains(&issue.as_str()) {
        return Err(format!("unknown issue {:?}", row.issue));
    }
    let mode = match row.mode.trim().to_lowercase().as_str() {
        "" | "reported" => Mode::Reported,
        "quote" => Mode::Quote,
        _ => return Err(format!("unknown mode {:?} (quote or reported)", row.mode)),
    };
    let number = |column: &str, value: &str| -> std::result::Result<usize, String> {
        let value = value.trim();
        if value.is_empty() {
            return Ok(0);
        }
        value
            .parse()
            .map_err(|_| format!("{column}: expected a number, found {value:?}"))
    };
    let sentence = number("sentence", &row.sentence)?;
    let start = number("start", &row.start)?;
    let end = number("end", &row.end)?;
    if end < start {
        return Err(format!("end {end} is before start {start}"));
    }
    Ok(Claim {
        article: text(&row.article),
        party: text(&row.party).to_uppercase(),
        speaker: text(&row.speaker),
        stance,
        issue,
        target: text(&row.target).to_uppercase(),
        object: text(&row.object),
        condition: text(&row.condition),
        mode,
        sentence,
        start,
        end,
        evidence: text(&row.evidence),
        cue: text(&row.cue),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<Claim>> {
        claims_from_reader("t.csv", text.as_bytes())
    }

    #[test]
    fn gold_columns_are_enough() {
        let claims = read(
            "article,party,issue,stance,target,condition,evidence\n\
             a1,rus,alliance,demand,ukr,,The Kremlin demands it.\n",
        )
        .unwrap();
        assert_eq!(claims.len(), 1);
        let c = &claims[0];
        assert_eq!((c.party.as_str(), c.target.as_str()), ("RUS", "UKR"));
        assert_eq!(c.stance, Stance::Demand);
        assert_eq!((c.mode, c.sentence, c.start, c.end), (Mode::Reported, 0, 0, 0));
        assert_eq!(c.object, "");
    }

    #[test]
    fn bom_and_extra_columns() {
        let claims = read("\u{feff}article,party,stance,issue,note\na,UKR,offer,alliance,x\n").unwrap();
        assert_eq!(claims[0].article, "a");
    }

    #[test]
    fn extract_output_reads_back() {
        let claim = Claim {
            article: "a".into(),
            party: "RUS".into(),
            speaker: "Vladimir Putin".into(),
            stance: Stance::Threaten,
            issue: "territory".into(),
            target: "UKR".into(),
            object: "take the land, \"by force\"".into(),
            condition: "-if talks fail".into(),
            mode: Mode::Quote,
            sentence: 3,
            start: 10,
            end: 40,
            evidence: "=HYPERLINK(\"x\") He said so.".into(),
            cue: "warns".into(),
        };
        let lexicon = crate::Lexicon::builtin().unwrap();
        let table = crate::output::claims_table(std::slice::from_ref(&claim), &lexicon.cameo);
        let mut buffer = Vec::new();
        table.write(&mut buffer, &crate::output::Options::default()).unwrap();
        let text = std::str::from_utf8(&buffer).unwrap();
        // Written neutralised, read back as extracted.
        assert!(text.contains(",\"'=HYPERLINK(\"\"x\"\") He said so.\","), "{text}");
        assert!(text.contains(",'-if talks fail,"), "{text}");
        assert_eq!(read(text).unwrap(), vec![claim]);
    }

    macro_rules! bad {
        ($name:ident, $text:expr, $message:expr) => {
            #[test]
            fn $name() {
                let e = read($text).unwrap_err();
                assert_eq!(e.to_string(), $message);
                assert!(e.is_usage());
            }
        };
    }

    bad!(
        missing_columns,
        "article,party,issue\na,RUS,alliance\n",
        "t.csv:1: not a claims CSV: missing column(s) stance"
    );
    bad!(
        empty_file,
        "",
        "t.csv:1: not a claims CSV: missing column(s) article, party, stance, issue"
    );
    bad!(
        unknown_stance,
        "article,party,stance,issue\na,RUS,demand,alliance\na,RUS,demnad,alliance\n",
        "t.csv:3: unknown stance \"demnad\""
    );
    bad!(
        unknown_issue,
        "article,party,stance,issue\na,RUS,demand,allianse\n",
        "t.csv:2: unknown issue \"allianse\""
    );
    bad!(
        short_row,
        "article,party,stance,issue\na,RUS,demand\n",
        "t.csv:2: 3 fields where the header has 4"
    );
    bad!(
        bad_number,
        "article,party,stance,issue,sentence\na,RUS,demand,alliance,x\n",
        "t.csv:2: sentence: expected a number, found \"x\""
    );
    bad!(
        bad_mode,
        "article,party,stance,issue,mode\na,RUS,demand,alliance,said\n",
        "t.csv:2: unknown mode \"said\" (quote or reported)"
    );
}
