//! The russh `Handler` for one connection: public-key-only authentication with the per-IP limit,
//! and the session channel requests (pty-req, shell/exec, window-change, data) that start and
//! feed a console.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use russh::server::{Auth, Handler, Msg, PublicKeyOffer, Session, VerifiedPublicKey};
use russh::{Channel, ChannelId, ChannelOpenFailure, ChannelWriteHalf, MethodKind, MethodSet};
use tokio::sync::{mpsc, oneshot, watch};

use crate::keys::PublicKeyInfo;
use crate::limits::AuthLimiter;
use crate::session::{self, Link, Start, Tracker};
use crate::{Host, Input};

/// Messages waiting for the console before the client's input is held back.
pub(crate) const INPUT_QUEUE: usize = 256;
/// Session channels one connection may have open; OpenSSH multiplexing uses a few, not dozens.
const MAX_CHANNELS: usize = 16;
/// The window the per-IP failure limit counts in.
pub(crate) const AUTH_WINDOW: Duration = Duration::from_secs(60);

pub(crate) const NEEDS_TERMINAL: &str = "patron needs a terminal: connect with ssh -t\r\n";

/// What every connection of one server shares.
pub(crate) struct Shared<H: Host> {
    pub host: Arc<H>,
    pub idle_timeout: Duration,
    pub output_budget: usize,
    pub limiter: AuthLimiter,
    pub sessions: Arc<Tracker>,
    pub shutdown: watch::Receiver<bool>,
    pub force: watch::Receiver<bool>,
}

struct Authed<W> {
    who: W,
    key: PublicKeyInfo,
}

/// A session channel, from open to close.
struct Chan {
    /// Held until the console starts, which takes it for its writer.
    write: Option<ChannelWriteHalf<Msg>>,
    /// (TERM, cols, rows) from pty-req.
    pty: Option<(String, u16, u16)>,
    /// Set once the console runs.
    link: Option<Arc<Link>>,
}

/// One connection's handler; russh drops it when the connection ends.
pub(crate) struct Conn<H: Host> {
    shared: Arc<Shared<H>>,
    peer: SocketAddr,
    authed: Option<Authed<H::Who>>,
    /// Tells the connection task that the login grace timer can stop.
    on_auth: Option<oneshot::Sender<()>>,
    channels: HashMap<ChannelId, Chan>,
}

impl<H: Host> Conn<H> {
    pub(crate) fn new(
        shared: Arc<Shared<H>>,
        peer: SocketAddr,
        on_auth: oneshot::Sender<()>,
    ) -> Self {
        Self {
            shared,
            peer,
            authed: None,
            on_auth: Some(on_auth),
            channels: HashMap::new(),
        }
    }

    fn blocked(&self) -> bool {
        self.shared
            .limiter
            .is_blocked(self.peer.ip(), Instant::now())
    }

    /// Starts the console for `shell` or `exec`, or explains on the channel why not.
    fn start(&mut self, channel: ChannelId, session: &mut Session) -> Result<(), russh::Error> {
        let Some(chan) = self.channels.get_mut(&channel) else {
            return session.channel_failure(channel);
        };
        if chan.write.is_none() {
            // A second shell on a channel that already has (or had) one.
            return session.channel_failure(channel);
        }
        // Success first, so the client shows what we write next even when it is a refusal.
        session.channel_success(channel)?;
        let Some((term, cols, rows)) = chan.pty.clone() else {
            chan.write = None;
            tracing::info!(peer = %self.peer, "SSH session without a terminal refused");
            refuse(session, channel, NEEDS_TERMINAL);
            return Ok(());
        };
        let Some(authed) = &self.authed else {
            chan.write = None;
            refuse(session, channel, "patron: not authenticated\r\n");
            return Ok(());
        };
        if *self.shared.shutdown.borrow() {
            chan.write = None;
            refuse(
                session,
                channel,
                "patron is shutting down, try again later\r\n",
            );
            return Ok(());
        }
        let Some(slot) = self.shared.sessions.try_acquire() else {
            chan.write = None;
            let max = self.shared.sessions.max();
            tracing::warn!(peer = %self.peer, max, "SSH session refused: too many sessions");
            refuse(
                session,
                channel,
                &format!("patron: too many sessions ({max}), try again later\r\n"),
            );
            return Ok(());
        };
        let Some(write) = chan.write.take() else {
            return Ok(());
        };
        let (tx, rx) = mpsc::channel(INPUT_QUEUE);
        let link = Link::new(tx);
        chan.link = Some(Arc::clone(&link));
        tokio::spawn(session::run(Start {
            host: Arc::clone(&self.shared.host),
            who: authed.who.clone(),
            fingerprint: authed.key.fingerprint.clone(),
            peer: self.peer,
            term,
            size: (cols, rows),
            channel: write,
            link,
            input: rx,
            idle_timeout: self.shared.idle_timeout,
            output_budget: self.shared.output_budget,
            shutdown: self.shared.shutdown.clone(),
            force: self.shared.force.clone(),
            slot,
        }));
        Ok(())
    }

    fn link(&self, channel: ChannelId) -> Option<Arc<Link>> {
        self.channels.get(&channel).and_then(|c| c.link.clone())
    }
}

impl<H: Host> Drop for Conn<H> {
    fn drop(&mut self) {
        for chan in self.channels.values() {
            if let Some(link) = &chan.link {
                link.client_gone();
            }
        }
    }
}

/// One line, exit-status 1, and the channel closes. Errors only mean the channel is already
/// gone, which is the outcome wanted anyway.
fn refuse(session: &mut Session, channel: ChannelId, line: &str) {
    let _ = session.data(channel, line.as_bytes().to_vec());
    let _ = session.exit_status_request(channel, 1);
    let _ = session.eof(channel);
    let _ = session.close(channel);
}

fn publickey_only() -> Auth {
    let mut methods = MethodSet::empty();
    methods.push(MethodKind::PublicKey);
    Auth::Reject {
        proceed_with_methods: Some(methods),
        partial_success: false,
    }
}

/// Terminal sizes arrive as u32 from the client; 0 means "unknown", for which 80x24 is the
/// conventional answer.
fn dimension(value: u32, unknown: u16) -> u16 {
    match value {
        0 => unknown,
        v => u16::try_from(v).unwrap_or(u16::MAX),
    }
}

/// TERM is the client's text: keep a short, printable name.
fn clean_term(term: &str) -> String {
    let t: String = term
        .chars()
        .filter(|c| c.is_ascii_graphic())
        .take(64)
        .collect();
    if t.is_empty() { "xterm".to_string() } else { t }
}

impl<H: Host> Handler for Conn<H> {
    type Error = russh::Error;

    // russh calls the password, none and keyboard-interactive callbacks even when they are not
    // among the advertised methods, so each refuses explicitly.
    async fn auth_none(&mut self, _user: &str) -> Result<Auth, Self::Error> {
        Ok(publickey_only())
    }

    async fn auth_password(&mut self, user: &str, _password: &str) -> Result<Auth, Self::Error> {
        tracing::info!(peer = %self.peer, ?user, "SSH password authentication refused: keys only");
        Ok(publickey_only())
    }

    async fn auth_keyboard_interactive<'a>(
        &'a mut self,
        _user: &str,
        _submethods: &str,
        _response: Option<russh::server::Response<'a>>,
    ) -> Result<Auth, Self::Error> {
        Ok(publickey_only())
    }

    async fn auth_publickey_offered(
        &mut self,
        _user: &str,
        _offer: PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        // Whether the key is known is asked only once the client has proved it holds it
        // (auth_publickey), so every offer is accepted for signing, unless the address is blocked.
        if self.blocked() {
            return Ok(publickey_only());
        }
        Ok(Auth::Accept)
    }

    async fn auth_publickey(
        &mut self,
        user: &str,
        key: VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        let peer = self.peer;
        if let Some(left) = self.shared.limiter.blocked_for(peer.ip(), Instant::now()) {
            tracing::debug!(
                %peer,
                retry_in_secs = left.as_secs(),
                "SSH key refused without checking: too many failures from this address"
            );
            return Ok(publickey_only());
        }
        let info = PublicKeyInfo::from_key(key.public_key);
        // On its own task so that a panic in the Host refuses this login instead of killing the
        // connection task in the middle of russh's state machine.
        let verdict = {
            let host = Arc::clone(&self.shared.host);
            let user = user.to_string();
            let info = info.clone();
            tokio::spawn(async move { host.authenticate(&user, &info, peer).await }).await
        };
        match verdict {
            Ok(Some(who)) => {
                tracing::info!(%peer, ?user, fingerprint = %info.fingerprint, "SSH key accepted");
                self.authed = Some(Authed { who, key: info });
                Ok(Auth::Accept)
            }
            Ok(None) => {
                tracing::warn!(
                    %peer,
                    ?user,
                    fingerprint = %info.fingerprint,
                    algorithm = %info.algorithm,
                    "SSH key refused: unknown key {} from {peer}",
                    info.fingerprint
                );
                if self
                    .shared
                    .limiter
                    .record_failure(peer.ip(), Instant::now())
                {
                    tracing::warn!(
                        ip = %peer.ip(),
                        "too many refused SSH keys from {}: refusing it without checking for the rest of the minute",
                        peer.ip()
                    );
                }
                Ok(publickey_only())
            }
            Err(e) => {
                tracing::error!(%peer, fingerprint = %info.fingerprint, error = %e, "Host::authenticate failed; login refused");
                Ok(publickey_only())
            }
        }
    }

    async fn auth_openssh_certificate(
        &mut self,
        _user: &str,
        _certificate: &russh::keys::Certificate,
    ) -> Result<Auth, Self::Error> {
        tracing::info!(peer = %self.peer, "SSH certificate refused: plain keys only");
        Ok(publickey_only())
    }

    async fn auth_succeeded(&mut self, _session: &mut Session) -> Result<(), Self::Error> {
        if let Some(tx) = self.on_auth.take() {
            let _ = tx.send(());
        }
        Ok(())
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: russh::server::ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.authed.is_none() || self.channels.len() >= MAX_CHANNELS {
            reply.reject(ChannelOpenFailure::ResourceShortage).await;
            return Ok(());
        }
        let id = channel.id();
        // The read half is dropped: requests and data come through the callbacks below, and a
        // read half nobody reads would stall the connection once its buffer filled.
        let (_read, write) = channel.split();
        self.channels.insert(
            id,
            Chan {
                write: Some(write),
                pty: None,
                link: None,
            },
        );
        reply.accept().await;
        Ok(())
    }

    async fn pty_request(
        &mut self,
        channel: ChannelId,
        term: &str,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(russh::Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        match self.channels.get_mut(&channel) {
            Some(chan) if chan.link.is_none() && chan.write.is_some() => {
                chan.pty = Some((
                    clean_term(term),
                    dimension(col_width, 80),
                    dimension(row_height, 24),
                ));
                session.channel_success(channel)
            }
            _ => session.channel_failure(channel),
        }
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.start(channel, session)
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        // `ssh -t host anything` runs the console like `ssh host`; patron has no commands.
        tracing::debug!(peer = %self.peer, command_len = data.len(), "exec request: running the console");
        self.start(channel, session)
    }

    async fn window_change_request(
        &mut self,
        channel: ChannelId,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let (cols, rows) = (dimension(col_width, 80), dimension(row_height, 24));
        if let Some(link) = self.link(channel) {
            link.forward(Input::Resize { cols, rows }).await;
        } else if let Some(Chan {
            pty: Some((_, c, r)),
            ..
        }) = self.channels.get_mut(&channel)
        {
            (*c, *r) = (cols, rows);
        }
        session.channel_success(channel)
    }

    async fn data(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(link) = self.link(channel) {
            link.forward(Input::Data(data.to_vec())).await;
        }
        Ok(())
    }

    async fn channel_eof(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(link) = self.link(channel) {
            link.close_input();
        }
        Ok(())
    }

    async fn channel_close(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(chan) = self.channels.remove(&channel)
            && let Some(link) = chan.link
        {
            link.client_gone();
        }
        Ok(())
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        _name: &str,
        _value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)
    }

    async fn x11_request(
        &mut self,
        channel: ChannelId,
        _single_connection: bool,
        _protocol: &str,
        _cookie: &str,
        _screen: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        _name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_from_the_client_are_clamped_and_zero_means_unknown() {
        assert_eq!(dimension(0, 80), 80);
        assert_eq!(dimension(132, 80), 132);
        assert_eq!(dimension(u32::MAX, 80), u16::MAX);
    }

    #[test]
    fn term_names_are_short_and_printable() {
        assert_eq!(clean_term("xterm-256color"), "xterm-256color");
        assert_eq!(clean_term("x\x1b[31mterm\n"), "x[31mterm");
        assert_eq!(clean_term(""), "xterm");
        assert_eq!(clean_term(&"a".repeat(500)).len(), 64);
    }
}
