//! A real SMTP server for the email tests: `tests/support/smtp_sink.py` (aiosmtpd) on a free
//! loopback port, saving what it accepts to a folder and refusing recipients that match a
//! pattern with 550.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The pattern of recipients the sink refuses with 550 unless told otherwise.
pub const REJECT: &str = "^reject";

pub struct Sink {
    pub port: u16,
    pub dir: tempfile::TempDir,
    reject: String,
    child: Option<Child>,
}

/// One accepted message: its envelope recipients and the raw message.
#[derive(Debug, Clone)]
pub struct Received {
    pub rcpt: Vec<String>,
    pub raw: String,
}

/// A loopback port nobody listens on (right now).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/support/smtp_sink.py")
}

impl Sink {
    pub fn start() -> Sink {
        Sink::on(free_port())
    }

    /// A sink that will listen on `port` once `resume` is called: a mail server that is down.
    pub fn down(port: u16) -> Sink {
        Sink {
            port,
            dir: tempfile::tempdir().unwrap(),
            reject: REJECT.into(),
            child: None,
        }
    }

    pub fn on(port: u16) -> Sink {
        let mut s = Sink::down(port);
        s.resume();
        s
    }

    pub fn resume(&mut self) {
        assert!(self.child.is_none(), "the sink is already running");
        let mut child = Command::new("python3")
            .arg(script())
            .args(["--port", &self.port.to_string()])
            .arg("--dir")
            .arg(self.dir.path())
            .args(["--reject", &self.reject])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("python3 runs the SMTP sink");
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                break;
            }
            if let Ok(Some(status)) = child.try_wait() {
                let mut err = String::new();
                if let Some(mut e) = child.stderr.take() {
                    use std::io::Read;
                    let _ = e.read_to_string(&mut err);
                }
                panic!(
                    "the SMTP sink exited ({status}); is aiosmtpd installed (pip install aiosmtpd)?\n{err}"
                );
            }
            assert!(
                Instant::now() < deadline,
                "the SMTP sink did not listen on port {} in time",
                self.port
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        self.child = Some(child);
    }

    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message accepted so far, in arrival order.
    pub fn received(&self) -> Vec<Received> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        names.sort();
        names
            .into_iter()
            .map(|eml| {
                let rcpt = std::fs::read_to_string(eml.with_extension("rcpt")).unwrap_or_default();
                Received {
                    rcpt: rcpt.lines().map(str::to_string).collect(),
                    raw: std::fs::read_to_string(&eml).unwrap(),
                }
            })
            .collect()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        self.stop();
    }
}
