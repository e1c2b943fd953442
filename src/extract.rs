//! Claim extraction: turns the matches of each sentence into claims (who
//! holds which stance on which issue, aimed at whom, on what condition).
//!
//! The rules, in the order they apply to each stance cue:
//! 1. A cue inside a condition clause is hypothetical and yields nothing; a
//!    cue introduced by "to" inside another cue's object ("persuade Russia
//!    to accept") is that cue's content, not a stance of its own.
//! 2. The holder is the cue's grammatical subject: the nearest party mention
//!    before it (after it, for passives "proposed by X"), with parties
//!    coordinated by "and" ("Ukraine and Russia rejected"). A verb
//!    coordinated with an earlier cue ("demands ... and threatens") keeps
//!    that cue's holder. Constructions without a holder ("Armenia must")
//!    take the speaker of the sentence ("Aliyev said", "according to X"),
//!    or of the quotation. Pronouns resolve to the most recent compatible
//!    party in the article.
//! 3. The object runs from the cue to the next coordinated cue, report cue,
//!    semicolon, or a new clause opened by ", if"; condition clauses inside
//!    it are the claim's condition, not its content. In an object relative
//!    clause ("the plan that Hamas rejected") the object is the noun the
//!    clause hangs on. "Both sides" are the two parties the article names
//!    most.
//! 4. Issues are the issue phrases of the object (one claim per distinct
//!    issue; a ceasefire and a peace deal in one object are one mention,
//!    coded by the first), else of the condition, else `other`.
//! 5. Negation right before the cue flips the stance where the lexicon says
//!    how ("will not accept" → reject) and drops it otherwise.
//! 6. A conditional offer also yields a demand on the condition's issue; a
//!    conditional acceptance is an offer.

use std::borrow::Cow;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::document::{self, Normalized, Span};
use crate::lexicon::{AliasKind, CueKind, Lexicon, Needs, PhraseRole, Stance};
use crate::matcher::{self, Condition, CueMatch, IssueMatch, MentionKind, Pronoun, TextMatches, WordIndex};
use crate::pattern::{Pattern, Slot};

/// An article to extract claims from.
#[derive(Debug, Clone)]
pub struct Article {
    /// Article id: the input file's stem.
    pub id: String,
    pub text: String,
    /// Publication date as yyyymmdd, if known.
    pub date: Option<u32>,
}

/// Whether the stance was stated inside quotation marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Quote,
    Reported,
}

/// One party's stated stance on one issue, with its evidence (SPEC §1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    pub article: String,
    pub party: String,
    pub speaker: String,
    pub stance: Stance,
    pub issue: String,
    pub target: String,
    pub object: String,
    pub condition: String,
    pub mode: Mode,
    pub sentence: usize,
    pub start: usize,
    pub end: usize,
    pub evidence: String,
    /// The cue phrase that signalled the stance.
    pub cue: String,
}

/// A claim whose text is borrowed from the lexicon and the article: what
/// extraction finds, before (or instead of) copying it into a [`Claim`].
/// The fields are those of [`Claim`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimView<'a> {
    pub article: &'a str,
    pub party: &'a str,
    pub speaker: &'a str,
    pub stance: Stance,
    pub issue: &'a str,
    pub target: &'a str,
    pub object: &'a str,
    pub condition: &'a str,
    pub mode: Mode,
    pub sentence: usize,
    pub start: usize,
    pub end: usize,
    pub evidence: &'a str,
    pub cue: &'a str,
}

impl ClaimView<'_> {
    /// The claim with its own copy of the text.
    pub fn to_claim(&self) -> Claim {
        Claim {
            article: self.article.to_string(),
            party: self.party.to_string(),
            speaker: self.speaker.to_string(),
            stance: self.stance,
            issue: self.issue.to_string(),
            target: self.target.to_string(),
            object: self.object.to_string(),
            condition: self.condition.to_string(),
            mode: self.mode,
            sentence: self.sentence,
            start: self.start,
            end: self.end,
            evidence: self.evidence.to_string(),
            cue: self.cue.to_string(),
        }
    }
}

impl Claim {
    /// The claim as a view of its own text.
    pub fn view(&self) -> ClaimView<'_> {
        ClaimView {
            article: &self.article,
            party: &self.party,
            speaker: &self.speaker,
            stance: self.stance,
            issue: &self.issue,
            target: &self.target,
            object: &self.object,
            condition: &self.condition,
            mode: self.mode,
            sentence: self.sentence,
            start: self.start,
            end: self.end,
            evidence: &self.evidence,
            cue: &self.cue,
        }
    }

    /// Whether a party holds the claim: one without a party, or of `NONE`
    /// (someone who speaks for no party), is left out of positions, the
    /// matrix and its counts.
    pub fn held_by_party(&self) -> bool {
        !self.party.is_empty() && self.party != "NONE"
    }
}

/// A party mention with its pronoun resolved. Codes and names borrow from
/// the lexicon.
#[derive(Debug, Clone, Copy)]
struct Party<'l> {
    span: Span,
    code: &'l str,
    name: &'l str,
    holder: bool,
    /// Resolved from a pronoun.
    pronoun: bool,
    /// One of the two parties of "both sides".
    pair: bool,
}

/// What reading an article carries from sentence to sentence.
#[derive(Default)]
struct Reading<'l> {
    discourse: Discourse<'l>,
    /// The lexicon's matches in the whole text.
    matches: TextMatches,
    /// The matches of the sentence being read, in room kept for the next.
    found: matcher::Found,
    /// The last sentence's lists, emptied, for the next to fill.
    spare: Spare<'l>,
    claim_room: ClaimRoom<'l>,
}

/// The lists [`SentenceContext::claims`] works in, kept from one sentence
/// to the next (see [`Spare`]).
#[derive(Default)]
struct ClaimRoom<'a> {
    /// Each earlier cue's object and stance, in this sentence.
    objects: Vec<(Span, Stance)>,
    /// The last cue's holders, for a coordinated verb after it.
    previous_holders: Vec<Party<'a>>,
    /// Per cue: its holders' codes.
    holder_codes: Vec<&'a str>,
    /// Per cue: (issue, stance, target) of each claim it makes.
    findings: Vec<(&'static str, Stance, &'a str)>,
}

/// The lists a sentence's context holds, kept from one sentence to the
/// next: a sentence then allocates little. With [`ClaimRoom`] and the
/// lists the matcher fills in place, allocations per MB of the samples
/// fell from 150k to 34k and a one-core run by about a tenth.
#[derive(Default)]
struct Spare<'a> {
    words: Vec<&'a str>,
    quotes: Vec<Span>,
    /// Kept by [`SentenceContext::new`] itself: the context holds them as
    /// parties.
    mentions: Vec<matcher::Mention<'a>>,
    parties: Vec<Party<'a>>,
    cues: Vec<CueMatch<'a>>,
    issues: Vec<IssueMatch>,
    reports: Vec<Span>,
}

impl<'a> Spare<'a> {
    /// Keeps what `ctx` held, for the next sentence.
    fn keep(&mut self, ctx: SentenceContext<'a>) {
        self.words = ctx.words.into_room();
        self.quotes = ctx.quotes;
        self.parties = ctx.parties;
        self.cues = ctx.cues;
        self.issues = ctx.issues;
        self.reports = ctx.reports;
    }
}

/// What the article has said so far, for pronouns and quotations.
#[derive(Default)]
struct Discourse<'l> {
    /// Resolved mentions in article order: (code, name, kind of referent).
    recent: Vec<(&'l str, &'l str, &'static [Pronoun])>,
    /// The last party that spoke, with the speaker's name.
    speaker: Option<(&'l str, &'l str)>,
    /// Each word of the full names of persons mentioned so far → (code,
    /// name), so that a later "Chen" or "Aliyev" alone is recognised.
    names: FxHashMap<&'l str, (&'l str, &'l str)>,
    /// Each party mentioned so far → (mentions, order of its latest
    /// mention, name): the parties an article is about are the ones it
    /// names most.
    tally: FxHashMap<&'l str, (usize, usize, &'l str)>,
    /// Mentions recorded so far.
    seen: usize,
}

impl<'l> Discourse<'l> {
    /// Records a mention; only the latest few are kept, so a long article
    /// costs no more per sentence than a short one.
    fn mentioned(&mut self, code: &'l str, name: &'l str, kinds: &'static [Pronoun]) {
        const KEEP: usize = 32;
        if self.recent.len() >= 2 * KEEP {
            self.recent.drain(..KEEP);
        }
        self.seen += 1;
        if code != "NONE" {
            let entry = self.tally.entry(code).or_insert((0, 0, ""));
            *entry = (entry.0 + 1, self.seen, name);
        }
        self.recent.push((code, name, kinds));
    }

    /// The two sides of the negotiation so far: the two parties named most
    /// often (the more recent first on a tie), not a mediator or a third
    /// party named last ("Washington urged both sides" means the two
    /// parties the article is about).
    fn principal_two(&self) -> Option<[(&'l str, &'l str); 2]> {
        // The two greatest (count, latest mention), found in two passes: no
        // two parties share a latest mention, so there is no tie to break.
        let first = self.tally.iter().max_by_key(|(_, t)| (t.0, t.1))?;
        let second = self
            .tally
            .iter()
            .filter(|(code, _)| *code != first.0)
            .max_by_key(|(_, t)| (t.0, t.1))?;
        Some([(*first.0, first.1.2), (*second.0, second.1.2)])
    }

    fn resolve(&self, p: Pronoun) -> Option<(&'l str, &'l str)> {
        if p == Pronoun::Speaker {
            return self.speaker;
        }
        self.recent
            .iter()
            .rev()
            .find(|(_, _, kinds)| kinds.contains(&p))
            .map(|(code, name, _)| (*code, *name))
    }
}

/// The pronouns that can refer to a mention: an organisation or a group is
/// "it" as often as "they" ("The RSF said it was ready").
fn referent(kind: AliasKind, plural: bool) -> &'static [Pronoun] {
    match kind {
        AliasKind::Person | AliasKind::Title => &[Pronoun::Person],
        AliasKind::Org | AliasKind::Group => &[Pronoun::Plural, Pronoun::Thing],
        _ if plural => &[Pronoun::Plural],
        _ => &[Pronoun::Thing],
    }
}

/// Extracts the claims of one article.
pub fn extract(lex: &Lexicon, article: &Article) -> Vec<Claim> {
    extract_traced(lex, article, None)
}

/// Extracts the claims of one article and hands them to `f` as views of
/// the text they were read from, returning what `f` returns: no claim's
/// text is copied unless `f` copies it (claims written out at once need
/// no copy).
pub fn extract_with<R>(lex: &Lexicon, article: &Article, f: impl for<'v> FnOnce(Vec<ClaimView<'v>>) -> R) -> R {
    let norm = Normalized::new(&article.text);
    f(read(lex, article, &norm, None))
}

/// Why one cue did or did not become a claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CueNote {
    pub cue: String,
    pub decision: String,
}

/// What the extractor saw in one sentence (for `demarche explain`).
#[derive(Debug, Clone, Default)]
pub struct SentenceTrace {
    pub index: usize,
    pub start: usize,
    pub end: usize,
    /// Party mentions: (text, code).
    pub parties: Vec<(String, String)>,
    /// Issue phrases: (text, issue).
    pub issues: Vec<(String, String)>,
    pub conditions: Vec<String>,
    /// The speaker named by reported speech, if any.
    pub speaker: Option<String>,
    pub cues: Vec<CueNote>,
}

/// Extracts claims and, when `trace` is given, records for each sentence
/// what was found and why each cue did or did not become a claim.
pub fn extract_traced(lex: &Lexicon, article: &Article, trace: Option<&mut Vec<SentenceTrace>>) -> Vec<Claim> {
    let norm = Normalized::new(&article.text);
    read(lex, article, &norm, trace)
        .iter()
        .map(ClaimView::to_claim)
        .collect()
}

/// Reads the article, normalised as `norm`, sentence by sentence: its
/// claims, and a trace of each sentence when `trace` is given.
fn read<'a>(
    lex: &'a Lexicon,
    article: &'a Article,
    norm: &'a Normalized,
    mut trace: Option<&mut Vec<SentenceTrace>>,
) -> Vec<ClaimView<'a>> {
    let text = norm.text.as_str();
    let doc = document::parse(text);
    let mut reading = Reading {
        matches: matcher::scan(lex, text),
        ..Reading::default()
    };
    // Dense news gives a claim or a little more a sentence (1.1 in the
    // samples): room without regrowth.
    let mut claims = Vec::with_capacity(doc.sentences.len() * 5 / 4);
    let mut paragraph_quotes: Vec<Span> = Vec::new();
    let mut current_paragraph = usize::MAX;
    for sentence in &doc.sentences {
        if sentence.paragraph != current_paragraph {
            current_paragraph = sentence.paragraph;
            paragraph_quotes = matcher::quotations(text, doc.paragraphs[sentence.paragraph]);
        }
        let ctx = SentenceContext::new(
            lex,
            article,
            norm,
            sentence.span,
            &paragraph_quotes,
            &mut reading,
            trace.is_some(),
        );
        match trace.as_deref_mut() {
            Some(t) => {
                let mut notes = Vec::new();
                ctx.claims(sentence.index, &mut claims, &mut reading.claim_room, Some(&mut notes));
                let original = ctx.original;
                t.push(SentenceTrace {
                    index: sentence.index,
                    start: original.start,
                    end: original.end,
                    parties: ctx
                        .parties
                        .iter()
                        .map(|p| (ctx.slice(p.span).to_string(), p.code.to_string()))
                        .collect(),
                    issues: ctx
                        .issues
                        .iter()
                        .map(|m| (ctx.slice(m.span).to_string(), m.issue.to_string()))
                        .collect(),
                    conditions: ctx.conditions.iter().map(|c| ctx.slice(c.span).to_string()).collect(),
                    speaker: ctx
                        .speaker
                        .as_ref()
                        .map(|(code, name)| format!("{code} {name}").trim().to_string()),
                    cues: notes,
                });
            }
            None => ctx.claims(sentence.index, &mut claims, &mut reading.claim_room, None),
        }
        // Remember the sentence's speaker for the quotations that follow.
        if let Some(sp) = ctx.speaker {
            reading.discourse.speaker = Some(sp);
        }
        reading.spare.keep(ctx);
    }
    claims
}

struct SentenceContext<'a> {
    /// The normalised article text all spans refer to.
    text: &'a str,
    article: &'a Article,
    span: Span,
    /// The sentence's span in the article as given, before normalising.
    original: Span,
    /// The sentence's words.
    words: WordIndex<'a>,
    parties: Vec<Party<'a>>,
    cues: Vec<CueMatch<'a>>,
    issues: Vec<IssueMatch>,
    conditions: Vec<Condition>,
    quotes: Vec<Span>,
    /// Speaker named by reported speech in this sentence.
    speaker: Option<(&'a str, &'a str)>,
    /// Speaker carried over from earlier sentences (for quotations).
    last_speaker: Option<(&'a str, &'a str)>,
    /// Spans of report cues ("said", "according to").
    reports: Vec<Span>,
    /// The lexicon: cue patterns, role nouns ("officials"), collectives
    /// and their members.
    lex: &'a Lexicon,
}

impl<'a> SentenceContext<'a> {
    fn new(
        lex: &'a Lexicon,
        article: &'a Article,
        norm: &'a Normalized,
        span: Span,
        paragraph_quotes: &[Span],
        reading: &mut Reading<'a>,
        traced: bool,
    ) -> SentenceContext<'a> {
        let Reading {
            discourse,
            matches,
            found,
            spare,
            ..
        } = reading;
        let Spare {
            words,
            mut quotes,
            mut mentions,
            mut parties,
            mut cues,
            mut issues,
            reports: report_spans,
        } = std::mem::take(spare);
        let text = norm.text.as_str();
        let first = paragraph_quotes.partition_point(|q| q.end <= span.start);
        quotes.clear();
        quotes.extend(
            paragraph_quotes[first..]
                .iter()
                .take_while(|q| q.start < span.end)
                .copied(),
        );
        let in_quote = |s: Span| quotes.iter().any(|q| q.contains(s));
        let last_speaker = discourse.speaker;
        // A dateline ("TAIPEI (Taiwan News) —") names a place, not a party.
        let body_start = span.start + document::dateline_len(&text[span.start..span.end]);
        let words = WordIndex::reusing(text, span, words);
        matches.sentence(span, found);
        matcher::mentions(lex, &words, &mut found.parties, article.date, &mut mentions);
        let found = &*found;
        mentions.retain(|m| m.span.start >= body_start);
        // A person named in full earlier is later called by one name ("Chen
        // Binhua" ... "Chen warned").
        for (i, w) in words.within(body_start, span.end) {
            // Names are capitalised: most words need no lookup.
            if !w.starts_with(char::is_uppercase) {
                continue;
            }
            let at = Span::new(body_start + i, body_start + i + w.len());
            if mentions.iter().any(|m| m.span.start < at.end && at.start < m.span.end) {
                continue;
            }
            if let Some(&(code, name)) = discourse.names.get(w) {
                mentions.push(matcher::Mention {
                    span: at,
                    what: MentionKind::Party {
                        code,
                        kind: AliasKind::Person,
                        name,
                        holder: true,
                        plural: false,
                    },
                });
            }
        }
        mentions.sort_by_key(|m| m.span.start);
        // "Both sides agreed": the two parties the article is about.
        parties.clear();
        let mut pair = None;
        for at in matcher::pairs(lex, text, span, body_start, found) {
            if mentions.iter().any(|m| m.span.start < at.end && at.start < m.span.end) {
                continue;
            }
            for &(code, name) in pair.get_or_insert_with(|| discourse.principal_two()).iter().flatten() {
                parties.push(Party {
                    span: at,
                    code,
                    name,
                    holder: true,
                    pronoun: true,
                    pair: true,
                });
            }
        }
        for m in mentions.drain(..) {
            match m.what {
                MentionKind::Party {
                    code,
                    kind,
                    name,
                    holder,
                    plural,
                } => {
                    // A place one is in or goes to ("met in Washington") is
                    // not whom later pronouns refer to.
                    let place = kind == AliasKind::Capital
                        && words
                            .within(span.start, m.span.start)
                            .next_back()
                            .is_some_and(|(_, w)| matches!(w, "in" | "at" | "to" | "from" | "into" | "near"));
                    if holder && !place {
                        discourse.mentioned(code, name, referent(kind, plural));
                    }
                    if kind == AliasKind::Person {
                        for part in name.split_whitespace().filter(|p| p.chars().count() >= 3) {
                            discourse.names.entry(part).or_insert_with(|| (code, name));
                        }
                    }
                    parties.push(Party {
                        span: m.span,
                        code,
                        name,
                        holder,
                        pronoun: false,
                        pair: false,
                    });
                }
                MentionKind::Pronoun(p) => {
                    if p == Pronoun::Speaker && !in_quote(m.span) {
                        continue;
                    }
                    if let Some((code, name)) = discourse.resolve(p) {
                        parties.push(Party {
                            span: m.span,
                            code,
                            name,
                            holder: true,
                            pronoun: true,
                            pair: false,
                        });
                    }
                }
            }
        }
        parties.sort_by_key(|p| p.span.start);
        // A cue word inside a party's name is not a cue ("United States"),
        // except a noun naming the party's act after its adjective ("the
        // Ukrainian proposal"), which the party holds.
        matcher::phrases(lex, text, span, found, &mut cues, &mut issues);
        cues.retain(|c| {
            c.span.start >= body_start
                && !parties.iter().any(|p| {
                    let overlaps = !p.pronoun && p.span.start < c.span.end && c.span.start < p.span.end;
                    let owned_noun = p.span.start < c.span.start
                        && p.span.end == c.span.end
                        && c.cues.iter().any(|&i| lex.cues[i].needs == Needs::Subject);
                    overlaps && !owned_noun
                })
        });
        let has_cues = !cues.is_empty();
        let mut ctx = SentenceContext {
            text,
            article,
            span,
            original: norm.original(span),
            words,
            parties,
            cues,
            issues,
            // Conditions qualify what cues say: without a cue there is
            // nothing to qualify (a trace shows them all the same).
            conditions: if !has_cues && !traced {
                Vec::new()
            } else {
                matcher::conditions(lex, text, span, found)
            },
            quotes,
            speaker: None,
            last_speaker,
            reports: report_spans,
            lex,
        };
        // Reported speech ("said", "according to") is told apart by the
        // construction that fits ("told reporters" vs "told Kyiv to").
        let mut cues = std::mem::take(&mut ctx.cues);
        let reports: Vec<CueMatch> = cues
            .extract_if(.., |c| {
                ctx.fit(c)
                    .is_some_and(|(row, ..)| lex.cues[row].kind == CueKind::Report)
            })
            .collect();
        ctx.cues = cues;
        ctx.reports.clear();
        ctx.reports.extend(reports.iter().map(|r| r.span));
        // Issue words matter to stance cues (and to a trace).
        let mut issues = std::mem::take(&mut ctx.issues);
        if !ctx.cues.is_empty() || traced {
            // An issue word inside a party's name is not an issue
            // ("Ukrainian negotiators", "the Peace Council").
            issues.retain(|m| !ctx.parties.iter().any(|p| !p.pronoun && p.span.contains(m.span)));
        } else {
            issues.clear();
        }
        ctx.issues = issues;
        // The speaker: the holder of the first report cue that has one.
        for r in &reports {
            let Some((row, ..)) = ctx.fit(r) else { continue };
            let cue = &lex.cues[row];
            // After a quotation ("…,” said Aliyev) the speaker follows.
            let inverted = text[span.start..r.span.start]
                .trim_end()
                .trim_end_matches(',')
                .ends_with(['”', '"']);
            let found = if cue.pattern.after == Some(Slot::Holder) || inverted {
                let after = ctx.holders_after(r.span.end);
                if after.is_empty() {
                    ctx.holders_before(r.span.start)
                } else {
                    after
                }
            } else {
                ctx.holders_before(r.span.start)
            };
            if let Some(p) = found.first() {
                ctx.speaker = Some((p.code, p.name));
                break;
            }
        }
        spare.mentions = mentions;
        ctx
    }

    fn slice(&self, s: Span) -> &'a str {
        &self.text[s.start..s.end]
    }

    /// The first word of `s` (a cue's verb), or "". Read from the few
    /// bytes of `s` itself: the same word the index holds there, without
    /// searching the index for it.
    fn first_word(&self, s: Span) -> &'a str {
        matcher::words(self.slice(s)).next().map_or("", |(_, w)| w)
    }

    fn in_quote(&self, s: Span) -> bool {
        self.quotes.iter().any(|q| q.contains(s))
    }

    fn in_condition(&self, s: Span) -> bool {
        self.conditions.iter().any(|c| c.span.contains(s))
    }

    /// The nearest holder-capable party before `pos`, with the parties
    /// coordinated with it ("Ukraine and Russia").
    fn holders_before(&self, pos: usize) -> Vec<Party<'a>> {
        let from = self.subordinate_start(pos).unwrap_or(self.span.start);
        let parties = &self.parties;
        // The candidates: the parties from `from` to `pos` outside a
        // condition, told by their index among all.
        let candidate = |k: usize| {
            let p = &parties[k];
            p.span.start >= from && p.span.end <= pos && !self.in_condition(p.span)
        };
        // The last candidate before index `j` that `f` accepts.
        let last_before = |j: usize, f: &dyn Fn(&Party) -> bool| (0..j).rev().find(|&k| candidate(k) && f(&parties[k]));
        // A party introduced by a preposition of direction or company is a
        // recipient, not a subject ("a memorandum to Ukraine demanding").
        let Some(mut i) = last_before(parties.len(), &|p| p.holder && !self.after_preposition(p)) else {
            return Vec::new();
        };
        // An appositive is not the subject: "Yuri Ushakov, the adviser to
        // President Putin, said", "Pakistan, a key U.S. ally, has refused".
        if self.text[parties[i].span.end..pos].matches(',').count() == 1 {
            let subject = parties[i].span;
            let head = last_before(i, &|p| {
                p.holder
                    && p.span.end <= subject.start
                    && self.text[p.span.end..subject.start].trim_start().starts_with(',')
            });
            if let Some(h) = head
                && self.text[parties[h].span.end..pos].matches(',').count() == 2
            {
                i = h;
            }
        }
        let mut out = vec![parties[i]];
        let mut j = i;
        while let Some(k) = last_before(j, &|_| true) {
            let (prev, next) = (&parties[k], &parties[j]);
            // The two parties of "both sides" share one span.
            let between = self.text[prev.span.end.min(next.span.start)..next.span.start].trim();
            if prev.span == next.span || matches!(between, "and" | "," | "and the" | "as well as" | "or") {
                out.insert(0, *prev);
                j = k;
            } else {
                break;
            }
        }
        self.collective(out)
    }

    /// Three or more coordinated members of a collective speak as the
    /// collective ("France, Germany and Britain" → EUR, SPEC §2).
    fn collective(&self, holders: Vec<Party<'a>>) -> Vec<Party<'a>> {
        if holders.len() < 3 {
            return holders;
        }
        for (code, members) in &self.lex.members {
            let inside = holders.iter().filter(|p| members.iter().any(|m| m == p.code)).count();
            if inside >= 3 {
                let first = holders.iter().find(|p| members.iter().any(|m| m == p.code)).copied();
                let mut out: Vec<Party> = holders
                    .into_iter()
                    .filter(|p| !members.iter().any(|m| m == p.code))
                    .collect();
                if let Some(mut first) = first {
                    first.code = code;
                    out.push(first);
                }
                return out;
            }
        }
        holders
    }

    /// Whether a party is the object of a preposition ("a memorandum to
    /// Ukraine", "students throughout Indonesia"), so not a subject.
    fn after_preposition(&self, p: &Party) -> bool {
        let mut before = self.words.within(self.span.start, p.span.start).rev().map(|(_, w)| w);
        let Some(last) = before.next() else {
            return false;
        };
        // "In" after a role noun is a seat ("officials in Moscow said"),
        // "of" after one its owner ("the president of Russia"); after any
        // other noun both govern an object ("the city of Algiers").
        if matches!(last, "in" | "of") {
            return !before.next().is_some_and(|w| self.lex.is_role_noun(w));
        }
        PREPOSITIONS.contains(&last)
    }

    /// The subject of the clause containing `pos`: the first party, not
    /// governed by a preposition, within the clause's first words (after
    /// the sentence start, "that", a colon or a report verb).
    fn subject(&self, pos: usize) -> Option<Party<'a>> {
        let before = &self.text[self.span.start..pos];
        let mut start = self.span.start;
        for (i, w) in self.words.within(self.span.start, pos) {
            if w == "that" {
                start = self.span.start + i + w.len();
            }
        }
        if let Some(colon) = before.rfind(':') {
            start = start.max(self.span.start + colon + 1);
        }
        // A reported clause has its own subject: "Axios claimed it
        // included ..., and offering".
        if let Some(report) = self
            .reports
            .iter()
            .rfind(|r| r.end <= pos && !self.text[r.end..pos].trim_start().starts_with("to "))
        {
            start = start.max(report.end);
        }
        let opening: Vec<(usize, &str)> = self.words.within(start, pos).take(8).collect();
        let limit = opening.last().map_or(start, |(i, w)| start + i + w.len());
        self.parties
            .iter()
            .find(|p| {
                p.holder
                    && p.span.start >= start
                    && p.span.end <= limit
                    && !self.after_preposition(p)
                    && !self.in_condition(p.span)
            })
            .cloned()
    }

    /// Start of a subordinate clause with its own subject between the
    /// parties before `pos` and `pos` ("... as the opposition threatened").
    fn subordinate_start(&self, pos: usize) -> Option<usize> {
        // Back from `pos`, each word with the one after it.
        let mut next: Option<&str> = None;
        for (i, conj) in self.words.within(self.span.start, pos).rev() {
            if let Some(next) = next
                && SUBORDINATORS.contains(&conj)
                && DETERMINERS.contains(&&*matcher::lowercase(next))
            {
                return Some(self.span.start + i + conj.len());
            }
            next = Some(conj);
        }
        None
    }

    /// The nearest party shortly after `pos` (passive "by X"), with the
    /// parties coordinated with it.
    fn holders_after(&self, pos: usize) -> Vec<Party<'a>> {
        let mut out: Vec<Party> = Vec::new();
        let mut from = pos;
        for p in self.parties.iter().filter(|p| p.span.start >= pos) {
            let between = self.text[from..p.span.start].trim();
            let gap_ok = if out.is_empty() {
                between.split_whitespace().count() <= 4 && !between.contains([',', ';'])
            } else {
                matches!(between, "and" | "," | "and the" | "as well as")
            };
            if !gap_ok {
                break;
            }
            if p.holder || !out.is_empty() {
                out.push(*p);
                from = p.span.end;
            }
        }
        self.collective(out)
    }

    /// Start of the clause containing `pos`: after the last comma, colon,
    /// opening quote or "that" before it, at most `max_words` back.
    fn clause_start(&self, pos: usize, max_words: usize) -> usize {
        let before = &self.text[self.span.start..pos];
        let mut start = self.span.start;
        for (i, c) in before.char_indices() {
            if matches!(c, ',' | ';' | ':' | '“' | '—') {
                start = self.span.start + i + c.len_utf8();
            }
        }
        for (i, w) in self.words.within(self.span.start, pos) {
            if w == "that" || w == "which" || w == "who" {
                start = start.max(self.span.start + i + w.len());
            }
        }
        let words: Vec<(usize, &str)> = self.words.within(start, pos).collect();
        if words.len() > max_words {
            start += words[words.len() - max_words].0;
        }
        start
    }

    /// The object of a verb in an object relative clause ("the plan that
    /// Hamas rejected", "conditions which Kyiv has long rejected as
    /// unacceptable, including ..."): the verb's own object is missing (or
    /// only "as ..."), and `holder` follows "that" or "which" after a noun.
    /// The object then runs from that noun phrase (up to three words back,
    /// within the clause) to the end of the verb's object, so that what
    /// the noun is said to include counts too.
    fn relative_object(&self, holder: Span, object: Span) -> Option<Span> {
        let own = self.slice(object).trim_start_matches([' ', ',']);
        let gapped = own.is_empty() || own.starts_with("as ") || own.starts_with(['.', ';']);
        if !gapped {
            return None;
        }
        let before = &self.text[self.span.start..holder.start];
        let mut words = self.words.within(self.span.start, holder.start).rev();
        let (that_at, that) = words.next()?;
        let (noun_at, noun) = words.next()?;
        let gap = &before[noun_at + noun.len()..that_at];
        let is_noun = noun.chars().all(|c| c.is_lowercase())
            && !noun.ends_with("ed")
            && !matches!(
                noun,
                "said" | "says" | "say" | "told" | "and" | "or" | "but" | "so" | "is" | "was" | "are"
            );
        if !matches!(that, "that" | "which") || !gap.trim().is_empty() || !is_noun {
            return None;
        }
        // The noun phrase: the noun and up to two modifiers before it,
        // stopping at punctuation or a verb-like word.
        let mut start = noun_at;
        for (at, w) in words.take(2) {
            let between = &before[at + w.len()..start];
            let preposition = matches!(
                w,
                "over" | "on" | "in" | "at" | "to" | "for" | "with" | "from" | "by" | "of" | "about" | "against"
            );
            if !between.trim().is_empty() || preposition || w.ends_with("ed") || !w.chars().all(char::is_alphabetic) {
                break;
            }
            start = at;
        }
        let start = self.span.start + start;
        // What the noun is said to include follows the clause: "...,
        // including surrendering territory".
        let end = object.end.max(holder.end);
        let rest = &self.text[end..self.span.end];
        let listed = rest.trim_start_matches([',', ' ']);
        let end = if listed.starts_with("including ") || listed.starts_with("such as ") {
            self.span.end - (rest.len() - rest.trim_end_matches(['.', ' ', '”', '"']).len())
        } else {
            end
        };
        (start < end).then(|| Span::new(start, end))
    }

    /// Whether the cue at `anchor` is a verb coordinated with what precedes
    /// it ("... and threatens to"), or a participle clause after a comma
    /// that shares the main clause's subject ("..., dismissing the plan").
    fn coordinated(&self, anchor: Span) -> bool {
        let before = &self.text[self.span.start..anchor.start];
        let first = self.first_word(anchor);
        if before.trim_end().ends_with(',') && first.ends_with("ing") {
            return true;
        }
        // "and threatens", "and also threatens", "and to try to".
        self.words
            .within(self.span.start, anchor.start)
            .rev()
            .map(|(_, w)| w)
            .take(4)
            .skip_while(|w| AUXILIARIES.contains(w) || w.ends_with("ly"))
            .take(1)
            .any(|w| w == "and" || w == "but")
    }

    /// Whether a clause states a fact rather than asks for something: its
    /// first finite verb is indicative ("the dispute is bilateral", "talks
    /// were going well", "it will not work") and not an obligation ("must",
    /// "should", "has to", "be lifted").
    fn statement_of_fact(&self, clause: Span) -> bool {
        let words: Vec<&str> = self
            .words
            .within(clause.start, clause.end)
            .take(8)
            .map(|(_, w)| w)
            .collect();
        for (i, w) in words.iter().enumerate() {
            let next = words.get(i + 1).copied().unwrap_or("");
            let mut lower = [0; 8];
            match matcher::ascii_lowercase(w, &mut lower) {
                "must" | "should" | "be" => return false,
                "has" | "have" | "had" | "need" | "needs" if next == "to" => return false,
                "is" | "are" | "was" | "were" | "has" | "have" | "had" | "will" | "would" | "can" | "could"
                | "remains" | "remained" => return !(next == "have" || next == "need"),
                _ => {}
            }
        }
        false
    }

    /// Whether the cue's verb is in the past ("agreed", "have agreed").
    fn past(&self, anchor: Span) -> bool {
        let first = self.first_word(anchor);
        let perfect = self
            .words
            .within(self.span.start, anchor.start)
            .next_back()
            .is_some_and(|(_, w)| matches!(w, "have" | "has" | "had"));
        first.ends_with("ed") || perfect
    }

    /// A verb in its bare form right after a named subject: "that Taipei
    /// accept", "that Ukraine withdraw" (not "Ukraine accepts", "Ukraine
    /// will accept").
    fn subjunctive(&self, anchor: Span) -> bool {
        let first = self.first_word(anchor);
        let bare = !(first.ends_with('s') || first.ends_with("ed") || first.ends_with("ing"));
        let after_subject = self
            .parties
            .iter()
            .any(|p| !p.pronoun && p.span.end <= anchor.start && self.text[p.span.end..anchor.start].trim().is_empty());
        bare && after_subject
    }

    /// An infinitive of purpose or a gerund after a preposition: "to
    /// demand", "in demanding".
    fn infinitive_or_gerund(&self, anchor: Span) -> bool {
        let Some((_, last)) = self.words.within(self.span.start, anchor.start).next_back() else {
            return false;
        };
        let first = self.first_word(anchor);
        (last == "to" && !first.ends_with("ed"))
            || (matches!(last, "in" | "by" | "while" | "after") && first.ends_with("ing"))
    }

    /// A verb in the passive ("was rejected by Kyiv", "are wanted at
    /// home"): the agent after "by", or nobody.
    fn passive_agent(&self, anchor: Span) -> Option<Vec<Party<'a>>> {
        let first = self.first_word(anchor);
        if !(first.ends_with("ed") || first.ends_with("en")) {
            return None;
        }
        let be = self
            .words
            .within(self.span.start, anchor.start)
            .rev()
            .map(|(_, w)| w)
            .take(3)
            .skip_while(|w| w.ends_with("ly") || matches!(*w, "not" | "also" | "being" | "been"))
            .take(1)
            .any(|w| matches!(w, "is" | "are" | "was" | "were" | "be" | "been" | "being"));
        let after_verb = anchor.start + self.slice(anchor).find(' ').unwrap_or(anchor.end - anchor.start);
        let after = self.text[after_verb..self.span.end].trim_start();
        if !be || after.starts_with("to ") {
            return None;
        }
        Some(if after.starts_with("by ") {
            self.holders_after(after_verb)
        } else {
            Vec::new()
        })
    }

    /// The subject or possessor right before `anchor` (past auxiliaries
    /// and adverbs, or one adjective): "Russia demands", "Moscow's other
    /// demands", "the U.S. proposal", "its proposals". `None` for a noun
    /// without one ("conflicting demands", "hostage-takers' demands").
    fn subject_before(&self, anchor: Span) -> Option<Party<'a>> {
        let mut skipped = 0;
        for (i, w) in self.words.within(self.span.start, anchor.start).rev().take(4) {
            let start = self.span.start + i;
            let end = start + w.len();
            // The party ending this word, possibly before a possessive 's.
            // An alias may end in the word's period ("the U.S. demand").
            let party = self.parties.iter().rfind(|p| {
                p.span.end > start.saturating_sub(1)
                    && if p.span.end <= end {
                        end - p.span.end <= "’s".len()
                    } else {
                        &self.text[end..p.span.end] == "."
                    }
            });
            if let Some(p) = party {
                return Some(*p);
            }
            let lower = matcher::lowercase(w);
            if lower.ends_with("'s") || lower.ends_with("’s") || lower.ends_with('\'') {
                return None;
            }
            if AUXILIARIES.contains(&&*lower) || lower.ends_with("ly") || skipped == 0 {
                skipped += 1;
                if skipped > 2 {
                    return None;
                }
                continue;
            }
            return None;
        }
        None
    }

    /// Whether the cue is the content of an obligation ("Kagame must agree
    /// to", "Russia has to accept").
    fn after_obligation(&self, anchor: Span) -> bool {
        let mut words = self
            .words
            .within(self.span.start, anchor.start)
            .rev()
            .map(|(_, w)| w)
            .skip_while(|w| w.ends_with("ly") || matches!(*w, "also" | "first"));
        match words.next() {
            Some("must") | Some("should") => true,
            Some("to") => words
                .next()
                .is_some_and(|w| matches!(w, "has" | "have" | "had" | "need" | "needs")),
            _ => false,
        }
    }

    fn negated(&self, anchor: Span, holder_end: usize) -> bool {
        let from = holder_end.max(self.span.start).min(anchor.start);
        self.words.within(from, anchor.start).rev().take(3).any(|(_, w)| {
            ["not", "never", "cannot", "no"]
                .iter()
                .any(|n| w.eq_ignore_ascii_case(n))
                || matcher::ends_with_ignoring_case(w, "n't")
                || matcher::ends_with_ignoring_case(w, "n’t")
        })
    }

    /// Tries the cue rows starting at `m` and returns the first that fits:
    /// the row, its gap span and the end of its closing words.
    fn fit(&self, m: &CueMatch) -> Option<(usize, &'a Pattern, Option<Span>, usize)> {
        for &i in m.cues {
            let p = &self.lex.cues[i].pattern;
            match &p.gap {
                None => return Some((i, p, None, m.span.end)),
                Some((_, closers)) => {
                    if let Some((gap, end)) = self.find_closer(m.span.end, closers) {
                        return Some((i, p, Some(gap), end));
                    }
                }
            }
        }
        None
    }

    /// Finds one of `closers` within 12 words after `from`: the gap before it
    /// and the end of the closer.
    fn find_closer(&self, from: usize, closers: &[String]) -> Option<(Span, usize)> {
        let rest = &self.text[from..self.span.end];
        for (n, (i, w)) in self.words.within(from, self.span.end).enumerate() {
            // The gap is a noun phrase: no clause or list boundary inside.
            if n > 12 || w == "that" || rest[..i].contains([',', ';']) {
                break;
            }
            let tail = &rest[i..];
            for c in closers {
                if tail.len() >= c.len()
                    && tail.is_char_boundary(c.len())
                    && tail[..c.len()].eq_ignore_ascii_case(c)
                    && matcher::on_word_boundaries(tail, 0, c.len(), false)
                    && i > 0
                {
                    return Some((Span::new(from, from + i), from + i + c.len()));
                }
            }
        }
        None
    }

    fn claims(
        &self,
        sentence_index: usize,
        out: &mut Vec<ClaimView<'a>>,
        room: &mut ClaimRoom<'a>,
        mut notes: Option<&mut Vec<CueNote>>,
    ) {
        let lex = self.lex;
        // Decisions are written only for a trace: the closure that words
        // one runs only then.
        let mut note = |m: &CueMatch, decision: &dyn Fn() -> String| {
            if let Some(n) = notes.as_deref_mut() {
                n.push(CueNote {
                    cue: self.slice(m.span).to_string(),
                    decision: decision(),
                });
            }
        };
        // This sentence's claims start here in `out`.
        let first = out.len();
        let ClaimRoom {
            objects,
            previous_holders,
            holder_codes,
            findings,
        } = room;
        objects.clear();
        previous_holders.clear();
        for (k, m) in self.cues.iter().enumerate() {
            if self.in_condition(m.span) {
                note(m, &|| "dropped: inside a condition clause, so hypothetical".into());
                continue;
            }
            let Some((row, pattern, gap, cue_end)) = self.fit(m) else {
                note(m, &|| "dropped: the construction's closing words are missing".into());
                continue;
            };
            let cue = &lex.cues[row];
            let CueKind::Stance(mut stance) = cue.kind else {
                continue;
            };
            if self.after_obligation(m.span) {
                note(m, &|| {
                    "dropped: what someone must do is another party's demand, not a stance".into()
                });
                continue;
            }
            let possessor = if cue.needs == Needs::Subject {
                let owner = self
                    .parties
                    .iter()
                    .find(|p| p.span.start < m.span.start && p.span.end == m.span.end);
                match owner.cloned().or_else(|| self.subject_before(m.span)) {
                    Some(p) => Some(p),
                    None => {
                        note(m, &|| "dropped: a noun here, without its holder right before it".into());
                        continue;
                    }
                }
            } else {
                None
            };
            // A cue inside another cue's object is that cue's content
            // ("persuade Russia to accept", "accomplish its demands")
            // unless it opens a clause with a subject of its own ("warned
            // that Moscow will seek").
            let outer_cue = objects.iter().find(|(o, _)| o.contains(m.span)).copied();
            let outer = outer_cue.map(|(o, _)| o);
            // "demanded that Taipei accept ...": a verb in its bare form
            // right after its subject is what the demand asks, not a stance
            // of that subject.
            if outer_cue.is_some_and(|(_, s)| s == Stance::Demand) && self.subjunctive(m.span) {
                note(m, &|| "dropped: what an earlier demand asks (subjunctive)".into());
                continue;
            }
            let preceded_by_to = self.text[self.span.start..m.span.start].trim_end().ends_with(" to");
            if outer.is_some() && preceded_by_to {
                note(m, &|| {
                    format!(
                        "dropped: content of an earlier cue's object (\"to {}\")",
                        self.slice(m.span)
                    )
                });
                continue;
            }

            // Holder.
            let passive = if pattern.before == Some(Slot::Holder) {
                self.passive_agent(m.span)
            } else {
                None
            };
            let possessor_noun = possessor.is_some();
            // Asked up to three times below, worked out once.
            let coordinated = std::cell::OnceCell::new();
            let coordinated = || *coordinated.get_or_init(|| self.coordinated(m.span));
            let mut holders: Vec<Party> = if let Some(p) = possessor {
                vec![p]
            } else if pattern.after == Some(Slot::Holder) {
                self.holders_after(cue_end)
            } else if pattern.before == Some(Slot::Target) {
                // "Russia said Sudan must", "Chirac reminded Iraq that it
                // must": the speaker, else the sentence's subject.
                let target_start = self
                    .parties
                    .iter()
                    .rfind(|p| p.span.end <= m.span.start)
                    .map_or(m.span.start, |p| p.span.start);
                self.speaker
                    .as_ref()
                    .and_then(|_| self.speaker_or_last())
                    .or_else(|| self.subject(target_start))
                    .or_else(|| self.speaker_or_last())
                    .into_iter()
                    .collect()
            } else if let Some(agent) = passive.clone() {
                // Before coordination: "... and are wanted at home" has no
                // holder, "... and was rejected by Kyiv" its agent.
                agent
            } else if coordinated() && !previous_holders.is_empty() {
                previous_holders.clone()
            } else if coordinated() || self.infinitive_or_gerund(m.span) {
                // "... and would deny", "staged protests to demand", "joined
                // them in demanding": the clause's subject holds it; after
                // reported speech ("..., Araghchi said, rejecting") the
                // speaker.
                self.subject(m.span.start)
                    .or_else(|| {
                        self.speaker
                            .as_ref()
                            .filter(|_| coordinated())
                            .and_then(|_| self.speaker_or_last())
                    })
                    .into_iter()
                    .collect()
            } else {
                // Without a subject of its own, a quoted stance or a
                // construction with no HOLDER slot ("the proposals would
                // include") belongs to the speaker.
                let found = self.holders_before(m.span.start);
                if found.is_empty() && (self.in_quote(m.span) || !pattern.has(Slot::Holder)) {
                    self.speaker_or_last().into_iter().collect()
                } else {
                    found
                }
            };
            holders.retain(|h| h.code != "NONE");
            // "Both sides agreed" reports an event; "both sides agree to ..."
            // in a plan's steps describes what the plan asks.
            if !holders.is_empty() && holders.iter().all(|h| h.pair) && !self.past(m.span) {
                note(m, &|| {
                    "dropped: \"both sides\" with a verb not in the past describes a plan".into()
                });
                continue;
            }
            if holders.is_empty() {
                note(m, &|| {
                    format!("dropped: no party holds this {} (pattern {:?})", stance, cue.source)
                });
                continue;
            }
            if let Some(o) = outer
                && !holders.iter().all(|h| !h.pronoun && o.contains(h.span))
            {
                note(m, &|| {
                    "dropped: inside an earlier cue's object without a subject of its own".into()
                });
                continue;
            }
            previous_holders.clone_from(&holders);

            // Object.
            // In the passive the object is the subject: "the plan was
            // rejected by Kyiv".
            let object = if pattern.before == Some(Slot::Object) || passive.is_some() {
                Span::new(self.clause_start(m.span.start, 12), m.span.start)
            } else if pattern.after == Some(Slot::Object) || pattern.after.is_none() {
                let start = if pattern.gap.as_ref().is_some_and(|g| g.0 == Slot::Object) {
                    gap.map_or(cue_end, |g| g.start)
                } else {
                    cue_end
                };
                Span::new(start, self.object_end(start, &self.cues[k + 1..]))
            } else {
                Span::new(cue_end, cue_end)
            };
            let object = if let (Some(g), Some((Slot::Object, _))) = (gap, &pattern.gap) {
                if pattern.after.is_none() {
                    g
                } else {
                    Span::new(g.start, object.end)
                }
            } else {
                object
            };
            // A noun's object is its complement ("proposals for a
            // ceasefire"), up to the first comma, unless a verb follows
            // ("demands include that ..., ...").
            let object = if possessor_noun {
                let text = self.slice(object);
                let verb_follows = self
                    .words
                    .within(object.start, object.end)
                    .next()
                    .is_some_and(|(_, w)| {
                        matches!(
                            w,
                            "include" | "includes" | "included" | "are" | "is" | "was" | "were" | "would" | "will"
                        )
                    });
                match text.find(',') {
                    Some(comma) if !verb_follows => Span::new(object.start, object.start + comma),
                    _ => object,
                }
            } else {
                object
            };
            // A relative clause leaves the verb without its object: what
            // "conditions that Ukraine has long rejected as unacceptable,
            // including ..." rejects is the noun the clause hangs on.
            let object = match holders.first() {
                Some(h) if !possessor_noun => self.relative_object(h.span, object).unwrap_or(object),
                _ => object,
            };
            objects.push((object, stance));

            // Condition: inside the object, or leading the cue. After a
            // concession verb, "for" introduces the price ("give up the bid
            // for security guarantees").
            let concession = stance == Stance::Offer
                && CONCESSION_VERBS
                    .iter()
                    .any(|v| matcher::ends_with_ignoring_case(self.slice(m.span), v));
            let price = if concession { self.price_clause(object) } else { None };
            let holder_end = holders.last().map_or(self.span.start, |h| h.span.end);
            let condition = self
                .conditions
                .iter()
                .find(|c| {
                    (c.span.start >= object.start && c.span.start < object.end.max(object.start + 1))
                        || (c.span.end <= m.span.start && c.span.start >= self.clause_start_for_condition(m.span.start))
                })
                .copied()
                .or(price);

            if cue.needs == Needs::Condition && condition.is_none() {
                note(m, &|| {
                    format!("dropped: {stance} only on a condition, and none is stated")
                });
                continue;
            }
            if cue.needs == Needs::Directive && self.statement_of_fact(object) {
                note(m, &|| "dropped: its content states a fact, it asks for nothing".into());
                continue;
            }
            if self.negated(m.span, holder_end.min(m.span.start)) {
                match cue.negated {
                    Some(s) => stance = s,
                    None => {
                        note(m, &|| format!("dropped: negated {stance} has no opposite"));
                        continue;
                    }
                }
            }
            if stance == Stance::Accept && condition.is_some() {
                stance = Stance::Offer;
            }

            // Target.
            holder_codes.clear();
            holder_codes.extend(holders.iter().map(|h| h.code));
            let target = if pattern.before == Some(Slot::Target) {
                self.parties
                    .iter()
                    .rfind(|p| p.span.end <= m.span.start && !holder_codes.contains(&p.code))
                    .map(|p| p.code)
            } else if let (Some(g), Some((Slot::Target, _))) = (gap, &pattern.gap) {
                self.first_party_in(g, holder_codes)
            } else {
                None
            }
            .or_else(|| self.first_party_in_object(object, holder_codes))
            .or_else(|| {
                // The recipient between holder and cue: "sent a memorandum
                // to Ukraine demanding", "a reminder to Iraq that it must".
                let between = Span::new(holder_end.min(m.span.start), m.span.start);
                self.first_party_in(between, holder_codes)
            })
            .or_else(|| condition.and_then(|c| self.first_party_in(c.span, holder_codes)))
            .unwrap_or_default();

            // What a proposal asks of another party ("Israel withdrawing
            // its troops") is a demand on it; the rest is offered (SPEC §6).
            findings.clear();
            let items;
            let parts = if stance == Stance::Offer {
                items = self.items(object);
                items.as_slice()
            } else {
                std::slice::from_ref(&object)
            };
            for &part in parts {
                // The condition is what the holder asks in return, already a
                // demand of its own.
                let core = condition
                    .filter(|c| part.contains(c.span))
                    .map_or(part, |c| Span::new(part.start, c.span.start.max(part.start)));
                let asked = self
                    .actor_of(part, holder_codes)
                    .or_else(|| self.restricted(core, holder_codes));
                let (part_stance, part_target) = match asked {
                    Some(code) if stance == Stance::Offer => (Stance::Demand, code),
                    _ => (stance, target),
                };
                for issue in self.issues_in(part, condition.map(|c| c.span)) {
                    if !findings.iter().any(|f| f.0 == issue && f.1 == part_stance) {
                        findings.push((issue, part_stance, part_target));
                    }
                }
            }
            if findings.is_empty()
                && let Some(c) = condition
                && let Some(issue) = self.issues_in(c.span, None).first()
            {
                findings.push((issue, stance, target));
            }
            // "rejected the demand", "welcomed the proposal": the issues of
            // the claim it refers back to.
            if findings.is_empty()
                && let Some(kind) = anaphor(self.slice(object))
                && let Some(antecedent) = out
                    .iter()
                    .rev()
                    .find(|c| c.stance == kind && c.issue != "other" && sentence_index.saturating_sub(c.sentence) <= 2)
            {
                for c in out.iter().rev().take_while(|c| c.sentence == antecedent.sentence) {
                    let issue = crate::lexicon::ISSUES.iter().find(|i| **i == c.issue);
                    if c.party == antecedent.party
                        && c.stance == kind
                        && let Some(&issue) = issue
                        && !findings.iter().any(|f| f.0 == issue)
                    {
                        findings.push((issue, stance, antecedent.party));
                    }
                }
            }
            if findings.is_empty() {
                findings.push(("other", stance, target));
            }
            let mode = if self.in_quote(m.span) {
                Mode::Quote
            } else {
                Mode::Reported
            };
            let object_text = self.object_text(object, condition);
            note(m, &|| {
                format!(
                    "{} {} on {} (pattern {:?}; holder {}; target {}; object {:?}{})",
                    holders.iter().map(|h| h.code).collect::<Vec<_>>().join("+"),
                    stance,
                    findings
                        .iter()
                        .map(|(issue, st, _)| if *st == stance {
                            issue.to_string()
                        } else {
                            format!("{issue} ({st})")
                        })
                        .collect::<Vec<_>>()
                        .join(", "),
                    cue.source,
                    holders
                        .iter()
                        .map(|h| self.slice(h.span))
                        .collect::<Vec<_>>()
                        .join(" + "),
                    if target.is_empty() { "-" } else { &target },
                    object_text,
                    condition.map_or(String::new(), |c| format!("; condition {:?}", self.slice(c.span)))
                )
            });
            let condition_text = condition.map_or("", |c| self.slice(c.span));
            for holder in &holders {
                for (issue, stance, target) in findings.iter() {
                    self.push(
                        out,
                        first,
                        ClaimParts {
                            holder,
                            stance: *stance,
                            issue,
                            target,
                            object: object_text,
                            condition: condition_text,
                            mode,
                            sentence: sentence_index,
                            cue: self.slice(m.span),
                        },
                    );
                }
                // A conditional concession asks for something in return.
                if stance == Stance::Offer
                    && let Some(c) = condition
                    && let Some(issue) = self.issues_in(c.span, None).first()
                {
                    let target = self.first_party_in(c.span, holder_codes).unwrap_or_default();
                    self.push(
                        out,
                        first,
                        ClaimParts {
                            holder,
                            stance: Stance::Demand,
                            issue,
                            target,
                            object: self.slice(c.span),
                            condition: "",
                            mode,
                            sentence: sentence_index,
                            cue: self.slice(m.span),
                        },
                    );
                }
            }
        }
    }

    /// The items of a list in an object: "the release of hostages, Israel
    /// withdrawing its troops and an agreement to end the war".
    fn items(&self, object: Span) -> Vec<Span> {
        let text = &self.text[object.start..object.end];
        let mut out = Vec::new();
        let mut from = 0;
        let mut words = self.words.within(object.start, object.end).peekable();
        while let Some((i, w)) = words.next() {
            let comma = text[from..i].trim_end().ends_with([',', ';']) && i > from;
            // "aid and fuel trucks", "withdrawing troops and allowing aid":
            // a bare word after "and" goes on with the same item; a new
            // item opens with a determiner or a name ("and an agreement",
            // "and Israel withdrawing").
            let bare = words
                .peek()
                .is_some_and(|(_, next)| next.starts_with(char::is_lowercase) && !DETERMINERS.contains(next));
            let and_splits = w == "and" && (!bare || text[..i].trim_end().ends_with(','));
            if and_splits || (comma && !matches!(w, "which" | "who")) {
                let end = text[..i].trim_end().trim_end_matches([',', ';']).len();
                if end > from {
                    out.push(Span::new(object.start + from, object.start + end));
                }
                from = if w == "and" { i + w.len() } else { i };
            }
        }
        if from < text.len() {
            out.push(Span::new(object.start + from, object.end));
        }
        out
    }

    /// The party an item opens with as the subject of a verb ("Israel
    /// withdrawing its troops", "that Israel allow aid"), when it is
    /// another party than the holder and is named (not a bare adjective
    /// nor a pronoun): the one the item asks something of.
    fn actor_of(&self, item: Span, holders: &[&str]) -> Option<&'a str> {
        let text = self.slice(item);
        let lead = text.len() - text.trim_start().len();
        let lead = lead + text.trim_start().strip_prefix("that ").map_or(0, |_| "that ".len());
        let p = self
            .parties
            .iter()
            .find(|p| p.span.start == item.start + lead && p.span.end <= item.end && !p.pronoun)?;
        let next = self.words.within(p.span.end, item.end).next().map(|(_, w)| w)?;
        let verb_like =
            next.starts_with(|c: char| c.is_lowercase()) && !DETERMINERS.contains(&next) && !next.ends_with("'s");
        (verb_like && p.holder && !holders.contains(&p.code) && p.code != "NONE").then_some(p.code)
    }

    /// The party an item restricts ("limitations on Iran's enrichment", "a
    /// downsizing of its nuclear infrastructure"): a proposal's limits on
    /// another party are what it asks of that party.
    fn restricted(&self, item: Span, holders: &[&str]) -> Option<&'a str> {
        // The restricted party follows as the owner of what is limited:
        // "limits on Iran's enrichment", "a downsizing of its
        // infrastructure" (not "missiles in Europe").
        let owner = |p: &&Party| {
            !holders.contains(&p.code)
                && p.code != "NONE"
                && (self.text[p.span.end..].starts_with(['\'', '’']) || matches!(self.slice(p.span), "its" | "their"))
        };
        // Most items have no such owner: their words need not be read.
        if !self.parties.iter().any(|p| item.contains(p.span) && owner(&p)) {
            return None;
        }
        let at = self
            .words
            .within(item.start, item.end)
            .find(|(_, w)| RESTRICTIONS.iter().any(|r| matcher::starts_with_ignoring_case(w, r)))?
            .0;
        let after = Span::new(item.start + at, item.end);
        self.parties
            .iter()
            .find(|p| after.contains(p.span) && owner(p))
            .map(|p| p.code)
    }

    /// The "for ..." phrase of a concession's object, as a condition.
    fn price_clause(&self, object: Span) -> Option<Condition> {
        let at = self
            .words
            .within(object.start, object.end)
            .find(|(_, w)| *w == "for")
            .map(|(i, _)| i)?;
        let start = object.start + at;
        let end = self.text[start..object.end]
            .find([';'])
            .map_or(object.end, |i| start + i);
        let end = start + self.text[start..end].trim_end_matches(['.', ',', ' ']).len();
        Some(Condition {
            span: Span::new(start, end),
            after_comma: false,
        })
    }

    fn speaker_or_last(&self) -> Option<Party<'a>> {
        self.speaker.or(self.last_speaker).map(|(code, name)| Party {
            span: Span::new(self.span.start, self.span.start),
            code,
            name,
            holder: true,
            pronoun: false,
            pair: false,
        })
    }

    fn clause_start_for_condition(&self, pos: usize) -> usize {
        // A leading condition belongs to the next cue when no other cue
        // stands between them.
        self.cues
            .iter()
            .filter(|c| c.span.end <= pos && !self.in_condition(c.span))
            .map(|c| c.span.end)
            .next_back()
            .unwrap_or(self.span.start)
    }

    /// Where an object starting at `start` ends.
    fn object_end(&self, start: usize, later: &[CueMatch]) -> usize {
        let mut end = self.span.end;
        if let Some(semi) = self.text[start..self.span.end].find(';') {
            end = start + semi;
        }
        for c in later.iter().filter(|c| c.span.start >= start) {
            if c.span.start >= end {
                break;
            }
            if self.coordinated(c.span) && !self.in_condition(c.span) {
                end = c.span.start;
                break;
            }
        }
        // Reported speech after the content ends it ("..., Putin said"); a
        // parenthetical one right at the start does not ("demands,
        // according to the document, are ...").
        for r in &self.reports {
            if r.start > start && r.start < end && self.words.within(start, r.start).nth(1).is_some() {
                end = r.start;
                // Leave out the reporting subject too ("..., officials told").
                if let Some(p) = self.parties.iter().rfind(|p| {
                    p.span.end <= end && p.span.start > start && self.text[p.span.end..end].trim().is_empty()
                }) {
                    end = p.span.start;
                }
            }
        }
        // ", writing that ...", ", saying ...": a participle clause after a
        // comma is the speaker's comment, not the content; what follows
        // "as a precondition for" is the purpose, not the content.
        for (i, w) in self.words.within(start, end) {
            let at = start + i;
            let after_comma = || self.text[start..at].trim_end().ends_with(',');
            if (w.len() > 5 && matcher::ends_with_ignoring_case(w, "ing") && after_comma())
                || matcher::starts_with_ignoring_case(w, "precondition")
                || matcher::starts_with_ignoring_case(w, "prerequisite")
            {
                end = at;
                break;
            }
        }
        for c in &self.conditions {
            if c.after_comma && c.span.start > start && c.span.start < end {
                end = c.span.start;
            }
        }
        // ", and Turkey rejected ...": a new clause with its own subject.
        if let Some(p) = self.parties.iter().find(|p| {
            p.holder && !p.pronoun && p.span.start > start && p.span.end < end && {
                let before = self.text[start..p.span.start].trim_end();
                [", and", ", but", ", while", ", whereas"]
                    .iter()
                    .any(|c| before.ends_with(c))
            }
        }) {
            end = start
                + self.text[start..p.span.start]
                    .rfind(',')
                    .expect("ends with a comma clause");
        }
        end.max(start)
    }

    fn first_party_in(&self, span: Span, exclude: &[&str]) -> Option<&'a str> {
        self.parties
            .iter()
            .find(|p| span.contains(p.span) && !exclude.contains(&p.code) && p.code != "NONE")
            .map(|p| p.code)
    }

    fn first_party_in_object(&self, object: Span, exclude: &[&str]) -> Option<&'a str> {
        self.parties
            .iter()
            .find(|p| {
                object.contains(p.span) && !self.in_condition(p.span) && !exclude.contains(&p.code) && p.code != "NONE"
            })
            .map(|p| p.code)
    }

    /// Distinct issues of the phrases in `span` outside condition clauses
    /// (unless `span` is itself a condition) and outside `exclude`. A vehicle word ("plan") with
    /// an end-of-war purpose right after it is one peace-deal mention ("a
    /// plan to end the war"); beside a ceasefire word it is that ceasefire
    /// ("a ceasefire deal", "proposals for a truce"); alone it names a peace
    /// deal only when nothing more specific is said.
    fn issues_in(&self, span: Span, exclude: Option<Span>) -> Vec<&'static str> {
        let span_is_condition = self.conditions.iter().any(|c| c.span == span);
        // The issue words in the span, walked as often as needed rather
        // than gathered (a list per cue costs more than walking a few).
        let found = || {
            self.issues.iter().filter(move |m| {
                span.contains(m.span)
                    && (span_is_condition || !self.in_condition(m.span))
                    && !exclude.is_some_and(|x| x.contains(m.span))
            })
        };
        let near = |a: Span, b: Span| {
            let (first, second) = if a.start <= b.start { (a, b) } else { (b, a) };
            first.end <= second.start && self.words.within(first.end, second.start).count() <= 3
        };
        let mut kept: Vec<(&'static str, PhraseRole)> = Vec::new();
        for (i, m) in found().enumerate() {
            let role = match m.role {
                PhraseRole::Purpose
                    if found()
                        .take(i)
                        .any(|v| v.role == PhraseRole::Vehicle && near(v.span, m.span)) =>
                {
                    continue;
                }
                PhraseRole::Vehicle
                    if found()
                        .any(|c| c.issue == "ceasefire" && c.role == PhraseRole::Plain && near(c.span, m.span)) =>
                {
                    continue;
                }
                PhraseRole::Vehicle
                    if found()
                        .skip(i + 1)
                        .any(|p| p.role == PhraseRole::Purpose && near(m.span, p.span)) =>
                {
                    PhraseRole::Plain
                }
                r => r,
            };
            match kept.iter_mut().find(|(issue, _)| *issue == m.issue) {
                Some(k) if role != PhraseRole::Vehicle => k.1 = PhraseRole::Plain,
                Some(_) => {}
                None => kept.push((m.issue, role)),
            }
        }
        let specific = kept.iter().any(|(_, r)| *r != PhraseRole::Vehicle);
        kept.into_iter()
            .filter(|(_, r)| !(specific && *r == PhraseRole::Vehicle))
            .map(|(i, _)| i)
            .collect()
    }

    /// The object's words without its condition clause: the part before
    /// the condition, or after it when only a few words lead it in ("on
    /// Wednesday that if ..., Moscow will ...").
    fn object_text(&self, object: Span, condition: Option<Condition>) -> &'a str {
        let trim = |s: &'a str| {
            let punct = |c: char| c.is_whitespace() || matches!(c, ',' | '.' | ';' | ':' | '“' | '”' | '"');
            let s = s.trim_matches(punct);
            // "rejected the demand and said ...": the conjunction, in any
            // spelling, belongs to the next clause.
            [" and", " &", " but"]
                .iter()
                .find_map(|c| s.strip_suffix(c))
                .unwrap_or(s)
                .trim_matches(punct)
        };
        let whole = trim(self.slice(object));
        let Some(c) = condition.filter(|c| object.contains(c.span)) else {
            return whole;
        };
        let before = trim(&self.text[object.start..c.span.start]);
        let after = trim(&self.text[c.span.end..object.end]);
        if before.split_whitespace().count() <= 3 && !after.is_empty() {
            after
        } else {
            before
        }
    }

    /// Adds the claim to `out` unless the sentence (whose claims start at
    /// `first`) already has one of this party, stance and issue.
    fn push(&self, out: &mut Vec<ClaimView<'a>>, first: usize, c: ClaimParts<'_, 'a>) {
        if out[first..]
            .iter()
            .any(|o| o.party == c.holder.code && o.stance == c.stance && o.issue == c.issue)
        {
            return;
        }
        let original = self.original;
        out.push(ClaimView {
            article: &self.article.id,
            party: c.holder.code,
            speaker: c.holder.name,
            stance: c.stance,
            issue: c.issue,
            target: c.target,
            object: c.object,
            condition: c.condition,
            mode: c.mode,
            sentence: c.sentence,
            start: original.start,
            end: original.end,
            evidence: &self.article.text[original.start..original.end],
            cue: c.cue,
        });
    }
}

/// The stance a definite noun phrase refers back to: "the demand", "these
/// conditions" (a demand), "the proposal", "Washington's offer" (an offer).
fn anaphor(object: &str) -> Option<Stance> {
    let words: Vec<Cow<str>> = matcher::words(object).map(|(_, w)| matcher::lowercase(w)).collect();
    let (first, head) = (words.first()?, words.last()?);
    let definite = matches!(
        &**first,
        "the" | "this" | "these" | "that" | "those" | "such" | "its" | "their" | "his" | "her"
    );
    if !definite || words.len() > 4 {
        return None;
    }
    match &**head {
        "demand" | "demands" | "request" | "requests" | "call" | "calls" | "conditions" | "terms" | "ultimatum" => {
            Some(Stance::Demand)
        }
        "proposal" | "proposals" | "offer" | "offers" | "plan" | "initiative" | "idea" => Some(Stance::Offer),
        _ => None,
    }
}

/// Word stems of limits imposed on a party.
const RESTRICTIONS: &[&str] = &[
    "limit", "cap", "capping", "restrict", "curb", "curtail", "downsiz", "dismantl", "freez", "halt", "reduc",
];

/// Words that may stand between a coordinating "and" and its verb.
const AUXILIARIES: &[&str] = &[
    "to", "also", "would", "will", "could", "can", "may", "might", "should", "has", "have", "had", "is", "are", "was",
    "were", "then", "further", "again", "still", "not", "did", "does", "do", "cannot", "never", "now", "once",
];

/// Prepositions whose object is not the subject of a following verb.
const PREPOSITIONS: &[&str] = &[
    "to",
    "with",
    "against",
    "into",
    "toward",
    "towards",
    "on",
    "at",
    "about",
    "over",
    "throughout",
    "across",
    "near",
    "around",
    "beyond",
    "outside",
    "inside",
    "within",
    "under",
    "between",
    "among",
    "amid",
    "despite",
];

/// Conjunctions that open a clause with its own subject.
const SUBORDINATORS: &[&str] = &[
    "as", "while", "because", "although", "though", "whereas", "when", "after", "before", "since",
];

/// Words that start a noun phrase (the subject after a subordinator).
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "his", "her", "their", "its", "some", "many", "other", "several",
];

/// Verbs of giving something up: after them "for" names the price.
const CONCESSION_VERBS: &[&str] = &[
    "give up",
    "drop",
    "abandon",
    "cede",
    "concede",
    "trade",
    "surrender",
    "renounce",
];

struct ClaimParts<'c, 'a> {
    holder: &'c Party<'a>,
    stance: Stance,
    issue: &'static str,
    target: &'a str,
    object: &'a str,
    condition: &'a str,
    mode: Mode,
    sentence: usize,
    cue: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A claim and its view are the same claim either way round, and the
    /// views handed out are the claims `extract` returns.
    #[test]
    fn views_are_the_claims() {
        let lex = Lexicon::builtin().expect("the built-in lexicon loads");
        let article = Article {
            id: "a1".into(),
            text: "Talks\n\n\u{201c}We will never cede Crimea,\u{201d} Zelenskyy said. The Kremlin demanded that \
                   Ukraine drop its bid to join NATO if sanctions are to be lifted."
                .into(),
            date: Some(20250301),
        };
        let claims = extract(&lex, &article);
        assert!(claims.len() >= 2, "{claims:?}");
        let viewed = extract_with(&lex, &article, |views| {
            assert!(
                views
                    .iter()
                    .all(|v| v.article == "a1" && article.text.contains(v.evidence))
            );
            views.iter().map(ClaimView::to_claim).collect::<Vec<_>>()
        });
        assert_eq!(viewed, claims);
        for c in &claims {
            assert_eq!(&c.view().to_claim(), c);
        }
    }

    /// An object cut where the next clause's report verb starts leaves out
    /// the conjunction before it, however it is written.
    #[test]
    fn an_object_leaves_out_the_conjunction_that_ends_it() {
        let lex = Lexicon::builtin().expect("the built-in lexicon loads");
        for conjunction in ["and", "&", "but"] {
            let article = Article {
                id: "a1".into(),
                text: format!("Talks\n\nZelenskyy rejected the demand {conjunction} said Kyiv would keep fighting."),
                date: Some(20250301),
            };
            let rejected: Vec<_> = extract(&lex, &article)
                .into_iter()
                .filter(|c| c.stance == Stance::Reject)
                .map(|c| c.object)
                .collect();
            assert_eq!(rejected, ["the demand"], "{conjunction}");
        }
    }
}
