//! CAMEO event codes for claims: the nearest code of the CAMEO 1.1b3 event
//! typology for a claim's stance and issue, from `data/cameo.csv`, so that
//! demarche output joins with GDELT/ICEWS-style event data.
//!
//! Each stance has a root code (SPEC §3: demand 10, offer 03, accept 08,
//! reject 12, threaten 13, support 05); a (stance, issue) row gives a
//! sub-code where the issue maps cleanly onto one (demand + ceasefire →
//! 1056, "Demand de-escalation of military engagement"). Every other pair
//! gets its stance's root.

use rustc_hash::FxHashMap;

use crate::error::{Error, Result};
use crate::lexicon::{self, ISSUES, Stance};

/// One row of `cameo.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    pub stance: Stance,
    /// `None` for the stance's root row.
    pub issue: Option<&'static str>,
    /// Two to four digits, leading zeros kept (`03`, `0356`).
    pub code: String,
    /// The CAMEO name of the code, for the human reader.
    pub label: String,
    /// Line in the data file, for messages.
    pub line: u64,
}

/// The loaded table.
#[derive(Debug, Clone)]
pub struct Cameo {
    /// The file name used in messages.
    pub file: String,
    codes: Vec<Code>,
    /// For each issue, the first row of each stance (by [`Stance`] order),
    /// and each stance's first root row: [`Cameo::code`] is asked for
    /// every claim written.
    by_issue: FxHashMap<&'static str, [Option<usize>; 6]>,
    roots: [usize; 6],
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    stance: String,
    issue: String,
    code: String,
    label: String,
}

/// The CAMEO root of each stance, as SPEC §3 gives it.
pub fn spec_root(stance: Stance) -> &'static str {
    match stance {
        Stance::Demand => "10",
        Stance::Offer => "03",
        Stance::Accept => "08",
        Stance::Reject => "12",
        Stance::Threaten => "13",
        Stance::Support => "05",
    }
}

impl Cameo {
    /// Reads the table from the text of `file`; errors name the file and
    /// line. Every stance needs a root row.
    pub fn from_text(file: &str, text: &str) -> Result<Cameo> {
        let mut codes = Vec::new();
        for (line, row) in lexicon::read_rows::<Row>((file, text))? {
            let stance: Stance = row.stance.parse().map_err(|m| Error::data(file, line, m))?;
            let issue = match row.issue.as_str() {
                "" => None,
                i => Some(
                    *ISSUES
                        .iter()
                        .find(|x| **x == i)
                        .ok_or_else(|| Error::data(file, line, format!("unknown issue {i:?}")))?,
                ),
            };
            if !(2..=4).contains(&row.code.len()) || !row.code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Error::data(
                    file,
                    line,
                    format!("code {:?}: expected 2 to 4 digits", row.code),
                ));
            }
            codes.push(Code {
                stance,
                issue,
                code: row.code,
                label: row.label,
                line,
            });
        }
        let mut by_issue: FxHashMap<&'static str, [Option<usize>; 6]> = FxHashMap::default();
        let mut roots = [None; 6];
        for (i, c) in codes.iter().enumerate() {
            let rows = match c.issue {
                Some(issue) => by_issue.entry(issue).or_default(),
                None => &mut roots,
            };
            rows[c.stance as usize].get_or_insert(i);
        }
        let mut root_rows = [0; 6];
        for stance in Stance::ALL {
            root_rows[stance as usize] = roots[stance as usize]
                .ok_or_else(|| Error::data(file, 1, format!("no root row (empty issue) for stance {stance}")))?;
        }
        Ok(Cameo {
            file: file.to_string(),
            codes,
            by_issue,
            roots: root_rows,
        })
    }

    /// The table's rows, in file order.
    pub fn codes(&self) -> &[Code] {
        &self.codes
    }

    /// The code of a claim: its (stance, issue) row, else the stance's
    /// root. The first matching row wins.
    pub fn code(&self, stance: Stance, issue: &str) -> &str {
        let row = self
            .by_issue
            .get(issue)
            .and_then(|rows| rows[stance as usize])
            .unwrap_or(self.roots[stance as usize]);
        &self.codes[row].code
    }

    /// Consistency problems the loader lets through: a row given twice, a
    /// root other than SPEC §3's, a sub-code outside its stance's root.
    pub fn check(&self) -> Vec<Error> {
        let mut problems = Vec::new();
        for (i, c) in self.codes.iter().enumerate() {
            let problem = if let Some(first) = self.codes[..i]
                .iter()
                .find(|d| d.stance == c.stance && d.issue == c.issue)
            {
                Some(format!(
                    "{} {} repeats line {}",
                    c.stance,
                    c.issue.unwrap_or("(root)"),
                    first.line
                ))
            } else if c.issue.is_none() && c.code != spec_root(c.stance) {
                Some(format!(
                    "root of {} is {}, SPEC §3 says {}",
                    c.stance,
                    c.code,
                    spec_root(c.stance)
                ))
            } else if !c.code.starts_with(spec_root(c.stance)) {
                Some(format!(
                    "code {} for {} is not under its root {}",
                    c.code,
                    c.stance,
                    spec_root(c.stance)
                ))
            } else {
                None
            };
            if let Some(message) = problem {
                problems.push(Error::data(&self.file, c.line, message));
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "stance,issue,code,label\n";
    const ROOTS: &str = "demand,,10,Demand\noffer,,03,x\naccept,,08,x\nreject,,12,x\nthreaten,,13,x\nsupport,,05,x\n";

    fn load(extra: &str) -> Result<Cameo> {
        Cameo::from_text("cameo.csv", &format!("{HEADER}{ROOTS}{extra}"))
    }

    #[test]
    fn builtin_codes() {
        let lex = crate::Lexicon::builtin().unwrap();
        let t = &lex.cameo;
        for (stance, issue, code) in [
            (Stance::Demand, "ceasefire", "1056"),
            (Stance::Demand, "other", "10"),
            (Stance::Offer, "other", "03"),
            (Stance::Accept, "other", "08"),
            (Stance::Reject, "peace_deal", "127"),
            (Stance::Threaten, "sanctions", "1312"),
            (Stance::Support, "territory", "05"),
            (Stance::Offer, "prisoners", "0353"),
        ] {
            assert_eq!(t.code(stance, issue), code, "{stance} {issue}");
        }
        assert!(t.check().is_empty(), "{:?}", t.check());
    }

    #[test]
    fn sub_code_wins_over_root() {
        let t = load("demand,sanctions,1054,x\n").unwrap();
        assert_eq!(t.code(Stance::Demand, "sanctions"), "1054");
        assert_eq!(t.code(Stance::Demand, "territory"), "10");
    }

    macro_rules! bad {
        ($name:ident, $text:expr, $message:expr) => {
            #[test]
            fn $name() {
                assert_eq!(
                    Cameo::from_text("cameo.csv", $text).unwrap_err().to_string(),
                    $message
                );
            }
        };
    }

    bad!(
        unknown_stance,
        &format!("{HEADER}{ROOTS}demnad,,10,x\n"),
        "cameo.csv:8: unknown stance \"demnad\""
    );
    bad!(
        unknown_issue,
        &format!("{HEADER}{ROOTS}demand,ceasfire,1056,x\n"),
        "cameo.csv:8: unknown issue \"ceasfire\""
    );
    bad!(
        bad_code,
        &format!("{HEADER}{ROOTS}demand,ceasefire,10a,x\n"),
        "cameo.csv:8: code \"10a\": expected 2 to 4 digits"
    );
    bad!(
        missing_root,
        &format!("{HEADER}demand,,10,x\n"),
        "cameo.csv:1: no root row (empty issue) for stance offer"
    );

    #[test]
    fn check_finds_repeats_and_codes_outside_their_root() {
        let t = load("demand,ceasefire,1056,x\ndemand,ceasefire,1054,x\noffer,ceasefire,1056,x\n").unwrap();
        let wrong_root = Cameo::from_text("cameo.csv", &format!("{HEADER}{}", ROOTS.replace("03", "04"))).unwrap();
        let problems: Vec<String> = t
            .check()
            .iter()
            .chain(&wrong_root.check())
            .map(|e| e.to_string())
            .collect();
        assert_eq!(
            problems,
            [
                "cameo.csv:9: demand ceasefire repeats line 8",
                "cameo.csv:10: code 1056 for offer is not under its root 03",
                "cameo.csv:3: root of offer is 04, SPEC §3 says 03",
            ]
        );
    }
}
