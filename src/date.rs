//! Dates as yyyymmdd numbers: parsing ISO dates in data files and finding an
//! article's date in its dateline.

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

#[cfg(test)]
mod tests {
    use super::*;

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
