//! One PTY session's life after `shell`: the console task and its writer, the idle timeout, panic
//! isolation, the session count, and how the channel is closed and the end reported.

use std::any::Any;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use russh::ChannelWriteHalf;
use russh::server::Msg;
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

use crate::output::{self, Output};
use crate::{Host, Input, SessionIo};

/// How long the writer may take to deliver what the console queued before it returned, plus
/// the closing line; a client that does not read for this long loses the rest.
const FINAL_DRAIN: Duration = Duration::from_secs(5);
/// How long each of exit-status, EOF and close may wait for the connection to take them.
const CLOSE_STEP: Duration = Duration::from_secs(2);
/// The largest `Input::Data` message: with the queue's length this bounds the input a session
/// holds to `INPUT_QUEUE` × 4 KiB.
pub(crate) const INPUT_CHUNK: usize = 4096;

pub(crate) const SESSION_FAILED: &str =
    "\r\npatron: this session failed and was closed; the error is in the server log\r\n";

/// What the connection's handler and the session task share: the console's input queue and
/// whether the client is still there.
pub(crate) struct Link {
    input: Mutex<Option<mpsc::Sender<Input>>>,
    last_input: Mutex<Instant>,
    gone: watch::Sender<bool>,
}

impl Link {
    pub(crate) fn new(input: mpsc::Sender<Input>) -> Arc<Self> {
        Arc::new(Self {
            input: Mutex::new(Some(input)),
            last_input: Mutex::new(Instant::now()),
            gone: watch::Sender::new(false),
        })
    }

    /// Hands client input to the console. Waits while the console's queue is full: the
    /// connection then stops reading, and TCP and SSH flow control hold the client back.
    /// Data is cut into pieces of at most `INPUT_CHUNK` bytes, so the queue's length bounds its
    /// bytes too, whatever packet size the client uses.
    pub(crate) async fn forward(&self, input: Input) {
        let Some(tx) = lock(&self.input).clone() else {
            return;
        };
        *lock(&self.last_input) = Instant::now();
        // Send errors mean the console has returned: the input has nowhere to go.
        match input {
            Input::Data(data) if data.len() > INPUT_CHUNK => {
                for piece in data.chunks(INPUT_CHUNK) {
                    if tx.send(Input::Data(piece.to_vec())).await.is_err() {
                        return;
                    }
                }
            }
            input => {
                let _ = tx.send(input).await;
            }
        }
    }

    /// Ends the console's input: its receiver sees the channel close.
    pub(crate) fn close_input(&self) {
        lock(&self.input).take();
    }

    /// The client closed the channel or the connection dropped.
    pub(crate) fn client_gone(&self) {
        self.close_input();
        self.gone.send_replace(true);
    }

    fn is_gone(&self) -> bool {
        *self.gone.borrow()
    }

    fn idle_deadline(&self, idle: Duration) -> Instant {
        *lock(&self.last_input) + idle
    }
}

/// Counts running sessions against `max_sessions`, and lets shutdown wait for them to finish.
pub(crate) struct Tracker {
    count: watch::Sender<usize>,
    max: usize,
}

/// One counted session; dropping it frees the place.
pub(crate) struct Slot(Arc<Tracker>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.count.send_modify(|n| *n = n.saturating_sub(1));
    }
}

impl Tracker {
    pub(crate) fn new(max: usize) -> Arc<Self> {
        Arc::new(Self {
            count: watch::Sender::new(0),
            max,
        })
    }

    pub(crate) fn max(&self) -> usize {
        self.max
    }

    pub(crate) fn active(&self) -> usize {
        *self.count.borrow()
    }

    pub(crate) fn try_acquire(self: &Arc<Self>) -> Option<Slot> {
        let max = self.max;
        let got = self.count.send_if_modified(|n| {
            if *n < max {
                *n += 1;
                true
            } else {
                false
            }
        });
        got.then(|| Slot(Arc::clone(self)))
    }

    /// Waits up to `timeout` for every session to finish; true if they all did.
    pub(crate) async fn wait_empty(&self, timeout: Duration) -> bool {
        let mut rx = self.count.subscribe();
        tokio::time::timeout(timeout, rx.wait_for(|n| *n == 0))
            .await
            .is_ok()
    }
}

/// Everything a session task needs, gathered by the handler at `shell`.
pub(crate) struct Start<H: Host> {
    pub host: Arc<H>,
    pub who: H::Who,
    pub fingerprint: String,
    pub peer: SocketAddr,
    pub term: String,
    pub size: (u16, u16),
    pub channel: ChannelWriteHalf<Msg>,
    pub link: Arc<Link>,
    pub input: mpsc::Receiver<Input>,
    pub idle_timeout: Duration,
    pub output_budget: usize,
    pub shutdown: watch::Receiver<bool>,
    /// Becomes true when the grace period is over: consoles still running are aborted.
    pub force: watch::Receiver<bool>,
    pub slot: Slot,
}

enum End {
    Returned,
    Panicked(String),
    /// Aborted at shutdown after the grace period.
    Aborted,
}

/// Runs one session to its end; spawned by the handler on its own task.
pub(crate) async fn run<H: Host>(s: Start<H>) {
    let Start {
        host,
        who,
        fingerprint,
        peer,
        term,
        size,
        channel,
        link,
        input,
        idle_timeout,
        output_budget,
        shutdown,
        mut force,
        slot,
    } = s;
    let started = Instant::now();
    tracing::info!(%peer, %fingerprint, %term, cols = size.0, rows = size.1, "SSH session started");

    let channel = Arc::new(channel);
    let output = Output::new(output_budget);
    let mut writer = tokio::spawn(output::pump(output.clone(), Arc::clone(&channel)));
    let io = SessionIo {
        term,
        size,
        peer,
        fingerprint: fingerprint.clone(),
        input,
        output: output.clone(),
        shutdown,
    };
    let mut console = {
        let host = Arc::clone(&host);
        let who = who.clone();
        tokio::spawn(async move { host.session(who, io).await })
    };

    let mut idled = false;
    let mut gone = link.gone.subscribe();
    let mut gone_seen = false;
    let end = loop {
        let idle_at = link.idle_deadline(idle_timeout);
        tokio::select! {
            joined = &mut console => break match joined {
                Ok(()) => End::Returned,
                Err(e) if e.is_panic() => End::Panicked(panic_message(e.into_panic())),
                Err(_) => End::Aborted,
            },
            () = tokio::time::sleep_until(idle_at), if !idled => {
                // Input may have arrived while we slept: only a deadline still in the past counts.
                if Instant::now() >= link.idle_deadline(idle_timeout) {
                    tracing::info!(%peer, %fingerprint, "SSH session idle: closing its input");
                    idled = true;
                    link.close_input();
                }
            }
            () = raised(&mut gone), if !gone_seen => {
                // Nobody reads any more: refuse output now instead of filling the budget, and
                // stop a writer that may be waiting for a window that will never open.
                gone_seen = true;
                output.mark_gone();
                writer.abort();
            }
            () = raised(&mut force) => {
                tracing::warn!(%peer, %fingerprint, "SSH session still running after the grace period: aborting it");
                console.abort();
                let _ = (&mut console).await;
                break End::Aborted;
            }
        }
    };

    output.seal();
    let panicked = matches!(end, End::Panicked(_));
    match &end {
        End::Panicked(message) => {
            tracing::error!(%peer, %fingerprint, panic = %message, "the console panicked; its SSH session was closed");
            output.push_final(SESSION_FAILED.as_bytes());
        }
        End::Returned if idled => output.push_final(idle_message(idle_timeout).as_bytes()),
        End::Returned | End::Aborted => {}
    }

    // An aborted console is already past the grace period: its leftovers get less time.
    let drain = match end {
        End::Aborted => FINAL_DRAIN / 5,
        _ => FINAL_DRAIN,
    };
    let drained = !link.is_gone()
        && tokio::select! {
            r = &mut writer => r.is_ok(),
            () = tokio::time::sleep(drain) => false,
            () = raised(&mut force), if !matches!(end, End::Aborted) => false,
        };
    if !drained {
        writer.abort();
        output.mark_gone();
    }
    if !link.is_gone() {
        let exit_status = match end {
            End::Returned => Some(0),
            End::Panicked(_) => Some(1),
            End::Aborted => None,
        };
        close_channel(&channel, exit_status).await;
    }
    link.close_input();

    let lasted = started.elapsed();
    tracing::info!(%peer, %fingerprint, lasted_secs = lasted.as_secs(), panicked, "SSH session ended");
    // Host code again: a panic in it is logged here rather than taking the server task down.
    let ended = tokio::spawn(async move {
        host.ended(who, peer, &fingerprint, lasted, panicked).await;
    });
    if let Err(e) = ended.await
        && e.is_panic()
    {
        tracing::error!(%peer, panic = %panic_message(e.into_panic()), "Host::ended panicked");
    }
    drop(slot);
}

/// Resolves once `flag` is true (or its sender is gone, which means the same: stop).
pub(crate) async fn raised(flag: &mut watch::Receiver<bool>) {
    // The guard `wait_for` returns must not live across an await: it is not Send.
    let _ = flag.wait_for(|v| *v).await;
}

async fn close_channel(channel: &ChannelWriteHalf<Msg>, exit_status: Option<u32>) {
    if let Some(code) = exit_status {
        let _ = tokio::time::timeout(CLOSE_STEP, channel.exit_status(code)).await;
    }
    let _ = tokio::time::timeout(CLOSE_STEP, channel.eof()).await;
    let _ = tokio::time::timeout(CLOSE_STEP, channel.close()).await;
}

/// The line a session that idled out ends with.
pub(crate) fn idle_message(idle: Duration) -> String {
    format!("\r\npatron: idle for {}, disconnected\r\n", human(idle))
}

/// "30 minutes", "1 minute", "45 seconds", "300 milliseconds": whole units, as people say them.
fn human(d: Duration) -> String {
    let (n, unit) = if d >= Duration::from_secs(60) {
        ((d.as_secs() + 30) / 60, "minute")
    } else if d >= Duration::from_secs(1) {
        (d.as_secs(), "second")
    } else {
        (d.as_millis() as u64, "millisecond")
    };
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

fn panic_message(payload: Box<dyn Any + Send>) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(a panic without a message)".to_string()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // The guarded values are replaced whole, so a poisoned lock still holds a usable value.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_durations_read_as_people_say_them() {
        assert_eq!(
            idle_message(Duration::from_secs(30 * 60)),
            "\r\npatron: idle for 30 minutes, disconnected\r\n"
        );
        assert_eq!(human(Duration::from_secs(60)), "1 minute");
        assert_eq!(human(Duration::from_secs(90)), "2 minutes");
        assert_eq!(human(Duration::from_secs(45)), "45 seconds");
        assert_eq!(human(Duration::from_secs(1)), "1 second");
        assert_eq!(human(Duration::from_millis(300)), "300 milliseconds");
    }

    #[tokio::test]
    async fn the_tracker_counts_up_to_max_and_frees_on_drop() {
        let t = Tracker::new(2);
        let a = t.try_acquire().expect("first");
        let b = t.try_acquire().expect("second");
        assert!(t.try_acquire().is_none());
        assert_eq!(t.active(), 2);
        drop(a);
        assert_eq!(t.active(), 1);
        assert!(!t.wait_empty(Duration::from_millis(10)).await);
        let c = t.try_acquire().expect("room again");
        drop((b, c));
        assert!(t.wait_empty(Duration::from_millis(10)).await);
    }

    #[tokio::test]
    async fn closing_a_link_closes_the_consoles_input() {
        let (tx, mut rx) = mpsc::channel(4);
        let link = Link::new(tx);
        link.forward(Input::Data(b"x".to_vec())).await;
        assert_eq!(rx.recv().await, Some(Input::Data(b"x".to_vec())));
        link.client_gone();
        assert!(link.is_gone());
        assert_eq!(rx.recv().await, None);
        link.forward(Input::Data(b"late".to_vec())).await;
    }
}
