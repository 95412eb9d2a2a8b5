//! Report files: created owner-only (0600) as a temporary file beside the target and renamed into
//! place only when complete, so a failed, interrupted or crashed run never leaves a truncated or
//! clean-looking report where the previous one was. Prints nothing.

use std::fs::File;
use std::io;
use std::path::Path;

/// Create the report file `path`, owner-only (mode 0600), atomically: the bytes go to a
/// temporary file beside it (buffered), which [`Pending::commit`] renames over `path` once the
/// report is complete. Until then the previous report, if any, is untouched; dropping the
/// [`Pending`] (an error) or Ctrl-C (see [`remove_pending_on_interrupt`]) removes the temporary
/// file. A target that exists and is not a regular file (`/dev/stdout`, a FIFO) is written
/// directly: there is nothing to replace.
pub fn create_private(path: &Path) -> io::Result<Pending> {
    let special = std::fs::metadata(path).is_ok_and(|m| !m.is_file());
    if special {
        let file = std::fs::OpenOptions::new().write(true).open(path)?;
        return Ok(Pending {
            out: Some(io::BufWriter::new(file)),
            temp: None,
            target: path.to_path_buf(),
        });
    }
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let mut n = 0u32;
    let (file, temp) = loop {
        let mut temp_name = std::ffi::OsString::from(".");
        temp_name.push(name);
        temp_name.push(format!(".sprawl-{}-{n}.tmp", std::process::id()));
        let temp = dir.join(temp_name);
        match open_private_new(&temp) {
            Ok(f) => break (f, temp),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 100 => n += 1,
            Err(e) => return Err(e),
        }
    };
    PENDING
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(temp.clone());
    Ok(Pending {
        out: Some(io::BufWriter::new(file)),
        temp: Some(temp),
        target: path.to_path_buf(),
    })
}

fn open_private_new(path: &Path) -> io::Result<File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)
}

/// Temporary report files not yet renamed into place (removed on Ctrl-C).
static PENDING: std::sync::Mutex<Vec<std::path::PathBuf>> = std::sync::Mutex::new(Vec::new());

/// On Ctrl-C (SIGINT, SIGTERM), remove every temporary report file not yet renamed into place
/// and exit 130: an interrupted scan leaves the previous report as it was, never a truncated
/// one. Call once, early.
pub fn remove_pending_on_interrupt() {
    let _ = ctrlc::set_handler(|| {
        for temp in PENDING.lock().unwrap_or_else(|p| p.into_inner()).drain(..) {
            let _ = std::fs::remove_file(temp);
        }
        std::process::exit(130);
    });
}

/// A report being written (see [`create_private`]).
pub struct Pending {
    out: Option<io::BufWriter<File>>,
    temp: Option<std::path::PathBuf>,
    target: std::path::PathBuf,
}

impl Pending {
    /// The temporary file being written (to keep the scan from reading it).
    pub fn temp_path(&self) -> Option<&Path> {
        self.temp.as_deref()
    }

    /// Flush, and rename the temporary file over the target.
    pub fn commit(mut self) -> io::Result<()> {
        if let Some(out) = self.out.take() {
            let file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
            file.sync_all().or_else(|e| {
                // Some targets (pipes written directly) cannot be synced; that is fine.
                if self.temp.is_none() { Ok(()) } else { Err(e) }
            })?;
        }
        if let Some(temp) = self.temp.take() {
            forget(&temp);
            if let Err(e) = std::fs::rename(&temp, &self.target) {
                let _ = std::fs::remove_file(&temp);
                return Err(e);
            }
        }
        Ok(())
    }
}

fn forget(temp: &Path) {
    PENDING
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .retain(|t| t != temp);
}

impl io::Write for Pending {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.out {
            Some(out) => out.write(buf),
            None => Err(io::Error::other("report already committed")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.out {
            Some(out) => out.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if let Some(temp) = self.temp.take() {
            self.out = None;
            forget(&temp);
            let _ = std::fs::remove_file(&temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    #[test]
    fn written_beside_buffered_and_renamed_only_on_commit() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("report.json");
        std::fs::write(&target, "previous").unwrap();
        let mut out = create_private(&target).unwrap();
        let temp = out.temp_path().unwrap().to_path_buf();
        assert_eq!(temp.parent(), Some(dir.path()), "beside the target");
        for _ in 0..1000 {
            out.write_all(b"tok,").unwrap();
        }
        // Buffered: a thousand small writes are not a thousand write(2) calls.
        assert_eq!(std::fs::metadata(&temp).unwrap().len(), 0);
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "previous");
        out.commit().unwrap();
        assert_eq!(std::fs::read(&target).unwrap().len(), 4000);
        assert!(!temp.exists());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&target).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn dropped_without_commit_leaves_the_previous_report() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("report.sarif");
        std::fs::write(&target, "previous").unwrap();
        let mut out = create_private(&target).unwrap();
        let temp = out.temp_path().unwrap().to_path_buf();
        out.write_all(&[b'x'; 20000]).unwrap();
        drop(out);
        assert!(!temp.exists());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "previous");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
