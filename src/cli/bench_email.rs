//! `patron bench email`: queue and send N messages through a local SMTP server, from a fresh
//! SQLite database, and report messages per second for each half (numbers in BENCHMARKS.md).

use std::time::Instant;

use chrono::Utc;
use color_eyre::eyre::{Result, eyre};

use crate::email::smtp::parse_url;
use crate::email::{SmtpSender, SmtpSettings, send_pending};
use crate::store::outbox::{EmailKind, NewEmail};

const FROM: &str = "Bench <bench@patron.invalid>";

pub async fn run(messages: usize, smtp: &str) -> Result<()> {
    let (host, port, implicit) = parse_url(smtp).map_err(|e| eyre!("--smtp: {e}"))?;
    if implicit {
        return Err(eyre!(
            "--smtp: the benchmark talks plain SMTP to a local sink"
        ));
    }
    let dir = std::env::temp_dir().join(format!("patron-bench-email-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let url = crate::config::sqlite_url(&dir.join("bench.db"));
    let store = super::connect(&url).await?;
    super::seed::seed(&store, 1_000, 1).await?;
    super::staff::ensure_os_admin(&store, "bench").await?;
    let me = super::staff::acting(&store, None).await?;

    let started = Instant::now();
    let (mut queued_n, mut i) = (0, 0);
    while queued_n < messages {
        let customer = 1 + (i as i64 % 1_000);
        i += 1;
        let done = store
            .queue_email(
                me.id,
                customer,
                NewEmail {
                    kind: EmailKind::Support,
                    // The demo data holds hostile addresses on purpose, which are refused.
                    to: Some(format!("customer{customer}@bench.example")),
                    from: FROM.into(),
                    subject: format!("Benchmark message {i}"),
                    body_text: "Hello,\n\nthis is a benchmark message.\n".into(),
                    body_html: Some("<p>Hello,</p><p>this is a benchmark message.</p>".into()),
                    template: None,
                },
            )
            .await;
        match done {
            Ok(_) => queued_n += 1,
            // Anonymized demo customers cannot be written to.
            Err(crate::store::StoreError::Invalid(_)) if i < messages * 2 + 1_000 => {}
            Err(e) => return Err(e.into()),
        }
    }
    let queued = started.elapsed();
    let sender = SmtpSender::new(&SmtpSettings::plain(&host, port, FROM)).map_err(|e| eyre!(e))?;
    let started = Instant::now();
    let pass = send_pending(&store, &sender, Utc::now()).await?;
    let sent = started.elapsed();
    let rate = |n: usize, d: std::time::Duration| n as f64 / d.as_secs_f64().max(1e-9);
    println!(
        "queued {messages} messages in {:.2} s ({:.0}/s)",
        queued.as_secs_f64(),
        rate(messages, queued)
    );
    println!(
        "sent in {:.2} s ({:.0} messages/s): {}",
        sent.as_secs_f64(),
        rate(pass.accepted, sent),
        pass.summary()
    );
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
