//! Tests of the byte-to-event mappings, one group of keys or reports at a time.

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use crate::Parser;

const NONE: KeyModifiers = KeyModifiers::NONE;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;
const ALT: KeyModifiers = KeyModifiers::ALT;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;

pub(crate) fn key(code: KeyCode, modifiers: KeyModifiers) -> Event {
    Event::Key(KeyEvent::new(code, modifiers))
}

fn ch(c: char) -> Event {
    key(KeyCode::Char(c), NONE)
}

/// Compares through `Debug` as well as `==`: crossterm's `KeyEvent` equality ignores whether an
/// ASCII letter carries SHIFT, which is one of the things under test.
#[track_caller]
pub(crate) fn assert_events(actual: &[Event], expected: &[Event]) {
    assert_eq!(format!("{actual:?}"), format!("{expected:?}"));
    assert_eq!(actual, expected);
}

/// Everything `input` decodes to, with a flush at the end.
pub(crate) fn decode_all(input: &[u8]) -> Vec<Event> {
    let mut parser = Parser::new();
    let mut events = parser.feed(input);
    events.extend(parser.flush_pending());
    assert!(!parser.has_pending());
    events
}

#[track_caller]
fn check(input: &[u8], expected: &[Event]) {
    let mut parser = Parser::new();
    assert_events(&parser.feed(input), expected);
    assert!(!parser.has_pending(), "{input:?} left bytes pending");
}

#[test]
fn printable_ascii() {
    check(b"a1 ~z", &[ch('a'), ch('1'), ch(' '), ch('~'), ch('z')]);
}

#[test]
fn uppercase_letters_carry_shift() {
    check(
        b"Ab",
        &[
            key(KeyCode::Char('A'), SHIFT),
            key(KeyCode::Char('b'), NONE),
        ],
    );
    check("É".as_bytes(), &[key(KeyCode::Char('É'), SHIFT)]);
}

#[test]
fn multi_byte_utf8() {
    check("é€😀".as_bytes(), &[ch('é'), ch('€'), ch('😀')]);
}

#[test]
fn utf8_split_across_feeds() {
    let mut parser = Parser::new();
    assert_events(&parser.feed(&[0xf0, 0x9f]), &[]);
    assert!(parser.has_pending());
    assert_events(&parser.feed(&[0x98]), &[]);
    assert_events(&parser.feed(&[0x80, b'x']), &[ch('😀'), ch('x')]);
    assert!(!parser.has_pending());
}

#[test]
fn invalid_utf8_is_dropped() {
    // A stray continuation byte, an impossible lead, a lead cut short by ASCII, an overlong form.
    check(
        b"a\x80b\xffc\xc3(\xc0\xafd",
        &[ch('a'), ch('b'), ch('c'), ch('('), ch('d')],
    );
    // A truncated character left at a pause is dropped too.
    let mut parser = Parser::new();
    assert_events(&parser.feed(b"x\xe2\x82"), &[ch('x')]);
    assert!(parser.has_pending());
    assert_events(&parser.flush_pending(), &[]);
    assert!(!parser.has_pending());
}

#[test]
fn enter_tab_backspace() {
    check(
        b"\r\n\t\x7f\x08",
        &[
            key(KeyCode::Enter, NONE),
            key(KeyCode::Enter, NONE),
            key(KeyCode::Tab, NONE),
            key(KeyCode::Backspace, NONE),
            key(KeyCode::Backspace, NONE),
        ],
    );
}

#[test]
fn back_tab() {
    check(b"\x1b[Z", &[key(KeyCode::BackTab, SHIFT)]);
}

#[test]
fn control_keys() {
    check(
        b"\x00\x01\x03\x07\x0b\x0c\x0e\x1a",
        &[
            key(KeyCode::Char(' '), CTRL),
            key(KeyCode::Char('a'), CTRL),
            key(KeyCode::Char('c'), CTRL),
            key(KeyCode::Char('g'), CTRL),
            key(KeyCode::Char('k'), CTRL),
            key(KeyCode::Char('l'), CTRL),
            key(KeyCode::Char('n'), CTRL),
            key(KeyCode::Char('z'), CTRL),
        ],
    );
    check(
        b"\x1c\x1d\x1e\x1f",
        &[
            key(KeyCode::Char('4'), CTRL),
            key(KeyCode::Char('5'), CTRL),
            key(KeyCode::Char('6'), CTRL),
            key(KeyCode::Char('7'), CTRL),
        ],
    );
}

#[test]
fn lone_esc_waits_for_the_flush() {
    let mut parser = Parser::new();
    assert_events(&parser.feed(b"\x1b"), &[]);
    assert!(parser.has_pending());
    assert_events(&parser.flush_pending(), &[key(KeyCode::Esc, NONE)]);
    assert!(!parser.has_pending());
    assert_events(&parser.flush_pending(), &[]);
}

#[test]
fn esc_then_a_sequence_arriving_later() {
    let mut parser = Parser::new();
    assert_events(&parser.feed(b"\x1b"), &[]);
    assert_events(&parser.feed(b"[A"), &[key(KeyCode::Up, NONE)]);
    assert!(!parser.has_pending());
}

#[test]
fn double_esc() {
    let mut parser = Parser::new();
    assert_events(&parser.feed(b"\x1b\x1b"), &[key(KeyCode::Esc, NONE)]);
    assert!(parser.has_pending());
    assert_events(&parser.flush_pending(), &[key(KeyCode::Esc, NONE)]);
}

#[test]
fn alt_keys() {
    check(
        b"\x1ba\x1bA\x1b\xc3\xa9\x1b\r\x1b\x01\x1b\x7f",
        &[
            key(KeyCode::Char('a'), ALT),
            key(KeyCode::Char('A'), ALT | SHIFT),
            key(KeyCode::Char('é'), ALT),
            key(KeyCode::Enter, ALT),
            key(KeyCode::Char('a'), ALT | CTRL),
            key(KeyCode::Backspace, ALT),
        ],
    );
}

#[test]
fn flushing_a_partial_sequence() {
    let flushed = |input: &[u8]| {
        let mut parser = Parser::new();
        assert_events(&parser.feed(input), &[]);
        assert!(parser.has_pending());
        let events = parser.flush_pending();
        assert!(!parser.has_pending());
        events
    };
    assert_events(&flushed(b"\x1b["), &[key(KeyCode::Char('['), ALT)]);
    assert_events(&flushed(b"\x1bO"), &[key(KeyCode::Char('O'), ALT | SHIFT)]);
    assert_events(
        &flushed(b"\x1b[1;"),
        &[key(KeyCode::Char('['), ALT), ch('1'), ch(';')],
    );
    assert_events(
        &flushed(b"\x1b[M!"),
        &[
            key(KeyCode::Char('['), ALT),
            key(KeyCode::Char('M'), SHIFT),
            ch('!'),
        ],
    );
    assert_events(&flushed(b"\x1b\xe2\x82"), &[key(KeyCode::Esc, NONE)]);
}

#[test]
fn arrows() {
    let arrows = [KeyCode::Up, KeyCode::Down, KeyCode::Right, KeyCode::Left];
    let expected: Vec<Event> = arrows.iter().map(|&code| key(code, NONE)).collect();
    check(b"\x1b[A\x1b[B\x1b[C\x1b[D", &expected);
    check(b"\x1bOA\x1bOB\x1bOC\x1bOD", &expected);
}

#[test]
fn home_and_end() {
    let home = key(KeyCode::Home, NONE);
    let end = key(KeyCode::End, NONE);
    check(b"\x1b[H\x1b[F", &[home.clone(), end.clone()]);
    check(b"\x1bOH\x1bOF", &[home.clone(), end.clone()]);
    check(b"\x1b[1~\x1b[4~", &[home.clone(), end.clone()]);
    check(b"\x1b[7~\x1b[8~", &[home, end]);
}

#[test]
fn editing_keys() {
    check(
        b"\x1b[2~\x1b[3~\x1b[5~\x1b[6~",
        &[
            key(KeyCode::Insert, NONE),
            key(KeyCode::Delete, NONE),
            key(KeyCode::PageUp, NONE),
            key(KeyCode::PageDown, NONE),
        ],
    );
}

#[test]
fn function_keys() {
    let f = |n| key(KeyCode::F(n), NONE);
    check(b"\x1bOP\x1bOQ\x1bOR\x1bOS", &[f(1), f(2), f(3), f(4)]);
    check(
        b"\x1b[11~\x1b[12~\x1b[13~\x1b[14~",
        &[f(1), f(2), f(3), f(4)],
    );
    check(
        b"\x1b[15~\x1b[17~\x1b[18~\x1b[19~\x1b[20~\x1b[21~\x1b[23~\x1b[24~",
        &[f(5), f(6), f(7), f(8), f(9), f(10), f(11), f(12)],
    );
    // The Linux console.
    check(b"\x1b[[A\x1b[[E", &[f(1), f(5)]);
}

#[test]
fn modifier_parameters() {
    check(
        b"\x1b[1;5A\x1b[1;2B\x1b[3;5~\x1b[1;3C\x1b[1;8D\x1b[15;2~\x1b[1;5P\x1b[5;6~\x1b[1;6H",
        &[
            key(KeyCode::Up, CTRL),
            key(KeyCode::Down, SHIFT),
            key(KeyCode::Delete, CTRL),
            key(KeyCode::Right, ALT),
            key(KeyCode::Left, SHIFT | ALT | CTRL),
            key(KeyCode::F(5), SHIFT),
            key(KeyCode::F(1), CTRL),
            key(KeyCode::PageUp, SHIFT | CTRL),
            key(KeyCode::Home, SHIFT | CTRL),
        ],
    );
    // Modifiers in SS3 form, and the modifier alone without the leading 1.
    check(
        b"\x1bO5A\x1b[5D",
        &[key(KeyCode::Up, CTRL), key(KeyCode::Left, CTRL)],
    );
}

#[test]
fn keypad_in_application_mode() {
    check(
        b"\x1bOM\x1bOp\x1bOy\x1bOk\x1bOo",
        &[
            key(KeyCode::Enter, NONE),
            ch('0'),
            ch('9'),
            ch('+'),
            ch('/'),
        ],
    );
}

#[test]
fn codepoint_keys() {
    check(
        b"\x1b[97;5u\x1b[13;2u\x1b[27;5;13~\x1b[65u",
        &[
            key(KeyCode::Char('a'), CTRL),
            key(KeyCode::Enter, SHIFT),
            key(KeyCode::Enter, CTRL),
            key(KeyCode::Char('A'), SHIFT),
        ],
    );
    // A kitty key release isn't a press; a functional key from the private use area is unknown.
    check(b"\x1b[97;5:3u\x1b[57399u", &[]);
}

#[test]
fn focus() {
    check(b"\x1b[I\x1b[O", &[Event::FocusGained, Event::FocusLost]);
}

fn mouse(kind: MouseEventKind, column: u16, row: u16, modifiers: KeyModifiers) -> Event {
    Event::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers,
    })
}

#[test]
fn sgr_mouse_buttons() {
    use MouseButton::{Left, Middle, Right};
    check(
        b"\x1b[<0;10;5M\x1b[<0;10;5m\x1b[<1;1;1M\x1b[<1;1;1m\x1b[<2;300;200M\x1b[<2;300;200m",
        &[
            mouse(MouseEventKind::Down(Left), 9, 4, NONE),
            mouse(MouseEventKind::Up(Left), 9, 4, NONE),
            mouse(MouseEventKind::Down(Middle), 0, 0, NONE),
            mouse(MouseEventKind::Up(Middle), 0, 0, NONE),
            mouse(MouseEventKind::Down(Right), 299, 199, NONE),
            mouse(MouseEventKind::Up(Right), 299, 199, NONE),
        ],
    );
}

#[test]
fn sgr_mouse_motion_and_wheel() {
    use MouseButton::{Left, Middle, Right};
    check(
        b"\x1b[<32;2;3M\x1b[<33;2;3M\x1b[<34;2;3M\x1b[<35;4;4M\
          \x1b[<64;1;2M\x1b[<65;1;2M\x1b[<66;1;2M\x1b[<67;1;2M",
        &[
            mouse(MouseEventKind::Drag(Left), 1, 2, NONE),
            mouse(MouseEventKind::Drag(Middle), 1, 2, NONE),
            mouse(MouseEventKind::Drag(Right), 1, 2, NONE),
            mouse(MouseEventKind::Moved, 3, 3, NONE),
            mouse(MouseEventKind::ScrollUp, 0, 1, NONE),
            mouse(MouseEventKind::ScrollDown, 0, 1, NONE),
            mouse(MouseEventKind::ScrollLeft, 0, 1, NONE),
            mouse(MouseEventKind::ScrollRight, 0, 1, NONE),
        ],
    );
}

#[test]
fn sgr_mouse_modifiers() {
    use MouseButton::Left;
    check(
        b"\x1b[<4;1;1M\x1b[<8;1;1M\x1b[<16;1;1M\x1b[<28;1;1M\x1b[<80;1;1M",
        &[
            mouse(MouseEventKind::Down(Left), 0, 0, SHIFT),
            mouse(MouseEventKind::Down(Left), 0, 0, ALT),
            mouse(MouseEventKind::Down(Left), 0, 0, CTRL),
            mouse(MouseEventKind::Down(Left), 0, 0, SHIFT | ALT | CTRL),
            mouse(MouseEventKind::ScrollUp, 0, 0, CTRL),
        ],
    );
}

#[test]
fn legacy_mouse_encodings() {
    use MouseButton::{Left, Right};
    // X10: button, column and row as bytes offset by 32.
    check(
        &[0x1b, b'[', b'M', 32, 42, 37, 0x1b, b'[', b'M', 35, 42, 37],
        &[
            mouse(MouseEventKind::Down(Left), 9, 4, NONE),
            mouse(MouseEventKind::Up(Left), 9, 4, NONE),
        ],
    );
    check(
        &[
            0x1b,
            b'[',
            b'M',
            96,
            33,
            33,
            0x1b,
            b'[',
            b'M',
            66 + 16,
            255,
            255,
        ],
        &[
            mouse(MouseEventKind::ScrollUp, 0, 0, NONE),
            mouse(MouseEventKind::Drag(Right), 222, 222, CTRL),
        ],
    );
    // rxvt's decimal form of the same.
    check(
        b"\x1b[32;10;5M",
        &[mouse(MouseEventKind::Down(Left), 9, 4, NONE)],
    );
}

#[test]
fn malformed_mouse_reports_are_dropped() {
    check(
        b"\x1b[<0;0;5Ma\x1b[<128;1;1Mb\x1b[<0;1Mc\x1b[<0;1;99999Md",
        &[ch('a'), ch('b'), ch('c'), ch('d')],
    );
    // X10 bytes below the offset.
    check(&[0x1b, b'[', b'M', 32, 32, 40, b'e'], &[ch('e')]);
}

#[test]
fn unknown_sequences_are_dropped() {
    check(
        b"\x1b[99Xa\x1b[?1;2cb\x1b[5;10Rc\x1b[201~d\x1b[?2004$ye\x1b[1:2:3;4zf\x1bOzg\x1b[99~h",
        &[
            ch('a'),
            ch('b'),
            ch('c'),
            ch('d'),
            ch('e'),
            ch('f'),
            ch('g'),
            ch('h'),
        ],
    );
}

#[test]
fn a_broken_sequence_gives_way_to_what_follows() {
    // A control byte or ESC can't be inside a sequence: what came before it is dropped.
    check(
        b"\x1b[1;\rx\x1b[1\x1b[B\x1bO\x01",
        &[
            key(KeyCode::Enter, NONE),
            ch('x'),
            key(KeyCode::Down, NONE),
            key(KeyCode::Char('a'), CTRL),
        ],
    );
}

#[test]
fn an_endless_sequence_is_abandoned_at_64_bytes() {
    let mut input = b"\x1b[".to_vec();
    input.extend(std::iter::repeat_n(b'1', 100));
    input.push(b'q');
    let mut parser = Parser::new();
    // Up to the cap it may still be a sequence and is held.
    assert_events(&parser.feed(&input[..63]), &[]);
    assert_eq!(parser.pending.len(), 63);
    // The 64th byte ends the wait: those 64 bytes are dropped and the rest decoded as keys.
    let events = parser.feed(&input[63..]);
    let mut expected = vec![ch('1'); 102 - 64];
    expected.push(ch('q'));
    assert_events(&events, &expected);
    assert!(!parser.has_pending());
}

#[test]
fn several_events_in_one_feed() {
    check(
        b"ab\x1b[A\r",
        &[
            ch('a'),
            ch('b'),
            key(KeyCode::Up, NONE),
            key(KeyCode::Enter, NONE),
        ],
    );
}

#[test]
fn bracketed_paste() {
    check(
        b"a\x1b[200~hello\r\nworld\x1b[201~b",
        &[ch('a'), Event::Paste("hello\r\nworld".into()), ch('b')],
    );
    // Escape bytes inside are text, including what looks like a sequence and a lone ESC.
    check(
        b"\x1b[200~x\x1b[Ay\x1b\x1b[20z\x1b[201~",
        &[Event::Paste("x\x1b[Ay\x1b\x1b[20z".into())],
    );
    check(b"\x1b[200~\x1b[201~", &[Event::Paste(String::new())]);
    // Invalid UTF-8 in pasted text becomes U+FFFD rather than vanishing.
    check(
        b"\x1b[200~a\xffb\x1b[201~",
        &[Event::Paste("a\u{fffd}b".into())],
    );
}

#[test]
fn paste_across_many_feeds() {
    let mut parser = Parser::new();
    assert_events(&parser.feed(b"\x1b[20"), &[]);
    assert!(parser.has_pending());
    assert_events(&parser.feed(b"0~first "), &[]);
    // An open paste isn't pending: a pause must not cut it short.
    assert!(!parser.has_pending());
    assert_events(&parser.flush_pending(), &[]);
    assert_events(&parser.feed("line\nsecond é".as_bytes()), &[]);
    assert_events(&parser.feed(b"\x1b[2"), &[]);
    assert_events(&parser.flush_pending(), &[]);
    assert_events(&parser.feed(b"01"), &[]);
    assert_events(
        &parser.feed(b"~\x1b[B"),
        &[
            Event::Paste("first line\nsecond é".into()),
            key(KeyCode::Down, NONE),
        ],
    );
    assert!(!parser.has_pending());
}

#[test]
fn default_is_new() {
    let mut parser = Parser::default();
    assert!(!parser.has_pending());
    assert_events(&parser.feed(b"q"), &[ch('q')]);
    assert_events(&decode_all(b"q"), &[ch('q')]);
}
