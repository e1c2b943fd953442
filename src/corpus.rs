//! A corpus through the extractor: inputs read in order on one thread,
//! decoded and extracted on all cores, results handed back in input order.
//! Memory is bounded by two windows of documents (read ahead; in work or
//! waiting their turn), not by the corpus: a million-article JSONL file
//! streams through.

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError, mpsc};

use crate::error::{Error, Result};
use crate::extract::{Claim, ClaimView};
use crate::input::{self, Origin, Read};
use crate::lexicon::Lexicon;

/// One document read and extracted; the claims' offsets are into the
/// input file.
pub struct Done {
    pub read: Read,
    /// The claims, when they are kept (see [`run_rendered`]).
    pub claims: Vec<Claim>,
    /// How many claims the document gave, kept or not.
    pub found: usize,
}

/// Documents in flight per worker thread: enough that a worker always finds
/// one waiting, however long the document ahead of it in order takes.
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
    run_rendered(
        lexicon,
        origins,
        date,
        jobs,
        true,
        |_, _| (),
        |done| each(done.map(|(d, ())| d)),
    )
}

/// [`run`], with `render` applied on the workers to each document and its
/// claims (say, formatting its output rows), so that the one thread that
/// calls `each` in order does as little as possible. The claims reach
/// `render` as views of the document's text; they are copied into
/// [`Done::claims`] only when `keep` is set (claims written out as they come
/// need no copy), and each source's SHA-256 is taken only then too (only
/// the kept documents' sources are listed).
pub fn run_rendered<R, T, F>(
    lexicon: &Lexicon,
    origins: Vec<Origin>,
    date: Option<u32>,
    jobs: usize,
    keep: bool,
    render: R,
    mut each: F,
) -> Result<()>
where
    R: Fn(&Read, &[ClaimView]) -> T + Sync,
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
        let read = pending?.read(date, keep)?;
        let (claims, found, rendered) = crate::extract::extract_with(lexicon, &read.article, |mut views| {
            read.locate(&mut views);
            let rendered = render(&read, &views);
            let claims = if keep {
                views.iter().map(ClaimView::to_claim).collect()
            } else {
                Vec::new()
            };
            (claims, views.len(), rendered)
        });
        Ok((Done { read, claims, found }, rendered))
    };
    // Each document is a task of its own: a worker takes the next as soon
    // as it is free, and no worker waits for a slower document of a batch.
    // Results come back tagged with their place in the input and are
    // handed on in that order; at most `window` documents are in flight.
    let (results, finished) = mpsc::channel();
    let mut handed = Ok(());
    pool.in_place_scope(|scope| {
        let mut waiting = BTreeMap::new();
        let (mut dispatched, mut next) = (0, 0);
        let mut inputs_open = true;
        while handed.is_ok() {
            while inputs_open && dispatched - next < window {
                // Input is waited for only when nothing is in flight, so that
                // a stream on standard input is answered document by document.
                let pending = if dispatched == next {
                    receiver.recv().map_err(|_| mpsc::TryRecvError::Disconnected)
                } else {
                    receiver.try_recv()
                };
                let pending = match pending {
                    Ok(pending) => pending,
                    Err(mpsc::TryRecvError::Empty) => break,
                    Err(mpsc::TryRecvError::Disconnected) => {
                        inputs_open = false;
                        break;
                    }
                };
                let (results, at) = (results.clone(), dispatched);
                scope.spawn(move |_| {
                    // A panic is carried to this thread and raised there: a
                    // result that never came would leave it waiting.
                    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(pending)));
                    let _ = results.send((at, result));
                });
                dispatched += 1;
            }
            if dispatched == next {
                break;
            }
            let (at, result) = finished.recv().expect("a task in flight sends its result");
            waiting.insert(at, result);
            while let Some(result) = waiting.remove(&next) {
                next += 1;
                match result {
                    Ok(result) => handed = each(result),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
                if handed.is_err() {
                    break;
                }
            }
        }
    });
    handed
}

/// Buffers the workers fill (a document's output, say) and the thread that
/// writes them out gives back, to be filled again. A buffer allocated on
/// a worker and freed on another thread was fresh memory to the worker's
/// allocator every time: giving them back saved about 3 % of a one-core
/// run.
#[derive(Default)]
pub struct Buffers(Mutex<Vec<Vec<u8>>>);

/// The largest buffer kept for reuse: a giant document's room goes back to
/// the allocator, so that what is kept stays bounded by the window.
const KEEP_AT_MOST: usize = 1 << 20;

impl Buffers {
    /// An empty buffer with room for `capacity` bytes.
    pub fn take(&self, capacity: usize) -> Vec<u8> {
        let mut buffer = self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop()
            .unwrap_or_default();
        buffer.reserve(capacity);
        buffer
    }

    /// Gives `buffer` back, emptied, unless it is too large to keep.
    pub fn give(&self, mut buffer: Vec<u8>) {
        if buffer.capacity() <= KEEP_AT_MOST {
            buffer.clear();
            self.0.lock().unwrap_or_else(PoisonError::into_inner).push(buffer);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn buffers_come_back_empty_and_giant_ones_are_not_kept() {
        let buffers = Buffers::default();
        let mut b = buffers.take(100);
        assert!(b.capacity() >= 100);
        b.extend_from_slice(b"rows");
        let at = b.as_ptr();
        buffers.give(b);
        let again = buffers.take(10);
        assert!(again.is_empty());
        assert_eq!(again.as_ptr(), at, "the same buffer is handed out again");
        buffers.give(Vec::with_capacity(KEEP_AT_MOST + 1));
        assert_eq!(buffers.take(0).capacity(), 0, "a giant buffer is dropped");
    }

    #[test]
    fn results_come_in_input_order_whatever_the_threads() {
        let (dir, mut origins) = articles("order", 40);
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
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Articles in a fresh directory (returned for removal): article `i`
    /// has `1 + i % 7` times 20 sentences, so that threads finish out of
    /// order.
    fn articles(name: &str, n: usize) -> (PathBuf, Vec<Origin>) {
        let dir = std::env::temp_dir().join(format!("demarche-corpus-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let origins = (0..n)
            .map(|i| {
                let path = dir.join(format!("{i:02}.txt"));
                let body = "The Kremlin demanded that Ukraine withdraw its bid to join NATO. ".repeat(1 + (i % 7) * 20);
                std::fs::write(&path, format!("Talks\n\n{body}\n")).unwrap();
                Origin::File(path, input::Kind::Text)
            })
            .collect();
        (dir, origins)
    }

    #[test]
    fn an_error_handing_on_stops_the_run() {
        let lexicon = Lexicon::builtin().unwrap();
        let mut handed = 0;
        let (dir, origins) = articles("stop", 40);
        let result = run(&lexicon, origins, None, 2, |_| {
            handed += 1;
            if handed == 3 {
                Err(Error::Usage("output closed".into()))
            } else {
                Ok(())
            }
        });
        assert!(matches!(result, Err(Error::Usage(m)) if m == "output closed"));
        assert_eq!(handed, 3);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A worker's panic reaches the caller instead of leaving it waiting
    /// for a result that never comes.
    #[test]
    fn a_panic_on_a_worker_reaches_the_caller() {
        let lexicon = Lexicon::builtin().unwrap();
        let (dir, origins) = articles("panic", 20);
        let render = |read: &Read, _: &[ClaimView]| assert_ne!(read.article.id, "07", "boom");
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            run_rendered(&lexicon, origins, None, 2, false, render, |_| Ok(()))
        }));
        assert!(outcome.is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Rendered on the workers, the claims are views of the text, copied
    /// into `Done` only when kept, and counted either way; the source's
    /// SHA-256 is taken only when kept.
    #[test]
    fn claims_are_kept_only_when_asked() {
        let lexicon = Lexicon::builtin().unwrap();
        let (dir, origins) = articles("keep", 1);
        let parties = |_: &Read, views: &[ClaimView]| views.iter().map(|v| v.party.to_string()).collect::<Vec<_>>();
        for keep in [true, false] {
            let mut got = Vec::new();
            run_rendered(&lexicon, origins.clone(), None, 1, keep, parties, |done| {
                let (done, rendered) = done.unwrap();
                assert_eq!(done.found, rendered.len());
                assert_eq!(done.claims.len(), if keep { done.found } else { 0 });
                let digest = done.read.source.sha256.as_deref().map(str::len);
                assert_eq!(digest, keep.then_some(64));
                got = rendered;
                Ok(())
            })
            .unwrap();
            assert_eq!(got, ["RUS"], "keep {keep}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
