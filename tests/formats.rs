//! Output formats through the real binary: the same rows in every format,
//! formula injection neutralised unless `--raw`, the XLSX workbook read
//! back, the CSV round trip, terminal defaults, and LibreOffice when it is
//! installed.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{CLAIMS_HEADER, TempDir, demarche, rows, run, tmp, write};

/// An article whose sentences begin with formulas and still state claims;
/// its file name (`=1+1.txt`) makes its id a formula too, so that the
/// report cells that start with the article id (evidence in conflicts and
/// compare, timeline columns) are tested as well.
const INJECTED: &str = "Headline about talks\n\n\
=HYPERLINK(\"http://evil.example/x\",\"click\") Russia demanded that Ukraine withdraw its troops from Donbas.\n\
+cmd|' /C calc'!A0 Ukraine rejected the Russian plan to annex Donbas.\n\
@SUM(1+1) The Kremlin demanded that Ukraine drop its bid to join NATO.\n\
-2+3 Zelenskyy said Ukraine would be ready to give up its NATO bid if given security guarantees.\n";

/// The formulas the article's sentences begin with.
const FORMULAS: [&str; 4] = ["=HYPERLINK(", "+cmd|", "@SUM(", "-2+3 Zelenskyy"];

fn injected(name: &str) -> (TempDir, String) {
    let dir = tmp(name);
    let path = write(&dir, "=1+1.txt", INJECTED);
    let text = path.display().to_string();
    (dir, text)
}

/// Whether a cell would be read as a formula by a spreadsheet (a number
/// such as a negative score is read as a number).
fn formula(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && cell.parse::<f64>().is_err()
}

/// Every cell of a CSV or TSV text, header included.
fn delimited_cells(text: &str, delimiter: u8) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .from_reader(text.as_bytes());
    reader
        .records()
        .flat_map(|r| r.unwrap().iter().map(String::from).collect::<Vec<_>>())
        .collect()
}

/// Every string of a JSON value, object keys included.
fn json_strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| json_strings(x, out)),
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                out.push(k.clone());
                json_strings(x, out);
            }
        }
        _ => {}
    }
}

/// The cells of an output in a format, as a spreadsheet would split them.
fn cells(format: &str, text: &str) -> Vec<String> {
    match format {
        "csv" => delimited_cells(text, b','),
        "tsv" => delimited_cells(text, b'\t'),
        "json" => {
            let mut out = Vec::new();
            json_strings(&serde_json::from_str(text).unwrap(), &mut out);
            out
        }
        "jsonl" => {
            let mut out = Vec::new();
            for line in text.lines() {
                json_strings(&serde_json::from_str(line).unwrap(), &mut out);
            }
            out
        }
        // Header and rows, not the rule; `\|` and `\\` unescaped.
        "md" => text
            .lines()
            .enumerate()
            .filter(|(i, _)| *i != 1)
            .flat_map(|(_, l)| {
                l.trim_matches('|')
                    .split(" | ")
                    .map(|c| c.trim().replace("\\|", "|").replace("\\\\", "\\"))
                    .collect::<Vec<_>>()
            })
            .collect(),
        // Cells are separated by at least two spaces.
        "table" => text
            .lines()
            .flat_map(|l| l.split("  ").map(|c| c.trim().to_string()).collect::<Vec<_>>())
            .filter(|c| !c.is_empty() && !c.chars().all(|x| x == '-'))
            .collect(),
        _ => unreachable!("{format}"),
    }
}

const TEXT_FORMATS: [&str; 6] = ["csv", "tsv", "json", "jsonl", "md", "table"];

#[test]
fn every_format_neutralises_formulas_and_raw_does_not() {
    let (_dir, article) = injected("formats-injection");
    let copy = format!("{article}.copy.txt");
    std::fs::copy(&article, &copy).unwrap();
    // (command, formats, whether it shows the article id). Every format
    // for the claims and for one report with text, numbers and stance
    // lists (conflicts); the other reports in CSV and as a table (the
    // writers are shared: output.rs tests each on every format).
    let commands: [(Vec<&str>, &[&str], bool); 6] = [
        (vec!["extract", &article], &TEXT_FORMATS, true),
        (vec!["conflicts", &article], &TEXT_FORMATS, true),
        (vec!["matrix", "--long", &article], &["csv", "table"], true),
        (vec!["conflicts", "--wide", &article], &["csv"], false),
        (vec!["compare", &article, &copy], &["csv", "table"], true),
        (vec!["timeline", &article], &["csv"], true),
    ];
    for (command, formats, shows_id) in &commands {
        for format in formats.iter().copied() {
            let mut args = command.clone();
            args.extend(["--format", format]);
            let safe = cells(format, &run(&args));
            assert!(!safe.is_empty(), "{args:?}");
            let bad: Vec<&String> = safe.iter().filter(|c| formula(c)).collect();
            assert!(bad.is_empty(), "{args:?}: {bad:?}");
            args.push("--raw");
            let raw = cells(format, &run(&args));
            assert!(!raw.iter().any(|c| c.starts_with("'=")), "{args:?}: {raw:?}");
            if *shows_id {
                // The article id, and with it every report, is neutralised.
                assert!(safe.iter().any(|c| c.starts_with("'=1+1")), "{args:?}: {safe:?}");
                assert!(raw.iter().any(|c| c.starts_with("=1+1")), "{args:?}: {raw:?}");
            }
            // The claims carry each formula sentence as evidence (the
            // table cuts long cells, so it keeps the short formulas).
            if command[0] == "extract" && format != "table" {
                for f in FORMULAS {
                    let quoted = format!("'{f}");
                    assert!(safe.iter().any(|c| c.starts_with(&quoted)), "{format} {f}: {safe:?}");
                    assert!(raw.iter().any(|c| c.starts_with(f)), "{format} {f}: {raw:?}");
                }
            }
        }
    }
}

#[test]
fn evidence_is_the_input_slice_with_raw_and_quoted_without() {
    let (_dir, article) = injected("formats-slice");
    let input = std::fs::read_to_string(&article).unwrap();
    let safe = rows(&run(&["extract", &article]));
    let raw = rows(&run(&["extract", &article, "--raw"]));
    assert_eq!(safe.len(), raw.len());
    assert!(safe.len() >= FORMULAS.len(), "{safe:?}");
    for (s, r) in safe.iter().zip(&raw) {
        let slice = &input[r["start"].parse::<usize>().unwrap()..r["end"].parse::<usize>().unwrap()];
        assert_eq!(r["evidence"], slice);
        assert!(formula(slice), "{slice}");
        assert_eq!(s["evidence"], format!("'{slice}"));
    }
}

#[test]
fn excel_csv_has_bom_and_crlf() {
    let dir = tmp("formats-excel");
    let article = write(
        &dir,
        "turkiye.txt",
        "Headline\n\nTürkiye's envoy said Zelenskyy demanded that Russia withdraw its troops from Ukraine.\n",
    );
    for format in ["csv", "tsv"] {
        let out = demarche(&["extract", article.to_str().unwrap(), "--format", format, "--excel"]);
        assert!(out.status.success());
        let bytes = out.stdout;
        assert!(bytes.starts_with("\u{feff}article".as_bytes()), "{format}");
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains("Türkiye's envoy"), "{text}");
        assert!(text.matches("\r\n").count() >= 2, "{text:?}");
        assert_eq!(text.matches('\n').count(), text.matches("\r\n").count(), "{text:?}");
    }
    // Not for formats that have no line ends of their own.
    let out = demarche(&["extract", "--format", "json", "--excel"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Writes the workbook of a command and opens it; its directory is removed
/// when dropped.
fn workbook(name: &str, args: &[&str]) -> (TempDir, PathBuf, Xlsx<std::io::BufReader<std::fs::File>>) {
    let dir = tmp(name);
    let path = dir.join("out.xlsx");
    let mut all = args.to_vec();
    all.extend(["--format", "xlsx", "-o", path.to_str().unwrap()]);
    let out = demarche(&all);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.is_empty());
    let leftovers = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(leftovers, 1, "only the workbook is left in {}", dir.display());
    let book = open_workbook(&path).expect("an XLSX workbook");
    (dir, path, book)
}

/// A sheet as rows of text cells (numbers as Rust prints them).
fn sheet(book: &mut Xlsx<std::io::BufReader<std::fs::File>>, name: &str) -> Vec<Vec<String>> {
    let range = book.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Float(f) => f.to_string(),
                    Data::Int(i) => i.to_string(),
                    Data::Empty => String::new(),
                    other => format!("{other:?}"),
                })
                .collect()
        })
        .collect()
}

/// A sheet's rows as (column → cell), under its header.
fn records(table: &[Vec<String>]) -> Vec<BTreeMap<String, String>> {
    table[1..]
        .iter()
        .map(|r| table[0].iter().cloned().zip(r.iter().cloned()).collect())
        .collect()
}

/// A file of the workbook's zip archive.
fn part(path: &Path, name: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut text).unwrap();
    text
}

#[test]
fn extract_workbook_reads_back() {
    let (_dir, path, mut book) = workbook("formats-xlsx-extract", &["extract"]);
    assert_eq!(book.sheet_names(), ["Claims", "Matrix", "Conflicts", "Sources"]);

    // Claims: the claims CSV's header and rows.
    let claims = sheet(&mut book, "Claims");
    let csv = run(&["extract"]);
    assert_eq!(claims[0].join(","), csv.lines().next().unwrap());
    assert_eq!(claims.len(), csv.lines().count());
    let claims = records(&claims);
    let nato = claims
        .iter()
        .find(|r| r["party"] == "RUS" && r["stance"] == "demand" && r["issue"] == "alliance")
        .expect("the Kremlin's NATO demand");
    assert_eq!(nato["cameo"], "1042");
    assert!(nato["evidence"].starts_with("The Kremlin demands that Ukraine drop its bid to join NATO"));
    assert_eq!(nato["sentence"], "12");

    // Matrix: one row per issue, stances per party.
    let matrix = sheet(&mut book, "Matrix");
    assert_eq!(matrix[0], ["issue", "RUS", "UKR", "USA"]);
    assert!(matrix.contains(&vec![
        "alliance".into(),
        "demand".into(),
        "offer; support".into(),
        String::new()
    ]));

    // Conflicts: the clash between Russia and the United States on the
    // peace deal, its score a number.
    let conflicts = sheet(&mut book, "Conflicts");
    assert_eq!(
        conflicts[0].join(","),
        "issue,party_a,party_b,relation,score,a_stances,b_stances,condition,evidence_a,evidence_b"
    );
    let clash_row = conflicts
        .iter()
        .position(|r| r[0] == "peace_deal" && r[1] == "RUS" && r[2] == "USA")
        .expect("the peace-deal pair");
    assert_eq!(conflicts[clash_row][3], "clash");
    assert_eq!(conflicts[clash_row][4], "-0.08");

    // Sources: the sample's size and SHA-256.
    let sources = sheet(&mut book, "Sources");
    assert_eq!(sources[0], ["article", "path", "date", "bytes", "sha256"]);
    let sample = demarche::input::SAMPLE_TEXT;
    use sha2::Digest;
    let digest: String = sha2::Sha256::digest(sample.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        sources[1],
        [
            "putin_no_deal".to_string(),
            "data/samples/putin_no_deal.txt".into(),
            String::new(),
            sample.len().to_string(),
            digest
        ]
    );

    // The clash cell is filled red, the bridge cell not.
    let styles = book.worksheet_style("Conflicts").unwrap();
    let fill = |row: usize| {
        styles
            .get((row as u32, 3))
            .and_then(|s| s.fill.as_ref())
            .and_then(|f| f.get_color())
            .map(|c| (c.red, c.green, c.blue))
    };
    let want = demarche::output::colour("clash").unwrap().rgb;
    let (r, g, b) = fill(clash_row).expect("the clash cell is filled");
    assert_eq!((r as u32) << 16 | (g as u32) << 8 | b as u32, want);
    assert!(r > g && r > b, "clash is red: {:?}", (r, g, b));
    let bridge_row = conflicts.iter().position(|r| r[3] == "bridge").unwrap();
    assert_ne!(fill(bridge_row), fill(clash_row));

    // Evidence wraps; the header is frozen and filtered.
    let claim_styles = book.worksheet_style("Claims").unwrap();
    let evidence = CLAIM_EVIDENCE_COLUMN;
    let wraps = claim_styles
        .get((1, evidence))
        .and_then(|s| s.alignment.as_ref())
        .is_some_and(|a| a.wrap_text);
    assert!(wraps, "evidence wraps");
    let xml = part(&path, "xl/worksheets/sheet1.xml");
    assert!(
        xml.contains("state=\"frozen\"") && xml.contains("ySplit=\"1\""),
        "{xml:.600}"
    );
    assert!(
        xml.contains(&format!("<autoFilter ref=\"A1:O{}\"", claims.len() + 1)),
        "{xml:.600}"
    );
}

/// `evidence` is the 13th claims column.
const CLAIM_EVIDENCE_COLUMN: u32 = 12;

/// A claims CSV lists each of its articles once as a source, with the
/// file's size and SHA-256, however its rows are ordered and however often
/// the file is given.
#[test]
fn a_claims_file_lists_each_article_once() {
    let dir = tmp("formats-claims-sources");
    let text = format!(
        "{CLAIMS_HEADER}a1,RUS,demand,alliance,UKR,,,1,10,20,s1\n\
         a2,UKR,reject,territory,RUS,,,1,10,20,s2\n\
         a1,UKR,offer,ceasefire,,,,2,30,40,s3\n"
    );
    let claims = write(&dir, "claims.csv", &text);
    let claims = claims.to_str().unwrap();
    let (_dir, _, mut book) = workbook("formats-claims-sources-book", &["matrix", claims, claims]);
    use sha2::Digest;
    let digest: String = sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let size = text.len().to_string();
    let row = |article: &str| {
        vec![
            article.to_string(),
            claims.to_string(),
            String::new(),
            size.clone(),
            digest.clone(),
        ]
    };
    assert_eq!(sheet(&mut book, "Sources")[1..], [row("a1"), row("a2")]);
}

#[test]
fn each_command_writes_its_sheets() {
    let dir = tmp("formats-xlsx-commands");
    let sample = format!("{}/data/samples/putin_no_deal.txt", env!("CARGO_MANIFEST_DIR"));
    let copy = write(&dir, "later.txt", &std::fs::read_to_string(&sample).unwrap());
    let copy = copy.to_str().unwrap();
    let cases: [(&str, Vec<&str>, Vec<&str>); 4] = [
        ("matrix", vec!["matrix", "--long"], vec!["Matrix", "Claims", "Sources"]),
        (
            "conflicts",
            vec!["conflicts", "--wide"],
            vec!["Conflicts", "Claims", "Sources"],
        ),
        ("compare", vec!["compare", &sample, copy], vec!["Compare", "Sources"]),
        (
            "timeline",
            vec!["timeline", &sample, copy],
            vec!["Timeline", "Claims", "Sources"],
        ),
    ];
    for (name, args, sheets) in cases {
        let (_dir, _, mut book) = workbook(&format!("formats-xlsx-{name}"), &args);
        assert_eq!(book.sheet_names(), sheets, "{name}");
        let first = sheet(&mut book, sheets[0]);
        let mut csv_args = args.clone();
        csv_args.extend(["--format", "csv"]);
        let csv = run(&csv_args);
        assert_eq!(first[0].join(","), csv.lines().next().unwrap(), "{name}");
        assert_eq!(first.len(), csv.lines().count(), "{name}");
        let sources = sheet(&mut book, "Sources");
        assert_eq!(
            sources.len(),
            if name == "compare" || name == "timeline" { 3 } else { 2 }
        );
    }
    // A known cell of each: the wide conflict grid and the compare change.
    let (_dir, _, mut book) = workbook("formats-xlsx-wide", &["conflicts", "--wide"]);
    let grid = records(&sheet(&mut book, "Conflicts"));
    let rus = grid
        .iter()
        .find(|r| r["issue"] == "alliance" && r["party"] == "RUS")
        .unwrap();
    assert_eq!(rus["UKR"], "bridge 0.21");
    let (_dir, _, mut book) = workbook("formats-xlsx-compare", &["compare", &sample, copy]);
    let compare = records(&sheet(&mut book, "Compare"));
    assert!(compare.iter().all(|r| r["change"] == "unchanged"), "{compare:?}");
}

#[test]
fn workbook_neutralises_unless_raw() {
    let (_dir, article) = injected("formats-xlsx-injection");
    for (raw, prefix) in [(false, "'"), (true, "")] {
        let mut args = vec!["extract", article.as_str()];
        if raw {
            args.push("--raw");
        }
        let (_dir, _, mut book) = workbook(&format!("formats-xlsx-injection-{raw}"), &args);
        let claims = records(&sheet(&mut book, "Claims"));
        for f in FORMULAS {
            let want = format!("{prefix}{f}");
            assert!(
                claims.iter().any(|r| r["evidence"].starts_with(&want)),
                "{want}: {claims:?}"
            );
        }
        assert!(claims.iter().all(|r| r["article"] == format!("{prefix}=1+1")));
    }
}

#[test]
fn xlsx_needs_an_output_file() {
    let out = demarche(&["matrix", "--format", "xlsx"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("-o FILE.xlsx"));
}

#[test]
fn every_format_carries_the_same_rows() {
    let csv = rows(&run(&["conflicts", "--format", "csv"]));
    let json: Vec<serde_json::Value> = serde_json::from_str(&run(&["conflicts", "--format", "json"])).unwrap();
    let jsonl: Vec<serde_json::Value> = run(&["conflicts", "--format", "jsonl"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(json, jsonl);
    assert_eq!(csv.len(), json.len());
    assert!(!csv.is_empty());
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => format!("{:.2}", n.as_f64().unwrap()),
        serde_json::Value::Array(a) => a.iter().map(|x| x.as_str().unwrap()).collect::<Vec<_>>().join("; "),
        other => panic!("{other}"),
    };
    for (c, j) in csv.iter().zip(&json) {
        let j: BTreeMap<String, String> = j
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), text(v)))
            .collect();
        assert_eq!(c, &j);
    }
    assert!(json[0]["score"].is_number() && json[0]["a_stances"].is_array());
    let tsv = run(&["conflicts", "--format", "tsv"]);
    let md = run(&["conflicts", "--format", "md"]);
    assert_eq!(tsv.lines().count(), csv.len() + 1);
    assert_eq!(md.lines().count(), csv.len() + 2);
    assert!(md.starts_with("| issue | party_a | party_b | relation | score |"));
}

#[test]
fn claims_json_schema() {
    let claims: Vec<serde_json::Value> = serde_json::from_str(&run(&["extract", "--format", "json"])).unwrap();
    assert!(!claims.is_empty());
    for c in &claims {
        let keys: Vec<&str> = c.as_object().unwrap().keys().map(String::as_str).collect();
        let mut want = demarche::output::CLAIM_COLUMNS.to_vec();
        want.sort();
        let mut keys = keys;
        keys.sort();
        assert_eq!(keys, want);
        for n in ["sentence", "start", "end"] {
            assert!(c[n].is_u64(), "{n}: {c}");
        }
        let code = c["cameo"].as_str().unwrap();
        let root = demarche::cameo::spec_root(c["stance"].as_str().unwrap().parse().unwrap());
        assert!(code.starts_with(root), "{c}");
    }
    // The United States' ceasefire demand: de-escalation, 1056.
    assert!(
        claims.iter().any(|c| c["party"] == "USA"
            && c["stance"] == "demand"
            && c["issue"] == "ceasefire"
            && c["cameo"] == "1056")
    );
}

#[test]
fn claims_csv_round_trip_gives_the_same_reports() {
    let (dir, _) = injected("formats-round-trip");
    let sample = format!("{}/data/samples/putin_no_deal.txt", env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(&sample, dir.join("putin_no_deal.txt")).unwrap();
    let articles = dir.to_str().unwrap();
    let claims = dir.join("claims.csv");
    let date = ["--date", "2025-12-01"];
    let o = demarche(&[&["extract", articles, "-o", claims.to_str().unwrap()][..], &date].concat());
    assert!(o.status.success());
    // The file is neutralised; reading it back restores the cells.
    let written = std::fs::read_to_string(&claims).unwrap();
    assert!(written.contains("'=HYPERLINK"));
    let claims = claims.to_str().unwrap();
    // (command, also with --raw): conflicts shows evidence, which the
    // reader restores.
    for (command, raws) in [
        (&["matrix"][..], &[false][..]),
        (&["matrix", "--long"], &[false]),
        (&["conflicts"], &[false, true]),
        (&["conflicts", "--wide"], &[false]),
        (&["timeline"], &[false]),
    ] {
        for &raw in raws {
            let with = |input: &str| {
                let mut args = command.to_vec();
                args.push(input);
                args.extend(date);
                if raw {
                    args.push("--raw");
                }
                run(&args)
            };
            let from_articles = with(articles);
            assert_eq!(with(claims), from_articles, "{command:?}");
            assert!(from_articles.lines().count() > 2, "{command:?}");
        }
    }
    let back = run(&[&["compare", claims, articles][..], &date].concat());
    assert!(rows(&back).iter().all(|r| r["change"] == "unchanged"), "{back}");
    // The claims read back are the claims extracted: written again, they
    // are the same bytes.
    let reread = demarche::input::read_claims(Path::new(claims)).unwrap();
    let lexicon = demarche::Lexicon::builtin().unwrap();
    let mut again = Vec::new();
    demarche::output::claims_table(&reread, &lexicon.cameo)
        .write(&mut again, &demarche::output::Options::default())
        .unwrap();
    assert_eq!(String::from_utf8(again).unwrap(), written);
}

/// Runs the binary under a pseudo-terminal with `script`, if installed.
fn on_terminal(args: &str, no_color: Option<&str>) -> Option<String> {
    let found = Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("skipped: `script` (util-linux) is not installed");
        return None;
    }
    let mut cmd = Command::new("script");
    cmd.args([
        "-qec",
        &format!("{} {args}", env!("CARGO_BIN_EXE_demarche")),
        "/dev/null",
    ]);
    cmd.env_remove("NO_COLOR");
    if let Some(v) = no_color {
        cmd.env("NO_COLOR", v);
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    Some(String::from_utf8(out.stdout).unwrap().replace("\r\n", "\n"))
}

#[test]
fn terminal_gets_a_coloured_table_unless_no_color() {
    let Some(coloured) = on_terminal("matrix", None) else {
        return;
    };
    assert!(coloured.starts_with("issue  "), "{coloured}");
    assert!(coloured.lines().nth(1).unwrap().starts_with("-----"), "{coloured}");
    assert!(coloured.contains("\x1b[1;31mdemand; threaten\x1b[0m"), "{coloured:?}");
    let plain = on_terminal("matrix", Some("1")).unwrap();
    assert!(plain.starts_with("issue  ") && !plain.contains('\x1b'), "{plain:?}");
    // An empty NO_COLOR does not count.
    assert!(on_terminal("matrix", Some("")).unwrap().contains('\x1b'));
    // A format asked for is kept, and never coloured.
    let csv = on_terminal("matrix --format csv", None).unwrap();
    assert!(
        csv.starts_with("issue,RUS,UKR,USA\n") && !csv.contains('\x1b'),
        "{csv:?}"
    );
    // Not a terminal: CSV.
    assert!(run(&["matrix"]).starts_with("issue,RUS,UKR,USA\n"));
}

#[test]
fn libreoffice_opens_the_csv() {
    let found = Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("skipped: soffice (LibreOffice) is not installed");
        return;
    }
    let dir = tmp("formats-soffice");
    let csv = dir.join("claims.csv");
    let o = demarche(&["extract", "--excel", "-o", csv.to_str().unwrap()]);
    assert!(o.status.success());
    let out = Command::new("soffice")
        .args(["--headless", "--convert-to", "ods", "--outdir"])
        .arg(&*dir)
        .arg(&csv)
        .env("HOME", &*dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let ods = dir.join("claims.ods");
    assert!(ods.is_file() && std::fs::metadata(&ods).unwrap().len() > 0);
}

#[test]
fn lexicon_check_validates_the_cameo_table() {
    let dir = tmp("formats-cameo-check");
    for file in demarche::lexicon::FILES {
        std::fs::copy(format!("{}/data/{file}", env!("CARGO_MANIFEST_DIR")), dir.join(file)).unwrap();
    }
    let cameo = std::fs::read_to_string(dir.join("cameo.csv")).unwrap();
    let line = cameo
        .lines()
        .position(|l| l == "offer,,03,Express intent to cooperate")
        .unwrap()
        + 1;
    std::fs::write(dir.join("cameo.csv"), cameo.replace("offer,,03,", "offer,,04,")).unwrap();
    let out = demarche(&["lexicon", "check", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("cameo.csv:{line}: root of offer is 04, SPEC §3 says 03")),
        "{err}"
    );
    std::fs::write(
        dir.join("cameo.csv"),
        cameo.replace("demand,ceasefire,", "demand,ceasfire,"),
    )
    .unwrap();
    let out = demarche(&["extract", "--lexicon", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown issue \"ceasfire\""));
}
