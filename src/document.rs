//! Document parser: splits a news article into headline, paragraphs and
//! sentences with byte offsets, and cuts web boilerplate.
//!
//! The grammar is written with nom. Parsers over free prose never fail: any
//! text yields paragraphs and sentences. A paragraph is one line (news text
//! files put a paragraph on a line; blank lines are skipped). Spans are byte
//! ranges into the original text, end exclusive, always on char boundaries.

use nom::IResult;
use nom::Offset;
use nom::Parser;
use nom::branch::alt;
use nom::bytes::complete::{tag, take_while};
use nom::character::complete::line_ending;
use nom::combinator::opt;

use crate::matcher::starts_with_ignoring_case;

/// A byte range into the article text, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn is_empty(&self) -> bool {
        self.start >= self.end
    }
}

/// One sentence of the article body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// 0-based index over all sentences of the article, headline first.
    pub index: usize,
    /// Index of the paragraph the sentence belongs to.
    pub paragraph: usize,
    pub span: Span,
}

/// An article split into paragraphs and sentences.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// The headline's span, when the first paragraph looks like one.
    pub headline: Option<Span>,
    /// Paragraph spans, boilerplate removed.
    pub paragraphs: Vec<Span>,
    pub sentences: Vec<Sentence>,
}

/// Parses an article. Never fails.
pub fn parse(text: &str) -> Document {
    let mut lines = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        match paragraph.parse(rest) {
            Ok((next, line)) => {
                let trimmed = trim(line);
                if !trimmed.is_empty() {
                    let start = text.offset(trimmed);
                    lines.push(Span::new(start, start + trimmed.len()));
                }
                if next.len() == rest.len() {
                    break;
                }
                rest = next;
            }
            Err(_) => break,
        }
    }
    let paragraphs = cut_boilerplate(text, lines);
    let headline = paragraphs
        .first()
        .copied()
        .filter(|span| looks_like_headline(&text[span.start..span.end]));
    let mut sentences = Vec::new();
    for (p, span) in paragraphs.iter().enumerate() {
        if Some(*span) == headline {
            push_sentence(&mut sentences, p, text, *span);
            continue;
        }
        let body = &text[span.start..span.end];
        let mut input = body;
        while !input.is_empty() {
            let Ok((next, found)) = sentence.parse(input) else {
                break;
            };
            let trimmed = trim(found);
            if !trimmed.is_empty() {
                let start = span.start + body.offset(trimmed);
                push_sentence(&mut sentences, p, text, Span::new(start, start + trimmed.len()));
            }
            if next.len() == input.len() {
                break;
            }
            input = next;
        }
    }
    Document {
        headline,
        paragraphs,
        sentences,
    }
}

/// The longest sentence in bytes. Text that runs on longer without a
/// sentence boundary (a scraped page without punctuation, a table flattened
/// into one line) is cut into pieces of at most this length at spaces, so
/// that the work per sentence stays bounded and an article of any shape is
/// read in time linear in its length. Real news sentences stay far below.
pub const MAX_SENTENCE: usize = 2000;

/// `text` cut into pieces of at most `max` bytes, each ending before a
/// space where there is one (else at a char boundary), trimmed, none empty.
/// An iterator: nearly every sentence is one piece, and costs no vector.
fn pieces(text: &str, max: usize) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        while rest.len() > max {
            let cut = floor_char_boundary(rest, max);
            let cut = match rest[..cut].rfind(is_space) {
                Some(space) if space > 0 => space,
                _ => cut,
            };
            let piece = trim(&rest[..cut]);
            rest = trim(&rest[cut..]);
            if !piece.is_empty() {
                return Some(piece);
            }
        }
        Some(std::mem::take(&mut rest)).filter(|last| !last.is_empty())
    })
}

/// Adds the sentence at `span` of `text`, in pieces if it is too long.
fn push_sentence(sentences: &mut Vec<Sentence>, paragraph: usize, text: &str, span: Span) {
    let sentence = &text[span.start..span.end];
    for piece in pieces(sentence, MAX_SENTENCE) {
        let start = span.start + sentence.offset(piece);
        sentences.push(Sentence {
            index: sentences.len(),
            paragraph,
            span: Span::new(start, start + piece.len()),
        });
    }
}

/// A line of text and its line ending: LF, CRLF or a CR alone (old Mac
/// files and some scraped pages end their lines so). The end is found with
/// memchr, not a character at a time.
fn paragraph(input: &str) -> IResult<&str, &str> {
    let end = memchr::memchr2(b'\n', b'\r', input.as_bytes()).unwrap_or(input.len());
    let (line, rest) = input.split_at(end);
    let (rest, _) = opt(alt((line_ending, tag("\r")))).parse(rest)?;
    Ok((rest, line))
}

/// One sentence: text up to and including a sentence boundary (terminal
/// punctuation, closing quotes and brackets), plus the whitespace after it.
fn sentence(input: &str) -> IResult<&str, &str> {
    let end = sentence_end(input);
    let (rest, body) = (&input[end..], &input[..end]);
    let (rest, _) = take_while(is_space).parse(rest)?;
    Ok((rest, body))
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{a0}'
}

fn trim(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// Punctuation that ends a sentence. '…' is the only one beyond ASCII, and
/// its first byte (0xE2) is what [`sentence_end`] looks for.
const TERMINATORS: &[char] = &['.', '!', '?', '…'];
const CLOSERS: &[char] = &['"', '\'', '”', '’', ')', ']', '»'];
const OPENERS: &[char] = &['"', '\'', '“', '‘', '(', '[', '«'];

/// Byte length of the first sentence of `input`: the position after the
/// first terminal punctuation that ends a sentence, or the whole input.
fn sentence_end(input: &str) -> usize {
    let bytes = input.as_bytes();
    let mut from = 0;
    // Terminators are rare: the bytes between are skipped by memchr, and
    // only a terminator's first byte is decoded. `ascii` is the next '.',
    // '!' or '?', and `e2` the next 0xE2 byte ('…', but curly quotes too)
    // before it, or `ascii`; each is searched again only once passed, so
    // no byte is searched twice.
    let len = bytes.len();
    let ascii_from = |from: usize| memchr::memchr3(b'.', b'!', b'?', &bytes[from..]).map_or(len, |t| from + t);
    let e2_between = |from: usize, to: usize| memchr::memchr(0xE2, &bytes[from..to]).map_or(to, |e| from + e);
    let mut ascii = ascii_from(0);
    let mut e2 = e2_between(0, ascii);
    loop {
        if ascii < from {
            ascii = ascii_from(from);
            e2 = e2_between(from, ascii);
        } else if e2 < from {
            e2 = e2_between(from, ascii);
        }
        let i = e2;
        if i == len {
            break;
        }
        let c = input[i..].chars().next().expect("a char starts at a found byte");
        from = i + c.len_utf8();
        if !TERMINATORS.contains(&c) {
            continue;
        }
        // Swallow repeated punctuation and closing quotes/brackets.
        let mut end = from;
        for d in input[end..].chars() {
            if TERMINATORS.contains(&d) || CLOSERS.contains(&d) {
                end += d.len_utf8();
            } else {
                break;
            }
        }
        from = end;
        let after = &input[end..];
        let Some(gap) = after.find(|c: char| !is_space(c)) else {
            return input.len();
        };
        if gap == 0 {
            continue; // "3.5", "U.S.-brokered", "...)" inside a word
        }
        let next = after[gap..].chars().next().expect("gap points at a char");
        let starts_sentence = next.is_uppercase() || next.is_ascii_digit() || OPENERS.contains(&next);
        if !starts_sentence {
            continue;
        }
        if c == '.' && is_abbreviation(&input[..i], &after[gap..]) {
            continue;
        }
        return end;
    }
    input.len()
}

/// Words after which a period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "adm", "gov", "sen", "rep", "rev", "st",
    "sr", "jr", "no", "nos", "vol", "art", "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "vs", "etc", "approx", "est", "dept", "corp",
    "inc", "ltd", "co", "mt", "ft", "pres", "amb", "hon", "op", "cf", "al",
];

/// Whether the period at the end of `before` belongs to an abbreviation, not
/// to the end of a sentence. `next` is the text after the following space.
fn is_abbreviation(before: &str, next: &str) -> bool {
    let word_start = before
        .rfind(|c: char| is_space(c) || OPENERS.contains(&c))
        .map_or(0, |i| i + before[i..].chars().next().map_or(1, char::len_utf8));
    let word = &before[word_start..];
    if word.is_empty() {
        return false;
    }
    // Initials and dotted abbreviations: "J.", "U.S", "D.C".
    if word.chars().count() == 1 && word.chars().all(char::is_uppercase) {
        return true;
    }
    if word.contains('.') && word.split('.').all(|part| part.chars().count() <= 2) {
        // "U.S. officials" continues; "the U.S. The next day" is ambiguous:
        // treat a following common sentence opener as a new sentence.
        return !starts_with_opener(next);
    }
    if word.eq_ignore_ascii_case("no") {
        // "No. 10" is an abbreviation; "said no. The" is not.
        return next.starts_with(|c: char| c.is_ascii_digit());
    }
    ABBREVIATIONS.iter().any(|a| word.eq_ignore_ascii_case(a))
}

fn starts_with_opener(next: &str) -> bool {
    const OPENER_WORDS: &[&str] = &[
        "The ", "He ", "She ", "It ", "They ", "We ", "But ", "In ", "On ", "This ", "That ", "A ", "An ", "Its ",
        "His ", "Her ",
    ];
    OPENER_WORDS.iter().any(|w| next.starts_with(w))
}

fn looks_like_headline(line: &str) -> bool {
    let words = line.split_whitespace().count();
    let ends_like_prose = line.ends_with(['.', '”', '"']) && words > 25;
    words <= 30 && !ends_like_prose
}

/// Markers that open a comment form: everything from them on is cut.
const COMMENT_FORM: &[&str] = &[
    "leave a reply",
    "leave a comment",
    "your email address will not be published",
    "post a comment",
    "comments are closed",
];

/// Lines that are site furniture, cut wherever they appear.
const FURNITURE: &[&str] = &[
    "required fields are marked",
    "this site uses akismet",
    "share this:",
    "share this article",
    "share on facebook",
    "click to share",
    "subscribe to our newsletter",
    "sign up for our newsletter",
    "related articles",
    "related posts",
    "related:",
    "read more:",
    "read also:",
    "follow us on",
    "all rights reserved",
    "copyright ©",
    "advertisement",
];

fn cut_boilerplate(text: &str, lines: Vec<Span>) -> Vec<Span> {
    let mut kept = Vec::with_capacity(lines.len());
    let mut cut_any = false;
    for span in lines {
        // The markers are short: a line's opening is enough to know it.
        let line = &text[span.start..span.end];
        let marked = |markers: &[&str]| markers.iter().any(|m| starts_with_ignoring_case(line, m));
        if marked(COMMENT_FORM) {
            cut_any = true;
            break;
        }
        if marked(FURNITURE) || line.starts_with('©') {
            cut_any = true;
            continue;
        }
        kept.push(span);
    }
    // A trailing site name: a short title-cased line without punctuation at
    // the very end of the page, after furniture was cut or standing alone.
    if let Some(last) = kept.last().copied() {
        let line = &text[last.start..last.end];
        let words: Vec<&str> = line.split_whitespace().collect();
        let title_case = words
            .iter()
            .all(|w| w.chars().next().is_some_and(|c| c.is_uppercase() || !c.is_alphabetic()));
        let bare = !line.ends_with(['.', '!', '?', '"', '”', ':']);
        if kept.len() > 1 && words.len() <= 3 && title_case && bare && (cut_any || words.len() <= 2) {
            kept.pop();
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        parse(text)
            .sentences
            .iter()
            .map(|s| &text[s.span.start..s.span.end])
            .collect()
    }

    #[test]
    fn pieces_cut_at_spaces_within_the_limit() {
        assert_eq!(pieces("one two three", 20).collect::<Vec<_>>(), ["one two three"]);
        assert_eq!(pieces("one two three", 8).collect::<Vec<_>>(), ["one two", "three"]);
        // No space to cut at: a char boundary, never inside "é".
        assert_eq!(pieces("abcdé fg", 5).collect::<Vec<_>>(), ["abcd", "é fg"]);
        assert_eq!(pieces("  ", 1).count(), 0);
        assert_eq!(pieces("", 8).count(), 0);
    }

    macro_rules! t {
        ($name:ident, $text:expr, [$($want:expr),* $(,)?]) => {
            #[test]
            fn $name() {
                let want: Vec<&str> = vec![$($want),*];
                assert_eq!(sentences($text), want);
            }
        };
    }

    t!(
        headline_then_body,
        "Talks stall in Geneva\n\nThe envoy left. Nobody spoke.",
        ["Talks stall in Geneva", "The envoy left.", "Nobody spoke."]
    );
    t!(
        us_abbreviation,
        "Headline\nThe U.S. envoy met Mr. Smith on Feb. 3. He left.",
        ["Headline", "The U.S. envoy met Mr. Smith on Feb. 3.", "He left."]
    );
    t!(
        initials,
        "Headline\nVice President J. D. Vance spoke. Talks went on.",
        ["Headline", "Vice President J. D. Vance spoke.", "Talks went on."]
    );
    t!(
        numbers,
        "Headline\nIt rose 3.5 percent to 1,000 troops. No. 10 said so.",
        ["Headline", "It rose 3.5 percent to 1,000 troops.", "No. 10 said so."]
    );
    t!(
        curly_quote_end,
        "Headline\n“We will not sign.” He left the room.",
        ["Headline", "“We will not sign.”", "He left the room."]
    );
    t!(
        ellipsis_among_curly_quotes,
        "Headline\nThe ‘deal’ is “dead”… Talks — if any — wait. ‘No!’ Kyiv’s envoy said.",
        [
            "Headline",
            "The ‘deal’ is “dead”…",
            "Talks — if any — wait.",
            "‘No!’",
            "Kyiv’s envoy said."
        ]
    );
    t!(
        straight_quote_end,
        "Headline\nHe said \"no deal.\" Then he left.",
        ["Headline", "He said \"no deal.\"", "Then he left."]
    );
    t!(
        unbalanced_quote,
        "Headline\n“Additionally, the Kremlin demands more. Kyiv refused.",
        ["Headline", "“Additionally, the Kremlin demands more.", "Kyiv refused."]
    );
    t!(
        lowercase_continues,
        "Headline\nHe dismissed the claims. as “lies.”",
        ["Headline", "He dismissed the claims. as “lies.”"]
    );
    t!(
        crlf_and_nbsp,
        "Headline\r\n\r\nOne\u{a0}sentence here.\u{a0} Another one.\r\n",
        ["Headline", "One\u{a0}sentence here.", "Another one."]
    );
    t!(
        comment_form_cut,
        "Headline\nBody text.\n\nLeave a Reply\n\nYour email address will not be published.\n\nNewseum Global",
        ["Headline", "Body text."]
    );
    t!(
        furniture_cut,
        "Headline\nBody text.\nShare this:\nThis site uses Akismet to reduce spam.\nMore body.",
        ["Headline", "Body text.", "More body."]
    );
    t!(
        trailing_site_name_cut,
        "Headline\nBody text.\nRelated: other story\nNews Daily",
        ["Headline", "Body text."]
    );
    t!(
        lone_cr,
        "Headline\r\rOne sentence here. Another one.\rA third line.\r",
        ["Headline", "One sentence here.", "Another one.", "A third line."]
    );
    t!(empty, "", []);
    t!(whitespace_only, " \n\u{a0}\r\n ", []);

    #[test]
    fn datelines() {
        for (text, want) in [
            (
                "TAIPEI (Taiwan News) — Accepting it is the only way.",
                "Accepting it is the only way.",
            ),
            ("KYIV, June 2 (Reuters) - Russia said.", "Russia said."),
            ("Dec. 14 (UPI) — Zelensky said Sunday.", "Zelensky said Sunday."),
            (
                "TEHRAN – Iran’s Foreign Ministry has commented.",
                "Iran’s Foreign Ministry has commented.",
            ),
            (
                "Russia said — again — that it would not.",
                "Russia said — again — that it would not.",
            ),
            (
                "The talks — held in Geneva — went on.",
                "The talks — held in Geneva — went on.",
            ),
            (
                "NATO said — again — that it would not.",
                "NATO said — again — that it would not.",
            ),
            // A hyphen after a letter beyond ASCII is no dash.
            ("KYIV-É-KYIV - Russia said.", "Russia said."),
            ("ÉTÉ-CAMP said.", "ÉTÉ-CAMP said."),
        ] {
            assert_eq!(&text[dateline_len(text)..], want, "{text}");
        }
    }

    #[test]
    fn weekday_between_verb_and_complement_is_dropped() {
        let cases = [
            ("Israel said on Tuesday that it would", "Israel said that it would"),
            ("They agreed Wednesday to a truce.", "They agreed to a truce."),
            ("Kyiv rejected the plan on Friday.", "Kyiv rejected the plan."),
            // A sentence opening, a possessive and a name stay.
            ("On Monday, Iran said no.", "On Monday, Iran said no."),
            ("Monday's talks failed.", "Monday's talks failed."),
            ("the Ash Wednesday truce", "the Ash Wednesday truce"),
            ("since Sunday night", "since Sunday night"),
            // Not a weekday: a longer word ending in one.
            ("they agreed xWednesday to a truce", "they agreed xWednesday to a truce"),
            ("they agreed Wednesday to a truce", "they agreed to a truce"),
        ];
        for (text, want) in cases {
            let n = Normalized::new(text);
            assert_eq!(n.text, want);
        }
        // Offsets still lead back to the original bytes.
        let text = "Israel said on Tuesday that it would";
        let n = Normalized::new(text);
        let that = n.text.find("that").unwrap();
        let span = n.original(Span::new(that, that + 4));
        assert_eq!(&text[span.start..span.end], "that");
    }

    #[test]
    fn unicode_line_separators_end_lines() {
        let n = Normalized::new("Talks stall\u{2029}One sentence here.\u{2028}Another\u{85}line.");
        assert_eq!(n.text, "Talks stall\nOne sentence here.\nAnother\nline.");
        assert_eq!(
            sentences(&n.text),
            ["Talks stall", "One sentence here.", "Another", "line."]
        );
    }

    /// The map back, checked against a byte-for-byte map built the plain
    /// way, on text with every kind of whitespace and a dropped weekday.
    #[test]
    fn stretches_agree_with_a_byte_for_byte_map() {
        let text = "A\u{a0}\u{a0}demand\tthat \u{2003} Kyiv withdraw, Russia said on Tuesday that \u{feff}it\r\nwould\u{a0}“agree” to talks.\u{2029}Next \u{2028}line\u{85}. A line long enough for whole chunks of plain bytes, then  two spaces, sixteen more plain bytes\tand a tab,        and a run of spaces.";
        // The plain way: one entry per byte of the normalised text.
        let mut plain: Vec<(char, usize)> = Vec::new();
        let mut in_space = false;
        for (i, c) in text.char_indices() {
            if matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}') {
                in_space = false;
                plain.push(('\n', i));
            } else if c != '\n' && c != '\r' && (c.is_whitespace() || c == '\u{feff}') {
                if !in_space {
                    plain.push((' ', i));
                }
                in_space = true;
            } else {
                in_space = false;
                plain.extend((0..c.len_utf8()).map(|k| (c, i + k)));
            }
        }
        let n = Normalized::new(text);
        let spaced: String = plain
            .iter()
            .filter(|(_, k)| text.is_char_boundary(*k))
            .map(|(c, _)| *c)
            .collect();
        let dropped = spaced.find(" on Tuesday").unwrap();
        plain.drain(dropped..dropped + " on Tuesday".len());
        assert_eq!(n.text.len(), plain.len());
        for (at, &(_, from)) in plain.iter().enumerate() {
            assert_eq!(
                n.original(Span::new(at, at + 1)).start,
                from,
                "byte {at} of {:?}",
                n.text
            );
        }
    }

    /// Each byte value in each place of a word, against each target byte.
    #[test]
    fn bytes_equal_marks_exactly_the_equal_bytes() {
        for b in 0..=255u8 {
            for x in 0..=255u8 {
                let bytes = [x, b, 0x80, x, b.wrapping_add(1), 0, x, b ^ 0x80];
                let want = bytes
                    .iter()
                    .enumerate()
                    .filter(|&(_, &y)| y == b)
                    .fold(0, |mask, (k, _)| mask | 0x80 << (8 * k));
                assert_eq!(bytes_equal(u64::from_le_bytes(bytes), b), want, "{x:#x} {b:#x}");
            }
        }
    }

    /// Spaces collapse wherever they fall against the eight-byte steps the
    /// normaliser takes.
    #[test]
    fn spaces_collapse_across_chunk_boundaries() {
        for k in 0..40 {
            let lead = "a".repeat(k);
            let text = format!("{lead}  b\t\tc \u{a0}d");
            let n = Normalized::new(&text);
            assert_eq!(n.text, format!("{lead} b c d"), "{k}");
            for word in ["b", "c", "d"] {
                let at = n.text.rfind(word).unwrap();
                let span = n.original(Span::new(at, at + 1));
                assert_eq!(&text[span.start..span.end], word, "{k}");
            }
        }
    }

    #[test]
    fn normalized_maps_back() {
        let text = "A\u{a0}\u{a0}demand\tthat  Kyiv.";
        let n = Normalized::new(text);
        assert_eq!(n.text, "A demand that Kyiv.");
        let at = n.text.find("Kyiv.").unwrap();
        let orig = n.original(Span::new(at, at + 5));
        assert_eq!(&text[orig.start..orig.end], "Kyiv.");
        let whole = n.original(Span::new(0, n.text.len()));
        assert_eq!((whole.start, whole.end), (0, text.len()));
    }

    #[test]
    fn spans_slice_the_input() {
        let text = "Headline here\r\n\r\n“Quote.” Then Mr. X said 3.5. Done!\r\nNext line?";
        let doc = parse(text);
        let mut last = 0;
        for s in &doc.sentences {
            assert!(s.span.start >= last && s.span.start < s.span.end);
            assert!(text.is_char_boundary(s.span.start) && text.is_char_boundary(s.span.end));
            last = s.span.end;
        }
        assert_eq!(doc.headline, Some(Span::new(0, 13)));
    }
}

/// Byte length of a dateline opening `sentence` ("TAIPEI (Taiwan News) — ",
/// "KYIV, June 2 (Reuters) - ", "Dec. 14 (UPI) — "), including the dash and
/// the space after it; 0 when there is none.
pub fn dateline_len(sentence: &str) -> usize {
    dateline
        .parse(sentence)
        .map_or(0, |(rest, _)| sentence.len() - rest.len())
}

/// A dateline: a short place or date with an optional (source), then a dash.
fn dateline(input: &str) -> IResult<&str, &str> {
    let fail = || nom::Err::Error(nom::error::Error::new(input, nom::error::ErrorKind::Verify));
    let window = &input[..floor_char_boundary(input, 100)];
    // The first dash, in one pass: an em or en dash, or a hyphen between
    // spaces, found from its first byte (0xE2 or the hyphen).
    let bytes = window.as_bytes();
    let dash = memchr::memchr2_iter(0xE2, b'-', bytes)
        .find_map(|k| match bytes[k] {
            0xE2 if window[k..].starts_with(['—', '–']) => Some(k),
            b'-' if k > 0
                && bytes[k - 1] == b' '
                && (window[k..].starts_with("- ") || window[k..].starts_with("-- ")) =>
            {
                Some(k - 1)
            }
            _ => None,
        })
        .ok_or_else(fail)?;
    let head = input[..dash].trim_end();
    let words = head.split_whitespace().count();
    let shouting = head
        .split(|c: char| !c.is_alphabetic())
        .any(|w| w.chars().count() >= 3 && w.chars().all(char::is_uppercase));
    let sourced = head.ends_with(')');
    let names_only = head
        .split_whitespace()
        .all(|w| !w.starts_with(|c: char| c.is_lowercase()));
    if head.is_empty() || !names_only || words > 8 || !(shouting || sourced) || head.contains(['“', '"', '!', '?']) {
        return Err(fail());
    }
    let (rest, _) = take_while(|c: char| matches!(c, '—' | '–' | '-') || is_space(c)).parse(&input[dash..])?;
    Ok((rest, head))
}

/// The last char boundary of `s` at or before byte `at` (or its end).
pub(crate) fn floor_char_boundary(s: &str, mut at: usize) -> usize {
    at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The day a statement was made, standing between a verb and what the
/// verb governs ("said on Tuesday that", "agreed Wednesday to a truce"):
/// the spans to drop (with their leading space) so that the verb's
/// constructions match as if it were not there. A weekday that opens a
/// sentence ("On Monday, ...") or names a thing ("Monday's talks") stays.
fn weekday_adverbials(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    // Searched for with memchr's vector search: "day" is in most lines.
    for at in memchr::memmem::find_iter(text.as_bytes(), "day") {
        let end = at + "day".len();
        // The word's start: at most "Wednes" back, so that a long run of
        // letters is not walked back over at every "day" in it.
        let letters = text.as_bytes()[..at]
            .iter()
            .rev()
            .take(7)
            .take_while(|b| b.is_ascii_alphabetic())
            .count();
        let start = at - letters;
        if !WEEKDAYS.contains(&&text[start..end]) {
            continue;
        }
        let after = &text[end..];
        if after.starts_with(|c: char| c.is_alphanumeric() || c == '\'' || c == '’') {
            continue;
        }
        let before = &text[..start];
        // The word before the adverbial is lower-case: a verb, not the
        // start of a sentence or a name.
        let lower_word_ends = |s: &str| {
            s.rsplit(' ')
                .next()
                .is_some_and(|w| w.starts_with(|c: char| c.is_lowercase()) && w.chars().all(char::is_alphabetic))
        };
        if let Some(head) = before.strip_suffix(" on ")
            && lower_word_ends(head)
        {
            out.push(Span::new(head.len(), end));
        } else if let Some(head) = before.strip_suffix(' ')
            && lower_word_ends(head)
            && (after.starts_with(" to ") || after.starts_with(" that ") || after.starts_with(','))
        {
            out.push(Span::new(head.len(), end));
        }
    }
    out
}

/// Text with horizontal whitespace normalised (tabs, non-breaking and other
/// Unicode spaces become one ASCII space, runs collapse) and the weekday a
/// statement was made on dropped (see `weekday_adverbials`), so that lexicon
/// phrases and constructions match whatever the page put between their
/// words, with a map back to the original bytes.
#[derive(Debug, Clone)]
pub struct Normalized {
    pub text: String,
    /// The map back: (offset in `text`, original offset) where a stretch
    /// copied byte for byte begins, in order. Most text is copied as it
    /// is, so a stretch is long and the map is short.
    stretches: Vec<(u32, u32)>,
}

/// Records that the byte of a normalised text at `at` came from original
/// byte `from`, unless the last stretch already says so.
fn map_byte(stretches: &mut Vec<(u32, u32)>, at: usize, from: usize) {
    let (at, from) = (at as u32, from as u32);
    if stretches.last().is_none_or(|&(n, o)| at - n != from - o) {
        stretches.push((at, from));
    }
}

/// Unicode's own line ends: next line (U+0085), line separator (U+2028)
/// and paragraph separator (U+2029). Text from some publishing systems
/// breaks its lines with them; they become newlines.
const LINE_SEPARATORS: [char; 3] = ['\u{85}', '\u{2028}', '\u{2029}'];

/// The high bit of each byte of a 64-bit word.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The bytes of `word` (little-endian) equal to `b`, as the high bit of
/// each such byte. No carry crosses a byte: adding 0x7F to seven bits
/// cannot overflow one.
fn bytes_equal(word: u64, b: u8) -> u64 {
    let x = word ^ (u64::from(b) * 0x0101_0101_0101_0101);
    !(((x & !HIGH_BITS) + !HIGH_BITS) | x) & HIGH_BITS
}

impl Normalized {
    pub fn new(original: &str) -> Normalized {
        let mut text = String::with_capacity(original.len());
        let mut stretches = Vec::new();
        let bytes = original.as_bytes();
        let mut in_space = false;
        let mut i = 0;
        while i < bytes.len() {
            // A run of ASCII characters, single spaces included, is copied
            // as it is, in one step.
            let start = i;
            // Eight bytes at a time while they are plain: ASCII, no tab,
            // vertical tab or form feed, and no space after a space. The
            // eight are tested at once as one 64-bit word.
            while let Some(chunk) = bytes.get(i..i + 8) {
                let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
                let special = word & HIGH_BITS != 0
                    || bytes_equal(word, b'\t') | bytes_equal(word, b'\x0b') | bytes_equal(word, b'\x0c') != 0;
                let spaces = bytes_equal(word, b' ');
                // Two spaces in a row, the first perhaps the last chunk's.
                let double_space = spaces & (spaces >> 8) != 0 || (in_space && spaces & 0x80 != 0);
                if special || double_space {
                    break;
                }
                in_space = spaces >> 63 != 0;
                i += 8;
            }
            while i < bytes.len() {
                let b = bytes[i];
                if !b.is_ascii() || matches!(b, b'\t' | b'\x0b' | b'\x0c') || (b == b' ' && in_space) {
                    break;
                }
                in_space = b == b' ';
                i += 1;
            }
            if i > start {
                map_byte(&mut stretches, text.len(), start);
                text.push_str(&original[start..i]);
                continue;
            }
            let c = original[i..].chars().next().expect("not at the end");
            let horizontal_space = c != '\n' && c != '\r' && (c.is_whitespace() || c == '\u{feff}');
            if LINE_SEPARATORS.contains(&c) {
                // A line ends here as at a newline, which the parser knows.
                in_space = false;
                map_byte(&mut stretches, text.len(), i);
                text.push('\n');
            } else if horizontal_space {
                if !in_space {
                    map_byte(&mut stretches, text.len(), i);
                    text.push(' ');
                }
                in_space = true;
            } else {
                in_space = false;
                map_byte(&mut stretches, text.len(), i);
                text.push(c);
            }
            i += c.len_utf8();
        }
        let drops = weekday_adverbials(&text);
        if drops.is_empty() {
            return Normalized { text, stretches };
        }
        let normalized = Normalized { text, stretches };
        let mut kept = String::with_capacity(normalized.text.len());
        let mut kept_stretches = Vec::new();
        let mut from = 0;
        for d in drops
            .into_iter()
            .chain([Span::new(normalized.text.len(), normalized.text.len())])
        {
            if from == d.start {
                from = d.end;
                continue;
            }
            // Each stretch within the kept piece begins anew after it.
            let first = normalized.stretches.partition_point(|&(n, _)| n as usize <= from) - 1;
            for &(n, o) in &normalized.stretches[first..] {
                let n = n as usize;
                if n >= d.start {
                    break;
                }
                let at = n.max(from);
                map_byte(&mut kept_stretches, kept.len() + at - from, o as usize + at - n);
            }
            kept.push_str(&normalized.text[from..d.start]);
            from = d.end;
        }
        Normalized {
            text: kept,
            stretches: kept_stretches,
        }
    }

    /// The original offset of byte `at` of the normalised text.
    fn original_byte(&self, at: usize) -> usize {
        let i = self.stretches.partition_point(|&(n, _)| n as usize <= at) - 1;
        let (n, o) = self.stretches[i];
        o as usize + at - n as usize
    }

    /// The original byte range of a normalised span.
    pub fn original(&self, span: Span) -> Span {
        if span.is_empty() {
            let at = if span.start < self.text.len() {
                self.original_byte(span.start)
            } else {
                0
            };
            return Span::new(at, at);
        }
        Span::new(self.original_byte(span.start), self.original_byte(span.end - 1) + 1)
    }
}
