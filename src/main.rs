//! The demarche command line: parses arguments, runs one command, maps
//! errors to exit codes (0 ok, 1 some input failed, 2 usage or data error).

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use demarche::{Article, Claim, Error, Lexicon, input, matrix::Matrix, output};

#[derive(Parser)]
#[command(
    name = "demarche",
    version,
    about = "Who demands what from whom: stances of parties in news articles"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract claims (CSV, SPEC §1 columns) from articles.
    Extract(Common),
    /// Stance matrix: one row per issue, one column per party.
    Matrix {
        #[command(flatten)]
        common: Common,
        /// One row per (article, issue, party, stance) with claim counts.
        #[arg(long)]
        long: bool,
    },
}

#[derive(Args)]
struct Common {
    /// Article files or directories of *.txt files; none: the bundled sample.
    paths: Vec<PathBuf>,
    /// Write to FILE instead of standard output (written whole or not at all).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    /// Read the lexicon CSV files from DIR instead of the built-in ones.
    #[arg(long, value_name = "DIR")]
    lexicon: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            if let Error::Io { source, .. } = &e
                && source.kind() == io::ErrorKind::BrokenPipe
            {
                return ExitCode::SUCCESS;
            }
            eprintln!("demarche: {e:#}");
            ExitCode::from(if e.is_usage() { 2 } else { 1 })
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    let (common, long) = match &cli.command {
        Command::Extract(c) => (c, false),
        Command::Matrix { common, long } => (common, *long),
    };
    let lexicon = match &common.lexicon {
        Some(dir) => Lexicon::from_dir(dir)?,
        None => Lexicon::builtin()?,
    };
    let (claims, failures) = extract_all(&lexicon, &common.paths)?;
    let mut buffer = Vec::new();
    let written = match &cli.command {
        Command::Extract(_) => output::write_claims(&mut buffer, &claims),
        Command::Matrix { .. } => {
            let m = Matrix::new(&claims);
            if long {
                output::write_matrix_long(&mut buffer, &m)
            } else {
                output::write_matrix(&mut buffer, &m)
            }
        }
    };
    written.map_err(|e| Error::Usage(format!("cannot write CSV: {e}")))?;
    emit(common.output.as_deref(), &buffer)?;
    Ok(if failures > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Extracts claims from every article; a failing article is reported on
/// stderr and the others go on.
fn extract_all(lexicon: &Lexicon, paths: &[PathBuf]) -> Result<(Vec<Claim>, usize), Error> {
    if paths.is_empty() {
        return Ok((demarche::extract(lexicon, &input::sample()), 0));
    }
    let mut claims = Vec::new();
    let mut failures = 0;
    for path in input::expand(paths)? {
        match input::read(&path) {
            Ok(article) => claims.extend(extract_one(lexicon, &article)),
            Err(e) => {
                eprintln!("demarche: {e}");
                failures += 1;
            }
        }
    }
    Ok((claims, failures))
}

fn extract_one(lexicon: &Lexicon, article: &Article) -> Vec<Claim> {
    demarche::extract(lexicon, article)
}

/// Writes the output to stdout, or to a file through a temporary file in
/// the same directory renamed into place.
fn emit(path: Option<&Path>, bytes: &[u8]) -> Result<(), Error> {
    let Some(path) = path else {
        let mut out = io::stdout().lock();
        return out.write_all(bytes).and_then(|_| out.flush()).map_err(|e| Error::Io {
            path: "<stdout>".into(),
            source: e,
        });
    };
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let io_err = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    std::fs::write(&tmp, bytes).map_err(io_err)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io_err(e)
    })
}
