//! Test support: an in-process server with a scriptable echo console, and a russh client.
#![allow(dead_code)]

use std::io::{self, Write};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use patron_ssh::russh;
use patron_ssh::russh::client;
use patron_ssh::russh::keys::{Algorithm, PrivateKey, PrivateKeyWithHashAlg};
use patron_ssh::russh::{ChannelMsg, client::AuthResult};
use patron_ssh::{Config, Host, Input, PublicKeyInfo, SessionIo};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

pub const STEP: Duration = Duration::from_secs(5);

pub fn new_key() -> PrivateKey {
    PrivateKey::random(&mut russh::keys::key::safe_rng(), Algorithm::Ed25519).expect("generate")
}

pub fn key_info(key: &PrivateKey) -> PublicKeyInfo {
    PublicKeyInfo::from_key(key.public_key())
}

pub fn config() -> Config {
    Config {
        listen: "127.0.0.1:0".parse().expect("addr"),
        host_key: "/nonexistent/unused".into(),
        idle_timeout: Duration::from_secs(60),
        max_sessions: 8,
        output_budget: 256 * 1024,
        auth_failures_per_minute: 10,
        auth_rejection_delay: Duration::from_millis(5),
        login_grace: Duration::from_secs(10),
    }
}

/// What a console reported when its session ended.
#[derive(Debug, Clone)]
pub struct Ended {
    pub who: String,
    pub fingerprint: String,
    pub lasted: Duration,
    pub panicked: bool,
}

#[derive(Debug, Default, Clone, Copy)]
pub struct FloodStats {
    pub max_queued: usize,
    pub budget: usize,
    pub accepted: usize,
    pub dropped: usize,
}

/// A Host that lets in the keys it was given and runs an echo console:
/// - on start: `ready <TERM> <cols>x<rows> <fingerprint>\r\n`
/// - `Data(d)`: `echo:<d>\r\n`; `panic` panics; `flood` pushes 100 MB through `try_send`;
///   `stubborn` makes it ignore shutdown from then on; `hold` stops reading input for 500 ms,
///   then reports `queued <messages waiting>\r\n`; after `sizes`, each message is answered
///   with `len <bytes>\r\n` instead of its echo
/// - `Resize`: `size <cols>x<rows>\r\n`
/// - input closed: `input closed shutdown=<watch value>\r\n`, then returns
/// - shutdown: `bye\r\n` (through `send`), then returns
pub struct TestHost {
    pub allowed: Vec<String>,
    pub auth_calls: AtomicUsize,
    pub ended_tx: mpsc::UnboundedSender<Ended>,
    pub flood: Mutex<Option<oneshot::Sender<FloodStats>>>,
}

impl TestHost {
    pub fn new(allowed: &[&PrivateKey]) -> (Arc<Self>, mpsc::UnboundedReceiver<Ended>) {
        let (ended_tx, ended_rx) = mpsc::unbounded_channel();
        let host = Arc::new(Self {
            allowed: allowed.iter().map(|k| key_info(k).openssh).collect(),
            auth_calls: AtomicUsize::new(0),
            ended_tx,
            flood: Mutex::new(None),
        });
        (host, ended_rx)
    }

    pub fn auth_calls(&self) -> usize {
        self.auth_calls.load(Ordering::SeqCst)
    }
}

async fn flood(io: &SessionIo) -> FloodStats {
    let frame = 64 * 1024;
    let mut stats = FloodStats {
        budget: io.output.budget(),
        ..FloodStats::default()
    };
    for _ in 0..(100 * 1024 * 1024 / frame) {
        if io.output.try_send(vec![b'x'; frame]) {
            stats.accepted += frame;
        } else {
            stats.dropped += 1;
        }
        stats.max_queued = stats.max_queued.max(io.output.queued_bytes());
        tokio::task::yield_now().await;
    }
    stats
}

#[async_trait::async_trait]
impl Host for TestHost {
    type Who = String;

    async fn authenticate(
        &self,
        user: &str,
        key: &PublicKeyInfo,
        _peer: SocketAddr,
    ) -> Option<String> {
        self.auth_calls.fetch_add(1, Ordering::SeqCst);
        self.allowed
            .contains(&key.openssh)
            .then(|| user.to_string())
    }

    async fn session(&self, _who: String, mut io: SessionIo) {
        let ready = format!(
            "ready {} {}x{} {}\r\n",
            io.term, io.size.0, io.size.1, io.fingerprint
        );
        assert!(io.output.try_send(ready.into_bytes()));
        let mut stubborn = false;
        let mut sizes = false;
        loop {
            tokio::select! {
                input = io.input.recv() => match input {
                    Some(Input::Data(d)) if d == b"panic" => panic!("console exploded"),
                    Some(Input::Data(d)) if d == b"flood" => {
                        let stats = flood(&io).await;
                        if let Some(tx) = self.flood.lock().expect("lock").take() {
                            let _ = tx.send(stats);
                        }
                    }
                    Some(Input::Data(d)) if d == b"hold" => {
                        tokio::time::sleep(Duration::from_millis(500)).await;
                        io.output.try_send(format!("queued {}\r\n", io.input.len()).into_bytes());
                    }
                    Some(Input::Data(d)) if d == b"sizes" => sizes = true,
                    Some(Input::Data(d)) if sizes => {
                        io.output.try_send(format!("len {}\r\n", d.len()).into_bytes());
                    }
                    Some(Input::Data(d)) if d == b"stubborn" => {
                        stubborn = true;
                        io.output.try_send(b"stubborn\r\n".to_vec());
                    }
                    Some(Input::Data(d)) => {
                        let mut line = b"echo:".to_vec();
                        line.extend_from_slice(&d);
                        line.extend_from_slice(b"\r\n");
                        io.output.try_send(line);
                    }
                    Some(Input::Resize { cols, rows }) => {
                        io.output.try_send(format!("size {cols}x{rows}\r\n").into_bytes());
                    }
                    None => {
                        let line = format!("input closed shutdown={}\r\n", *io.shutdown.borrow());
                        io.output.send(line.into_bytes(), STEP).await;
                        return;
                    }
                },
                changed = io.shutdown.changed(), if !stubborn => {
                    if changed.is_err() || *io.shutdown.borrow() {
                        io.output.send(b"bye\r\n".to_vec(), STEP).await;
                        return;
                    }
                }
            }
        }
    }

    async fn ended(
        &self,
        who: String,
        _peer: SocketAddr,
        fingerprint: &str,
        lasted: Duration,
        panicked: bool,
    ) {
        let _ = self.ended_tx.send(Ended {
            who,
            fingerprint: fingerprint.to_string(),
            lasted,
            panicked,
        });
    }
}

/// A server on 127.0.0.1:0 run on a task; `stop` triggers its shutdown.
pub struct TestServer {
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    pub task: JoinHandle<io::Result<()>>,
}

impl TestServer {
    pub async fn start<H: Host>(config: Config, host: Arc<H>, grace: Duration) -> Self {
        let server = patron_ssh::bind(config).await.expect("bind");
        let addr = server.local_addr().expect("addr");
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(server.run(
            new_key(),
            host,
            async move {
                let _ = stopped.await;
            },
            grace,
        ));
        Self {
            addr,
            stop: Some(stop),
            task,
        }
    }

    pub fn stop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}

pub struct Client;

impl client::Handler for Client {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        _key: &russh::keys::PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

pub fn client_config() -> Arc<client::Config> {
    Arc::new(client::Config::default())
}

/// Connects from `local` (an address of this machine) to the server.
pub async fn connect_from(local: &str, addr: SocketAddr) -> (client::Handle<Client>, SocketAddr) {
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket
        .bind(format!("{local}:0").parse().expect("local addr"))
        .expect("bind client");
    let stream = socket.connect(addr).await.expect("connect");
    let local_addr = stream.local_addr().expect("local addr");
    let handle = client::connect_stream(client_config(), stream, Client)
        .await
        .expect("ssh handshake");
    (handle, local_addr)
}

pub async fn connect(addr: SocketAddr) -> client::Handle<Client> {
    connect_from("127.0.0.1", addr).await.0
}

pub async fn try_key(handle: &mut client::Handle<Client>, key: &PrivateKey) -> AuthResult {
    handle
        .authenticate_publickey(
            "alice",
            PrivateKeyWithHashAlg::new(Arc::new(key.clone()), None),
        )
        .await
        .expect("auth exchange")
}

pub async fn login(addr: SocketAddr, key: &PrivateKey) -> client::Handle<Client> {
    let mut handle = connect(addr).await;
    assert!(try_key(&mut handle, key).await.success(), "login refused");
    handle
}

/// A client's view of one session channel.
pub struct Term {
    pub channel: russh::Channel<client::Msg>,
    pub received: Vec<u8>,
    pub exit_status: Option<u32>,
    pub closed: bool,
}

impl Term {
    /// Opens a session channel, optionally with an xterm 80x24 PTY, and asks for a shell.
    pub async fn open(handle: &client::Handle<Client>, pty: bool) -> Self {
        let channel = handle.channel_open_session().await.expect("open session");
        if pty {
            channel
                .request_pty(true, "xterm", 80, 24, 0, 0, &[])
                .await
                .expect("pty-req");
        }
        channel.request_shell(true).await.expect("shell");
        Self {
            channel,
            received: Vec::new(),
            exit_status: None,
            closed: false,
        }
    }

    pub async fn send(&self, bytes: &[u8]) {
        self.channel.data(bytes).await.expect("send data");
    }

    /// Reads until `needle` has been received, failing the test after `within`.
    pub async fn expect(&mut self, needle: &str, within: Duration) {
        let found = tokio::time::timeout(within, async {
            while !contains(&self.received, needle.as_bytes()) {
                if !self.next().await {
                    return false;
                }
            }
            true
        })
        .await;
        assert!(
            matches!(found, Ok(true)),
            "expected {needle:?}; got {:?} (closed: {})",
            String::from_utf8_lossy(&self.received),
            self.closed
        );
    }

    /// Reads until the channel closes, failing the test after `within`.
    pub async fn expect_close(&mut self, within: Duration) {
        let closed = tokio::time::timeout(within, async { while self.next().await {} }).await;
        assert!(
            closed.is_ok(),
            "channel not closed; got {:?}",
            String::from_utf8_lossy(&self.received)
        );
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.received).into_owned()
    }

    /// One message; false once the channel is closed.
    async fn next(&mut self) -> bool {
        match self.channel.wait().await {
            Some(ChannelMsg::Data { data }) => self.received.extend_from_slice(&data),
            Some(ChannelMsg::ExitStatus { exit_status }) => self.exit_status = Some(exit_status),
            Some(ChannelMsg::Close) | None => {
                self.closed = true;
                return false;
            }
            Some(_) => {}
        }
        true
    }
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

/// Collects what tracing logs on this thread (tests using it run on a current-thread runtime,
/// so the server's tasks log on the same thread).
#[derive(Clone, Default)]
pub struct Logs(Arc<Mutex<Vec<u8>>>);

impl Logs {
    pub fn capture() -> (Self, tracing::subscriber::DefaultGuard) {
        let logs = Self::default();
        let writer = logs.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_max_level(tracing::Level::DEBUG)
            .with_writer(move || writer.clone())
            .finish();
        let guard = tracing::subscriber::set_default(subscriber);
        (logs, guard)
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("logs")).into_owned()
    }

    pub fn lines_with(&self, needle: &str) -> Vec<String> {
        self.text()
            .lines()
            .filter(|l| l.contains(needle))
            .map(str::to_string)
            .collect()
    }
}

impl Write for Logs {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().expect("logs").extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

pub async fn next_ended(rx: &mut mpsc::UnboundedReceiver<Ended>) -> Ended {
    tokio::time::timeout(STEP, rx.recv())
        .await
        .expect("ended in time")
        .expect("ended sender alive")
}
