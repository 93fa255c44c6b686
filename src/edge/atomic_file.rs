//! Writing a file so that readers (and a crash) see the old content or the new one, never a
//! torn mix: write a temporary file in the same folder, fsync it, rename it over the target,
//! then fsync the folder so the rename itself is on disk.

use std::io::Write;
use std::path::Path;

/// Replaces `path` with `bytes` atomically and durably.
///
/// # Errors
/// Any I/O error; the target is then left as it was.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    // The rename is durable only once the folder is; not every platform can open a folder.
    if let Ok(folder) = std::fs::File::open(dir) {
        let _ = folder.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_replaced_whole_and_no_temporary_is_left() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("cache.json");
        write_atomically(&path, b"old").expect("first");
        write_atomically(&path, b"new").expect("second");
        assert_eq!(std::fs::read(&path).expect("read"), b"new");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        assert!(write_atomically(&dir.path().join("missing/x.json"), b"x").is_err());
    }
}
