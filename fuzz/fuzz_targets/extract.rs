//! Any text runs through the whole extraction without panicking, and every
//! claim's evidence is the text between its offsets.
#![no_main]

use std::sync::LazyLock;

use demarche::{Article, Lexicon};
use libfuzzer_sys::fuzz_target;

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::builtin().expect("the built-in lexicon loads"));

fuzz_target!(|text: &str| {
    let article = Article {
        id: "fuzz".into(),
        text: text.to_string(),
        date: None,
    };
    for claim in demarche::extract(&LEXICON, &article) {
        assert_eq!(claim.evidence, text[claim.start..claim.end]);
    }
});
