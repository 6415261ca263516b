//! The event loop: terminal events, effect results and ticks become actions; effects go to the runtime.
//! It never awaits the database: the only awaits are on the next event.

use std::path::PathBuf;
use std::time::Duration;

use chrono::Utc;
use color_eyre::eyre::{Result, WrapErr};
use crossterm::event::{Event, EventStream, KeyEventKind, MouseButton, MouseEventKind};
use futures::{FutureExt, StreamExt};
use tokio::sync::mpsc;

use super::terminal::{Guard, install_panic_hook};
use crate::app::action::{Action, Mouse};
use crate::app::effect::Effect;
use crate::app::state::State;
use crate::app::update::{init, update};
use crate::input::{Key, Keymap};
use crate::runtime::Runtime;
use crate::store::DynStore;

pub struct Options {
    pub keymap: Keymap,
    pub database: String,
    pub page_size: i64,
    pub color: bool,
    pub log_path: Option<PathBuf>,
    /// Benchmark probe (PATRON_PROBE_FIRST_FRAME=1): quit after the first frame that shows customers
    /// and report how long the first frame and the first rows took since `started`.
    pub probe: Option<std::time::Instant>,
    /// The acting staff member; `None` makes the console read-only.
    pub staff: Option<crate::store::model::Staff>,
    /// Shown in the footer at start (why the console is read-only).
    pub notice: Option<String>,
    pub rules: patron_domain::review::ReviewRules,
}

/// Terminal events the console reacts to; key releases and focus changes are ignored.
pub fn translate(event: Event) -> Option<Action> {
    match event {
        Event::Key(k) if k.kind != KeyEventKind::Release => Some(Action::Key(Key::from_event(&k))),
        Event::Paste(text) => Some(Action::Paste(text)),
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        Event::Mouse(m) => match m.kind {
            MouseEventKind::ScrollUp => Some(Action::Mouse(Mouse::ScrollUp)),
            MouseEventKind::ScrollDown => Some(Action::Mouse(Mouse::ScrollDown)),
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Mouse(Mouse::Click {
                column: m.column,
                row: m.row,
            })),
            _ => None,
        },
        _ => None,
    }
}

pub async fn console(store: DynStore, opts: Options) -> Result<()> {
    install_panic_hook(opts.log_path.clone());
    let mut guard = Guard::enter().wrap_err("cannot set up the terminal")?;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut runtime = Runtime::new(store, tx);
    runtime.rules = std::sync::Arc::new(opts.rules.clone());
    runtime.load_index();
    runtime.watch_changes();

    let mut state = State::new(opts.keymap, opts.database, Utc::now());
    state.page_size = opts.page_size;
    state.color = opts.color;
    state.staff = opts.staff.clone();
    state.notice = opts.notice.clone();
    if let Ok(size) = guard.terminal.size() {
        state.width = size.width;
        state.height = size.height;
    }
    let mut effects = init(&mut state);
    let mut events = EventStream::new();
    let mut tick = tokio::time::interval(Duration::from_millis(500));
    let mut first_frame = None;
    let mut effects_after = Vec::new();
    loop {
        effects.append(&mut effects_after);
        for e in effects.drain(..) {
            match e {
                Effect::SetTitle(t) => guard.set_title(&t),
                Effect::SaveDraft {
                    customer,
                    note,
                    body,
                } => {
                    let written = write_draft(&drafts_dir(), customer, note, &body);
                    effects_after.extend(update(&mut state, Action::DraftWritten(written)));
                }
                Effect::LoadDraft { customer, note } => {
                    let draft = read_draft(&drafts_dir(), customer, note);
                    let loaded = Action::DraftLoaded {
                        customer,
                        note,
                        draft,
                    };
                    effects_after.extend(update(&mut state, loaded));
                }
                Effect::DiscardDraft { customer, note } => {
                    discard_draft(&drafts_dir(), customer, note)
                }
                other => runtime.execute(other),
            }
        }
        if state.quit {
            break;
        }
        guard
            .terminal
            .draw(|f| crate::ui::render(f, &state))
            .wrap_err("cannot draw")?;
        // Fault injection for the end-to-end test that a crash gives the terminal back and logs the report.
        if std::env::var_os("PATRON_TEST_PANIC").is_some() && !state.list.rows.is_empty() {
            panic!("PATRON_TEST_PANIC was set");
        }
        if let Some(started) = opts.probe {
            first_frame.get_or_insert_with(|| started.elapsed());
            if !state.list.rows.is_empty() {
                let rows = started.elapsed();
                drop(guard);
                eprintln!(
                    "first frame: {:.1} ms; first rows drawn: {:.1} ms",
                    ms(first_frame),
                    ms(Some(rows))
                );
                return Ok(());
            }
        }
        let action = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(ev)) => translate(ev),
                Some(Err(e)) => return Err(e).wrap_err("terminal input failed"),
                None => break,
            },
            Some(a) = rx.recv() => Some(a),
            _ = tick.tick() => Some(Action::Tick(Utc::now())),
        };
        if let Some(a) = action {
            effects.extend(update(&mut state, a));
        }
        // Everything already waiting is applied before the next frame: one draw per batch.
        while let Ok(a) = rx.try_recv() {
            effects.extend(update(&mut state, a));
        }
        while let Some(Some(Ok(ev))) = events.next().now_or_never() {
            if let Some(a) = translate(ev) {
                effects.extend(update(&mut state, a));
            }
        }
    }
    drop(guard);
    Ok(())
}

fn ms(d: Option<Duration>) -> f64 {
    d.map(|d| d.as_secs_f64() * 1000.0).unwrap_or(f64::NAN)
}

fn drafts_dir() -> std::path::PathBuf {
    crate::config::data_dir().join("drafts")
}

/// `$XDG_DATA_HOME/patron/drafts/customer-<id>.txt` (a new note) or
/// `customer-<id>-note-<note>.txt` (an edit): one file per note being written, overwritten by
/// each retry, so failed saves do not pile up files and the editor can find it again.
fn draft_path(dir: &std::path::Path, customer: i64, note: Option<i64>) -> std::path::PathBuf {
    match note {
        None => dir.join(format!("customer-{customer}.txt")),
        Some(n) => dir.join(format!("customer-{customer}-note-{n}.txt")),
    }
}

fn write_draft(
    dir: &std::path::Path,
    customer: i64,
    note: Option<i64>,
    body: &str,
) -> Result<String, String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let path = draft_path(dir, customer, note);
    std::fs::write(&path, body).map_err(|e| e.to_string())?;
    tracing::info!(customer, path = %path.display(), "note draft written");
    Ok(path.display().to_string())
}

/// The kept draft and when it was last written; none when there is no (readable) file.
fn read_draft(
    dir: &std::path::Path,
    customer: i64,
    note: Option<i64>,
) -> Option<(String, chrono::DateTime<Utc>)> {
    let path = draft_path(dir, customer, note);
    let body = std::fs::read_to_string(&path).ok()?;
    let at = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .map(chrono::DateTime::<Utc>::from)
        .unwrap_or_else(|_| Utc::now());
    Some((body, at))
}

fn discard_draft(dir: &std::path::Path, customer: i64, note: Option<i64>) {
    let path = draft_path(dir, customer, note);
    match std::fs::remove_file(&path) {
        Ok(()) => tracing::info!(customer, path = %path.display(), "note draft removed"),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => tracing::warn!(customer, path = %path.display(), "cannot remove draft: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_draft_file_per_note_overwritten_read_back_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("drafts");
        assert_eq!(read_draft(&d, 42, None), None);
        write_draft(&d, 42, None, "first try").unwrap();
        let path = write_draft(&d, 42, None, "second try").unwrap();
        write_draft(&d, 42, Some(7), "an edit of note 7").unwrap();
        let mut files: Vec<String> = std::fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        assert_eq!(files, ["customer-42-note-7.txt", "customer-42.txt"]);
        assert!(path.ends_with("customer-42.txt"), "{path}");
        assert_eq!(read_draft(&d, 42, None).unwrap().0, "second try");
        assert_eq!(read_draft(&d, 42, Some(7)).unwrap().0, "an edit of note 7");
        discard_draft(&d, 42, None);
        discard_draft(&d, 42, None);
        assert_eq!(read_draft(&d, 42, None), None);
        assert!(read_draft(&d, 42, Some(7)).is_some());
    }
}
