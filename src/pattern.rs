//! The construction language of `data/cues.csv`: how a stance cue is
//! written, and where its holder, target and object are found.
//!
//! A pattern is a sequence of word groups and slots separated by spaces:
//!
//! ```text
//! HOLDER demands|demanded|demanding that? OBJECT
//! HOLDER called|calls|call on TARGET to OBJECT
//! OBJECT proposed by HOLDER
//! TARGET must OBJECT
//! ```
//!
//! A word group is one or more alternative words joined by `|`, optionally
//! followed by `?` (the group may be absent). Slots are upper case:
//! `HOLDER` (who holds the stance), `TARGET` (whom it is aimed at) and
//! `OBJECT` (what is demanded, offered, rejected...). The shape is
//! `[SLOT] words [SLOT words] [SLOT]`: the first run of words is the anchor
//! the matcher looks for; an optional middle slot is followed by a closing
//! run of words that must come within a few words of the anchor. The parser
//! is strict: an error names the column.

use nom::IResult;
use nom::Offset;
use nom::Parser;
use nom::branch::alt;
use nom::bytes::complete::{tag, take_while1};
use nom::character::complete::{char, space0, space1};
use nom::combinator::{map, opt, value};
use nom::multi::separated_list1;
use nom::sequence::pair;

/// A place in a construction filled from the sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Holder,
    Target,
    Object,
}

/// A compiled construction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// Slot before the anchor, if any.
    pub before: Option<Slot>,
    /// Every spelling of the anchor (optional words expanded), lower case.
    pub anchor: Vec<String>,
    /// A slot after the anchor closed by one of these spellings.
    pub gap: Option<(Slot, Vec<String>)>,
    /// Slot after the anchor (or after the closing words), if any.
    pub after: Option<Slot>,
}

impl Pattern {
    /// Whether `slot` is filled by this construction.
    pub fn has(&self, slot: Slot) -> bool {
        self.before == Some(slot) || self.after == Some(slot) || self.gap.as_ref().is_some_and(|g| g.0 == slot)
    }
}

/// A pattern that does not parse: the 1-based column and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    pub column: usize,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Element {
    Slot(Slot),
    Group { words: Vec<String>, optional: bool },
}

fn slot(input: &str) -> IResult<&str, Element> {
    map(
        alt((
            value(Slot::Holder, tag("HOLDER")),
            value(Slot::Target, tag("TARGET")),
            value(Slot::Object, tag("OBJECT")),
        )),
        Element::Slot,
    )
    .parse(input)
}

fn word(input: &str) -> IResult<&str, &str> {
    take_while1(|c: char| c.is_lowercase() || c.is_ascii_digit() || matches!(c, '\'' | '’' | '-' | '.' | ','))
        .parse(input)
}

fn group(input: &str) -> IResult<&str, Element> {
    map(pair(separated_list1(char('|'), word), opt(char('?'))), |(words, q)| {
        Element::Group {
            words: words.into_iter().map(str::to_owned).collect(),
            optional: q.is_some(),
        }
    })
    .parse(input)
}

fn element(input: &str) -> IResult<&str, Element> {
    alt((slot, group)).parse(input)
}

fn elements(input: &str) -> IResult<&str, Vec<Element>> {
    let (input, _) = space0.parse(input)?;
    let (input, list) = separated_list1(space1, element).parse(input)?;
    let (input, _) = space0.parse(input)?;
    Ok((input, list))
}

/// Parses one construction.
pub fn parse(source: &str) -> Result<Pattern, PatternError> {
    let column = |rest: &str| source.offset(rest) + 1;
    let (rest, list) = match elements.parse(source) {
        Ok(ok) => ok,
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => {
            return Err(PatternError {
                column: column(e.input),
                message: "expected a lower-case word, a word group (a|b) or a slot (HOLDER, TARGET, OBJECT)".into(),
            });
        }
        Err(nom::Err::Incomplete(_)) => unreachable!("complete parsers never return Incomplete"),
    };
    if !rest.is_empty() {
        return Err(PatternError {
            column: column(rest),
            message: format!("unexpected {:?}", rest.chars().next().unwrap_or(' ')),
        });
    }
    build(list).map_err(|message| PatternError { column: 1, message })
}

fn build(list: Vec<Element>) -> Result<Pattern, String> {
    let mut items = list.into_iter().peekable();
    let before = match items.peek() {
        Some(Element::Slot(s)) => {
            let s = *s;
            items.next();
            Some(s)
        }
        _ => None,
    };
    let mut anchor_groups = Vec::new();
    while let Some(Element::Group { .. }) = items.peek() {
        anchor_groups.push(items.next().expect("peeked"));
    }
    if anchor_groups.is_empty() {
        return Err("a construction needs words after its first slot".into());
    }
    let mut gap = None;
    let mut after = None;
    if let Some(Element::Slot(s)) = items.next() {
        let mut closing = Vec::new();
        while let Some(Element::Group { .. }) = items.peek() {
            closing.push(items.next().expect("peeked"));
        }
        if closing.is_empty() {
            after = Some(s);
        } else {
            gap = Some((s, expand(&closing)?));
            if let Some(Element::Slot(t)) = items.next() {
                after = Some(t);
            }
        }
    }
    if items.next().is_some() {
        return Err("too many parts: the shape is [SLOT] words [SLOT words] [SLOT]".into());
    }
    let pattern = Pattern {
        before,
        anchor: expand(&anchor_groups)?,
        gap,
        after,
    };
    let slots = [pattern.before, pattern.gap.as_ref().map(|g| g.0), pattern.after];
    for s in [Slot::Holder, Slot::Target, Slot::Object] {
        if slots.iter().filter(|x| **x == Some(s)).count() > 1 {
            return Err(format!("slot {s:?} appears twice").to_uppercase());
        }
    }
    Ok(pattern)
}

/// Every spelling of a run of word groups, optional groups present or not.
fn expand(groups: &[Element]) -> Result<Vec<String>, String> {
    if groups
        .iter()
        .all(|g| matches!(g, Element::Group { optional: true, .. }))
    {
        return Err("every word group is optional: the construction could match nothing".into());
    }
    let mut out: Vec<String> = vec![String::new()];
    for g in groups {
        let Element::Group { words, optional } = g else {
            unreachable!("expand is given groups only")
        };
        let mut next = Vec::new();
        for prefix in &out {
            if *optional {
                next.push(prefix.clone());
            }
            for w in words {
                let joined = if prefix.is_empty() {
                    w.clone()
                } else {
                    format!("{prefix} {w}")
                };
                next.push(joined);
            }
        }
        out = next;
    }
    if out.len() > 512 {
        return Err(format!(
            "{} spellings: split the construction into several rows",
            out.len()
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn active_construction() {
        let p = parse("HOLDER demands|demanded that? OBJECT").unwrap();
        assert_eq!(p.before, Some(Slot::Holder));
        assert_eq!(p.after, Some(Slot::Object));
        assert_eq!(p.anchor, vec!["demands", "demands that", "demanded", "demanded that"]);
        assert_eq!(p.gap, None);
    }

    #[test]
    fn gap_construction() {
        let p = parse("HOLDER called|calls on TARGET to OBJECT").unwrap();
        assert_eq!(p.anchor, vec!["called on", "calls on"]);
        assert_eq!(p.gap, Some((Slot::Target, vec!["to".to_string()])));
        assert_eq!(p.after, Some(Slot::Object));
    }

    #[test]
    fn passive_construction() {
        let p = parse("OBJECT proposed by HOLDER").unwrap();
        assert_eq!(p.before, Some(Slot::Object));
        assert_eq!(p.after, Some(Slot::Holder));
        assert!(p.has(Slot::Holder) && !p.has(Slot::Target));
    }

    #[test]
    fn curly_apostrophe_words() {
        let p = parse("HOLDER won’t|won't accept OBJECT").unwrap();
        assert_eq!(p.anchor.len(), 2);
    }

    macro_rules! bad {
        ($name:ident, $src:expr, $col:expr) => {
            #[test]
            fn $name() {
                let e = parse($src).unwrap_err();
                assert_eq!(e.column, $col, "{}", e.message);
            }
        };
    }

    bad!(unknown_slot, "HOLDER demands SPEAKER", 16);
    bad!(no_words, "HOLDER OBJECT", 1);
    bad!(double_slot, "HOLDER says HOLDER", 1);
    bad!(empty_alternative, "HOLDER demands| OBJECT", 15);
    bad!(all_optional, "HOLDER that? OBJECT", 1);
    bad!(empty, "", 1);
}
