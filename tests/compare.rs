//! `demarche compare` and `demarche timeline`: each change kind on
//! hand-written claims, and the properties of a comparison.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{CLAIMS_HEADER, Rng, TempDir, demarche, rows, run, tmp, write};
use demarche::compare::{self, Change};

type Row = BTreeMap<String, String>;

/// Side A of the change table: one (party, issue) per change kind.
const A: &str = "\
a,RUS,demand,territory,UKR,,,1,10,20,a1\n\
a,UKR,offer,alliance,,,if given guarantees,2,30,40,a2\n\
a,USA,demand,peace_deal,RUS,,,3,50,60,a3\n\
a,EUR,offer,security_guarantees,UKR,,,4,70,80,a4\n\
a,RUS,reject,ceasefire,,,,5,90,99,a5\n\
a,UKR,offer,prisoners,,,,6,100,110,a6\n\
a,RUS,demand,sanctions,USA,,,7,120,130,a7\n\
a,NONE,demand,sanctions,,,,8,140,150,a8\n";

/// Side B.
const B: &str = "\
b,RUS,demand,territory,UKR,,,1,10,20,b1\n\
b,UKR,offer,alliance,,,,2,30,40,b2\n\
b,USA,offer,peace_deal,RUS,,,3,50,60,b3\n\
b,EUR,offer,security_guarantees,UKR,,unless Russia attacks again,4,70,80,b4\n\
b,RUS,threaten,ceasefire,UKR,,,5,90,99,b5\n\
b,UKR,demand,humanitarian,,,,6,100,110,b6\n\
b,RUS,offer,sanctions,USA,,,7,120,130,b7\n\
b,RUS,demand,sanctions,USA,,,9,160,170,b9\n";

/// The change of each (party, issue) from A to B.
const CHANGES: &[(&str, &str, &str)] = &[
    ("EUR", "security_guarantees", "softened"), // condition added
    ("RUS", "territory", "unchanged"),
    ("RUS", "ceasefire", "hardened"),  // reject → threaten
    ("RUS", "sanctions", "unchanged"), // the firmest stance, demand, stays
    ("UKR", "alliance", "hardened"),   // condition dropped
    ("UKR", "prisoners", "dropped"),
    ("UKR", "humanitarian", "added"),
    ("USA", "peace_deal", "softened"), // demand → offer
];

/// Writes the two sides and returns their paths, and their directory
/// (removed when dropped).
fn sides(name: &str, a: &str, b: &str) -> (String, String, TempDir) {
    let dir = tmp(&format!("compare-{name}"));
    let pa = write(&dir, "a.csv", &format!("{CLAIMS_HEADER}{a}"));
    let pb = write(&dir, "b.csv", &format!("{CLAIMS_HEADER}{b}"));
    (pa.display().to_string(), pb.display().to_string(), dir)
}

fn changes(rows: &[Row]) -> BTreeMap<(String, String), String> {
    rows.iter()
        .map(|r| ((r["party"].clone(), r["issue"].clone()), r["change"].clone()))
        .collect()
}

#[test]
fn each_change_kind() {
    let (a, b, _dir) = sides("kinds", A, B);
    let out = rows(&run(&["compare", &a, &b]));
    let want: BTreeMap<(String, String), String> = CHANGES
        .iter()
        .map(|(p, i, c)| ((p.to_string(), i.to_string()), c.to_string()))
        .collect();
    assert_eq!(changes(&out), want);
    // Rows by party, then issue in SPEC order; NONE is left out.
    let keys: Vec<(&str, &str)> = out.iter().map(|r| (r["party"].as_str(), r["issue"].as_str())).collect();
    assert_eq!(
        keys,
        [
            ("EUR", "security_guarantees"),
            ("RUS", "territory"),
            ("RUS", "ceasefire"),
            ("RUS", "sanctions"),
            ("UKR", "alliance"),
            ("UKR", "prisoners"),
            ("UKR", "humanitarian"),
            ("USA", "peace_deal"),
        ]
    );
    let row = |p: &str, i: &str| out.iter().find(|r| r["party"] == p && r["issue"] == i).unwrap();
    let ukr = row("UKR", "alliance");
    assert_eq!((ukr["stance_a"].as_str(), ukr["stance_b"].as_str()), ("offer", "offer"));
    assert_eq!(
        (ukr["condition_a"].as_str(), ukr["condition_b"].as_str()),
        ("if given guarantees", "")
    );
    assert_eq!(
        (ukr["evidence_a"].as_str(), ukr["evidence_b"].as_str()),
        ("a:2: a2", "b:2: b2")
    );
    let dropped = row("UKR", "prisoners");
    assert_eq!((dropped["stance_b"].as_str(), dropped["evidence_b"].as_str()), ("", ""));
    // Evidence of every claim of the held stance.
    assert_eq!(row("RUS", "sanctions")["evidence_b"], "b:9: b9");
}

#[test]
fn compare_a_a_is_only_unchanged() {
    let (a, b, _dir) = sides("same", A, B);
    let sample = format!("{}/data/samples/putin_no_deal.txt", env!("CARGO_MANIFEST_DIR"));
    for side in [&a, &b, &sample] {
        let out = rows(&run(&["compare", side, side]));
        assert!(!out.is_empty());
        assert!(out.iter().all(|r| r["change"] == "unchanged"), "{side}: {out:#?}");
        assert!(out.iter().all(|r| r["evidence_a"] == r["evidence_b"]));
    }
}

#[test]
fn compare_b_a_swaps_added_dropped_and_hardened_softened() {
    let (a, b, _dir) = sides("swap", A, B);
    let ab = rows(&run(&["compare", &a, &b]));
    let ba = rows(&run(&["compare", &b, &a]));
    assert_eq!(ab.len(), ba.len());
    for (x, y) in ab.iter().zip(&ba) {
        assert_eq!((&x["party"], &x["issue"]), (&y["party"], &y["issue"]));
        let reversed = match x["change"].as_str() {
            "added" => "dropped",
            "dropped" => "added",
            "hardened" => "softened",
            "softened" => "hardened",
            other => other,
        };
        assert_eq!(y["change"], reversed, "{x:?}");
        for (col, other) in [
            ("stance_a", "stance_b"),
            ("condition_a", "condition_b"),
            ("evidence_a", "evidence_b"),
        ] {
            assert_eq!(x[col], y[other]);
        }
    }
}

/// (party, issue) keys of claims, NONE left out.
fn keys(claims: &[demarche::Claim]) -> BTreeSet<(String, String)> {
    claims
        .iter()
        .filter(|c| !c.party.is_empty() && c.party != "NONE")
        .map(|c| (c.party.clone(), c.issue.clone()))
        .collect()
}

#[test]
fn properties_on_generated_claims() {
    let mut rng = Rng::new(3);
    for case in 0..500 {
        let (n, m) = (rng.below(12), rng.below(12));
        let a = common::random_claims_csv(&mut rng, "a", n);
        let b = common::random_claims_csv(&mut rng, "b", m);
        let a = demarche::input::claims_from_reader("a", a.as_bytes()).unwrap();
        let b = demarche::input::claims_from_reader("b", b.as_bytes()).unwrap();
        let what = format!("case {case}: {a:#?} {b:#?}");
        assert!(
            compare::compare(&a, &a).iter().all(|r| r.change == Change::Unchanged),
            "{what}"
        );
        let ab = compare::compare(&a, &b);
        let ba = compare::compare(&b, &a);
        let by_key = |rows: &[compare::Row]| -> BTreeMap<(String, String), Change> {
            rows.iter()
                .map(|r| ((r.party.clone(), r.issue.clone()), r.change))
                .collect()
        };
        let (ab, ba) = (by_key(&ab), by_key(&ba));
        assert_eq!(ab.len(), ba.len(), "{what}");
        for (key, change) in &ab {
            assert_eq!(ba[key], change.reversed(), "{what}");
        }
        let of = |kind: Change| -> BTreeSet<(String, String)> {
            ab.iter().filter(|(_, c)| **c == kind).map(|(k, _)| k.clone()).collect()
        };
        let (ka, kb) = (keys(&a), keys(&b));
        assert_eq!(of(Change::Added), &kb - &ka, "{what}");
        assert_eq!(of(Change::Dropped), &ka - &kb, "{what}");
    }
}

#[test]
fn table_for_reading() {
    let (a, b, _dir) = sides("table", A, B);
    let out = run(&["compare", &a, &b, "--format", "table"]);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("party  issue                A                    B"),
        "{out}"
    );
    assert!(lines[1].starts_with("-----  -------------------  "), "{out}");
    assert!(
        lines.iter().any(|l| l.split_whitespace().collect::<Vec<_>>()
            == [
                "UKR",
                "alliance",
                "offer",
                "(conditional)",
                "offer",
                "hardened",
                "a:2",
                "b:2"
            ]),
        "{out}"
    );
    // Not a terminal: CSV by default.
    assert!(run(&["compare", &a, &b]).starts_with("party,issue,stance_a,stance_b,change,"));
}

#[test]
fn articles_and_directories_as_sides() {
    let dir = tmp("compare-articles");
    let early = dir.join("early");
    let late = dir.join("late");
    std::fs::create_dir_all(&early).unwrap();
    std::fs::create_dir_all(&late).unwrap();
    write(
        &early,
        "one.txt",
        "Headline\n\nThe Kremlin demanded that Ukraine leave Donbas.\n",
    );
    write(
        &late,
        "two.txt",
        "Headline\n\nUkraine rejected the Russian plan to annex Donbas.\n",
    );
    let out = rows(&run(&["compare", early.to_str().unwrap(), late.to_str().unwrap()]));
    let got = changes(&out);
    assert_eq!(
        got.get(&("RUS".into(), "territory".into())).map(String::as_str),
        Some("dropped"),
        "{out:#?}"
    );
    assert_eq!(
        got.get(&("UKR".into(), "territory".into())).map(String::as_str),
        Some("added"),
        "{out:#?}"
    );
    // An article against a claims CSV of the same claims: nothing moved.
    let claims = dir.join("claims.csv");
    run(&["extract", early.to_str().unwrap(), "-o", claims.to_str().unwrap()]);
    let out = rows(&run(&[
        "compare",
        early.join("one.txt").to_str().unwrap(),
        claims.to_str().unwrap(),
    ]));
    assert!(
        !out.is_empty() && out.iter().all(|r| r["change"] == "unchanged"),
        "{out:#?}"
    );
}

#[test]
fn errors_and_output_file() {
    let (a, _, _dir) = sides("errors", A, B);
    let dir = tmp("compare-errors-bad");
    let bad = write(
        &dir,
        "bad.csv",
        "article,party,stance,issue\nx,RUS,demand,alliance\nx,RUS,demand,allianse\n",
    );
    let out = demarche(&["compare", &a, bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.csv:3: unknown issue \"allianse\""));
    assert!(out.stdout.is_empty());
    // A side that cannot be read: reported, exit 1, no comparison.
    let out = demarche(&["compare", &a, "/nonexistent/b.txt"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/b.txt"));
    assert!(out.stdout.is_empty());
    // -o: the file, whole, and nothing else.
    let path = dir.join("out.csv");
    let o = demarche(&["compare", &a, &a, "-o", path.to_str().unwrap()]);
    assert!(o.status.success() && o.stdout.is_empty());
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .starts_with("party,issue,stance_a,")
    );
    let names: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["bad.csv".to_string(), "out.csv".to_string()].into());
    // Usage: two sides exactly.
    assert_eq!(demarche(&["compare", &a]).status.code(), Some(2));
}

#[test]
fn timeline_by_date_then_file_order() {
    let dir = tmp("timeline");
    let article = |dateline: &str, body: &str| format!("Headline\n\n{dateline}{body}\n");
    let paths = [
        write(
            &dir,
            "undated_b.txt",
            &article("", "Ukraine rejected the Russian plan to annex Donbas."),
        ),
        write(
            &dir,
            "dec.txt",
            &article(
                "KYIV, Dec. 3, 2025 — ",
                "Ukraine rejected the Russian plan to annex Donbas.",
            ),
        ),
        write(
            &dir,
            "undated_a.txt",
            &article("", "The Kremlin demanded that Ukraine leave Donbas."),
        ),
        write(
            &dir,
            "nov.txt",
            &article(
                "MOSCOW, Nov. 20, 2025 — ",
                "The Kremlin demanded that Ukraine leave Donbas.",
            ),
        ),
        write(
            &dir,
            "dec_too.txt",
            &article("Dec. 3, 2025 — ", "The Kremlin demanded that Ukraine leave Donbas."),
        ),
    ];
    let args: Vec<&str> = std::iter::once("timeline")
        .chain(paths.iter().map(|p| p.to_str().unwrap()))
        .collect();
    let out = run(&args);
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some("party,issue,2025-11-20,2025-12-03,undated_b,undated_a")
    );
    let rest: Vec<&str> = lines.collect();
    assert_eq!(
        rest,
        ["RUS,territory,demand,demand,,demand", "UKR,territory,,reject,reject,",],
        "{out}"
    );
    // --date puts every article on one date: one column.
    let mut args = args.clone();
    args.extend(["--date", "2025-12-01"]);
    assert_eq!(
        run(&args),
        "party,issue,2025-12-01\nRUS,territory,demand\nUKR,territory,reject\n"
    );
}

#[test]
fn timeline_marks_moves_and_reads_claims_csv() {
    let dir = tmp("timeline-csv");
    let path = write(
        &dir,
        "claims.csv",
        &format!(
            "{CLAIMS_HEADER}first,UKR,support,alliance,NATO,,,1,10,20,s\n\
             second,UKR,offer,alliance,,,if given guarantees,1,10,20,s\n\
             third,UKR,offer,alliance,,,,1,10,20,s\n\
             third,RUS,demand,alliance,UKR,,,2,30,40,s\n"
        ),
    );
    assert_eq!(
        run(&["timeline", path.to_str().unwrap()]),
        "party,issue,first,second,third\n\
         RUS,alliance,,,demand\n\
         UKR,alliance,support,offer (conditional) [softened],offer [hardened]\n"
    );
}
