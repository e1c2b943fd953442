//! Hostile input: every bad input gets a clear error, nothing is lost,
//! nothing panics. Every input here is generated; none is stored.

mod common;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::LazyLock;

use common::{demarche, tmp};
use demarche::document::{self, MAX_SENTENCE};
use demarche::output::{self, Format, Options};
use demarche::{Article, Lexicon};
use proptest::prelude::*;

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::builtin().unwrap());

const CLAIM: &str = "The Kremlin demanded that Ukraine withdraw its bid to join NATO.";

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The (start, end, evidence) of each claim in CSV output.
fn located(o: &Output) -> Vec<(usize, usize, String)> {
    let mut reader = csv::Reader::from_reader(o.stdout.as_slice());
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (start, end, evidence) = (col("start"), col("end"), col("evidence"));
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (
                r[start].parse().unwrap(),
                r[end].parse().unwrap(),
                r[evidence].to_string(),
            )
        })
        .collect()
}

/// Checks that each sentence of `text` is in order, disjoint from the one
/// before, on char boundaries, inside the text and at most MAX_SENTENCE.
fn assert_sentences_well_formed(text: &str) {
    let mut end = 0;
    for s in document::parse(text).sentences {
        let span = s.span;
        assert!(
            end <= span.start,
            "sentence {span:?} overlaps the one before (ends {end})"
        );
        assert!(span.start < span.end && span.end <= text.len(), "{span:?}");
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        assert!(span.end - span.start <= MAX_SENTENCE);
        end = span.end;
    }
}

/// Extracts `text` in-process and checks every claim's evidence is its
/// slice of the text; returns the number of claims.
fn extract_checked(text: &str) -> usize {
    let article = Article {
        id: "generated".into(),
        text: text.to_string(),
        date: None,
    };
    let claims = demarche::extract(&LEXICON, &article);
    for c in &claims {
        assert_eq!(c.evidence, text[c.start..c.end]);
    }
    claims.len()
}

// --- Encodings -------------------------------------------------------------

#[test]
fn encodings_are_decoded_and_offsets_point_into_the_file() {
    let dir = tmp("encodings");
    let plain = format!("Talks\n\n{CLAIM}\n");
    // Invalid UTF-8 in the middle of the sentence: read lossily, warned
    // about with the first bad byte's offset, offsets still in the file.
    let mut broken = b"Talks\n\nThe Kremlin \xff\xfe".to_vec();
    broken.extend_from_slice(&CLAIM.as_bytes()["The Kremlin ".len()..]);
    broken.push(b'\n');
    let utf8_bom = [b"\xEF\xBB\xBF".as_slice(), plain.as_bytes()].concat();
    let utf16 = |le: bool| -> Vec<u8> {
        let bom: [u8; 2] = if le { [0xFF, 0xFE] } else { [0xFE, 0xFF] };
        bom.into_iter()
            .chain(
                plain
                    .encode_utf16()
                    .flat_map(move |u| if le { u.to_le_bytes() } else { u.to_be_bytes() }),
            )
            .collect()
    };
    let decode_utf16 = |bytes: &[u8], le: bool| -> String {
        let units = bytes.chunks_exact(2).map(|p| {
            if le {
                u16::from_le_bytes([p[0], p[1]])
            } else {
                u16::from_be_bytes([p[0], p[1]])
            }
        });
        char::decode_utf16(units).map(Result::unwrap).collect()
    };
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("broken.txt", broken),
        ("bom8.txt", utf8_bom),
        ("le16.txt", utf16(true)),
        ("be16.txt", utf16(false)),
    ];
    for (name, bytes) in &cases {
        let file = dir.join(name);
        std::fs::write(&file, bytes).unwrap();
        let o = demarche(&["extract", "--quiet", "--format", "csv", "--raw", path(&file)]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        let claims = located(&o);
        assert_eq!(claims.len(), 1, "{name}: {}", String::from_utf8_lossy(&o.stdout));
        let (start, end, evidence) = &claims[0];
        let in_file = &bytes[*start..*end];
        let read_back = match *name {
            "le16.txt" => decode_utf16(in_file, true),
            "be16.txt" => decode_utf16(in_file, false),
            _ => String::from_utf8_lossy(in_file).into_owned(),
        };
        assert_eq!(&read_back, evidence, "{name}");
        let warned = stderr(&o);
        if *name == "broken.txt" {
            assert!(
                warned.contains(&format!(
                    "{}: not valid UTF-8 (first bad byte at offset 19)",
                    path(&file)
                )),
                "{warned}"
            );
        } else {
            assert!(warned.is_empty(), "{name}: {warned}");
        }
    }
}

#[test]
fn binary_files_are_refused_and_empty_files_are_no_error() {
    let dir = tmp("binary");
    let nul = dir.join("archive.txt");
    std::fs::write(&nul, b"PK\x03\x04\x14\x00\x00\x00").unwrap();
    let controls = dir.join("controls.txt");
    std::fs::write(&controls, (0..300u32).map(|i| (i % 31) as u8 + 1).collect::<Vec<u8>>()).unwrap();
    for file in [&nul, &controls] {
        let o = demarche(&["extract", "--format", "csv", path(file)]);
        assert_eq!(o.status.code(), Some(1));
        assert!(
            stderr(&o).contains(&format!("{}: binary file", path(file))),
            "{}",
            stderr(&o)
        );
    }
    for (name, text) in [("empty.txt", ""), ("blank.txt", " \n\r\n\t\u{a0}\n  ")] {
        let file = dir.join(name);
        std::fs::write(&file, text).unwrap();
        let o = demarche(&["extract", "--quiet", "--format", "csv", path(&file)]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        assert!(stderr(&o).is_empty(), "{name}: {}", stderr(&o));
        assert_eq!(located(&o).len(), 0);
    }
}

// --- Size and shape ----------------------------------------------------------

/// Pathological shapes complete (the benchmark `hostile` measures that
/// their time is linear in their size): no stack overflow, no panic, and
/// the parser's invariants hold.
#[test]
fn pathological_shapes_complete() {
    let words = CLAIM.trim_end_matches('.').split(' ').collect::<Vec<_>>();
    let run_on: String = (0..400_000)
        .map(|i| words[i % words.len()])
        .collect::<Vec<_>>()
        .join(" ");
    let shapes: Vec<(&str, String)> = vec![
        ("2 MB without a newline", format!("{run_on}. ").repeat(1)),
        ("1 MB sentence", run_on[..1_000_000].to_string()),
        (
            "10,000 nested quotes",
            format!("{}{CLAIM}{}", "\"“".repeat(5_000), "”\"".repeat(5_000)),
        ),
        (
            "10,000 nested brackets",
            format!("{}{CLAIM}{}", "([".repeat(5_000), "])".repeat(5_000)),
        ),
        ("1,000,000 one-character lines", "a\n".repeat(1_000_000)),
        // Every "day" in it could end a weekday: the word is not walked
        // back over each time (this took 70 s a megabyte).
        ("1 MB word", "day".repeat(333_333)),
        ("periods only", ". ".repeat(200_000)),
    ];
    for (name, text) in &shapes {
        assert_sentences_well_formed(text);
        extract_checked(text);
        eprintln!("{name}: ok ({} bytes)", text.len());
    }
}

/// Lines may end in LF, CRLF, a CR alone (old Mac files, some scraped
/// pages) or Unicode's line and paragraph separators: each gives the same
/// claims, at the same places where the ending is as long. A CR alone once
/// ended the reading of the article there.
#[test]
fn every_line_ending_gives_the_same_claims() {
    let lines = ["Talks stall", "", CLAIM, "Kyiv rejected the demand."];
    let claims = |ending: &str| {
        let text = lines.join(ending) + ending;
        let article = Article {
            id: "lines".into(),
            text: text.clone(),
            date: None,
        };
        let claims = demarche::extract(&LEXICON, &article);
        assert_sentences_well_formed(&text);
        claims
            .into_iter()
            .map(|c| (c.party, c.stance.to_string(), c.issue, c.start, c.end))
            .collect::<Vec<_>>()
    };
    let lf = claims("\n");
    assert_eq!(lf.len(), 2, "{lf:?}");
    assert_eq!(claims("\r"), lf);
    // Longer line ends move the offsets, not the claims.
    for ending in ["\r\n", "\u{85}", "\u{2028}", "\u{2029}"] {
        let other = claims(ending);
        assert_eq!(other.len(), lf.len(), "{ending:?}");
        for ((p, s, i, ..), (q, t, j, ..)) in other.iter().zip(&lf) {
            assert_eq!((p, s, i), (q, t, j), "{ending:?}");
        }
    }
}

/// Inputs the fuzzer found panics with, kept as regressions.
const FUZZ_FINDINGS: &[&str] = &[
    // "the two sides" stands for both parties at one span: an appositive
    // check sliced between the two mentions.
    "China Taiwan\nthe two sides,said",
    // A weekday-like word after a multi-byte character: the word start was
    // taken one byte after that character's first byte.
    "Iran’s enrichment’Monday, said",
];

#[test]
fn fuzz_findings_stay_fixed() {
    for text in FUZZ_FINDINGS {
        assert_sentences_well_formed(text);
        extract_checked(text);
    }
}

// --- Batch ------------------------------------------------------------------

#[test]
fn one_failing_document_does_not_stop_the_batch() {
    let dir = tmp("batch");
    std::fs::write(dir.join("a.txt"), format!("A\n\n{CLAIM}\n")).unwrap();
    std::fs::write(dir.join("b.txt"), b"\x00\x01\x02 binary").unwrap();
    std::fs::write(dir.join("c.txt"), format!("C\n\n{CLAIM}\n")).unwrap();
    let o = demarche(&["extract", "--format", "csv", path(&dir)]);
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8_lossy(&o.stdout);
    let articles: Vec<&str> = out.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(articles, ["a", "c"]);
    let err = stderr(&o);
    let b = dir.join("b.txt");
    assert!(err.contains(&format!("{}: binary file", path(&b))), "{err}");
    assert!(err.contains("demarche: 2 documents, 2 claims, 1 failed"), "{err}");

    let all_good = demarche(&["extract", "--format", "csv", path(&dir.join("a.txt"))]);
    assert_eq!(all_good.status.code(), Some(0));
    let usage = demarche(&["extract", "--date", "yesterday", path(&dir)]);
    assert_eq!(usage.status.code(), Some(2));
    assert!(stderr(&usage).contains("--date \"yesterday\""));
}

// --- Data files ---------------------------------------------------------------

#[test]
fn data_file_errors_name_file_and_line_before_any_article_is_read() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    // (file, edit of its lines, expected line and message)
    type Edit = fn(&mut Vec<String>);
    let cases: Vec<(&str, Edit, &str)> = vec![
        (
            "parties.csv",
            |l| l[0] = l[0].replacen("kind,", "", 1),
            "parties.csv:1: header: missing column `kind`",
        ),
        (
            "cues.csv",
            |l| l[2] = l[2].replacen("demand,", "demmand,", 1),
            "cues.csv:3: unknown stance \"demmand\"",
        ),
        (
            "issues.csv",
            |l| l[2] = format!("borders,{}", l[2].split_once(',').unwrap().1),
            "issues.csv:3: unknown issue \"borders\"",
        ),
        (
            "parties.csv",
            |l| l[3] = l[3].replacen(',', ",\"", 1),
            "parties.csv:4: unbalanced quote",
        ),
        (
            "parties.csv",
            |l| {
                let row = l[2].clone();
                l.push(row)
            },
            "parties.csv:",
        ),
    ];
    for (i, (file, edit, expected)) in cases.into_iter().enumerate() {
        let dir = tmp(&format!("data{i}"));
        for entry in std::fs::read_dir(&data).unwrap() {
            let entry = entry.unwrap().path();
            if entry.extension().is_some_and(|x| x == "csv") {
                std::fs::copy(&entry, dir.join(entry.file_name().unwrap())).unwrap();
            }
        }
        let target = dir.join(file);
        let mut lines: Vec<String> = std::fs::read_to_string(&target)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
        edit(&mut lines);
        std::fs::write(&target, lines.join("\n") + "\n").unwrap();
        let o = demarche(&["extract", "--lexicon", path(&dir), "/nonexistent/article.txt"]);
        assert_eq!(o.status.code(), Some(2), "{expected}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains(&format!("{}/{expected}", path(&dir))), "{expected}: {err}");
        assert!(!err.contains("article.txt"), "an article was read: {err}");
        if i == 4 {
            let line_count = lines.len();
            assert!(
                err.contains(&format!("parties.csv:{line_count}: alias")) && err.contains("repeats line 3"),
                "{err}"
            );
        }
    }
}

// --- Output safety -------------------------------------------------------------

/// A named pipe (like /dev/null or /dev/stdout) is written in place: it is
/// not replaced by a regular file, and what reads it gets the output.
#[cfg(unix)]
#[test]
fn a_device_or_pipe_is_written_in_place() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tmp("fifo");
    let fifo = dir.join("out.csv");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let article = dir.join("article.txt");
    std::fs::write(&article, format!("T\n\n{CLAIM}\n")).unwrap();
    let o = demarche(&["extract", "--format", "csv", "-o", path(&fifo), path(&article)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let read = reader.join().unwrap();
    assert!(read.starts_with("article,party,"), "{read}");
    assert!(read.lines().count() > 1, "{read}");
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
}

#[test]
fn output_files_are_written_whole_or_not_at_all() {
    let dir = tmp("output");
    let article = dir.join("article.txt");
    std::fs::write(&article, format!("T\n\n{}\n", [CLAIM; 2000].join(" "))).unwrap();
    let out = dir.join("claims.csv");
    std::fs::write(&out, "old\n").unwrap();

    // Unwritable destinations fail before the work (no input is read).
    for bad in [dir.join("missing/claims.csv"), dir.to_path_buf()] {
        let o = demarche(&["extract", "-o", path(&bad), "/nonexistent/article.txt"]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("cannot write output"), "{}", stderr(&o));
        assert!(!stderr(&o).contains("article.txt"));
    }

    // A run killed while working leaves the old file as it was; a run that
    // completes replaces it whole.
    let mut child = Command::new(env!("CARGO_BIN_EXE_demarche"))
        .args(["extract", "--format", "csv", "-o", path(&out), path(&article)])
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(30));
    let _ = child.kill();
    child.wait().unwrap();
    let after = std::fs::read_to_string(&out).unwrap();
    let complete = demarche(&["extract", "--format", "csv", path(&article)]);
    assert!(complete.status.success());
    let whole = String::from_utf8(complete.stdout).unwrap();
    assert!(
        after == "old\n" || after == whole,
        "a partial file was left: {} bytes",
        after.len()
    );

    let o = demarche(&["extract", "--format", "csv", "-o", path(&out), path(&article)]);
    assert!(o.status.success());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), whole);
    let leftovers: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp") && !n.contains(&child.id().to_string()))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    let dir = tmp("pipe");
    let article = dir.join("article.txt");
    // Far more output than a pipe buffers.
    std::fs::write(&article, format!("T\n\n{}\n", [CLAIM; 3000].join(" "))).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_demarche"))
        .args(["extract", "--format", "csv", path(&article)])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0u8; 100];
    child.stdout.take().unwrap().read_exact(&mut head).unwrap();
    // The reader went away (as `| head` does).
    let status = child.wait().unwrap();
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert_eq!(status.code(), Some(0), "{err}");
    assert!(err.is_empty(), "{err}");
}

// --- Properties -----------------------------------------------------------------

/// Text built from the pieces news text is made of (names, cue verbs,
/// punctuation, quotes, abbreviations, line breaks, non-ASCII), so that
/// generated input reaches the extractor's rules, not just the parser.
fn newsy() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "Russia",
        "Ukraine",
        "the Kremlin",
        "Zelenskyy",
        "Putin's envoy",
        "Hamas",
        "Israel",
        "he",
        "they",
        "it",
        "demanded",
        "demands that",
        "rejected",
        "offered",
        "would be willing to",
        "if",
        "unless",
        "threatened to",
        "said",
        "according to",
        "was denounced by",
        "withdraw",
        "its bid to join NATO",
        "a ceasefire",
        "security guarantees",
        "territory",
        "sanctions",
        "prisoners",
        "and",
        "not",
        "the",
        "\"",
        "“",
        "”",
        "'",
        "(",
        ")",
        ".",
        ",",
        "?",
        "!",
        "U.S.",
        "Mr.",
        "3.5",
        "\n",
        "\r\n",
        "\r",
        "\n\n",
        "\u{a0}",
        "é",
        "—",
        "…",
        "",
    ]);
    prop::collection::vec(pieces, 0..80).prop_map(|p| p.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn any_text_parses_into_well_formed_sentences(text in any::<String>()) {
        assert_sentences_well_formed(&text);
    }

    #[test]
    fn any_text_extracts_without_panic_and_evidence_is_its_slice(text in any::<String>()) {
        extract_checked(&text);
    }

    #[test]
    fn news_like_text_keeps_every_invariant(text in newsy()) {
        assert_sentences_well_formed(&text);
        let article = Article { id: "p".into(), text: text.clone(), date: None };
        let claims = demarche::extract(&LEXICON, &article);
        for c in &claims {
            prop_assert_eq!(&c.evidence, &text[c.start..c.end]);
        }
        // The CSV output reads back with one row per claim.
        let options = Options { format: Format::Csv, raw: false, excel: false, colour: false };
        let mut csv_bytes = Vec::new();
        output::claims_table(&claims, &LEXICON.cameo).write(&mut csv_bytes, &options).unwrap();
        let back = demarche::input::claims_from_reader("generated.csv", csv_bytes.as_slice()).unwrap();
        prop_assert_eq!(back.len(), claims.len());
    }
}
