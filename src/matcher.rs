//! Finds the lexicon's words in one sentence: party mentions (with
//! pronouns), stance cue anchors, issue phrases, condition clauses, the
//! phrases that name both sides, and quotations, from the matches of one
//! search of the whole text. Everything here is a span in the article
//! text.

use std::borrow::Cow;

use aho_corasick::Anchored;
use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;

use crate::document::Span;
use crate::lexicon::{AliasKind, Lexicon, Phrase, PhraseRole};

/// What a pronoun can refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pronoun {
    /// he, she, his, her
    Person,
    /// they, their
    Plural,
    /// it, its
    Thing,
    /// we, our, us: the speaker of a quotation
    Speaker,
}

/// A party mention as found in the text, before pronouns are resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention<'l> {
    pub span: Span,
    pub what: MentionKind<'l>,
}

/// Codes and names borrow from the lexicon: a mention costs no allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentionKind<'l> {
    /// An alias of the lexicon; `holder` is false for a demonym adjective
    /// not followed by a role noun ("Russian territory"), which can be a
    /// target but not a holder.
    Party {
        code: &'l str,
        kind: AliasKind,
        name: &'l str,
        holder: bool,
        plural: bool,
    },
    Pronoun(Pronoun),
}

/// A stance cue anchor found in the text, with the cue rows it may start
/// (those with a gap first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CueMatch<'l> {
    pub span: Span,
    pub cues: &'l [usize],
}

/// An issue phrase found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueMatch {
    pub span: Span,
    pub issue: &'static str,
    pub role: PhraseRole,
}

pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_'
}

/// Whether `text[start..end]` is delimited by non-word characters.
pub fn on_word_boundaries(text: &str, start: usize, end: usize, prefix: bool) -> bool {
    let after_ok = prefix
        || match text.as_bytes().get(end) {
            None => true,
            Some(&b) if b.is_ascii() => !is_ascii_word_byte(b),
            Some(_) => text[end..].chars().next().is_none_or(|c| !is_word_char(c)),
        };
    word_start(text, start) && after_ok
}

/// Whether a word may start at byte `at` of `s` (a character boundary):
/// no word character right before it.
fn word_start(s: &str, at: usize) -> bool {
    match at.checked_sub(1).map(|i| s.as_bytes()[i]) {
        None => true,
        Some(b) if b.is_ascii() => !is_ascii_word_byte(b),
        Some(_) => s[..at].chars().next_back().is_none_or(|c| !is_word_char(c)),
    }
}

/// [`is_word_char`] for an ASCII byte, without decoding a character.
fn is_ascii_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// Every match of the lexicon's two matchers in one sentence, overlapping
/// ones included, as (start, end, pattern) with offsets in the sentence.
/// One `Found` serves sentence after sentence: [`TextMatches::sentence`]
/// refills it, and its vectors keep their room.
#[derive(Debug, Default)]
pub struct Found {
    /// Party patterns (narrowed by [`mentions`] to those it takes).
    pub parties: Vec<(usize, usize, usize)>,
    /// Phrase patterns: cue anchors, issue phrases, condition markers and
    /// pair phrases (`Lexicon::phrase` tells which).
    pub phrases: Vec<(usize, usize, usize)>,
}

/// Every match of the lexicon's two matchers in a whole text, overlapping
/// ones included, as (start, end, pattern) with offsets in the text, in the
/// order the matchers' overlapping search reports them: by end, and at one
/// end in the state's pattern order.
#[derive(Debug, Default)]
pub struct TextMatches {
    parties: Vec<(usize, usize, usize)>,
    phrases: Vec<(usize, usize, usize)>,
    /// Where the last sentence's matches began in each list: sentences are
    /// taken in order, each a little further on.
    next: [usize; 2],
}

impl TextMatches {
    /// The matches that lie within `sentence`, into `found` (cleared
    /// first) with offsets in the sentence: what a search of the sentence
    /// alone finds, in the same order.
    pub fn sentence(&mut self, sentence: Span, found: &mut Found) {
        let [parties_next, phrases_next] = &mut self.next;
        within(&self.parties, parties_next, sentence, &mut found.parties);
        within(&self.phrases, phrases_next, sentence, &mut found.phrases);
    }
}

/// The matches of `all` (sorted by end) within `sentence`, into `out`
/// (cleared first) with offsets in the sentence. `next` is where the
/// search starts: the first match ending after an earlier sentence's start.
fn within(all: &[(usize, usize, usize)], next: &mut usize, sentence: Span, out: &mut Vec<(usize, usize, usize)>) {
    out.clear();
    // A sentence before the last one is searched for from the start.
    if all[..*next].last().is_some_and(|&(_, end, _)| end > sentence.start) {
        *next = 0;
    }
    *next += all[*next..]
        .iter()
        .take_while(|&&(_, end, _)| end <= sentence.start)
        .count();
    out.extend(
        all[*next..]
            .iter()
            .take_while(|&&(_, end, _)| end <= sentence.end)
            .filter(|&&(start, ..)| start >= sentence.start)
            .map(|&(start, end, pattern)| (start - sentence.start, end - sentence.start, pattern)),
    );
}

/// Runs the party and the phrase matcher over the whole text: each
/// sentence's matches are then taken with [`TextMatches::sentence`].
pub fn scan(lex: &Lexicon, text: &str) -> TextMatches {
    // The samples give a party match every 33 bytes and a phrase match
    // every 23, the dev articles fewer: room for most texts at once.
    let mut out = TextMatches {
        parties: Vec::with_capacity(text.len() / 32),
        phrases: Vec::with_capacity(text.len() / 20),
        next: [0; 2],
    };
    in_halves(&lex.party_matcher, &lex.phrase_matcher, text.as_bytes(), &mut out);
    out
}

/// The matches of the two automatons over `bytes`, into `out`. A step of
/// an automaton is a wait for the next state's row of a table too large
/// for the nearest cache; waits for independent automatons overlap. So
/// the text is read as two halves at once, each by both automatons: four
/// walks side by side. The second half's walks start early by the longest
/// pattern's length, from where they are in the state a walk over the
/// whole text is in at the half's start (a state stands for the text's
/// last bytes, never more than a pattern's length); the matches they find
/// before the half's start are the first half's.
fn in_halves(party: &DFA, phrase: &DFA, bytes: &[u8], out: &mut TextMatches) {
    let lead = party.max_pattern_len().max(phrase.max_pattern_len());
    // Two halves of equal length, the second with its lead.
    let split = (bytes.len() + lead) / 2;
    if split >= bytes.len() || split < lead {
        return side_by_side(party, phrase, bytes, &mut out.parties, &mut out.phrases);
    }
    let (first, second) = (&bytes[..split], &bytes[split - lead..]);
    let (mut party_1, mut phrase_1) = (start(party), start(phrase));
    let (mut party_2, mut phrase_2) = (party_1, phrase_1);
    let (mut parties_2, mut phrases_2) = (
        Vec::with_capacity(out.parties.capacity() / 2),
        Vec::with_capacity(out.phrases.capacity() / 2),
    );
    let offset = split - lead;
    for (i, (&byte_1, &byte_2)) in first.iter().zip(second).enumerate() {
        party_1 = step(party, party_1, byte_1, i + 1, &mut out.parties);
        phrase_1 = step(phrase, phrase_1, byte_1, i + 1, &mut out.phrases);
        party_2 = step(party, party_2, byte_2, offset + i + 1, &mut parties_2);
        phrase_2 = step(phrase, phrase_2, byte_2, offset + i + 1, &mut phrases_2);
    }
    // The second half runs a byte longer when the length is odd.
    for (i, &byte) in second.iter().enumerate().skip(first.len()) {
        party_2 = step(party, party_2, byte, offset + i + 1, &mut parties_2);
        phrase_2 = step(phrase, phrase_2, byte, offset + i + 1, &mut phrases_2);
    }
    out.parties
        .extend(parties_2.into_iter().filter(|&(_, end, _)| end > split));
    out.phrases
        .extend(phrases_2.into_iter().filter(|&(_, end, _)| end > split));
}

/// The matches of the two automatons over `bytes`, stepped side by side,
/// into `parties` and `phrases`.
fn side_by_side(
    party: &DFA,
    phrase: &DFA,
    bytes: &[u8],
    parties: &mut Vec<(usize, usize, usize)>,
    phrases: &mut Vec<(usize, usize, usize)>,
) {
    let (mut at_party, mut at_phrase) = (start(party), start(phrase));
    for (i, &byte) in bytes.iter().enumerate() {
        at_party = step(party, at_party, byte, i + 1, parties);
        at_phrase = step(phrase, at_phrase, byte, i + 1, phrases);
    }
}

/// The state an unanchored search of `dfa` starts in.
fn start(dfa: &DFA) -> StateID {
    dfa.start_state(Anchored::No)
        .expect("the matchers are built unanchored")
}

/// The state `dfa` goes to from `at` on `byte`, which ends at byte `end`
/// of the text; the patterns it matches there go into `out`.
#[inline(always)]
fn step(dfa: &DFA, at: StateID, byte: u8, end: usize, out: &mut Vec<(usize, usize, usize)>) -> StateID {
    let next = dfa.next_state(Anchored::No, at, byte);
    // Only a special state can be a match: the common case is one test.
    if dfa.is_special(next) {
        record(dfa, next, end, out);
    }
    next
}

/// The patterns that end at `end` in `state`, if it is a match state.
#[cold]
fn record(dfa: &DFA, state: StateID, end: usize, out: &mut Vec<(usize, usize, usize)>) {
    if dfa.is_match(state) {
        for i in 0..dfa.match_len(state) {
            let pattern = dfa.match_pattern(state, i);
            out.push((end - dfa.pattern_len(pattern), end, pattern.as_usize()));
        }
    }
}

/// Keeps the leftmost-longest matches of `found`, which do not overlap;
/// `span` tells where a match starts and ends.
fn leftmost_longest<T>(found: &mut Vec<T>, span: impl Fn(&T) -> (usize, usize)) {
    found.sort_by_key(|m| {
        let (start, end) = span(m);
        (start, std::cmp::Reverse(end))
    });
    // Keep each match that starts where the last kept one ended or later.
    let mut end = 0;
    found.retain(|m| {
        let (start, stop) = span(m);
        let keep = start >= end;
        if keep {
            end = stop;
        }
        keep
    });
}

/// Party mentions in the sentence of `words`, on `date` (yyyymmdd), into
/// `out` (emptied first), from `parties`, the party matches
/// [`TextMatches::sentence`] found there, which are narrowed in place to
/// the leftmost-longest on word boundaries: a longer name that fails the
/// boundary check does not hide a shorter one that passes.
pub fn mentions<'l>(
    lex: &'l Lexicon,
    words: &WordIndex,
    parties: &mut Vec<(usize, usize, usize)>,
    date: Option<u32>,
    out: &mut Vec<Mention<'l>>,
) {
    let (text, sentence) = (words.text, words.span);
    let s = &text[sentence.start..sentence.end];
    parties.retain(|&(start, end, _)| on_word_boundaries(s, start, end, false));
    leftmost_longest(parties, |&(start, end, _)| (start, end));
    out.clear();
    for &(m_start, m_end, pattern) in parties.iter() {
        let Some(alias) = lex.aliases_for(pattern, date).find(|a| {
            !a.veto.iter().any(|v| {
                if v == NAME_VETO {
                    followed_by_name(lex, &s[m_end..])
                } else {
                    s.contains(v.as_str())
                }
            })
        }) else {
            continue;
        };
        let mut end = m_end;
        let (holder, plural) = match alias.kind {
            AliasKind::Adjective => match role_after(lex, &s[m_end..]) {
                Some(len) => {
                    end = m_end + len;
                    let role = &s[m_end..end];
                    (true, role.ends_with('s') && !role.ends_with("ss"))
                }
                None => (false, false),
            },
            AliasKind::People | AliasKind::Org | AliasKind::Group => (true, true),
            _ => (true, false),
        };
        push_titled(
            out,
            text,
            Mention {
                span: Span::new(sentence.start + m_start, sentence.start + end),
                what: MentionKind::Party {
                    code: &alias.code,
                    kind: alias.kind,
                    name: &alias.name,
                    holder,
                    plural,
                },
            },
        );
    }
    for (start, word) in words.within(sentence.start, sentence.end) {
        let Some(pronoun) = pronoun(word) else {
            continue;
        };
        let span = Span::new(sentence.start + start, sentence.start + start + word.len());
        if out.iter().any(|m| m.span.contains(span)) {
            continue;
        }
        out.push(Mention {
            span,
            what: MentionKind::Pronoun(pronoun),
        });
    }
    out.sort_by_key(|m| m.span.start);
}

/// The kind of pronoun `word` is, if it is one: "he", "she", "his", "her"
/// (a person), "they", "their" (a group), "it", "its" (a thing), "we",
/// "our", "us" (the speaker's side), in lower case or capitalised ("us"
/// only in lower case: "US" is a country). Every word of every sentence is
/// tested: the byte patterns compile to a few comparisons, with no call.
fn pronoun(word: &str) -> Option<Pronoun> {
    Some(match word.as_bytes() {
        [b'h' | b'H', b'e'] | [b's' | b'S', b'h', b'e'] | [b'h' | b'H', b'i', b's'] | [b'h' | b'H', b'e', b'r'] => {
            Pronoun::Person
        }
        [b't' | b'T', b'h', b'e', b'y'] | [b't' | b'T', b'h', b'e', b'i', b'r'] => Pronoun::Plural,
        [b'i' | b'I', b't'] | [b'i' | b'I', b't', b's'] => Pronoun::Thing,
        [b'w' | b'W', b'e'] | [b'o' | b'O', b'u', b'r'] | [b'u', b's'] => Pronoun::Speaker,
        _ => return None,
    })
}

/// Adds `m` to `out`, the sentence's mentions so far, where a title and
/// the name it introduces are one mention: "Palestinian Prime Minister
/// Ismail Haniyeh", "the Russian president, Vladimir Putin". The title
/// says whom the person speaks for when the text was written, so its party
/// wins over the person's date-ranged rows — unless the title is a former
/// one ("former Prime Minister ...").
fn push_titled<'l>(out: &mut Vec<Mention<'l>>, text: &str, m: Mention<'l>) {
    if let (
        Some(Mention {
            span: title_span,
            what:
                MentionKind::Party {
                    code,
                    kind,
                    holder,
                    plural,
                    ..
                },
        }),
        MentionKind::Party {
            kind: AliasKind::Person,
            name,
            code: person_code,
            ..
        },
    ) = (out.last(), &m.what)
    {
        let between = &text[title_span.end..m.span.start];
        // "Ukrainian officials, Putin said" is two mentions.
        let titled = *holder
            && !*plural
            && match between.trim() {
                "" => matches!(kind, AliasKind::Title | AliasKind::Adjective) && !between.contains('\n'),
                "," => *kind == AliasKind::Title,
                _ => false,
            };
        if titled {
            let before = text[..title_span.start].trim_end().as_bytes();
            let former = before.len() >= 6 && before[before.len() - 6..].eq_ignore_ascii_case(b"former");
            let merged = Mention {
                span: Span::new(title_span.start, m.span.end),
                what: MentionKind::Party {
                    code: if former { person_code } else { code },
                    kind: AliasKind::Person,
                    name,
                    holder: true,
                    plural: false,
                },
            };
            *out.last_mut().expect("matched above") = merged;
            return;
        }
    }
    out.push(m);
}

/// The veto entry that rejects an alias used as a first name: "Chad Wolf",
/// "Jordan Bardella" (but "Chad President ..." and "Jordan's King" stay).
pub const NAME_VETO: &str = "+Name";

/// Whether `rest` opens, after one space, with a capitalised word that is
/// not a role noun: the alias before it is a first name.
fn followed_by_name(lex: &Lexicon, rest: &str) -> bool {
    rest.strip_prefix(' ')
        .is_some_and(|r| r.starts_with(|c: char| c.is_uppercase()) && role_after(lex, rest).is_none())
}

/// Length of the role noun phrase at the start of `rest` (after spaces).
fn role_after(lex: &Lexicon, rest: &str) -> Option<usize> {
    let trimmed = rest.trim_start();
    let skipped = rest.len() - trimmed.len();
    if skipped == 0 {
        return None;
    }
    let head = trimmed.get(..trimmed.len().min(40))?;
    // Roles are lower case: plain ASCII text is compared ignoring case,
    // and only other text is lower-cased first.
    let head = if head.is_ascii() {
        Cow::Borrowed(head)
    } else {
        lowercase(head)
    };
    let first = head.as_bytes().first()?.to_ascii_lowercase();
    // Most roles differ from the text in the first byte already: those
    // that do not are found among the roles' first bytes at once.
    memchr::memchr_iter(first, &lex.role_firsts)
        .map(|i| &lex.roles[i])
        .find(|r| starts_with_ignoring_case(&head, r) && on_word_boundaries(&head, 0, r.len(), false))
        .map(|r| skipped + r.len())
}

/// Whether `s` starts with `prefix` (ASCII, lower case), ignoring ASCII
/// case: a test that needs no lower-case copy of `s`.
pub fn starts_with_ignoring_case(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// Whether `s` ends with `suffix` (ASCII, lower case), ignoring ASCII case.
pub fn ends_with_ignoring_case(s: &str, suffix: &str) -> bool {
    s.len() >= suffix.len() && s.as_bytes()[s.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

/// A short word in ASCII lower case, written into `buf`, to be matched
/// against keywords no longer than `buf`: a longer word gives "", which is
/// none of them.
pub fn ascii_lowercase<'b, const N: usize>(word: &str, buf: &'b mut [u8; N]) -> &'b str {
    let Some(out) = buf.get_mut(..word.len()) else {
        return "";
    };
    out.copy_from_slice(word.as_bytes());
    out.make_ascii_lowercase();
    // Lowering ASCII letters keeps UTF-8 valid.
    std::str::from_utf8(out).unwrap_or_default()
}

/// `s` in lower case, borrowed when it already is (most words are).
pub fn lowercase(s: &str) -> Cow<'_, str> {
    if s.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.to_lowercase())
    }
}

/// The words of `s` with their byte offsets: the runs of letters, digits
/// and apostrophes.
pub fn words(s: &str) -> Words<'_> {
    Words {
        s,
        front: 0,
        back: s.len(),
    }
}

/// Whether `c` belongs to a word of [`words`] (unlike [`is_word_char`],
/// which tells where a phrase match may start or end).
fn in_word(c: char) -> bool {
    c.is_alphanumeric() || c == '\'' || c == '’'
}

/// The iterator of [`words`], from either end. The rules walk words
/// forwards and backwards from a cue many times a sentence, so plain ASCII
/// is tested a byte at a time and only other characters are decoded.
#[derive(Clone)]
pub struct Words<'s> {
    s: &'s str,
    /// The unread text is `s[front..back]`.
    front: usize,
    back: usize,
}

/// [`in_word`] for the ASCII characters, looked up.
static ASCII_IN_WORD: [bool; 128] = {
    let mut table = [false; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = (b as u8).is_ascii_alphanumeric() || b == b'\'' as usize;
        b += 1;
    }
    table
};

/// The bits of the bytes of `block` that are ASCII word characters (as
/// [`ASCII_IN_WORD`] tells), and whether every byte is ASCII. Eight bytes
/// are tested at once as one `u64`, each byte's answer in its high bit.
fn block_mask(block: &[u8; 64]) -> (u64, bool) {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The high bit of each byte of `x` (all below 0x80) that is >= `lo`:
    // no sum carries into the next byte.
    let at_least = |x: u64, lo: u8| (x + LOW * u64::from(0x80 - lo)) & HIGH;
    let (mut mask, mut high) = (0u64, 0u64);
    for (i, word) in block.chunks_exact(8).enumerate() {
        let w = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        high |= w;
        let x = w & !HIGH;
        let folded = x | (LOW * 0x20);
        let letter = at_least(folded, b'a') & !at_least(folded, b'z' + 1);
        let digit = at_least(x, b'0') & !at_least(x, b'9' + 1);
        let apostrophe = !at_least(x ^ (LOW * u64::from(b'\'')), 1) & HIGH;
        let word_bytes = (letter | digit | apostrophe) & !w;
        // The eight high bits gathered into the low byte, first byte first.
        let bits = ((word_bytes >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56;
        mask |= bits << (8 * i);
    }
    (mask, high & HIGH == 0)
}

/// [`block_mask`] for the last, shorter block.
fn block_mask_short(block: &[u8]) -> (u64, bool) {
    let mut whole = [b' '; 64];
    whole[..block.len()].copy_from_slice(block);
    block_mask(&whole)
}

/// The length of the character starting at byte `at` of `s`, and whether
/// it belongs to a word: ASCII is looked up, and only other characters are
/// decoded.
#[inline(always)]
fn char_at(s: &str, at: usize) -> (usize, bool) {
    let b = s.as_bytes()[at];
    if b < 128 {
        return (1, ASCII_IN_WORD[b as usize]);
    }
    let c = s[at..].chars().next().unwrap_or_default();
    (c.len_utf8(), in_word(c))
}

impl<'s> Words<'s> {
    /// The length of the character ending at `at`, and whether it belongs
    /// to a word.
    #[inline(always)]
    fn char_before(&self, at: usize) -> (usize, bool) {
        let b = self.s.as_bytes()[at - 1];
        if b < 128 {
            return (1, ASCII_IN_WORD[b as usize]);
        }
        let c = self.s[..at].chars().next_back().unwrap_or_default();
        (c.len_utf8(), in_word(c))
    }
}

impl<'s> Iterator for Words<'s> {
    type Item = (usize, &'s str);

    #[inline]
    fn next(&mut self) -> Option<(usize, &'s str)> {
        // The unread bytes as a slice of their own and the position in a
        // local, which the loops compare with no load from `self`.
        let bytes = &self.s.as_bytes()[..self.back];
        let mut at = self.front;
        while at < bytes.len() {
            let (len, word) = char_at(self.s, at);
            if word {
                break;
            }
            at += len;
        }
        if at >= bytes.len() {
            self.front = self.back;
            return None;
        }
        let start = at;
        while at < bytes.len() {
            let (len, word) = char_at(self.s, at);
            if !word {
                break;
            }
            at += len;
        }
        self.front = at;
        Some((start, &self.s[start..at]))
    }
}

impl DoubleEndedIterator for Words<'_> {
    #[inline]
    fn next_back(&mut self) -> Option<Self::Item> {
        loop {
            if self.back <= self.front {
                return None;
            }
            let (len, word) = self.char_before(self.back);
            if word {
                break;
            }
            self.back -= len;
        }
        let end = self.back;
        while self.back > self.front {
            let (len, word) = self.char_before(self.back);
            if !word {
                break;
            }
            self.back -= len;
        }
        Some((self.back, &self.s[self.back..end]))
    }
}

/// The words of a sentence, found once: the rules walk the words before
/// and after each cue and party many times a sentence, and read them here
/// instead of splitting the text again.
pub struct WordIndex<'t> {
    text: &'t str,
    /// The indexed span of `text`.
    span: Span,
    /// Each word of `text`, in order: where it is (see [`offset`]) and
    /// what it is, with no slicing to do when it is given.
    words: Vec<&'t str>,
}

/// Where `word`, a slice of `text`, starts in it.
fn offset(text: &str, word: &str) -> usize {
    word.as_ptr() as usize - text.as_ptr() as usize
}

impl<'t> WordIndex<'t> {
    pub fn new(text: &'t str, span: Span) -> WordIndex<'t> {
        WordIndex::reusing(text, span, Vec::new())
    }

    /// [`WordIndex::new`], the words kept in `found` (emptied first): an
    /// earlier sentence's, given back by [`WordIndex::into_room`].
    pub fn reusing(text: &'t str, span: Span, mut found: Vec<&'t str>) -> WordIndex<'t> {
        let bytes = &text.as_bytes()[span.start..span.end];
        found.clear();
        // English runs about six bytes a word, space included: room for
        // most sentences at once.
        found.reserve(bytes.len() / 5 + 1);
        // The text is read 64 bytes at a time as a mask of the bytes that
        // belong to words; a word starts or ends where a bit differs from
        // the one before it. Plain ASCII takes no branch per byte.
        let mut carried = 0u64;
        let mut last_bit = 0u64;
        // The start of the word whose end is not found yet.
        let mut open = None;
        for (block, chunk) in bytes.chunks(64).enumerate() {
            let base = block * 64;
            let (in_words, plain) = match chunk.try_into() {
                Ok(whole) => block_mask(whole),
                Err(_) => block_mask_short(chunk),
            };
            let mut mask = carried | in_words;
            carried = 0;
            if !plain {
                // Other characters are decoded at their first byte, and set
                // all their bytes' bits when they belong to words (bits past
                // this block are carried into the next).
                for (i, &b) in chunk.iter().enumerate() {
                    if b < 0xC0 {
                        continue;
                    }
                    let c = text[span.start + base + i..]
                        .chars()
                        .next()
                        .expect("a char starts here");
                    if in_word(c) {
                        let bits = (1u128 << c.len_utf8()) - 1;
                        mask |= (bits << i) as u64;
                        carried |= ((bits << i) >> 64) as u64;
                    }
                }
            }
            let mut edges = mask ^ (mask << 1 | last_bit);
            last_bit = mask >> 63;
            while edges != 0 {
                let at = span.start + base + edges.trailing_zeros() as usize;
                edges &= edges - 1;
                match open.take() {
                    None => open = Some(at),
                    Some(start) => found.push(&text[start..at]),
                }
            }
        }
        if let Some(start) = open {
            found.push(&text[start..span.end]);
        }
        WordIndex {
            text,
            span,
            words: found,
        }
    }

    /// The room the words took, for the next sentence's index.
    pub fn into_room(self) -> Vec<&'t str> {
        self.words
    }

    /// What [`words`] gives for `text[start..end]`: the words with their
    /// offsets from `start`, a word cut by either end cut with it.
    pub fn within(&self, start: usize, end: usize) -> WordsWithin<'_, 't> {
        if start < self.span.start || end > self.span.end || start > end {
            // Outside the sentence: read the text itself.
            return WordsWithin::Scanned(words(&self.text[start..end]));
        }
        // Most ranges run from the sentence's start or to its end: no
        // search is needed there.
        let first = if start == self.span.start {
            0
        } else {
            self.words.partition_point(|w| offset(self.text, w) + w.len() <= start)
        };
        // An empty range holds no word, even inside one.
        let last = if start == end {
            first
        } else if end == self.span.end {
            self.words.len()
        } else {
            first + self.words[first..].partition_point(|w| offset(self.text, w) < end)
        };
        WordsWithin::Indexed(Cut {
            text: self.text,
            words: self.words[first..last].iter(),
            start,
            end,
        })
    }
}

/// The iterator of [`WordIndex::within`].
pub enum WordsWithin<'a, 't> {
    Indexed(Cut<'a, 't>),
    Scanned(Words<'t>),
}

/// Indexed words that overlap `start..end`, each cut to that range.
pub struct Cut<'a, 't> {
    /// The text the words are slices of.
    text: &'t str,
    /// The words not yet given.
    words: std::slice::Iter<'a, &'t str>,
    start: usize,
    end: usize,
}

impl<'t> Cut<'_, 't> {
    /// A word's part within `start..end`, offset from `start`: most words
    /// lie wholly inside and are given as they are.
    fn cut(&self, w: &'t str) -> (usize, &'t str) {
        let at = offset(self.text, w);
        if at >= self.start && at + w.len() <= self.end {
            return (at - self.start, w);
        }
        let (from, to) = (at.max(self.start), (at + w.len()).min(self.end));
        (from - self.start, &w[from - at..to - at])
    }
}

impl<'t> Iterator for WordsWithin<'_, 't> {
    type Item = (usize, &'t str);

    #[inline]
    fn next(&mut self) -> Option<(usize, &'t str)> {
        match self {
            WordsWithin::Indexed(c) => c.words.next().map(|&w| c.cut(w)),
            WordsWithin::Scanned(it) => it.next(),
        }
    }
}

impl DoubleEndedIterator for WordsWithin<'_, '_> {
    #[inline]
    fn next_back(&mut self) -> Option<Self::Item> {
        match self {
            WordsWithin::Indexed(c) => c.words.next_back().map(|&w| c.cut(w)),
            WordsWithin::Scanned(it) => it.next_back(),
        }
    }
}

/// Stance cue anchors and issue phrases in the sentence, from what [`scan`]
/// found there: the leftmost-longest on word boundaries of each kind, into
/// `cue_matches` and `issue_matches` (emptied first).
pub fn phrases<'l>(
    lex: &'l Lexicon,
    text: &str,
    sentence: Span,
    found: &Found,
    cue_matches: &mut Vec<CueMatch<'l>>,
    issue_matches: &mut Vec<IssueMatch>,
) {
    let s = &text[sentence.start..sentence.end];
    let at = |start: usize, end: usize| Span::new(sentence.start + start, sentence.start + end);
    cue_matches.clear();
    issue_matches.clear();
    for &(start, end, pattern) in &found.phrases {
        match lex.phrase(pattern) {
            Phrase::Cue if on_word_boundaries(s, start, end, false) => cue_matches.push(CueMatch {
                span: at(start, end),
                cues: &lex.cue_patterns[pattern],
            }),
            Phrase::Issue(row) if on_word_boundaries(s, start, end, lex.issue_cues[row].prefix) => {
                issue_matches.push(IssueMatch {
                    span: at(start, end),
                    issue: lex.issue_cues[row].issue,
                    role: lex.issue_cues[row].role,
                })
            }
            _ => {}
        }
    }
    leftmost_longest(cue_matches, |m| (m.span.start, m.span.end));
    leftmost_longest(issue_matches, |m| (m.span.start, m.span.end));
}

/// Words that open a condition clause, lower case, longest first. "But
/// would have/get/receive" after a concession is what is asked in return.
pub(crate) const CONDITION_MARKERS: &[&str] = &[
    "only in the event of",
    "on condition that",
    "in the event of",
    "in exchange for",
    "but would receive",
    "but would have",
    "but would get",
    "provided that",
    "in return for",
    "as long as",
    "so long as",
    "providing",
    "provided",
    "only if",
    "unless",
    "if",
];

/// A condition clause: its span and whether it closes with a comma before a
/// main clause ("if X, Y will ...").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Condition {
    pub span: Span,
    /// Whether a comma came right before the marker (", if ...").
    pub after_comma: bool,
}

/// Condition clauses of the sentence: from the marker to the next comma or
/// the end of the sentence. At each word start the longest marker on word
/// boundaries is taken; markers inside a clause already found are skipped.
pub fn conditions(lex: &Lexicon, text: &str, sentence: Span, found: &Found) -> Vec<Condition> {
    let s = &text[sentence.start..sentence.end];
    let bytes = s.as_bytes();
    let mut out: Vec<Condition> = Vec::new();
    // The places where any marker starts, from the left; every marker
    // there is then tried in order.
    let mut starts: Vec<usize> = found
        .phrases
        .iter()
        .filter(|&&(.., pattern)| lex.phrase(pattern) == Phrase::Condition)
        .map(|&(start, ..)| start)
        .collect();
    starts.sort_unstable();
    starts.dedup();
    let mut from = 0;
    for at in starts {
        if at < from || !word_start(s, at) {
            continue;
        }
        let marker = CONDITION_MARKERS.iter().find(|marker| {
            bytes.len() - at >= marker.len()
                && bytes[at..at + marker.len()].eq_ignore_ascii_case(marker.as_bytes())
                && on_word_boundaries(s, at, at + marker.len(), false)
        });
        let Some(marker) = marker else {
            continue;
        };
        let before = s[..at].trim_end().as_bytes();
        let after_word =
            |w: &str| before.len() >= w.len() && before[before.len() - w.len()..].eq_ignore_ascii_case(w.as_bytes());
        if after_word("even") || after_word("as") || after_word("what") {
            continue;
        }
        let end = at + s[at..].find([',', ';', '—', ':']).unwrap_or(s.len() - at);
        let end = s[..end]
            .trim_end_matches(['.', '”', '"', ' '])
            .len()
            .max(at + marker.len());
        let lead = s[..at].trim_end_matches(['“', '"', ' ', '\u{a0}']);
        out.push(Condition {
            span: Span::new(sentence.start + at, sentence.start + end),
            after_comma: lead.ends_with([',', '—', ';']),
        });
        from = end;
    }
    out
}

/// Phrases that name the two sides of a negotiation.
pub(crate) const PAIR_PHRASES: &[&str] = &[
    "both sides",
    "the two sides",
    "both parties",
    "the two parties",
    "both countries",
    "the two countries",
    "both nations",
    "the two nations",
    "both governments",
    "the two governments",
];

/// Where the sentence names the two sides ("both sides", "The two
/// countries") from byte `from` of `text` on, from what [`scan`] found
/// there. No phrase overlaps another.
pub fn pairs(lex: &Lexicon, text: &str, sentence: Span, from: usize, found: &Found) -> Vec<Span> {
    let s = &text[from..sentence.end];
    let shift = from - sentence.start;
    let mut spans: Vec<Span> = found
        .phrases
        .iter()
        .filter(|&&(start, _, pattern)| start >= shift && lex.phrase(pattern) == Phrase::Pair)
        .map(|&(start, end, _)| (start - shift, end - shift))
        .filter(|&(start, end)| on_word_boundaries(s, start, end, false))
        .map(|(start, end)| Span::new(from + start, from + end))
        .collect();
    spans.sort_unstable();
    spans
}

/// Quoted spans of a paragraph, sorted and disjoint: matched pairs of
/// curly quotes, or of straight double quotes, merged where they nest or
/// overlap. An opening quote left unbalanced is ignored.
pub fn quotations(text: &str, paragraph: Span) -> Vec<Span> {
    let p = &text[paragraph.start..paragraph.end];
    let mut out = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut straight: Option<usize> = None;
    // The quotes are '"' and two characters whose first byte is 0xE2:
    // only those bytes are looked at.
    let bytes = p.as_bytes();
    for i in memchr::memchr2_iter(b'"', 0xE2, bytes) {
        match bytes[i] {
            b'"' => match straight.take() {
                Some(start) => out.push(Span::new(paragraph.start + start, paragraph.start + i + 1)),
                None => straight = Some(i),
            },
            0xE2 if p[i..].starts_with('“') => open.push(i),
            0xE2 if p[i..].starts_with('”') => {
                if let Some(start) = open.pop() {
                    out.push(Span::new(paragraph.start + start, paragraph.start + i + '”'.len_utf8()));
                }
            }
            _ => {}
        }
    }
    // Only whether a span is quoted matters: nested and overlapping
    // quotations merge into disjoint spans, so that the quotations around
    // one sentence are found by binary search, however deep the nesting.
    out.sort();
    let mut merged: Vec<Span> = Vec::with_capacity(out.len());
    for q in out {
        match merged.last_mut() {
            Some(last) if q.start < last.end => last.end = last.end.max(q.end),
            _ => merged.push(q),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The definition [`words`] implements: split at every character that
    /// is not a word character, drop the empty pieces.
    fn words_by_split(s: &str) -> Vec<(usize, &str)> {
        s.split(|c: char| !in_word(c))
            .filter(|w| !w.is_empty())
            .map(|w| (w.as_ptr() as usize - s.as_ptr() as usize, w))
            .collect()
    }

    /// The library's own overlapping search, the definition [`scan`]
    /// implements.
    fn library_overlapping(patterns: &[String], case_insensitive: bool, s: &str) -> Vec<(usize, usize, usize)> {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(case_insensitive)
            .build(patterns)
            .unwrap()
            .find_overlapping_iter(s)
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect()
    }

    proptest! {
        #[test]
        fn scan_finds_what_the_overlapping_search_finds(
            parties in proptest::collection::vec("[abA ]{1,6}", 1..8),
            phrases in proptest::collection::vec("[abA ]{1,6}", 1..8),
            s in "[abAB ]{0,120}",
            cuts in proptest::collection::vec(0usize..130, 6),
        ) {
            let dfa = |patterns: &[String], case_insensitive: bool| crate::lexicon::build(patterns, case_insensitive).unwrap();
            let (party, phrase) = (dfa(&parties, false), dfa(&phrases, true));
            // The whole text, read in two halves once it is long enough.
            let mut all = TextMatches::default();
            in_halves(&party, &phrase, s.as_bytes(), &mut all);
            prop_assert_eq!(&all.parties, &library_overlapping(&parties, false, &s));
            prop_assert_eq!(&all.phrases, &library_overlapping(&phrases, true, &s));
            // Sentences, in order and then back: each as if searched alone,
            // in a `Found` that a sentence before left full.
            let mut spans: Vec<Span> = cuts
                .chunks(2)
                .map(|c| {
                    let (a, b) = (c[0].min(s.len()), c[1].min(s.len()));
                    Span::new(a.min(b), a.max(b))
                })
                .collect();
            spans.sort_by_key(|span| span.start);
            spans.push(spans[0]);
            let mut found = Found::default();
            for span in spans {
                all.sentence(span, &mut found);
                let sentence = &s[span.start..span.end];
                prop_assert_eq!(&found.parties, &library_overlapping(&parties, false, sentence));
                prop_assert_eq!(&found.phrases, &library_overlapping(&phrases, true, sentence));
            }
        }

        #[test]
        fn words_are_the_runs_of_word_characters_from_either_end(
            s in "[a-zA-Z0-9 ,.'’\"“”—éßИж\u{300}\u{1F600}-]{0,40}",
            split in 0usize..40,
        ) {
            let want = words_by_split(&s);
            prop_assert_eq!(words(&s).collect::<Vec<_>>(), want.clone());
            let mut back: Vec<_> = words(&s).rev().collect();
            back.reverse();
            prop_assert_eq!(back, want.clone());
            // Taken from both ends at once, the words meet in the middle.
            let mut it = words(&s);
            let front: Vec<_> = it.by_ref().take(split).collect();
            let mut rest: Vec<_> = it.rev().collect();
            rest.reverse();
            prop_assert_eq!([front, rest].concat(), want);
        }

        #[test]
        fn indexed_words_are_the_words_across_blocks(
            s in "[a-z ,.'’—éИ\u{1F600}\u{300}]{0,200}",
            from in 0usize..8,
        ) {
            // Long enough to run over several 64-byte blocks, with
            // characters of every length across their edges.
            let from = s.char_indices().map(|(i, _)| i).nth(from).unwrap_or(s.len());
            let index = WordIndex::new(&s, Span::new(from, s.len()));
            let got: Vec<(usize, &str)> = index.words.iter().map(|&w| (offset(&s, w) - from, w)).collect();
            prop_assert_eq!(got, words_by_split(&s[from..]));
        }

        #[test]
        fn indexed_words_within_are_the_words_of_the_slice(
            s in "[a-zA-Z0-9 ,.'’\"—éИ\u{1F600}-]{0,40}",
            cuts in proptest::collection::vec(0usize..48, 4),
        ) {
            // Char boundaries only: the slices the rules take.
            let bounds: Vec<usize> = (0..=s.len()).filter(|&i| s.is_char_boundary(i)).collect();
            let at = |k: usize| bounds[k % bounds.len()];
            let (mut span, mut part) = ([at(cuts[0]), at(cuts[1])], [at(cuts[2]), at(cuts[3])]);
            span.sort();
            part.sort();
            let index = WordIndex::new(&s, Span::new(span[0], span[1]));
            let want = words_by_split(&s[part[0]..part[1]]);
            prop_assert_eq!(index.within(part[0], part[1]).collect::<Vec<_>>(), want.clone());
            let mut back: Vec<_> = index.within(part[0], part[1]).rev().collect();
            back.reverse();
            prop_assert_eq!(back, want);
            // From the indexed span's start and to its end, where no search
            // is made.
            let inner = part[0].clamp(span[0], span[1]);
            prop_assert_eq!(index.within(span[0], inner).collect::<Vec<_>>(), words_by_split(&s[span[0]..inner]));
            prop_assert_eq!(index.within(inner, span[1]).collect::<Vec<_>>(), words_by_split(&s[inner..span[1]]));
        }
    }

    #[test]
    fn a_match_across_the_halves_is_found_once() {
        // The longest pattern at every place, the halves' meeting point
        // among them.
        let patterns = ["abcdef".to_string(), "cd".to_string()];
        let dfa = |case_insensitive| crate::lexicon::build(&patterns, case_insensitive).unwrap();
        let (party, phrase) = (dfa(false), dfa(true));
        for before in 0..30 {
            for after in 0..30 {
                let s = format!("{}abcdef{}", "x".repeat(before), "y".repeat(after));
                let mut all = TextMatches::default();
                in_halves(&party, &phrase, s.as_bytes(), &mut all);
                let want = library_overlapping(&patterns, false, &s);
                assert_eq!(want.len(), 2);
                assert_eq!(all.parties, want, "{s}");
                assert_eq!(all.phrases, want, "{s}");
            }
        }
    }

    #[test]
    fn block_masks_mark_the_ascii_word_bytes() {
        // Every byte value at every position of a block, beside every other.
        for b in 0..=255u8 {
            for other in [b' ', b'a', b'\'', 0x80, 0xFF] {
                let mut block = [other; 64];
                for at in 0..64 {
                    block[at] = b;
                    let want = (0..64)
                        .filter(|&i| block[i].is_ascii() && ASCII_IN_WORD[block[i] as usize])
                        .fold(0u64, |m, i| m | 1 << i);
                    assert_eq!(
                        block_mask(&block),
                        (want, block.is_ascii()),
                        "byte {b:#x} at {at} among {other:#x}"
                    );
                    block[at] = other;
                }
            }
        }
    }

    #[test]
    fn affixes_are_compared_ignoring_ascii_case() {
        assert!(starts_with_ignoring_case("Preconditions", "precondition"));
        assert!(!starts_with_ignoring_case("Pre", "precondition"));
        assert!(ends_with_ignoring_case("WRITING", "ing"));
        assert!(ends_with_ignoring_case("agreed to Give Up", "give up"));
        assert!(!ends_with_ignoring_case("ng", "ing"));
        // Beyond ASCII nothing is folded: "É" is not "é".
        assert!(!starts_with_ignoring_case("Élan", "élan"));
    }

    #[test]
    fn pronouns_are_told_by_their_letters_and_case() {
        let cases = [
            ("he", Some(Pronoun::Person)),
            ("She", Some(Pronoun::Person)),
            ("his", Some(Pronoun::Person)),
            ("Her", Some(Pronoun::Person)),
            ("they", Some(Pronoun::Plural)),
            ("Their", Some(Pronoun::Plural)),
            ("it", Some(Pronoun::Thing)),
            ("Its", Some(Pronoun::Thing)),
            ("We", Some(Pronoun::Speaker)),
            ("our", Some(Pronoun::Speaker)),
            ("us", Some(Pronoun::Speaker)),
            // The country, shouted words, and words that only begin alike.
            ("US", None),
            ("Us", None),
            ("HE", None),
            ("THEY", None),
            ("hers", None),
            ("theirs", None),
            ("item", None),
            ("h", None),
            ("", None),
        ];
        for (word, want) in cases {
            assert_eq!(pronoun(word), want, "{word:?}");
        }
    }

    #[test]
    fn a_short_word_is_lowered_in_place_and_a_long_one_matches_nothing() {
        let mut buf = [0; 8];
        assert_eq!(ascii_lowercase("Must", &mut buf), "must");
        assert_eq!(ascii_lowercase("REMAINED", &mut buf), "remained");
        // Longer than any keyword the buffer is for.
        assert_eq!(ascii_lowercase("Remaining", &mut buf), "");
        // Beyond ASCII nothing is folded, and the text stays whole.
        assert_eq!(ascii_lowercase("Évian", &mut buf), "Évian");
    }

    /// The built-in lexicon, loaded once for the tests that need it.
    static LEXICON: std::sync::LazyLock<Lexicon> =
        std::sync::LazyLock::new(|| Lexicon::builtin().expect("the built-in lexicon loads"));

    fn conds(s: &str) -> Vec<&str> {
        let sentence = Span::new(0, s.len());
        let mut found = Found::default();
        scan(&LEXICON, s).sentence(sentence, &mut found);
        conditions(&LEXICON, s, sentence, &found)
            .into_iter()
            .map(|c| &s[c.span.start..c.span.end])
            .collect()
    }

    macro_rules! t {
        ($name:ident, $s:expr, [$($want:expr),*]) => {
            #[test]
            fn $name() {
                let want: Vec<&str> = vec![$($want),*];
                assert_eq!(conds($s), want);
            }
        };
    }

    t!(
        leading_if,
        "He said that if Kyiv refuses, Moscow will act.",
        ["if Kyiv refuses"]
    );
    t!(
        trailing_if,
        "It threatens to strike if any troops are deployed.",
        ["if any troops are deployed"]
    );
    t!(
        unless,
        "Talks will fail unless sanctions are lifted.",
        ["unless sanctions are lifted"]
    );
    t!(
        provided_that,
        "We agree, provided that guarantees are given; then we sign.",
        ["provided that guarantees are given"]
    );
    t!(
        in_exchange,
        "Hamas would free hostages in exchange for prisoners.",
        ["in exchange for prisoners"]
    );
    t!(even_if_is_not, "They will fight even if talks resume.", []);
    t!(as_if_is_not, "It looked as if talks had stalled.", []);
    t!(no_condition, "The Kremlin demands that Ukraine withdraw.", []);
    t!(word_inside_word, "The gift is modest.", []);

    #[test]
    fn quotations_pair_up() {
        let p = "“Additionally, the Kremlin threatens to consider NATO nations a “legitimate target” if so.";
        let q = quotations(p, Span::new(0, p.len()));
        assert_eq!(q.len(), 1);
        assert_eq!(&p[q[0].start..q[0].end], "“legitimate target”");
        let p = "He said \"no deal\" and \"never\".";
        assert_eq!(quotations(p, Span::new(0, p.len())).len(), 2);
    }

    #[test]
    fn boundaries() {
        assert!(on_word_boundaries("the US said", 4, 6, false));
        assert!(!on_word_boundaries("the USA said", 4, 6, false));
        assert!(on_word_boundaries("annexation", 0, 5, true));
        assert!(!on_word_boundaries("pro-Russian", 4, 11, false));
        // Letters beyond ASCII are word characters on either side.
        assert!(!on_word_boundaries("Étatsunis", 2, 5, false));
        assert!(!on_word_boundaries("Kyivé", 0, 4, false));
        assert!(on_word_boundaries("«Kyiv»", 2, 6, false));
    }

    #[test]
    fn role_nouns_after_a_demonym() {
        let lex = &*LEXICON;
        // Any case, the longest role, and only whole words.
        assert_eq!(
            role_after(lex, " Foreign Minister Lavrov"),
            Some(" Foreign Minister".len())
        );
        assert_eq!(role_after(lex, " OFFICIALS said"), Some(" OFFICIALS".len()));
        assert_eq!(role_after(lex, " officialdom"), None);
        assert_eq!(role_after(lex, "officials"), None);
        // Text beyond ASCII after the role.
        assert_eq!(role_after(lex, " officials’ demands"), Some(" officials".len()));
    }
}
