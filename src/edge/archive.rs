//! The digest archive: `DIR/YYYY-MM-DD.md` (for people) and `DIR/YYYY-MM-DD.json` (for
//! machines), written atomically so a crash never leaves half a file.

use std::path::{Path, PathBuf};

use crate::core::digest::{Digest, Lang, render_markdown};

/// Why the archive could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// A file or folder could not be written.
    #[error("writing '{path}' failed")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// The digest could not be serialised.
    #[error("serialising the digest failed")]
    Json(#[from] serde_json::Error),
}

/// The two files of one archived digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchivedDigest {
    /// The Markdown file.
    pub markdown: PathBuf,
    /// The JSON file.
    pub json: PathBuf,
}

/// The digest as archived JSON text (pretty, newline-terminated).
///
/// # Errors
/// [`ArchiveError::Json`] if serialisation fails.
pub fn digest_json(digest: &Digest) -> Result<String, ArchiveError> {
    let mut json = serde_json::to_string_pretty(digest)?;
    json.push('\n');
    Ok(json)
}

/// The digest as archived Markdown text (newline-terminated).
#[must_use]
pub fn digest_markdown(digest: &Digest, lang: Lang) -> String {
    let mut text = render_markdown(digest, lang);
    text.push('\n');
    text
}

/// Writes `digest` under `dir` as Markdown (with `lang` labels) and JSON.
///
/// # Errors
/// [`ArchiveError`] naming the file that could not be written.
pub fn write_archive(
    dir: &Path,
    digest: &Digest,
    lang: Lang,
) -> Result<ArchivedDigest, ArchiveError> {
    std::fs::create_dir_all(dir).map_err(|source| ArchiveError::Io {
        path: dir.display().to_string(),
        source,
    })?;
    let stem = digest.date.format("%Y-%m-%d").to_string();
    let markdown = dir.join(format!("{stem}.md"));
    let json = dir.join(format!("{stem}.json"));
    write_atomically(&markdown, &digest_markdown(digest, lang))?;
    write_atomically(&json, &digest_json(digest)?)?;
    Ok(ArchivedDigest { markdown, json })
}

fn write_atomically(path: &Path, text: &str) -> Result<(), ArchiveError> {
    let io = |source| ArchiveError::Io {
        path: path.display().to_string(),
        source,
    };
    crate::edge::atomic_file::write_atomically(path, text.as_bytes()).map_err(io)
}
