//! Alignment: what a claim is about, normalised so that claims of different
//! parties (or of one party in several sentences) can be matched, and the
//! merging of one party's claims that say the same thing into positions.
//!
//! The rules:
//! 1. An object phrase is normalised: split into words, possessive `'s`
//!    dropped, articles (`a`, `an`, `the`) and possessive determiners
//!    (`its`, `his`, `her`, `their`, `our`, `my`, `your`) dropped, party
//!    aliases replaced by their codes (longest alias first, matched with the
//!    lexicon's capitalisation), then lower-cased. "withdraw its bid to join
//!    NATO" → `withdraw bid to join nato`; "withdraw Ukraine's bid to join
//!    NATO" → `withdraw ukr bid to join nato`.
//! 2. Two normalised phrases are compared with the Sørensen–Dice coefficient
//!    over character bigrams ([`strsim::sorensen_dice`]), which tolerates
//!    reordered words ("drop the NATO bid" / "the bid to join NATO").
//! 3. Claims of one party with the same issue, stance and target merge into
//!    one position when their phrases have similarity at least
//!    [`MERGE_THRESHOLD`] (or neither has an object phrase), in claim order:
//!    each claim joins the first such position, else starts one.
//! 4. Positions of different parties are compared on their phrases alone
//!    ([`alignment`]): a demand's target is usually the party that answers
//!    it, so targets would only get in the way. When either side has no
//!    object phrase (gold claims have none), targets decide instead: 1 when
//!    they are equal or one is aimed at the other's party, 0.5 when one is
//!    empty, 0 otherwise.

use std::collections::{BTreeSet, HashMap};

use crate::extract::Claim;
use crate::lexicon::{Lexicon, Stance};

/// Least similarity for two claims of one party to be one position.
pub const MERGE_THRESHOLD: f64 = 0.6;

/// Words dropped before comparing: articles and possessive determiners.
const DROPPED: [&str; 10] = ["a", "an", "the", "its", "his", "her", "their", "our", "my", "your"];

/// Normalises phrases: words, no articles or possessives, party codes for
/// party aliases.
#[derive(Debug, Clone, Default)]
pub struct Normalizer {
    /// First word of an alias (as written) → the alias's words and its
    /// lower-case party code, longest alias first.
    aliases: HashMap<String, Vec<(Vec<String>, String)>>,
}

impl Normalizer {
    /// A normaliser with the lexicon's party aliases. Where one alias names
    /// several parties over time, the current row wins.
    pub fn new(lex: &Lexicon) -> Normalizer {
        let mut rows: Vec<&crate::lexicon::Alias> = lex.aliases.iter().collect();
        rows.sort_by_key(|a| a.to.is_some());
        Normalizer::from_aliases(rows.iter().map(|a| (a.alias.as_str(), a.code.as_str())))
    }

    /// A normaliser from (alias, code) pairs; the first pair for an alias
    /// wins.
    pub fn from_aliases<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Normalizer {
        let mut aliases: HashMap<String, Vec<(Vec<String>, String)>> = HashMap::new();
        for (alias, code) in pairs {
            let words = content_words(alias);
            let Some(first) = words.first() else { continue };
            let same_first = aliases.entry(first.clone()).or_default();
            if same_first.iter().all(|(w, _)| *w != words) {
                same_first.push((words, code.to_lowercase()));
            }
        }
        for same_first in aliases.values_mut() {
            // Stable: among aliases of one length, the first pair wins.
            same_first.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        }
        Normalizer { aliases }
    }

    /// The normalised phrase: words joined by single spaces.
    pub fn normalize(&self, text: &str) -> String {
        let words = content_words(text);
        let mut out: Vec<String> = Vec::with_capacity(words.len());
        let mut i = 0;
        while i < words.len() {
            let alias = self
                .aliases
                .get(&words[i])
                .and_then(|same_first| same_first.iter().find(|(alias, _)| words[i..].starts_with(alias)));
            match alias {
                Some((alias, code)) => {
                    out.push(code.clone());
                    i += alias.len();
                }
                None => {
                    out.push(words[i].to_lowercase());
                    i += 1;
                }
            }
        }
        out.join(" ")
    }
}

/// The words of a phrase as written, without possessive `'s` and without
/// the words in [`DROPPED`].
fn content_words(text: &str) -> Vec<String> {
    let text = text.replace(['\u{2019}', '\u{2018}'], "'");
    let mut words: Vec<String> = Vec::new();
    let mut rest = text.as_str();
    while let Some(start) = rest.find(|c: char| c.is_alphanumeric()) {
        let after_apostrophe = rest[..start].ends_with('\'');
        rest = &rest[start..];
        let end = rest.find(|c: char| !c.is_alphanumeric()).unwrap_or(rest.len());
        let word = &rest[..end];
        rest = &rest[end..];
        if after_apostrophe && word.eq_ignore_ascii_case("s") && !words.is_empty() {
            continue;
        }
        if DROPPED.iter().any(|d| d.eq_ignore_ascii_case(word)) {
            continue;
        }
        words.push(word.to_string());
    }
    words
}

/// Similarity of two normalised phrases in [0, 1].
pub fn similarity(a: &str, b: &str) -> f64 {
    strsim::sorensen_dice(a, b)
}

/// One party's stance on one issue about one thing: the claims that say it,
/// in input order (never empty).
#[derive(Debug, Clone, PartialEq)]
pub struct Position<'a> {
    pub party: String,
    pub issue: String,
    pub stance: Stance,
    pub target: String,
    /// The normalised object phrase of the first claim.
    pub key: String,
    pub claims: Vec<&'a Claim>,
}

impl Position<'_> {
    /// The first non-empty condition among the claims, if any.
    pub fn condition(&self) -> Option<&str> {
        self.claims.iter().map(|c| c.condition.as_str()).find(|c| !c.is_empty())
    }

    /// The first claim.
    pub fn first(&self) -> &Claim {
        self.claims[0]
    }

    /// All the position's evidence ([`evidence_of`] its claims).
    pub fn evidence(&self) -> String {
        evidence_of(self.claims.iter().copied())
    }
}

/// Groups claims into positions (rule 3), in order of their first claim.
/// Claims without a party or of party `NONE` are left out.
pub fn positions<'a>(norm: &Normalizer, claims: &'a [Claim]) -> Vec<Position<'a>> {
    let mut out: Vec<Position<'a>> = Vec::new();
    for c in claims.iter().filter(|c| c.held_by_party()) {
        let key = norm.normalize(&c.object);
        let same = out.iter_mut().find(|p| {
            p.party == c.party
                && p.issue == c.issue
                && p.stance == c.stance
                && p.target == c.target
                && ((p.key.is_empty() && key.is_empty()) || similarity(&p.key, &key) >= MERGE_THRESHOLD)
        });
        match same {
            Some(p) => p.claims.push(c),
            None => out.push(Position {
                party: c.party.clone(),
                issue: c.issue.clone(),
                stance: c.stance,
                target: c.target.clone(),
                key,
                claims: vec![c],
            }),
        }
    }
    out
}

/// How far two positions of different parties are about the same thing, in
/// [0, 1] (rule 4). Symmetric.
pub fn alignment(p: &Position, q: &Position) -> f64 {
    if !p.key.is_empty() && !q.key.is_empty() {
        return similarity(&p.key, &q.key);
    }
    if p.target == q.target || p.target == q.party || q.target == p.party {
        1.0
    } else if p.target.is_empty() || q.target.is_empty() {
        0.5
    } else {
        0.0
    }
}

/// Where a claim's evidence is: `article:sentence` when the claim has a
/// location (a non-empty byte range), else the article.
pub fn reference(c: &Claim) -> String {
    if c.end > c.start {
        format!("{}:{}", c.article, c.sentence)
    } else {
        c.article.clone()
    }
}

/// The reference and the evidence sentence: `article:12: The Kremlin ...`.
pub fn evidence(c: &Claim) -> String {
    let reference = reference(c);
    if c.evidence.is_empty() {
        reference
    } else {
        format!("{reference}: {}", c.evidence)
    }
}

/// The evidence of several claims, each sentence once, in order:
/// `a:12: The Kremlin ... | a:14: Moscow ...`.
pub fn evidence_of<'a>(claims: impl IntoIterator<Item = &'a Claim>) -> String {
    let mut seen: Vec<String> = Vec::new();
    for c in claims {
        let e = evidence(c);
        if !seen.contains(&e) {
            seen.push(e);
        }
    }
    seen.join(" | ")
}

/// The distinct stances among positions, in [`Stance`] order.
pub fn stances<'p, 'a: 'p>(positions: impl IntoIterator<Item = &'p Position<'a>>) -> BTreeSet<Stance> {
    positions.into_iter().map(|p| p.stance).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Mode;

    fn norm() -> Normalizer {
        Normalizer::from_aliases([
            ("Ukraine", "UKR"),
            ("Kyiv", "UKR"),
            ("the Kremlin", "RUS"),
            ("Russia", "RUS"),
            ("US", "USA"),
            ("the United States", "USA"),
            ("United States", "USA"),
        ])
    }

    macro_rules! n {
        ($name:ident, $text:expr, $want:expr) => {
            #[test]
            fn $name() {
                assert_eq!(norm().normalize($text), $want);
            }
        };
    }

    n!(drops_its, "withdraw its bid to join NATO", "withdraw bid to join nato");
    n!(
        possessive_alias,
        "withdraw Ukraine's bid to join NATO",
        "withdraw ukr bid to join nato"
    );
    n!(curly_possessive, "the Kremlin\u{2019}s demands", "rus demands");
    n!(longest_alias_first, "the United States and Kyiv", "usa and ukr");
    n!(alias_case_matters, "let us talk to the US", "let us talk to usa");
    n!(punctuation, "a \"buffer zone\" -- now!", "buffer zone now");
    n!(empty, "", "");
    n!(plural_s_kept, "the parties' s-curve", "parties s curve");

    #[test]
    fn issue_example_aligns() {
        let n = norm();
        let a = n.normalize("withdraw its bid to join NATO");
        let b = n.normalize("withdraw Ukraine's bid to join NATO");
        assert!(similarity(&a, &b) >= MERGE_THRESHOLD, "{}", similarity(&a, &b));
        let c = n.normalize("lift sanctions on Russian banks");
        assert!(similarity(&a, &c) < MERGE_THRESHOLD, "{}", similarity(&a, &c));
    }

    fn claim(party: &str, stance: Stance, target: &str, object: &str, sentence: usize) -> Claim {
        Claim {
            article: "a".into(),
            party: party.into(),
            speaker: String::new(),
            stance,
            issue: "alliance".into(),
            target: target.into(),
            object: object.into(),
            condition: String::new(),
            mode: Mode::Reported,
            sentence,
            start: sentence * 10,
            end: sentence * 10 + 5,
            evidence: format!("sentence {sentence}"),
            cue: String::new(),
        }
    }

    #[test]
    fn same_thing_in_two_sentences_is_one_position() {
        let claims = vec![
            claim("RUS", Stance::Demand, "UKR", "Ukraine withdraw its bid to join NATO", 1),
            claim(
                "RUS",
                Stance::Demand,
                "UKR",
                "Ukraine lift its sanctions on Russian banks",
                2,
            ),
            claim("RUS", Stance::Demand, "UKR", "withdraw Ukraine's bid to join NATO", 3),
            // Another stance, target or party never merges.
            claim("RUS", Stance::Threaten, "UKR", "withdraw Ukraine's bid to join NATO", 4),
            claim("RUS", Stance::Demand, "USA", "withdraw Ukraine's bid to join NATO", 5),
            claim("UKR", Stance::Demand, "UKR", "withdraw Ukraine's bid to join NATO", 6),
            claim("NONE", Stance::Demand, "UKR", "withdraw Ukraine's bid to join NATO", 7),
        ];
        let ps = positions(&norm(), &claims);
        let sentences: Vec<Vec<usize>> = ps
            .iter()
            .map(|p| p.claims.iter().map(|c| c.sentence).collect())
            .collect();
        assert_eq!(sentences, vec![vec![1, 3], vec![2], vec![4], vec![5], vec![6]]);
    }

    #[test]
    fn without_objects_targets_align() {
        let claims = vec![
            claim("RUS", Stance::Demand, "UKR", "", 1),
            claim("RUS", Stance::Demand, "UKR", "", 2),
            claim("UKR", Stance::Reject, "RUS", "", 3),
            claim("USA", Stance::Offer, "", "", 4),
            claim("EU", Stance::Offer, "USA", "", 5),
        ];
        let ps = positions(&norm(), &claims);
        assert_eq!(ps.len(), 4);
        assert_eq!(ps[0].claims.len(), 2);
        let table = [(0, 1, 1.0), (0, 2, 0.5), (1, 3, 0.0), (0, 3, 0.0), (2, 3, 1.0)];
        for (i, j, want) in table {
            assert_eq!(alignment(&ps[i], &ps[j]), want, "{i} {j}");
            assert_eq!(alignment(&ps[j], &ps[i]), want, "{j} {i}");
        }
    }

    #[test]
    fn references() {
        let mut c = claim("RUS", Stance::Demand, "UKR", "", 12);
        assert_eq!(reference(&c), "a:12");
        assert_eq!(evidence(&c), "a:12: sentence 12");
        let other = claim("RUS", Stance::Demand, "UKR", "", 14);
        assert_eq!(evidence_of([&c, &other, &c]), "a:12: sentence 12 | a:14: sentence 14");
        (c.start, c.end, c.sentence, c.evidence) = (0, 0, 0, String::new());
        assert_eq!(evidence(&c), "a");
    }
}
