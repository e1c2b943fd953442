//! `demarche explain`: a readable account, sentence by sentence, of what
//! the extractor found (party mentions, cues, issue phrases, conditions,
//! the speaker) and why each cue did or did not become a claim, so an
//! analyst can trust or correct a cell.

use std::io;

use crate::extract::{self, Article, SentenceTrace};
use crate::lexicon::Lexicon;

/// Writes the explanation of one article. Sentences without any cue are
/// listed only when they mention a party and an issue (near misses).
pub fn write<W: io::Write>(mut w: W, lex: &Lexicon, article: &Article) -> io::Result<()> {
    let mut trace: Vec<SentenceTrace> = Vec::new();
    let claims = extract::extract_traced(lex, article, Some(&mut trace));
    let date = article.date.map_or("unknown".to_string(), crate::date::format);
    writeln!(w, "# {} (date {date}, {} claims)", article.id, claims.len())?;
    for s in &trace {
        let near_miss = s.cues.is_empty() && !s.parties.is_empty() && !s.issues.is_empty();
        if s.cues.is_empty() && !near_miss {
            continue;
        }
        writeln!(w)?;
        writeln!(
            w,
            "[{}] bytes {}..{}: {}",
            s.index,
            s.start,
            s.end,
            &article.text[s.start..s.end]
        )?;
        let list = |pairs: &[(String, String)]| {
            pairs
                .iter()
                .map(|(t, c)| format!("{t} → {c}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !s.parties.is_empty() {
            writeln!(w, "  parties: {}", list(&s.parties))?;
        }
        if !s.issues.is_empty() {
            writeln!(w, "  issue words: {}", list(&s.issues))?;
        }
        for c in &s.conditions {
            writeln!(w, "  condition: {c}")?;
        }
        if let Some(sp) = &s.speaker {
            writeln!(w, "  speaker: {sp}")?;
        }
        for n in &s.cues {
            writeln!(w, "  cue {:?}: {}", n.cue, n.decision)?;
        }
        if near_miss {
            writeln!(
                w,
                "  no stance cue: parties and issue words without a construction give no claim"
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explains_claims_and_drops() {
        let lex = Lexicon::builtin().unwrap();
        let article = Article {
            id: "t".into(),
            text: "Headline\n\nThe Kremlin demanded that Ukraine leave Donbas. Ukraine did not demand sanctions. \
                   If Kyiv rejects the terms, Moscow will seize land by military means."
                .into(),
            date: None,
        };
        let mut out = Vec::new();
        write(&mut out, &lex, &article).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains("cue \"demanded that\": RUS demand on territory"),
            "{text}"
        );
        assert!(
            text.contains("cue \"demand\": dropped: negated demand has no opposite"),
            "{text}"
        );
        assert!(
            text.contains("cue \"rejects\": dropped: inside a condition clause"),
            "{text}"
        );
        assert!(text.contains("condition: If Kyiv rejects the terms"), "{text}");
    }
}
