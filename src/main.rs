//! The demarche command line: parses arguments into a checked config, runs
//! one command, maps errors to exit codes (0 ok, 1 some input failed, 2
//! usage or data error).

use std::collections::BTreeSet;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use demarche::eval::{self, Keys, Options};
use demarche::{Article, Claim, Error, Lexicon, explain, input, matrix::Matrix, output};

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
    /// Score extracted claims against gold claims (as eval/score.py does).
    Eval {
        #[command(flatten)]
        common: Common,
        /// Gold claims CSV (columns article, party, issue, stance[, target]).
        #[arg(long, value_name = "GOLD.csv")]
        gold: PathBuf,
        /// Compare (article, party, stance) only.
        #[arg(long)]
        ignore_issue: bool,
        /// Keep only these stances, comma-separated.
        #[arg(long, value_name = "S1,S2")]
        stances: Option<String>,
        /// Add each article's F1.
        #[arg(long)]
        per_article: bool,
        /// Do not list misses and false alarms.
        #[arg(long)]
        quiet: bool,
    },
    /// Show, sentence by sentence, what was found and why each cue did or
    /// did not become a claim.
    Explain(Common),
    /// Work with lexicon data files.
    Lexicon {
        #[command(subcommand)]
        command: LexiconCommand,
    },
}

#[derive(Subcommand)]
enum LexiconCommand {
    /// Validate the lexicon files of DIR (default: the built-in lexicon).
    Check {
        /// A directory holding parties.csv, issues.csv, cues.csv, roles.csv.
        dir: Option<PathBuf>,
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
    /// Publication date (YYYY-MM-DD) of every input, overriding datelines;
    /// picks who holds an office.
    #[arg(long, value_name = "DATE")]
    date: Option<String>,
}

/// The checked configuration shared by the commands that read articles.
struct Config {
    paths: Vec<PathBuf>,
    output: Option<PathBuf>,
    lexicon: Lexicon,
    date: Option<u32>,
}

impl Config {
    fn new(c: &Common) -> Result<Config, Error> {
        let date = match &c.date {
            Some(d) => Some(
                demarche::date::parse_iso(d)
                    .ok_or_else(|| Error::Usage(format!("--date {d:?}: expected YYYY-MM-DD")))?,
            ),
            None => None,
        };
        let lexicon = match &c.lexicon {
            Some(dir) => Lexicon::from_dir(dir)?,
            None => Lexicon::builtin()?,
        };
        Ok(Config {
            paths: c.paths.clone(),
            output: c.output.clone(),
            lexicon,
            date,
        })
    }
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
    match cli.command {
        Command::Extract(common) => {
            let cfg = Config::new(&common)?;
            let (claims, failures) = extract_all(&cfg)?;
            let mut buffer = Vec::new();
            output::write_claims(&mut buffer, &claims).map_err(csv_error)?;
            emit(cfg.output.as_deref(), &buffer)?;
            Ok(status(failures))
        }
        Command::Matrix { common, long } => {
            let cfg = Config::new(&common)?;
            let (claims, failures) = extract_all(&cfg)?;
            let m = Matrix::new(&claims);
            let mut buffer = Vec::new();
            if long {
                output::write_matrix_long(&mut buffer, &m)
            } else {
                output::write_matrix(&mut buffer, &m)
            }
            .map_err(csv_error)?;
            emit(cfg.output.as_deref(), &buffer)?;
            Ok(status(failures))
        }
        Command::Eval {
            common,
            gold,
            ignore_issue,
            stances,
            per_article,
            quiet,
        } => {
            let cfg = Config::new(&common)?;
            let options = Options {
                ignore_issue,
                stances: stances.map(|s| s.split(',').map(|x| x.trim().to_string()).collect()),
            };
            let gold = Keys::from_csv(&gold, &options)?;
            let (claims, failures) = extract_all(&cfg)?;
            let articles: BTreeSet<String> = if cfg.paths.is_empty() {
                [input::SAMPLE_ID.to_string()].into()
            } else {
                input::expand(&cfg.paths)?
                    .iter()
                    .map(|p| input::article_id(p))
                    .collect()
            };
            let pred = Keys::from_claims(&claims, &options);
            let score = eval::score(&gold, &pred, Some(&articles));
            let mut buffer = Vec::new();
            score
                .write(&mut buffer, per_article, quiet)
                .expect("writing to memory cannot fail");
            emit(cfg.output.as_deref(), &buffer)?;
            Ok(status(failures))
        }
        Command::Explain(common) => {
            let cfg = Config::new(&common)?;
            let mut buffer = Vec::new();
            let mut failures = 0;
            for article in articles(&cfg, &mut failures)? {
                explain::write(&mut buffer, &cfg.lexicon, &article).expect("writing to memory cannot fail");
            }
            emit(cfg.output.as_deref(), &buffer)?;
            Ok(status(failures))
        }
        Command::Lexicon {
            command: LexiconCommand::Check { dir },
        } => {
            let lexicon = match &dir {
                Some(dir) => Lexicon::from_dir(dir)?,
                None => Lexicon::builtin()?,
            };
            let problems = lexicon.check();
            for p in &problems {
                eprintln!("{p}");
            }
            if problems.is_empty() {
                println!(
                    "ok: {} aliases, {} constructions, {} issue phrases, {} roles",
                    lexicon.aliases.len(),
                    lexicon.cues.len(),
                    lexicon.issue_cues.len(),
                    lexicon.roles.len()
                );
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!("{} problem(s)", problems.len());
                Ok(ExitCode::from(2))
            }
        }
    }
}

fn status(failures: usize) -> ExitCode {
    if failures > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn csv_error(e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(source) => Error::Io {
            path: "<output>".into(),
            source,
        },
        other => Error::Usage(format!("cannot write CSV: {other:?}")),
    }
}

/// The articles named by the config (the sample when none); a file that
/// cannot be read is reported on stderr and counted.
fn articles(cfg: &Config, failures: &mut usize) -> Result<Vec<Article>, Error> {
    if cfg.paths.is_empty() {
        let mut a = input::sample();
        a.date = cfg.date.or(a.date);
        return Ok(vec![a]);
    }
    let mut out = Vec::new();
    for path in input::expand(&cfg.paths)? {
        match input::read(&path) {
            Ok(mut article) => {
                article.date = cfg.date.or(article.date);
                out.push(article);
            }
            Err(e) => {
                eprintln!("demarche: {e}");
                *failures += 1;
            }
        }
    }
    Ok(out)
}

/// Extracts claims from every article; returns them with the number of
/// inputs that failed.
fn extract_all(cfg: &Config) -> Result<(Vec<Claim>, usize), Error> {
    let mut failures = 0;
    let mut claims = Vec::new();
    for article in articles(cfg, &mut failures)? {
        claims.extend(demarche::extract(&cfg.lexicon, &article));
    }
    Ok((claims, failures))
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
