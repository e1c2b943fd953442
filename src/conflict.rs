//! The conflict matrix: for each issue and each pair of parties with
//! positions on it, whether the positions clash, bridge, agree or are
//! mixed, with a score and the evidence that decided it.
//!
//! The rules (also in the README):
//! 1. Claims become positions ([`align::positions`]); the issue `other` is
//!    left out (its claims are about unrelated things).
//! 2. Each pair of positions, one of each party, relates by their stances
//!    ([`relate`], the table in the README); "aimed" means one position's
//!    target is the other party. Some pairs relate by no rule (an offer
//!    beside an unaimed threat).
//! 3. Among the pairs that relate and align at all (alignment above 0,
//!    [`align::alignment`]), the best aligned decide, with every pair within
//!    [`MARGIN`] of the best: if they all say the same relation that is the
//!    relation, else `mixed`. When no pair decides, the relation is `mixed`
//!    with score 0.
//! 4. The score is the mean of the deciding pairs' weights (clash −1,
//!    bridge +0.5, agree +1) times the best alignment, rounded to two
//!    decimals: in [−1, 1], negative for conflict.
//! 5. The condition column holds the conditions of the deciding positions;
//!    the evidence columns all the evidence of the first deciding pair's
//!    two positions (of the best aligned pair when none decides).
//!
//! Everything is symmetric in the pair: rows are written once, with
//! `party_a < party_b`.

use std::collections::{BTreeMap, BTreeSet};

use crate::align::{self, Normalizer, Position};
use crate::extract::Claim;
use crate::lexicon::{ISSUES, Stance};
use crate::output::{Kind, Table};

/// A position with its index among all positions of the input (ties are
/// broken by index, the same way whichever party comes first).
pub type Indexed<'p, 'a> = (usize, &'p Position<'a>);

/// Pairs whose alignment is within this of the best pair's decide too.
pub const MARGIN: f64 = 0.1;

/// How two parties' positions on an issue relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Relation {
    /// One side demands, offers, accepts, supports or threatens what the
    /// other rejects; or each presses the other (demands or threats aimed
    /// at each other, rejections of each other).
    Clash,
    /// A demand met by an offer (possibly conditional), or two offers.
    Bridge,
    /// Both hold the same line: both accept or support it, one accepts or
    /// supports what the other demands or offers, or both demand or reject
    /// it without aiming at each other.
    Agree,
    /// The deciding pairs disagree, or no rule decides.
    Mixed,
}

impl Relation {
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Clash => "clash",
            Relation::Bridge => "bridge",
            Relation::Agree => "agree",
            Relation::Mixed => "mixed",
        }
    }

    /// The weight in the score.
    pub fn weight(self) -> f64 {
        match self {
            Relation::Clash => -1.0,
            Relation::Bridge => 0.5,
            Relation::Agree => 1.0,
            Relation::Mixed => 0.0,
        }
    }
}

/// How one position of each party relates, by their stances (the table in
/// the README); `None` when no rule decides. Symmetric.
pub fn relate(p: &Position, q: &Position) -> Option<Relation> {
    use Relation::*;
    use Stance::*;
    let aimed = p.target == q.party || q.target == p.party;
    let shared = !p.target.is_empty() && p.target == q.target;
    let (x, y) = if p.stance <= q.stance {
        (p.stance, q.stance)
    } else {
        (q.stance, p.stance)
    };
    // `x <= y` in the order demand, offer, accept, reject, threaten, support.
    match (x, y) {
        (Demand, Demand) | (Reject, Reject) => Some(if aimed { Clash } else { Agree }),
        (Demand, Offer) | (Offer, Offer) => Some(Bridge),
        (Demand, Accept) | (Offer, Accept) | (Accept, Accept) => Some(Agree),
        (Demand | Offer | Accept, Reject) | (Reject, Threaten | Support) => Some(Clash),
        (Demand | Threaten, Threaten) if aimed => Some(Clash),
        (Demand | Threaten, Threaten) if shared => Some(Agree),
        (Offer | Accept, Threaten) | (Threaten, Support) if aimed => Some(Clash),
        (Demand, Support) if aimed => None,
        (Demand | Offer | Accept | Support, Support) => Some(Agree),
        _ => None,
    }
}

/// One cell of the conflict matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub issue: String,
    pub party_a: String,
    pub party_b: String,
    pub relation: Relation,
    pub score: f64,
    pub a_stances: BTreeSet<Stance>,
    pub b_stances: BTreeSet<Stance>,
    /// The deciding positions' conditions, ` | `-joined.
    pub condition: String,
    /// Evidence of the first deciding pair ([`align::evidence`]).
    pub evidence_a: String,
    pub evidence_b: String,
}

/// The conflict matrix of `claims`: issues in SPEC order, then pairs of
/// parties in alphabetical order.
pub fn conflicts(norm: &Normalizer, claims: &[Claim]) -> Vec<Conflict> {
    let positions = align::positions(norm, claims);
    // issue → party → positions with their index (for symmetric ties).
    let mut by_issue: BTreeMap<&str, BTreeMap<&str, Vec<Indexed>>> = BTreeMap::new();
    for (i, p) in positions.iter().enumerate().filter(|(_, p)| p.issue != "other") {
        by_issue
            .entry(p.issue.as_str())
            .or_default()
            .entry(p.party.as_str())
            .or_default()
            .push((i, p));
    }
    let mut issues: Vec<&str> = by_issue.keys().copied().collect();
    issues.sort_by_key(|i| (ISSUES.iter().position(|x| x == i).unwrap_or(ISSUES.len()), *i));
    let mut out = Vec::new();
    for issue in issues {
        let parties = &by_issue[issue];
        let names: Vec<&str> = parties.keys().copied().collect();
        for (i, a) in names.iter().enumerate() {
            for b in &names[i + 1..] {
                out.push(decide(issue, a, b, &parties[a], &parties[b]));
            }
        }
    }
    out
}

/// The relation of party `a`'s positions to party `b`'s on one issue.
pub fn decide(issue: &str, a: &str, b: &str, pa: &[Indexed], pb: &[Indexed]) -> Conflict {
    struct Pair<'p, 'a> {
        p: Indexed<'p, 'a>,
        q: Indexed<'p, 'a>,
        relation: Option<Relation>,
        alignment: f64,
    }
    let mut pairs: Vec<Pair> = Vec::new();
    for &p in pa {
        for &q in pb {
            pairs.push(Pair {
                p,
                q,
                relation: relate(p.1, q.1),
                alignment: align::alignment(p.1, q.1),
            });
        }
    }
    let tie = |x: &Pair| (x.p.0.min(x.q.0), x.p.0.max(x.q.0));
    pairs.sort_by(|x, y| y.alignment.total_cmp(&x.alignment).then(tie(x).cmp(&tie(y))));
    let related: Vec<&Pair> = pairs
        .iter()
        .filter(|x| x.relation.is_some() && x.alignment > 0.0)
        .collect();
    let (relation, score, deciding) = match related.first() {
        None => (Relation::Mixed, 0.0, pairs.iter().take(1).collect::<Vec<_>>()),
        Some(best) => {
            let deciding: Vec<&Pair> = related
                .iter()
                .copied()
                .filter(|x| x.alignment >= best.alignment - MARGIN)
                .collect();
            let relations: BTreeSet<Relation> = deciding.iter().filter_map(|x| x.relation).collect();
            let relation = match relations.len() {
                1 => *relations.first().expect("one relation"),
                _ => Relation::Mixed,
            };
            let weights: f64 = deciding.iter().filter_map(|x| x.relation).map(Relation::weight).sum();
            let score = weights / deciding.len() as f64 * best.alignment;
            (relation, score, deciding)
        }
    };
    let mut conditional: Vec<(usize, &str)> = deciding
        .iter()
        .flat_map(|x| [x.p, x.q])
        .filter_map(|(i, p)| p.condition().map(|c| (i, c)))
        .collect();
    conditional.sort();
    let mut conditions: Vec<&str> = Vec::new();
    for (_, c) in conditional {
        if !conditions.contains(&c) {
            conditions.push(c);
        }
    }
    let (evidence_a, evidence_b) = deciding
        .first()
        .map(|x| (x.p.1.evidence(), x.q.1.evidence()))
        .unwrap_or_default();
    Conflict {
        issue: issue.to_string(),
        party_a: a.to_string(),
        party_b: b.to_string(),
        relation,
        score: round(score),
        a_stances: align::stances(pa.iter().map(|(_, p)| *p)),
        b_stances: align::stances(pb.iter().map(|(_, p)| *p)),
        condition: conditions.join(" | "),
        evidence_a,
        evidence_b,
    }
}

/// Two decimals, without a negative zero.
fn round(x: f64) -> f64 {
    let r = (x * 100.0).round() / 100.0;
    if r == 0.0 { 0.0 } else { r }
}

fn join(stances: &BTreeSet<Stance>) -> String {
    stances.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("; ")
}

/// The long form: one row per (issue, party pair).
pub fn long_table(conflicts: &[Conflict]) -> Table {
    let mut t = Table::new(&[
        "issue",
        "party_a",
        "party_b",
        "relation",
        "score",
        "a_stances",
        "b_stances",
        "condition",
        "evidence_a",
        "evidence_b",
    ])
    .with_kind(Kind::Label, &["relation"])
    .with_kind(Kind::Real, &["score"])
    .with_kind(Kind::List, &["a_stances", "b_stances"]);
    for c in conflicts {
        t.rows.push(vec![
            c.issue.clone(),
            c.party_a.clone(),
            c.party_b.clone(),
            c.relation.as_str().to_string(),
            format!("{:.2}", c.score),
            join(&c.a_stances),
            join(&c.b_stances),
            c.condition.clone(),
            c.evidence_a.clone(),
            c.evidence_b.clone(),
        ]);
    }
    t
}

/// The wide form: for each issue a party × party grid (one row per party
/// with positions on the issue, one column per party in any pair), each
/// cell `relation score`; the grid is symmetric and its diagonal empty.
pub fn wide_table(conflicts: &[Conflict]) -> Table {
    let parties: BTreeSet<&str> = conflicts
        .iter()
        .flat_map(|c| [c.party_a.as_str(), c.party_b.as_str()])
        .collect();
    let mut header = vec!["issue", "party"];
    header.extend(parties.iter().copied());
    let mut t = Table::new(&header).with_kind_from(Kind::Label, 2);
    let mut issues: Vec<&str> = Vec::new();
    let mut cells: BTreeMap<(&str, &str, &str), String> = BTreeMap::new();
    for c in conflicts {
        if !issues.contains(&c.issue.as_str()) {
            issues.push(&c.issue);
        }
        let cell = format!("{} {:.2}", c.relation.as_str(), c.score);
        cells.insert((&c.issue, &c.party_a, &c.party_b), cell.clone());
        cells.insert((&c.issue, &c.party_b, &c.party_a), cell);
    }
    for issue in issues {
        let rows: BTreeSet<&str> = cells
            .keys()
            .filter(|(i, _, _)| *i == issue)
            .map(|(_, a, _)| *a)
            .collect();
        for a in rows {
            let mut row = vec![issue.to_string(), a.to_string()];
            row.extend(
                parties
                    .iter()
                    .map(|b| cells.get(&(issue, a, *b)).cloned().unwrap_or_default()),
            );
            t.rows.push(row);
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Mode;

    fn claim(party: &str, stance: Stance, target: &str, object: &str, condition: &str) -> Claim {
        Claim {
            article: "a".into(),
            party: party.into(),
            speaker: String::new(),
            stance,
            issue: "alliance".into(),
            target: target.into(),
            object: object.into(),
            condition: condition.into(),
            mode: Mode::Reported,
            sentence: 0,
            start: 0,
            end: 0,
            evidence: format!("{party} {stance}"),
            cue: String::new(),
        }
    }

    fn position<'a>(c: &'a Claim) -> Position<'a> {
        align::positions(&Normalizer::default(), std::slice::from_ref(c))
            .pop()
            .expect("one position")
    }

    use Relation::*;
    use Stance::*;

    /// (stance of A, target of A, stance of B, target of B, relation)
    /// with A = RUS and B = UKR.
    const RELATE: &[(Stance, &str, Stance, &str, Option<Relation>)] = &[
        (Demand, "UKR", Reject, "", Some(Clash)),
        (Threaten, "", Reject, "", Some(Clash)),
        (Offer, "", Reject, "", Some(Clash)),
        (Accept, "", Reject, "", Some(Clash)),
        (Support, "", Reject, "", Some(Clash)),
        (Demand, "UKR", Demand, "RUS", Some(Clash)),
        (Demand, "USA", Demand, "USA", Some(Agree)),
        (Demand, "", Demand, "", Some(Agree)),
        (Demand, "UKR", Offer, "", Some(Bridge)),
        (Offer, "", Offer, "", Some(Bridge)),
        (Demand, "UKR", Accept, "", Some(Agree)),
        (Offer, "", Accept, "", Some(Agree)),
        (Accept, "", Accept, "", Some(Agree)),
        (Support, "", Support, "", Some(Agree)),
        (Support, "", Accept, "", Some(Agree)),
        (Reject, "USA", Reject, "USA", Some(Agree)),
        (Reject, "UKR", Reject, "", Some(Clash)),
        (Threaten, "UKR", Demand, "", Some(Clash)),
        (Threaten, "NATO", Demand, "NATO", Some(Agree)),
        (Threaten, "NATO", Demand, "USA", None),
        (Threaten, "UKR", Threaten, "RUS", Some(Clash)),
        (Threaten, "UKR", Offer, "", Some(Clash)),
        (Threaten, "", Offer, "", None),
        (Threaten, "UKR", Support, "", Some(Clash)),
        (Threaten, "", Support, "", None),
        (Demand, "UKR", Support, "", None),
        (Demand, "USA", Support, "", Some(Agree)),
    ];

    #[test]
    fn relation_table_both_ways() {
        for &(sa, ta, sb, tb, want) in RELATE {
            let (ca, cb) = (claim("RUS", sa, ta, "", ""), claim("UKR", sb, tb, "", ""));
            let (pa, pb) = (position(&ca), position(&cb));
            assert_eq!(relate(&pa, &pb), want, "{sa} {ta} / {sb} {tb}");
            assert_eq!(relate(&pb, &pa), want, "{sb} {tb} / {sa} {ta}");
        }
    }

    fn run(claims: &[Claim]) -> Vec<Conflict> {
        let norm = Normalizer::from_aliases([("Ukraine", "UKR"), ("Russia", "RUS")]);
        conflicts(&norm, claims)
    }

    #[test]
    fn worked_example_is_a_conditional_bridge() {
        let claims = [
            claim("RUS", Demand, "UKR", "Ukraine drop its bid to join NATO", ""),
            claim(
                "UKR",
                Offer,
                "NATO",
                "give up Ukraine's NATO bid",
                "if given guarantees",
            ),
            claim("UKR", Support, "NATO", "NATO membership", ""),
        ];
        let c = run(&claims);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].relation, Bridge);
        assert_eq!(c[0].condition, "if given guarantees");
        assert_eq!(
            (c[0].evidence_a.as_str(), c[0].evidence_b.as_str()),
            ("a: RUS demand", "a: UKR offer")
        );
        assert!(c[0].score > 0.0 && c[0].score <= 0.5, "{}", c[0].score);
    }

    #[test]
    fn best_aligned_pair_decides_and_ties_mix() {
        let claims = [
            claim("RUS", Demand, "UKR", "Ukraine withdraw its bid to join NATO", ""),
            claim("UKR", Reject, "", "withdraw Ukraine's bid to join NATO", ""),
            claim("UKR", Offer, "", "stay neutral forever and ever", ""),
        ];
        let c = run(&claims);
        assert_eq!(c[0].relation, Clash);
        assert!(c[0].score < -0.8, "{}", c[0].score);
        // Without objects both pairs align equally: clash and bridge mix.
        let bare: Vec<Claim> = claims
            .iter()
            .cloned()
            .map(|mut c| {
                c.object.clear();
                c
            })
            .collect();
        let c = run(&bare);
        assert_eq!(c[0].relation, Mixed);
        assert_eq!(c[0].score, -0.25);
    }

    #[test]
    fn symmetric_in_the_pair() {
        let claims = [
            claim("RUS", Demand, "UKR", "", ""),
            claim("UKR", Offer, "", "", "if a"),
            claim("UKR", Reject, "RUS", "", "if b"),
            claim("RUS", Threaten, "UKR", "", "if c"),
        ];
        let norm = Normalizer::default();
        let ps = align::positions(&norm, &claims);
        let rus: Vec<Indexed> = vec![(0, &ps[0]), (3, &ps[3])];
        let ukr: Vec<Indexed> = vec![(1, &ps[1]), (2, &ps[2])];
        let ab = decide("alliance", "RUS", "UKR", &rus, &ukr);
        let ba = decide("alliance", "UKR", "RUS", &ukr, &rus);
        assert_eq!(
            (ab.relation, ab.score, &ab.condition),
            (ba.relation, ba.score, &ba.condition)
        );
        assert_eq!((&ab.evidence_a, &ab.evidence_b), (&ba.evidence_b, &ba.evidence_a));
        assert_eq!(ab.a_stances, ba.b_stances);
    }

    #[test]
    fn no_rule_is_mixed_at_zero_and_other_is_left_out() {
        let mut claims = vec![
            claim("RUS", Threaten, "", "", ""),
            claim("UKR", Offer, "", "", ""),
            claim("RUS", Demand, "", "", ""),
            claim("UKR", Demand, "", "", ""),
        ];
        claims[2].issue = "other".into();
        claims[3].issue = "other".into();
        let c = run(&claims);
        assert_eq!(c.len(), 1);
        assert_eq!((c[0].relation, c[0].score), (Mixed, 0.0));
        assert_eq!(c[0].evidence_a, "a: RUS threaten");
    }

    #[test]
    fn pairs_that_do_not_align_decide_nothing() {
        // Different targets, neither aimed at the other party: alignment 0.
        let claims = [claim("RUS", Demand, "EUR", "", ""), claim("UKR", Demand, "USA", "", "")];
        let c = run(&claims);
        assert_eq!((c[0].relation, c[0].score), (Mixed, 0.0));
        assert_eq!(
            (c[0].evidence_a.as_str(), c[0].evidence_b.as_str()),
            ("a: RUS demand", "a: UKR demand")
        );
    }

    #[test]
    fn wide_grid_is_symmetric() {
        let claims = [
            claim("RUS", Demand, "UKR", "", ""),
            claim("UKR", Reject, "", "", ""),
            claim("USA", Offer, "", "", ""),
        ];
        let t = wide_table(&run(&claims));
        assert_eq!(t.header, ["issue", "party", "RUS", "UKR", "USA"]);
        let rows: Vec<Vec<&str>> = t.rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
        assert_eq!(
            rows,
            [
                ["alliance", "RUS", "", "clash -1.00", "bridge 0.25"],
                ["alliance", "UKR", "clash -1.00", "", "clash -1.00"],
                ["alliance", "USA", "bridge 0.25", "clash -1.00", ""],
            ]
        );
    }
}
