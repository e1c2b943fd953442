//! Reading inputs: articles (text, HTML and JSONL files, directories of
//! them, standard input, the bundled sample) and claims CSV files
//! (extracted or hand-corrected claims).

use std::io;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::decode::{Offsets, decode};
use crate::error::{Error, Result};
use crate::extract::{Article, Claim, ClaimView, Mode};
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

/// How an input file holds its articles, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Plain text (`.txt`, `.md`, or any other name given explicitly).
    Text,
    /// An HTML page (`.html`, `.htm`): its readable text.
    Html,
    /// One JSON object per line (`.jsonl`), each an article.
    Jsonl,
    /// Extracted or gold claims (`.csv`), read only where claims are.
    Claims,
}

impl Kind {
    pub fn of(path: &Path) -> Kind {
        let ext = path
            .extension()
            .map(|x| x.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "html" | "htm" => Kind::Html,
            "jsonl" => Kind::Jsonl,
            "csv" => Kind::Claims,
            _ => Kind::Text,
        }
    }

    /// Whether a directory walk picks files of this extension up.
    fn in_directories(path: &Path) -> bool {
        path.extension().is_some_and(|x| {
            ["txt", "md", "html", "htm", "jsonl"]
                .iter()
                .any(|e| x.eq_ignore_ascii_case(e))
        })
    }
}

/// One input named on the command line or found in a directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    File(PathBuf, Kind),
    /// Standard input (`-`): JSONL when its first line is an object, else
    /// one text article with the id `stdin`.
    Stdin,
    /// A directory that could not be read: a failure of its own, reported
    /// in its place while the other inputs go on.
    Unreadable(PathBuf, String),
    /// The bundled sample article, read when no input is named.
    Sample,
}

/// The path that reads standard input.
pub const STDIN: &str = "-";

/// Expands paths into inputs, in order: a file as itself, `-` as standard
/// input, a directory as the article files below it (`.txt`, `.md`,
/// `.html`, `.htm`, `.jsonl`; recursively, sorted by path); no path at all
/// as the bundled sample.
pub fn expand(paths: &[PathBuf]) -> Vec<Origin> {
    if paths.is_empty() {
        return vec![Origin::Sample];
    }
    let mut out = Vec::new();
    for path in paths {
        if path.as_os_str() == STDIN {
            out.push(Origin::Stdin);
        } else if path.is_dir() {
            let mut files = Vec::new();
            let walked = walk(path, &mut files);
            files.sort();
            out.extend(files.into_iter().map(|f| {
                let kind = Kind::of(&f);
                Origin::File(f, kind)
            }));
            if let Err((dir, e)) = walked {
                out.push(Origin::Unreadable(dir, e.to_string()));
            }
        } else {
            out.push(Origin::File(path.clone(), Kind::of(path)));
        }
    }
    out
}

/// Collects the article files below `dir`, following no symbolic link to
/// a directory (a link cycle would never end). A directory that cannot be
/// read stops the walk: its path and why.
fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> std::result::Result<(), (PathBuf, io::Error)> {
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| (dir.clone(), e))?;
        for entry in entries {
            let entry = entry.map_err(|e| (dir.clone(), e))?;
            let path = entry.path();
            let kind = entry.file_type().map_err(|e| (path.clone(), e))?;
            if kind.is_dir() {
                pending.push(path);
            } else if (kind.is_file() || path.is_file()) && Kind::in_directories(&path) {
                files.push(path);
            }
        }
    }
    Ok(())
}

/// An article's bytes as read, not yet decoded: reading is sequential,
/// decoding and extraction run in parallel.
#[derive(Debug)]
pub struct Pending {
    /// The file (or `file:line` of a JSONL record, `-` for stdin).
    pub name: String,
    kind: Kind,
    bytes: Vec<u8>,
    /// The article id: the file stem (a JSONL record's id is read with
    /// the record, so it is empty here).
    id: String,
}

impl Pending {
    /// Decodes the article; `date`, if given, overrides its own. The
    /// source's SHA-256 is taken when `digest` is set.
    pub fn read(self, date: Option<u32>, digest: bool) -> Result<Read> {
        let path = PathBuf::from(&self.name);
        let fail = |message: String| Error::Input {
            path: path.clone(),
            message,
        };
        let (text, offsets, warning, own_date, id, meta) = match self.kind {
            Kind::Jsonl => {
                let record = jsonl_record(&self.bytes).map_err(fail)?;
                (
                    record.text,
                    Offsets::default(),
                    None,
                    record.date,
                    record.id,
                    record.meta,
                )
            }
            Kind::Html => {
                let decoded = decode(&self.bytes).map_err(fail)?;
                let page = crate::html::page(&decoded.text);
                // Offsets are into the page's text, not the markup.
                (page.text, Offsets::default(), decoded.warning, page.date, self.id, None)
            }
            Kind::Text | Kind::Claims => {
                let decoded = decode(&self.bytes).map_err(fail)?;
                let date = crate::date::find_in_text(&decoded.text);
                (decoded.text, decoded.offsets, decoded.warning, date, self.id, None)
            }
        };
        let date = date.or(own_date);
        let source = Source::new(&id, &self.name, date, &self.bytes, digest);
        Ok(Read {
            article: Article { id, text, date },
            source,
            offsets,
            warning,
            meta,
        })
    }
}

/// One JSONL record's fields.
struct Record {
    id: String,
    text: String,
    date: Option<u32>,
    /// Every field but `id`, `text` and `date`.
    meta: Option<serde_json::Map<String, serde_json::Value>>,
}

fn jsonl_record(line: &[u8]) -> std::result::Result<Record, String> {
    use serde_json::Value;
    let mut object = match serde_json::from_slice::<Value>(line) {
        Ok(Value::Object(object)) => object,
        Ok(_) => return Err("not a JSON object".into()),
        Err(e) => return Err(format!("invalid JSON: {e}")),
    };
    let id = match object.remove("id") {
        Some(Value::String(s)) if !s.is_empty() => s,
        Some(Value::Number(n)) => n.to_string(),
        _ => return Err("no \"id\" (a string or a number)".into()),
    };
    let text = match object.remove("text") {
        Some(Value::String(s)) => s,
        _ => return Err(format!("article {id:?}: no \"text\" string")),
    };
    let date = match object.remove("date") {
        Some(Value::String(d)) => Some(
            crate::date::parse_iso_date_time(&d)
                .ok_or_else(|| format!("article {id:?}: date {d:?}: expected YYYY-MM-DD"))?,
        ),
        None | Some(Value::Null) => None,
        Some(other) => return Err(format!("article {id:?}: date {other}: expected a string")),
    };
    Ok(Record {
        id,
        text,
        date,
        meta: (!object.is_empty()).then_some(object),
    })
}

/// The inputs' articles as [`Pending`] reads, in input order: files whole,
/// JSONL files and a JSONL standard input one line at a time (so a corpus
/// of any size streams). A file that cannot be read is an `Err` item.
pub fn pending(origins: Vec<Origin>) -> impl Iterator<Item = Result<Pending>> {
    origins
        .into_iter()
        .flat_map(|origin| -> Box<dyn Iterator<Item = Result<Pending>> + Send> {
            match origin {
                Origin::File(path, Kind::Jsonl) => match std::fs::File::open(&path) {
                    Ok(file) => Box::new(lines(path.display().to_string(), io::BufReader::new(file))),
                    Err(e) => Box::new(std::iter::once(Err(Error::io(&path, e)))),
                },
                Origin::File(path, kind) => Box::new(std::iter::once(
                    std::fs::read(&path)
                        .map(|bytes| Pending {
                            name: path.display().to_string(),
                            kind,
                            bytes,
                            id: article_id(&path),
                        })
                        .map_err(|e| Error::io(&path, e)),
                )),
                Origin::Stdin => stdin(),
                Origin::Sample => Box::new(std::iter::once(Ok(Pending {
                    name: SAMPLE_PATH.to_string(),
                    kind: Kind::Text,
                    bytes: SAMPLE_TEXT.as_bytes().to_vec(),
                    id: SAMPLE_ID.to_string(),
                }))),
                Origin::Unreadable(path, message) => Box::new(std::iter::once(Err(Error::Input { path, message }))),
            }
        })
}

/// Standard input: JSONL records line by line when the first line opens an
/// object, else the whole input as one article.
fn stdin() -> Box<dyn Iterator<Item = Result<Pending>> + Send> {
    use std::io::BufRead;
    let mut reader = io::BufReader::new(io::stdin());
    let first = match reader.fill_buf() {
        Ok(buffer) => buffer.iter().find(|b| !b.is_ascii_whitespace()).copied(),
        Err(e) => return Box::new(std::iter::once(Err(Error::io(STDIN, e)))),
    };
    if first == Some(b'{') {
        return Box::new(lines(STDIN.to_string(), reader));
    }
    let mut bytes = Vec::new();
    Box::new(std::iter::once(
        io::Read::read_to_end(&mut reader, &mut bytes)
            .map(|_| Pending {
                name: STDIN.to_string(),
                kind: Kind::Text,
                bytes,
                id: "stdin".to_string(),
            })
            .map_err(|e| Error::io(STDIN, e)),
    ))
}

/// The non-blank lines of a JSONL stream as pending records named
/// `file:line`.
fn lines<R: io::BufRead + Send + 'static>(file: String, reader: R) -> impl Iterator<Item = Result<Pending>> + Send {
    reader.split(b'\n').enumerate().filter_map(move |(i, line)| {
        let name = format!("{file}:{}", i + 1);
        match line {
            Ok(mut bytes) => {
                if bytes.last() == Some(&b'\r') {
                    bytes.pop();
                }
                (!bytes.iter().all(u8::is_ascii_whitespace)).then(|| {
                    Ok(Pending {
                        name,
                        kind: Kind::Jsonl,
                        bytes,
                        id: String::new(),
                    })
                })
            }
            Err(e) => Some(Err(Error::io(&file, e))),
        }
    })
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
    /// A JSONL record's fields other than `id`, `text` and `date`.
    pub meta: Option<serde_json::Map<String, serde_json::Value>>,
}

impl Read {
    /// Moves the claims' offsets from the decoded text to the file.
    pub fn locate(&self, claims: &mut [ClaimView]) {
        if self.offsets.is_identity() {
            return;
        }
        for c in claims {
            c.start = self.offsets.original(c.start);
            c.end = self.offsets.original(c.end);
        }
    }
}

/// The article id of a file: its stem.
pub fn article_id(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
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
    /// SHA-256 of the input file, lower-case hex; `None` when it was not
    /// asked for (output written as it is read has no Sources sheet).
    pub sha256: Option<String>,
}

impl Source {
    /// Describes `bytes`, read from `path`, as the source of `article`;
    /// their SHA-256 is taken when `digest` is set.
    pub fn new(article: &str, path: &str, date: Option<u32>, bytes: &[u8], digest: bool) -> Source {
        use sha2::{Digest, Sha256};
        Source {
            article: article.to_string(),
            path: path.to_string(),
            date,
            bytes: bytes.len() as u64,
            sha256: digest.then(|| Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()),
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
