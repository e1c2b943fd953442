//! A corpus through the extractor: inputs read in order on one thread,
//! decoded and extracted on all cores, results handed back in input order.
//! Memory is bounded by a few windows of documents in flight (read ahead,
//! in work, handed on), not by the corpus: a million-article JSONL file
//! streams through.

use std::sync::mpsc;

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::extract::Claim;
use crate::input::{self, Origin, Read};
use crate::lexicon::Lexicon;

/// One document read and extracted; the claims' offsets are into the
/// input file.
pub struct Done {
    pub read: Read,
    pub claims: Vec<Claim>,
}

/// Documents in flight per worker thread: enough to keep every core busy
/// while the slowest document of a batch finishes.
const WINDOW_PER_JOB: usize = 8;

/// Reads `origins` and extracts each article on `jobs` threads, calling
/// `each` with every document (or the error that stopped it) in input
/// order. Waiting input is taken as it comes, so that a stream on standard
/// input is answered document by document. Stops at the first error
/// `each` returns (a closed output, say) and returns it.
pub fn run<F>(lexicon: &Lexicon, origins: Vec<Origin>, date: Option<u32>, jobs: usize, mut each: F) -> Result<()>
where
    F: FnMut(Result<Done>) -> Result<()>,
{
    run_rendered(lexicon, origins, date, jobs, |_| (), |done| each(done.map(|(d, ())| d)))
}

/// [`run`], with `render` applied to each document on the workers too (say,
/// formatting its output rows), so that the one thread that calls `each`
/// in order does as little as possible.
pub fn run_rendered<R, T, F>(
    lexicon: &Lexicon,
    origins: Vec<Origin>,
    date: Option<u32>,
    jobs: usize,
    render: R,
    mut each: F,
) -> Result<()>
where
    R: Fn(&Done) -> T + Sync,
    T: Send,
    F: FnMut(Result<(Done, T)>) -> Result<()>,
{
    let jobs = jobs.max(1);
    let window = jobs * WINDOW_PER_JOB;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| Error::Usage(format!("cannot start {jobs} worker threads: {e}")))?;
    let (sender, receiver) = mpsc::sync_channel(window);
    // The reader ends when the inputs do, or when the receiver is gone.
    std::thread::spawn(move || {
        for pending in input::pending(origins) {
            if sender.send(pending).is_err() {
                break;
            }
        }
    });
    let work = |pending: Result<input::Pending>| -> Result<(Done, T)> {
        let read = pending?.read(date)?;
        let mut claims = crate::extract(lexicon, &read.article);
        read.locate(&mut claims);
        let done = Done { read, claims };
        let rendered = render(&done);
        Ok((done, rendered))
    };
    let mut batch = Vec::with_capacity(window);
    // The last batch's results: this thread hands them on while the
    // workers do the next batch, so that neither waits for the other.
    let mut previous: Vec<Result<(Done, T)>> = Vec::new();
    let mut inputs_open = true;
    loop {
        // The next batch: what has come in. Input is waited for only when
        // nothing is left to hand on, so that a stream on standard input
        // is answered as each document is done.
        while inputs_open && batch.len() < window {
            match receiver.try_recv() {
                Ok(pending) => batch.push(pending),
                Err(mpsc::TryRecvError::Empty) if batch.is_empty() && previous.is_empty() => match receiver.recv() {
                    Ok(pending) => batch.push(pending),
                    Err(_) => inputs_open = false,
                },
                Err(mpsc::TryRecvError::Empty) => break,
                Err(mpsc::TryRecvError::Disconnected) => inputs_open = false,
            }
        }
        if batch.is_empty() && previous.is_empty() {
            return Ok(());
        }
        let mut next = Vec::new();
        let mut handed = Ok(());
        pool.in_place_scope(|scope| {
            scope.spawn(|_| next = batch.par_drain(..).map(work).collect());
            for result in previous.drain(..) {
                handed = each(result);
                if handed.is_err() {
                    break;
                }
            }
        });
        handed?;
        previous = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn results_come_in_input_order_whatever_the_threads() {
        let dir = std::env::temp_dir().join(format!("demarche-corpus-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut origins = Vec::new();
        for i in 0..40 {
            let path = dir.join(format!("{i:02}.txt"));
            // Longer and shorter articles, so that threads finish out of order.
            let body = "The Kremlin demanded that Ukraine withdraw its bid to join NATO. ".repeat(1 + (i % 7) * 20);
            std::fs::write(&path, format!("Talks\n\n{body}\n")).unwrap();
            origins.push(Origin::File(path, input::Kind::Text));
        }
        origins.insert(5, Origin::File(PathBuf::from("/nonexistent/x.txt"), input::Kind::Text));
        let lexicon = Lexicon::builtin().unwrap();
        let mut seen = Vec::new();
        run(&lexicon, origins, None, 2, |done| {
            seen.push(match done {
                Ok(d) => {
                    assert!(!d.claims.is_empty());
                    d.read.article.id
                }
                Err(e) => format!("error: {e}"),
            });
            Ok(())
        })
        .unwrap();
        let mut expected: Vec<String> = (0..40).map(|i| format!("{i:02}")).collect();
        expected.insert(
            5,
            "error: /nonexistent/x.txt: No such file or directory (os error 2)".into(),
        );
        assert_eq!(seen, expected);
    }
}
