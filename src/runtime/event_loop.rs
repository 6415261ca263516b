//! The event loop: terminal events, effect results and ticks become actions; effects go to the runtime.
//! It never awaits the database: the only awaits are on the next event.
//!
//! One loop (`drive`) for every console; what it draws on and reads from is its driver: the
//! local terminal (`console`, below) or an SSH session (`crate::serve`).

use std::path::PathBuf;
use std::time::Duration;

use chrono::Utc;
use color_eyre::eyre::{Result, WrapErr};
use crossterm::event::{Event, EventStream, KeyEventKind, MouseButton, MouseEventKind};
use futures::{FutureExt, Stream, StreamExt};
use tokio::sync::{mpsc, watch};

use super::drafts::{discard_draft, read_draft, write_draft};
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
    /// The admin really at the keyboard when `staff` is someone they act as (`--as`).
    pub real: Option<crate::store::model::Staff>,
    /// Shown in the footer at start (why the console is read-only).
    pub notice: Option<String>,
    pub rules: patron_domain::review::ReviewRules,
    /// `[analytics]`: the refit's horizon and discount, the win-back filter's days.
    pub value: crate::app::analytics::ValueSettings,
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

/// What a console draws on: the local terminal or an SSH session's screen.
pub trait Screen {
    /// The size to start with.
    fn size(&self) -> Option<(u16, u16)>;
    fn draw(&mut self, state: &State) -> Result<()>;
    fn set_title(&mut self, title: &str);
    /// The other side's window changed (the local terminal follows by itself).
    fn resize(&mut self, _width: u16, _height: u16) {}
}

impl Screen for Guard {
    fn size(&self) -> Option<(u16, u16)> {
        self.terminal.size().ok().map(|s| (s.width, s.height))
    }

    fn draw(&mut self, state: &State) -> Result<()> {
        self.terminal
            .draw(|f| crate::ui::render(f, state))
            .wrap_err("cannot draw")?;
        Ok(())
    }

    fn set_title(&mut self, title: &str) {
        Guard::set_title(self, title)
    }
}

/// The console's first state from its options.
pub fn initial_state(opts: &Options, size: Option<(u16, u16)>) -> State {
    let mut state = State::new(opts.keymap.clone(), opts.database.clone(), Utc::now());
    state.page_size = opts.page_size;
    state.color = opts.color;
    state.staff = opts.staff.clone();
    state.real_staff = opts.real.clone();
    state.notice = opts.notice.clone();
    state.value = opts.value;
    if let Some((w, h)) = size {
        state.width = w;
        state.height = h;
    }
    state
}

/// How a console's loop ended.
pub enum Ended {
    /// `kept` drafts were written as the console closed (what the user was typing).
    Quit { kept: usize },
    /// The benchmark probe saw its first rows: (first frame, first rows) since start.
    Probe(Option<Duration>, Duration),
}

/// Everything a console's loop needs besides its state.
pub struct Drive<'a, E, S> {
    pub runtime: &'a Runtime,
    pub actions: mpsc::UnboundedReceiver<Action>,
    pub events: E,
    pub screen: &'a mut S,
    /// Where note drafts are kept.
    pub drafts: PathBuf,
    /// Becomes true when the console must close (server shutdown): drafts are kept, then it ends.
    pub closing: Option<watch::Receiver<bool>>,
    pub probe: Option<std::time::Instant>,
}

/// Runs one console until it quits, its input ends, or it is told to close.
pub async fn drive<E, S>(d: Drive<'_, E, S>, mut state: State) -> Result<Ended>
where
    E: Stream<Item = std::io::Result<Event>> + Unpin,
    S: Screen,
{
    let Drive {
        runtime,
        mut actions,
        mut events,
        screen,
        drafts,
        mut closing,
        probe,
    } = d;
    let mut effects = init(&mut state);
    let mut tick = tokio::time::interval(Duration::from_millis(500));
    let mut first_frame = None;
    let mut effects_after = Vec::new();
    let mut kept = 0;
    loop {
        effects.append(&mut effects_after);
        for e in effects.drain(..) {
            match e {
                Effect::SetTitle(t) => screen.set_title(&t),
                Effect::SaveDraft {
                    customer,
                    note,
                    body,
                } => {
                    let written = write_draft(&drafts, customer, note, &body);
                    if state.quit && written.is_ok() {
                        kept += 1;
                    }
                    effects_after.extend(update(&mut state, Action::DraftWritten(written)));
                }
                Effect::LoadDraft { customer, note } => {
                    let draft = read_draft(&drafts, customer, note);
                    let loaded = Action::DraftLoaded {
                        customer,
                        note,
                        draft,
                    };
                    effects_after.extend(update(&mut state, loaded));
                }
                Effect::DiscardDraft { customer, note } => discard_draft(&drafts, customer, note),
                other => runtime.execute(other),
            }
        }
        if state.quit && effects_after.is_empty() {
            break;
        }
        if state.quit {
            continue;
        }
        screen.draw(&state)?;
        // Fault injection for the end-to-end test that a crash gives the terminal back and logs the report.
        if std::env::var_os("PATRON_TEST_PANIC").is_some() && !state.list.rows.is_empty() {
            panic!("PATRON_TEST_PANIC was set");
        }
        if let Some(started) = probe {
            first_frame.get_or_insert_with(|| started.elapsed());
            if !state.list.rows.is_empty() {
                return Ok(Ended::Probe(first_frame, started.elapsed()));
            }
        }
        let closed = async {
            match closing.as_mut() {
                Some(rx) => {
                    let _ = rx.wait_for(|c| *c).await.map(|_| ());
                }
                None => std::future::pending::<()>().await,
            }
        };
        let action = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(ev)) => {
                    if let Event::Resize(w, h) = ev {
                        screen.resize(w, h);
                    }
                    translate(ev)
                }
                Some(Err(e)) => return Err(e).wrap_err("terminal input failed"),
                None => Some(Action::Closing),
            },
            Some(a) = actions.recv() => Some(a),
            _ = tick.tick() => Some(Action::Tick(Utc::now())),
            _ = closed => {
                closing = None;
                Some(Action::Closing)
            }
        };
        if let Some(a) = action {
            effects.extend(update(&mut state, a));
        }
        // Everything already waiting is applied before the next frame: one draw per batch.
        while let Ok(a) = actions.try_recv() {
            effects.extend(update(&mut state, a));
        }
        while let Some(Some(Ok(ev))) = events.next().now_or_never() {
            if let Event::Resize(w, h) = ev {
                screen.resize(w, h);
            }
            if let Some(a) = translate(ev) {
                effects.extend(update(&mut state, a));
            }
        }
    }
    Ok(Ended::Quit { kept })
}

/// The console on the local terminal.
pub async fn console(store: DynStore, opts: Options) -> Result<()> {
    install_panic_hook(opts.log_path.clone());
    let mut guard = Guard::enter().wrap_err("cannot set up the terminal")?;
    let (tx, actions) = mpsc::unbounded_channel();
    let mut runtime = Runtime::new(store, tx);
    runtime.rules = std::sync::Arc::new(opts.rules.clone());
    runtime.real = opts.real.as_ref().map(|s| s.id);
    runtime.load_index();
    runtime.watch_changes();
    let state = initial_state(&opts, Screen::size(&guard));
    let d = Drive {
        runtime: &runtime,
        actions,
        events: EventStream::new(),
        screen: &mut guard,
        drafts: drafts_dir(),
        closing: None,
        probe: opts.probe,
    };
    let ended = drive(d, state).await?;
    drop(guard);
    if let Ended::Probe(first_frame, rows) = ended {
        eprintln!(
            "first frame: {:.1} ms; first rows drawn: {:.1} ms",
            ms(first_frame),
            ms(Some(rows))
        );
    }
    Ok(())
}

fn ms(d: Option<Duration>) -> f64 {
    d.map(|d| d.as_secs_f64() * 1000.0).unwrap_or(f64::NAN)
}

/// Local consoles keep drafts in `$XDG_DATA_HOME/patron/drafts`.
pub fn drafts_dir() -> PathBuf {
    crate::config::data_dir().join("drafts")
}
