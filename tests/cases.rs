//! Data-driven extraction cases: `tests/cases/*.toml`, each `[[case]]` a
//! sentence or short article and the claims it must yield, written as
//! "PARTY stance issue [TARGET]". Adding a case needs no Rust.

use std::collections::BTreeSet;

use demarche::{Article, Lexicon};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    text: String,
    #[serde(default)]
    date: Option<String>,
    claims: Vec<String>,
}

#[test]
fn cases() {
    let lex = Lexicon::builtin().unwrap();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let mut failures = Vec::new();
    let mut count = 0;
    for path in files.iter().filter(|p| p.extension().is_some_and(|x| x == "toml")) {
        let file: File = toml::from_str(&std::fs::read_to_string(path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for case in file.case {
            count += 1;
            let article = Article {
                id: case.name.clone(),
                // Cases are body text: give them a headline line.
                text: format!("Headline\n\n{}", case.text),
                date: case
                    .date
                    .as_deref()
                    .map(|d| demarche::date::parse_iso(d).expect("case date")),
            };
            let got: BTreeSet<String> = demarche::extract(&lex, &article)
                .into_iter()
                .filter(|c| c.issue != "other")
                .map(|c| {
                    let mut s = format!("{} {} {}", c.party, c.stance, c.issue);
                    // Targets are checked only where the case names one.
                    if case
                        .claims
                        .iter()
                        .any(|w| w.starts_with(&s) && w.split(' ').count() == 4)
                    {
                        s = format!("{s} {}", c.target);
                    }
                    s
                })
                .collect();
            let want: BTreeSet<String> = case.claims.iter().cloned().collect();
            if got != want {
                failures.push(format!(
                    "{} ({}):\n  want {:?}\n  got  {:?}",
                    case.name,
                    path.display(),
                    want,
                    got
                ));
            }
        }
    }
    assert!(count > 0, "no cases found");
    assert!(
        failures.is_empty(),
        "{} of {count} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
