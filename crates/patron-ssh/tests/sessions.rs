//! Session channels: no PTY, panics, idle timeout, the session limit, shutdown.

mod common;

use std::time::{Duration, Instant};

use common::*;

const NEEDS_TERMINAL: &str = "patron needs a terminal: connect with ssh -t\r\n";
const FAILED: &str =
    "\r\npatron: this session failed and was closed; the error is in the server log\r\n";

#[tokio::test]
async fn shell_or_exec_without_a_pty_gets_one_line_and_exit_status_1() {
    let alice = new_key();
    let (host, mut ended) = TestHost::new(&[&alice]);
    let server = TestServer::start(config(), host, Duration::from_secs(1)).await;
    let handle = login(server.addr, &alice).await;

    let mut term = Term::open(&handle, false).await;
    term.expect_close(STEP).await;
    assert_eq!(term.text(), NEEDS_TERMINAL);
    assert_eq!(term.exit_status, Some(1));

    let channel = handle.channel_open_session().await.expect("open");
    channel.exec(true, "ls").await.expect("exec");
    let mut exec = Term {
        channel,
        received: Vec::new(),
        exit_status: None,
        closed: false,
    };
    exec.expect_close(STEP).await;
    assert_eq!(exec.text(), NEEDS_TERMINAL);
    assert_eq!(exec.exit_status, Some(1));

    // No console ran, so nothing ended.
    assert!(ended.try_recv().is_err());
    // The connection is still usable for a proper session.
    let mut ok = Term::open(&handle, true).await;
    ok.expect("ready xterm 80x24", STEP).await;
}

#[tokio::test]
async fn a_panicking_console_ends_only_its_own_session() {
    let (logs, _guard) = Logs::capture();
    let alice = new_key();
    let (host, mut ended) = TestHost::new(&[&alice]);
    let server = TestServer::start(config(), host, Duration::from_secs(1)).await;

    let h1 = login(server.addr, &alice).await;
    let h2 = login(server.addr, &alice).await;
    let mut t1 = Term::open(&h1, true).await;
    let mut t2 = Term::open(&h2, true).await;
    t1.expect("ready", STEP).await;
    t2.expect("ready", STEP).await;
    let before = t1.text();

    t1.send(b"panic").await;
    t1.expect_close(STEP).await;
    assert_eq!(
        t1.text(),
        format!("{before}{FAILED}"),
        "the failure line, nothing else"
    );
    assert_eq!(t1.exit_status, Some(1));
    let e = next_ended(&mut ended).await;
    assert!(e.panicked);

    let panics = logs.lines_with("the console panicked");
    assert_eq!(panics.len(), 1, "{}", logs.text());
    assert!(panics[0].contains("ERROR"), "{}", panics[0]);
    assert!(panics[0].contains("console exploded"), "{}", panics[0]);

    // The other session and the server carry on.
    t2.send(b"still here").await;
    t2.expect("echo:still here\r\n", STEP).await;
    let h3 = login(server.addr, &alice).await;
    let mut t3 = Term::open(&h3, true).await;
    t3.expect("ready", STEP).await;
}

#[tokio::test]
async fn input_faster_than_the_console_waits_in_a_bounded_queue_and_nothing_is_lost() {
    let alice = new_key();
    let (host, _ended) = TestHost::new(&[&alice]);
    let server = TestServer::start(config(), host, Duration::from_secs(1)).await;
    let handle = login(server.addr, &alice).await;
    let mut term = Term::open(&handle, true).await;
    term.expect("ready", STEP).await;
    let before = term.text();

    // While the console sleeps, 1000 messages arrive: 256 wait in its queue, the rest are held
    // back by flow control (the connection stops reading) rather than dropped or buffered.
    term.send(b"hold").await;
    for i in 0..1000 {
        term.send(format!("k{i}").as_bytes()).await;
    }
    term.expect("echo:k999\r\n", STEP).await;
    let mut want = format!("{before}queued 256\r\n");
    for i in 0..1000 {
        want.push_str(&format!("echo:k{i}\r\n"));
    }
    assert_eq!(term.text(), want);

    // A big paste reaches the console in pieces of at most 4 KiB.
    term.send(b"sizes").await;
    term.send(&[b'a'; 20_000]).await;
    term.expect("len 3616\r\n", STEP).await;
    assert!(
        term.text()
            .ends_with("len 4096\r\nlen 4096\r\nlen 4096\r\nlen 4096\r\nlen 3616\r\n"),
        "{:?}",
        term.text()
    );
}

#[tokio::test]
async fn an_idle_session_is_closed_with_a_message_but_typing_keeps_it_open() {
    let alice = new_key();
    let (host, mut ended) = TestHost::new(&[&alice]);
    let cfg = patron_ssh::Config {
        idle_timeout: Duration::from_millis(300),
        ..config()
    };
    let server = TestServer::start(cfg, host, Duration::from_secs(1)).await;
    let handle = login(server.addr, &alice).await;
    let mut term = Term::open(&handle, true).await;
    term.expect("ready", STEP).await;

    // Input every 100 ms for 700 ms: longer than the timeout, but never idle that long.
    for i in 0..7 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        term.send(format!("k{i}").as_bytes()).await;
    }
    term.expect("echo:k6\r\n", STEP).await;
    assert!(!term.closed);
    let typed = term.text();

    let quiet_since = Instant::now();
    term.expect_close(STEP).await;
    let waited = quiet_since.elapsed();
    assert!(
        waited >= Duration::from_millis(250),
        "closed after {waited:?}"
    );
    // The console saw its input close without the shutdown flag, then the idle line came.
    assert_eq!(
        term.text(),
        format!(
            "{typed}input closed shutdown=false\r\n\r\npatron: idle for 300 milliseconds, disconnected\r\n"
        )
    );
    assert_eq!(term.exit_status, Some(0));
    assert!(!next_ended(&mut ended).await.panicked);
}

#[tokio::test]
async fn sessions_beyond_the_limit_are_refused_until_one_ends() {
    let alice = new_key();
    let (host, mut ended) = TestHost::new(&[&alice]);
    let cfg = patron_ssh::Config {
        max_sessions: 1,
        ..config()
    };
    let server = TestServer::start(cfg, host, Duration::from_secs(1)).await;

    let h1 = login(server.addr, &alice).await;
    let mut t1 = Term::open(&h1, true).await;
    t1.expect("ready", STEP).await;

    let h2 = login(server.addr, &alice).await;
    let mut t2 = Term::open(&h2, true).await;
    t2.expect_close(STEP).await;
    assert_eq!(
        t2.text(),
        "patron: too many sessions (1), try again later\r\n"
    );
    assert_eq!(t2.exit_status, Some(1));

    t1.channel.eof().await.expect("eof");
    t1.expect_close(STEP).await;
    next_ended(&mut ended).await;
    let mut t3 = Term::open(&h2, true).await;
    t3.expect("ready", STEP).await;
}

#[tokio::test]
async fn shutdown_lets_every_console_say_goodbye_then_closes_and_returns() {
    let alice = new_key();
    let (host, mut ended) = TestHost::new(&[&alice]);
    let mut server = TestServer::start(config(), host, Duration::from_secs(3)).await;

    let h1 = login(server.addr, &alice).await;
    let h2 = login(server.addr, &alice).await;
    let mut t1 = Term::open(&h1, true).await;
    let mut t2 = Term::open(&h2, true).await;
    t1.expect("ready", STEP).await;
    t2.expect("ready", STEP).await;
    let (b1, b2) = (t1.text(), t2.text());

    let asked = Instant::now();
    server.stop();
    t1.expect_close(STEP).await;
    t2.expect_close(STEP).await;
    assert_eq!(t1.text(), format!("{b1}bye\r\n"));
    assert_eq!(t2.text(), format!("{b2}bye\r\n"));
    assert_eq!(t1.exit_status, Some(0));
    assert_eq!(t2.exit_status, Some(0));
    tokio::time::timeout(STEP, &mut server.task)
        .await
        .expect("serve returns")
        .expect("task")
        .expect("serve ok");
    assert!(
        asked.elapsed() < Duration::from_secs(3),
        "did not wait out the grace: {:?}",
        asked.elapsed()
    );
    assert!(!next_ended(&mut ended).await.panicked);
    assert!(!next_ended(&mut ended).await.panicked);
    // Both clients were disconnected, and the listener is gone.
    for h in [&h1, &h2] {
        let closed = tokio::time::timeout(STEP, async {
            while !h.is_closed() {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
        .await;
        assert!(closed.is_ok(), "client still connected");
    }
    assert!(tokio::net::TcpStream::connect(server.addr).await.is_err());
}

#[tokio::test]
async fn a_console_that_ignores_shutdown_is_aborted_after_the_grace_period() {
    let alice = new_key();
    let (host, mut ended) = TestHost::new(&[&alice]);
    let grace = Duration::from_millis(300);
    let mut server = TestServer::start(config(), host, grace).await;

    let h = login(server.addr, &alice).await;
    let mut t = Term::open(&h, true).await;
    t.expect("ready", STEP).await;
    t.send(b"stubborn").await;
    t.expect("stubborn\r\n", STEP).await;

    let asked = Instant::now();
    server.stop();
    t.expect_close(STEP).await;
    assert!(
        asked.elapsed() >= grace,
        "closed before the grace: {:?}",
        asked.elapsed()
    );
    assert!(!t.text().contains("bye"));
    assert_eq!(t.exit_status, None, "an aborted console has no exit status");
    tokio::time::timeout(STEP, &mut server.task)
        .await
        .expect("serve returns")
        .expect("task")
        .expect("serve ok");
    assert!(!next_ended(&mut ended).await.panicked);
}
