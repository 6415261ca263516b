//! Randomized hostile input: nothing panics and the sanitizer/line-number invariants hold.

use patron_domain::{email, import, money, phone, sanitize, time};

/// Small deterministic xorshift generator so failures reproduce without extra dependencies.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        let i = (self.next() % items.len() as u64) as usize;
        items[i]
    }
}

const TRICKY_BYTES: &[u8] = &[
    b',', b'"', b'\n', b'\r', b'a', b'@', b'.', b'1', b'-', b'=', b' ', 0xEF, 0xBB, 0xBF, 0xFF,
    0xC3, 0xA9, 0x1B, 0x00, 0xE2, 0x80, 0xAE,
];

const TRICKY_CHARS: &[char] = &[
    'a',
    'Z',
    '0',
    ' ',
    '\t',
    '\n',
    '\r',
    '\x1b',
    '\x07',
    '\x7f',
    '\u{85}',
    '\u{9b}',
    '\u{202E}',
    '\u{2066}',
    '\u{200B}',
    '\u{200D}',
    '\u{FEFF}',
    '\u{AD}',
    '\u{E0041}',
    '\u{2028}',
    '山',
    '🎉',
    '\u{301}',
    '=',
    '-',
    '+',
    '@',
    '⟨',
    '⟩',
    '\u{FE0F}',
    '\u{10FFFF}',
];

fn random_string(rng: &mut Rng, max_len: u64) -> String {
    let len = rng.next() % max_len;
    (0..len).map(|_| rng.pick(TRICKY_CHARS)).collect()
}

#[test]
fn sanitizer_output_is_always_clean() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..5000 {
        let s = random_string(&mut rng, 24);
        let line = sanitize::display(&s);
        assert_eq!(sanitize::is_hostile(&line), None, "{s:?} -> {line:?}");
        assert!(!line.contains(['\n', '\r', '\t', '\x1b', '\u{202E}']));
        let multi = sanitize::multiline(&s);
        assert!(
            !multi.contains(['\r', '\t', '\x1b', '\u{200B}']),
            "{multi:?}"
        );
        let cell = sanitize::csv_cell(&s);
        assert!(!cell.starts_with(['=', '+', '@']), "{cell:?}");
        assert_eq!(sanitize::is_hostile(&cell), None);
        for max in [0, 1, 2, 5, 13] {
            let cut = sanitize::truncate_width(&line, max);
            assert!(
                unicode_width::UnicodeWidthStr::width(cut.as_ref()) <= max,
                "{cut:?}"
            );
        }
    }
}

#[test]
fn validators_never_panic() {
    let mut rng = Rng(0xDEAD_BEEF_CAFE_F00D);
    let mut accepted_amounts = 0;
    for _ in 0..5000 {
        let s = random_string(&mut rng, 16);
        let _ = email::validate(&s);
        let _ = email::dedup_key(&s);
        let _ = email::is_disposable_domain(&s);
        let _ = phone::validate(&s);
        let _ = phone::digits(&s);
        let _ = time::parse_timestamp(&s);
        if money::parse_amount(&s, "USD").is_ok() {
            accepted_amounts += 1;
        }
    }
    // Only digit/sign strings can parse; the pool makes those rare but possible.
    assert!(accepted_amounts < 5000);
}

fn check_lines(input: &[u8], lines: Vec<u64>) {
    // Each '\r' or '\n' is at most one line break.
    let max_line = 2 + input.iter().filter(|&&b| b == b'\n' || b == b'\r').count() as u64;
    let mut sorted = lines.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(
        sorted.len(),
        lines.len(),
        "two records on one line: {lines:?}"
    );
    assert!(
        sorted.iter().all(|&l| (2..=max_line).contains(&l)),
        "{lines:?} for {input:?}"
    );
}

#[test]
fn random_files_never_panic_and_lines_stay_sane() {
    let mut rng = Rng(0x0123_4567_89AB_CDEF);
    let headers: [&[u8]; 3] = [
        b"email,first_name\n",
        b"number,email,placed_at,currency,total\n",
        b"order_number,sku,quantity,unit_price,currency\n",
    ];
    for round in 0..3000 {
        let header = headers[round % 3];
        let mut input = header.to_vec();
        let len = rng.next() % 200;
        input.extend((0..len).map(|_| rng.pick(TRICKY_BYTES)));
        let lines: Vec<u64> = match round % 3 {
            0 => match import::parse_customers(&input[..]) {
                Ok(p) => p
                    .rows
                    .iter()
                    .map(|r| r.0)
                    .chain(p.errors.iter().map(|e| e.line))
                    .collect(),
                Err(e) => panic!("{e}"),
            },
            1 => match import::parse_orders(&input[..]) {
                Ok(p) => p
                    .rows
                    .iter()
                    .map(|r| r.0)
                    .chain(p.errors.iter().map(|e| e.line))
                    .collect(),
                Err(e) => panic!("{e}"),
            },
            _ => match import::parse_order_items(&input[..]) {
                Ok(p) => p
                    .rows
                    .iter()
                    .map(|r| r.0)
                    .chain(p.errors.iter().map(|e| e.line))
                    .collect(),
                Err(e) => panic!("{e}"),
            },
        };
        check_lines(&input, lines);
    }
}

#[test]
fn random_headers_never_panic() {
    let mut rng = Rng(0x5555_AAAA_1234_4321);
    let mut header_errors = 0;
    for _ in 0..2000 {
        let len = rng.next() % 60;
        let input: Vec<u8> = (0..len).map(|_| rng.pick(TRICKY_BYTES)).collect();
        if let Err(import::ImportError::Header(m)) = import::parse_customers(&input[..]) {
            assert_eq!(
                sanitize::is_hostile(&m),
                None,
                "header message must be printable: {m:?}"
            );
            header_errors += 1;
        }
    }
    assert!(header_errors > 0);
}
