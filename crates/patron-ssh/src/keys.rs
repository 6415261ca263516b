//! Keys: the server's host key file (load or create) and parsing of OpenSSH public key lines.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use russh::keys::ssh_key::LineEnding;
use russh::keys::{Algorithm, HashAlg, PrivateKey, PublicKey};

/// One public key as patron stores and shows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PublicKeyInfo {
    /// The canonical `"<algorithm> <base64>"` text, without the comment: the form to store and
    /// compare keys by.
    pub openssh: String,
    /// The comment that followed the key on its line (often `user@host`); empty when there was
    /// none, and always empty for a key a client offered during authentication.
    pub comment: String,
    /// `SHA256:<unpadded base64>`, as `ssh-keygen -lf` and the OpenSSH client print it.
    pub fingerprint: String,
    /// The key's algorithm name, e.g. `ssh-ed25519`, `ssh-rsa`, `ecdsa-sha2-nistp256`.
    pub algorithm: String,
}

impl PublicKeyInfo {
    /// Describes `key`, keeping its comment.
    pub fn from_key(key: &PublicKey) -> Self {
        let mut bare = key.clone();
        bare.set_comment("");
        // Encoding a key that was decoded (or generated) cannot fail: the data is already valid.
        let openssh = bare
            .to_openssh()
            .map(|s| s.trim_end().to_string())
            .unwrap_or_default();
        Self {
            openssh,
            comment: key.comment().as_str_lossy().to_string(),
            fingerprint: fingerprint(key),
            algorithm: key.algorithm().as_str().to_string(),
        }
    }
}

/// The SHA256 fingerprint of `key` in OpenSSH's notation (`SHA256:` + unpadded base64).
pub fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

/// Parses one OpenSSH public key line (`ssh-ed25519 AAAA... comment`, as in a `.pub` file or
/// `authorized_keys` without options). Errors are sentences meant for the person who pasted it.
pub fn parse_public_key(line: &str) -> Result<PublicKeyInfo, String> {
    let line = line.trim();
    if line.is_empty() {
        return Err("the key is empty: paste one line of a .pub file".into());
    }
    if line.starts_with("-----BEGIN") {
        return Err(
            "this is a private key: paste the public key instead (the .pub file next to it)".into(),
        );
    }
    let Some(first) = line.split_whitespace().next() else {
        return Err("the key is empty: paste one line of a .pub file".into());
    };
    if first.contains("-cert-v01@openssh.com") {
        return Err("certificates are not supported: paste the plain public key".into());
    }
    let known = Algorithm::new(first).is_ok();
    if !known {
        if line.split_whitespace().any(|w| Algorithm::new(w).is_ok()) {
            return Err(
                "the line starts with options (as in authorized_keys): paste only \
                 \"<type> <base64> [comment]\""
                    .into(),
            );
        }
        return Err(format!(
            "not an OpenSSH public key: it should start with a key type such as ssh-ed25519, \
             not {:?}",
            shorten(first)
        ));
    }
    let key = PublicKey::from_openssh(line)
        .map_err(|e| format!("not a valid {first} public key: {e}"))?;
    Ok(PublicKeyInfo::from_key(&key))
}

fn shorten(s: &str) -> String {
    let mut out: String = s.chars().take(24).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

/// Loads the host key at `path`, or generates an ed25519 key and writes it there (OpenSSH
/// format, mode 0600; the directory is created with mode 0700). Returns the key and its
/// fingerprint (`SHA256:...`), the one clients see when they first connect.
///
/// The new key is written to a temporary file and linked into place, so a crash never leaves a
/// half-written key, and of two servers starting at once both end up with the same key.
pub fn load_or_create_host_key(path: &Path) -> io::Result<(PrivateKey, String)> {
    match fs::read_to_string(path) {
        Ok(text) => return parse_host_key(path, &text),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(annotate(e, path, "cannot read the host key")),
    }
    let key = PrivateKey::random(&mut russh::keys::key::safe_rng(), Algorithm::Ed25519)
        .map_err(|e| io::Error::other(format!("cannot generate a host key: {e}")))?;
    let text = key
        .to_openssh(LineEnding::LF)
        .map_err(|e| io::Error::other(format!("cannot encode the host key: {e}")))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir).map_err(|e| annotate(e, dir, "cannot create the directory"))?;
    }
    let tmp = temp_path(path);
    let written = write_private(&tmp, text.as_bytes());
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(annotate(e, &tmp, "cannot write the host key"));
    }
    let linked = fs::hard_link(&tmp, path);
    let _ = fs::remove_file(&tmp);
    match linked {
        Ok(()) => {
            let fp = fingerprint(key.public_key());
            tracing::info!(path = %path.display(), fingerprint = %fp, "generated a new SSH host key");
            Ok((key, fp))
        }
        // Another process created it between our read and our link: theirs is the key.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            let text = fs::read_to_string(path)
                .map_err(|e| annotate(e, path, "cannot read the host key"))?;
            parse_host_key(path, &text)
        }
        Err(e) => Err(annotate(e, path, "cannot write the host key")),
    }
}

fn parse_host_key(path: &Path, text: &str) -> io::Result<(PrivateKey, String)> {
    let key = PrivateKey::from_openssh(text).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{}: not an OpenSSH private key: {e}", path.display()),
        )
    })?;
    if key.is_encrypted() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "{}: the host key is encrypted with a passphrase; the server needs an unencrypted key",
                path.display()
            ),
        ));
    }
    warn_if_readable_by_others(path);
    let fp = fingerprint(key.public_key());
    Ok((key, fp))
}

#[cfg(unix)]
fn warn_if_readable_by_others(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = fs::metadata(path) {
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            tracing::warn!(
                path = %path.display(),
                mode = format_args!("{mode:o}"),
                "the SSH host key is readable by other users; chmod 600 it"
            );
        }
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_path: &Path) {}

fn temp_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(format!(".tmp-{}", std::process::id()));
    path.with_file_name(name)
}

fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

fn annotate(e: io::Error, path: &Path, what: &str) -> io::Error {
    io::Error::new(e.kind(), format!("{what} {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ED25519: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIE7s9+pzXU4A+8XW8sd6NkE9fd2RqH686gryH20g6+o alice@example.com";

    #[test]
    fn parses_a_key_line_with_its_comment() {
        let info = parse_public_key(&format!("  {ED25519}\n")).expect("valid key");
        assert_eq!(
            info.openssh,
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIE7s9+pzXU4A+8XW8sd6NkE9fd2RqH686gryH20g6+o"
        );
        assert_eq!(info.comment, "alice@example.com");
        assert_eq!(info.algorithm, "ssh-ed25519");
        // What `ssh-keygen -lf` printed for this key.
        assert_eq!(
            info.fingerprint,
            "SHA256:KuNPAyLys6oqcJTNMhvfgEYx0hQfi2v/muZfpKUPwgQ"
        );
    }

    #[test]
    fn a_key_without_comment_has_an_empty_comment_and_the_same_fingerprint() {
        let with = parse_public_key(ED25519).expect("valid key");
        let without = parse_public_key(&with.openssh).expect("valid key");
        assert_eq!(without.comment, "");
        assert_eq!(without.openssh, with.openssh);
        assert_eq!(without.fingerprint, with.fingerprint);
    }

    #[test]
    fn comments_with_spaces_are_kept_whole() {
        let line = ED25519.replace("alice@example.com", "Alice Smith laptop");
        assert_eq!(
            parse_public_key(&line).expect("valid").comment,
            "Alice Smith laptop"
        );
    }

    #[test]
    fn bad_lines_get_sentences_not_panics() {
        let cases = [
            ("", "the key is empty"),
            ("   \n", "the key is empty"),
            (
                "-----BEGIN OPENSSH PRIVATE KEY-----",
                "this is a private key",
            ),
            ("hello world", "not an OpenSSH public key"),
            (
                "from=\"10.0.0.1\" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIE7s9+pzXU4A+8XW8sd6NkE9fd2RqH686gryH20g6+o",
                "starts with options",
            ),
            ("ssh-ed25519", "not a valid ssh-ed25519 public key"),
            (
                "ssh-ed25519 AAAA!!!notbase64",
                "not a valid ssh-ed25519 public key",
            ),
            (
                "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIIE7s9+pzXU4A+8XW8sd6NkE9fd2RqH686gryH20g6+o",
                "not a valid ssh-rsa public key",
            ),
            (
                "ssh-ed25519-cert-v01@openssh.com AAAA",
                "certificates are not supported",
            ),
        ];
        for (line, want) in cases {
            let err = parse_public_key(line).expect_err(line);
            assert!(err.contains(want), "{line:?}: {err:?} should say {want:?}");
        }
    }

    #[test]
    fn from_key_of_a_generated_key_round_trips_through_the_parser() {
        let key = PrivateKey::random(&mut russh::keys::key::safe_rng(), Algorithm::Ed25519)
            .expect("generate");
        let info = PublicKeyInfo::from_key(key.public_key());
        let parsed = parse_public_key(&info.openssh).expect("own output parses");
        assert_eq!(parsed, info);
    }
}
