//! A session's output queue: frames from the console wait here, within a byte budget, for the one
//! writer task that feeds them to the SSH channel as the client's window allows.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use russh::ChannelWriteHalf;
use russh::server::Msg;
use tokio::sync::Notify;

/// The console's handle on its terminal output. Cheap to clone; every clone feeds the same queue.
///
/// Bytes count against the budget from the moment they are queued until the writer has handed
/// them to the SSH channel, which itself never holds more than the client's window. So a client
/// that stops reading costs the server at most `budget` + one SSH window, however fast the
/// console draws.
#[derive(Clone)]
pub struct Output {
    inner: Arc<Inner>,
}

struct Inner {
    budget: usize,
    state: Mutex<State>,
    /// Wakes the writer when a frame arrives or the queue is sealed.
    frames_ready: Notify,
    /// Wakes `send` callers when the writer frees room or the queue closes.
    room: Notify,
}

#[derive(Default)]
struct State {
    frames: VecDeque<Vec<u8>>,
    /// Bytes queued or being written.
    queued: usize,
    /// The console has finished: only the server's closing lines may still be queued.
    sealed: bool,
    /// The channel is gone: nothing more will be written.
    gone: bool,
}

impl Output {
    pub(crate) fn new(budget: usize) -> Self {
        Self {
            inner: Arc::new(Inner {
                budget,
                state: Mutex::new(State::default()),
                frames_ready: Notify::new(),
                room: Notify::new(),
            }),
        }
    }

    /// Queues one frame's bytes. Never blocks and never grows memory past the budget: when the
    /// client is not reading and the queue would exceed the budget, the frame is dropped and this
    /// returns false (the caller then repaints fully on its next frame). Also false once the
    /// session has ended. An empty frame is accepted and ignored.
    pub fn try_send(&self, bytes: Vec<u8>) -> bool {
        if bytes.is_empty() {
            return !self.is_closed();
        }
        let mut st = self.lock();
        if st.sealed || st.gone || st.queued + bytes.len() > self.inner.budget {
            return false;
        }
        self.push(&mut st, bytes);
        true
    }

    /// Queues bytes that must arrive (the goodbye line, the terminal reset), waiting up to
    /// `timeout` for room. A message larger than the whole budget is queued once the queue is
    /// empty. Returns false if it could not be queued in time or the session has ended.
    pub async fn send(&self, bytes: Vec<u8>, timeout: Duration) -> bool {
        if bytes.is_empty() {
            return !self.is_closed();
        }
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            // Registered before looking at the queue, so room freed in between still wakes us.
            let room = self.inner.room.notified();
            tokio::pin!(room);
            room.as_mut().enable();
            {
                let mut st = self.lock();
                if st.sealed || st.gone {
                    return false;
                }
                if st.queued == 0 || st.queued + bytes.len() <= self.inner.budget {
                    self.push(&mut st, bytes);
                    return true;
                }
            }
            if tokio::time::timeout_at(deadline, room).await.is_err() {
                return false;
            }
        }
    }

    /// An output no SSH channel drains, for testing what a console sends: [`Output::drain`]
    /// takes what is queued, as a client that reads would; not draining is a client that stopped.
    pub fn detached(budget: usize) -> Self {
        Self::new(budget)
    }

    /// Takes every queued byte, freeing the budget (see [`Output::detached`]).
    pub fn drain(&self) -> Vec<u8> {
        let mut st = self.lock();
        let bytes: Vec<u8> = st.frames.drain(..).flatten().collect();
        st.queued = st.queued.saturating_sub(bytes.len());
        drop(st);
        self.inner.room.notify_waiters();
        bytes
    }

    /// Bytes queued and not yet handed to the SSH channel; never more than [`Output::budget`]
    /// through `try_send`.
    pub fn queued_bytes(&self) -> usize {
        self.lock().queued
    }

    /// The per-session budget (`Config::output_budget`).
    pub fn budget(&self) -> usize {
        self.inner.budget
    }

    /// True once the session has ended or the client is gone: further output is discarded.
    pub fn is_closed(&self) -> bool {
        let st = self.lock();
        st.sealed || st.gone
    }

    fn push(&self, st: &mut State, bytes: Vec<u8>) {
        st.queued += bytes.len();
        st.frames.push_back(bytes);
        self.inner.frames_ready.notify_one();
    }

    /// The console has returned: its clones can no longer queue anything. The writer still
    /// drains what is queued.
    pub(crate) fn seal(&self) {
        self.lock().sealed = true;
        self.inner.frames_ready.notify_one();
        self.inner.room.notify_waiters();
    }

    /// Queues one of the server's own closing lines after the console's frames, budget or not
    /// (they are a few dozen bytes).
    pub(crate) fn push_final(&self, bytes: &[u8]) {
        let mut st = self.lock();
        if !st.gone {
            self.push(&mut st, bytes.to_vec());
        }
    }

    /// The channel can take no more: drop everything queued and refuse what comes.
    pub(crate) fn mark_gone(&self) {
        let mut st = self.lock();
        st.gone = true;
        st.frames.clear();
        st.queued = 0;
        drop(st);
        self.inner.frames_ready.notify_one();
        self.inner.room.notify_waiters();
    }

    /// The next frame for the writer; `None` once the queue is sealed and empty, or gone. The
    /// frame's bytes stay counted until [`Output::written`].
    async fn next_frame(&self) -> Option<Vec<u8>> {
        loop {
            {
                let mut st = self.lock();
                if st.gone {
                    return None;
                }
                if let Some(frame) = st.frames.pop_front() {
                    return Some(frame);
                }
                if st.sealed {
                    return None;
                }
            }
            // notify_one keeps a permit when nobody waits, so a frame pushed between the check
            // above and this await is not missed.
            self.inner.frames_ready.notified().await;
        }
    }

    fn written(&self, len: usize) {
        let mut st = self.lock();
        st.queued = st.queued.saturating_sub(len);
        drop(st);
        self.inner.room.notify_waiters();
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Every critical section leaves the state consistent, so a poisoned lock is usable.
        self.inner.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The session's writer: moves frames from `output` to the channel. `ChannelWriteHalf` waits
/// for the client's SSH window, so a client that stops reading stalls this task (and so fills
/// the budget) instead of growing buffers inside russh. Returns when the queue is sealed and
/// drained, or the channel fails.
pub(crate) async fn pump(output: Output, channel: Arc<ChannelWriteHalf<Msg>>) {
    while let Some(frame) = output.next_frame().await {
        let len = frame.len();
        let sent = channel.data_bytes(frame).await;
        output.written(len);
        if sent.is_err() {
            output.mark_gone();
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn try_send_refuses_past_the_budget_and_keeps_the_count() {
        let out = Output::new(10);
        assert!(out.try_send(vec![b'a'; 6]));
        assert!(!out.try_send(vec![b'b'; 5]), "6 + 5 > 10");
        assert!(out.try_send(vec![b'c'; 4]), "6 + 4 = 10 fits exactly");
        assert_eq!(out.queued_bytes(), 10);
        assert!(!out.try_send(vec![b'd'; 1]));
        assert!(
            !out.try_send(vec![b'e'; 11]),
            "larger than the whole budget"
        );
        assert_eq!(out.queued_bytes(), 10);
    }

    #[tokio::test]
    async fn the_writer_side_frees_room_in_order() {
        let out = Output::new(10);
        assert!(out.try_send(b"12345".to_vec()));
        assert!(out.try_send(b"67890".to_vec()));
        let f = out.next_frame().await.expect("frame");
        assert_eq!(f, b"12345");
        assert_eq!(out.queued_bytes(), 10, "in flight still counts");
        out.written(f.len());
        assert_eq!(out.queued_bytes(), 5);
        assert!(out.try_send(b"abcde".to_vec()));
        assert_eq!(out.next_frame().await.expect("frame"), b"67890");
        assert_eq!(out.next_frame().await.expect("frame"), b"abcde");
    }

    #[tokio::test]
    async fn send_waits_for_room_and_gives_up_at_its_timeout() {
        let out = Output::new(10);
        assert!(out.try_send(vec![0; 10]));
        let start = tokio::time::Instant::now();
        assert!(!out.send(b"bye".to_vec(), Duration::from_millis(50)).await);
        assert!(start.elapsed() >= Duration::from_millis(50));

        let writer = out.clone();
        let freer = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            let f = writer.next_frame().await.expect("frame");
            writer.written(f.len());
        });
        assert!(out.send(b"bye".to_vec(), Duration::from_secs(5)).await);
        freer.await.expect("freer");
        assert_eq!(out.queued_bytes(), 3);
    }

    #[tokio::test]
    async fn send_of_an_oversized_message_goes_once_the_queue_is_empty() {
        let out = Output::new(4);
        assert!(
            out.send(b"longer than four".to_vec(), Duration::from_millis(10))
                .await
        );
        assert!(
            !out.send(b"again, too long".to_vec(), Duration::from_millis(10))
                .await
        );
    }

    #[tokio::test]
    async fn sealing_refuses_the_console_but_drains_and_lets_final_lines_through() {
        let out = Output::new(100);
        assert!(out.try_send(b"frame".to_vec()));
        out.seal();
        assert!(!out.try_send(b"late".to_vec()));
        assert!(!out.send(b"late".to_vec(), Duration::from_millis(10)).await);
        assert!(out.is_closed());
        out.push_final(b"bye");
        assert_eq!(out.next_frame().await.expect("frame"), b"frame");
        assert_eq!(out.next_frame().await.expect("frame"), b"bye");
        assert_eq!(out.next_frame().await, None);
    }

    #[tokio::test]
    async fn gone_drops_everything_and_wakes_waiting_senders() {
        let out = Output::new(4);
        assert!(out.try_send(vec![0; 4]));
        let waiter = out.clone();
        let blocked =
            tokio::spawn(async move { waiter.send(b"x".to_vec(), Duration::from_secs(30)).await });
        tokio::time::sleep(Duration::from_millis(10)).await;
        out.mark_gone();
        let r = tokio::time::timeout(Duration::from_secs(1), blocked)
            .await
            .expect("woken promptly")
            .expect("task");
        assert!(!r);
        assert_eq!(out.queued_bytes(), 0);
        assert_eq!(out.next_frame().await, None);
        out.push_final(b"bye");
        assert_eq!(out.queued_bytes(), 0);
    }
}
