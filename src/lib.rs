//! demarche reads news articles about conflicts and negotiations and tells
//! who demands what from whom, with evidence.
//!
//! The pipeline, one module per stage: [`document`] (nom parser: headline,
//! paragraphs, sentences) → [`lexicon`] and [`matcher`] (parties, cues,
//! issues) → [`extract`](mod@extract) (claims) → [`matrix`] (stance matrix),
//! or [`align`] (positions) → [`conflict`] (conflict matrix) and
//! [`compare`] (changes, timelines) → [`output`] (tables in CSV, TSV,
//! JSON, Markdown, terminal text or an XLSX workbook; [`cameo`] codes).
//! [`input`] reads articles ([`decode`]: encodings; [`html`]: web pages;
//! JSONL records) and claims CSV files; [`corpus`] runs a corpus on all
//! cores in input order.

pub mod align;
pub mod cameo;
pub mod compare;
pub mod conflict;
pub mod corpus;
pub mod date;
pub mod decode;
pub mod document;
mod error;
pub mod eval;
pub mod explain;
pub mod extract;
pub mod html;
pub mod input;
pub mod lexicon;
pub mod matcher;
pub mod matrix;
pub mod output;
pub mod pattern;

pub use error::{Error, Result};
pub use extract::{Article, Claim, Mode, extract};
pub use lexicon::{Lexicon, Stance};
