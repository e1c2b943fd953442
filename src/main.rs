//! The demarche command line: parses arguments into a checked config, runs
//! one command, maps errors to exit codes (0 ok, 1 some input failed, 2
//! usage or data error).

use std::collections::BTreeSet;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use demarche::align::Normalizer;
use demarche::eval::{self, Keys, Options};
use demarche::output::Format;
use demarche::{Article, Claim, Error, Lexicon, compare, conflict, explain, input, matrix::Matrix, output};

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
        common: Inputs,
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
    /// Conflict matrix: for each issue and pair of parties, whether their
    /// positions clash, bridge, agree or are mixed, with score and evidence.
    Conflicts {
        #[command(flatten)]
        common: Inputs,
        /// A party × party grid per issue instead of one row per pair.
        #[arg(long)]
        wide: bool,
        #[command(flatten)]
        format: FormatArg,
    },
    /// How each party's position on each issue changed from A to B (each an
    /// article, a directory of articles, or a claims CSV).
    Compare {
        /// The earlier side.
        #[arg(value_name = "A")]
        a: PathBuf,
        /// The later side.
        #[arg(value_name = "B")]
        b: PathBuf,
        #[command(flatten)]
        settings: Settings,
        #[command(flatten)]
        format: FormatArg,
    },
    /// How each position moved across articles ordered by date: one row per
    /// (party, issue), one column per date.
    Timeline {
        #[command(flatten)]
        common: Inputs,
        #[command(flatten)]
        format: FormatArg,
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
        /// A directory holding parties.csv, issues.csv, cues.csv, roles.csv,
        /// members.csv and cameo.csv.
        dir: Option<PathBuf>,
    },
}

#[derive(Args)]
struct Common {
    /// Article files or directories of *.txt files; none: the bundled sample.
    paths: Vec<PathBuf>,
    #[command(flatten)]
    settings: Settings,
}

/// The inputs of the commands that work on claims, which also read claims
/// CSV files.
#[derive(Args)]
struct Inputs {
    /// Article files, directories of *.txt files, or claims CSV files
    /// (*.csv); none: the bundled sample.
    paths: Vec<PathBuf>,
    #[command(flatten)]
    settings: Settings,
}

#[derive(Args)]
struct Settings {
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

#[derive(Args)]
struct FormatArg {
    /// Output format: CSV, or an aligned text table for reading.
    #[arg(long, value_enum, value_name = "FORMAT")]
    format: Option<FormatChoice>,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatChoice {
    Csv,
    Table,
}

impl FormatArg {
    /// The chosen format, else CSV.
    fn csv_default(&self) -> Format {
        match self.format {
            Some(FormatChoice::Table) => Format::Table,
            Some(FormatChoice::Csv) | None => Format::Csv,
        }
    }

    /// The chosen format, else a table when writing to a terminal and CSV
    /// otherwise.
    fn terminal_default(&self, output: Option<&Path>) -> Format {
        match self.format {
            None if output.is_none() && io::stdout().is_terminal() => Format::Table,
            _ => self.csv_default(),
        }
    }
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
        Config::with_paths(c.paths.clone(), &c.settings)
    }

    fn of_inputs(c: &Inputs) -> Result<Config, Error> {
        Config::with_paths(c.paths.clone(), &c.settings)
    }

    fn with_paths(paths: Vec<PathBuf>, c: &Settings) -> Result<Config, Error> {
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
            paths,
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
            let cfg = Config::of_inputs(&common)?;
            let Loaded { claims, failures, .. } = load(&cfg, &cfg.paths)?;
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
        Command::Conflicts { common, wide, format } => {
            let cfg = Config::of_inputs(&common)?;
            let Loaded { claims, failures, .. } = load(&cfg, &cfg.paths)?;
            let conflicts = conflict::conflicts(&Normalizer::new(&cfg.lexicon), &claims);
            let table = if wide {
                conflict::wide_table(&conflicts)
            } else {
                conflict::long_table(&conflicts)
            };
            write_table(&cfg, &table, format.csv_default())?;
            Ok(status(failures))
        }
        Command::Compare { a, b, settings, format } => {
            let cfg = Config::with_paths(vec![a.clone(), b.clone()], &settings)?;
            let side_a = load(&cfg, std::slice::from_ref(&a))?;
            let side_b = load(&cfg, std::slice::from_ref(&b))?;
            // A side with nothing readable would make every position look
            // added or dropped: report instead of comparing.
            for (path, side) in [(&a, &side_a), (&b, &side_b)] {
                if side.failures > 0 && side.articles.is_empty() {
                    eprintln!("demarche: {}: nothing readable to compare", path.display());
                    return Ok(status(side_a.failures + side_b.failures));
                }
            }
            let rows = compare::compare(&side_a.claims, &side_b.claims);
            let format = format.terminal_default(cfg.output.as_deref());
            let table = match format {
                Format::Csv => compare::compare_table(&rows),
                Format::Table => compare::compare_terminal_table(&rows),
            };
            write_table(&cfg, &table, format)?;
            Ok(status(side_a.failures + side_b.failures))
        }
        Command::Timeline { common, format } => {
            let cfg = Config::of_inputs(&common)?;
            let loaded = load(&cfg, &cfg.paths)?;
            let table = compare::timeline(&loaded.articles, &loaded.claims);
            write_table(&cfg, &table, format.csv_default())?;
            Ok(status(loaded.failures))
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
                    "ok: {} aliases, {} constructions, {} issue phrases, {} roles, {} CAMEO codes",
                    lexicon.aliases.len(),
                    lexicon.cues.len(),
                    lexicon.issue_cues.len(),
                    lexicon.roles.len(),
                    lexicon.cameo.codes.len()
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

/// What the inputs hold.
struct Loaded {
    claims: Vec<Claim>,
    /// Article ids in input order, with their dates (`--date`, else the
    /// dateline; claims CSV files carry none).
    articles: Vec<(String, Option<u32>)>,
    /// Inputs that could not be read (reported on stderr).
    failures: usize,
}

/// Reads `paths` (the sample when empty): articles are extracted, claims
/// CSV files read as they are. A file that cannot be read is reported and
/// counted; a malformed claims CSV is an error (exit status 2).
fn load(cfg: &Config, paths: &[PathBuf]) -> Result<Loaded, Error> {
    let mut loaded = Loaded {
        claims: Vec::new(),
        articles: Vec::new(),
        failures: 0,
    };
    let add = |loaded: &mut Loaded, article: Article| {
        loaded.articles.push((article.id.clone(), article.date));
        loaded.claims.extend(demarche::extract(&cfg.lexicon, &article));
    };
    if paths.is_empty() {
        let mut a = input::sample();
        a.date = cfg.date.or(a.date);
        add(&mut loaded, a);
        return Ok(loaded);
    }
    for path in input::expand(paths)? {
        let read = if input::is_claims_csv(&path) {
            input::read_claims(&path).map(|claims| {
                for c in &claims {
                    if !loaded.articles.iter().any(|(id, _)| *id == c.article) {
                        loaded.articles.push((c.article.clone(), cfg.date));
                    }
                }
                loaded.claims.extend(claims);
            })
        } else {
            input::read(&path).map(|mut article| {
                article.date = cfg.date.or(article.date);
                add(&mut loaded, article);
            })
        };
        match read {
            Ok(()) => {}
            Err(e) if e.is_usage() => return Err(e),
            Err(e) => {
                eprintln!("demarche: {e}");
                loaded.failures += 1;
            }
        }
    }
    Ok(loaded)
}

/// Writes a report in the chosen format.
fn write_table(cfg: &Config, table: &output::Table, format: Format) -> Result<(), Error> {
    let mut buffer = Vec::new();
    table.write(&mut buffer, format).expect("writing to memory cannot fail");
    emit(cfg.output.as_deref(), &buffer)
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
