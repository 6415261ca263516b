//! Phone number rules: the digits used for matching and a lenient format check for imports.

const MIN_DIGITS: usize = 6;
/// E.164 allows at most 15 digits including the country code.
const MAX_DIGITS: usize = 15;
const MAX_EXT_DIGITS: usize = 6;

/// Splits off an "ext"/"x" extension (case-insensitive); returns (number, extension).
fn split_extension(s: &str) -> (&str, Option<&str>) {
    let lower = s.to_ascii_lowercase();
    // Byte offsets agree between `s` and its ASCII lowercase, so slicing `s` is safe.
    let at = lower
        .find("ext")
        .map(|i| (i, 3))
        .or_else(|| lower.find('x').map(|i| (i, 1)));
    match at {
        Some((i, len)) => (&s[..i], Some(&s[i + len..])),
        None => (s, None),
    }
}

/// The digits of the number itself, without any extension, for matching and search.
///
/// "+1 (555) 010-9999 ext. 12" gives "15550109999".
pub fn digits(s: &str) -> String {
    let (number, _) = split_extension(s);
    number.chars().filter(char::is_ascii_digit).collect()
}

/// Lenient check for stored phone numbers; empty is fine (the field is optional).
pub fn validate(s: &str) -> Result<(), &'static str> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(());
    }
    let (number, ext) = split_extension(s);
    if let Some(ext) = ext {
        let ext = ext.trim_start_matches(['.', ':', ' ']).trim_end();
        if ext.is_empty() || ext.len() > MAX_EXT_DIGITS || !ext.bytes().all(|b| b.is_ascii_digit())
        {
            return Err("bad extension");
        }
    }
    let number = number.trim_end();
    if !number
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c))
    {
        return Err("invalid character");
    }
    if number.rfind('+').is_some_and(|i| i > 0) {
        return Err("'+' only allowed at the start");
    }
    let mut depth = 0u8;
    for c in number.chars() {
        match c {
            '(' if depth == 0 => depth = 1,
            ')' if depth == 1 => depth = 0,
            '(' | ')' => return Err("unbalanced parentheses"),
            _ => {}
        }
    }
    if depth != 0 {
        return Err("unbalanced parentheses");
    }
    let count = number.bytes().filter(u8::is_ascii_digit).count();
    if count < MIN_DIGITS {
        Err("too few digits (min 6)")
    } else if count > MAX_DIGITS {
        Err("too many digits (max 15)")
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_strip_formatting_and_extension() {
        assert_eq!(digits("+1 (555) 010-9999"), "15550109999");
        assert_eq!(digits("+1 (555) 010-9999 ext. 12"), "15550109999");
        assert_eq!(digits("555.010.9999x7"), "5550109999");
        assert_eq!(digits(""), "");
        assert_eq!(digits("٣٤٥"), "", "only ASCII digits count");
    }

    #[test]
    fn valid_numbers() {
        for s in [
            "",
            "   ",
            "+15551234567",
            "+1 (555) 123-4567",
            "555.123.4567",
            "030 1234567",
            "+44 20 7946 0958 ext 123",
            "+44 20 7946 0958 EXT. 9",
            "5551234567x12",
            "555 123 4567 X 12",
            "123456",
            "123456789012345",
        ] {
            assert_eq!(validate(s), Ok(()), "{s:?}");
        }
    }

    #[test]
    fn invalid_numbers() {
        let cases = [
            ("12345", "too few digits (min 6)"),
            ("1234567890123456", "too many digits (max 15)"),
            ("555-CALL-NOW", "invalid character"),
            ("555 1234\u{202E}", "invalid character"),
            ("555\x1b1234", "invalid character"),
            ("1+5551234567", "'+' only allowed at the start"),
            ("(555 123-4567", "unbalanced parentheses"),
            ("555) 123-4567", "unbalanced parentheses"),
            ("((555)) 1234567", "unbalanced parentheses"),
            ("5551234567 ext", "bad extension"),
            ("5551234567 ext 12a", "bad extension"),
            ("5551234567 x 1234567", "bad extension"),
        ];
        for (input, reason) in cases {
            assert_eq!(validate(input), Err(reason), "{input:?}");
        }
    }
}
