//! The `?` overlay: it says when it scrolls, lists what works on the screen (tab) underneath,
//! and keeps its border over wide characters.

use unicode_width::UnicodeWidthStr;

use super::tests::{listed, render, viewing};
use crate::app::state::Tab;
use crate::input::{Command, Context, Keymap};

#[test]
fn help_that_does_not_fit_says_it_scrolls_and_how_far() {
    let mut s = viewing(Tab::Profile);
    s.help = Some(0);
    let text = render(&s, 80, 24);
    assert!(text.contains("j/k scroll · 1-22 of 29 "), "{text}");
    // Everything fits at 120x40: no scroll hint.
    let text = render(&s, 120, 40);
    assert!(!text.contains("j/k scroll"), "{text}");
}

#[test]
fn help_lists_what_works_on_this_tab() {
    let mut s = viewing(Tab::Profile);
    s.help = Some(0);
    let profile = render(&s, 120, 40);
    assert!(!profile.contains("filter orders by status"), "{profile}");
    assert!(!profile.contains("pin or unpin"), "{profile}");
    assert!(profile.contains("edit the profile"), "{profile}");
    let mut s = viewing(Tab::Orders);
    s.help = Some(0);
    let orders = render(&s, 120, 40);
    assert!(orders.contains("filter orders by status"), "{orders}");
}

#[test]
fn wide_characters_under_help_keep_its_left_border() {
    let mut s = listed();
    // Names of wide characters at both parities, so one lands just left of the border.
    for (i, row) in s.list.rows.iter_mut().enumerate() {
        row.first_name = if i % 2 == 0 {
            "민준민준민준민준민준민준"
        } else {
            "x민준민준민준민준민준민준"
        }
        .into();
        row.last_name = "김김김김김김김김김김김김김김김김김김".into();
        row.email = "민준민준민준민준민준민준민준@example.com".into();
    }
    s.help = Some(0);
    for (w, h) in [(80, 24), (120, 40)] {
        let text = render(&s, w, h);
        let lines: Vec<&str> = text.lines().collect();
        let top = lines.iter().position(|l| l.contains("Keys: list")).unwrap();
        let left = lines[top]
            .find('┌')
            .map(|i| lines[top][..i].width())
            .unwrap();
        let bottom = top + lines[top..].iter().position(|l| l.contains('└')).unwrap();
        for l in &lines[top + 1..bottom] {
            let at = l.find('│').map(|i| l[..i].width());
            assert_eq!(at, Some(left), "{w}x{h}: left border lost in {l}\n{text}");
        }
    }
}

#[test]
fn a_global_key_the_context_rebinds_is_not_listed_again() {
    // In help, `?` closes it; the global `?` (show the keys) must not be offered too.
    let b = Keymap::default().bindings(Context::Help);
    assert!(!b.iter().any(|(c, _)| *c == Command::Help), "{b:?}");
    assert!(b.iter().any(|(c, _)| *c == Command::Quit), "{b:?}");
}
