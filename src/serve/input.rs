//! An SSH session's input: the client's bytes and window changes become the same terminal
//! events the local console reads from crossterm.

use std::time::Duration;

use crossterm::event::Event;
use futures::Stream;
use patron_keys::Parser;
use patron_ssh::Input;
use tokio::sync::mpsc;

/// How long a lone ESC waits for the rest of a sequence before it is the Esc key. Terminals send
/// a sequence in one write, so this only delays a real Esc, by less than a frame.
const ESC_WAIT: Duration = Duration::from_millis(30);

/// The session's events; the stream ends when the client goes away (or idles out).
pub fn events(
    mut input: mpsc::Receiver<Input>,
) -> impl Stream<Item = std::io::Result<Event>> + Unpin {
    let (tx, mut rx) = mpsc::channel::<Event>(256);
    tokio::spawn(async move {
        let mut parser = Parser::new();
        loop {
            let next = if parser.has_pending() {
                tokio::time::timeout(ESC_WAIT, input.recv()).await
            } else {
                Ok(input.recv().await)
            };
            let events = match next {
                Ok(Some(Input::Data(bytes))) => parser.feed(&bytes),
                Ok(Some(Input::Resize { cols, rows })) => vec![Event::Resize(cols, rows)],
                Ok(None) => break,
                Err(_) => parser.flush_pending(),
            };
            for e in events {
                if tx.send(e).await.is_err() {
                    return;
                }
            }
        }
    });
    futures::stream::poll_fn(move |cx| rx.poll_recv(cx).map(|e| e.map(Ok)))
}
