//! Corpus mode: directories of mixed formats, JSONL, standard input as a
//! stream, all cores in input order, counts by period.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use common::{demarche, stdout, tmp, write};

/// One JSONL record.
fn record(id: &str, date: &str, text: &str) -> String {
    serde_json::json!({"id": id, "date": date, "text": text, "source": "wire", "url": format!("https://example.org/{id}")})
        .to_string()
}

#[test]
fn directories_are_walked_for_text_markdown_html_and_jsonl() {
    let dir = tmp("walk");
    std::fs::create_dir_all(dir.join("b/c")).unwrap();
    write(
        &dir,
        "a.txt",
        "T\n\nThe Kremlin demanded that Ukraine withdraw its bid to join NATO.\n",
    );
    write(
        &dir,
        "b/note.md",
        "# Gaza\n\nHamas demanded the release of prisoners.\n",
    );
    write(
        &dir,
        "b/c/page.html",
        r#"<html><head><meta property="article:published_time" content="2024-05-01T08:00:00Z">
        <script>var s = "Russia demanded territory.";</script></head>
        <body><nav>Israel rejected menus.</nav><h1>Gaza</h1><p>Israel rejected the ceasefire proposal.</p></body></html>"#,
    );
    let jsonl = [
        record(
            "j1",
            "2025-02-18",
            "Ukraine rejected the Russian demand to cede territory.",
        ),
        String::new(),
        "{not json".to_string(),
        r#"{"text": "no id here"}"#.to_string(),
        record(
            "j2",
            "2025-02-19",
            "Azerbaijan demanded that Armenia change its constitution.",
        ),
    ]
    .join("\n");
    write(&dir, "b/c/wire.jsonl", &jsonl);
    write(&dir, "b/skip.odt", "Russia demanded territory.");

    let o = demarche(&["extract", "--format", "jsonl", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "two JSONL lines fail");
    let rows: Vec<serde_json::Value> = stdout(&o).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let mut articles: Vec<&str> = rows.iter().map(|r| r["article"].as_str().unwrap()).collect();
    articles.dedup();
    // Sorted by path: a.txt, b/c/page.html, b/c/wire.jsonl, b/note.md.
    assert_eq!(articles, ["a", "page", "j1", "j2", "note"]);
    // HTML: the page text without script and navigation.
    let page = &rows[1];
    assert_eq!(page["party"], "ISR");
    assert_eq!(page["evidence"], "Israel rejected the ceasefire proposal.");
    // A JSONL record's other fields travel with its claims.
    assert_eq!(rows[2]["document"]["source"], "wire");
    assert_eq!(rows[2]["document"]["url"], "https://example.org/j1");
    assert!(rows[0]["document"].is_null());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("wire.jsonl:3: invalid JSON"), "{err}");
    assert!(err.contains("wire.jsonl:4: no \"id\""), "{err}");
    let summary = format!("demarche: 5 documents, {} claims, 2 failed", rows.len());
    assert!(err.contains(&summary), "{err}");
    assert!(!err.contains("skip.odt"));

    // The JSON array carries them too (the whole table is written at once).
    let o = demarche(&[
        "extract",
        "--format",
        "json",
        "-q",
        dir.join("b/c/wire.jsonl").to_str().unwrap(),
    ]);
    let array: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(array[0]["document"]["url"], "https://example.org/j1");

    // The HTML page's own date dates it.
    let o = demarche(&[
        "matrix",
        "--by",
        "day",
        "-q",
        dir.join("b/c/page.html").to_str().unwrap(),
    ]);
    assert_eq!(
        stdout(&o),
        "period,issue,party,stance,claims\n2024-05-01,ceasefire,ISR,reject,1\n"
    );
}

#[test]
fn standard_input_is_a_stream_answered_document_by_document() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_demarche"))
        .args(["extract", "--format", "jsonl", "-q", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let mut output = BufReader::new(child.stdout.take().unwrap());
    for (id, text, party) in [
        ("1", "Hamas rejected the ceasefire proposal.", "HAMAS"),
        ("2", "Israel demanded the release of the hostages.", "ISR"),
    ] {
        writeln!(input, "{}", record(id, "2024-11-26", text)).unwrap();
        input.flush().unwrap();
        // The claim comes back while standard input is still open.
        let mut line = String::new();
        output.read_line(&mut line).unwrap();
        let row: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(
            (row["article"].as_str(), row["party"].as_str()),
            (Some(id), Some(party))
        );
    }
    drop(input);
    assert!(child.wait().unwrap().success());
}

#[test]
fn output_order_is_input_order_whatever_the_workers() {
    let dir = tmp("order");
    let mut lines = Vec::new();
    for i in 0..60 {
        // Articles of very different lengths finish out of order.
        let body = "The Kremlin demanded that Ukraine withdraw its bid to join NATO. ".repeat(1 + (i % 9) * 15);
        write(&dir, &format!("{i:03}.txt"), &format!("T\n\n{body}\n"));
        lines.push(record(&format!("r{i}"), "2025-01-01", &body));
    }
    write(&dir, "all.jsonl", &lines.join("\n"));
    let d = dir.to_str().unwrap();
    let one = demarche(&["extract", "--format", "csv", "-q", "--jobs", "1", d]);
    let four = demarche(&["extract", "--format", "csv", "-q", "--jobs", "4", d]);
    assert!(one.status.success() && four.status.success());
    assert_eq!(stdout(&one), stdout(&four));
    let articles: Vec<String> = stdout(&one)
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().to_string())
        .fold(Vec::new(), |mut seen, a| {
            if seen.last() != Some(&a) {
                seen.push(a);
            }
            seen
        });
    // Files by path (digits sort before "all.jsonl"), records by line.
    let mut expected: Vec<String> = (0..60).map(|i| format!("{i:03}")).collect();
    expected.extend((0..60).map(|i| format!("r{i}")));
    assert_eq!(articles, expected);
    assert_eq!(demarche(&["extract", "--jobs", "0", d]).status.code(), Some(2));
}

#[test]
fn matrix_and_conflicts_count_by_period() {
    let dir = tmp("period");
    let jsonl = [
        record("a", "2025-01-30", "Russia demanded that Ukraine cede territory."),
        record(
            "b",
            "2025-02-03",
            "Russia demanded that Ukraine cede territory. Ukraine rejected the demand.",
        ),
        record("c", "2025-02-04", "Russia demanded that Ukraine cede more territory."),
    ]
    .join("\n");
    let file = write(&dir, "week.jsonl", &jsonl);
    let f = file.to_str().unwrap();
    let o = demarche(&["matrix", "--by", "month", "-q", f]);
    assert_eq!(
        stdout(&o),
        "period,issue,party,stance,claims\n\
         2025-01,territory,RUS,demand,1\n\
         2025-02,territory,RUS,demand,2\n\
         2025-02,territory,UKR,reject,1\n"
    );
    let o = demarche(&["matrix", "--by", "week", "-q", f]);
    assert!(stdout(&o).contains("2025-W05,territory,RUS,demand,1\n2025-W06,territory,RUS,demand,2\n"));
    let o = demarche(&["conflicts", "--by", "month", "-q", "--format", "csv", f]);
    let out = stdout(&o);
    let rows: Vec<&str> = out.lines().collect();
    assert!(rows[0].starts_with("period,issue,party_a,party_b,relation"));
    // Only February has both sides: one clash on territory.
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows[1].starts_with("2025-02,territory,RUS,UKR,clash,"), "{}", rows[1]);
}
