//! The library's error type: every error names where it happened first.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// What went wrong, with the file (and line, for data files) it concerns.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A lexicon data file is malformed: `file:line: message`.
    Data { file: String, line: u64, message: String },
    /// An input or output file could not be read or written.
    Io { path: PathBuf, source: io::Error },
    /// An input file is not usable as an article or claims table.
    Input { path: PathBuf, message: String },
    /// A command-line value is wrong.
    Usage(String),
}

impl Error {
    pub(crate) fn data(file: &str, line: u64, message: impl Into<String>) -> Error {
        Error::Data {
            file: file.to_string(),
            line,
            message: message.into(),
        }
    }

    pub fn io(path: impl Into<PathBuf>, source: io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// Whether the error concerns the program's data or its invocation
    /// (exit status 2) rather than one input document (exit status 1).
    pub fn is_usage(&self) -> bool {
        matches!(self, Error::Data { .. } | Error::Usage(_))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Data { file, line, message } => write!(f, "{file}:{line}: {message}"),
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Input { path, message } => write!(f, "{}: {message}", path.display()),
            Error::Usage(message) => write!(f, "{message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;
