//! The SMTP client: `[smtp]` of the config with the environment over it, the lettre transport it
//! builds, and how a server's answer becomes an `Outcome`. Credentials are never printed.

use std::path::{Path, PathBuf};
use std::time::Duration;

use async_trait::async_trait;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::transport::smtp::{Error as SmtpError, PoolConfig};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::{Outcome, Transport};
use crate::config::SmtpConfig;
use crate::store::outbox::OutboxEmail;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// `smtp://`: STARTTLS when the server offers it (the default), required, or never.
    StartTls(StartTls),
    /// `smtps://`: TLS from the first byte.
    Implicit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartTls {
    Opportunistic,
    Required,
    Never,
}

/// Everything needed to talk to the server, resolved once.
#[derive(Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub from: String,
    pub reply_to: Option<String>,
    pub rate_per_second: Option<f64>,
    pub timeout: Duration,
    credentials: Option<(String, String)>,
}

/// Hand-written so a password can never reach a log line or an error.
impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("from", &self.from)
            .field("user", &self.credentials.as_ref().map(|(u, _)| u))
            .finish_non_exhaustive()
    }
}

/// The environment the settings read, passed in so tests need not set process variables.
pub struct Env {
    pub url: Option<String>,
    pub user: Option<String>,
    pub password: Option<String>,
}

impl Env {
    pub fn process() -> Env {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        Env {
            url: var("PATRON_SMTP_URL"),
            user: var("PATRON_SMTP_USER"),
            password: var("PATRON_SMTP_PASSWORD"),
        }
    }
}

/// `smtp://HOST[:PORT]` or `smtps://HOST[:PORT]`; user and password do not belong in it.
pub fn parse_url(url: &str) -> Result<(String, u16, bool), String> {
    let (implicit, rest) = if let Some(r) = url.strip_prefix("smtps://") {
        (true, r)
    } else if let Some(r) = url.strip_prefix("smtp://") {
        (false, r)
    } else {
        return Err("the SMTP URL must start with smtp:// or smtps://".into());
    };
    let rest = rest.trim_end_matches('/');
    if rest.contains('@') {
        return Err(
            "the SMTP URL must not carry credentials: set PATRON_SMTP_USER and \
             PATRON_SMTP_PASSWORD (or [smtp] password_file)"
                .into(),
        );
    }
    let (host, port) = match rest.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || p.parse::<u16>().is_ok() => (
            h,
            p.parse::<u16>()
                .map_err(|_| format!("bad port {p:?} in the SMTP URL"))?,
        ),
        _ => (rest, if implicit { 465 } else { 587 }),
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() || host.contains(['/', '?', ' ']) {
        return Err("the SMTP URL needs a host: smtp://HOST[:PORT]".into());
    }
    Ok((host.to_string(), port, implicit))
}

fn read_password(path: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the SMTP password file {}: {e}", path.display()))?;
    Ok(text.lines().next().unwrap_or("").to_string())
}

impl SmtpSettings {
    /// The config's `[smtp]` with `PATRON_SMTP_URL`, `PATRON_SMTP_USER` and
    /// `PATRON_SMTP_PASSWORD` over it.
    pub fn resolve(cfg: &SmtpConfig, env: Env) -> Result<SmtpSettings, String> {
        let url = env.url.or(cfg.url.clone()).ok_or(
            "no mail server configured: set [smtp] url in the config or PATRON_SMTP_URL \
             (smtp://HOST:PORT)",
        )?;
        let (host, port, implicit) = parse_url(&url)?;
        let security = if implicit {
            Security::Implicit
        } else {
            Security::StartTls(match cfg.starttls.as_deref() {
                None | Some("opportunistic") => StartTls::Opportunistic,
                Some("required") => StartTls::Required,
                Some("never") => StartTls::Never,
                Some(other) => {
                    return Err(format!(
                        "[smtp] starttls = {other:?}: use opportunistic, required or never"
                    ));
                }
            })
        };
        let from = cfg
            .from
            .clone()
            .ok_or("no sender: set [smtp] from = \"Shop <support@shop.example>\"")?;
        from.parse::<Mailbox>()
            .map_err(|e| format!("[smtp] from {from:?}: {e}"))?;
        if let Some(r) = &cfg.reply_to {
            r.parse::<Mailbox>()
                .map_err(|e| format!("[smtp] reply_to {r:?}: {e}"))?;
        }
        let password = match (env.password, &cfg.password_file) {
            (Some(p), _) => Some(p),
            (None, Some(file)) => Some(read_password(&expand(file))?),
            (None, None) => None,
        };
        let user = env.user.or(cfg.user.clone());
        let credentials = match (user, password) {
            (Some(u), Some(p)) => Some((u, p)),
            (None, None) => None,
            (Some(_), None) => {
                return Err(
                    "an SMTP user is set but no password (PATRON_SMTP_PASSWORD or \
                            [smtp] password_file)"
                        .into(),
                );
            }
            (None, Some(_)) => {
                return Err(
                    "an SMTP password is set but no user (PATRON_SMTP_USER or [smtp] \
                            user)"
                        .into(),
                );
            }
        };
        Ok(SmtpSettings {
            host,
            port,
            security,
            from,
            reply_to: cfg.reply_to.clone(),
            rate_per_second: cfg.rate_per_second.filter(|r| r.is_finite() && *r > 0.0),
            timeout: Duration::from_secs(cfg.timeout_seconds.unwrap_or(30).clamp(1, 120)),
            credentials,
        })
    }

    /// For tests and the benchmark: a plain connection to a local server.
    pub fn plain(host: &str, port: u16, from: &str) -> SmtpSettings {
        SmtpSettings {
            host: host.into(),
            port,
            security: Security::StartTls(StartTls::Never),
            from: from.into(),
            reply_to: None,
            rate_per_second: None,
            timeout: Duration::from_secs(10),
            credentials: None,
        }
    }
}

fn expand(p: &Path) -> PathBuf {
    match p.strip_prefix("~") {
        Ok(rest) => dirs::home_dir().map(|h| h.join(rest)).unwrap_or(p.into()),
        Err(_) => p.into(),
    }
}

/// The production `Transport`: one lettre client with a pooled connection.
pub struct SmtpSender {
    client: AsyncSmtpTransport<Tokio1Executor>,
    reply_to: Option<Mailbox>,
    rate: Option<f64>,
}

impl SmtpSender {
    pub fn new(s: &SmtpSettings) -> Result<SmtpSender, String> {
        let tls_params = || {
            TlsParameters::new(s.host.clone()).map_err(|e| format!("TLS setup for {}: {e}", s.host))
        };
        let tls = match s.security {
            Security::Implicit => Tls::Wrapper(tls_params()?),
            Security::StartTls(StartTls::Opportunistic) => Tls::Opportunistic(tls_params()?),
            Security::StartTls(StartTls::Required) => Tls::Required(tls_params()?),
            Security::StartTls(StartTls::Never) => Tls::None,
        };
        let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(s.host.clone())
            .port(s.port)
            .tls(tls)
            .timeout(Some(s.timeout))
            .pool_config(PoolConfig::new().max_size(1));
        if let Some((u, p)) = &s.credentials {
            b = b.credentials(Credentials::new(u.clone(), p.clone()));
        }
        let reply_to = s.reply_to.as_deref().and_then(|r| r.parse().ok());
        Ok(SmtpSender {
            client: b.build(),
            reply_to,
            rate: s.rate_per_second,
        })
    }
}

/// The message as it goes on the wire: text always, HTML beside it when there is one, and our
/// Message-ID so a bounce or a reply finds the row.
pub fn build_message(e: &OutboxEmail, reply_to: Option<&Mailbox>) -> Result<Message, String> {
    let from: Mailbox = e
        .from_address
        .parse()
        .map_err(|err| format!("invalid sender address {:?}: {err}", e.from_address))?;
    let to: Mailbox = e
        .to_address
        .parse()
        .map_err(|err| format!("invalid recipient address {:?}: {err}", e.to_address))?;
    let mut b = Message::builder()
        .from(from)
        .to(to)
        .subject(e.subject.clone())
        .message_id(Some(e.message_id.clone()));
    if let Some(r) = reply_to {
        b = b.reply_to(r.clone());
    }
    let built = match &e.body_html {
        Some(html) => b.multipart(MultiPart::alternative_plain_html(
            e.body_text.clone(),
            html.clone(),
        )),
        None => b.header(ContentType::TEXT_PLAIN).body(e.body_text.clone()),
    };
    built.map_err(|err| format!("cannot build the message: {err}"))
}

/// The queue id a server names in its 250 reply: Postfix "queued as ABC123", Exim "id=...".
pub fn queue_id(reply: &str) -> Option<String> {
    let after = |key: &str| {
        reply.find(key).map(|i| {
            reply[i + key.len()..]
                .split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == ')')
                .next()
                .unwrap_or("")
                .to_string()
        })
    };
    after("queued as ")
        .or_else(|| after("id="))
        .filter(|q| !q.is_empty() && q.len() <= 100)
}

/// A failure as one line: the error with its causes (the server's own words among them).
fn describe(e: &SmtpError) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let more = s.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = s.source();
    }
    text
}

pub fn classify(result: Result<lettre::transport::smtp::response::Response, SmtpError>) -> Outcome {
    match result {
        Ok(r) => {
            let lines: Vec<&str> = r.message().collect();
            let reply = format!("{} {}", r.code(), lines.join(" "));
            Outcome::Accepted {
                queue_id: queue_id(&reply),
                reply,
            }
        }
        // Only the server's "no" is final; everything else (4xx, a refused connection, a
        // timeout, a TLS handshake that failed) may work next time.
        Err(e) if e.is_permanent() => Outcome::Permanent(describe(&e)),
        Err(e) if e.is_transient() => Outcome::Temporary(describe(&e)),
        Err(e) => Outcome::Unreachable(describe(&e)),
    }
}

#[async_trait]
impl Transport for SmtpSender {
    async fn send(&self, email: &OutboxEmail) -> Outcome {
        let msg = match build_message(email, self.reply_to.as_ref()) {
            Ok(m) => m,
            Err(why) => return Outcome::Permanent(why),
        };
        classify(self.client.send(msg).await)
    }

    fn rate_per_second(&self) -> Option<f64> {
        self.rate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_host_port_and_tls_and_refuse_credentials() {
        assert_eq!(
            parse_url("smtp://mail.example:2525"),
            Ok(("mail.example".into(), 2525, false))
        );
        assert_eq!(
            parse_url("smtps://mail.example"),
            Ok(("mail.example".into(), 465, true))
        );
        assert_eq!(
            parse_url("smtp://mail.example/"),
            Ok(("mail.example".into(), 587, false))
        );
        let e = parse_url("smtp://bob:hunter2@mail.example").unwrap_err();
        assert!(
            !e.contains("hunter2") && e.contains("PATRON_SMTP_USER"),
            "{e}"
        );
        assert!(parse_url("http://x").is_err());
        assert!(parse_url("smtp://x:notaport").is_err());
    }

    #[test]
    fn settings_take_the_environment_over_the_file_and_never_show_the_password() {
        let cfg = SmtpConfig {
            url: Some("smtp://file.example:25".into()),
            from: Some("Shop <help@shop.example>".into()),
            user: Some("file-user".into()),
            ..Default::default()
        };
        let env = Env {
            url: Some("smtps://env.example".into()),
            user: None,
            password: Some("s3cret-pw".into()),
        };
        let s = SmtpSettings::resolve(&cfg, env).unwrap();
        assert_eq!((s.host.as_str(), s.port), ("env.example", 465));
        assert_eq!(s.security, Security::Implicit);
        assert!(!format!("{s:?}").contains("s3cret-pw"));
        let none = Env {
            url: None,
            user: None,
            password: None,
        };
        let e = SmtpSettings::resolve(&cfg, none).unwrap_err();
        assert!(e.contains("no password"), "{e}");
        let anonymous = SmtpConfig {
            user: None,
            ..cfg.clone()
        };
        let s = SmtpSettings::resolve(&anonymous, Env::process_less()).unwrap();
        assert_eq!(s.security, Security::StartTls(StartTls::Opportunistic));
        let bare = SmtpConfig::default();
        let e = SmtpSettings::resolve(&bare, Env::process_less()).unwrap_err();
        assert!(e.contains("no mail server configured"), "{e}");
    }

    #[test]
    fn queue_ids_come_out_of_common_replies() {
        assert_eq!(
            queue_id("250 2.0.0 Ok: queued as 4F2D81C0A3").as_deref(),
            Some("4F2D81C0A3")
        );
        assert_eq!(
            queue_id("250 OK id=1rXyZa-000abc-2B").as_deref(),
            Some("1rXyZa-000abc-2B")
        );
        assert_eq!(queue_id("250 OK"), None);
    }

    impl Env {
        fn process_less() -> Env {
            Env {
                url: None,
                user: None,
                password: None,
            }
        }
    }
}
