//! Writers for everything demarche outputs. Each command's data is a
//! [`Table`] — a header and rows, each column of a [`Kind`] — and one
//! writer per [`Format`] renders any table: CSV, TSV, JSON, JSON Lines,
//! Markdown, an aligned text table for a terminal, or (with several tables
//! as sheets) an XLSX workbook ([`workbook`]). So every format carries the
//! same information.
//!
//! Text cells are neutralised against formula injection by default: a cell
//! beginning with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
//! leading `'` ([`neutralise`], as OWASP recommends for CSV injection);
//! [`Options::raw`] turns that off. Numbers are typed and never touched.
//!
//! The library never prints: every writer takes an `io::Write`, and output
//! is deterministic.

use std::borrow::Cow;
use std::io;

use crate::cameo::Cameo;
use crate::compare;
use crate::extract::{Claim, ClaimView};
use crate::input::Source;
use crate::lexicon::Stance;
use crate::matrix::{Counts, Matrix};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// RFC 4180 CSV with a header row.
    #[default]
    Csv,
    /// Tab-separated, quoted like the CSV where a cell needs it.
    Tsv,
    /// A JSON array of objects, one per row, one object per line.
    Json,
    /// JSON Lines: one object per row and line.
    Jsonl,
    /// A Markdown (GitHub) pipe table.
    Md,
    /// Aligned text for reading in a terminal; long cells cut.
    Table,
    /// An Excel workbook, one sheet per table ([`workbook`]).
    Xlsx,
}

/// How a table is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    pub format: Format,
    /// Write text cells as they are, without neutralising formulas.
    pub raw: bool,
    /// CSV and TSV for Excel: a UTF-8 byte-order mark and CRLF line ends.
    pub excel: bool,
    /// Colour labels with ANSI escapes (text tables only).
    pub colour: bool,
}

/// What the cells of a column hold; it decides how each format writes
/// them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Kind {
    /// Free text (evidence, object, condition, names, ids).
    #[default]
    Text,
    /// A word of a closed set that is shown in colour (stance, relation,
    /// change), possibly followed by more words: `offer (conditional)`,
    /// `clash -0.08`. Coloured by its first word ([`colour`]).
    Label,
    /// Stances `; `-joined (`demand; threaten`): an array in JSON, coloured
    /// by the firmest ([`compare::FIRMNESS`]).
    List,
    /// A whole number: a JSON and spreadsheet number.
    Int,
    /// A decimal number (written as given, two decimals): a JSON and
    /// spreadsheet number.
    Real,
    /// A JSON value written as JSON text; a JSON value in JSON output.
    Json,
}

/// The characters that make a spreadsheet read a cell as a formula (all
/// ASCII: a cell's first byte tells).
pub const FORMULA_STARTS: &[u8] = b"=+-@\t\r";

/// Whether `cell` begins with one of [`FORMULA_STARTS`].
fn formula_like(cell: &str) -> bool {
    cell.as_bytes().first().is_some_and(|b| FORMULA_STARTS.contains(b))
}

/// The cell as a spreadsheet may safely show it: prefixed with `'` when it
/// begins with one of [`FORMULA_STARTS`].
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if formula_like(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Undoes [`neutralise`]: drops a `'` that is followed by one of
/// [`FORMULA_STARTS`].
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if formula_like(rest) => rest,
        _ => cell,
    }
}

/// A colour for a label: an ANSI SGR code for terminals and an RGB fill
/// for spreadsheets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colour {
    pub ansi: &'static str,
    pub rgb: u32,
}

const RED: Colour = Colour {
    ansi: "31",
    rgb: 0xF4A6A6,
};
const DARK_RED: Colour = Colour {
    ansi: "1;31",
    rgb: 0xE06666,
};
const ORANGE: Colour = Colour {
    ansi: "33",
    rgb: 0xF9CB9C,
};
const YELLOW: Colour = Colour {
    ansi: "33",
    rgb: 0xFFE599,
};
const GREEN: Colour = Colour {
    ansi: "32",
    rgb: 0xB6D7A8,
};
const PALE_GREEN: Colour = Colour {
    ansi: "36",
    rgb: 0xD9EAD3,
};
const BLUE: Colour = Colour {
    ansi: "34",
    rgb: 0xA4C2F4,
};
const GREY: Colour = Colour {
    ansi: "90",
    rgb: 0xD9D9D9,
};

/// The colour of a label's first word: stances (threaten dark red, reject
/// red, demand orange, offer blue, accept green, support pale green),
/// conflict relations (clash red, bridge yellow, agree green, mixed grey)
/// and changes (hardened red, softened green, added blue, dropped grey).
pub fn colour(label: &str) -> Option<Colour> {
    Some(match label.split_whitespace().next()? {
        "threaten" => DARK_RED,
        "reject" | "clash" | "hardened" => RED,
        "demand" => ORANGE,
        "bridge" => YELLOW,
        "offer" | "added" => BLUE,
        "accept" | "agree" | "softened" => GREEN,
        "support" => PALE_GREEN,
        "mixed" | "dropped" => GREY,
        _ => return None,
    })
}

/// The colour of a cell of this kind, if any.
pub fn cell_colour(kind: Kind, cell: &str) -> Option<Colour> {
    match kind {
        Kind::Label => colour(cell),
        Kind::List => cell
            .split("; ")
            .filter_map(|s| s.parse::<Stance>().ok())
            .max_by_key(|s| compare::firmness(*s))
            .and_then(|s| colour(s.as_str())),
        _ => None,
    }
}

/// The widest a cell may be in a text table, in characters; longer cells
/// are cut with `…` (the other formats keep them whole).
pub const MAX_CELL: usize = 48;

/// A report: rows under a header, each row as long as the header, each
/// column of a [`Kind`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<String>,
    /// One per column.
    pub kinds: Vec<Kind>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// An empty table with these column names, all [`Kind::Text`].
    pub fn new(header: &[&str]) -> Table {
        Table {
            header: header.iter().map(|h| h.to_string()).collect(),
            kinds: vec![Kind::Text; header.len()],
            rows: Vec::new(),
        }
    }

    /// Sets the kind of the named columns.
    pub fn with_kind(mut self, kind: Kind, columns: &[&str]) -> Table {
        for (h, k) in self.header.iter().zip(&mut self.kinds) {
            if columns.contains(&h.as_str()) {
                *k = kind;
            }
        }
        self
    }

    /// Sets the kind of the columns from `first` on.
    pub fn with_kind_from(mut self, kind: Kind, first: usize) -> Table {
        for k in self.kinds.iter_mut().skip(first) {
            *k = kind;
        }
        self
    }

    /// The kind of column `i`.
    pub fn kind(&self, i: usize) -> Kind {
        self.kinds.get(i).copied().unwrap_or_default()
    }

    /// A cell as text formats write it: neutralised unless raw, numbers as
    /// they are.
    fn text<'a>(&self, i: usize, cell: &'a str, raw: bool) -> Cow<'a, str> {
        match self.kind(i) {
            Kind::Int | Kind::Real => Cow::Borrowed(cell),
            _ if raw => Cow::Borrowed(cell),
            _ => neutralise(cell),
        }
    }

    fn header_text(&self, raw: bool) -> Vec<Cow<'_, str>> {
        self.header
            .iter()
            .map(|h| if raw { Cow::Borrowed(h.as_str()) } else { neutralise(h) })
            .collect()
    }

    /// Writes the table in a text format; [`Format::Xlsx`] is an error
    /// here (a workbook holds several tables: see [`workbook`]).
    pub fn write<W: io::Write>(&self, w: W, options: &Options) -> io::Result<()> {
        match options.format {
            Format::Csv => self.write_delimited(w, b',', options),
            Format::Tsv => self.write_delimited(w, b'\t', options),
            Format::Json => self.write_json(w, options.raw, true, &self.rows),
            Format::Jsonl => self.write_json(w, options.raw, false, &self.rows),
            Format::Md => self.write_markdown(w, options.raw),
            Format::Table => self.write_text(w, options),
            Format::Xlsx => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "a workbook is written by output::workbook",
            )),
        }
    }

    /// Whether the format can be written a part at a time (rows of one
    /// document after another), as [`Table::write_part`] does.
    pub fn streams(format: Format) -> bool {
        matches!(format, Format::Csv | Format::Tsv | Format::Jsonl)
    }

    /// Writes the table into `out` as one part of a longer output in a
    /// streaming format ([`Table::streams`]): the header (and mark) only
    /// when `first`, so that parts written one after another make one
    /// table.
    pub fn write_part(&self, out: &mut Vec<u8>, options: &Options, first: bool) -> io::Result<()> {
        self.write_part_rows(out, options, first, &self.rows)
    }

    /// [`Table::write_part`] with `rows` in place of the table's own: rows
    /// of borrowed cells under this header, written without copying them
    /// into the table first.
    pub fn write_part_rows<C: AsRef<str>, R: AsRef<[C]>>(
        &self,
        out: &mut Vec<u8>,
        options: &Options,
        first: bool,
        rows: impl IntoIterator<Item = R>,
    ) -> io::Result<()> {
        // The part is the buffer: nothing is written out as it fills.
        let keep = |_: &mut Vec<u8>| Ok(());
        match options.format {
            Format::Csv => self.delimited_rows(out, b',', options, first, rows, keep),
            Format::Tsv => self.delimited_rows(out, b'\t', options, first, rows, keep),
            Format::Jsonl => self.write_json(out, options.raw, false, rows),
            _ => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "only csv, tsv and jsonl are written in parts",
            )),
        }
    }

    /// Writes the whole table as delimited text to `w`, a block at a time.
    fn write_delimited<W: io::Write>(&self, mut w: W, delimiter: u8, options: &Options) -> io::Result<()> {
        let mut block = Vec::with_capacity(BLOCK);
        let spill = |block: &mut Vec<u8>| {
            w.write_all(block)?;
            block.clear();
            Ok(())
        };
        self.delimited_rows(&mut block, delimiter, options, true, &self.rows, spill)?;
        w.write_all(&block)?;
        w.flush()
    }

    /// Writes `rows` (the header first when `header`) as delimited text
    /// into `out`, handing it to `spill` whenever it holds a block.
    fn delimited_rows<C: AsRef<str>, R: AsRef<[C]>>(
        &self,
        out: &mut Vec<u8>,
        delimiter: u8,
        options: &Options,
        header: bool,
        rows: impl IntoIterator<Item = R>,
        mut spill: impl FnMut(&mut Vec<u8>) -> io::Result<()>,
    ) -> io::Result<()> {
        let csv = Delimited::new(delimiter, if options.excel { b"\r\n" } else { b"\n" });
        if header {
            if options.excel {
                out.extend_from_slice("\u{feff}".as_bytes());
            }
            csv.record(out, self.header_text(options.raw));
        }
        for row in rows {
            let row = row.as_ref();
            let cells = row
                .iter()
                .enumerate()
                .map(|(i, cell)| self.text(i, cell.as_ref(), options.raw));
            csv.record(out, cells);
            if out.len() >= BLOCK {
                spill(out)?;
            }
        }
        Ok(())
    }

    /// One JSON value per cell, by the column's kind.
    fn json_value(&self, i: usize, cell: &str, raw: bool) -> serde_json::Value {
        use serde_json::Value;
        let text = |s: &str| Value::String(if raw { s.to_string() } else { neutralise(s).into_owned() });
        match self.kind(i) {
            Kind::Text | Kind::Label => text(cell),
            Kind::Json => serde_json::from_str(cell).unwrap_or(Value::Null),
            Kind::List => Value::Array(cell.split("; ").filter(|s| !s.is_empty()).map(text).collect()),
            Kind::Int => cell.parse::<u64>().map(Value::from).unwrap_or(Value::Null),
            Kind::Real => cell
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map_or(Value::Null, Value::Number),
        }
    }

    fn write_json<W: io::Write, C: AsRef<str>, R: AsRef<[C]>>(
        &self,
        mut w: W,
        raw: bool,
        array: bool,
        rows: impl IntoIterator<Item = R>,
    ) -> io::Result<()> {
        let header = self.header_text(raw);
        let mut rows = rows.into_iter().peekable();
        if array {
            w.write_all(if rows.peek().is_none() { b"[" } else { b"[\n" })?;
        }
        while let Some(row) = rows.next() {
            let object = JsonRow {
                keys: &header,
                values: row
                    .as_ref()
                    .iter()
                    .enumerate()
                    .map(|(i, c)| self.json_value(i, c.as_ref(), raw))
                    .collect(),
            };
            serde_json::to_writer(&mut w, &object)?;
            w.write_all(if array && rows.peek().is_some() { b",\n" } else { b"\n" })?;
        }
        if array {
            w.write_all(b"]\n")?;
        }
        Ok(())
    }

    fn write_markdown<W: io::Write>(&self, mut w: W, raw: bool) -> io::Result<()> {
        let escape = |s: &str| -> String {
            let mut out = String::with_capacity(s.len());
            for c in s.chars() {
                match c {
                    '|' | '\\' => {
                        out.push('\\');
                        out.push(c);
                    }
                    c if c.is_whitespace() => out.push(' '),
                    c => out.push(c),
                }
            }
            out
        };
        let header: Vec<String> = self.header_text(raw).iter().map(|h| escape(h)).collect();
        writeln!(w, "| {} |", header.join(" | "))?;
        let rule: Vec<&str> = (0..self.header.len())
            .map(|i| match self.kind(i) {
                Kind::Int | Kind::Real => "---:",
                _ => "---",
            })
            .collect();
        writeln!(w, "| {} |", rule.join(" | "))?;
        for row in &self.rows {
            let cells: Vec<String> = row
                .iter()
                .enumerate()
                .map(|(i, c)| escape(&self.text(i, c, raw)))
                .collect();
            writeln!(w, "| {} |", cells.join(" | "))?;
        }
        Ok(())
    }

    fn write_text<W: io::Write>(&self, mut w: W, options: &Options) -> io::Result<()> {
        let cell = |s: &str| -> String {
            let flat: String = s.chars().map(|c| if c.is_whitespace() { ' ' } else { c }).collect();
            if flat.chars().count() > MAX_CELL {
                let cut: String = flat.chars().take(MAX_CELL - 1).collect();
                format!("{}…", cut.trim_end())
            } else {
                flat
            }
        };
        let header: Vec<String> = self.header_text(options.raw).iter().map(|h| cell(h)).collect();
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| {
                r.iter()
                    .enumerate()
                    .map(|(i, c)| cell(&self.text(i, c, options.raw)))
                    .collect()
            })
            .collect();
        let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
        for row in &rows {
            for (i, c) in row.iter().enumerate() {
                if let Some(width) = widths.get_mut(i) {
                    *width = (*width).max(c.chars().count());
                }
            }
        }
        // Colour wraps the text, not the padding, so columns stay aligned.
        let line = |cells: &[String], paint: bool| -> String {
            let padded: Vec<String> = cells
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(i, (c, &width))| {
                    let pad = " ".repeat(width - c.chars().count());
                    match cell_colour(self.kind(i), c).filter(|_| paint) {
                        Some(colour) => format!("\x1b[{}m{c}\x1b[0m{pad}", colour.ansi),
                        None => format!("{c}{pad}"),
                    }
                })
                .collect();
            padded.join("  ").trim_end().to_string()
        };
        writeln!(w, "{}", line(&header, false))?;
        let rule: Vec<String> = widths.iter().map(|&n| "-".repeat(n)).collect();
        writeln!(w, "{}", line(&rule, false))?;
        for row in &rows {
            writeln!(w, "{}", line(row, options.colour))?;
        }
        Ok(())
    }
}

/// A row as a JSON object, keys in column order.
struct JsonRow<'a> {
    keys: &'a [Cow<'a, str>],
    values: Vec<serde_json::Value>,
}

impl serde::Serialize for JsonRow<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.keys.len()))?;
        for (k, v) in self.keys.iter().zip(&self.values) {
            map.serialize_entry(k.as_ref(), v)?;
        }
        map.end()
    }
}

/// The columns of the claims table: SPEC §1's in order, then `cue` (the
/// words that signalled the stance) and `cameo` (the event code).
pub const CLAIM_COLUMNS: [&str; 15] = [
    "article",
    "party",
    "speaker",
    "stance",
    "issue",
    "target",
    "object",
    "condition",
    "mode",
    "sentence",
    "start",
    "end",
    "evidence",
    "cue",
    "cameo",
];

/// Adds the `document` column: the fields a JSONL record had besides
/// `id`, `text` and `date` (source, title, url, anything else), as a JSON
/// object, the same on each of the document's rows.
pub fn with_document(mut table: Table, fields: Option<&serde_json::Map<String, serde_json::Value>>) -> Table {
    let cell = document_cell(fields);
    table.header.push("document".into());
    table.kinds.push(Kind::Json);
    for row in &mut table.rows {
        row.push(cell.clone());
    }
    table
}

/// The `document` column's cell for a record with these other fields
/// (empty for none).
pub fn document_cell(fields: Option<&serde_json::Map<String, serde_json::Value>>) -> String {
    fields.map_or(String::new(), |f| serde_json::Value::Object(f.clone()).to_string())
}

/// Claims as a table ([`CLAIM_COLUMNS`]), each with its CAMEO code.
pub fn claims_table(claims: &[Claim], cameo: &Cameo) -> Table {
    let mut t = Table::new(&CLAIM_COLUMNS)
        .with_kind(Kind::Label, &["stance"])
        .with_kind(Kind::Int, &["sentence", "start", "end"]);
    for c in claims {
        t.rows.push(
            claim_row(&c.view(), cameo, None)
                .as_ref()
                .iter()
                .map(|cell| cell.as_ref().to_string())
                .collect(),
        );
    }
    t
}

/// Writes claims as one part of a streamed output, as
/// `claims_table(claims, cameo).write_part(...)` would (with the
/// `document` column holding `document` when it is given), but from the
/// claims themselves: a corpus's claims are not copied once more, and a
/// row costs no allocation.
pub fn write_claims_part(
    out: &mut Vec<u8>,
    claims: &[ClaimView],
    cameo: &Cameo,
    document: Option<&str>,
    options: &Options,
    first: bool,
) -> io::Result<()> {
    let mut columns = claims_table(&[], cameo);
    if document.is_some() {
        columns = with_document(columns, None);
    }
    let rows = claims.iter().map(|c| claim_row(c, cameo, document));
    columns.write_part_rows(out, options, first, rows)
}

/// Room for `claims` written by [`write_claims_part`]: their longer texts
/// and a row's worth of the rest each, so that a document's part is not
/// copied again and again as it grows.
pub fn claims_part_capacity(claims: &[ClaimView]) -> usize {
    claims
        .iter()
        .map(|c| c.article.len() + c.object.len() + c.condition.len() + c.evidence.len() + c.cue.len() + 160)
        .sum()
}

/// Bytes of delimited rows gathered before they are written out (see
/// [`Table::write_delimited`]).
const BLOCK: usize = 64 * 1024;

/// Delimited text (CSV, TSV) written as the csv crate's writer writes it
/// with its defaults: a field is quoted only when it holds the delimiter,
/// a quote or a line break, and quotes within are doubled. Rows are
/// written straight into a buffer, a field at a time, with no record or
/// writer state between them.
struct Delimited {
    delimiter: u8,
    terminator: &'static [u8],
    /// The bytes that make a field quoted: the delimiter, the quote, and
    /// line breaks ('\r' included: a reader takes it for one).
    quoted_by: [u8; 4],
    /// `quoted_by` as a table by byte value.
    special: [bool; 256],
}

impl Delimited {
    fn new(delimiter: u8, terminator: &'static [u8]) -> Delimited {
        let quoted_by = [delimiter, b'"', b'\n', b'\r'];
        let mut special = [false; 256];
        for b in quoted_by {
            special[usize::from(b)] = true;
        }
        Delimited {
            delimiter,
            terminator,
            quoted_by,
            special,
        }
    }

    /// Writes the fields as one record, terminated, to `out`.
    fn record<F: AsRef<str>>(&self, out: &mut Vec<u8>, fields: impl IntoIterator<Item = F>) {
        let start = out.len();
        for (i, field) in fields.into_iter().enumerate() {
            if i > 0 {
                out.push(self.delimiter);
            }
            self.field(out, field.as_ref().as_bytes());
        }
        // A record of one empty field would read back as a blank line.
        if out.len() == start {
            out.extend_from_slice(b"\"\"");
        }
        out.extend_from_slice(self.terminator);
    }

    fn field(&self, out: &mut Vec<u8>, field: &[u8]) {
        if !self.needs_quotes(field) {
            out.extend_from_slice(field);
            return;
        }
        out.push(b'"');
        // Each quote within is written twice.
        let mut rest = field;
        while let Some(quote) = memchr::memchr(b'"', rest) {
            out.extend_from_slice(&rest[..=quote]);
            out.push(b'"');
            rest = &rest[quote + 1..];
        }
        out.extend_from_slice(rest);
        out.push(b'"');
    }

    /// Whether `field` holds one of the bytes in `quoted_by`.
    fn needs_quotes(&self, field: &[u8]) -> bool {
        // Most fields are a word or a number: a byte at a time, from a
        // table, with no setup.
        if field.len() < 32 {
            return field.iter().any(|&b| self.special[usize::from(b)]);
        }
        // A sentence: every byte is tested, with no early exit, so that the
        // loop is vectorised.
        let [a, b, c, d] = self.quoted_by;
        field.iter().fold(0u8, |found, &x| {
            found | u8::from((x == a) | (x == b) | (x == c) | (x == d))
        }) != 0
    }
}

/// A cell of a claim's row: text borrowed from the claim, or a number
/// written out in place.
enum Cell<'c> {
    Text(&'c str),
    Number(Decimal),
}

impl AsRef<str> for Cell<'_> {
    fn as_ref(&self) -> &str {
        match self {
            Cell::Text(s) => s,
            Cell::Number(n) => n.as_str(),
        }
    }
}

/// A number's decimal digits, held inline.
struct Decimal {
    digits: [u8; 20],
    /// Where the digits start (they end at the buffer's end).
    start: usize,
}

impl Decimal {
    fn new(mut n: usize) -> Decimal {
        let mut d = Decimal {
            digits: [b'0'; 20],
            start: 20,
        };
        loop {
            d.start -= 1;
            d.digits[d.start] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                return d;
            }
        }
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.digits[self.start..]).expect("ASCII digits")
    }
}

/// A claim's cells in [`CLAIM_COLUMNS`] order, then the `document`
/// column's when there is one.
struct ClaimRow<'c> {
    cells: [Cell<'c>; CLAIM_COLUMNS.len() + 1],
    /// Whether the last cell, `document`, is part of the row.
    document: bool,
}

impl<'c> AsRef<[Cell<'c>]> for ClaimRow<'c> {
    fn as_ref(&self) -> &[Cell<'c>] {
        &self.cells[..CLAIM_COLUMNS.len() + usize::from(self.document)]
    }
}

/// One claim's row, with `document` as its last cell when given.
fn claim_row<'c>(c: &ClaimView<'c>, cameo: &'c Cameo, document: Option<&'c str>) -> ClaimRow<'c> {
    let cells = [
        Cell::Text(c.article),
        Cell::Text(c.party),
        Cell::Text(c.speaker),
        Cell::Text(c.stance.as_str()),
        Cell::Text(c.issue),
        Cell::Text(c.target),
        Cell::Text(c.object),
        Cell::Text(c.condition),
        Cell::Text(match c.mode {
            crate::extract::Mode::Quote => "quote",
            crate::extract::Mode::Reported => "reported",
        }),
        Cell::Number(Decimal::new(c.sentence)),
        Cell::Number(Decimal::new(c.start)),
        Cell::Number(Decimal::new(c.end)),
        Cell::Text(c.evidence),
        Cell::Text(c.cue),
        Cell::Text(cameo.code(c.stance, c.issue)),
        Cell::Text(document.unwrap_or_default()),
    ];
    ClaimRow {
        cells,
        document: document.is_some(),
    }
}

/// The wide matrix: one row per issue, one column per party, each cell the
/// party's stances on the issue.
pub fn matrix_table(m: &Matrix) -> Table {
    let mut header = vec!["issue"];
    header.extend(m.parties.iter().map(String::as_str));
    let mut t = Table::new(&header).with_kind_from(Kind::List, 1);
    for issue in m.issues() {
        let mut row = vec![issue.clone()];
        row.extend(m.parties.iter().map(|p| m.cell(&issue, p)));
        t.rows.push(row);
    }
    t
}

/// The long matrix: one row per (article, issue, party, stance) with the
/// number of claims.
pub fn matrix_long_table(m: &Matrix) -> Table {
    counts_table("article", &m.counts)
}

/// Claim counts by period: one row per (period, issue, party, stance).
pub fn matrix_period_table(counts: &Counts) -> Table {
    counts_table("period", counts)
}

/// Claim counts as rows of (`key`, issue, party, stance, claims).
fn counts_table(key: &str, counts: &Counts) -> Table {
    let mut t = Table::new(&[key, "issue", "party", "stance", "claims"])
        .with_kind(Kind::Label, &["stance"])
        .with_kind(Kind::Int, &["claims"]);
    for ((first, issue, party, stance), n) in counts {
        t.rows.push(vec![
            first.clone(),
            issue.clone(),
            party.clone(),
            stance.to_string(),
            n.to_string(),
        ]);
    }
    t
}

/// Tables of the same columns, one per period, as one table with a first
/// column `period`.
pub fn by_period_table(parts: Vec<(String, Table)>, empty: Table) -> Table {
    let mut out = Table {
        header: std::iter::once("period".to_string()).chain(empty.header).collect(),
        kinds: std::iter::once(Kind::Text).chain(empty.kinds).collect(),
        rows: Vec::new(),
    };
    for (period, table) in parts {
        for row in table.rows {
            out.rows.push(std::iter::once(period.clone()).chain(row).collect());
        }
    }
    out
}

/// The inputs, one row per article: where it came from, its size and
/// SHA-256.
pub fn sources_table(sources: &[Source]) -> Table {
    let mut t = Table::new(&["article", "path", "date", "bytes", "sha256"]).with_kind(Kind::Int, &["bytes"]);
    for s in sources {
        t.rows.push(vec![
            s.article.clone(),
            s.path.clone(),
            s.date.map(crate::date::format).unwrap_or_default(),
            s.bytes.to_string(),
            s.sha256.clone().unwrap_or_default(),
        ]);
    }
    t
}

/// The most characters a spreadsheet cell holds; longer text is cut with
/// `…` in a workbook (no demarche cell comes near it in practice).
pub const XLSX_MAX_CELL: usize = 32_767;

/// Writes tables as the sheets of one XLSX workbook, in order: header row
/// bold and frozen, an autofilter over the data, column widths from the
/// content (at most 60 characters; longer text columns wrap), numbers as
/// numbers, and label and stance cells filled with their [`colour`]. Text
/// cells are neutralised unless `raw` (a workbook stores text as text, so
/// this only matters once the data is copied elsewhere).
pub fn workbook(sheets: &[(&str, &Table)], raw: bool) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Color, Format as Style, FormatBorder, Workbook};
    const WIDEST: usize = 60;
    let mut book = Workbook::new();
    let header_style = Style::new()
        .set_bold()
        .set_background_color(Color::RGB(0xEFEFEF))
        .set_border_bottom(FormatBorder::Thin);
    let wrap = Style::new()
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    let top = Style::new().set_align(rust_xlsxwriter::FormatAlign::Top);
    let real = top.clone().set_num_format("0.00");
    for (name, table) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*name)?;
        let mut widths: Vec<usize> = table.header.iter().map(|h| h.chars().count() + 2).collect();
        for row in &table.rows {
            for (i, c) in row.iter().enumerate() {
                if let Some(w) = widths.get_mut(i) {
                    *w = (*w).max(c.chars().count() + 1);
                }
            }
        }
        for (col, h) in table.header_text(raw).iter().enumerate() {
            sheet.write_string_with_format(0, col as u16, h.as_ref(), &header_style)?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (i, c) in row.iter().enumerate() {
                let col = i as u16;
                let long = widths[i] > WIDEST;
                let base = if long { &wrap } else { &top };
                match table.kind(i) {
                    Kind::Int if c.parse::<f64>().is_ok() => {
                        sheet.write_number_with_format(r, col, c.parse::<f64>().unwrap_or(0.0), base)?;
                    }
                    Kind::Real if c.parse::<f64>().is_ok() => {
                        sheet.write_number_with_format(r, col, c.parse::<f64>().unwrap_or(0.0), &real)?;
                    }
                    kind => {
                        let mut text = table.text(i, c, raw).into_owned();
                        if text.chars().count() > XLSX_MAX_CELL {
                            text = text.chars().take(XLSX_MAX_CELL - 1).collect::<String>() + "…";
                        }
                        match cell_colour(kind, c) {
                            Some(colour) => {
                                let filled = base.clone().set_background_color(Color::RGB(colour.rgb));
                                sheet.write_string_with_format(r, col, text, &filled)?;
                            }
                            None => {
                                sheet.write_string_with_format(r, col, text, base)?;
                            }
                        }
                    }
                }
            }
        }
        for (i, w) in widths.iter().enumerate() {
            sheet.set_column_width(i as u16, (*w).min(WIDEST) as f64)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        if !table.header.is_empty() {
            sheet.autofilter(0, 0, table.rows.len() as u32, table.header.len() as u16 - 1)?;
        }
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_written_in_place() {
        for n in [0, 7, 10, 409, usize::MAX] {
            assert_eq!(Decimal::new(n).as_str(), n.to_string());
        }
    }

    fn sample() -> Table {
        let mut t = Table::new(&["party", "issue", "note", "score"]).with_kind(Kind::Real, &["score"]);
        t.rows.push(vec![
            "RUS".into(),
            "alliance".into(),
            "a, \"quoted\"\nline".into(),
            "-0.08".into(),
        ]);
        t.rows
            .push(vec!["UKR".into(), "territory".into(), "x".repeat(60), "0.50".into()]);
        t
    }

    fn write(t: &Table, format: Format, raw: bool) -> String {
        let mut out = Vec::new();
        let options = Options {
            format,
            raw,
            ..Options::default()
        };
        t.write(&mut out, &options).unwrap();
        String::from_utf8(out).unwrap()
    }

    proptest::proptest! {
        /// Delimited rows are written byte for byte as the csv crate's
        /// writer writes them (its quoting is what readers expect).
        #[test]
        fn delimited_rows_are_what_the_csv_crate_writes(
            rows in proptest::collection::vec(proptest::collection::vec("[a ]{0,40}[a,\t\"\r\n]?[a ]{0,3}", 3), 0..4),
            single in "[a,\"\n]{0,2}",
            tab: bool,
            crlf: bool,
        ) {
            let delimiter = if tab { b'\t' } else { b',' };
            let csv = Delimited::new(delimiter, if crlf { b"\r\n" } else { b"\n" });
            let mut builder = csv::WriterBuilder::new();
            // Flexible: the last record has one field.
            builder.delimiter(delimiter).flexible(true);
            if crlf {
                builder.terminator(csv::Terminator::CRLF);
            }
            let mut reference = builder.from_writer(Vec::new());
            let mut ours = Vec::new();
            // A record of one field too: empty, it must not be a blank line.
            for row in rows.iter().map(Vec::as_slice).chain([std::slice::from_ref(&single)]) {
                reference.write_record(row).unwrap();
                csv.record(&mut ours, row);
            }
            proptest::prop_assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(reference.into_inner().unwrap()).unwrap());
        }
    }

    #[test]
    fn csv_quotes() {
        let text = write(&sample(), Format::Csv, false);
        assert!(text.starts_with("party,issue,note,score\nRUS,alliance,\"a, \"\"quoted\"\"\nline\",-0.08\n"));
    }

    #[test]
    fn text_is_aligned_and_cut() {
        let text = write(&sample(), Format::Table, false);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            format!("party  issue      note{}score", " ".repeat(MAX_CELL - 2))
        );
        assert_eq!(
            lines[2],
            format!(
                "RUS    alliance   a, \"quoted\" line{}-0.08",
                " ".repeat(MAX_CELL - 16 + 2)
            )
        );
        assert_eq!(
            lines[3],
            format!("UKR    territory  {}…  0.50", "x".repeat(MAX_CELL - 1))
        );
    }

    /// (cell, neutralised)
    const CELLS: &[(&str, &str)] = &[
        ("=1+1", "'=1+1"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("plain", "plain"),
        ("a=1", "a=1"),
        ("", ""),
        ("'=1", "'=1"),
    ];

    #[test]
    fn neutralise_and_restore() {
        for (cell, want) in CELLS {
            assert_eq!(neutralise(cell), *want, "{cell:?}");
            if !cell.starts_with('\'') {
                assert_eq!(restore(&neutralise(cell)), *cell, "{cell:?}");
            }
        }
    }

    #[test]
    fn every_text_format_neutralises_text_but_not_numbers() {
        let mut t = Table::new(&["evidence", "stances", "n", "score"])
            .with_kind(Kind::List, &["stances"])
            .with_kind(Kind::Int, &["n"])
            .with_kind(Kind::Real, &["score"]);
        t.rows.push(vec![
            "=HYPERLINK(\"x\")".into(),
            "demand".into(),
            "3".into(),
            "-0.5".into(),
        ]);
        for format in [
            Format::Csv,
            Format::Tsv,
            Format::Json,
            Format::Jsonl,
            Format::Md,
            Format::Table,
        ] {
            let safe = write(&t, format, false);
            assert!(safe.contains("'=HYPERLINK"), "{format:?}: {safe}");
            assert!(safe.contains("-0.5"), "{format:?}: {safe}");
            assert!(!safe.contains("'-0.5"), "{format:?}: {safe}");
            let raw = write(&t, format, true);
            assert!(
                raw.contains("=HYPERLINK") && !raw.contains("'=HYPERLINK"),
                "{format:?}: {raw}"
            );
        }
    }

    #[test]
    fn json_types_cells_by_kind() {
        let mut t = Table::new(&["issue", "RUS", "n", "score"])
            .with_kind(Kind::List, &["RUS"])
            .with_kind(Kind::Int, &["n"])
            .with_kind(Kind::Real, &["score"]);
        t.rows.push(vec![
            "alliance".into(),
            "demand; threaten".into(),
            "12".into(),
            "-0.08".into(),
        ]);
        t.rows.push(vec!["territory".into(), "".into(), "0".into(), "".into()]);
        assert_eq!(
            write(&t, Format::Jsonl, false),
            "{\"issue\":\"alliance\",\"RUS\":[\"demand\",\"threaten\"],\"n\":12,\"score\":-0.08}\n\
             {\"issue\":\"territory\",\"RUS\":[],\"n\":0,\"score\":null}\n"
        );
        let json = write(&t, Format::Json, false);
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value[0]["RUS"][1], "threaten");
        assert_eq!(write(&Table::new(&["a"]), Format::Json, false), "[]\n");
    }

    #[test]
    fn tsv_markdown_and_excel_csv() {
        let mut t = Table::new(&["a", "b"]);
        t.rows.push(vec!["x|y".into(), "Türkiye\tnew".into()]);
        assert_eq!(write(&t, Format::Tsv, false), "a\tb\nx|y\t\"Türkiye\tnew\"\n");
        assert_eq!(
            write(&t, Format::Md, false),
            "| a | b |\n| --- | --- |\n| x\\|y | Türkiye new |\n"
        );
        let mut out = Vec::new();
        let options = Options {
            excel: true,
            ..Options::default()
        };
        t.write(&mut out, &options).unwrap();
        assert_eq!(out, "\u{feff}a,b\r\nx|y,Türkiye\tnew\r\n".as_bytes());
    }

    #[test]
    fn colours_by_first_word_and_firmest_stance() {
        assert_eq!(colour("clash -0.08"), Some(RED));
        assert_eq!(colour("offer (conditional) [softened]"), Some(BLUE));
        assert_eq!(colour("unchanged"), None);
        assert_eq!(cell_colour(Kind::List, "offer; threaten"), Some(DARK_RED));
        assert_eq!(cell_colour(Kind::Text, "threaten"), None);
        let mut t = Table::new(&["relation"]).with_kind(Kind::Label, &["relation"]);
        t.rows.push(vec!["clash".into()]);
        let options = Options {
            format: Format::Table,
            colour: true,
            ..Options::default()
        };
        let mut out = Vec::new();
        t.write(&mut out, &options).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "relation\n--------\n\x1b[31mclash\x1b[0m\n"
        );
    }
}
