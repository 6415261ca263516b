//! Note drafts on disk: one file per note being written, kept when a save fails or the console
//! closes, offered back when the same note's editor opens again.

use chrono::Utc;

/// `$XDG_DATA_HOME/patron/drafts/customer-<id>.txt` (a new note) or
/// `customer-<id>-note-<note>.txt` (an edit): one file per note being written, overwritten by
/// each retry, so failed saves do not pile up files and the editor can find it again.
fn draft_path(dir: &std::path::Path, customer: i64, note: Option<i64>) -> std::path::PathBuf {
    match note {
        None => dir.join(format!("customer-{customer}.txt")),
        Some(n) => dir.join(format!("customer-{customer}-note-{n}.txt")),
    }
}

pub fn write_draft(
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
pub fn read_draft(
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

pub fn discard_draft(dir: &std::path::Path, customer: i64, note: Option<i64>) {
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
