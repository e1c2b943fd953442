//! The stance matrix: for each issue and party, the stances the party holds
//! on it, over all input articles.

use std::collections::{BTreeMap, BTreeSet};

use crate::date::{Period, period};
use crate::extract::Claim;
use crate::lexicon::{ISSUES, Stance};

/// Stances per (issue, party), and claim counts per (article, issue, party,
/// stance).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Matrix {
    /// Parties with at least one claim, sorted.
    pub parties: BTreeSet<String>,
    /// (issue, party) → stances held.
    pub cells: BTreeMap<(String, String), BTreeSet<Stance>>,
    /// (article, issue, party, stance) → number of claims.
    pub counts: Counts,
}

impl Matrix {
    /// Builds the matrix of `claims`; claims of party `NONE` are left out.
    pub fn new(claims: &[Claim]) -> Matrix {
        let mut m = Matrix::default();
        m.add(claims);
        m
    }

    /// Adds claims to the matrix, so that a corpus is counted as it is
    /// read, without keeping its claims.
    pub fn add(&mut self, claims: &[Claim]) {
        for c in claims.iter().filter(|c| c.held_by_party()) {
            self.parties.insert(c.party.clone());
            self.cells
                .entry((c.issue.clone(), c.party.clone()))
                .or_default()
                .insert(c.stance);
            *self
                .counts
                .entry((c.article.clone(), c.issue.clone(), c.party.clone(), c.stance))
                .or_default() += 1;
        }
    }

    /// Issues with at least one claim, in SPEC order (unknown ids last).
    pub fn issues(&self) -> Vec<String> {
        let present: BTreeSet<&String> = self.cells.keys().map(|(issue, _)| issue).collect();
        let mut out: Vec<String> = ISSUES
            .iter()
            .filter(|i| present.iter().any(|p| p == i))
            .map(|i| i.to_string())
            .collect();
        out.extend(present.into_iter().filter(|p| !ISSUES.contains(&p.as_str())).cloned());
        out
    }

    /// The cell text: stances in the fixed order of SPEC §3, "; "-joined.
    pub fn cell(&self, issue: &str, party: &str) -> String {
        self.cells
            .get(&(issue.to_string(), party.to_string()))
            .map(|set| set.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("; "))
            .unwrap_or_default()
    }
}

/// Claims grouped by the period of their article's date (`undated` for
/// an article without one), periods in order.
pub fn by_period<'a>(
    claims: &'a [Claim],
    dates: &BTreeMap<String, Option<u32>>,
    by: Period,
) -> BTreeMap<String, Vec<&'a Claim>> {
    let mut out: BTreeMap<String, Vec<&Claim>> = BTreeMap::new();
    for c in claims {
        let date = dates.get(&c.article).copied().flatten();
        out.entry(period(date, by)).or_default().push(c);
    }
    out
}

/// Claim counts per (key, issue, party, stance), the key an article id or
/// a period.
pub type Counts = BTreeMap<(String, String, String, Stance), usize>;

/// Counts one article's claims (dated `date`) into `counts` by period;
/// party `NONE` left out.
pub fn count_by_period(counts: &mut Counts, claims: &[Claim], date: Option<u32>, by: Period) {
    let period = period(date, by);
    for c in claims.iter().filter(|c| c.held_by_party()) {
        *counts
            .entry((period.clone(), c.issue.clone(), c.party.clone(), c.stance))
            .or_default() += 1;
    }
}
