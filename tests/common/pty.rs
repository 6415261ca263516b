//! Driving the real binary in a pseudo-terminal and reading its screen through a VT100 parser.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

pub struct Console {
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
}

impl Console {
    pub fn spawn(cmd: CommandBuilder, cols: u16, rows: u16) -> Console {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (p, r) = (parser.clone(), raw.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                p.lock().unwrap().process(&buf[..n]);
                r.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Console {
            master: pair.master,
            writer,
            child,
            parser,
            raw,
        }
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    pub fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Types text one key at a time, as a person does, so every keystroke is its own event.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.send(&c.to_string());
            std::thread::sleep(Duration::from_millis(15));
        }
    }

    pub fn wait_for(&self, what: &str, timeout: Duration) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(what) {
                return screen;
            }
            if start.elapsed() > timeout {
                panic!("timed out waiting for {what:?}; screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn wait_gone(&self, what: &str, timeout: Duration) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if !screen.contains(what) {
                return screen;
            }
            if start.elapsed() > timeout {
                panic!("timed out waiting for {what:?} to go; screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn resize(&self, cols: u16, rows: u16) {
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        self.parser
            .lock()
            .unwrap()
            .screen_mut()
            .set_size(rows, cols);
    }

    /// Kills the process at once (a client that vanishes mid-frame).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Waits for the process to end and returns its exit status and everything it wrote.
    pub fn finish(mut self, timeout: Duration) -> (portable_pty::ExitStatus, Vec<u8>) {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                std::thread::sleep(Duration::from_millis(100));
                let raw = self.raw.lock().unwrap().clone();
                return (status, raw);
            }
            if start.elapsed() > timeout {
                let _ = self.child.kill();
                panic!("the console did not exit; screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// The terminal was given back: raw output ends after leaving the alternate screen with the cursor shown.
pub fn assert_restored(raw: &[u8]) {
    let text = String::from_utf8_lossy(raw);
    let leave = text
        .rfind("\u{1b}[?1049l")
        .expect("left the alternate screen");
    let show = text.rfind("\u{1b}[?25h").expect("showed the cursor");
    let enter = text
        .rfind("\u{1b}[?1049h")
        .expect("entered the alternate screen");
    assert!(
        leave > enter && show > enter,
        "restore came after the last enter"
    );
    assert!(
        text.contains("\u{1b}[?1000l") || text.contains("\u{1b}[?1006l"),
        "mouse capture turned off"
    );
    assert_title_restored(raw);
}

/// xterm's title stack: `CSI 22;0 t` saves the shell's title, `CSI 23;0 t` puts it back.
pub const PUSH_TITLE: &str = "\u{1b}[22;0t";
pub const POP_TITLE: &str = "\u{1b}[23;0t";

/// Every window title the console set (OSC 0 or OSC 2), in order.
pub fn osc_titles(raw: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(raw);
    let mut titles = Vec::new();
    let mut rest: &str = &text;
    while let Some(at) = rest.find("\u{1b}]") {
        let after = &rest[at + 2..];
        let Some(body) = after
            .strip_prefix("0;")
            .or_else(|| after.strip_prefix("2;"))
        else {
            rest = after;
            continue;
        };
        let end = body.find(['\u{7}', '\u{1b}']).unwrap_or(body.len());
        titles.push(body[..end].to_string());
        rest = &body[end..];
    }
    titles
}

/// The shell's title was saved before the console set its own and put back after the last one.
pub fn assert_title_restored(raw: &[u8]) {
    let text = String::from_utf8_lossy(raw);
    let push = text.find(PUSH_TITLE).expect("saved the title on start");
    let pop = text.rfind(POP_TITLE).expect("restored the title on exit");
    let first_title = text.find("\u{1b}]0;").or_else(|| text.find("\u{1b}]2;"));
    let last_title = text.rfind("\u{1b}]0;").max(text.rfind("\u{1b}]2;"));
    if let (Some(first), Some(last)) = (first_title, last_title) {
        assert!(
            push < first,
            "the title was saved before the first one was set"
        );
        assert!(
            pop > last,
            "the title was restored after the last one was set"
        );
    }
    assert_eq!(
        text.matches(PUSH_TITLE).count(),
        text.matches(POP_TITLE).count(),
        "one restore per save, so a title the shell saved earlier stays on its stack"
    );
}

/// The real binary on the sandbox's database, with a private home (data, config, state) so no
/// test reads or writes the developer's files. `args` go before the (console) command.
pub fn patron_in(s: &super::cli::Sandbox, args: &[&str], env: &[(&str, &str)]) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_patron"));
    let home = s.dir.path();
    cmd.env("HOME", home);
    cmd.env("XDG_DATA_HOME", home.join("data"));
    cmd.env("XDG_CONFIG_HOME", home.join("config"));
    cmd.env("XDG_STATE_HOME", home.join("state"));
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("PATRON_DATABASE_URL");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.args(["--database-url", &s.db_url()]);
    cmd.args(args);
    cmd
}
