//! `patron email` through the real binary and a real SMTP server (the aiosmtpd sink): send with
//! a template, the outbox and one message shown, header injection refused with nothing queued.

mod common;

use common::cli::*;
use common::smtp::Sink;

fn shop(sink: &Sink) -> Sandbox {
    let s = Sandbox::new();
    ok(&s, &["seed", "--customers", "80"]);
    let cfg = format!(
        "[smtp]\nurl = \"{}\"\nstarttls = \"never\"\nfrom = \"Shop <help@shop.example>\"\n\
         [email]\nshop_name = \"Test Shop\"\n",
        sink.url()
    );
    std::fs::create_dir_all(s.path("config/patron")).unwrap();
    std::fs::write(s.path("config/patron/config.toml"), cfg).unwrap();
    s
}

/// A seeded customer with a plain address (the demo data also holds hostile ones on purpose).
fn plain_customer(s: &Sandbox) -> (i64, String) {
    let list: serde_json::Value =
        serde_json::from_str(&ok(s, &["customers", "list", "--json", "--limit", "80"])).unwrap();
    list["customers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            let e = c["email"].as_str().unwrap_or("");
            c["status"] == "active"
                && e.chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || "@._-+".contains(ch))
        })
        .map(|c| {
            (
                c["id"].as_i64().unwrap(),
                c["email"].as_str().unwrap().into(),
            )
        })
        .expect("a plain customer")
}

#[test]
fn send_outbox_and_show_through_a_real_server() {
    let sink = Sink::start();
    let s = shop(&sink);
    let (id, email) = plain_customer(&s);
    let said = ok(
        &s,
        &["email", "send", &id.to_string(), "--template", "welcome"],
    );
    assert!(said.contains("queued email #"), "{said}");
    assert!(said.contains("1 accepted by the mail server"), "{said}");
    assert!(said.contains(": accepted by the mail server"), "{said}");
    let got = sink.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].rcpt, vec![email.clone()]);
    assert!(got[0].raw.contains("Test Shop"), "{}", got[0].raw);

    let outbox = ok(&s, &["email", "outbox", "--status", "sent"]);
    assert!(outbox.contains("accepted by the mail server") && outbox.contains("1 messages"));
    let mid = said
        .split_whitespace()
        .find(|w| w.starts_with('<'))
        .unwrap()
        .to_string();
    let shown = ok(&s, &["email", "show", &mid]);
    assert!(shown.contains(&format!("To:         {email}")), "{shown}");
    assert!(shown.contains("Queue id:   SINK"), "{shown}");
    assert!(shown.contains("not proof of delivery"), "{shown}");
}

#[test]
fn header_injection_is_refused_and_nothing_is_queued() {
    let sink = Sink::start();
    let s = shop(&sink);
    let (id, _) = plain_customer(&s);
    let body = s.write("body.txt", b"Hello");
    let err = refused(
        &s,
        &[
            "email",
            "send",
            &id.to_string(),
            "--subject",
            "Hi\r\nBcc: all@evil.example",
            "--body-file",
            path_str(&body),
        ],
    );
    assert!(err.contains("control character"), "{err}");
    assert!(ok(&s, &["email", "outbox"]).contains("0 messages"));
    assert!(sink.received().is_empty());
}
