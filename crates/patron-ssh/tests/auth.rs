//! Authentication: public keys only, refusals logged, the per-IP failure limit.

mod common;

use std::time::Duration;

use common::*;
use patron_ssh::russh::client::AuthResult;
use patron_ssh::russh::{MethodKind, MethodSet};

fn publickey_only() -> MethodSet {
    let mut m = MethodSet::empty();
    m.push(MethodKind::PublicKey);
    m
}

fn assert_refused_with_keys_only(r: AuthResult, what: &str) {
    match r {
        AuthResult::Success => panic!("{what} was accepted"),
        AuthResult::Failure {
            remaining_methods,
            partial_success,
        } => {
            assert_eq!(
                remaining_methods.to_vec(),
                publickey_only().to_vec(),
                "{what}"
            );
            assert!(!partial_success, "{what}");
        }
    }
}

#[tokio::test]
async fn only_public_keys_can_log_in() {
    let alice = new_key();
    let (host, _ended) = TestHost::new(&[&alice]);
    let server = TestServer::start(config(), host.clone(), Duration::from_secs(1)).await;

    let mut h = connect(server.addr).await;
    assert_refused_with_keys_only(h.authenticate_none("alice").await.expect("none"), "none");
    assert_refused_with_keys_only(
        h.authenticate_password("alice", "hunter2")
            .await
            .expect("password"),
        "password",
    );
    let ki = h
        .authenticate_keyboard_interactive_start("alice", None)
        .await
        .expect("keyboard-interactive");
    assert!(
        matches!(
            ki,
            patron_ssh::russh::client::KeyboardInteractiveAuthResponse::Failure { .. }
        ),
        "keyboard-interactive: {ki:?}"
    );
    assert_eq!(
        host.auth_calls(),
        0,
        "the Host is never asked about non-key methods"
    );
    // The same connection can still log in with the right key.
    assert!(try_key(&mut h, &alice).await.success());
}

#[tokio::test]
async fn an_unknown_key_is_refused_and_logged_with_its_fingerprint_and_the_peer() {
    let (logs, _guard) = Logs::capture();
    let alice = new_key();
    let stranger = new_key();
    let (host, _ended) = TestHost::new(&[&alice]);
    let server = TestServer::start(config(), host.clone(), Duration::from_secs(1)).await;

    let (mut h, local) = connect_from("127.0.0.1", server.addr).await;
    assert!(!try_key(&mut h, &stranger).await.success());
    assert_eq!(host.auth_calls(), 1);

    let fp = key_info(&stranger).fingerprint;
    let lines = logs.lines_with("SSH key refused");
    assert_eq!(lines.len(), 1, "one refusal logged: {}", logs.text());
    let line = &lines[0];
    assert!(line.contains(" WARN "), "{line}");
    assert!(line.contains(&fp), "names the fingerprint: {line}");
    assert!(
        line.contains(&format!("peer={local}")),
        "names the peer {local}: {line}"
    );
}

#[tokio::test]
async fn too_many_failures_from_one_address_block_it_without_checking() {
    let (logs, _guard) = Logs::capture();
    let alice = new_key();
    let stranger = new_key();
    let (host, _ended) = TestHost::new(&[&alice]);
    let cfg = patron_ssh::Config {
        auth_failures_per_minute: 3,
        ..config()
    };
    let server = TestServer::start(cfg, host.clone(), Duration::from_secs(1)).await;

    // Three failures: two on one connection, one on another.
    let mut h = connect(server.addr).await;
    assert!(!try_key(&mut h, &stranger).await.success());
    assert!(!try_key(&mut h, &stranger).await.success());
    let mut h2 = connect(server.addr).await;
    assert!(!try_key(&mut h2, &stranger).await.success());
    assert_eq!(host.auth_calls(), 3);

    // Now even the right key is refused, without the Host being asked.
    assert!(!try_key(&mut h2, &alice).await.success());
    let mut h3 = connect(server.addr).await;
    assert!(!try_key(&mut h3, &alice).await.success());
    assert!(!try_key(&mut h3, &stranger).await.success());
    assert_eq!(host.auth_calls(), 3, "blocked attempts are not checked");
    let blocks = logs.lines_with("too many refused SSH keys from 127.0.0.1");
    assert_eq!(blocks.len(), 1, "the block is logged once: {}", logs.text());
    assert!(blocks[0].contains(" WARN "), "{}", blocks[0]);

    // Another address is not affected.
    let (mut other, _) = connect_from("127.0.0.2", server.addr).await;
    assert!(try_key(&mut other, &alice).await.success());
    assert_eq!(host.auth_calls(), 4);
}
