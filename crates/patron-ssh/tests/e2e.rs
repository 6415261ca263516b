//! End to end with russh's own client: key login, PTY, shell, echo, resize, unknown key.

mod common;

use std::time::Duration;

use common::*;

#[tokio::test]
async fn a_known_key_gets_a_console_that_echoes_and_follows_resizes() {
    let alice = new_key();
    let (host, mut ended) = TestHost::new(&[&alice]);
    let mut server = TestServer::start(config(), host.clone(), Duration::from_secs(2)).await;

    let handle = login(server.addr, &alice).await;
    let mut term = Term::open(&handle, true).await;
    let fp = key_info(&alice).fingerprint;
    term.expect(&format!("ready xterm 80x24 {fp}\r\n"), STEP)
        .await;

    term.send(b"hello").await;
    term.expect("echo:hello\r\n", STEP).await;

    term.channel
        .window_change(100, 30, 0, 0)
        .await
        .expect("window-change");
    term.expect("size 100x30\r\n", STEP).await;
    assert_eq!(
        term.text(),
        format!("ready xterm 80x24 {fp}\r\necho:hello\r\nsize 100x30\r\n"),
        "exactly these bytes, in order"
    );

    // A second client with a key the host does not know is refused, and the host was asked.
    let stranger = new_key();
    let calls = host.auth_calls();
    let mut other = connect(server.addr).await;
    assert!(!try_key(&mut other, &stranger).await.success());
    assert_eq!(host.auth_calls(), calls + 1);

    // EOF from the client closes the console's input; the console says so and returns, and the
    // session ends normally with exit-status 0.
    term.channel.eof().await.expect("eof");
    term.expect("input closed shutdown=false\r\n", STEP).await;
    term.expect_close(STEP).await;
    assert_eq!(term.exit_status, Some(0));
    let e = next_ended(&mut ended).await;
    assert_eq!(e.who, "alice");
    assert_eq!(e.fingerprint, fp);
    assert!(!e.panicked);

    server.stop();
    tokio::time::timeout(STEP, &mut server.task)
        .await
        .expect("serve returns")
        .expect("task")
        .expect("serve ok");
}

#[tokio::test]
async fn a_client_that_disconnects_ends_its_session_and_it_is_reported() {
    let alice = new_key();
    let (host, mut ended) = TestHost::new(&[&alice]);
    let server = TestServer::start(config(), host, Duration::from_secs(2)).await;

    let handle = login(server.addr, &alice).await;
    let mut term = Term::open(&handle, true).await;
    term.expect("ready", STEP).await;
    drop(term);
    handle
        .disconnect(patron_ssh::russh::Disconnect::ByApplication, "", "")
        .await
        .expect("disconnect");
    drop(handle);
    let e = next_ended(&mut ended).await;
    assert!(!e.panicked);
    assert_eq!(e.who, "alice");
}
