//! The demarche command line: parses arguments into a checked config, runs
//! one command, maps errors to exit codes (0 ok, 1 some input failed, 2
//! usage or data error).

use std::collections::BTreeSet;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use demarche::align::Normalizer;
use demarche::eval::{self, Keys};
use demarche::input::Source;
use demarche::output::{Format, Options, Table};
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
    /// Extract claims (SPEC §1 columns, then cue and cameo) from articles.
    Extract {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Stance matrix: one row per issue, one column per party.
    Matrix {
        #[command(flatten)]
        common: Inputs,
        /// One row per (article, issue, party, stance) with claim counts.
        #[arg(long)]
        long: bool,
        #[command(flatten)]
        out: OutputArgs,
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
        out: OutputArgs,
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
        out: OutputArgs,
    },
    /// How each position moved across articles ordered by date: one row per
    /// (party, issue), one column per date.
    Timeline {
        #[command(flatten)]
        common: Inputs,
        #[command(flatten)]
        out: OutputArgs,
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

/// How a data-writing command writes: the same flags on each of them.
#[derive(Args)]
struct OutputArgs {
    /// Output format [default: table when standard output is a terminal,
    /// else csv]; xlsx needs -o FILE.
    #[arg(long, value_enum, value_name = "FORMAT")]
    format: Option<FormatChoice>,
    /// Write text cells as they are: no `'` before a cell that begins with
    /// = + - @ tab or carriage return (spreadsheets may run such a cell as
    /// a formula).
    #[arg(long)]
    raw: bool,
    /// CSV or TSV for Excel: a UTF-8 byte-order mark and CRLF line ends.
    #[arg(long)]
    excel: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FormatChoice {
    Csv,
    Tsv,
    Json,
    Jsonl,
    Md,
    Table,
    Xlsx,
}

impl OutputArgs {
    /// The checked writing options for output to `output` (stdout when
    /// `None`): colour only for a table on a terminal without `NO_COLOR`.
    fn options(&self, output: Option<&Path>) -> Result<Options, Error> {
        let terminal = output.is_none() && io::stdout().is_terminal();
        let format = match self.format {
            None if terminal => Format::Table,
            None => Format::Csv,
            Some(FormatChoice::Csv) => Format::Csv,
            Some(FormatChoice::Tsv) => Format::Tsv,
            Some(FormatChoice::Json) => Format::Json,
            Some(FormatChoice::Jsonl) => Format::Jsonl,
            Some(FormatChoice::Md) => Format::Md,
            Some(FormatChoice::Table) => Format::Table,
            Some(FormatChoice::Xlsx) => Format::Xlsx,
        };
        if format == Format::Xlsx && output.is_none() {
            return Err(Error::Usage(
                "--format xlsx writes a workbook: name the file with -o FILE.xlsx".into(),
            ));
        }
        if self.excel && !matches!(format, Format::Csv | Format::Tsv) {
            return Err(Error::Usage("--excel applies to csv and tsv output only".into()));
        }
        let no_colour = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Ok(Options {
            format,
            raw: self.raw,
            excel: self.excel,
            colour: format == Format::Table && terminal && !no_colour,
        })
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
        if let Some(output) = &c.output {
            check_writable(output)?;
        }
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
        Command::Extract { common, out } => {
            let cfg = Config::new(&common)?;
            let options = out.options(cfg.output.as_deref())?;
            let mut failures = 0;
            let mut claims = Vec::new();
            let mut sources = Vec::new();
            for (_, source, found) in articles(&cfg, &mut failures)? {
                claims.extend(found);
                sources.push(source);
            }
            let table = output::claims_table(&claims, &cfg.lexicon.cameo);
            if options.format == Format::Xlsx {
                let matrix = output::matrix_table(&Matrix::new(&claims));
                let conflicts = conflict::long_table(&conflict::conflicts(&Normalizer::new(&cfg.lexicon), &claims));
                let sources = output::sources_table(&sources);
                write_workbook(
                    &cfg,
                    &[
                        ("Claims", &table),
                        ("Matrix", &matrix),
                        ("Conflicts", &conflicts),
                        ("Sources", &sources),
                    ],
                    &options,
                )?;
            } else {
                write_table(&cfg, &table, &options)?;
            }
            Ok(status(failures))
        }
        Command::Matrix { common, long, out } => {
            let cfg = Config::of_inputs(&common)?;
            let options = out.options(cfg.output.as_deref())?;
            let loaded = load(&cfg, &cfg.paths)?;
            let m = Matrix::new(&loaded.claims);
            let table = if long {
                output::matrix_long_table(&m)
            } else {
                output::matrix_table(&m)
            };
            deliver(&cfg, &options, ("Matrix", &table), &loaded)?;
            Ok(status(loaded.failures))
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
            let options = eval::Options {
                ignore_issue,
                stances: stances.map(|s| s.split(',').map(|x| x.trim().to_string()).collect()),
            };
            let gold = Keys::from_csv(&gold, &options)?;
            let mut failures = 0;
            let mut claims = Vec::new();
            for (_, _, found) in articles(&cfg, &mut failures)? {
                claims.extend(found);
            }
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
        Command::Conflicts { common, wide, out } => {
            let cfg = Config::of_inputs(&common)?;
            let options = out.options(cfg.output.as_deref())?;
            let loaded = load(&cfg, &cfg.paths)?;
            let conflicts = conflict::conflicts(&Normalizer::new(&cfg.lexicon), &loaded.claims);
            let table = if wide {
                conflict::wide_table(&conflicts)
            } else {
                conflict::long_table(&conflicts)
            };
            deliver(&cfg, &options, ("Conflicts", &table), &loaded)?;
            Ok(status(loaded.failures))
        }
        Command::Compare { a, b, settings, out } => {
            let cfg = Config::with_paths(vec![a.clone(), b.clone()], &settings)?;
            let options = out.options(cfg.output.as_deref())?;
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
            let table = match options.format {
                Format::Table => compare::compare_terminal_table(&rows),
                _ => compare::compare_table(&rows),
            };
            if options.format == Format::Xlsx {
                let mut sources = side_a.sources.clone();
                sources.extend(side_b.sources.iter().cloned());
                let sources = output::sources_table(&sources);
                write_workbook(&cfg, &[("Compare", &table), ("Sources", &sources)], &options)?;
            } else {
                write_table(&cfg, &table, &options)?;
            }
            Ok(status(side_a.failures + side_b.failures))
        }
        Command::Timeline { common, out } => {
            let cfg = Config::of_inputs(&common)?;
            let options = out.options(cfg.output.as_deref())?;
            let loaded = load(&cfg, &cfg.paths)?;
            let table = compare::timeline(&loaded.articles, &loaded.claims);
            deliver(&cfg, &options, ("Timeline", &table), &loaded)?;
            Ok(status(loaded.failures))
        }
        Command::Explain(common) => {
            let cfg = Config::new(&common)?;
            let mut buffer = Vec::new();
            let mut failures = 0;
            for (article, _, _) in articles(&cfg, &mut failures)? {
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

/// The exit status after a run in which `failures` inputs could not be
/// read (each already reported), with a count of them on stderr.
fn status(failures: usize) -> ExitCode {
    if failures > 0 {
        eprintln!(
            "demarche: {failures} input{} failed; the others were processed",
            if failures == 1 { "" } else { "s" }
        );
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The articles named by the config (the sample when none), each with
/// where it came from, extracted; a file that cannot be read is reported
/// on stderr and counted.
fn articles(cfg: &Config, failures: &mut usize) -> Result<Vec<(Article, Source, Vec<Claim>)>, Error> {
    if cfg.paths.is_empty() {
        let (article, source) = sample(cfg);
        let claims = demarche::extract(&cfg.lexicon, &article);
        return Ok(vec![(article, source, claims)]);
    }
    let mut out = Vec::new();
    for path in input::expand(&cfg.paths)? {
        match read(cfg, &path) {
            Ok(found) => out.push(found),
            Err(e) => {
                eprintln!("demarche: {e}");
                *failures += 1;
            }
        }
    }
    Ok(out)
}

/// Reads and extracts one article file, reporting what decoding repaired;
/// the claims' offsets are offsets into the file.
fn read(cfg: &Config, path: &Path) -> Result<(Article, Source, Vec<Claim>), Error> {
    let read = input::read(path, cfg.date)?;
    if let Some(warning) = &read.warning {
        eprintln!("demarche: warning: {}: {warning}", path.display());
    }
    let mut claims = demarche::extract(&cfg.lexicon, &read.article);
    read.locate(&mut claims);
    Ok((read.article, read.source, claims))
}

/// The bundled sample, dated by `--date` if given.
fn sample(cfg: &Config) -> (Article, Source) {
    let mut a = input::sample();
    a.date = cfg.date.or(a.date);
    let source = Source::new(&a.id, input::SAMPLE_PATH, a.date, a.text.as_bytes());
    (a, source)
}

/// What the inputs hold.
struct Loaded {
    claims: Vec<Claim>,
    /// Article ids in input order, with their dates (`--date`, else the
    /// dateline; claims CSV files carry none).
    articles: Vec<(String, Option<u32>)>,
    /// Where each article came from.
    sources: Vec<Source>,
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
        sources: Vec::new(),
        failures: 0,
    };
    let add = |loaded: &mut Loaded, (article, source, claims): (Article, Source, Vec<Claim>)| {
        loaded.articles.push((article.id, article.date));
        loaded.sources.push(source);
        loaded.claims.extend(claims);
    };
    if paths.is_empty() {
        let (article, source) = sample(cfg);
        let claims = demarche::extract(&cfg.lexicon, &article);
        add(&mut loaded, (article, source, claims));
        return Ok(loaded);
    }
    for path in input::expand(paths)? {
        let name = path.display().to_string();
        let read = if input::is_claims_csv(&path) {
            input::read_claims_bytes(&path).map(|(claims, bytes)| {
                // One source row per article of the file, each naming it.
                for c in &claims {
                    if !loaded.sources.iter().any(|s| s.article == c.article && s.path == name) {
                        loaded.sources.push(Source::new(&c.article, &name, cfg.date, &bytes));
                    }
                    if !loaded.articles.iter().any(|(id, _)| *id == c.article) {
                        loaded.articles.push((c.article.clone(), cfg.date));
                    }
                }
                loaded.claims.extend(claims);
            })
        } else {
            read(cfg, &path).map(|found| add(&mut loaded, found))
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

/// Writes a command's report: in a text format the table alone; as a
/// workbook the table's sheet, then the claims it came from and the
/// sources of the inputs, so that every cell can be traced.
fn deliver(cfg: &Config, options: &Options, (name, table): (&str, &Table), loaded: &Loaded) -> Result<(), Error> {
    if options.format != Format::Xlsx {
        return write_table(cfg, table, options);
    }
    let claims = output::claims_table(&loaded.claims, &cfg.lexicon.cameo);
    let sources = output::sources_table(&loaded.sources);
    write_workbook(
        cfg,
        &[(name, table), ("Claims", &claims), ("Sources", &sources)],
        options,
    )
}

/// Writes a table in a text format.
fn write_table(cfg: &Config, table: &Table, options: &Options) -> Result<(), Error> {
    let mut buffer = Vec::new();
    table
        .write(&mut buffer, options)
        .expect("writing to memory cannot fail");
    emit(cfg.output.as_deref(), &buffer)
}

/// Writes tables as the sheets of one workbook to the `-o` file (whole or
/// not at all, like every output file).
fn write_workbook(cfg: &Config, sheets: &[(&str, &Table)], options: &Options) -> Result<(), Error> {
    let path = cfg.output.as_deref().expect("options() requires -o for a workbook");
    let bytes = output::workbook(sheets, options.raw).map_err(|e| Error::Io {
        path: path.to_path_buf(),
        source: io::Error::other(format!("cannot build the workbook: {e}")),
    })?;
    emit(Some(path), &bytes)
}

/// Fails unless an output file can be written at `path`, before any work
/// is done: `path` must not be a directory, and its directory must take a
/// new file (the temporary file [`emit`] writes first).
fn check_writable(path: &Path) -> Result<(), Error> {
    let unwritable = |message: &str| Error::Usage(format!("{}: cannot write output: {message}", path.display()));
    if path.is_dir() {
        return Err(unwritable("is a directory"));
    }
    let tmp = temporary(path);
    match std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp) {
        Ok(_) => {
            let _ = std::fs::remove_file(&tmp);
            Ok(())
        }
        Err(e) => Err(unwritable(&e.to_string())),
    }
}

/// The temporary file an output file is written to before it is renamed
/// into place: hidden, in the same directory (so that the rename is
/// atomic), named after the file and this process.
fn temporary(path: &Path) -> PathBuf {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.join(format!(".{name}.{}.tmp", std::process::id()))
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
    let tmp = temporary(path);
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
