//! Unit tests for the sanitizer: terminal escapes, bidi/invisible characters, CSV injection, width.

use std::borrow::Cow;

use super::*;

#[test]
fn osc_title_escape_becomes_inert_visible_text() {
    let out = display("\x1b]0;owned\x07Eve");
    assert_eq!(out, "⟨U+001B⟩]0;owned⟨U+0007⟩Eve");
    assert!(!out.contains('\x1b'));
    assert!(!out.contains('\x07'));
}

#[test]
fn clean_ascii_is_borrowed() {
    assert!(matches!(
        display("Alice O'Brien <a@b.co>"),
        Cow::Borrowed(_)
    ));
    assert!(matches!(multiline("line one\nline two"), Cow::Borrowed(_)));
    assert!(matches!(csv_cell("plain text"), Cow::Borrowed(_)));
    assert!(matches!(display(""), Cow::Borrowed("")));
}

#[test]
fn clean_unicode_is_borrowed() {
    for s in [
        "Zoë Ñúñez",
        "山田太郎",
        "Ελένη",
        "محمد",
        "🎉 party",
        "café\u{301}",
    ] {
        assert!(matches!(display(s), Cow::Borrowed(_)), "{s:?} changed");
        assert_eq!(is_hostile(s), None);
    }
}

#[test]
fn rtl_override_is_replaced() {
    let out = display("invoice\u{202E}fdp.exe");
    assert_eq!(out, "invoice⟨U+202E⟩fdp.exe");
    assert_eq!(is_hostile("invoice\u{202E}fdp.exe"), Some('\u{202E}'));
}

#[test]
fn every_listed_bidi_and_invisible_char_is_marked() {
    let listed = [
        '\u{202A}',
        '\u{202B}',
        '\u{202C}',
        '\u{202D}',
        '\u{202E}',
        '\u{2066}',
        '\u{2067}',
        '\u{2068}',
        '\u{2069}',
        '\u{200E}',
        '\u{200F}',
        '\u{061C}',
        '\u{200B}',
        '\u{200C}',
        '\u{200D}',
        '\u{2060}',
        '\u{2061}',
        '\u{2062}',
        '\u{2063}',
        '\u{2064}',
        '\u{FEFF}',
        '\u{180E}',
        '\u{00AD}',
        '\u{E0000}',
        '\u{E0041}',
        '\u{E007F}',
        '\u{2028}',
        '\u{2029}',
        '\u{3164}',
        '\u{E000}',
        '\u{FFFF}',
        '\u{10FFFD}',
    ];
    for c in listed {
        let s = format!("a{c}b");
        let out = display(&s);
        assert_eq!(out, format!("a⟨U+{:04X}⟩b", u32::from(c)), "{c:?}");
        assert_eq!(is_hostile(&s), Some(c));
    }
}

#[test]
fn c0_del_and_c1_controls_are_marked() {
    assert_eq!(display("a\0b"), "a⟨U+0000⟩b");
    assert_eq!(display("a\x7fb"), "a⟨U+007F⟩b");
    assert_eq!(display("a\u{9b}31mb"), "a⟨U+009B⟩31mb");
    assert_eq!(display("\u{85}"), "⟨U+0085⟩");
    assert_eq!(is_hostile("ok\u{90}"), Some('\u{90}'));
}

#[test]
fn display_folds_whitespace_controls_onto_one_line() {
    assert_eq!(display("a\tb"), "a b");
    assert_eq!(display("one\ntwo\r\nthree\rfour"), "one⏎two⏎three⏎four");
    assert_eq!(display("\r\n\r\n"), "⏎⏎");
    assert_eq!(is_hostile("a\tb"), Some('\t'));
    assert_eq!(is_hostile("a\nb"), Some('\n'));
}

#[test]
fn multiline_keeps_newlines_and_normalises_them() {
    assert_eq!(multiline("a\r\nb\rc\nd"), "a\nb\nc\nd");
    assert_eq!(multiline("\tindent"), "    indent");
    assert_eq!(
        multiline("x\x1b[2Jy\n\u{202E}z"),
        "x⟨U+001B⟩[2Jy\n⟨U+202E⟩z"
    );
}

#[test]
fn marker_is_itself_clean() {
    let once = display("\x1b\u{202E}");
    let twice = display(&once);
    assert!(matches!(twice, Cow::Borrowed(_)));
    assert_eq!(is_hostile(&once), None);
}

#[test]
fn is_hostile_reports_the_first_offender() {
    assert_eq!(is_hostile("plain"), None);
    assert_eq!(is_hostile("x\u{200B}y\x1b"), Some('\u{200B}'));
}

#[test]
fn csv_formula_gets_apostrophe() {
    assert_eq!(
        csv_cell("=HYPERLINK(\"http://evil\",\"x\")"),
        "'=HYPERLINK(\"http://evil\",\"x\")"
    );
    assert_eq!(csv_cell("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
    assert_eq!(csv_cell("-2+3+cmd"), "'-2+3+cmd");
    assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
    assert_eq!(csv_cell("\t=1+1"), "' =1+1");
    assert_eq!(csv_cell("\r=1+1"), "'⏎=1+1");
}

#[test]
fn csv_plain_numbers_stay_as_they_are() {
    for s in [
        "-12.50",
        "+15551234567",
        "-1,234.56",
        "+3",
        "-1,234.56 USD",
        "12",
    ] {
        assert_eq!(csv_cell(s), s, "{s}");
    }
    for s in [
        "-12.",
        "-.5",
        "- 12",
        "-12.5 usd",
        "-12 USDX",
        "+1e5",
        "--1",
    ] {
        assert_eq!(csv_cell(s), format!("'{s}"), "{s}");
    }
}

#[test]
fn csv_cell_also_sanitizes() {
    assert_eq!(csv_cell("Eve\u{202E}"), "Eve⟨U+202E⟩");
    assert_eq!(csv_cell("a\nb"), "a⏎b");
    assert_eq!(csv_cell("mid=dle"), "mid=dle");
}

#[test]
fn truncate_keeps_short_text_borrowed() {
    assert!(matches!(truncate_width("hello", 5), Cow::Borrowed("hello")));
    assert!(matches!(truncate_width("", 0), Cow::Borrowed("")));
}

#[test]
fn truncate_ascii_adds_ellipsis() {
    assert_eq!(truncate_width("hello world", 6), "hello…");
    assert_eq!(truncate_width("hello", 4), "hel…");
    assert_eq!(truncate_width("hello", 1), "…");
    assert_eq!(truncate_width("hello", 0), "");
}

#[test]
fn truncate_counts_wide_chars_as_two() {
    // Each ideograph is 2 columns: 3 of them fill 6 columns, so 5 columns leave room for 2.
    assert_eq!(truncate_width("山田太郎", 8), "山田太郎");
    assert_eq!(truncate_width("山田太郎", 7), "山田太…");
    assert_eq!(truncate_width("山田太郎", 6), "山田…");
    assert_eq!(truncate_width("🎉🎉🎉", 4), "🎉…");
    for max in 0..12 {
        let out = truncate_width("ab山田🎉cd太郎", max);
        assert!(out.width() <= max, "{max}: {out:?}");
    }
}

#[test]
fn truncate_keeps_combining_marks_with_their_base() {
    assert_eq!(truncate_width("e\u{301}e\u{301}e\u{301}", 2), "e\u{301}…");
}
