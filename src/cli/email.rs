//! `patron email send|outbox|show|send-pending|bounce|preview`: writing to customers through
//! the outbox and the configured mail server.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::Utc;
use clap::{Args, Subcommand};
use color_eyre::eyre::{Result, WrapErr, eyre};
use patron_domain::sanitize::{display, multiline, truncate_width};

use super::output::{json, time};
use super::staff::acting;
use crate::config::Config;
use crate::email::smtp::Env;
use crate::email::template::{Rendered, Templates};
use crate::email::{SmtpSender, SmtpSettings, send_pending};
use crate::store::DynStore;
use crate::store::model::{Customer, EmailStatus};
use crate::store::outbox::{EmailKind, NewEmail, OutboxEmail, status_label};

#[derive(Debug, Subcommand)]
pub enum EmailCommand {
    /// Queue a message to a customer and send what is due (unless --queue-only).
    Send(SendArgs),
    /// Messages in the outbox, newest first.
    Outbox {
        /// queued, sent (accepted by the mail server), failed or bounced.
        #[arg(long)]
        status: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: i64,
        #[arg(long)]
        json: bool,
    },
    /// One message: its headers, status and body.
    Show { message_id: String },
    /// Send every due message once (for cron); exits 1 when the server could not be reached.
    SendPending,
    /// Record that an accepted message bounced.
    Bounce {
        message_id: String,
        #[arg(long)]
        reason: String,
    },
    /// Render a template for a customer without sending anything.
    Preview {
        template: String,
        /// Customer id, email or order number.
        customer: String,
        /// A value the template uses, KEY=VALUE (order_number, reset_url, ...).
        #[arg(long = "var", value_name = "KEY=VALUE")]
        vars: Vec<String>,
    },
}

#[derive(Debug, Args)]
pub struct SendArgs {
    /// Customer id, email or order number.
    customer: String,
    /// A template (welcome, password_reset, order_confirmation, or one of your own).
    #[arg(long, conflicts_with_all = ["subject", "body_file"])]
    template: Option<String>,
    /// Free text: the subject (with --body-file).
    #[arg(long, requires = "body_file")]
    subject: Option<String>,
    /// Free text: the file holding the body ("-" for stdin).
    #[arg(long, requires = "subject")]
    body_file: Option<PathBuf>,
    /// support, account, marketing (needs consent) or order (default: from the template).
    #[arg(long)]
    kind: Option<String>,
    /// A value the template uses, KEY=VALUE.
    #[arg(long = "var", value_name = "KEY=VALUE")]
    vars: Vec<String>,
    /// Only queue it; `patron email send-pending` sends it.
    #[arg(long)]
    queue_only: bool,
}

fn vars(pairs: &[String]) -> Result<BTreeMap<String, String>> {
    pairs
        .iter()
        .map(|p| {
            p.split_once('=')
                .map(|(k, v)| (k.trim().to_string(), v.to_string()))
                .ok_or_else(|| eyre!("--var {p:?}: expected KEY=VALUE"))
        })
        .collect()
}

fn kind_for(template: &str) -> EmailKind {
    match template {
        "welcome" | "password_reset" => EmailKind::Account,
        "order_confirmation" => EmailKind::Order,
        _ => EmailKind::Support,
    }
}

fn status(text: &str) -> Result<EmailStatus> {
    match text {
        "queued" => Ok(EmailStatus::Queued),
        "sent" | "accepted" => Ok(EmailStatus::Sent),
        "failed" => Ok(EmailStatus::Failed),
        "bounced" => Ok(EmailStatus::Bounced),
        _ => Err(eyre!(
            "--status {text:?}: use queued, sent, failed or bounced"
        )),
    }
}

fn settings(cfg: &Config) -> Result<SmtpSettings> {
    SmtpSettings::resolve(&cfg.smtp, Env::process()).map_err(|e| eyre!("{e}"))
}

/// One worker pass as a cron job or the console would run it: (summary, server unreachable).
pub async fn run_worker(store: &DynStore, cfg: &Config) -> Result<(String, bool)> {
    let sender = SmtpSender::new(&settings(cfg)?).map_err(|e| eyre!("{e}"))?;
    let pass = send_pending(store, &sender, Utc::now()).await?;
    Ok((pass.summary(), pass.unreachable.is_some()))
}

fn render(
    cfg: &Config,
    template: &str,
    customer: &Customer,
    vars: &BTreeMap<String, String>,
) -> Result<Rendered> {
    Templates::from_config(&cfg.email)
        .render(template, customer, vars)
        .map_err(|e| eyre!("{e}"))
}

pub async fn run(
    store: &DynStore,
    cfg: &Config,
    cmd: EmailCommand,
    flag: Option<&str>,
) -> Result<ExitCode> {
    match cmd {
        EmailCommand::Send(a) => send(store, cfg, a, flag).await,
        EmailCommand::Outbox {
            status: s,
            limit,
            json: as_json,
        } => {
            let filter = s.as_deref().map(status).transpose()?;
            let rows = store.outbox(filter, limit.clamp(1, 10_000)).await?;
            if as_json {
                println!("{}", json(&rows)?);
                return Ok(ExitCode::SUCCESS);
            }
            for e in &rows {
                println!(
                    "#{:<6} {:<28} {}  {:<30} {}",
                    e.id,
                    status_label(e.status),
                    time(e.created_at),
                    truncate_width(&display(&e.to_address), 30),
                    truncate_width(&display(&e.subject), 50)
                );
            }
            println!("{} messages", rows.len());
            Ok(ExitCode::SUCCESS)
        }
        EmailCommand::Show { message_id } => {
            show(&store.email_by_message_id(&message_id).await?);
            Ok(ExitCode::SUCCESS)
        }
        EmailCommand::SendPending => {
            let (summary, unreachable) = run_worker(store, cfg).await?;
            println!("{summary}");
            Ok(if unreachable {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        EmailCommand::Bounce { message_id, reason } => {
            let me = acting(store, flag).await?;
            let e = store
                .mark_bounced(Some(me.id), &message_id, &reason)
                .await?;
            println!(
                "email #{} {} to customer #{}: bounced",
                e.id,
                display(&e.message_id),
                e.customer_id
            );
            Ok(ExitCode::SUCCESS)
        }
        EmailCommand::Preview {
            template,
            customer,
            vars: v,
        } => {
            let c = store.resolve(&customer).await?;
            let r = render(cfg, &template, &c, &vars(&v)?)?;
            println!("To: {}", display(&c.email));
            println!("Subject: {}", display(&r.subject));
            println!("Language: {}", r.language);
            println!("\n{}", multiline(&r.text));
            if let Some(h) = &r.html {
                println!("---- HTML part ----\n{}", multiline(h));
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn send(store: &DynStore, cfg: &Config, a: SendArgs, flag: Option<&str>) -> Result<ExitCode> {
    let me = acting(store, flag).await?;
    let c = store.resolve(&a.customer).await?;
    let mut v = vars(&a.vars)?;
    let template = match (&a.template, &a.subject, &a.body_file) {
        (Some(t), _, _) => t.clone(),
        (None, Some(subject), Some(file)) => {
            // Typed by a person: refused rather than defanged, so they see what they sent.
            crate::store::outbox::header_line("subject", subject)?;
            let body = if file.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin()).wrap_err("cannot read stdin")?
            } else {
                std::fs::read_to_string(file)
                    .wrap_err_with(|| format!("cannot read {}", file.display()))?
            };
            v.insert("subject".into(), subject.clone());
            v.insert("body".into(), body);
            "free".into()
        }
        _ => {
            return Err(eyre!(
                "give --template NAME, or --subject S and --body-file F"
            ));
        }
    };
    let kind = match &a.kind {
        Some(k) => EmailKind::parse(k)
            .ok_or_else(|| eyre!("--kind {k:?}: use support, account, marketing or order"))?,
        None => kind_for(&template),
    };
    let from = cfg
        .smtp
        .from
        .clone()
        .ok_or_else(|| eyre!("no sender: set [smtp] from = \"Shop <support@shop.example>\""))?;
    let r = render(cfg, &template, &c, &v)?;
    let e = store
        .queue_email(
            me.id,
            c.id,
            NewEmail {
                kind,
                to: None,
                from,
                subject: r.subject,
                body_text: r.text,
                body_html: r.html,
                template: Some(template),
            },
        )
        .await?;
    println!(
        "queued email #{} {} to {}: {}",
        e.id,
        display(&e.message_id),
        display(&e.to_address),
        display(&e.subject)
    );
    if a.queue_only {
        return Ok(ExitCode::SUCCESS);
    }
    let (summary, _) = run_worker(store, cfg).await?;
    println!("{summary}");
    let now = store.email_by_message_id(&e.message_id).await?;
    println!(
        "email #{}: {}{}",
        now.id,
        status_label(now.status),
        reason(&now)
    );
    Ok(match now.status {
        EmailStatus::Sent | EmailStatus::Queued => ExitCode::SUCCESS,
        _ => ExitCode::FAILURE,
    })
}

fn reason(e: &OutboxEmail) -> String {
    match (&e.status, &e.error, &e.next_attempt_at) {
        (EmailStatus::Queued, Some(err), Some(next)) => {
            format!(" (next attempt {}; {})", time(*next), display(err))
        }
        (EmailStatus::Failed | EmailStatus::Bounced, Some(err), _) => {
            format!(" ({})", display(err))
        }
        _ => String::new(),
    }
}

fn show(e: &OutboxEmail) {
    let opt = |v: &Option<String>| display(v.as_deref().unwrap_or("-")).into_owned();
    println!("Message-ID: {}", display(&e.message_id));
    println!("From:       {}", display(&e.from_address));
    println!("To:         {}", display(&e.to_address));
    println!("Subject:    {}", display(&e.subject));
    println!("Status:     {}{}", status_label(e.status), reason(e));
    println!("Customer:   #{}", e.customer_id);
    println!("Kind:       {}", display(&e.kind));
    println!("Template:   {}", opt(&e.template));
    println!(
        "Queued:     {} by {}",
        time(e.created_at),
        opt(&e.sent_by_name)
    );
    if let Some(t) = e.sent_at {
        println!(
            "Accepted:   {} (by the mail server; not proof of delivery)",
            time(t)
        );
    }
    println!("Attempts:   {}", e.attempts);
    println!("Reply:      {}", opt(&e.smtp_reply));
    println!("Queue id:   {}", opt(&e.smtp_queue_id));
    println!("\n{}", multiline(&e.body_text));
    if let Some(h) = &e.body_html {
        println!("---- HTML part ----\n{}", multiline(h));
    }
}
