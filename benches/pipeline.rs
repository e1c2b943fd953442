//! Throughput of each stage on the bundled sample article, repeated into a
//! larger text: parse (sentences), extract (whole pipeline per article).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use demarche::{Article, Lexicon, document, input};

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

criterion_group!(benches, stages);
criterion_main!(benches);
