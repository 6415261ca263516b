//! `patron serve`: one process serving a console per SSH session. Every session has its own
//! state, reducer and screen; all of them share one store pool, one search index and one change
//! feed. A staff member's SSH key (kept in the database) is who they are.
//!
//! `screen` draws a session through its bounded output; `input` turns its bytes into events.
//! The transport (host key, auth, PTY sessions, limits, shutdown) is the `patron-ssh` crate.

mod input;
mod screen;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use color_eyre::eyre::{Result, WrapErr, eyre};
use patron_ssh::{Host, PublicKeyInfo, SessionIo};
use serde_json::json;
use tokio::sync::mpsc;

use crate::input::Keymap;
use crate::runtime::Runtime;
use crate::runtime::event_loop::{Drive, Ended, Options, drive, initial_state};
use crate::store::model::Staff;
use crate::store::{DynStore, StoreError};

/// What every session's console starts from.
#[derive(Clone)]
pub struct Console {
    pub keymap: Keymap,
    pub database: String,
    pub page_size: i64,
    pub color: bool,
    pub rules: patron_domain::review::ReviewRules,
    pub value: crate::app::analytics::ValueSettings,
}

pub struct Settings {
    pub listen: SocketAddr,
    pub host_key: PathBuf,
    pub idle: Duration,
    pub max_sessions: usize,
    pub console: Console,
}

/// How long sessions get to keep their drafts and say goodbye on SIGTERM.
const GRACE: Duration = Duration::from_secs(10);

/// A running server: where it listens, its host key, and how to stop it.
pub struct Serving {
    pub addr: SocketAddr,
    pub fingerprint: String,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Serving {
    /// Shuts down as on SIGTERM: every session is told, keeps its drafts and ends.
    pub async fn stop(self) -> Result<()> {
        let _ = self.stop.send(());
        self.task
            .await
            .map_err(|e| eyre!("the SSH server panicked: {e}"))?
            .wrap_err("the SSH server failed")
    }
}

/// Loads (or creates) the host key, starts the shared index and change feed, and listens.
pub async fn start(store: DynStore, settings: Settings) -> Result<Serving> {
    let (key, fingerprint) = patron_ssh::load_or_create_host_key(&settings.host_key)
        .wrap_err_with(|| format!("cannot load the host key {}", settings.host_key.display()))?;
    let mut runtime = Runtime::shared(store.clone());
    runtime.rules = Arc::new(settings.console.rules.clone());
    runtime.load_index();
    runtime.watch_changes();
    let config = patron_ssh::Config {
        listen: settings.listen,
        host_key: settings.host_key.clone(),
        idle_timeout: settings.idle,
        max_sessions: settings.max_sessions,
        ..Default::default()
    };
    let server = patron_ssh::bind(config)
        .await
        .wrap_err_with(|| format!("cannot listen on {}", settings.listen))?;
    let addr = server.local_addr()?;
    tracing::info!(%addr, %fingerprint, "serving");
    let host = Arc::new(Consoles {
        store,
        runtime,
        console: settings.console,
    });
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(server.run(
        key,
        host,
        async {
            let _ = stopped.await;
        },
        GRACE,
    ));
    Ok(Serving {
        addr,
        fingerprint,
        stop,
        task,
    })
}

/// Serves until SIGTERM or Ctrl-C.
pub async fn run(store: DynStore, settings: Settings) -> Result<()> {
    let key_path = settings.host_key.clone();
    let serving = start(store, settings).await?;
    println!(
        "patron serve: listening on {}; host key {} ({})",
        serving.addr,
        serving.fingerprint,
        key_path.display()
    );
    shutdown_signal().await;
    serving.stop().await?;
    println!("patron serve: stopped");
    Ok(())
}

async fn shutdown_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        }
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
    tracing::info!("shutting down: telling every session");
}

struct Consoles {
    store: DynStore,
    runtime: Runtime,
    console: Console,
}

#[async_trait::async_trait]
impl Host for Consoles {
    type Who = Staff;

    async fn authenticate(
        &self,
        user: &str,
        key: &PublicKeyInfo,
        peer: SocketAddr,
    ) -> Option<Staff> {
        match self.store.staff_for_key(&key.fingerprint).await {
            Ok(staff) => {
                tracing::info!(staff = %staff.username, fingerprint = %key.fingerprint, %peer, "key accepted");
                Some(staff)
            }
            Err(StoreError::NotFound(_)) => {
                let user = patron_domain::sanitize::display(user);
                tracing::warn!(fingerprint = %key.fingerprint, %peer, %user, "unknown or deactivated key refused");
                None
            }
            Err(e) => {
                tracing::error!(%peer, "cannot check a key: {e}");
                None
            }
        }
    }

    async fn session(&self, who: Staff, io: SessionIo) {
        let details = json!({"fingerprint": io.fingerprint, "address": io.peer.to_string(),
            "term": io.term});
        if let Err(e) = self
            .store
            .audit_session(who.id, "session.login", details)
            .await
        {
            tracing::error!(staff = %who.username, "cannot audit a login: {e}");
        }
        if let Err(e) = self.console(&who, io).await {
            tracing::error!(staff = %who.username, "session ended with an error: {e:#}");
        }
    }

    async fn ended(
        &self,
        who: Staff,
        peer: SocketAddr,
        fingerprint: &str,
        lasted: Duration,
        panicked: bool,
    ) {
        let details = json!({"fingerprint": fingerprint, "address": peer.to_string(),
            "seconds": lasted.as_secs(), "panicked": panicked});
        if let Err(e) = self
            .store
            .audit_session(who.id, "session.logout", details)
            .await
        {
            tracing::error!(staff = %who.username, "cannot audit a logout: {e}");
        }
    }
}

impl Consoles {
    async fn console(&self, who: &Staff, io: SessionIo) -> Result<()> {
        let SessionIo {
            size,
            input,
            output,
            shutdown,
            term,
            ..
        } = io;
        let (tx, actions) = mpsc::unbounded_channel();
        let runtime = self.runtime.for_console(tx, None);
        let mut screen = screen::SshScreen::new(output.clone(), size)?;
        if !screen.enter().await {
            return Err(eyre!("the client is not reading"));
        }
        let c = &self.console;
        let opts = Options {
            keymap: c.keymap.clone(),
            database: c.database.clone(),
            page_size: c.page_size,
            color: c.color && term != "dumb",
            log_path: None,
            probe: None,
            staff: Some(who.clone()),
            real: None,
            notice: None,
            rules: c.rules.clone(),
            value: c.value,
        };
        let mut state = initial_state(&opts, Some(size));
        state.via = Some("ssh");
        let d = Drive {
            runtime: &runtime,
            actions,
            events: input::events(input),
            screen: &mut screen,
            // Each staff member's drafts apart: two agents may write on the same customer.
            drafts: crate::runtime::event_loop::drafts_dir().join(&who.username),
            closing: Some(shutdown.clone()),
            probe: None,
        };
        let ended = drive(d, state).await;
        let kept = matches!(ended, Ok(Ended::Quit { kept }) if kept > 0);
        let goodbye = match (&ended, *shutdown.borrow(), kept) {
            (Err(_), ..) => {
                Some("this session failed and was closed; the error is in the server log")
            }
            (_, true, true) => {
                Some("the server is shutting down; the note you were writing is kept as a draft")
            }
            (_, true, false) => Some("the server is shutting down"),
            _ => None,
        };
        screen.leave(goodbye).await;
        if screen.dropped > 0 {
            tracing::info!(staff = %who.username, dropped = screen.dropped, "frames dropped for a slow client");
        }
        ended.map(|_| ())
    }
}
