//! Any bytes, decoded as demarche decodes a file, parse into sentences
//! that are in order, disjoint, on char boundaries and inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(decoded) = demarche::decode::decode(bytes) else {
        return;
    };
    let text = decoded.text.as_str();
    let doc = demarche::document::parse(text);
    let mut end = 0;
    for s in &doc.sentences {
        assert!(end <= s.span.start && s.span.start < s.span.end && s.span.end <= text.len());
        assert!(text.is_char_boundary(s.span.start) && text.is_char_boundary(s.span.end));
        assert!(s.span.end - s.span.start <= demarche::document::MAX_SENTENCE);
        end = s.span.end;
    }
    assert!(decoded.offsets.original(text.len()) <= bytes.len());
});
