//! The demarche command line: parses arguments into a checked config, runs
//! one command, maps errors to exit codes (0 ok, 1 some input failed, 2
//! usage or data error).

use std::collections::{BTreeSet, HashSet};
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use demarche::align::Normalizer;
use demarche::corpus::{self, Done};
use demarche::date::Period;
use demarche::eval::{self, Keys};
use demarche::extract::ClaimView;
use demarche::input::{Origin, Read, Source};
use demarche::matrix::{self, Matrix};
use demarche::output::{Format, Options, Table};
use demarche::{Claim, Error, Lexicon, compare, conflict, explain, input, output};

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
        /// Count claims per (period, issue, party, stance), by the
        /// articles' dates.
        #[arg(long, value_enum, value_name = "PERIOD", conflicts_with = "long")]
        by: Option<By>,
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
    },
    /// Conflict matrix: for each issue and pair of parties, whether their
    /// positions clash, bridge, agree or are mixed, with score and evidence.
    Conflicts {
        #[command(flatten)]
        common: Inputs,
        /// A party × party grid per issue instead of one row per pair.
        #[arg(long)]
        wide: bool,
        /// The conflict matrix of each period's claims, by the articles'
        /// dates, with a first column `period`.
        #[arg(long, value_enum, value_name = "PERIOD", conflicts_with = "wide")]
        by: Option<By>,
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
    /// Article files (.txt, .md, .html, .jsonl), directories of them, or -
    /// for standard input; none: the bundled sample.
    paths: Vec<PathBuf>,
    #[command(flatten)]
    settings: Settings,
}

/// The inputs of the commands that work on claims, which also read claims
/// CSV files.
#[derive(Args)]
struct Inputs {
    /// Article files (.txt, .md, .html, .jsonl), directories of them, - for
    /// standard input, or claims CSV files (*.csv); none: the bundled
    /// sample.
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
    /// Worker threads [default: one per core].
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
    /// No progress bar and no summary line on stderr (failures and
    /// warnings are still reported); for eval, no list of misses either.
    #[arg(long, short = 'q')]
    quiet: bool,
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

/// The periods of `--by`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum By {
    Day,
    Week,
    Month,
}

impl By {
    fn period(self) -> Period {
        match self {
            By::Day => Period::Day,
            By::Week => Period::Week,
            By::Month => Period::Month,
        }
    }
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
    jobs: usize,
    quiet: bool,
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
        let jobs = match c.jobs {
            Some(0) => return Err(Error::Usage("--jobs 0: at least one worker is needed".into())),
            Some(n) => n,
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        Ok(Config {
            paths,
            output: c.output.clone(),
            lexicon,
            date,
            jobs,
            quiet: c.quiet,
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
            let origins = input::expand(&cfg.paths);
            // A JSONL record's other fields go along with its claims.
            let documents = origins
                .iter()
                .any(|o| matches!(o, Origin::Stdin | Origin::File(_, input::Kind::Jsonl)));
            let mut sink = Sink::open(cfg.output.as_deref())?;
            let mut meter = Meter::new(&cfg);
            meter.expect(&origins);
            let mut claims = Vec::new();
            let mut sources = Vec::new();
            let streams = Table::streams(options.format);
            let xlsx = options.format == Format::Xlsx;
            // Each document's rows, formatted on the workers.
            let rows = |claims: &[Claim], meta: Option<&serde_json::Map<String, serde_json::Value>>| {
                let mut table = output::claims_table(claims, &cfg.lexicon.cameo);
                if documents {
                    table = output::with_document(table, meta);
                }
                table
            };
            // The whole table, for the formats that are not streamed.
            let mut table = rows(&[], None);
            // A streamed format's part for a document's claims.
            let buffers = corpus::Buffers::default();
            let part = |claims: &[ClaimView], meta: Option<&serde_json::Map<String, serde_json::Value>>, first| {
                let document = documents.then(|| output::document_cell(meta));
                let mut part = buffers.take(output::claims_part_capacity(claims));
                output::write_claims_part(
                    &mut part,
                    claims,
                    &cfg.lexicon.cameo,
                    document.as_deref(),
                    &options,
                    first,
                )
                .expect("writing to memory cannot fail");
                part
            };
            if streams {
                sink.write(&part(&[], None, true))?;
            }
            // Streamed, the claims are written as views of each document's
            // text; the other formats keep copies for the whole table.
            let format_rows = |read: &Read, claims: &[ClaimView]| {
                if streams {
                    part(claims, read.meta.as_ref(), false)
                } else {
                    Vec::new()
                }
            };
            each_rendered(&cfg, origins, &mut meter, !streams, format_rows, |done, part| {
                if streams {
                    // Written as each document is done, and flushed, so
                    // that a stream on stdin is answered as it comes.
                    sink.write(&part)?;
                    buffers.give(part);
                    sink.flush()
                } else {
                    table.rows.extend(rows(&done.claims, done.read.meta.as_ref()).rows);
                    if xlsx {
                        claims.extend(done.claims);
                        sources.push(done.read.source);
                    }
                    Ok(())
                }
            })?;
            if xlsx {
                let matrix = output::matrix_table(&Matrix::new(&claims));
                let conflicts = conflict::long_table(&conflict::conflicts(&Normalizer::new(&cfg.lexicon), &claims));
                let sources = output::sources_table(&sources);
                let sheets = [
                    ("Claims", &table),
                    ("Matrix", &matrix),
                    ("Conflicts", &conflicts),
                    ("Sources", &sources),
                ];
                sink.write(&workbook(&cfg, &sheets, &options)?)?;
            } else if !streams {
                sink.write(&render(&table, &options))?;
            }
            sink.finish()?;
            Ok(meter.finish())
        }
        Command::Matrix { common, long, by, out } => {
            let cfg = Config::of_inputs(&common)?;
            let options = out.options(cfg.output.as_deref())?;
            let mut meter = Meter::new(&cfg);
            // Counted as read: the claims themselves are kept only for a
            // workbook's Claims sheet.
            let xlsx = options.format == Format::Xlsx;
            let mut m = Matrix::default();
            let mut periods = matrix::Counts::new();
            let loaded = load(&cfg, &cfg.paths, &mut meter, &mut |kept, claims, date| {
                m.add(&claims);
                if let Some(by) = by {
                    matrix::count_by_period(&mut periods, &claims, date, by.period());
                }
                if xlsx {
                    kept.extend(claims);
                }
            })?;
            let table = match by {
                Some(_) => output::matrix_period_table(&periods),
                None if long => output::matrix_long_table(&m),
                None => output::matrix_table(&m),
            };
            deliver(&cfg, &options, ("Matrix", &table), &loaded)?;
            Ok(meter.finish())
        }
        Command::Eval {
            common,
            gold,
            ignore_issue,
            stances,
            per_article,
        } => {
            let cfg = Config::new(&common)?;
            let options = eval::Options {
                ignore_issue,
                stances: stances.map(|s| s.split(',').map(|x| x.trim().to_string()).collect()),
            };
            let gold = Keys::from_csv(&gold, &options)?;
            let origins = input::expand(&cfg.paths);
            let mut meter = Meter::new(&cfg);
            meter.expect(&origins);
            let mut claims = Vec::new();
            let mut articles = BTreeSet::new();
            each_article(&cfg, origins, &mut meter, |done| {
                articles.insert(done.read.article.id);
                claims.extend(done.claims);
                Ok(())
            })?;
            let pred = Keys::from_claims(&claims, &options);
            let score = eval::score(&gold, &pred, Some(&articles));
            let mut buffer = Vec::new();
            score
                .write(&mut buffer, per_article, cfg.quiet)
                .expect("writing to memory cannot fail");
            emit(cfg.output.as_deref(), &buffer)?;
            Ok(meter.finish())
        }
        Command::Conflicts { common, wide, by, out } => {
            let cfg = Config::of_inputs(&common)?;
            let options = out.options(cfg.output.as_deref())?;
            let mut meter = Meter::new(&cfg);
            let loaded = load(&cfg, &cfg.paths, &mut meter, &mut keep_all)?;
            let normalizer = Normalizer::new(&cfg.lexicon);
            let table = match by {
                Some(by) => {
                    let parts = matrix::by_period(&loaded.claims, &loaded.dates(), by.period())
                        .into_iter()
                        .map(|(period, claims)| {
                            let claims: Vec<Claim> = claims.into_iter().cloned().collect();
                            (period, conflict::long_table(&conflict::conflicts(&normalizer, &claims)))
                        })
                        .collect();
                    output::by_period_table(parts, conflict::long_table(&[]))
                }
                None if wide => conflict::wide_table(&conflict::conflicts(&normalizer, &loaded.claims)),
                None => conflict::long_table(&conflict::conflicts(&normalizer, &loaded.claims)),
            };
            deliver(&cfg, &options, ("Conflicts", &table), &loaded)?;
            Ok(meter.finish())
        }
        Command::Compare { a, b, settings, out } => {
            let cfg = Config::with_paths(vec![a.clone(), b.clone()], &settings)?;
            let options = out.options(cfg.output.as_deref())?;
            let mut meter = Meter::new(&cfg);
            let side_a = load(&cfg, std::slice::from_ref(&a), &mut meter, &mut keep_all)?;
            let side_b = load(&cfg, std::slice::from_ref(&b), &mut meter, &mut keep_all)?;
            // A side with nothing readable would make every position look
            // added or dropped: report instead of comparing.
            for (path, side) in [(&a, &side_a), (&b, &side_b)] {
                if side.failures > 0 && side.articles.is_empty() {
                    eprintln!("demarche: {}: nothing readable to compare", path.display());
                    return Ok(meter.finish());
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
                let sheets = [("Compare", &table), ("Sources", &sources)];
                emit(cfg.output.as_deref(), &workbook(&cfg, &sheets, &options)?)?;
            } else {
                emit(cfg.output.as_deref(), &render(&table, &options))?;
            }
            Ok(meter.finish())
        }
        Command::Timeline { common, out } => {
            let cfg = Config::of_inputs(&common)?;
            let options = out.options(cfg.output.as_deref())?;
            let mut meter = Meter::new(&cfg);
            let loaded = load(&cfg, &cfg.paths, &mut meter, &mut keep_all)?;
            let table = compare::timeline(&loaded.articles, &loaded.claims);
            deliver(&cfg, &options, ("Timeline", &table), &loaded)?;
            Ok(meter.finish())
        }
        Command::Explain(common) => {
            let cfg = Config::new(&common)?;
            let origins = input::expand(&cfg.paths);
            let mut meter = Meter::new(&cfg);
            meter.expect(&origins);
            let mut buffer = Vec::new();
            each_article(&cfg, origins, &mut meter, |done| {
                explain::write(&mut buffer, &cfg.lexicon, &done.read.article).expect("writing to memory cannot fail");
                Ok(())
            })?;
            emit(cfg.output.as_deref(), &buffer)?;
            Ok(meter.finish())
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
                    lexicon.cameo.codes().len()
                );
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!("{} problem(s)", problems.len());
                Ok(ExitCode::from(2))
            }
        }
    }
}

/// Counts what a run read and shows it: a progress bar on a terminal for
/// a large input, a summary line at the end (unless `--quiet`).
struct Meter {
    started: std::time::Instant,
    documents: usize,
    claims: usize,
    failures: usize,
    bytes: u64,
    quiet: bool,
    total: u64,
    unknown_total: bool,
    bar: Option<indicatif::ProgressBar>,
}

/// Inputs smaller than this get no progress bar (unless their size is
/// unknown, as on standard input).
const PROGRESS_FROM: u64 = 16 << 20;

impl Meter {
    fn new(cfg: &Config) -> Meter {
        Meter {
            started: std::time::Instant::now(),
            documents: 0,
            claims: 0,
            failures: 0,
            bytes: 0,
            quiet: cfg.quiet,
            total: 0,
            unknown_total: false,
            bar: None,
        }
    }

    /// Adds the size of inputs about to be read to the expected total.
    fn expect(&mut self, origins: &[Origin]) {
        for origin in origins {
            match origin {
                Origin::File(path, _) => self.total += std::fs::metadata(path).map_or(0, |m| m.len()),
                Origin::Stdin => self.unknown_total = true,
                Origin::Unreadable(..) => {}
                Origin::Sample => self.total += input::SAMPLE_TEXT.len() as u64,
            }
        }
        let large = self.unknown_total || self.total >= PROGRESS_FROM;
        if self.bar.is_none() && large && !self.quiet && io::stderr().is_terminal() {
            let bar = if self.unknown_total {
                indicatif::ProgressBar::new_spinner()
            } else {
                indicatif::ProgressBar::new(self.total)
            };
            // Decimal units, as the summary line counts MB.
            let template = if self.unknown_total {
                "{spinner} {decimal_bytes} {decimal_bytes_per_sec} {msg}"
            } else {
                "{bar:30} {decimal_bytes}/{decimal_total_bytes} {decimal_bytes_per_sec} ETA {eta} {msg}"
            };
            bar.set_style(indicatif::ProgressStyle::with_template(template).expect("a valid template"));
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr_with_hz(4));
            self.bar = Some(bar);
        } else if let Some(bar) = &self.bar {
            bar.set_length(self.total);
        }
    }

    fn document(&mut self, bytes: u64, claims: usize) {
        self.documents += 1;
        self.claims += claims;
        self.bytes += bytes;
        if let Some(bar) = &self.bar {
            bar.set_position(self.bytes);
            bar.set_message(plural(self.documents, "document"));
        }
    }

    /// Reports a failed input, above the progress bar.
    fn failure(&mut self, e: &Error) {
        self.failures += 1;
        self.note(&format!("demarche: {e}"));
    }

    fn note(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    /// Clears the bar, prints the summary and gives the exit status: 1 if
    /// any input failed (each already reported), else 0.
    fn finish(self) -> ExitCode {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        if !self.quiet {
            let seconds = self.started.elapsed().as_secs_f64();
            let mb = self.bytes as f64 / 1e6;
            eprintln!(
                "demarche: {}, {}, {} failed, {mb:.1} MB in {seconds:.2} s ({:.1} MB/s)",
                plural(self.documents, "document"),
                plural(self.claims, "claim"),
                self.failures,
                if seconds > 0.0 { mb / seconds } else { 0.0 }
            );
        }
        if self.failures > 0 {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    }
}

/// "1 document", "2 documents".
fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Reads and extracts the articles of `origins` on all workers, calling
/// `f` with each in input order; a document that fails is reported and counted, and the
/// others go on. Decoding warnings are reported with the file's name.
fn each_article<F>(cfg: &Config, origins: Vec<Origin>, meter: &mut Meter, mut f: F) -> Result<(), Error>
where
    F: FnMut(Done) -> Result<(), Error>,
{
    each_rendered(cfg, origins, meter, true, |_, _| (), |done, ()| f(done))
}

/// [`each_article`], with `render` run on the workers for each document
/// and its claims, and its result handed to `f` with the document. The
/// claims are kept in [`Done::claims`] only when `keep` is set.
fn each_rendered<R, T, F>(
    cfg: &Config,
    origins: Vec<Origin>,
    meter: &mut Meter,
    keep: bool,
    render: R,
    mut f: F,
) -> Result<(), Error>
where
    R: Fn(&Read, &[ClaimView]) -> T + Sync,
    T: Send,
    F: FnMut(Done, T) -> Result<(), Error>,
{
    if origins.is_empty() {
        return Ok(());
    }
    corpus::run_rendered(&cfg.lexicon, origins, cfg.date, cfg.jobs, keep, render, |done| {
        match done {
            Ok((done, rendered)) => {
                if let Some(warning) = &done.read.warning {
                    meter.note(&format!("demarche: warning: {}: {warning}", done.read.source.path));
                }
                meter.document(done.read.source.bytes, done.found);
                f(done, rendered)?;
            }
            Err(e) => meter.failure(&e),
        }
        Ok(())
    })
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

impl Loaded {
    /// Each article's date, for `--by`.
    fn dates(&self) -> std::collections::BTreeMap<String, Option<u32>> {
        self.articles.iter().cloned().collect()
    }
}

/// Keeps every claim read (see [`load`]).
fn keep_all(kept: &mut Vec<Claim>, claims: Vec<Claim>, _date: Option<u32>) {
    kept.extend(claims);
}

/// What [`load`] does with each article's claims (and its date): keep them
/// in [`Loaded::claims`], count them, or both.
type Keep<'a> = dyn FnMut(&mut Vec<Claim>, Vec<Claim>, Option<u32>) + 'a;

/// Reads `paths` (the sample when empty): articles are extracted, claims
/// CSV files read as they are, in the order given; `keep` decides what
/// becomes of the claims. A file that cannot be read is reported and
/// counted; a malformed claims CSV is an error (exit status 2).
fn load(cfg: &Config, paths: &[PathBuf], meter: &mut Meter, keep: &mut Keep) -> Result<Loaded, Error> {
    let mut loaded = Loaded {
        claims: Vec::new(),
        articles: Vec::new(),
        sources: Vec::new(),
        failures: 0,
    };
    let origins = input::expand(paths);
    meter.expect(&origins);
    let failed_before = meter.failures;
    let add = |loaded: &mut Loaded, done: Done, keep: &mut Keep| {
        let date = done.read.article.date;
        loaded.articles.push((done.read.article.id, date));
        loaded.sources.push(done.read.source);
        keep(&mut loaded.claims, done.claims, date);
        Ok(())
    };
    // Runs of article inputs go through the workers together; a claims CSV
    // between them is read in its place.
    let mut run: Vec<Origin> = Vec::new();
    for origin in origins {
        let Origin::File(path, input::Kind::Claims) = &origin else {
            run.push(origin);
            continue;
        };
        each_article(cfg, std::mem::take(&mut run), meter, |done| {
            add(&mut loaded, done, keep)
        })?;
        let name = path.display().to_string();
        match input::read_claims_bytes(path) {
            Ok((claims, bytes)) => {
                // One source row per article of the file, each naming it;
                // the file is described (and hashed) once. The articles
                // listed so far are looked up in sets: a corpus's claims
                // file holds millions of claims of thousands of articles.
                let source = Source::new("", &name, cfg.date, &bytes, true);
                let mut listed: HashSet<String> = loaded
                    .sources
                    .iter()
                    .filter(|s| s.path == name)
                    .map(|s| s.article.clone())
                    .collect();
                let mut known: HashSet<String> = loaded.articles.iter().map(|(id, _)| id.clone()).collect();
                for c in &claims {
                    if !listed.contains(&c.article) {
                        listed.insert(c.article.clone());
                        loaded.sources.push(Source {
                            article: c.article.clone(),
                            ..source.clone()
                        });
                    }
                    if !known.contains(&c.article) {
                        known.insert(c.article.clone());
                        loaded.articles.push((c.article.clone(), cfg.date));
                    }
                }
                meter.document(bytes.len() as u64, claims.len());
                // Claims of one article at a time, with the --date if given.
                let mut by_article: Vec<(String, Vec<Claim>)> = Vec::new();
                for c in claims {
                    match by_article.last_mut() {
                        Some((article, group)) if *article == c.article => group.push(c),
                        _ => by_article.push((c.article.clone(), vec![c])),
                    }
                }
                for (_, group) in by_article {
                    keep(&mut loaded.claims, group, cfg.date);
                }
            }
            Err(e) if e.is_usage() => return Err(e),
            Err(e) => meter.failure(&e),
        }
    }
    each_article(cfg, run, meter, |done| add(&mut loaded, done, keep))?;
    loaded.failures = meter.failures - failed_before;
    Ok(loaded)
}

/// Writes a command's report: in a text format the table alone; as a
/// workbook the table's sheet, then the claims it came from and the
/// sources of the inputs, so that every cell can be traced.
fn deliver(cfg: &Config, options: &Options, (name, table): (&str, &Table), loaded: &Loaded) -> Result<(), Error> {
    if options.format != Format::Xlsx {
        return emit(cfg.output.as_deref(), &render(table, options));
    }
    let claims = output::claims_table(&loaded.claims, &cfg.lexicon.cameo);
    let sources = output::sources_table(&loaded.sources);
    let sheets = [(name, table), ("Claims", &claims), ("Sources", &sources)];
    emit(cfg.output.as_deref(), &workbook(cfg, &sheets, options)?)
}

/// A table in a text format.
fn render(table: &Table, options: &Options) -> Vec<u8> {
    let mut buffer = Vec::new();
    table
        .write(&mut buffer, options)
        .expect("writing to memory cannot fail");
    buffer
}

/// Tables as the sheets of one workbook, for the `-o` file.
fn workbook(cfg: &Config, sheets: &[(&str, &Table)], options: &Options) -> Result<Vec<u8>, Error> {
    output::workbook(sheets, options.raw).map_err(|e| Error::Io {
        path: cfg.output.clone().unwrap_or_default(),
        source: io::Error::other(format!("cannot build the workbook: {e}")),
    })
}

/// Fails unless an output file can be written at `path`, before any work
/// is done: `path` must not be a directory, and its directory must take a
/// new file (the temporary file a [`Sink`] writes first).
fn check_writable(path: &Path) -> Result<(), Error> {
    let unwritable = |message: &str| Error::Usage(format!("{}: cannot write output: {message}", path.display()));
    if path.is_dir() {
        return Err(unwritable("is a directory"));
    }
    // A device or pipe is not opened to try it: opening a named pipe waits
    // for its reader, and closing it again would end what the reader reads.
    if in_place(path) {
        return match std::fs::metadata(path) {
            Ok(m) if m.permissions().readonly() => Err(unwritable("permission denied")),
            _ => Ok(()),
        };
    }
    let tmp = temporary(&resolved(path));
    match std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp) {
        Ok(_) => {
            let _ = std::fs::remove_file(&tmp);
            Ok(())
        }
        Err(e) => Err(unwritable(&e.to_string())),
    }
}

/// Where `path` leads through symbolic links (each relative to the link's
/// own directory): an output file written through a link replaces the file
/// the link points to, and the link stays. At most 40 links are followed,
/// as the kernel does; a dangling link leads to the file it names. (A link
/// to a device or pipe, such as /dev/stdout, is written in place instead.)
fn resolved(path: &Path) -> PathBuf {
    let mut at = path.to_path_buf();
    for _ in 0..40 {
        let Ok(target) = std::fs::read_link(&at) else {
            break;
        };
        at = match at.parent() {
            Some(dir) if target.is_relative() => dir.join(target),
            _ => target,
        };
    }
    at
}

/// Whether `path` is written in place: something that exists and is not a
/// regular file (a device such as /dev/null, a named pipe), which cannot be
/// replaced whole and must not be replaced by a file.
fn in_place(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
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

/// Where output goes: standard output, or a file written whole or not at
/// all (a temporary file beside it, renamed into place by
/// [`Sink::finish`]; removed if the run fails first), or a device or named
/// pipe, written in place.
struct Sink {
    out: Box<dyn Write>,
    /// The destination as given, unless it is standard output.
    path: Option<PathBuf>,
    /// The temporary file, and the file it is renamed to when complete
    /// (the destination, or what a link there leads to), unless the
    /// destination is written in place.
    tmp: Option<(PathBuf, PathBuf)>,
}

impl Sink {
    fn open(path: Option<&Path>) -> Result<Sink, Error> {
        let Some(path) = path else {
            return Ok(Sink {
                out: Box::new(io::stdout()),
                path: None,
                tmp: None,
            });
        };
        let (file, tmp) = if in_place(path) {
            let file = std::fs::OpenOptions::new().write(true).open(path);
            (file, None)
        } else {
            let target = resolved(path);
            let tmp = temporary(&target);
            (std::fs::File::create(&tmp), Some((tmp, target)))
        };
        Ok(Sink {
            out: Box::new(io::BufWriter::new(file.map_err(|e| Error::io(path, e))?)),
            path: Some(path.to_path_buf()),
            tmp,
        })
    }

    fn error(&self, source: io::Error) -> Error {
        Error::io(self.path.clone().unwrap_or_else(|| PathBuf::from("<stdout>")), source)
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.out.write_all(bytes).map_err(|e| self.error(e))
    }

    fn flush(&mut self) -> Result<(), Error> {
        self.out.flush().map_err(|e| self.error(e))
    }

    /// Completes the output: flushed, and a file renamed into place.
    fn finish(mut self) -> Result<(), Error> {
        self.flush()?;
        if let (Some((tmp, target)), Some(path)) = (self.tmp.take(), &self.path) {
            // Closes the file before the rename.
            self.out = Box::new(io::sink());
            std::fs::rename(&tmp, &target).map_err(|e| {
                let _ = std::fs::remove_file(&tmp);
                Error::io(path, e)
            })?;
        }
        Ok(())
    }
}

impl Drop for Sink {
    /// A run that ends before [`Sink::finish`] leaves no temporary file.
    fn drop(&mut self) {
        if let Some((tmp, _)) = &self.tmp {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// Writes a whole output at once (see [`Sink`]).
fn emit(path: Option<&Path>, bytes: &[u8]) -> Result<(), Error> {
    let mut sink = Sink::open(path)?;
    sink.write(bytes)?;
    sink.finish()
}

/// mimalloc: extraction allocates many small strings and vectors per
/// sentence, which the system allocator serves markedly slower.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
