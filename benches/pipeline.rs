//! Throughput of each stage on the bundled sample article, repeated into a
//! larger text: parse (sentences), normalise, match (dictionary lookups),
//! extract (whole pipeline per article);
//! and of hostile shapes at two sizes, whose MB/s must not fall as the
//! size grows (time linear in size).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use demarche::{Article, Lexicon, document, input, matcher};

fn corpus() -> String {
    // The sample's paragraphs repeated, as one long article.
    let mut text = String::new();
    for _ in 0..50 {
        text.push_str(input::SAMPLE_TEXT);
        text.push('\n');
    }
    text
}

fn stages(c: &mut Criterion) {
    let lex = Lexicon::builtin().expect("built-in lexicon loads");
    let text = corpus();
    let mut group = c.benchmark_group("stages");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("parse", |b| b.iter(|| document::parse(black_box(&text))));
    group.bench_function("normalize", |b| b.iter(|| document::Normalized::new(black_box(&text))));
    // Dictionary matching alone: parties, cues and issue words per sentence.
    let doc = document::parse(&text);
    group.bench_function("match", |b| {
        b.iter(|| {
            let mut found = 0;
            let mut all = matcher::scan(&lex, black_box(&text));
            let mut matches = matcher::Found::default();
            let (mut mentions, mut cues, mut issues) = (Vec::new(), Vec::new(), Vec::new());
            for s in &doc.sentences {
                all.sentence(s.span, &mut matches);
                let words = matcher::WordIndex::new(&text, s.span);
                matcher::mentions(&lex, &words, &mut matches.parties, None, &mut mentions);
                found += mentions.len();
                matcher::phrases(&lex, &text, s.span, &matches, &mut cues, &mut issues);
                found += cues.len() + issues.len();
            }
            found
        })
    });
    let article = Article {
        id: "bench".into(),
        text: text.clone(),
        date: None,
    };
    group.bench_function("extract", |b| b.iter(|| demarche::extract(&lex, black_box(&article))));
    group.finish();

    let sample = input::sample();
    let mut group = c.benchmark_group("end_to_end");
    group.throughput(Throughput::Bytes(sample.text.len() as u64));
    group.bench_function("extract_sample_article", |b| {
        b.iter(|| demarche::extract(&lex, black_box(&sample)))
    });
    group.bench_function("load_lexicon", |b| b.iter(|| Lexicon::builtin().expect("loads")));
    group.finish();
}

/// Text of `bytes` bytes in a pathological shape.
fn hostile_shape(shape: &str, bytes: usize) -> String {
    const WORDS: &[&str] = &[
        "the", "Kremlin", "demanded", "that", "Ukraine", "withdraw", "its", "bid", "to", "join", "NATO", "and", "said",
    ];
    let mut text = String::with_capacity(bytes + 16);
    let mut i = 0;
    while text.len() < bytes {
        match shape {
            // One line of prose: sentences, but never a newline.
            "no_newline" => {
                text.push_str(WORDS[i % WORDS.len()]);
                text.push_str(if i % 17 == 16 { ". " } else { " " });
            }
            // One sentence: no newline and no sentence end.
            "one_sentence" => {
                text.push_str(WORDS[i % WORDS.len()]);
                text.push(' ');
            }
            "nested_quotes" => text.push_str(if text.len() < bytes / 2 { "\"“" } else { "”\"" }),
            "nested_brackets" => text.push_str(if text.len() < bytes / 2 { "([" } else { "])" }),
            "one_char_lines" => text.push_str("a\n"),
            // One word of letters, "day" after "day".
            "one_word" => text.push_str("day"),
            _ => unreachable!("unknown shape {shape}"),
        }
        i += 1;
    }
    text
}

fn hostile(c: &mut Criterion) {
    let lex = Lexicon::builtin().expect("built-in lexicon loads");
    let mut group = c.benchmark_group("hostile");
    group.sample_size(10);
    for shape in [
        "no_newline",
        "one_sentence",
        "nested_quotes",
        "nested_brackets",
        "one_char_lines",
        "one_word",
    ] {
        for mb in [1, 4] {
            let article = Article {
                id: "hostile".into(),
                text: hostile_shape(shape, mb << 20),
                date: None,
            };
            group.throughput(Throughput::Bytes(article.text.len() as u64));
            group.bench_function(format!("{shape}/{mb}MB"), |b| {
                b.iter(|| demarche::extract(&lex, black_box(&article)))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, stages, hostile);
criterion_main!(benches);

/// The allocator the binary ships with (see src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
