//! `patron bench serve`: a real `patron serve` child process on the database given, its memory
//! with 1, 5 and 20 SSH sessions and the keystroke-to-frame latency those sessions see.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use color_eyre::eyre::{Result, WrapErr, bail, eyre};
use patron_ssh::russh::keys::{Algorithm, PrivateKey, PrivateKeyWithHashAlg};
use patron_ssh::russh::{self, ChannelMsg, client};
use tokio::sync::mpsc;

use super::output::{redact_url, thousands};
use crate::store::access::NewStaffKey;
use crate::store::model::{Staff, StaffRole};
use crate::store::{DynStore, StoreError};

/// A support agent's terminal: wide enough that the title keeps "index ready" on its line.
const COLS: u32 = 120;
const ROWS: u32 = 40;
/// A fast typist; a key is only sent once the previous one was drawn, so keys never queue.
const BETWEEN_KEYS: Duration = Duration::from_millis(15);
/// Longer than any frame should take; a key with no frame by then counts as a timeout.
const FRAME_WAIT: Duration = Duration::from_secs(1);
/// Loading the index at 1M takes ~25 s warm and ~50 s from a cold page cache.
const INDEX_WAIT: Duration = Duration::from_secs(600);
/// Time for new sessions to load their first page and count before the RSS is read.
const SETTLE: Duration = Duration::from_secs(2);
/// `patron serve`'s default session limit (the child runs on the default config).
const MAX_SESSIONS: usize = 64;
/// Marks the bench's keys, so a run that was killed leaves none behind after the next one.
const COMMENT: &str = "patron bench serve";

pub struct Args {
    pub sessions: Vec<usize>,
    pub keystrokes: usize,
    pub host_key: Option<PathBuf>,
}

pub async fn run(url: &str, args: Args) -> Result<()> {
    // The probe session is always there: the 1-session figure is the others' baseline.
    let mut levels = [args.sessions.as_slice(), &[1]].concat();
    levels.sort_unstable();
    levels.dedup();
    let most = *levels.last().unwrap_or(&1);
    if levels[0] == 0 || most > MAX_SESSIONS {
        bail!("--sessions: each count must be 1 to {MAX_SESSIONS} (patron serve's session limit)");
    }
    if args.keystrokes == 0 {
        bail!("--keystrokes must be at least 1");
    }
    let store = super::connect(url).await?;
    let customers = store.count_customers(&Default::default()).await?;
    let keys = (0..most)
        .map(|_| PrivateKey::random(&mut russh::keys::key::safe_rng(), Algorithm::Ed25519))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| eyre!("cannot generate a client key: {e}"))?;
    let bench = Bench::register(store, keys).await?;
    let tmp = std::env::temp_dir().join(format!("patron-bench-serve-{}", std::process::id()));
    // Ctrl-C drops the measurement, and with it the child (SIGTERM) and the sessions.
    let measured = tokio::select! {
        m = measure(url, &bench, &levels, &args, &tmp) => m,
        _ = tokio::signal::ctrl_c() => Err(eyre!("interrupted")),
    };
    let cleaned = bench.unregister().await;
    let _ = std::fs::remove_dir_all(&tmp);
    let report = measured?;
    cleaned?;
    println!("{}", report.markdown(url, &args, customers));
    Ok(())
}

/// The bench staff members `bench-1`.. (agents) and one key each, added by an active admin.
struct Bench {
    store: DynStore,
    admin: i64,
    keys: Vec<PrivateKey>,
}

impl Bench {
    async fn register(store: DynStore, keys: Vec<PrivateKey>) -> Result<Bench> {
        let staff = store.list_staff().await?;
        let is_admin = |m: &&Staff| m.active && m.role == StaffRole::Admin;
        let Some(admin) = staff.iter().find(is_admin).map(|m| m.id) else {
            bail!("no active admin in the database to add the bench's keys");
        };
        let bench = Bench { store, admin, keys };
        bench.unregister().await?;
        let s = &bench.store;
        for (i, key) in bench.keys.iter().enumerate() {
            let name = username(i);
            match staff.iter().find(|m| m.username == name) {
                Some(m) if m.active => {}
                // A deactivated member's key is refused at login.
                Some(_) => drop(s.set_staff(admin, &name, None, Some(true)).await?),
                None => drop(
                    s.add_staff(Some(admin), &name, &name, StaffRole::Agent)
                        .await?,
                ),
            }
            let info = patron_ssh::PublicKeyInfo::from_key(key.public_key());
            let new = NewStaffKey {
                public_key: info.openssh,
                fingerprint: info.fingerprint,
                comment: COMMENT.into(),
            };
            let added = s.add_staff_key(admin, &name, &new).await;
            added.wrap_err_with(|| format!("cannot add {name}'s key"))?;
        }
        Ok(bench)
    }

    /// Removes every bench key of these bench members (a killed run's too).
    async fn unregister(&self) -> Result<()> {
        for i in 0..self.keys.len() {
            let keys = match self.store.staff_keys(Some(&username(i))).await {
                Err(StoreError::NotFound(_)) => continue,
                keys => keys?,
            };
            for k in keys.iter().filter(|k| k.comment == COMMENT) {
                match self
                    .store
                    .remove_staff_key(self.admin, &k.fingerprint)
                    .await
                {
                    Ok(_) | Err(StoreError::NotFound(_)) => {}
                    Err(e) => return Err(e).wrap_err("cannot remove a bench key"),
                }
            }
        }
        Ok(())
    }
}

fn username(i: usize) -> String {
    format!("bench-{}", i + 1)
}

/// The server's VmRSS and RssAnon, in kB.
type Memory = (u64, u64);

struct Report {
    /// What was connected, how many sessions, the memory then.
    rows: Vec<(String, usize, Memory)>,
    /// The RSS the extra sessions are counted from: 1 session, after it typed.
    baseline_kb: u64,
    peak_kb: u64,
    index_secs: f64,
    latency: Vec<(usize, Typed)>,
}

async fn measure(
    url: &str,
    bench: &Bench,
    levels: &[usize],
    args: &Args,
    tmp: &Path,
) -> Result<Report> {
    std::fs::create_dir_all(tmp).wrap_err_with(|| format!("cannot create {}", tmp.display()))?;
    let host_key = (args.host_key.clone()).unwrap_or_else(|| tmp.join("host_key"));
    let mut server = Server::spawn(url, &host_key, tmp).await?;
    let (addr, pid) = (server.addr, server.pid);
    eprintln!("bench: patron serve (pid {pid}) listens on {addr}");
    let mut rows = Vec::new();
    let started = Instant::now();
    let mut probe = Session::open(addr, &bench.keys[0], &username(0)).await?;
    probe.wait_for(0, "index ready", INDEX_WAIT).await?;
    let index_secs = started.elapsed().as_secs_f64();
    eprintln!("bench: index ready after {index_secs:.1} s");
    tokio::time::sleep(SETTLE).await;
    rows.push(("1, at index ready".into(), 1, server.memory()?));
    // Typing first: whatever searching adds (caches, the results) is not counted per session.
    // The keys are typed once unmeasured, so that the 1-session run does not pay for warming
    // the index's word cache and the store's page cache that the 20-session run then finds warm.
    eprintln!("bench: typing {} keys to warm up", args.keystrokes);
    probe.type_keys(args.keystrokes).await?;
    eprintln!("bench: typing {} keys with 1 session", args.keystrokes);
    let mut latency = vec![(1, probe.type_keys(args.keystrokes).await?)];
    tokio::time::sleep(SETTLE).await;
    let baseline = server.memory()?;
    rows.push(("1, after typing".into(), 1, baseline));
    let mut others = Vec::new();
    for &level in levels.iter().filter(|&&l| l > 1) {
        while others.len() + 1 < level {
            let i = others.len() + 1;
            let mut s = Session::open(addr, &bench.keys[i], &username(i)).await?;
            s.wait_for(0, "index ready", Duration::from_secs(30))
                .await?;
            // From here on it only keeps reading, as a client whose agent is not typing.
            s.frames.close();
            others.push(s);
        }
        tokio::time::sleep(SETTLE).await;
        rows.push((level.to_string(), level, server.memory()?));
        eprintln!("bench: {level} sessions connected");
    }
    let connected = others.len() + 1;
    if connected > 1 {
        eprintln!(
            "bench: typing {} keys with {connected} sessions",
            args.keystrokes
        );
        latency.push((connected, probe.type_keys(args.keystrokes).await?));
        tokio::time::sleep(SETTLE).await;
        rows.push((
            format!("{connected}, after typing"),
            connected,
            server.memory()?,
        ));
    }
    let peak_kb = server.status_kb("VmHWM")?;
    for s in others.into_iter().chain([probe]) {
        s.close().await;
    }
    match server.terminate() {
        Some(status) if status.success() => {}
        other => eprintln!("bench: warning: patron serve ended with {other:?}"),
    }
    Ok(Report {
        rows,
        baseline_kb: baseline.0,
        peak_kb,
        index_secs,
        latency,
    })
}

/// The `patron serve` child process; SIGTERM and a wait when dropped, on every path.
struct Server {
    child: Option<Child>,
    pid: u32,
    addr: SocketAddr,
}

impl Server {
    async fn spawn(url: &str, host_key: &Path, tmp: &Path) -> Result<Server> {
        let exe = std::env::current_exe().wrap_err("cannot find the patron binary")?;
        // Its own XDG dirs and no config file: drafts and logs stay out of the user's home and
        // the server runs on the defaults, whatever the user's config says.
        let child = Command::new(exe)
            .arg("--database-url")
            .arg(url)
            .arg("--config")
            .arg(tmp.join("no-config.toml"))
            .args(["serve", "--listen", "127.0.0.1:0", "--host-key"])
            .arg(host_key)
            .env("XDG_DATA_HOME", tmp.join("data"))
            .env("XDG_STATE_HOME", tmp.join("state"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .wrap_err("cannot start patron serve")?;
        let pid = child.id();
        let mut server = Server {
            child: Some(child),
            pid,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        };
        let stdout = server.child.as_mut().and_then(|c| c.stdout.take());
        let (tx, rx) = tokio::sync::oneshot::channel();
        std::thread::spawn(move || {
            let mut lines = stdout.map(|s| BufReader::new(s).lines());
            let first = lines.as_mut().and_then(|l| l.next()).and_then(|l| l.ok());
            let _ = tx.send(first);
            // Keeps reading so the server never blocks on a full pipe.
            lines.into_iter().flatten().for_each(drop);
        });
        let line = match tokio::time::timeout(Duration::from_secs(60), rx).await {
            Ok(Ok(Some(line))) => line,
            Ok(_) => bail!(
                "patron serve exited before listening ({:?}; its errors are above)",
                server.terminate()
            ),
            Err(_) => bail!("patron serve did not start listening within 60 s"),
        };
        server.addr = listening_addr(&line)
            .ok_or_else(|| eyre!("unexpected first line from patron serve: {line:?}"))?;
        Ok(server)
    }

    fn status_kb(&self, field: &str) -> Result<u64> {
        let path = format!("/proc/{}/status", self.pid);
        let text =
            std::fs::read_to_string(&path).wrap_err_with(|| format!("cannot read {path}"))?;
        status_kb(&text, field).ok_or_else(|| eyre!("no {field} in {path}"))
    }

    fn memory(&self) -> Result<Memory> {
        Ok((self.status_kb("VmRSS")?, self.status_kb("RssAnon")?))
    }

    /// SIGTERM, as an operator stops it; SIGKILL if it has not ended after its grace period.
    fn terminate(&mut self) -> Option<ExitStatus> {
        let mut child = self.child.take()?;
        // SAFETY: kill(2) on the pid of our own child, which has not been waited for yet.
        unsafe {
            libc::kill(self.pid as libc::pid_t, libc::SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            match child.try_wait() {
                Ok(Some(status)) => return Some(status),
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20))
                }
                _ => {
                    let _ = child.kill();
                    return child.wait().ok();
                }
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.terminate();
    }
}

/// `patron serve: listening on 127.0.0.1:PORT; host key SHA256:... (path)` → the address.
fn listening_addr(line: &str) -> Option<SocketAddr> {
    let rest = line.strip_prefix("patron serve: listening on ")?;
    rest.split(';').next()?.trim().parse().ok()
}

/// A `Field:   123 kB` line of /proc/<pid>/status (or /proc/meminfo), in kB.
fn status_kb(text: &str, field: &str) -> Option<u64> {
    text.lines().find_map(|l| {
        let value = l.strip_prefix(field)?.strip_prefix(':')?;
        value.trim().strip_suffix("kB")?.trim().parse().ok()
    })
}

struct Client;

impl client::Handler for Client {
    type Error = russh::Error;

    // Our own child on loopback, whose host key the bench has just made.
    async fn check_server_key(
        &mut self,
        _key: &russh::keys::PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

/// One SSH session with a PTY and the console in it. A task reads the channel all the time, so
/// the server never sees a stalled client; what it reads arrives in `frames`, stamped on arrival,
/// and is applied to `screen`. A terminal emulator is needed to know what is shown: ratatui
/// sends only the cells that changed, so "index ready" after "index loading" arrives as "re",
/// a cursor move and "y (0.3 s)".
struct Session {
    handle: client::Handle<Client>,
    input: russh::ChannelWriteHalf<client::Msg>,
    frames: mpsc::UnboundedReceiver<(Instant, Vec<u8>)>,
    screen: vt100::Parser,
}

impl Session {
    async fn open(addr: SocketAddr, key: &PrivateKey, user: &str) -> Result<Session> {
        let config = client::Config {
            // As OpenSSH does for interactive sessions: a keystroke must not wait for Nagle.
            nodelay: true,
            ..Default::default()
        };
        let mut handle = client::connect(Arc::new(config), addr, Client)
            .await
            .wrap_err_with(|| format!("{user}: cannot connect to {addr}"))?;
        let key = PrivateKeyWithHashAlg::new(Arc::new(key.clone()), None);
        let auth = handle.authenticate_publickey(user, key).await?;
        if !auth.success() {
            bail!("{user}: patron serve refused the bench key");
        }
        let channel = handle.channel_open_session().await?;
        channel
            .request_pty(true, "xterm-256color", COLS, ROWS, 0, 0, &[])
            .await?;
        channel.request_shell(true).await?;
        let (mut output, input) = channel.split();
        let (tx, frames) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Some(msg) = output.wait().await {
                if let ChannelMsg::Data { data } = msg {
                    // Nobody listening any more (not the typing session): read and forget.
                    let _ = tx.send((Instant::now(), data.to_vec()));
                }
            }
        });
        Ok(Session {
            handle,
            input,
            frames,
            screen: vt100::Parser::new(ROWS as u16, COLS as u16, 0),
        })
    }

    /// Screen line `row` (0: the title bar, 1: the search line) as text.
    fn line(&self, row: usize) -> String {
        let screen = self.screen.screen();
        screen.rows(0, COLS as u16).nth(row).unwrap_or_default()
    }

    /// Reads until line `row` contains `needle`.
    async fn wait_for(&mut self, row: usize, needle: &str, within: Duration) -> Result<()> {
        let deadline = tokio::time::Instant::now() + within;
        while !self.line(row).contains(needle) {
            match tokio::time::timeout_at(deadline, self.frames.recv()).await {
                Ok(Some((_, data))) => self.screen.process(&data),
                Ok(None) => bail!("the session closed before {needle:?} was shown"),
                Err(_) => bail!(
                    "no {needle:?} on the screen within {} s; line {row} reads {:?}",
                    within.as_secs(),
                    self.line(row)
                ),
            }
        }
        Ok(())
    }

    async fn send(&self, bytes: &[u8]) -> Result<()> {
        self.input.data(bytes).await.wrap_err("cannot send a key")
    }

    /// Applies what has arrived without waiting.
    fn catch_up(&mut self) {
        while let Ok((_, data)) = self.frames.try_recv() {
            self.screen.process(&data);
        }
    }

    /// Focuses the search box, types `n` keys of the search bench's queries (each typed, then
    /// erased), times every key's frames, and clears the search box (Esc).
    async fn type_keys(&mut self, n: usize) -> Result<Typed> {
        self.catch_up();
        self.send(b"/").await?;
        self.wait_for(1, "/ \u{2588}", FRAME_WAIT).await?;
        let mut typed = Typed::default();
        for (key, query) in script(n) {
            tokio::time::sleep(BETWEEN_KEYS).await;
            self.catch_up();
            let sent = Instant::now();
            self.send(&key).await?;
            let searches = !query.trim().is_empty();
            let (drawn, answered) = self.frames_after(sent, &query, searches).await?;
            typed.drawn.push(drawn);
            if searches && answered.is_none() {
                let line = self.line(1);
                eprintln!("bench: no answer to {query:?} within 1 s; the search line: {line:?}");
            }
            if searches {
                typed.answered.push(answered);
                typed
                    .shown
                    .push(answered.and_then(|_| shown_micros(&self.screen.screen().contents())));
            }
        }
        // Until the box is cleared: an Esc followed at once by the next run's "/" would be Alt-/.
        self.send(b"\x1b").await?;
        self.wait_for(1, "press / to search", FRAME_WAIT).await?;
        Ok(typed)
    }

    /// Micros from `sent` to the frame that shows `query` in the search box and, if it is
    /// searched for, to the frame with its answer ("N matches" in place of "searching…");
    /// `None` for one that did not come within `FRAME_WAIT`.
    async fn frames_after(
        &mut self,
        sent: Instant,
        query: &str,
        searches: bool,
    ) -> Result<(Option<u64>, Option<u64>)> {
        let deadline = tokio::time::Instant::from_std(sent + FRAME_WAIT);
        let typed = format!("/ {query}\u{2588}");
        let (mut drawn, mut answered) = (None, None);
        while drawn.is_none() || (searches && answered.is_none()) {
            let (at, data) = match tokio::time::timeout_at(deadline, self.frames.recv()).await {
                Ok(Some(frame)) => frame,
                Ok(None) => bail!("the typing session closed"),
                Err(_) => break,
            };
            self.screen.process(&data);
            let line = self.line(1);
            if !line.trim_start().starts_with(&typed) {
                continue;
            }
            let micros = at.saturating_duration_since(sent).as_micros() as u64;
            drawn.get_or_insert(micros);
            if searches && answered.is_none() && answered_line(&line) {
                answered = Some(micros);
            }
        }
        Ok((drawn, answered))
    }

    async fn close(self) {
        let _ = (self.handle)
            .disconnect(russh::Disconnect::ByApplication, "", "")
            .await;
    }
}

/// The search line shows a search's answer: a count ("1 match", "1,234 matches", "no match"),
/// not "searching…".
fn answered_line(line: &str) -> bool {
    line.contains("match") && !line.contains("searching")
}

/// The time the console shows for the search it answered, at the end of its status line
/// (" 1/200 shown of 1,234 matches for “jo” · 3.2 ms"): the index's part, before the hits'
/// rows are read from the store.
fn shown_micros(screen: &str) -> Option<u64> {
    screen.lines().find_map(|l| {
        let ms = l.trim_end().strip_suffix(" ms")?.rsplit_once("· ")?.1;
        ms.parse::<f64>().ok().map(|ms| (ms * 1000.0) as u64)
    })
}

/// The keys to type: the search bench's queries one character at a time, each erased again with
/// backspaces, cycled to `n` keys; with the query each key leaves in the search box.
fn script(n: usize) -> Vec<(Vec<u8>, String)> {
    let queries = patron_search::bench::keystroke_queries();
    let mut keys = Vec::with_capacity(n);
    for q in queries.iter().cycle() {
        let chars: Vec<char> = q.chars().collect();
        let typing = (1..=chars.len()).map(|k| (chars[k - 1].to_string().into_bytes(), k));
        let erasing = (0..chars.len()).rev().map(|k| (vec![0x7f], k));
        for (key, left) in typing.chain(erasing) {
            if keys.len() == n {
                return keys;
            }
            keys.push((key, chars[..left].iter().collect()));
        }
    }
    keys
}

/// One typing run: micros per key to its first frame, and per search to its answer; `None`
/// for one that did not come within `FRAME_WAIT`.
#[derive(Debug, Default)]
struct Typed {
    drawn: Vec<Option<u64>>,
    answered: Vec<Option<u64>>,
    /// Per answer, the search time the console showed.
    shown: Vec<Option<u64>>,
}

/// p50, p90, p99 and max in ms (nearest rank) of the values that came, and how many did not.
fn summary(micros: &[Option<u64>]) -> ([f64; 4], usize) {
    let mut sorted: Vec<u64> = micros.iter().flatten().copied().collect();
    sorted.sort_unstable();
    let ms = |us: u64| us as f64 / 1000.0;
    let stats = [50.0, 90.0, 99.0, 100.0].map(|p| ms(percentile(&sorted, p)));
    (stats, micros.len() - sorted.len())
}

/// The nearest-rank percentile of ascending values: the smallest value with at least `p`% of
/// the values at or below it (0 for none).
fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn mb(kb: u64) -> f64 {
    kb as f64 * 1024.0 / 1e6
}

/// `2 cores (model name), 24 GiB`, from /proc.
fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = (cpuinfo.lines())
        .find_map(|l| l.strip_prefix("model name")?.split_once(':'))
        .map_or("unknown CPU", |(_, m)| m.trim());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let gib = status_kb(&meminfo, "MemTotal").unwrap_or(0) as f64 / 1048576.0;
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{cores} cores ({model}), {gib:.0} GiB")
}

impl Report {
    fn markdown(&self, url: &str, args: &Args, customers: i64) -> String {
        let build = match cfg!(debug_assertions) {
            true => "debug build: the numbers mean nothing",
            false => "release build",
        };
        let sessions: Vec<String> = args.sessions.iter().map(|s| s.to_string()).collect();
        let mut w = format!(
            "Machine: {}; {build}.  \nDate: {}.  \n\
             Command: `patron --database-url {} bench serve --sessions {} --keystrokes {}`  \n\
             Customers: {}; index ready {:.1} s after the first session connected; terminal \
             {COLS}x{ROWS}; peak RSS (VmHWM, the index load included) {:.1} MB.\n\n\
             | sessions | server RSS | of it anonymous | per extra session |\n|---|---|---|---|\n",
            machine(),
            chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
            redact_url(url),
            sessions.join(","),
            args.keystrokes,
            thousands(customers),
            self.index_secs,
            mb(self.peak_kb),
        );
        for (label, n, (rss, anon)) in &self.rows {
            let extra = match n {
                1 => "—".to_string(),
                n => format!(
                    "{:.2} MB",
                    (mb(*rss) - mb(self.baseline_kb)) / (n - 1) as f64
                ),
            };
            let (rss, anon) = (mb(*rss), mb(*anon));
            let _ = writeln!(w, "| {label} | {rss:.1} MB | {anon:.1} MB | {extra} |");
        }
        w.push_str(
            "\n| sessions connected | keys | key drawn p50 / p90 / p99 / max | \
             search answered p50 / p90 / p99 / max | of it in the index (shown on screen) | \
             timeouts (drawn, answered) |\n|---|---|---|---|---|---|\n",
        );
        let ms = |s: [f64; 4]| format!("{:.1} / {:.1} / {:.1} / {:.1} ms", s[0], s[1], s[2], s[3]);
        for (connected, t) in &self.latency {
            let ((drawn, late), (answered, unanswered)) = (summary(&t.drawn), summary(&t.answered));
            let _ = writeln!(
                w,
                "| {connected} | {} | {} | {} ({} searches) | {} | {late}, {unanswered} |",
                t.drawn.len(),
                ms(drawn),
                ms(answered),
                t.answered.len(),
                ms(summary(&t.shown).0),
            );
        }
        w
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let v: Vec<u64> = (1..=100).collect();
        assert_eq!(percentile(&v, 50.0), 50);
        assert_eq!(percentile(&v, 90.0), 90);
        assert_eq!(percentile(&v, 99.0), 99);
        assert_eq!(percentile(&v, 100.0), 100);
        assert_eq!(percentile(&[7], 99.0), 7);
        assert_eq!(percentile(&[], 50.0), 0);
        // 10 values: p99 is the largest, p50 the 5th.
        let ten: Vec<u64> = (1..=10).map(|x| x * 10).collect();
        assert_eq!(percentile(&ten, 99.0), 100);
        assert_eq!(percentile(&ten, 50.0), 50);
        let some = [Some(3000), None, Some(1000), Some(2000)];
        assert_eq!(summary(&some), ([2.0, 3.0, 3.0, 3.0], 1));
    }

    #[test]
    fn reads_kb_fields_of_proc_status() {
        let status = "Name:\tpatron\nVmPeak:\t  912340 kB\nVmHWM:\t  401234 kB\nVmRSS:\t  398765 kB\n\
                      RssAnon:\t  350000 kB\nThreads:\t5\n";
        assert_eq!(status_kb(status, "VmRSS"), Some(398_765));
        assert_eq!(status_kb(status, "VmHWM"), Some(401_234));
        assert_eq!(status_kb(status, "RssAnon"), Some(350_000));
        assert_eq!(status_kb(status, "Threads"), None, "not in kB");
        assert_eq!(status_kb(status, "VmSwap"), None);
        assert_eq!(
            status_kb("MemTotal:       24641160 kB\n", "MemTotal"),
            Some(24_641_160)
        );
    }

    #[test]
    fn finds_the_port_in_the_listening_line() {
        let line = "patron serve: listening on 127.0.0.1:40123; host key SHA256:abc (/tmp/k)";
        assert_eq!(
            listening_addr(line),
            Some("127.0.0.1:40123".parse().unwrap())
        );
        assert_eq!(listening_addr("error: cannot listen"), None);
    }

    #[test]
    fn a_count_on_the_search_line_is_an_answer() {
        assert!(answered_line(" / jo█          1,234 matches"));
        assert!(answered_line(" / jo█              1 match (fuzzy)"));
        assert!(answered_line(" / zzq█              no match"));
        assert!(!answered_line(" / jo█                 searching…"));
        assert!(!answered_line(" / █"));
    }

    #[test]
    fn reads_the_search_time_from_the_status_line() {
        let screen = " patron │ x.db │ index ready (30.5 s)\n / jo█   12 matches\n\
                      \n 1/12 shown of 12 matches for “jo” · 3.2 ms\n";
        assert_eq!(shown_micros(screen), Some(3200));
        assert_eq!(shown_micros(" 1/12 shown of 12 matches for “jo”\n"), None);
    }

    #[test]
    fn the_script_types_and_erases_and_knows_which_keys_search() {
        let keys = script(25);
        assert_eq!(keys.len(), 25);
        let key = |k: &[u8], q: &str| (k.to_vec(), q.to_string());
        // "john smith": 10 keys typed, then 10 backspaces.
        assert_eq!(keys[0], key(b"j", "j"));
        assert_eq!(keys[4], key(b" ", "john "));
        assert_eq!(keys[9], key(b"h", "john smith"));
        assert_eq!(keys[10], key(b"\x7f", "john smit"));
        assert_eq!(
            keys[19],
            key(b"\x7f", ""),
            "the last backspace empties the box"
        );
        assert_eq!(keys[20], key(b"m", "m"), "then the next query");
    }
}
