//! The host key file and fingerprints, checked against OpenSSH's ssh-keygen where it is installed.

use std::os::unix::fs::PermissionsExt;
use std::process::Command;

use patron_ssh::{load_or_create_host_key, parse_public_key};

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777
}

fn ssh_keygen_available() -> bool {
    let found = Command::new("ssh-keygen").arg("-?").output().is_ok();
    if !found {
        eprintln!("ssh-keygen not installed: skipping the comparison with OpenSSH");
    }
    found
}

/// `ssh-keygen -lf <file>` → its "SHA256:..." field.
fn keygen_fingerprint(file: &std::path::Path) -> String {
    let out = Command::new("ssh-keygen")
        .arg("-lf")
        .arg(file)
        .output()
        .expect("run ssh-keygen");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf8");
    text.split_whitespace()
        .nth(1)
        .expect("fingerprint field")
        .to_string()
}

#[test]
fn the_first_start_writes_a_private_ed25519_key_and_later_starts_reuse_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("state/ssh/host_key");
    let (key, fp) = load_or_create_host_key(&path).expect("create");
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().expect("dir")), 0o700);
    assert_eq!(key.algorithm().as_str(), "ssh-ed25519");
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(
        text.starts_with("-----BEGIN OPENSSH PRIVATE KEY-----\n"),
        "{text}"
    );
    assert!(fp.starts_with("SHA256:") && !fp.ends_with('='), "{fp}");

    let (again, fp2) = load_or_create_host_key(&path).expect("load");
    assert_eq!(fp2, fp);
    assert_eq!(again.public_key(), key.public_key());
    // No temporary file is left next to it.
    let names: Vec<_> = std::fs::read_dir(path.parent().expect("dir"))
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("host_key")]);
}

#[test]
fn a_damaged_key_file_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("host_key");
    std::fs::write(&path, "not a key\n").expect("write");
    let err = load_or_create_host_key(&path).expect_err("garbage");
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    let msg = err.to_string();
    assert!(
        msg.contains("host_key") && msg.contains("not an OpenSSH private key"),
        "{msg}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        "not a key\n",
        "left as it was"
    );
}

#[test]
fn the_host_key_fingerprint_is_the_one_ssh_keygen_prints() {
    if !ssh_keygen_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("host_key");
    let (_key, fp) = load_or_create_host_key(&path).expect("create");
    // ssh-keygen reads our private key file: the format is OpenSSH's own.
    let public = Command::new("ssh-keygen")
        .arg("-yf")
        .arg(&path)
        .output()
        .expect("ssh-keygen -y");
    assert!(
        public.status.success(),
        "{}",
        String::from_utf8_lossy(&public.stderr)
    );
    let pub_path = dir.path().join("host_key.pub");
    std::fs::write(&pub_path, &public.stdout).expect("write pub");
    assert_eq!(keygen_fingerprint(&pub_path), fp);
    let line = String::from_utf8(public.stdout).expect("utf8");
    assert_eq!(parse_public_key(&line).expect("parse").fingerprint, fp);
}

#[test]
fn parsed_public_keys_match_ssh_keygen_for_each_key_type() {
    if !ssh_keygen_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    for (kind, bits, algo) in [
        ("ed25519", None, "ssh-ed25519"),
        ("rsa", Some("2048"), "ssh-rsa"),
        ("ecdsa", Some("256"), "ecdsa-sha2-nistp256"),
    ] {
        let path = dir.path().join(format!("id_{kind}"));
        let mut cmd = Command::new("ssh-keygen");
        cmd.args(["-q", "-N", "", "-C", "bob@laptop", "-t", kind, "-f"])
            .arg(&path);
        if let Some(b) = bits {
            cmd.args(["-b", b]);
        }
        let out = cmd.output().expect("ssh-keygen");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let pub_path = path.with_extension("pub");
        let line = std::fs::read_to_string(&pub_path).expect("read pub");
        let info = parse_public_key(&line).expect("parse");
        assert_eq!(info.fingerprint, keygen_fingerprint(&pub_path), "{kind}");
        assert_eq!(info.algorithm, algo);
        assert_eq!(info.comment, "bob@laptop");
        let mut fields = line.split_whitespace();
        let expected = format!(
            "{} {}",
            fields.next().expect("type"),
            fields.next().expect("base64")
        );
        assert_eq!(info.openssh, expected, "{kind}");
    }
}
