//! Dates as yyyymmdd numbers: parsing ISO dates in data files and finding an
//! article's date in its dateline.

/// The date of an ISO date or date-time as a page or a record states it
/// (`2025-02-18T09:30:00Z`): its first ten bytes read by [`parse_iso`].
pub fn parse_iso_date_time(s: &str) -> Option<u32> {
    parse_iso(s.get(..10).unwrap_or(s))
}

/// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` into yyyymmdd (missing parts
/// are the first month or day).
pub fn parse_iso(s: &str) -> Option<u32> {
    let mut parts = s.split('-');
    let year: u32 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next().map_or(Some(1), |m| m.parse().ok())?;
    let day: u32 = parts.next().map_or(Some(1), |d| d.parse().ok())?;
    if parts.next().is_some() || !(1000..=9999).contains(&year) || !(1..=12).contains(&month) {
        return None;
    }
    if !(1..=days_in_month(year, month)).contains(&day) {
        return None;
    }
    Some(year * 10000 + month * 100 + day)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Formats yyyymmdd as `YYYY-MM-DD`.
pub fn format(date: u32) -> String {
    format!("{:04}-{:02}-{:02}", date / 10000, date / 100 % 100, date % 100)
}

/// A span of time that claims are counted by (`--by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Day,
    /// ISO 8601 week (Monday to Sunday), written `2025-W08`.
    Week,
    Month,
}

/// The period a yyyymmdd date falls in: `2025-02-18`, `2025-W08` or
/// `2025-02`; `undated` when there is no date.
pub fn period(date: Option<u32>, by: Period) -> String {
    let Some(date) = date else {
        return "undated".to_string();
    };
    let (y, m, d) = (date / 10000, date / 100 % 100, date % 100);
    match by {
        Period::Day => format(date),
        Period::Month => std::format!("{y:04}-{m:02}"),
        Period::Week => {
            let (year, week) = iso_week(y as i64, m as i64, d as i64);
            std::format!("{year:04}-W{week:02}")
        }
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's
/// days_from_civil).
fn days(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// The ISO week-numbering year and week of a date.
fn iso_week(y: i64, m: i64, d: i64) -> (i64, i64) {
    let day = days(y, m, d);
    // 1970-01-01 was a Thursday; ISO weekdays run Monday = 1 .. Sunday = 7.
    let weekday = (day + 3).rem_euclid(7) + 1;
    // The week's Thursday decides its year.
    let thursday = day - weekday + 4;
    let year = if thursday < days(y, 1, 1) {
        y - 1
    } else if thursday >= days(y + 1, 1, 1) {
        y + 1
    } else {
        y
    };
    (year, (thursday - days(year, 1, 1)) / 7 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods() {
        assert_eq!(period(Some(20250218), Period::Day), "2025-02-18");
        assert_eq!(period(Some(20250218), Period::Month), "2025-02");
        assert_eq!(period(Some(20250218), Period::Week), "2025-W08");
        // Weeks that belong to the neighbouring year.
        assert_eq!(period(Some(20241230), Period::Week), "2025-W01");
        assert_eq!(period(Some(20210103), Period::Week), "2020-W53");
        assert_eq!(period(Some(20260101), Period::Week), "2026-W01");
        assert_eq!(period(None, Period::Week), "undated");
    }

    #[test]
    fn iso_dates() {
        assert_eq!(parse_iso("2025-01-20"), Some(20250120));
        assert_eq!(parse_iso("2024"), Some(20240101));
        assert_eq!(parse_iso("2024-02-29"), Some(20240229));
        assert_eq!(parse_iso("2023-02-29"), None);
        assert_eq!(parse_iso("2021-13-01"), None);
        assert_eq!(parse_iso("21-01-01"), None);
        assert_eq!(parse_iso("2021-01-01-01"), None);
        assert_eq!(format(20250120), "2025-01-20");
    }
}

mod find {
    //! A nom grammar for the dates news pages print: `2025-06-02`,
    //! `June 2, 2025`, `Jun. 2, 2025`, `2 June 2025`.

    use nom::IResult;
    use nom::Parser;
    use nom::branch::alt;
    use nom::bytes::complete::{tag, tag_no_case, take_while_m_n};
    use nom::character::complete::{char, space1};
    use nom::combinator::{map_res, opt};

    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];

    fn number(min: usize, max: usize) -> impl Fn(&str) -> IResult<&str, u32> {
        move |input| map_res(take_while_m_n(min, max, |c: char| c.is_ascii_digit()), str::parse).parse(input)
    }

    fn month(input: &str) -> IResult<&str, u32> {
        for (i, name) in MONTHS.iter().enumerate() {
            let full: IResult<&str, &str> = tag_no_case(*name).parse(input);
            if let Ok((rest, _)) = full {
                return Ok((rest, i as u32 + 1));
            }
            let short: IResult<&str, &str> = tag_no_case(&name[..3]).parse(input);
            if let Ok((rest, _)) = short {
                let (rest, _) = opt(alt((tag("t."), tag("."), tag("t")))).parse(rest)?;
                return Ok((rest, i as u32 + 1));
            }
        }
        Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::Tag,
        )))
    }

    /// `2025-06-02`
    fn iso(input: &str) -> IResult<&str, (u32, u32, u32)> {
        let (input, (y, _, m, _, d)) = (number(4, 4), char('-'), number(2, 2), char('-'), number(2, 2)).parse(input)?;
        Ok((input, (y, m, d)))
    }

    /// `June 2, 2025`
    fn month_day_year(input: &str) -> IResult<&str, (u32, u32, u32)> {
        let (input, (m, _, d, _, _, y)) =
            (month, space1, number(1, 2), opt(char(',')), space1, number(4, 4)).parse(input)?;
        Ok((input, (y, m, d)))
    }

    /// `2 June 2025`
    fn day_month_year(input: &str) -> IResult<&str, (u32, u32, u32)> {
        let (input, (d, _, m, _, y)) = (number(1, 2), space1, month, space1, number(4, 4)).parse(input)?;
        Ok((input, (y, m, d)))
    }

    /// A cheap test before the grammar: a date starts with a digit or with
    /// a month's first three letters.
    pub fn may_start_date(input: &str) -> bool {
        let b = input.as_bytes();
        b.first().is_some_and(u8::is_ascii_digit)
            || (b.len() >= 3 && MONTHS.iter().any(|m| m.as_bytes()[..3].eq_ignore_ascii_case(&b[..3])))
    }

    pub fn date(input: &str) -> IResult<&str, (u32, u32, u32)> {
        alt((iso, month_day_year, day_month_year)).parse(input)
    }
}

/// The first full date (with a year) in the opening of an article — its
/// dateline or date line — as yyyymmdd.
pub fn find_in_text(text: &str) -> Option<u32> {
    let head = &text[..crate::document::floor_char_boundary(text, 2000)];
    let starts = head
        .char_indices()
        .filter(|(i, c)| c.is_alphanumeric() && head[..*i].chars().next_back().is_none_or(|p| !p.is_alphanumeric()))
        .map(|(i, _)| i);
    for i in starts {
        if !find::may_start_date(&head[i..]) {
            continue;
        }
        if let Ok((_, (y, m, d))) = find::date(&head[i..])
            && let Some(date) = parse_iso(&format!("{y:04}-{m:02}-{d:02}"))
        {
            return Some(date);
        }
    }
    None
}

#[cfg(test)]
mod find_tests {
    use super::*;

    macro_rules! t {
        ($name:ident, $text:expr, $want:expr) => {
            #[test]
            fn $name() {
                assert_eq!(find_in_text($text), $want);
            }
        };
    }

    t!(
        iso_line,
        "Talks resume\nPublished 2025-06-02 10:00\nBody.",
        Some(20250602)
    );
    t!(month_first, "KYIV, June 2, 2025 — Russia said.", Some(20250602));
    t!(abbreviated, "Posted Dec. 14, 2025 by staff", Some(20251214));
    t!(sept, "Sept. 3, 2024: the envoy left", Some(20240903));
    t!(day_first, "Updated 23 April 2024", Some(20240423));
    t!(no_year, "Dec. 14 (UPI) — Zelensky said Sunday.", None);
    t!(invalid_day, "February 30, 2024 was no day", None);
    t!(year_alone, "In February 2022 Russia invaded.", None);
    t!(word_inside, "Germany 12 2024", None);
}
