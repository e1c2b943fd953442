//! Scoring claims against gold claims, exactly as SPEC §5 and the reference
//! scorer `eval/score.py` do: sets of distinct (article, party, issue,
//! stance) keys, micro-averaged precision, recall and F1, per stance, per
//! issue and per article, and target accuracy.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::extract::Claim;

/// (article, party, issue, stance)
pub type Key = (String, String, String, String);

/// What is compared.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Compare (article, party, stance) only: the issue becomes `*`.
    pub ignore_issue: bool,
    /// Keep only these stances on both sides.
    pub stances: Option<BTreeSet<String>>,
}

/// Keys of one side with their targets.
#[derive(Debug, Clone, Default)]
pub struct Keys {
    pub keys: BTreeSet<Key>,
    pub targets: BTreeMap<Key, BTreeSet<String>>,
}

impl Keys {
    fn add(&mut self, o: &Options, article: &str, party: &str, issue: &str, stance: &str, target: &str) {
        let party = party.trim().to_uppercase();
        let issue = if o.ignore_issue {
            "*".to_string()
        } else {
            issue.trim().to_lowercase()
        };
        let stance = stance.trim().to_lowercase();
        if party.is_empty() || party == "NONE" || issue == "other" {
            return;
        }
        if o.stances.as_ref().is_some_and(|s| !s.contains(&stance)) {
            return;
        }
        let key = (article.trim().to_string(), party, issue, stance);
        let target = target.trim().to_uppercase();
        if !target.is_empty() {
            self.targets.entry(key.clone()).or_default().insert(target);
        }
        self.keys.insert(key);
    }

    /// Keys of extracted claims.
    pub fn from_claims(claims: &[Claim], o: &Options) -> Keys {
        let mut k = Keys::default();
        for c in claims {
            k.add(o, &c.article, &c.party, &c.issue, c.stance.as_str(), &c.target);
        }
        k
    }

    /// Keys of a gold or prediction CSV (columns article, party, issue,
    /// stance, optional target; others ignored).
    pub fn from_csv(path: &Path, o: &Options) -> Result<Keys> {
        #[derive(Deserialize)]
        struct Row {
            article: String,
            party: String,
            issue: String,
            stance: String,
            #[serde(default)]
            target: String,
        }
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| Error::data(&file, 1, e.to_string()))?
            .clone();
        let mut k = Keys::default();
        for record in reader.records() {
            let record = record.map_err(|e| Error::data(&file, e.position().map_or(0, |p| p.line()), e.to_string()))?;
            let line = record.position().map_or(0, |p| p.line());
            let row: Row = record
                .deserialize(Some(&headers))
                .map_err(|e| Error::data(&file, line, e.to_string()))?;
            k.add(o, &row.article, &row.party, &row.issue, &row.stance, &row.target);
        }
        Ok(k)
    }
}

/// Precision, recall, F1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

fn prf(tp: usize, fp: usize, fn_: usize) -> Prf {
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let precision = ratio(tp, tp + fp);
    let recall = ratio(tp, tp + fn_);
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    Prf { precision, recall, f1 }
}

/// The result of comparing predictions with gold.
#[derive(Debug, Clone)]
pub struct Score {
    pub articles: BTreeSet<String>,
    pub gold: usize,
    pub predicted: usize,
    pub total: Prf,
    pub true_positives: BTreeSet<Key>,
    pub missed: BTreeSet<Key>,
    pub false_alarms: BTreeSet<Key>,
    pub by_stance: BTreeMap<String, Prf>,
    pub by_issue: BTreeMap<String, Prf>,
    pub per_article: BTreeMap<String, f64>,
    /// (correct, with a gold target)
    pub targets: (usize, usize),
}

/// Scores `pred` against `gold` over `articles` (all gold articles when
/// `None`).
pub fn score(gold: &Keys, pred: &Keys, articles: Option<&BTreeSet<String>>) -> Score {
    let articles: BTreeSet<String> = match articles {
        Some(a) => a.clone(),
        None => gold.keys.iter().map(|k| k.0.clone()).collect(),
    };
    let g: BTreeSet<&Key> = gold.keys.iter().filter(|k| articles.contains(&k.0)).collect();
    let p: BTreeSet<&Key> = pred.keys.iter().filter(|k| articles.contains(&k.0)).collect();
    let tp: BTreeSet<Key> = g.intersection(&p).map(|k| (*k).clone()).collect();
    let fp: BTreeSet<Key> = p.difference(&g).map(|k| (*k).clone()).collect();
    let fn_: BTreeSet<Key> = g.difference(&p).map(|k| (*k).clone()).collect();
    let group = |field: fn(&Key) -> &String| {
        let names: BTreeSet<&String> = g.iter().chain(p.iter()).map(|k| field(k)).collect();
        names
            .into_iter()
            .map(|n| {
                let count = |s: &BTreeSet<Key>| s.iter().filter(|k| field(k) == n).count();
                (n.clone(), prf(count(&tp), count(&fp), count(&fn_)))
            })
            .collect::<BTreeMap<String, Prf>>()
    };
    let by_stance = group(|k| &k.3);
    let by_issue = group(|k| &k.2);
    let per_article = articles
        .iter()
        .map(|a| {
            let ga: BTreeSet<&&Key> = g.iter().filter(|k| &k.0 == a).collect();
            let pa: BTreeSet<&&Key> = p.iter().filter(|k| &k.0 == a).collect();
            let f = if ga.is_empty() && pa.is_empty() {
                1.0
            } else {
                prf(
                    ga.intersection(&pa).count(),
                    pa.difference(&ga).count(),
                    ga.difference(&pa).count(),
                )
                .f1
            };
            (a.clone(), f)
        })
        .collect();
    let with_target: Vec<&Key> = tp.iter().filter(|k| gold.targets.contains_key(*k)).collect();
    let correct = with_target
        .iter()
        .filter(|k| {
            let want = &gold.targets[**k];
            pred.targets.get(**k).is_some_and(|got| !want.is_disjoint(got))
        })
        .count();
    let targets = (correct, with_target.len());
    Score {
        gold: g.len(),
        predicted: p.len(),
        total: prf(tp.len(), fp.len(), fn_.len()),
        articles,
        true_positives: tp,
        missed: fn_,
        false_alarms: fp,
        by_stance,
        by_issue,
        per_article,
        targets,
    }
}

impl Score {
    pub fn target_accuracy(&self) -> f64 {
        if self.targets.1 == 0 {
            0.0
        } else {
            self.targets.0 as f64 / self.targets.1 as f64
        }
    }

    /// Writes the report in the reference scorer's format.
    pub fn write<W: io::Write>(&self, mut w: W, per_article: bool, quiet: bool) -> io::Result<()> {
        writeln!(
            w,
            "articles {}  gold {}  predicted {}  true {}",
            self.articles.len(),
            self.gold,
            self.predicted,
            self.true_positives.len()
        )?;
        writeln!(
            w,
            "precision {:.3}  recall {:.3}  target accuracy {:.3} ({}/{})",
            self.total.precision,
            self.total.recall,
            self.target_accuracy(),
            self.targets.0,
            self.targets.1
        )?;
        for (name, groups) in [("stance", &self.by_stance), ("issue", &self.by_issue)] {
            let cells: Vec<String> = groups.iter().map(|(g, v)| format!("{g} {:.2}", v.f1)).collect();
            writeln!(w, "by {name}: {}", cells.join("  "))?;
        }
        if per_article {
            for (a, f) in &self.per_article {
                writeln!(w, "article {a}  F1 {f:.3}")?;
            }
        }
        if !quiet {
            for (label, keys) in [("missed", &self.missed), ("false alarm", &self.false_alarms)] {
                for k in keys {
                    writeln!(w, "{label}: {} {} {} {}", k.0, k.1, k.2, k.3)?;
                }
            }
        }
        writeln!(w, "F1 {:.3}", self.total.f1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(rows: &[(&str, &str, &str, &str)]) -> Keys {
        let mut k = Keys::default();
        for (a, p, i, s) in rows {
            k.add(&Options::default(), a, p, i, s, "");
        }
        k
    }

    #[test]
    fn micro_f1_over_distinct_keys() {
        let gold = keys(&[("a", "RUS", "territory", "demand"), ("a", "UKR", "alliance", "offer")]);
        let pred = keys(&[
            ("a", "RUS", "territory", "demand"),
            ("a", "rus", "territory", "demand"),
            ("a", "USA", "ceasefire", "demand"),
            ("a", "NONE", "ceasefire", "demand"),
            ("a", "USA", "other", "demand"),
        ]);
        let s = score(&gold, &pred, None);
        assert_eq!((s.gold, s.predicted, s.true_positives.len()), (2, 2, 1));
        assert!((s.total.f1 - 0.5).abs() < 1e-9);
        assert_eq!(s.missed.len(), 1);
        assert_eq!(s.false_alarms.len(), 1);
    }

    #[test]
    fn articles_without_gold_count_when_named() {
        let gold = keys(&[("a", "RUS", "territory", "demand")]);
        let pred = keys(&[("a", "RUS", "territory", "demand"), ("b", "USA", "sanctions", "demand")]);
        assert_eq!(score(&gold, &pred, None).total.f1, 1.0);
        let both: BTreeSet<String> = ["a".to_string(), "b".to_string()].into();
        let s = score(&gold, &pred, Some(&both));
        assert!((s.total.precision - 0.5).abs() < 1e-9);
        assert_eq!(s.per_article["b"], 0.0);
    }

    #[test]
    fn ignore_issue_and_stance_filter() {
        let o = Options {
            ignore_issue: true,
            stances: Some(["demand".to_string()].into()),
        };
        let mut k = Keys::default();
        k.add(&o, "a", "RUS", "territory", "demand", "");
        k.add(&o, "a", "RUS", "alliance", "demand", "");
        k.add(&o, "a", "RUS", "alliance", "offer", "");
        assert_eq!(k.keys.len(), 1);
        assert!(
            k.keys
                .contains(&("a".into(), "RUS".into(), "*".into(), "demand".into()))
        );
    }
}
