//! Comparing claims over time: how each party's position on each issue
//! changed from one input to another (`compare`), and across a series of
//! dated articles (`timeline`).
//!
//! The rules (also in the README):
//! 1. A position is a (party, issue) pair; claims of party `NONE` or without
//!    a party are left out. On one side, the position is held at its
//!    firmest stance, in the order [`FIRMNESS`]: accept < offer < support <
//!    demand < reject < threaten. It is conditional when every claim of that
//!    stance has a condition.
//! 2. The change from A to B is `added` (only in B), `dropped` (only in A),
//!    `hardened` (B's stance is firmer, or the same stance lost its
//!    condition), `softened` (B's stance is less firm, or the same stance
//!    gained a condition), else `unchanged`.
//!
//! So `compare A A` is all `unchanged`, and swapping A and B swaps `added`
//! with `dropped` and `hardened` with `softened`.

use std::collections::{BTreeMap, BTreeSet};

use crate::align;
use crate::date;
use crate::extract::Claim;
use crate::lexicon::{ISSUES, Stance};
use crate::output::{Kind, Table};

/// Stances from the least to the most firm.
pub const FIRMNESS: [Stance; 6] = [
    Stance::Accept,
    Stance::Offer,
    Stance::Support,
    Stance::Demand,
    Stance::Reject,
    Stance::Threaten,
];

/// A stance's rank in [`FIRMNESS`].
pub fn firmness(s: Stance) -> usize {
    FIRMNESS
        .iter()
        .position(|x| *x == s)
        .expect("FIRMNESS lists every stance")
}

/// How a position changed from A to B.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    Added,
    Dropped,
    Unchanged,
    Hardened,
    Softened,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Dropped => "dropped",
            Change::Unchanged => "unchanged",
            Change::Hardened => "hardened",
            Change::Softened => "softened",
        }
    }

    /// The change seen from B to A.
    pub fn reversed(self) -> Change {
        match self {
            Change::Added => Change::Dropped,
            Change::Dropped => Change::Added,
            Change::Hardened => Change::Softened,
            Change::Softened => Change::Hardened,
            Change::Unchanged => Change::Unchanged,
        }
    }
}

/// A party's position on an issue on one side (rule 1).
#[derive(Debug, Clone, PartialEq)]
pub struct Held<'a> {
    /// The firmest stance.
    pub stance: Stance,
    /// Every claim of that stance has a condition.
    pub conditional: bool,
    /// The first condition, when conditional.
    pub condition: String,
    /// The claims of that stance, in input order: the evidence.
    pub claims: Vec<&'a Claim>,
}

impl Held<'_> {
    /// All the evidence ([`align::evidence_of`]).
    pub fn evidence(&self) -> String {
        align::evidence_of(self.claims.iter().copied())
    }

    /// Where the evidence is: `a:12; a:14`.
    pub fn references(&self) -> String {
        let mut refs: Vec<String> = Vec::new();
        for r in self.claims.iter().map(|c| align::reference(c)) {
            if !refs.contains(&r) {
                refs.push(r);
            }
        }
        refs.join("; ")
    }

    /// The stance, marked when conditional: `offer (conditional)`.
    pub fn label(&self) -> String {
        if self.conditional {
            format!("{} (conditional)", self.stance)
        } else {
            self.stance.to_string()
        }
    }
}

/// (party, issue)
pub type Key = (String, String);

/// The positions held in `claims`, by (party, issue).
pub fn held(claims: &[Claim]) -> BTreeMap<Key, Held<'_>> {
    let mut by_key: BTreeMap<Key, Vec<&Claim>> = BTreeMap::new();
    for c in claims.iter().filter(|c| c.held_by_party()) {
        by_key.entry((c.party.clone(), c.issue.clone())).or_default().push(c);
    }
    by_key
        .into_iter()
        .map(|(key, cs)| {
            let stance = cs
                .iter()
                .map(|c| c.stance)
                .max_by_key(|s| firmness(*s))
                .expect("a key has claims");
            let claims: Vec<&Claim> = cs.into_iter().filter(|c| c.stance == stance).collect();
            let conditional = claims.iter().all(|c| !c.condition.is_empty());
            let condition = if conditional {
                claims[0].condition.clone()
            } else {
                String::new()
            };
            let held = Held {
                stance,
                conditional,
                condition,
                claims,
            };
            (key, held)
        })
        .collect()
}

/// The change from `a` to `b` (rule 2); `None` when neither holds it.
pub fn change(a: Option<&Held>, b: Option<&Held>) -> Option<Change> {
    use std::cmp::Ordering::*;
    Some(match (a, b) {
        (None, None) => return None,
        (None, Some(_)) => Change::Added,
        (Some(_), None) => Change::Dropped,
        (Some(a), Some(b)) => match firmness(b.stance).cmp(&firmness(a.stance)) {
            Greater => Change::Hardened,
            Less => Change::Softened,
            Equal => match (a.conditional, b.conditional) {
                (true, false) => Change::Hardened,
                (false, true) => Change::Softened,
                _ => Change::Unchanged,
            },
        },
    })
}

/// One position compared.
#[derive(Debug, Clone, PartialEq)]
pub struct Row<'a> {
    pub party: String,
    pub issue: String,
    pub a: Option<Held<'a>>,
    pub b: Option<Held<'a>>,
    pub change: Change,
}

/// Orders (party, issue) keys by party, then issue in SPEC order.
fn order(key: &Key) -> (String, usize, String) {
    let rank = ISSUES.iter().position(|i| *i == key.1).unwrap_or(ISSUES.len());
    (key.0.clone(), rank, key.1.clone())
}

/// Every position held in A or B with its change, by party then issue.
pub fn compare<'a>(a: &'a [Claim], b: &'a [Claim]) -> Vec<Row<'a>> {
    let mut held_a = held(a);
    let mut held_b = held(b);
    let mut keys: Vec<Key> = held_a
        .keys()
        .chain(held_b.keys())
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    keys.sort_by_key(order);
    keys.into_iter()
        .map(|key| {
            let (a, b) = (held_a.remove(&key), held_b.remove(&key));
            let change = change(a.as_ref(), b.as_ref()).expect("the key is held on a side");
            Row {
                party: key.0,
                issue: key.1,
                a,
                b,
                change,
            }
        })
        .collect()
}

/// The comparison as a table.
pub fn compare_table(rows: &[Row]) -> Table {
    let mut t = Table::new(&[
        "party",
        "issue",
        "stance_a",
        "stance_b",
        "change",
        "condition_a",
        "condition_b",
        "evidence_a",
        "evidence_b",
    ])
    .with_kind(Kind::Label, &["stance_a", "stance_b", "change"]);
    let stance = |h: &Option<Held>| h.as_ref().map(|h| h.stance.to_string()).unwrap_or_default();
    let condition = |h: &Option<Held>| h.as_ref().map(|h| h.condition.clone()).unwrap_or_default();
    let evidence = |h: &Option<Held>| h.as_ref().map(Held::evidence).unwrap_or_default();
    for r in rows {
        t.rows.push(vec![
            r.party.clone(),
            r.issue.clone(),
            stance(&r.a),
            stance(&r.b),
            r.change.as_str().to_string(),
            condition(&r.a),
            condition(&r.b),
            evidence(&r.a),
            evidence(&r.b),
        ]);
    }
    t
}

/// The comparison for reading in a terminal: stances marked when
/// conditional, evidence as references (`a:12`) rather than sentences.
pub fn compare_terminal_table(rows: &[Row]) -> Table {
    let mut t = Table::new(&["party", "issue", "A", "B", "change", "evidence A", "evidence B"])
        .with_kind(Kind::Label, &["A", "B", "change"]);
    let label = |h: &Option<Held>| h.as_ref().map(Held::label).unwrap_or_else(|| "—".to_string());
    let refs = |h: &Option<Held>| h.as_ref().map(Held::references).unwrap_or_default();
    for r in rows {
        t.rows.push(vec![
            r.party.clone(),
            r.issue.clone(),
            label(&r.a),
            label(&r.b),
            r.change.as_str().to_string(),
            refs(&r.a),
            refs(&r.b),
        ]);
    }
    t
}

/// One column of a timeline: a date (or an undated article) and the
/// articles it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// `YYYY-MM-DD`, or the article id when undated.
    pub label: String,
    pub articles: Vec<String>,
}

/// The timeline's columns for articles in input order with their dates:
/// dated articles first, one column per date in date order; then each
/// undated article in input order, labelled by its id.
pub fn columns(articles: &[(String, Option<u32>)]) -> Vec<Column> {
    let mut dated: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    let mut undated = Vec::new();
    for (id, date) in articles {
        match date {
            Some(d) => dated.entry(*d).or_default().push(id.clone()),
            None => undated.push(Column {
                label: id.clone(),
                articles: vec![id.clone()],
            }),
        }
    }
    dated
        .into_iter()
        .map(|(d, articles)| Column {
            label: date::format(d),
            articles,
        })
        .chain(undated)
        .collect()
}

/// The timeline: one row per (party, issue), one column per date (see
/// [`columns`]). A cell is the position held then ([`Held::label`]), with
/// ` [hardened]` or ` [softened]` when it moved since the last column that
/// held it; empty when the articles of that date do not state it.
pub fn timeline(articles: &[(String, Option<u32>)], claims: &[Claim]) -> Table {
    let columns = columns(articles);
    let per_column: Vec<Vec<Claim>> = columns
        .iter()
        .map(|col| {
            claims
                .iter()
                .filter(|c| col.articles.contains(&c.article))
                .cloned()
                .collect()
        })
        .collect();
    let held: Vec<BTreeMap<Key, Held>> = per_column.iter().map(|cs| held(cs)).collect();
    let mut keys: Vec<Key> = held
        .iter()
        .flat_map(|h| h.keys().cloned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    keys.sort_by_key(order);
    let mut header = vec!["party", "issue"];
    header.extend(columns.iter().map(|c| c.label.as_str()));
    let mut t = Table::new(&header).with_kind_from(Kind::Label, 2);
    for key in keys {
        let mut row = vec![key.0.clone(), key.1.clone()];
        let mut last: Option<&Held> = None;
        for h in &held {
            let Some(now) = h.get(&key) else {
                row.push(String::new());
                continue;
            };
            let moved = match change(last, Some(now)) {
                Some(c @ (Change::Hardened | Change::Softened)) if last.is_some() => format!(" [{}]", c.as_str()),
                _ => String::new(),
            };
            row.push(format!("{}{moved}", now.label()));
            last = Some(now);
        }
        t.rows.push(row);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Mode;

    fn claim(article: &str, party: &str, issue: &str, stance: Stance, condition: &str) -> Claim {
        Claim {
            article: article.into(),
            party: party.into(),
            speaker: String::new(),
            stance,
            issue: issue.into(),
            target: String::new(),
            object: String::new(),
            condition: condition.into(),
            mode: Mode::Reported,
            sentence: 0,
            start: 0,
            end: 0,
            evidence: String::new(),
            cue: String::new(),
        }
    }

    #[test]
    fn firmness_order() {
        let order: Vec<&str> = FIRMNESS.iter().map(|s| s.as_str()).collect();
        assert_eq!(order, ["accept", "offer", "support", "demand", "reject", "threaten"]);
        assert!(Stance::ALL.iter().all(|s| FIRMNESS[firmness(*s)] == *s));
    }

    use Change::*;
    use Stance::*;

    /// One side's claims: (stance, condition).
    type Side = &'static [(Stance, &'static str)];

    /// (A's claims, B's claims, change).
    const CHANGES: &[(Side, Side, Change)] = &[
        (&[], &[(Demand, "")], Added),
        (&[(Demand, "")], &[], Dropped),
        (&[(Demand, "")], &[(Demand, "")], Unchanged),
        (&[(Offer, "")], &[(Demand, "")], Hardened),
        (&[(Demand, "")], &[(Offer, "")], Softened),
        (&[(Reject, "")], &[(Threaten, "")], Hardened),
        (&[(Accept, "")], &[(Offer, "")], Hardened),
        (&[(Offer, "if x")], &[(Offer, "")], Hardened),
        (&[(Offer, "")], &[(Offer, "if x")], Softened),
        (&[(Offer, "if x")], &[(Offer, "if y")], Unchanged),
        // The firmest stance counts: a demand beside an offer.
        (&[(Offer, ""), (Demand, "")], &[(Demand, "")], Unchanged),
        // One unconditional claim makes the stance unconditional.
        (&[(Offer, "if x"), (Offer, "")], &[(Offer, "")], Unchanged),
        (&[(Threaten, "if x")], &[(Reject, "")], Softened),
    ];

    fn side(article: &str, stances: &[(Stance, &str)]) -> Vec<Claim> {
        stances
            .iter()
            .map(|(s, cond)| claim(article, "RUS", "alliance", *s, cond))
            .collect()
    }

    #[test]
    fn change_table_and_its_reverse() {
        for (a, b, want) in CHANGES {
            let (a, b) = (side("a", a), side("b", b));
            let rows = compare(&a, &b);
            assert_eq!(rows.len(), 1);
            assert_eq!(rows[0].change, *want, "{a:?} → {b:?}");
            assert_eq!(compare(&b, &a)[0].change, want.reversed(), "{b:?} → {a:?}");
            for same in [&a, &b] {
                assert!(compare(same, same).iter().all(|r| r.change == Unchanged));
            }
        }
    }

    #[test]
    fn rows_by_party_then_issue_order_without_none() {
        let a = [
            claim("a", "UKR", "territory", Reject, ""),
            claim("a", "RUS", "ceasefire", Reject, ""),
            claim("a", "RUS", "alliance", Demand, ""),
            claim("a", "NONE", "alliance", Demand, ""),
        ];
        let keys: Vec<(String, String)> = compare(&a, &[]).into_iter().map(|r| (r.party, r.issue)).collect();
        let want = [("RUS", "alliance"), ("RUS", "ceasefire"), ("UKR", "territory")];
        assert_eq!(keys, want.map(|(p, i)| (p.to_string(), i.to_string())));
    }

    #[test]
    fn timeline_columns() {
        let articles = [
            ("late".to_string(), Some(20251214)),
            ("x".to_string(), None),
            ("early".to_string(), Some(20251123)),
            ("same_day".to_string(), Some(20251214)),
            ("y".to_string(), None),
        ];
        let labels: Vec<(String, Vec<String>)> =
            columns(&articles).into_iter().map(|c| (c.label, c.articles)).collect();
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            labels,
            [
                ("2025-11-23".to_string(), s(&["early"])),
                ("2025-12-14".to_string(), s(&["late", "same_day"])),
                ("x".to_string(), s(&["x"])),
                ("y".to_string(), s(&["y"])),
            ]
        );
    }

    #[test]
    fn timeline_shows_moves() {
        let articles = [
            ("a".to_string(), Some(20250101)),
            ("b".to_string(), Some(20250201)),
            ("c".to_string(), Some(20250301)),
        ];
        let claims = [
            claim("a", "UKR", "alliance", Support, ""),
            claim("b", "UKR", "alliance", Offer, "if guarantees"),
            claim("c", "UKR", "alliance", Offer, ""),
            claim("c", "RUS", "alliance", Demand, ""),
        ];
        let t = timeline(&articles, &claims);
        assert_eq!(t.header, ["party", "issue", "2025-01-01", "2025-02-01", "2025-03-01"]);
        assert_eq!(t.rows[0], ["RUS", "alliance", "", "", "demand"]);
        assert_eq!(
            t.rows[1],
            [
                "UKR",
                "alliance",
                "support",
                "offer (conditional) [softened]",
                "offer [hardened]"
            ]
        );
    }
}
