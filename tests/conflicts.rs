//! `demarche conflicts`: each relation on hand-written claims, the worked
//! example of the README, and symmetry in the pair.

mod common;

use std::collections::BTreeMap;

use common::{CLAIMS_HEADER, Rng, demarche, rows, run, tmp, write};
use demarche::align::Normalizer;
use demarche::conflict::{self, Conflict};

type Row = BTreeMap<String, String>;

/// Runs `conflicts` on one claims CSV holding `body` (rows after the
/// header) and returns the rows.
fn conflicts(name: &str, body: &str, extra: &[&str]) -> Vec<Row> {
    let dir = tmp(&format!("conflicts-{name}"));
    let path = write(&dir, "claims.csv", &format!("{CLAIMS_HEADER}{body}"));
    let mut args = vec!["conflicts", path.to_str().unwrap()];
    args.extend(extra);
    rows(&run(&args))
}

/// The row of one (issue, party_a, party_b).
fn row<'r>(rows: &'r [Row], issue: &str, a: &str, b: &str) -> &'r Row {
    rows.iter()
        .find(|r| r["issue"] == issue && r["party_a"] == a && r["party_b"] == b)
        .unwrap_or_else(|| panic!("no row {issue},{a},{b} in {rows:#?}"))
}

#[test]
fn worked_example_is_a_conditional_bridge_on_alliance() {
    // RUS demands UKR drop the NATO bid; UKR offers to drop it if given
    // guarantees.
    let rows = conflicts(
        "worked",
        "talks,RUS,demand,alliance,UKR,Ukraine drop its bid to join NATO,,12,1632,1796,\
         The Kremlin demands that Ukraine drop its bid to join NATO.\n\
         talks,UKR,offer,alliance,NATO,give up Ukraine's NATO bid,if given security guarantees,13,1798,1979,\
         Zelenskyy said he would be ready to give up Ukraine's NATO bid if given security guarantees.\n",
        &[],
    );
    assert_eq!(rows.len(), 1);
    let r = row(&rows, "alliance", "RUS", "UKR");
    assert_eq!(r["relation"], "bridge");
    assert_eq!((r["a_stances"].as_str(), r["b_stances"].as_str()), ("demand", "offer"));
    assert_eq!(r["condition"], "if given security guarantees");
    assert_eq!(
        r["evidence_a"],
        "talks:12: The Kremlin demands that Ukraine drop its bid to join NATO."
    );
    assert!(r["evidence_b"].starts_with("talks:13: Zelenskyy said"));
    let score: f64 = r["score"].parse().unwrap();
    assert!(score > 0.0 && score <= 0.5, "{score}");
}

#[test]
fn worked_example_on_the_bundled_sample() {
    for args in [vec!["conflicts"], vec!["conflicts", "data/samples/putin_no_deal.txt"]] {
        let out = demarche(&args);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let rows = rows(&String::from_utf8(out.stdout).unwrap());
        let r = row(&rows, "alliance", "RUS", "UKR");
        assert_eq!(r["relation"], "bridge", "{r:#?}");
        assert_eq!(
            r["condition"],
            "if the United States and European countries provide Kyiv with security guarantees \
             similar to those NATO members enjoy"
        );
        assert!(
            r["evidence_a"].starts_with("putin_no_deal:12: The Kremlin demands"),
            "{r:#?}"
        );
        assert!(
            r["evidence_b"].starts_with("putin_no_deal:13: Zelenskyy said"),
            "{r:#?}"
        );
    }
}

#[test]
fn clash_a_demand_met_by_a_rejection() {
    let rows = conflicts(
        "clash-demand",
        "a,RUS,demand,territory,UKR,Ukraine withdraw its troops from Donetsk,,1,10,20,s1\n\
         a,UKR,reject,territory,RUS,withdraw Ukraine's troops from Donetsk,,2,30,40,s2\n",
        &[],
    );
    let r = row(&rows, "territory", "RUS", "UKR");
    assert_eq!(r["relation"], "clash");
    let score: f64 = r["score"].parse().unwrap();
    assert!(score < -0.8, "{score}");
    assert_eq!(
        (r["evidence_a"].as_str(), r["evidence_b"].as_str()),
        ("a:1: s1", "a:2: s2")
    );
}

#[test]
fn clash_an_offer_met_by_a_rejection() {
    let rows = conflicts(
        "clash-offer",
        "a,HAMAS,offer,ceasefire,ISR,a truce of four and a half months,,1,10,20,s1\n\
         a,ISR,reject,ceasefire,HAMAS,the truce of four and a half months,,2,30,40,s2\n",
        &[],
    );
    assert_eq!(row(&rows, "ceasefire", "HAMAS", "ISR")["relation"], "clash");
}

#[test]
fn clash_demands_aimed_at_each_other() {
    let rows = conflicts(
        "clash-demands",
        "a,CHN,demand,territory,TWN,accept the 1992 consensus,,1,10,20,s1\n\
         a,TWN,demand,territory,CHN,respect the 1992 consensus as it stands,,2,30,40,s2\n",
        &[],
    );
    assert_eq!(row(&rows, "territory", "CHN", "TWN")["relation"], "clash");
}

#[test]
fn agree_both_accept_the_same_plan() {
    let rows = conflicts(
        "agree",
        "a,UKR,accept,peace_deal,,the revised peace plan,,1,10,20,s1\n\
         a,USA,accept,peace_deal,,the revised peace plan,,2,30,40,s2\n",
        &[],
    );
    let r = row(&rows, "peace_deal", "UKR", "USA");
    assert_eq!((r["relation"].as_str(), r["score"].as_str()), ("agree", "1.00"));
}

#[test]
fn agree_an_offer_accepted() {
    let rows = conflicts(
        "agree-offer",
        "a,USA,offer,prisoners,,an exchange of all prisoners,,1,10,20,s1\n\
         a,RUS,accept,prisoners,,the exchange of all prisoners,,2,30,40,s2\n",
        &[],
    );
    assert_eq!(row(&rows, "prisoners", "RUS", "USA")["relation"], "agree");
}

#[test]
fn mixed_when_the_best_pairs_disagree() {
    // Without object phrases both UKR positions align equally with the
    // demand: one pair is a clash, the other a bridge.
    let rows = conflicts(
        "mixed",
        "a,RUS,demand,alliance,UKR,,,1,10,20,s1\n\
         a,UKR,reject,alliance,,,,2,30,40,s2\n\
         a,UKR,offer,alliance,,,if given guarantees,3,50,60,s3\n",
        &[],
    );
    let r = row(&rows, "alliance", "RUS", "UKR");
    assert_eq!((r["relation"].as_str(), r["score"].as_str()), ("mixed", "-0.25"));
    assert_eq!(r["b_stances"], "offer; reject");
    assert_eq!(r["condition"], "if given guarantees");
}

#[test]
fn mixed_at_zero_when_no_rule_applies() {
    let rows = conflicts(
        "norule",
        "a,RUS,threaten,foreign_troops,,strike any base,,1,10,20,s1\n\
         a,EUR,offer,foreign_troops,,send a reassurance force,,2,30,40,s2\n",
        &[],
    );
    let r = row(&rows, "foreign_troops", "EUR", "RUS");
    assert_eq!((r["relation"].as_str(), r["score"].as_str()), ("mixed", "0.00"));
}

#[test]
fn one_party_said_twice_is_one_position_with_both_sentences() {
    let rows = conflicts(
        "merge",
        "a,RUS,demand,alliance,UKR,Ukraine withdraw its bid to join NATO,,1,10,20,s1\n\
         a,RUS,demand,alliance,UKR,withdraw Ukraine's bid to join NATO,,5,90,99,s5\n\
         a,UKR,reject,alliance,,withdraw the bid to join NATO,,2,30,40,s2\n",
        &[],
    );
    let r = row(&rows, "alliance", "RUS", "UKR");
    assert_eq!(r["relation"], "clash");
    assert_eq!(r["evidence_a"], "a:1: s1 | a:5: s5");
}

#[test]
fn wide_grid_per_issue_is_symmetric() {
    let out = conflicts(
        "wide",
        "a,RUS,demand,alliance,UKR,,,1,10,20,s1\n\
         a,UKR,offer,alliance,,,,2,30,40,s2\n\
         a,USA,reject,alliance,,,,3,50,60,s3\n\
         a,RUS,threaten,territory,UKR,,,4,70,80,s4\n\
         a,UKR,reject,territory,RUS,,,5,90,99,s5\n",
        &["--wide"],
    );
    let cell = |issue: &str, a: &str, b: &str| -> String {
        let r = out
            .iter()
            .find(|r| r["issue"] == issue && r["party"] == a)
            .unwrap_or_else(|| panic!("no row {issue} {a}"));
        r[b].clone()
    };
    assert_eq!(cell("alliance", "RUS", "UKR"), "bridge 0.50");
    assert_eq!(cell("territory", "UKR", "RUS"), "clash -1.00");
    for issue in ["alliance", "territory"] {
        for a in out.iter().filter(|r| r["issue"] == issue).map(|r| r["party"].clone()) {
            assert_eq!(cell(issue, &a, &a), "");
            for b in out.iter().filter(|r| r["issue"] == issue).map(|r| r["party"].clone()) {
                assert_eq!(cell(issue, &a, &b), cell(issue, &b, &a), "{issue} {a} {b}");
            }
        }
    }
    // USA takes no stance on territory: no row for it there.
    assert!(!out.iter().any(|r| r["issue"] == "territory" && r["party"] == "USA"));
}

/// Exchanges two party codes everywhere they appear.
fn swap_parties(csv_text: &str, x: &str, y: &str) -> String {
    csv_text
        .lines()
        .map(|line| {
            line.split(',')
                .map(|cell| match cell {
                    c if c == x => y,
                    c if c == y => x,
                    c => c,
                })
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn run_library(csv_text: &str) -> Vec<Conflict> {
    let claims = demarche::input::claims_from_reader("generated", csv_text.as_bytes()).unwrap();
    conflict::conflicts(&Normalizer::default(), &claims)
}

#[test]
fn symmetric_in_the_pair() {
    // Renaming RUS ↔ UKR turns every (RUS, UKR) row around: the relation,
    // score and condition stay, the a and b columns change places.
    let mut rng = Rng::new(7);
    for case in 0..300 {
        let n = 2 + rng.below(10);
        let text = common::random_claims_csv(&mut rng, "a", n);
        let swapped = swap_parties(&text, "RUS", "UKR");
        let before = run_library(&text);
        let after = run_library(&swapped);
        assert_eq!(before.len(), after.len(), "case {case}:\n{text}");
        let rename = |p: &str| match p {
            "RUS" => "UKR".to_string(),
            "UKR" => "RUS".to_string(),
            p => p.to_string(),
        };
        for c in &before {
            let (a, b) = (rename(&c.party_a), rename(&c.party_b));
            let flipped = a > b;
            let (a, b) = if flipped { (b, a) } else { (a, b) };
            let d = after
                .iter()
                .find(|d| d.issue == c.issue && d.party_a == a && d.party_b == b)
                .unwrap_or_else(|| panic!("case {case}: no {} {a} {b}", c.issue));
            let what = format!("case {case}, {} {} {}:\n{text}", c.issue, c.party_a, c.party_b);
            assert_eq!(
                (c.relation, c.score, &c.condition),
                (d.relation, d.score, &d.condition),
                "{what}"
            );
            if flipped {
                assert_eq!((&c.a_stances, &c.b_stances), (&d.b_stances, &d.a_stances), "{what}");
                assert_eq!((&c.evidence_a, &c.evidence_b), (&d.evidence_b, &d.evidence_a), "{what}");
            } else {
                assert_eq!((&c.a_stances, &c.evidence_a), (&d.a_stances, &d.evidence_a), "{what}");
            }
        }
    }
}

#[test]
fn symmetric_in_the_pair_through_the_binary() {
    let mut rng = Rng::new(11);
    let text = common::random_claims_csv(&mut rng, "a", 40);
    let dir = tmp("conflicts-symmetric");
    let one = write(&dir, "one.csv", &text);
    let two = write(&dir, "two.csv", &swap_parties(&text, "RUS", "UKR"));
    let before = rows(&run(&["conflicts", one.to_str().unwrap()]));
    let after = rows(&run(&["conflicts", two.to_str().unwrap()]));
    let pair = |rows: &[Row], issue: &str| {
        rows.iter()
            .find(|r| r["issue"] == issue && r["party_a"] == "RUS" && r["party_b"] == "UKR")
            .cloned()
    };
    let mut seen = 0;
    for issue in ["territory", "alliance", "ceasefire"] {
        let (Some(x), Some(y)) = (pair(&before, issue), pair(&after, issue)) else {
            continue;
        };
        seen += 1;
        for (col, other) in [
            ("relation", "relation"),
            ("score", "score"),
            ("condition", "condition"),
            ("a_stances", "b_stances"),
            ("evidence_a", "evidence_b"),
        ] {
            assert_eq!(x[col], y[other], "{issue} {col}");
        }
    }
    assert!(seen > 0, "the generated claims give RUS and UKR a shared issue");
}

#[test]
fn bad_claims_csv_names_file_and_line() {
    let dir = tmp("conflicts-bad");
    let path = write(
        &dir,
        "hand.csv",
        &format!("{CLAIMS_HEADER}a,RUS,demand,alliance,UKR,,,1,10,20,s1\na,UKR,ofer,alliance,,,,2,30,40,s2\n"),
    );
    for command in ["conflicts", "matrix", "timeline"] {
        let out = demarche(&[command, path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{command}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("hand.csv:3: unknown stance \"ofer\""), "{command}: {err}");
        assert!(out.stdout.is_empty(), "{command}");
    }
}

#[test]
fn matrix_reads_a_claims_csv() {
    let dir = tmp("conflicts-matrix");
    let path = write(
        &dir,
        "claims.csv",
        &format!("{CLAIMS_HEADER}a,RUS,demand,alliance,UKR,,,1,10,20,s1\na,UKR,offer,alliance,,,,2,30,40,s2\n"),
    );
    assert_eq!(
        run(&["matrix", path.to_str().unwrap()]),
        "issue,RUS,UKR\nalliance,demand,offer\n"
    );
}

#[test]
fn output_file_is_written_whole() {
    let dir = tmp("conflicts-output");
    let out = dir.join("conflicts.csv");
    let o = demarche(&["conflicts", "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(o.stdout.is_empty());
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.starts_with("issue,party_a,party_b,relation,score,a_stances,b_stances,condition,evidence_a,evidence_b\n")
    );
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["conflicts.csv"]);
}
