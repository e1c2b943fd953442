//! The lexicon: parties and their aliases, issue cue phrases, stance
//! constructions and role nouns, loaded from the CSV files in `data/` and
//! compiled into Aho-Corasick matchers.
//!
//! The files are compiled into the binary as the default; `--lexicon DIR`
//! reads the same files from a directory instead. One loading path
//! ([`Lexicon::from_sources`]) serves both, so every error names the file
//! and line.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::str::FromStr;

use aho_corasick::MatchKind;
use aho_corasick::dfa::DFA;
use serde::Deserialize;

use crate::cameo::Cameo;
use crate::error::{Error, Result};
use crate::pattern::{self, Pattern};

/// The six stances of SPEC §3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stance {
    Demand,
    Offer,
    Accept,
    Reject,
    Threaten,
    Support,
}

impl Stance {
    pub const ALL: [Stance; 6] = [
        Stance::Demand,
        Stance::Offer,
        Stance::Accept,
        Stance::Reject,
        Stance::Threaten,
        Stance::Support,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Demand => "demand",
            Stance::Offer => "offer",
            Stance::Accept => "accept",
            Stance::Reject => "reject",
            Stance::Threaten => "threaten",
            Stance::Support => "support",
        }
    }
}

impl FromStr for Stance {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Stance, String> {
        Stance::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| format!("unknown stance {s:?}"))
    }
}

impl fmt::Display for Stance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The issue ids of SPEC §4.
pub const ISSUES: [&str; 13] = [
    "territory",
    "alliance",
    "security_guarantees",
    "foreign_troops",
    "ceasefire",
    "peace_deal",
    "sanctions",
    "prisoners",
    "military",
    "governance",
    "humanitarian",
    "accountability",
    "other",
];

/// What a construction in `cues.csv` signals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueKind {
    /// A stance held by the holder.
    Stance(Stance),
    /// Reported speech ("X said", "according to X"): names the speaker of
    /// the sentence without being a stance itself.
    Report,
}

/// How an alias names its party.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AliasKind {
    State,
    Capital,
    Body,
    Title,
    Adjective,
    People,
    Person,
    Org,
    Group,
}

impl FromStr for AliasKind {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<AliasKind, String> {
        Ok(match s {
            "state" => AliasKind::State,
            "capital" => AliasKind::Capital,
            "body" => AliasKind::Body,
            "title" => AliasKind::Title,
            "adj" => AliasKind::Adjective,
            "people" => AliasKind::People,
            "person" => AliasKind::Person,
            "org" => AliasKind::Org,
            "group" => AliasKind::Group,
            _ => return Err(format!("unknown alias kind {s:?}")),
        })
    }
}

/// One row of `parties.csv`.
#[derive(Debug, Clone)]
pub struct Alias {
    pub code: String,
    pub alias: String,
    pub kind: AliasKind,
    /// Canonical name of a person.
    pub name: String,
    /// Validity as yyyymmdd, `to` exclusive.
    pub from: Option<u32>,
    pub to: Option<u32>,
    /// Phrases that, in the same sentence, mean the alias is something else.
    pub veto: Vec<String>,
    /// Line in the data file, for messages.
    pub line: u64,
}

impl Alias {
    fn valid_on(&self, date: u32) -> bool {
        self.from.is_none_or(|f| f <= date) && self.to.is_none_or(|t| date < t)
    }
}

/// One row of `cues.csv`.
#[derive(Debug, Clone)]
pub struct Cue {
    pub kind: CueKind,
    pub source: String,
    pub pattern: Pattern,
    /// The stance when the cue is negated ("will not accept" → reject);
    /// `None` drops the claim ("did not demand").
    pub negated: Option<Stance>,
    /// What the cue needs besides its words.
    pub needs: Needs,
}

/// What a construction needs besides its words (`needs` in `cues.csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    Nothing,
    /// A condition clause: "will withdraw its troops unless ..." is a
    /// threat, "will withdraw its troops" is not.
    Condition,
    /// Its subject or possessor right before it: "Russia demands",
    /// "Moscow's other demands", not "conflicting demands" (a word that
    /// is a verb or a noun).
    Subject,
    /// Content that asks for something, not a statement of fact: "insisted
    /// that Kyiv withdraw" is a demand, "insisted that the talks were
    /// going well" is not.
    Directive,
}

/// One row of `issues.csv`.
#[derive(Debug, Clone)]
pub struct IssueCue {
    pub issue: &'static str,
    /// Line in the data file, for messages.
    pub line: u64,
    pub phrase: String,
    /// `annex*`: the last word may go on ("annexed", "annexation").
    pub prefix: bool,
    pub role: PhraseRole,
}

/// How an issue phrase combines with its neighbours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhraseRole {
    /// Names its issue.
    Plain,
    /// A generic vehicle ("plan", "proposal"): it names its issue only when
    /// nothing more specific is said ("a proposal for a buffer zone" is
    /// about territory), and a ceasefire word beside it makes it a
    /// ceasefire deal.
    Vehicle,
    /// An end-of-war phrase: right after a vehicle it is that vehicle's
    /// purpose, one mention of a peace deal ("a plan to end the war").
    Purpose,
}

/// The texts of the lexicon files, each with the name errors should use.
pub struct Sources<'a> {
    pub parties: (&'a str, &'a str),
    pub issues: (&'a str, &'a str),
    pub cues: (&'a str, &'a str),
    pub roles: (&'a str, &'a str),
    pub members: (&'a str, &'a str),
    pub cameo: (&'a str, &'a str),
}

/// The file names of a lexicon directory.
pub const FILES: [&str; 6] = [
    "parties.csv",
    "issues.csv",
    "cues.csv",
    "roles.csv",
    "members.csv",
    "cameo.csv",
];

/// A loaded and compiled lexicon.
#[derive(Debug)]
pub struct Lexicon {
    /// The file names used in messages, as given to [`Lexicon::from_sources`].
    pub files: [String; 5],
    pub aliases: Vec<Alias>,
    pub cues: Vec<Cue>,
    pub issue_cues: Vec<IssueCue>,
    /// Role nouns, lower case, that make a demonym adjective a party
    /// ("Russian officials"), longest first, none empty.
    pub roles: Vec<String>,
    /// Each role's first byte, in the order of `roles`.
    pub(crate) role_firsts: Vec<u8>,
    /// The roles' last words (lower case, as the roles are), sorted and
    /// without repeats (see [`Lexicon::is_role_noun`]).
    role_heads: Vec<String>,
    /// Collective codes and their members ("EUR" → European states): three
    /// or more members named together speak as the collective.
    pub members: Vec<(String, Vec<String>)>,
    /// CAMEO event codes by stance and issue (`cameo.csv`).
    pub cameo: Cameo,
    pub(crate) party_matcher: DFA,
    /// For each party pattern: the alias rows it may denote.
    pub(crate) party_patterns: Vec<Vec<usize>>,
    /// Cue anchor spellings, issue phrase spellings, then the condition
    /// markers and the pair phrases ([`Phrase`]): one pass finds them all.
    pub(crate) phrase_matcher: DFA,
    /// For each cue anchor spelling: the cues it starts, those with a gap
    /// first.
    pub(crate) cue_patterns: Vec<Vec<usize>>,
    /// For each issue phrase spelling (numbered after the cue spellings in
    /// the phrase matcher): its issue phrase row.
    pub(crate) issue_patterns: Vec<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PartyRow {
    code: String,
    alias: String,
    kind: String,
    name: String,
    from: String,
    to: String,
    veto: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CueRow {
    stance: String,
    pattern: String,
    negated: String,
    needs: String,
    #[allow(dead_code)] // documentation for the human editor
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IssueRow {
    issue: String,
    phrase: String,
    role: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MemberRow {
    collective: String,
    member: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleRow {
    role: String,
}

impl Lexicon {
    /// The lexicon shipped in `data/`, compiled into the binary.
    pub fn builtin() -> Result<Lexicon> {
        Lexicon::from_sources(&Sources {
            parties: ("data/parties.csv", include_str!("../data/parties.csv")),
            issues: ("data/issues.csv", include_str!("../data/issues.csv")),
            cues: ("data/cues.csv", include_str!("../data/cues.csv")),
            roles: ("data/roles.csv", include_str!("../data/roles.csv")),
            members: ("data/members.csv", include_str!("../data/members.csv")),
            cameo: ("data/cameo.csv", include_str!("../data/cameo.csv")),
        })
    }

    /// Reads the lexicon files from a directory.
    pub fn from_dir(dir: &Path) -> Result<Lexicon> {
        let mut texts = Vec::new();
        for file in FILES {
            let path = dir.join(file);
            let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
            texts.push((path.display().to_string(), text));
        }
        let get = |i: usize| (texts[i].0.as_str(), texts[i].1.as_str());
        Lexicon::from_sources(&Sources {
            parties: get(0),
            issues: get(1),
            cues: get(2),
            roles: get(3),
            members: get(4),
            cameo: get(5),
        })
    }

    /// Loads and compiles the lexicon from file texts.
    pub fn from_sources(src: &Sources<'_>) -> Result<Lexicon> {
        let aliases = load_parties(src.parties)?;
        check_aliases(src.parties.0, &aliases)?;
        let cues = load_cues(src.cues)?;
        let issue_cues = load_issues(src.issues)?;
        let cameo = Cameo::from_text(src.cameo.0, src.cameo.1)?;
        let mut roles: Vec<String> = read_rows::<RoleRow>(src.roles)?
            .into_iter()
            .map(|(_, r)| r.role.trim().to_lowercase())
            .filter(|r| !r.is_empty())
            .collect();
        roles.sort_by_key(|r| std::cmp::Reverse(r.len()));
        let role_firsts = roles.iter().map(|r| r.as_bytes()[0]).collect();
        let mut role_heads: Vec<String> = roles
            .iter()
            .filter_map(|r| r.rsplit(' ').next())
            .map(str::to_string)
            .collect();
        role_heads.sort();
        role_heads.dedup();
        let mut members: Vec<(String, Vec<String>)> = Vec::new();
        for (line, row) in read_rows::<MemberRow>(src.members)? {
            let known = |code: &str| aliases.iter().any(|a| a.code == code);
            for code in [&row.collective, &row.member] {
                if !known(code) {
                    return Err(Error::data(src.members.0, line, format!("unknown party code {code:?}")));
                }
            }
            match members.iter_mut().find(|(c, _)| *c == row.collective) {
                Some((_, list)) => list.push(row.member),
                None => members.push((row.collective, vec![row.member])),
            }
        }

        // Parties: case-sensitive, as written and capitalised.
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut party_strings: Vec<String> = Vec::new();
        let mut party_patterns: Vec<Vec<usize>> = Vec::new();
        for (i, a) in aliases.iter().enumerate() {
            for spelling in spellings(&a.alias, true) {
                let slot = *index.entry(spelling.clone()).or_insert_with(|| {
                    party_strings.push(spelling);
                    party_patterns.push(Vec::new());
                    party_strings.len() - 1
                });
                if !party_patterns[slot].contains(&i) {
                    party_patterns[slot].push(i);
                }
            }
        }
        let party_matcher = build(&party_strings, false)?;

        let mut cue_index: HashMap<String, usize> = HashMap::new();
        let mut cue_strings: Vec<String> = Vec::new();
        let mut cue_patterns: Vec<Vec<usize>> = Vec::new();
        for (i, c) in cues.iter().enumerate() {
            for anchor in &c.pattern.anchor {
                for spelling in spellings(anchor, false) {
                    let slot = *cue_index.entry(spelling.clone()).or_insert_with(|| {
                        cue_strings.push(spelling);
                        cue_patterns.push(Vec::new());
                        cue_strings.len() - 1
                    });
                    cue_patterns[slot].push(i);
                }
            }
        }
        // Constructions with a gap are more specific: tried first.
        for rows in &mut cue_patterns {
            rows.sort_by_key(|&i| cues[i].pattern.gap.is_none());
        }

        let mut issue_strings = Vec::new();
        let mut issue_patterns = Vec::new();
        for (i, c) in issue_cues.iter().enumerate() {
            for spelling in spellings(&c.phrase, false) {
                issue_strings.push(spelling);
                issue_patterns.push(i);
            }
        }
        // The rules' own phrases follow, found in the same pass.
        let fixed = crate::matcher::CONDITION_MARKERS
            .iter()
            .chain(crate::matcher::PAIR_PHRASES);
        let phrase_strings: Vec<String> = cue_strings
            .into_iter()
            .chain(issue_strings)
            .chain(fixed.map(|p| p.to_string()))
            .collect();
        let phrase_matcher = build(&phrase_strings, true)?;

        Ok(Lexicon {
            files: [src.parties.0, src.issues.0, src.cues.0, src.roles.0, src.members.0].map(str::to_string),
            aliases,
            cues,
            issue_cues,
            roles,
            role_firsts,
            role_heads,
            members,
            cameo,
            party_matcher,
            party_patterns,
            phrase_matcher,
            cue_patterns,
            issue_patterns,
        })
    }

    /// Whether `word` is the last word of a role noun ("officials", the
    /// "minister" of "foreign minister"), ignoring ASCII case.
    pub(crate) fn is_role_noun(&self, word: &str) -> bool {
        self.role_heads
            .binary_search_by(|head| head.bytes().cmp(word.bytes().map(|b| b.to_ascii_lowercase())))
            .is_ok()
    }

    /// What a pattern of the phrase matcher is.
    pub(crate) fn phrase(&self, pattern: usize) -> Phrase {
        let issues = self.cue_patterns.len();
        let conditions = issues + self.issue_patterns.len();
        let pairs = conditions + crate::matcher::CONDITION_MARKERS.len();
        match pattern {
            p if p < issues => Phrase::Cue,
            p if p < conditions => Phrase::Issue(self.issue_patterns[p - issues]),
            p if p < pairs => Phrase::Condition,
            _ => Phrase::Pair,
        }
    }

    /// The alias rows a matched party pattern may denote on `date`
    /// (yyyymmdd): rows valid that day, or without a date the current rows.
    pub(crate) fn aliases_for(&self, pattern: usize, date: Option<u32>) -> impl Iterator<Item = &Alias> {
        let rows = &self.party_patterns[pattern];
        let current = move |a: &&Alias| match date {
            Some(d) => a.valid_on(d),
            None => a.to.is_none(),
        };
        let any_current = rows.iter().map(|&i| &self.aliases[i]).any(|a| current(&a));
        rows.iter().map(|&i| &self.aliases[i]).filter(move |a| {
            if any_current {
                current(a)
            } else {
                a.to.is_none() || date.is_none()
            }
        })
    }

    /// Consistency problems the loader lets through: an issue phrase
    /// under two issues or given twice, and the CAMEO table's
    /// ([`Cameo::check`]).
    pub fn check(&self) -> Vec<Error> {
        let mut problems = Vec::new();
        let mut phrases: HashMap<String, &IssueCue> = HashMap::new();
        for c in &self.issue_cues {
            let key = format!("{}{}", c.phrase.to_lowercase(), if c.prefix { "*" } else { "" });
            if let Some(first) = phrases.get(&key) {
                let message = if first.issue == c.issue {
                    format!("phrase {:?} repeats line {}", c.phrase, first.line)
                } else {
                    format!(
                        "phrase {:?} is also under {} on line {}",
                        c.phrase, first.issue, first.line
                    )
                };
                problems.push(Error::data(&self.files[1], c.line, message));
            } else {
                phrases.insert(key, c);
            }
        }
        problems.extend(self.cameo.check());
        problems
    }

    /// Every phrase the lexicon looks for (aliases, cue anchors, issue
    /// phrases), for the benchmark's ripgrep floor.
    pub fn phrases(&self) -> Vec<String> {
        let mut out: Vec<String> = self.aliases.iter().map(|a| a.alias.clone()).collect();
        for c in &self.cues {
            out.extend(c.pattern.anchor.iter().cloned());
        }
        out.extend(self.issue_cues.iter().map(|c| c.phrase.clone()));
        out.sort();
        out.dedup();
        out
    }
}

/// The kinds of pattern in the phrase matcher, in their order there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phrase {
    /// A spelling of a cue anchor.
    Cue,
    /// A spelling of an issue phrase, with the phrase's row.
    Issue(usize),
    /// A condition marker ([`crate::matcher::CONDITION_MARKERS`]).
    Condition,
    /// A phrase naming both sides ([`crate::matcher::PAIR_PHRASES`]).
    Pair,
}

/// A phrase as written, with straight and curly apostrophes, and (for
/// aliases) capitalised at the start of a sentence.
fn spellings(phrase: &str, capitalise: bool) -> Vec<String> {
    let mut out = vec![phrase.to_string()];
    if phrase.contains('\'') {
        out.push(phrase.replace('\'', "’"));
    }
    if phrase.contains('’') {
        out.push(phrase.replace('’', "'"));
    }
    if capitalise {
        let caps: Vec<String> = out
            .iter()
            .filter(|s| s.starts_with(|c: char| c.is_lowercase()))
            .map(|s| {
                let mut chars = s.chars();
                let first = chars.next().expect("non-empty");
                first.to_uppercase().chain(chars).collect()
            })
            .collect();
        out.extend(caps);
    }
    out
}

/// A full DFA: the matchers run over every byte of every article, and
/// building one costs a few milliseconds per process. `matcher::scan` steps
/// it itself, with no prefilter: a sentence is short, and most of its words
/// start some pattern.
pub(crate) fn build(patterns: &[String], case_insensitive: bool) -> Result<DFA> {
    DFA::builder()
        .match_kind(MatchKind::Standard)
        .ascii_case_insensitive(case_insensitive)
        .prefilter(false)
        .build(patterns)
        .map_err(|e| Error::data("lexicon", 0, format!("cannot compile matcher: {e}")))
}

/// Reads the rows of one CSV file with their 1-based line numbers.
pub(crate) fn read_rows<T: for<'de> Deserialize<'de>>((file, text): (&str, &str)) -> Result<Vec<(u64, T)>> {
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| csv_error(file, text, &e))?.clone();
    // The header read as a row names a missing or unknown column before
    // any row's column count is blamed for it (every field is text).
    if let Err(e) = headers.deserialize::<T>(Some(&headers)) {
        let line = text
            .lines()
            .position(|l| !l.starts_with('#'))
            .map_or(1, |i| i as u64 + 1);
        let message = csv_message(&e).replace(" field ", " column ");
        return Err(Error::data(file, line, format!("header: {message}")));
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(file, text, &e))?;
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().any(|field| field.contains('\n')) {
            return Err(Error::data(file, line, UNBALANCED_QUOTE));
        }
        let row = record
            .deserialize(Some(&headers))
            .map_err(|e| Error::data(file, line, csv_message(&e)))?;
        rows.push((line, row));
    }
    Ok(rows)
}

const UNBALANCED_QUOTE: &str = "unbalanced quote: a quoted field runs past the end of the line";

fn csv_error(file: &str, text: &str, e: &csv::Error) -> Error {
    let line = e.position().map_or(1, |p| p.line());
    // A row whose quote is not closed swallows the lines after it, which
    // the reader reports as a wrong number of columns.
    let quotes = text
        .lines()
        .nth(line.saturating_sub(1) as usize)
        .map_or(0, |l| l.matches('"').count());
    if quotes % 2 == 1 {
        return Error::data(file, line, UNBALANCED_QUOTE);
    }
    Error::data(file, line, csv_message(e))
}

fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Deserialize { err, .. } => err.to_string(),
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("expected {expected_len} columns, found {len}")
        }
        _ => e.to_string(),
    }
}

fn parse_date(s: &str) -> std::result::Result<Option<u32>, String> {
    if s.is_empty() {
        return Ok(None);
    }
    crate::date::parse_iso(s)
        .map(Some)
        .ok_or_else(|| format!("bad date {s:?}: expected YYYY, YYYY-MM or YYYY-MM-DD"))
}

fn load_parties(src: (&str, &str)) -> Result<Vec<Alias>> {
    let file = src.0;
    let mut out = Vec::new();
    for (line, row) in read_rows::<PartyRow>(src)? {
        let err = |m: String| Error::data(file, line, m);
        if row.code.is_empty()
            || !row
                .code
                .chars()
                .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
        {
            return Err(err(format!(
                "bad party code {:?}: upper-case letters, digits and _",
                row.code
            )));
        }
        if row.alias.is_empty() {
            return Err(err("empty alias".into()));
        }
        let kind: AliasKind = row.kind.parse().map_err(err)?;
        let from = parse_date(&row.from).map_err(err)?;
        let to = parse_date(&row.to).map_err(err)?;
        if let (Some(f), Some(t)) = (from, to)
            && f >= t
        {
            return Err(err(format!("date range {}..{} is empty", row.from, row.to)));
        }
        if kind == AliasKind::Person && row.name.is_empty() {
            return Err(err(format!("person {:?} needs a canonical name", row.alias)));
        }
        let veto = row
            .veto
            .split('|')
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
            .collect();
        out.push(Alias {
            code: row.code,
            alias: row.alias,
            kind,
            name: row.name,
            from,
            to,
            veto,
            line,
        });
    }
    Ok(out)
}

/// Fails on the first alias that repeats an earlier row of the same party
/// in overlapping dates, or names another party at the same time without a
/// veto on either row to tell them apart: one name, one party at a time.
fn check_aliases(file: &str, aliases: &[Alias]) -> Result<()> {
    let mut by_alias: HashMap<&str, Vec<&Alias>> = HashMap::new();
    for a in aliases {
        by_alias.entry(a.alias.as_str()).or_default().push(a);
    }
    let overlap = |a: &Alias, b: &Alias| {
        a.from.unwrap_or(0) < b.to.unwrap_or(u32::MAX) && b.from.unwrap_or(0) < a.to.unwrap_or(u32::MAX)
    };
    let mut problems = Vec::new();
    for rows in by_alias.values() {
        for (i, a) in rows.iter().enumerate() {
            for b in &rows[..i] {
                if !overlap(a, b) {
                    continue;
                }
                let message = if a.code == b.code {
                    format!(
                        "alias {:?} for {} repeats line {} in overlapping dates",
                        a.alias, a.code, b.line
                    )
                } else if a.veto.is_empty() && b.veto.is_empty() {
                    format!(
                        "alias {:?} names {} here and {} on line {} in overlapping dates, with no veto to tell them apart",
                        a.alias, a.code, b.code, b.line
                    )
                } else {
                    continue;
                };
                problems.push((a.line, message));
            }
        }
    }
    match problems.into_iter().min() {
        Some((line, message)) => Err(Error::data(file, line, message)),
        None => Ok(()),
    }
}

fn load_cues(src: (&str, &str)) -> Result<Vec<Cue>> {
    let file = src.0;
    let mut out = Vec::new();
    for (line, row) in read_rows::<CueRow>(src)? {
        let err = |m: String| Error::data(file, line, m);
        let kind = match row.stance.as_str() {
            "report" => CueKind::Report,
            s => CueKind::Stance(s.parse().map_err(err)?),
        };
        let pattern = pattern::parse(&row.pattern).map_err(|e| {
            err(format!(
                "column {} of pattern {:?}: {}",
                e.column, row.pattern, e.message
            ))
        })?;
        let negated = match row.negated.as_str() {
            "" | "none" => None,
            s => Some(s.parse().map_err(err)?),
        };
        if kind == CueKind::Report && !pattern.has(pattern::Slot::Holder) {
            return Err(err("a report construction needs a HOLDER slot".into()));
        }
        let needs = match row.needs.as_str() {
            "" => Needs::Nothing,
            "condition" => Needs::Condition,
            "subject" => Needs::Subject,
            "directive" => Needs::Directive,
            other => {
                return Err(err(format!(
                    "unknown needs {other:?}: condition, subject, directive or empty"
                )));
            }
        };
        out.push(Cue {
            kind,
            source: row.pattern,
            pattern,
            negated,
            needs,
        });
    }
    Ok(out)
}

fn load_issues(src: (&str, &str)) -> Result<Vec<IssueCue>> {
    let file = src.0;
    let mut out = Vec::new();
    for (line, row) in read_rows::<IssueRow>(src)? {
        let err = |m: String| Error::data(file, line, m);
        let issue = ISSUES
            .iter()
            .find(|i| **i == row.issue)
            .ok_or_else(|| err(format!("unknown issue {:?}", row.issue)))?;
        let (phrase, prefix) = match row.phrase.strip_suffix('*') {
            Some(p) => (p.to_string(), true),
            None => (row.phrase.clone(), false),
        };
        if phrase.trim().is_empty() {
            return Err(err("empty phrase".into()));
        }
        let role = match row.role.as_str() {
            "" => PhraseRole::Plain,
            "vehicle" => PhraseRole::Vehicle,
            "purpose" => PhraseRole::Purpose,
            other => return Err(err(format!("unknown role {other:?}: vehicle, purpose or empty"))),
        };
        out.push(IssueCue {
            issue,
            line,
            phrase,
            prefix,
            role,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARTIES: &str = "code,alias,kind,name,from,to,veto\nRUS,Russia,state,,,,\nRUS,the Kremlin,capital,,,,\n";
    const ISSUES_CSV: &str = "issue,phrase,role\nalliance,NATO membership,\nterritory,annex*,\n";
    const CUES: &str =
        "stance,pattern,negated,needs,note\ndemand,HOLDER demands that? OBJECT,,,\nreport,HOLDER said that?,,,\n";
    const ROLES: &str = "role\nofficials\n";

    fn load(parties: &str, issues: &str, cues: &str) -> Result<Lexicon> {
        Lexicon::from_sources(&Sources {
            parties: ("parties.csv", parties),
            issues: ("issues.csv", issues),
            cues: ("cues.csv", cues),
            roles: ("roles.csv", ROLES),
            members: ("members.csv", "collective,member\n"),
            cameo: ("cameo.csv", include_str!("../data/cameo.csv")),
        })
    }

    #[test]
    fn builtin_loads() {
        let lex = Lexicon::builtin().unwrap();
        assert!(lex.aliases.len() > 10 && lex.cues.len() > 10 && lex.issue_cues.len() > 10);
    }

    #[test]
    fn role_nouns_are_known_by_their_last_word_in_any_case() {
        let lex = Lexicon::builtin().unwrap();
        for word in ["officials", "Minister", "MINISTER", "president"] {
            assert!(lex.is_role_noun(word), "{word}");
        }
        // "foreign" only starts "foreign minister"; "minist" is no word.
        for word in ["foreign", "minist", "ministers s", ""] {
            assert!(!lex.is_role_noun(word), "{word}");
        }
    }

    #[test]
    fn small_lexicon_loads() {
        let lex = load(PARTIES, ISSUES_CSV, CUES).unwrap();
        assert_eq!(lex.aliases.len(), 2);
        assert!(lex.issue_cues[1].prefix);
        assert_eq!(lex.cues[1].kind, CueKind::Report);
    }

    fn error_of(parties: &str, issues: &str, cues: &str) -> String {
        load(parties, issues, cues).unwrap_err().to_string()
    }

    #[test]
    fn unknown_stance_names_file_and_line() {
        let cues =
            "stance,pattern,negated,needs,note\ndemand,HOLDER demands OBJECT,,,\ndemnad,HOLDER wants OBJECT,,,\n";
        assert_eq!(
            error_of(PARTIES, ISSUES_CSV, cues),
            "cues.csv:3: unknown stance \"demnad\""
        );
    }

    #[test]
    fn unknown_issue() {
        let issues = "issue,phrase,role\nterritroy,land,\n";
        assert_eq!(
            error_of(PARTIES, issues, CUES),
            "issues.csv:2: unknown issue \"territroy\""
        );
    }

    #[test]
    fn bad_pattern_column() {
        let cues = "stance,pattern,negated,needs,note\ndemand,HOLDER demands Object,,,\n";
        let e = error_of(PARTIES, ISSUES_CSV, cues);
        assert!(e.starts_with("cues.csv:2: column 16 of pattern"), "{e}");
    }

    #[test]
    fn missing_column() {
        let parties = "code,alias,kind,name,from,to,veto\nRUS,Russia,state,,,\n";
        assert_eq!(
            error_of(parties, ISSUES_CSV, CUES),
            "parties.csv:2: expected 7 columns, found 6"
        );
    }

    #[test]
    fn bad_dates() {
        let parties = "code,alias,kind,name,from,to,veto\nUSA,Biden,person,Joe Biden,2025-01-20,2021-01-20,\n";
        assert_eq!(
            error_of(parties, ISSUES_CSV, CUES),
            "parties.csv:2: date range 2025-01-20..2021-01-20 is empty"
        );
        let parties = "code,alias,kind,name,from,to,veto\nUSA,Biden,person,Joe Biden,2021-13-01,,\n";
        assert!(error_of(parties, ISSUES_CSV, CUES).starts_with("parties.csv:2: bad date"));
    }

    #[test]
    fn builtin_passes_check() {
        let problems: Vec<String> = Lexicon::builtin()
            .unwrap()
            .check()
            .iter()
            .map(|e| e.to_string())
            .collect();
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn aliases_naming_two_parties_at_once_are_refused() {
        let head = "code,alias,kind,name,from,to,veto\n";
        let fails = |rows: &str| {
            load(&format!("{head}{rows}"), ISSUES_CSV, CUES)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            fails("GEO,Georgia,state,,,,\nUSA,Georgia,state,,,,\n"),
            "parties.csv:3: alias \"Georgia\" names USA here and GEO on line 2 in overlapping dates, with no veto to tell them apart"
        );
        assert_eq!(
            fails("RUS,Kremlin,capital,,,,\nRUS,Moscow,capital,,,,\nRUS,Moscow,capital,,,,\n"),
            "parties.csv:4: alias \"Moscow\" for RUS repeats line 3 in overlapping dates"
        );
        // A veto tells two parties apart; successive office holders do not
        // overlap.
        let fine = "JOR,Jordan,state,,,,Michael Jordan\nNONE,Jordan,person,Jordan X,,,\nUSA,Trump,person,Donald Trump,2017-01-20,2021-01-20,\nNONE,Trump,person,Donald Trump,2021-01-20,,\n";
        assert!(load(&format!("{head}{fine}"), ISSUES_CSV, CUES).is_ok());
    }

    #[test]
    fn check_finds_repeated_issue_phrases() {
        let issues = "issue,phrase,role\nalliance,membership,\nterritory,membership,\n";
        let lex = load(PARTIES, issues, CUES).unwrap();
        let problems: Vec<String> = lex.check().iter().map(|e| e.to_string()).collect();
        assert_eq!(
            problems,
            vec!["issues.csv:3: phrase \"membership\" is also under alliance on line 2"]
        );
    }

    #[test]
    fn date_picks_alias_row() {
        let parties = "code,alias,kind,name,from,to,veto\nUSA,Trump,person,Donald Trump,2017-01-20,2021-01-20,\nNONE,Trump,person,Donald Trump,2021-01-20,2025-01-20,\nUSA,Trump,person,Donald Trump,2025-01-20,,\n";
        let lex = load(parties, ISSUES_CSV, CUES).unwrap();
        let codes = |d| lex.aliases_for(0, d).map(|a| a.code.clone()).collect::<Vec<_>>();
        assert_eq!(codes(Some(20230101)), vec!["NONE"]);
        assert_eq!(codes(Some(20180101)), vec!["USA"]);
        assert_eq!(codes(None), vec!["USA"]);
    }
}
