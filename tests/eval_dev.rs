//! Accuracy on the shared evaluation sets, measured by running the real
//! binary and scoring its output with the library's scorer (which agrees
//! with `eval/score.py`, see `eval_agrees_with_score_py`).

mod common;

use std::path::Path;
use std::process::Command;

use demarche::eval::{self, Keys, Options};

fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_demarche"))
        .args(args)
        .output()
        .expect("the binary runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn predicted(csv: &str, dir: &Path, o: &Options) -> Keys {
    let path = dir.join("predicted.csv");
    std::fs::write(&path, csv).unwrap();
    Keys::from_csv(&path, o).unwrap()
}

fn tmp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("demarche-test-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn seed_article_f1_at_least_085() {
    let Some(shared) = common::shared_eval() else { return };
    let article = shared.join("dev/articles/seed_putin_no_deal.txt");
    let csv = run(&["extract", article.to_str().unwrap()]);
    let o = Options::default();
    let gold = Keys::from_csv(&shared.join("dev/gold.csv"), &o).unwrap();
    let pred = predicted(&csv, &tmp("seed"), &o);
    let only = ["seed_putin_no_deal".to_string()].into();
    let s = eval::score(&gold, &pred, Some(&only));
    eprintln!("seed F1 {:.3}", s.total.f1);
    assert!(
        s.total.f1 >= 0.85,
        "seed F1 {:.3} < 0.85: missed {:?}, false alarms {:?}",
        s.total.f1,
        s.missed,
        s.false_alarms
    );
    // No claim may come from the comment form or the site name.
    assert!(!csv.contains("Akismet") && !csv.contains("Leave a Reply") && !csv.contains("Newseum"));
}

#[test]
fn evidence_is_the_input_slice() {
    let Some(shared) = common::shared_eval() else { return };
    let dir = shared.join("dev/articles");
    let csv = run(&["extract", dir.to_str().unwrap()]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let mut rows = 0;
    for record in reader.deserialize::<demarche::Claim>() {
        let c = record.unwrap();
        let text = std::fs::read(dir.join(format!("{}.txt", c.article))).unwrap();
        assert_eq!(
            &text[c.start..c.end],
            c.evidence.as_bytes(),
            "{}:{}",
            c.article,
            c.start
        );
        rows += 1;
    }
    assert!(rows > 20);
}
