//! Tests that decoding doesn't depend on how the input is cut into reads, and that no input
//! makes the parser panic or hold back more than one sequence.

use crossterm::event::{Event, KeyCode, KeyModifiers};

use crate::tests::{assert_events, decode_all, key};
use crate::{PASTE_LIMIT, Parser};

const INPUTS: &[&[u8]] = &[
    b"ab\x1b[A\r",
    "é€😀Z".as_bytes(),
    b"\x1b[1;5A\x1b[3;5~\x1b[15~\x1bOP\x1bO5B",
    b"\x1b\x1b\x1ba\x1b",
    b"\x1b[200~pasted\r\x1b[A\x1b[20\x1b[201~after",
    b"\x1b[<0;10;5M\x1b[<0;10;5m\x1b[<65;3;4M",
    b"\x1b[M ##\x1b[32;2;2M",
    b"\x1b[I\x1b[O\x1b[Z\x1b[[B",
    b"\x1b[99Xq\x1b[1;\rr\x80\xc3(",
    b"\x1b[97;5u\x1b[27;5;13~\x1b[?1;2c",
    b"x\x1b[1;",
    b"\x1b[1111111111111111111111111111111111111111111111111111111111111111111111111A",
];

#[test]
fn splitting_the_input_anywhere_changes_nothing() {
    for input in INPUTS {
        let whole = decode_all(input);
        assert!(!whole.is_empty(), "{input:?} decodes to nothing");

        let mut parser = Parser::new();
        let mut bytewise = Vec::new();
        for &b in *input {
            bytewise.extend(parser.feed(&[b]));
        }
        bytewise.extend(parser.flush_pending());
        assert_events(&bytewise, &whole);

        for cut in 1..input.len() {
            let mut parser = Parser::new();
            let mut split = parser.feed(&input[..cut]);
            split.extend(parser.feed(&input[cut..]));
            split.extend(parser.flush_pending());
            assert_events(&split, &whole);
        }
    }
}

#[test]
fn the_split_inputs_decode_as_intended() {
    // Pins a few of the inputs above, so the invariance test isn't comparing two wrong answers.
    assert_events(
        &decode_all(INPUTS[3]),
        &[
            key(KeyCode::Esc, KeyModifiers::NONE),
            key(KeyCode::Esc, KeyModifiers::NONE),
            key(KeyCode::Char('a'), KeyModifiers::ALT),
            key(KeyCode::Esc, KeyModifiers::NONE),
        ],
    );
    assert_events(
        &decode_all(INPUTS[4]),
        &[
            Event::Paste("pasted\r\x1b[A\x1b[20".into()),
            key(KeyCode::Char('a'), KeyModifiers::NONE),
            key(KeyCode::Char('f'), KeyModifiers::NONE),
            key(KeyCode::Char('t'), KeyModifiers::NONE),
            key(KeyCode::Char('e'), KeyModifiers::NONE),
            key(KeyCode::Char('r'), KeyModifiers::NONE),
        ],
    );
    assert_events(
        &decode_all(INPUTS[10]),
        &[
            key(KeyCode::Char('x'), KeyModifiers::NONE),
            key(KeyCode::Char('['), KeyModifiers::ALT),
            key(KeyCode::Char('1'), KeyModifiers::NONE),
            key(KeyCode::Char(';'), KeyModifiers::NONE),
        ],
    );
}

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Random bytes alone would almost never form a sequence, so most pieces are sequence parts.
const PIECES: &[&[u8]] = &[
    b"\x1b",
    b"\x1b[",
    b"\x1bO",
    b"\x1b[<",
    b"\x1b[M",
    b"\x1b[[",
    b"\x1b[200~",
    b"\x1b[201~",
    b";",
    b":",
    b"1",
    b"5",
    b"64",
    b"99999999999",
    b"~",
    b"A",
    b"M",
    b"m",
    b"u",
    b"$",
    b"\r",
    b"\xe2\x82\xac",
    b"\xf0\x9f",
];

#[test]
fn random_input_never_panics_nor_piles_up() {
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    let mut parser = Parser::new();
    for round in 0..10_000 {
        let mut input = Vec::new();
        for _ in 0..rng.below(24) {
            if rng.below(3) == 0 {
                input.push(rng.next() as u8);
            } else {
                input.extend_from_slice(PIECES[rng.below(PIECES.len())]);
            }
        }
        parser.feed(&input);
        assert!(
            parser.pending.len() <= 64,
            "round {round}: {} bytes pending",
            parser.pending.len()
        );
        if let Some(paste) = &parser.paste {
            assert!(parser.pending.is_empty());
            assert!(paste.len() <= PASTE_LIMIT);
        }
        if rng.below(4) == 0 {
            parser.flush_pending();
            assert!(!parser.has_pending());
        }
        // Now and then start afresh, so an opened paste doesn't absorb the rest of the run.
        if rng.below(50) == 0 {
            parser = Parser::new();
        }
    }
}

#[test]
fn a_huge_paste_comes_in_pieces_that_join_up() {
    // Three-byte characters, so cuts at the limit fall inside characters.
    let text = "€".repeat(PASTE_LIMIT * 2 / 3 + 1000);
    let mut input = b"\x1b[200~".to_vec();
    input.extend_from_slice(text.as_bytes());
    input.extend_from_slice(b"\x1b[201~z");
    let mut parser = Parser::new();
    let mut events = Vec::new();
    for chunk in input.chunks(4096) {
        events.extend(parser.feed(chunk));
    }
    let last = events.pop();
    assert_eq!(
        format!("{last:?}"),
        format!("{:?}", Some(key(KeyCode::Char('z'), KeyModifiers::NONE)))
    );
    let mut joined = String::new();
    for event in &events {
        let Event::Paste(piece) = event else {
            panic!("expected only pastes before the z, got {event:?}")
        };
        assert!(piece.len() <= PASTE_LIMIT);
        assert!(!piece.contains('\u{fffd}'));
        joined.push_str(piece);
    }
    assert_eq!(events.len(), 3);
    assert!(
        joined == text,
        "the pieces don't join up to the pasted text"
    );
}
