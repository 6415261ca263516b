//! Timestamp parsing for imported data: the few layouts store exports actually use, all to UTC.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

/// Layouts without an offset, read as UTC (how most store databases keep their timestamps).
const NAIVE_LAYOUTS: &[&str] = &["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"];

/// Parses RFC 3339 ("2024-02-20T10:11:12Z", "...+02:00"), "2024-02-20 10:11:12" (UTC, optional
/// fraction) or a bare date "2024-02-20" (midnight UTC).
///
/// Empty input is an error; optional fields check for emptiness before calling.
pub fn parse_timestamp(s: &str) -> Result<DateTime<Utc>, &'static str> {
    let s = s.trim();
    if s.is_empty() {
        return Err("empty timestamp");
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Ok(dt.with_timezone(&Utc));
    }
    // PostgreSQL's text form: "2024-02-20 10:11:12.5+00" (offset with optional minutes).
    if let Ok(dt) = DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f%#z") {
        return Ok(dt.with_timezone(&Utc));
    }
    for layout in NAIVE_LAYOUTS {
        if let Ok(naive) = NaiveDateTime::parse_from_str(s, layout) {
            return Ok(naive.and_utc());
        }
    }
    if let Ok(date) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return date
            .and_hms_opt(0, 0, 0)
            .map(|naive| naive.and_utc())
            .ok_or("not a valid date");
    }
    Err("not a recognised date/time")
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn rfc3339_with_offsets() {
        let want = utc(2024, 2, 20, 10, 11, 12);
        assert_eq!(parse_timestamp("2024-02-20T10:11:12Z"), Ok(want));
        assert_eq!(parse_timestamp("2024-02-20T12:11:12+02:00"), Ok(want));
        assert_eq!(parse_timestamp("2024-02-20T05:11:12-05:00"), Ok(want));
        assert_eq!(parse_timestamp(" 2024-02-20t10:11:12z "), Ok(want));
        let frac = parse_timestamp("2024-02-20T10:11:12.250Z").map(|d| d.timestamp_millis());
        assert_eq!(frac, Ok(want.timestamp_millis() + 250));
    }

    #[test]
    fn space_separated_is_utc() {
        let want = utc(2024, 2, 20, 10, 11, 12);
        assert_eq!(parse_timestamp("2024-02-20 10:11:12"), Ok(want));
        assert_eq!(parse_timestamp("2024-02-20T10:11:12"), Ok(want));
        assert!(parse_timestamp("2024-02-20 10:11:12.123456").is_ok());
    }

    #[test]
    fn postgres_text_offsets() {
        let want = utc(2024, 2, 20, 10, 11, 12);
        assert_eq!(parse_timestamp("2024-02-20 10:11:12+00"), Ok(want));
        assert_eq!(parse_timestamp("2024-02-20 11:11:12+01:00"), Ok(want));
    }

    #[test]
    fn bare_date_is_midnight_utc() {
        assert_eq!(parse_timestamp("2024-02-20"), Ok(utc(2024, 2, 20, 0, 0, 0)));
        assert_eq!(parse_timestamp("2024-02-29"), Ok(utc(2024, 2, 29, 0, 0, 0)));
    }

    #[test]
    fn rejects_garbage() {
        for s in [
            "",
            "  ",
            "2024-13-40",
            "2023-02-29",
            "2024-02-20 25:00:00",
            "20/02/2024",
            "yesterday",
            "2024-02-20T10:11:12Zjunk",
            "1708423872",
        ] {
            assert!(parse_timestamp(s).is_err(), "{s:?} parsed");
        }
        assert_eq!(parse_timestamp(""), Err("empty timestamp"));
        assert_eq!(
            parse_timestamp("2024-13-40"),
            Err("not a recognised date/time")
        );
    }
}
