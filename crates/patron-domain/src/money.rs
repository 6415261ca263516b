//! Money as integer minor units: currency exponents, exact decimal parsing and display.
//!
//! Amounts never pass through floating point, so "0.1 + 0.2" problems cannot creep into totals.

/// Currencies without minor units (ISO 4217 exponent 0).
pub const EXPONENT_0: &[&str] = &[
    "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV",
    "XAF", "XOF", "XPF",
];
/// Currencies with three decimal places; every other one has two.
pub const EXPONENT_3: &[&str] = &["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"];

/// ISO 4217 minor-unit exponent: how many decimal places a currency uses (2 unless listed).
pub fn minor_units(currency: &str) -> u32 {
    let code = currency.trim().to_ascii_uppercase();
    if EXPONENT_0.contains(&code.as_str()) {
        0
    } else if EXPONENT_3.contains(&code.as_str()) {
        3
    } else {
        2
    }
}

/// A major-unit amount given in thousandths (`milli`) as the smallest whole number of minor
/// units of `currency` that is at least as much: 250.5 (250_500) is 25050 USD, 251 JPY.
pub fn milli_to_minor_ceil(milli: i64, currency: &str) -> i64 {
    let div = 10i64.pow(3 - minor_units(currency));
    milli.div_euclid(div) + i64::from(milli.rem_euclid(div) != 0)
}

/// Parses a decimal amount into minor units exactly: "1,234.56" USD is 123456.
///
/// Accepts an optional sign, thousands commas in groups of three and up to the currency's
/// decimal places. Extra decimal places are accepted only when they are zeros ("1500.00" JPY),
/// because store exports often pad every currency to two places.
pub fn parse_amount(s: &str, currency: &str) -> Result<i64, &'static str> {
    let s = s.trim();
    if s.is_empty() {
        return Err("empty amount");
    }
    let (negative, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, f),
        None => (body, ""),
    };
    if int.is_empty() {
        return Err("missing digits before the decimal point");
    }
    if body.contains('.') && frac.is_empty() {
        return Err("missing digits after the decimal point");
    }
    if !int.bytes().all(|b| b.is_ascii_digit() || b == b',')
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err("not a number");
    }
    if int.contains(',') && !valid_grouping(int) {
        return Err("misplaced thousands separator");
    }
    let exp = minor_units(currency) as usize;
    let (kept, extra) = frac.split_at(frac.len().min(exp));
    if extra.bytes().any(|b| b != b'0') {
        return Err("too many decimal places for the currency");
    }
    let digits = int.bytes().filter(|&b| b != b',');
    let padded = kept
        .bytes()
        .chain(std::iter::repeat_n(b'0', exp - kept.len()));
    let mut value: i128 = 0;
    for b in digits.chain(padded) {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(i128::from(b - b'0')))
            .ok_or("amount too large")?;
    }
    if negative {
        value = -value;
    }
    i64::try_from(value).map_err(|_| "amount too large")
}

/// Groups after the first must be exactly three digits; the first one to three.
fn valid_grouping(int: &str) -> bool {
    let mut groups = int.split(',');
    let first_ok = groups.next().is_some_and(|g| (1..=3).contains(&g.len()));
    first_ok && groups.all(|g| g.len() == 3)
}

/// "1,234.56 USD", "-0.50 EUR", "1,500 JPY": grouped digits, the currency's decimals, the code.
pub fn format_amount(minor: i64, currency: &str) -> String {
    let exp = minor_units(currency);
    let magnitude = minor.unsigned_abs();
    let scale = 10u64.pow(exp);
    let (units, fraction) = (magnitude / scale, magnitude % scale);
    let units = units.to_string();
    let mut grouped = String::with_capacity(units.len() + units.len() / 3 + 24);
    if minor < 0 {
        grouped.push('-');
    }
    for (i, c) in units.chars().enumerate() {
        if i > 0 && (units.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if exp > 0 {
        grouped.push_str(&format!(".{fraction:0width$}", width = exp as usize));
    }
    format!("{grouped} {}", currency.trim().to_ascii_uppercase())
}

/// "1234.56", "-0.50", "1500": the currency's decimals, no grouping and no code (what data
/// files carry).
pub fn plain_amount(minor: i64, currency: &str) -> String {
    let exp = minor_units(currency);
    let magnitude = minor.unsigned_abs();
    let sign = if minor < 0 { "-" } else { "" };
    if exp == 0 {
        return format!("{sign}{magnitude}");
    }
    let scale = 10u64.pow(exp);
    format!(
        "{sign}{}.{:0width$}",
        magnitude / scale,
        magnitude % scale,
        width = exp as usize
    )
}

/// Codes the console accepts in imports; deliberately a curated list, not all of ISO 4217.
const CURRENCIES: &[&str] = &[
    "AED", "ARS", "AUD", "BDT", "BGN", "BHD", "BRL", "CAD", "CHF", "CLP", "CNY", "COP", "CZK",
    "DKK", "EGP", "EUR", "GBP", "HKD", "HUF", "IDR", "ILS", "INR", "ISK", "JOD", "JPY", "KES",
    "KRW", "KWD", "MAD", "MXN", "MYR", "NGN", "NOK", "NZD", "OMR", "PEN", "PHP", "PKR", "PLN",
    "QAR", "RON", "SAR", "SEK", "SGD", "THB", "TND", "TRY", "TWD", "UAH", "USD", "VND", "ZAR",
];

/// True for a known code written as three uppercase ASCII letters ("usd" is not accepted).
pub fn is_currency(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) && CURRENCIES.contains(&code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponents() {
        assert_eq!(minor_units("USD"), 2);
        assert_eq!(minor_units("HUF"), 2);
        assert_eq!(minor_units("JPY"), 0);
        assert_eq!(minor_units("krw"), 0);
        assert_eq!(minor_units("KWD"), 3);
        assert_eq!(minor_units("BHD"), 3);
        assert_eq!(minor_units("???"), 2);
    }

    #[test]
    fn a_major_amount_in_thousandths_rounds_up_to_whole_minor_units() {
        assert_eq!(milli_to_minor_ceil(250_500, "USD"), 25050);
        assert_eq!(milli_to_minor_ceil(250_501, "USD"), 25051);
        assert_eq!(milli_to_minor_ceil(250_500, "JPY"), 251);
        assert_eq!(milli_to_minor_ceil(250_000, "JPY"), 250);
        assert_eq!(milli_to_minor_ceil(1_234, "KWD"), 1234);
        assert_eq!(milli_to_minor_ceil(0, "EUR"), 0);
    }

    #[test]
    fn parses_exactly() {
        let ok = [
            ("12.34", "USD", 1234),
            ("12", "USD", 1200),
            ("-3.5", "USD", -350),
            ("+3.05", "USD", 305),
            ("1,234.56", "USD", 123_456),
            ("1,234,567", "EUR", 123_456_700),
            (" 0.01 ", "USD", 1),
            ("-0", "USD", 0),
            ("1500", "JPY", 1500),
            ("1500.00", "JPY", 1500),
            ("12.340", "USD", 1234),
            ("1.234", "KWD", 1234),
            ("1.2", "KWD", 1200),
            ("0.1", "USD", 10),
            ("92233720368547758.07", "USD", i64::MAX),
            ("-92233720368547758.08", "USD", i64::MIN),
        ];
        for (s, cur, want) in ok {
            assert_eq!(parse_amount(s, cur), Ok(want), "{s} {cur}");
        }
    }

    #[test]
    fn rejects_bad_amounts() {
        let bad = [
            ("", "USD", "empty amount"),
            ("   ", "USD", "empty amount"),
            ("12.345", "USD", "too many decimal places for the currency"),
            ("1500.5", "JPY", "too many decimal places for the currency"),
            ("abc", "USD", "not a number"),
            ("$12", "USD", "not a number"),
            ("12.3.4", "USD", "not a number"),
            ("1e5", "USD", "not a number"),
            ("--1", "USD", "not a number"),
            ("1 000", "USD", "not a number"),
            ("12,34", "USD", "misplaced thousands separator"),
            (",123", "USD", "misplaced thousands separator"),
            ("1,2345", "USD", "misplaced thousands separator"),
            (".5", "USD", "missing digits before the decimal point"),
            ("-", "USD", "missing digits before the decimal point"),
            ("12.", "USD", "missing digits after the decimal point"),
            ("92233720368547758.08", "USD", "amount too large"),
            (
                "99999999999999999999999999999999999999999999",
                "USD",
                "amount too large",
            ),
            ("١٢", "USD", "not a number"),
        ];
        for (s, cur, why) in bad {
            assert_eq!(parse_amount(s, cur), Err(why), "{s:?} {cur}");
        }
    }

    #[test]
    fn formats_readably() {
        assert_eq!(format_amount(123_456, "USD"), "1,234.56 USD");
        assert_eq!(format_amount(-50, "eur"), "-0.50 EUR");
        assert_eq!(format_amount(0, "USD"), "0.00 USD");
        assert_eq!(format_amount(1500, "JPY"), "1,500 JPY");
        assert_eq!(format_amount(1234, "KWD"), "1.234 KWD");
        assert_eq!(format_amount(100_000_000, "USD"), "1,000,000.00 USD");
        assert_eq!(
            format_amount(i64::MIN, "USD"),
            "-92,233,720,368,547,758.08 USD"
        );
    }

    #[test]
    fn plain_amounts_have_no_grouping_and_no_code() {
        assert_eq!(plain_amount(123_456, "USD"), "1234.56");
        assert_eq!(plain_amount(-5, "EUR"), "-0.05");
        assert_eq!(plain_amount(1250, "JPY"), "1250");
        assert_eq!(plain_amount(1250, "KWD"), "1.250");
        assert_eq!(plain_amount(i64::MIN, "USD"), "-92233720368547758.08");
    }

    #[test]
    fn format_and_parse_round_trip() {
        for minor in [0, 1, -1, 99, 100, 123_456, -987_654_321, i64::MAX, i64::MIN] {
            for cur in ["USD", "JPY", "KWD"] {
                let text = format_amount(minor, cur);
                let number = text.rsplit_once(' ').map_or("", |(n, _)| n);
                assert_eq!(parse_amount(number, cur), Ok(minor), "{text}");
            }
        }
    }

    #[test]
    fn currency_codes() {
        assert!(is_currency("USD"));
        assert!(is_currency("JPY"));
        assert!(is_currency("HUF"));
        assert!(!is_currency("usd"));
        assert!(!is_currency("XYZ"));
        assert!(!is_currency("US"));
        assert!(!is_currency("USDD"));
        assert!(!is_currency(""));
        assert!(CURRENCIES.len() >= 40);
        assert!(
            CURRENCIES.windows(2).all(|w| w[0] < w[1]),
            "keep the list sorted"
        );
    }
}
