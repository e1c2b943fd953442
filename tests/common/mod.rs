//! Helpers shared by the integration tests (each test crate uses some).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `../shared/eval` beside the checkout, when present. Tests that need it
/// print that they skipped when it is absent (a user's clone has none);
/// `.ci/run` fails if it is absent in CI.
pub fn shared_eval() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/eval");
    if dir.join("score.py").is_file() {
        Some(dir)
    } else {
        eprintln!("skipped: {} not found", dir.display());
        None
    }
}

/// Runs the real binary.
pub fn demarche<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_demarche"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// A run's standard output as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

/// Runs the real binary and returns its standard output; fails the test
/// unless it exits 0.
pub fn run<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> String {
    let out = demarche(args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// A fresh directory for one test, removed when the test has passed (a
/// failed test leaves it for inspection). Each call has its own, as tests
/// run at once and some share a name.
pub fn tmp(name: &str) -> TempDir {
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("demarche-{name}-{}-{call}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    TempDir(dir)
}

/// A test's directory: see [`tmp`].
pub struct TempDir(PathBuf);

impl std::ops::Deref for TempDir {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for TempDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// Writes `text` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// CSV text as rows of (column → value), in order.
pub fn rows(csv_text: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header = reader.headers().expect("a header").clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("a CSV row");
            header
                .iter()
                .map(String::from)
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect()
}

/// A small deterministic pseudo-random generator (xorshift64*) for
/// property tests: the same seed gives the same cases on every run.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The header of the hand-written claims CSV files in the tests.
pub const CLAIMS_HEADER: &str = "article,party,stance,issue,target,object,condition,sentence,start,end,evidence\n";

/// `n` random claims of `article` as claims CSV text (with header): a few
/// parties, issues, targets, object phrases and conditions, every stance.
/// Object phrases name no party, so renaming parties changes nothing else.
pub fn random_claims_csv(rng: &mut Rng, article: &str, n: usize) -> String {
    const PARTIES: [&str; 5] = ["RUS", "UKR", "USA", "EUR", "NONE"];
    const STANCES: [&str; 6] = ["demand", "offer", "accept", "reject", "threaten", "support"];
    const ISSUES: [&str; 4] = ["alliance", "territory", "ceasefire", "other"];
    const TARGETS: [&str; 5] = ["", "RUS", "UKR", "USA", "NATO"];
    const OBJECTS: [&str; 6] = [
        "",
        "drop the bid to join NATO",
        "withdraw its bid to join NATO",
        "pull troops out of Donetsk",
        "a ceasefire along the front line",
        "lift sanctions on banks",
    ];
    const CONDITIONS: [&str; 3] = ["", "if given guarantees", "unless talks fail"];
    let mut text = CLAIMS_HEADER.to_string();
    for _ in 0..n {
        let sentence = rng.below(8);
        text.push_str(&format!(
            "{article},{},{},{},{},{},{},{sentence},{},{},sentence {sentence} of {article}\n",
            rng.pick(&PARTIES),
            rng.pick(&STANCES),
            rng.pick(&ISSUES),
            rng.pick(&TARGETS),
            rng.pick(&OBJECTS),
            rng.pick(&CONDITIONS),
            sentence * 100,
            sentence * 100 + 50,
        ));
    }
    text
}
