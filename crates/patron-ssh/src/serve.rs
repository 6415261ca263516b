//! Listening: the accept loop, one task per connection with its login grace timer, and the
//! graceful shutdown that tells sessions, waits, closes channels and disconnects.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use russh::keys::PrivateKey;
use russh::server::{Config as RusshConfig, RunningSession};
use russh::{Disconnect, MethodKind, MethodSet, SshId};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, watch};
use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::limits::AuthLimiter;
use crate::server::{AUTH_WINDOW, Conn, Shared};
use crate::session::{Tracker, raised};
use crate::{Config, Host};

/// After the grace period, how long aborted sessions get to close their channels and report.
const FORCE_WAIT: Duration = Duration::from_secs(2);
/// How long a connection may take to go once told to disconnect before its socket is cut.
const DISCONNECT_WAIT: Duration = Duration::from_secs(2);
/// The last wait for connection tasks before `run` returns regardless.
const FINAL_WAIT: Duration = Duration::from_secs(3);

/// A bound listener, ready to [`run`](Server::run).
pub struct Server {
    listener: TcpListener,
    config: Config,
}

/// Binds `config.listen`; serving starts with [`Server::run`]. Binding first lets the caller
/// learn the address (port 0) and fail early on a port in use.
pub async fn bind(config: Config) -> io::Result<Server> {
    let listener = TcpListener::bind(config.listen).await?;
    Ok(Server { listener, config })
}

impl Server {
    /// The address actually bound.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `shutdown` resolves; then sets every session's shutdown watch, waits up to
    /// `grace` for their tasks to end, aborts the rest, closes every channel (exit-status 0 for
    /// sessions that returned), disconnects every client, and returns. Accept errors (such as
    /// running out of file descriptors) are logged and retried, never returned.
    pub async fn run<H: Host>(
        self,
        key: PrivateKey,
        host: Arc<H>,
        shutdown: impl Future<Output = ()> + Send,
        grace: Duration,
    ) -> io::Result<()> {
        let Server { listener, config } = self;
        let russh_config = Arc::new(russh_config(&config, key));
        let (shutdown_tx, shutdown_rx) = watch::channel(false);
        let (force_tx, force_rx) = watch::channel(false);
        let (disconnect_tx, disconnect_rx) = watch::channel(false);
        let sessions = Tracker::new(config.max_sessions);
        let shared = Arc::new(Shared {
            host,
            idle_timeout: config.idle_timeout,
            output_budget: config.output_budget,
            limiter: AuthLimiter::new(config.auth_failures_per_minute, AUTH_WINDOW),
            sessions: Arc::clone(&sessions),
            shutdown: shutdown_rx,
            force: force_rx,
        });
        tracing::info!(addr = %listener.local_addr()?, "SSH server listening");

        let mut conns = JoinSet::new();
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                () = &mut shutdown => break,
                accepted = listener.accept() => match accepted {
                    Ok((stream, peer)) => {
                        conns.spawn(connection(
                            Arc::clone(&shared),
                            Arc::clone(&russh_config),
                            stream,
                            peer,
                            disconnect_rx.clone(),
                            config.login_grace,
                        ));
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "accepting an SSH connection failed");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                },
                Some(_) = conns.join_next(), if !conns.is_empty() => {}
            }
        }
        drop(listener);

        tracing::info!(sessions = sessions.active(), "SSH server shutting down");
        shutdown_tx.send_replace(true);
        if !sessions.wait_empty(grace).await {
            tracing::warn!(
                sessions = sessions.active(),
                "SSH sessions still running after the grace period: aborting them"
            );
            force_tx.send_replace(true);
            sessions.wait_empty(FORCE_WAIT).await;
        }
        disconnect_tx.send_replace(true);
        let all_gone = tokio::time::timeout(FINAL_WAIT, async {
            while conns.join_next().await.is_some() {}
        })
        .await;
        if all_gone.is_err() {
            conns.shutdown().await;
        }
        tracing::info!("SSH server stopped");
        Ok(())
    }
}

fn russh_config(config: &Config, key: PrivateKey) -> RusshConfig {
    let mut methods = MethodSet::empty();
    methods.push(MethodKind::PublicKey);
    RusshConfig {
        server_id: SshId::Standard("SSH-2.0-patron".into()),
        methods,
        auth_rejection_time: config.auth_rejection_delay,
        // OpenSSH clients open with a "none" probe to learn the methods: answer it at once.
        auth_rejection_time_initial: Some(Duration::ZERO),
        keys: vec![key],
        // Our idle timeout ends sessions; russh's timer is only the backstop for connections
        // that neither talk nor answer keepalives (and for writes to a peer that never reads).
        inactivity_timeout: Some(config.idle_timeout.saturating_add(Duration::from_secs(300))),
        keepalive_interval: Some(Duration::from_secs(30)),
        keepalive_max: 4,
        ..Default::default()
    }
}

/// Runs one TCP connection: the SSH handshake and authentication within `login_grace`, then
/// the session until the client leaves or the server shuts down.
async fn connection<H: Host>(
    shared: Arc<Shared<H>>,
    config: Arc<RusshConfig>,
    stream: TcpStream,
    peer: SocketAddr,
    mut disconnect: watch::Receiver<bool>,
    login_grace: Duration,
) {
    // Keystrokes and their echo are tiny packets: Nagle would delay each one.
    let _ = stream.set_nodelay(true);
    let kill = Arc::new(KillSwitch::default());
    let stream = Killable {
        inner: stream,
        kill: Arc::clone(&kill),
    };
    let (on_auth, mut authed) = oneshot::channel();
    let deadline = Instant::now() + login_grace;
    let setup = russh::server::run_stream(config, stream, Conn::new(shared, peer, on_auth));
    let session = tokio::select! {
        r = setup => match r {
            Ok(s) => s,
            Err(e) => {
                tracing::debug!(%peer, error = %e, "SSH handshake failed");
                return;
            }
        },
        () = tokio::time::sleep_until(deadline) => {
            tracing::info!(%peer, "SSH handshake not finished within the login grace time");
            return;
        }
        () = raised(&mut disconnect) => return,
    };
    let handle = session.handle();
    tokio::pin!(session);
    let mut logged_in = false;
    let reason = loop {
        tokio::select! {
            r = &mut session => {
                if let Err(e) = r {
                    tracing::debug!(%peer, error = %e, "SSH connection ended with an error");
                }
                return;
            }
            r = &mut authed, if !logged_in => {
                // An error means the handler is gone, so the session is ending anyway.
                let _ = r;
                logged_in = true;
            }
            () = tokio::time::sleep_until(deadline), if !logged_in => {
                tracing::info!(%peer, "SSH client did not authenticate within the login grace time");
                break "authentication took too long";
            }
            () = raised(&mut disconnect) => break "patron is shutting down",
        }
    };
    let told = tokio::time::timeout(
        DISCONNECT_WAIT,
        handle.disconnect(Disconnect::ByApplication, reason.into(), String::new()),
    )
    .await;
    if told.is_err() || !finishes(&mut session, DISCONNECT_WAIT).await {
        // The connection cannot take the disconnect (a client that stopped reading): cut it.
        kill.kill();
        finishes(&mut session, DISCONNECT_WAIT).await;
    }
}

async fn finishes<H: russh::server::Handler>(
    session: &mut Pin<&mut RunningSession<H>>,
    within: Duration,
) -> bool {
    tokio::time::timeout(within, session.as_mut()).await.is_ok()
}

/// Lets the connection task cut a socket that russh's session task owns: once killed, every
/// read and write on it fails, which ends that task.
#[derive(Default)]
struct KillSwitch {
    killed: AtomicBool,
    /// The tasks last seen reading (0) and writing (1), to wake when killed.
    wakers: Mutex<[Option<Waker>; 2]>,
}

impl KillSwitch {
    fn kill(&self) {
        self.killed.store(true, Ordering::SeqCst);
        let wakers = std::mem::take(&mut *self.lock());
        for w in wakers.into_iter().flatten() {
            w.wake();
        }
    }

    /// True once killed; until then remembers whom to wake.
    fn is_killed(&self, cx: &Context<'_>, slot: usize) -> bool {
        if self.killed.load(Ordering::SeqCst) {
            return true;
        }
        {
            let mut wakers = self.lock();
            if let Some(w) = wakers.get_mut(slot)
                && !w.as_ref().is_some_and(|w| w.will_wake(cx.waker()))
            {
                *w = Some(cx.waker().clone());
            }
        }
        // Killed between the first check and registering: we would not be woken.
        self.killed.load(Ordering::SeqCst)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, [Option<Waker>; 2]> {
        self.wakers.lock().unwrap_or_else(|e| e.into_inner())
    }
}

struct Killable {
    inner: TcpStream,
    kill: Arc<KillSwitch>,
}

fn aborted() -> io::Error {
    io::Error::new(
        io::ErrorKind::ConnectionAborted,
        "connection cut by the server",
    )
}

impl AsyncRead for Killable {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.kill.is_killed(cx, 0) {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut this.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for Killable {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.kill.is_killed(cx, 1) {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.kill.is_killed(cx, 1) {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.kill.is_killed(cx, 1) {
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[tokio::test]
    async fn a_killed_stream_fails_a_pending_read() {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let client = tokio::spawn(async move { TcpStream::connect(addr).await });
        let (server, _) = listener.accept().await.expect("accept");
        let _client = client.await.expect("task").expect("connect");
        let kill = Arc::new(KillSwitch::default());
        let mut s = Killable {
            inner: server,
            kill: Arc::clone(&kill),
        };
        let reader = tokio::spawn(async move {
            let mut buf = [0u8; 8];
            let r = s.read(&mut buf).await;
            (r.map_err(|e| e.kind()), s)
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        kill.kill();
        let (r, mut s) = tokio::time::timeout(Duration::from_secs(2), reader)
            .await
            .expect("woken by kill")
            .expect("task");
        assert_eq!(r, Err(io::ErrorKind::ConnectionAborted));
        let w = s.write_all(b"x").await.map_err(|e| e.kind());
        assert_eq!(w, Err(io::ErrorKind::ConnectionAborted));
    }
}
