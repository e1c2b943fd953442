//! Any bytes, decoded as demarche decodes a file, parse into sentences
//! that are in order, disjoint, on char boundaries and inside the text;
//! the normalised text maps every span back inside the original.
#![no_main]

use demarche::document::{self, Normalized, Span};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(decoded) = demarche::decode::decode(bytes) else {
        return;
    };
    let text = decoded.text.as_str();
    let doc = document::parse(text);
    let mut end = 0;
    for s in &doc.sentences {
        assert!(end <= s.span.start && s.span.start < s.span.end && s.span.end <= text.len());
        assert!(text.is_char_boundary(s.span.start) && text.is_char_boundary(s.span.end));
        assert!(s.span.end - s.span.start <= document::MAX_SENTENCE);
        end = s.span.end;
    }
    assert!(decoded.offsets.original(text.len()) <= bytes.len());
    let normalized = Normalized::new(text);
    let n = normalized.text.as_str();
    for s in &document::parse(n).sentences {
        let original = normalized.original(s.span);
        assert!(original.start <= original.end && original.end <= text.len());
        assert!(text.is_char_boundary(original.start) && text.is_char_boundary(original.end));
    }
    let whole = normalized.original(Span::new(0, n.len()));
    assert!(whole.end <= text.len());
});
