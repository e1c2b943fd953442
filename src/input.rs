//! Reading articles: files, directories of `*.txt`, and the bundled sample.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::extract::Article;

/// The sample article shipped in `data/samples/`, used when no path is given.
pub const SAMPLE_ID: &str = "putin_no_deal";
pub const SAMPLE_TEXT: &str = include_str!("../data/samples/putin_no_deal.txt");

/// The bundled sample as an article.
pub fn sample() -> Article {
    Article {
        id: SAMPLE_ID.to_string(),
        text: SAMPLE_TEXT.to_string(),
        date: None,
    }
}

/// Expands paths into article files: a file as itself, a directory as its
/// `*.txt` files, sorted by name.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| Error::io(path, e))?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "txt"))
                .collect();
            files.sort();
            out.extend(files);
        } else {
            out.push(path.clone());
        }
    }
    Ok(out)
}

/// Reads one article; its id is the file stem, its date the first full
/// date in its opening (dateline), if any.
pub fn read(path: &Path) -> Result<Article> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = String::from_utf8(bytes).map_err(|e| Error::Input {
        path: path.to_path_buf(),
        message: format!("not UTF-8 (first bad byte at offset {})", e.utf8_error().valid_up_to()),
    })?;
    let date = crate::date::find_in_text(&text);
    Ok(Article {
        id: article_id(path),
        text,
        date,
    })
}

/// The article id of a file: its stem.
pub fn article_id(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
