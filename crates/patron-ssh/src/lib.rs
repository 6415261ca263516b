//! SSH transport for serving consoles: host key, public-key auth, PTY sessions with bounded output.
//!
//! One process serves one console per SSH session. This crate knows nothing about the console
//! or the database: the caller implements [`Host`] to decide who may log in and to run a console
//! over a [`SessionIo`].
//!
//! ```no_run
//! # async fn example<H: patron_ssh::Host>(host: std::sync::Arc<H>) -> std::io::Result<()> {
//! let config = patron_ssh::Config::default();
//! let (key, fingerprint) = patron_ssh::load_or_create_host_key(&config.host_key)?;
//! println!("host key {fingerprint}");
//! let server = patron_ssh::bind(config).await?;
//! println!("listening on {}", server.local_addr()?);
//! let shutdown = std::future::pending::<()>(); // e.g. a ctrl-c signal
//! server.run(key, host, shutdown, std::time::Duration::from_secs(10)).await
//! # }
//! ```

mod keys;
mod limits;
mod output;
mod serve;
mod server;
mod session;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use keys::{PublicKeyInfo, fingerprint, load_or_create_host_key, parse_public_key};
pub use output::Output;
/// The russh version this crate is built on, so callers name the same key types.
pub use russh;
pub use serve::{Server, bind};

/// How the server listens and what it allows.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to listen on (port 0 picks a free port; see [`Server::local_addr`]).
    pub listen: SocketAddr,
    /// The host key file, for the caller to load with [`load_or_create_host_key`] (which
    /// creates it, ed25519, mode 0600, on first start) and pass to [`serve`] or [`Server::run`].
    pub host_key: PathBuf,
    /// No input (keystrokes or resizes) for this long ends the session (default 30 minutes).
    pub idle_timeout: Duration,
    /// PTY sessions served at once (default 64); one more gets a one-line refusal.
    pub max_sessions: usize,
    /// Bytes queued per session before frames are dropped (default 1 MiB).
    pub output_budget: usize,
    /// Refused keys per peer IP per minute; beyond it, authentication from that IP is refused
    /// without checking until the minute is over (default 10; 0 turns the limit off).
    pub auth_failures_per_minute: u32,
    /// Every refused authentication attempt takes at least this long (default 1 s), so timing
    /// does not tell which step refused it and guessing is slow. The first "none" probe that
    /// OpenSSH clients send is answered at once.
    pub auth_rejection_delay: Duration,
    /// A connection that has not authenticated within this time is dropped (default 60 s).
    pub login_grace: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([0, 0, 0, 0], 2222)),
            host_key: PathBuf::from("patron_host_ed25519_key"),
            idle_timeout: Duration::from_secs(30 * 60),
            max_sessions: 64,
            output_budget: 1 << 20,
            auth_failures_per_minute: 10,
            auth_rejection_delay: Duration::from_secs(1),
            login_grace: Duration::from_secs(60),
        }
    }
}

/// What the caller supplies: who may log in, and the console for each session.
#[async_trait::async_trait]
pub trait Host: Send + Sync + 'static {
    /// Whatever identifies an authenticated user to the console (an account id, a staff row).
    type Who: Send + Sync + Clone + 'static;

    /// A client proved it holds this key (russh has checked the signature). `Some` lets them
    /// in. Refusals are logged by the server with the key's fingerprint and the peer address.
    async fn authenticate(
        &self,
        user: &str,
        key: &PublicKeyInfo,
        peer: SocketAddr,
    ) -> Option<Self::Who>;

    /// Runs one console for an authenticated PTY session until it ends: the user quit, the
    /// input channel closed (client gone or idle), or `io.shutdown` became true. Called on its
    /// own tokio task; a panic ends only this session.
    async fn session(&self, who: Self::Who, io: SessionIo);

    /// Called once the session's task has ended, however it ended (returned, panicked, client
    /// gone, aborted at shutdown after the grace period), with how long it lasted: for auditing
    /// logouts. `panicked` tells whether the console panicked.
    async fn ended(
        &self,
        who: Self::Who,
        peer: SocketAddr,
        fingerprint: &str,
        lasted: Duration,
        panicked: bool,
    );
}

/// One session's terminal, as the console sees it.
pub struct SessionIo {
    /// TERM from the client's pty-req (printable ASCII, at most 64 characters; `xterm` if the
    /// client sent none).
    pub term: String,
    /// (cols, rows) from the pty-req (80x24 where the client sent 0).
    pub size: (u16, u16),
    /// The client's address.
    pub peer: SocketAddr,
    /// Fingerprint (`SHA256:...`) of the key the user logged in with.
    pub fingerprint: String,
    /// Keystrokes and resizes. Bounded: when the console does not keep up, the client's input
    /// waits (SSH flow control) rather than queueing. Closes when the client goes away, sends
    /// EOF, or idles out.
    pub input: tokio::sync::mpsc::Receiver<Input>,
    /// The terminal output, bounded by `Config::output_budget`.
    pub output: Output,
    /// Becomes true on server shutdown: the console saves what it must, says goodbye (with
    /// [`Output::send`]) and returns within the grace period.
    pub shutdown: tokio::sync::watch::Receiver<bool>,
}

/// What arrives from the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Bytes typed (or pasted) by the user, in pieces of at most 4 KiB. Boundaries are
    /// arbitrary: a paste, a UTF-8 character or an escape sequence may span messages.
    Data(Vec<u8>),
    /// The client's terminal changed size (window-change).
    Resize { cols: u16, rows: u16 },
}

/// Binds `config.listen` and serves until `shutdown` resolves; then tells every session
/// (watch → true), waits up to `grace` for their tasks to end, closes their channels,
/// disconnects, and returns. A thin wrapper over [`bind`] and [`Server::run`].
pub async fn serve<H: Host>(
    config: Config,
    key: russh::keys::PrivateKey,
    host: Arc<H>,
    shutdown: impl Future<Output = ()> + Send,
    grace: Duration,
) -> std::io::Result<()> {
    bind(config).await?.run(key, host, shutdown, grace).await
}
