//! Helpers shared by the integration tests.

use std::path::PathBuf;

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
