//! Reading anything without skipping it and in bounded memory: text in windows of at
//! most [`WINDOW`] bytes (a window ends at a line end where one is near and the next
//! starts [`MAX_RULE_LINES`] lines, or [`OVERLAP`] bytes, before, so no rule loses what
//! it needs at a cut); binary data through its printable runs (as `strings` shows them);
//! zip, tar and gzip archives through their entries (`outer.zip!inner/file`), nested up
//! to [`MAX_DEPTH`] levels and [`MAX_EXPANDED`] bytes. What is still left out (entries
//! past those limits, encrypted or unreadable entries) is counted.

use std::io::{Read, Seek};
use std::path::{Path, PathBuf};

use super::super::Finding;

/// The most bytes scanned at once (and so the most text held per reader).
pub const WINDOW: usize = 16 << 20;

/// How far back the next window starts when a line is longer than a window: further
/// than any one secret reaches.
pub const OVERLAP: usize = 64 << 10;

/// Lines the next window repeats (the reach of multi-line rules).
const MAX_RULE_LINES: usize = 3;

/// Bytes looked at to tell binary data and archives from text.
const SNIFF: usize = 8 << 10;

/// How deep archives inside archives are opened (`a.zip!b.tar.gz!c` is 2).
pub const MAX_DEPTH: usize = 3;

/// The most bytes one file's archives may expand to; the rest is counted as skipped.
pub const MAX_EXPANDED: u64 = 1 << 30;

/// A zip inside an archive is read into memory (the format needs to seek): up to this.
const MAX_NESTED_ZIP: u64 = 64 << 20;

/// The shortest printable run of a binary file that is scanned.
const MIN_RUN: usize = 8;

/// What reading a file left out, and why.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Left {
    /// Archive entries past the depth or size limits.
    pub over_limits: usize,
    /// Encrypted or unreadable archive entries.
    pub unreadable_entries: usize,
}

impl Left {
    /// Adds `other`'s counts.
    pub fn add(&mut self, other: Left) {
        self.over_limits += other.over_limits;
        self.unreadable_entries += other.unreadable_entries;
    }
}

/// The scanner a reader hands its text to: a name (the file, or `a.zip!entry`) and text.
pub type ScanFn<'a> = dyn Fn(&Path, &str) -> Vec<Finding> + Sync + 'a;

/// One reading job: the scan, what is left out, the expansion budget.
struct Job<'a> {
    scan: &'a ScanFn<'a>,
    left: Left,
    expanded: u64,
    found: Vec<Finding>,
}

/// Reads `path` whole (text in windows, binary through printable runs, archives through
/// their entries) and scans it.
///
/// # Errors
/// When the file cannot be opened or read.
pub fn scan_path(path: &Path, scan: &ScanFn<'_>) -> std::io::Result<(Vec<Finding>, Left)> {
    let mut file = std::fs::File::open(path)?;
    let mut head = Vec::with_capacity(SNIFF);
    (&mut file).take(SNIFF as u64).read_to_end(&mut head)?;
    let mut job = Job {
        scan,
        left: Left::default(),
        expanded: 0,
        found: Vec::new(),
    };
    if is_zip(&head) {
        file.rewind()?;
        job.zip(path, file, 0);
    } else {
        job.stream(path, std::io::Cursor::new(head).chain(file), 0)?;
    }
    Ok((job.found, job.left))
}

/// Reads a stream (stdin) as [`scan_path`] reads a file; a zip is read into memory up to
/// [`MAX_NESTED_ZIP`] (the format needs to seek).
///
/// # Errors
/// When the stream cannot be read.
pub fn scan_reader(
    name: &Path,
    reader: impl Read,
    scan: &ScanFn<'_>,
) -> std::io::Result<(Vec<Finding>, Left)> {
    let mut job = Job {
        scan,
        left: Left::default(),
        expanded: 0,
        found: Vec::new(),
    };
    job.stream(name, reader, 0)?;
    Ok((job.found, job.left))
}

fn is_zip(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06")
}

fn is_gzip(head: &[u8]) -> bool {
    head.starts_with(b"\x1f\x8b\x08")
}

fn is_tar(head: &[u8]) -> bool {
    head.get(257..262) == Some(b"ustar")
}

/// `outer!inner`.
fn join(outer: &Path, inner: &str) -> PathBuf {
    PathBuf::from(format!("{}!{inner}", outer.display()))
}

/// A reader that stops at the job's expansion budget and says so.
struct Budget<'b, R> {
    inner: R,
    used: &'b mut u64,
    over: bool,
}

impl<R: Read> Read for Budget<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let room = MAX_EXPANDED.saturating_sub(*self.used);
        if room == 0 {
            self.over = !buf.is_empty();
            return Ok(0);
        }
        let want = buf.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        let n = self.inner.read(buf.get_mut(..want).unwrap_or_default())?;
        *self.used += n as u64;
        Ok(n)
    }
}

impl Job<'_> {
    /// Sniffs `reader` and reads it as an archive (when `depth` allows), binary or text.
    fn stream(&mut self, name: &Path, mut reader: impl Read, depth: usize) -> std::io::Result<()> {
        let mut head = Vec::with_capacity(SNIFF);
        (&mut reader).take(SNIFF as u64).read_to_end(&mut head)?;
        let (zip, gzip, tar) = (is_zip(&head), is_gzip(&head), is_tar(&head));
        if (zip || gzip || tar) && depth >= MAX_DEPTH {
            self.left.over_limits += 1;
            return Ok(());
        }
        let binary = memchr::memchr(0, &head).is_some();
        let mut whole = std::io::Cursor::new(head).chain(reader);
        if zip {
            // Zip needs to seek: read it into memory, within bounds.
            let mut data = Vec::new();
            (&mut whole)
                .take(MAX_NESTED_ZIP + 1)
                .read_to_end(&mut data)?;
            if data.len() as u64 > MAX_NESTED_ZIP {
                self.left.over_limits += 1;
                return Ok(());
            }
            self.expanded += data.len() as u64;
            self.zip(name, std::io::Cursor::new(data), depth);
            return Ok(());
        }
        if gzip {
            let mut used = self.expanded;
            let mut limited = Budget {
                inner: flate2::read::MultiGzDecoder::new(whole),
                used: &mut used,
                over: false,
            };
            // A corrupt stream ends what can be read of it; what came before was scanned.
            let r = self.stream_inner(name, &mut limited, depth + 1);
            let over = limited.over;
            self.expanded = used;
            if over {
                self.left.over_limits += 1;
            }
            if r.is_err() {
                self.left.unreadable_entries += 1;
            }
            return Ok(());
        }
        if tar {
            self.tar(name, whole, depth);
            return Ok(());
        }
        self.windows(name, whole, binary)
    }

    /// A decompressed stream: sniffed again at `depth` (a `.tar.gz` is a tar).
    fn stream_inner(&mut self, name: &Path, r: &mut dyn Read, depth: usize) -> std::io::Result<()> {
        self.stream(name, r, depth)
    }

    fn zip(&mut self, name: &Path, reader: impl Read + Seek, depth: usize) {
        let Ok(mut archive) = zip::ZipArchive::new(reader) else {
            self.left.unreadable_entries += 1;
            return;
        };
        let count = archive.len();
        for i in 0..count {
            let entry = match archive.by_index(i) {
                Ok(e) => e,
                Err(_) => {
                    self.left.unreadable_entries += 1;
                    continue;
                }
            };
            if entry.is_dir() {
                continue;
            }
            if entry.encrypted() {
                self.left.unreadable_entries += 1;
                continue;
            }
            let inner = join(name, entry.name());
            let mut used = self.expanded;
            let mut limited = Budget {
                inner: entry,
                used: &mut used,
                over: false,
            };
            let r = self.stream_inner(&inner, &mut limited, depth + 1);
            let over = limited.over;
            self.expanded = used;
            if over {
                self.left.over_limits += 1;
            }
            if r.is_err() {
                self.left.unreadable_entries += 1;
            }
            if self.expanded >= MAX_EXPANDED {
                // The rest of the archive is past the budget.
                self.left.over_limits += count.saturating_sub(i + 1);
                return;
            }
        }
    }

    fn tar(&mut self, name: &Path, reader: impl Read, depth: usize) {
        let mut archive = tar::Archive::new(reader);
        let Ok(entries) = archive.entries() else {
            self.left.unreadable_entries += 1;
            return;
        };
        for entry in entries {
            let Ok(entry) = entry else {
                // A broken header: the rest cannot be found.
                self.left.unreadable_entries += 1;
                return;
            };
            if !entry.header().entry_type().is_file() {
                continue;
            }
            let inner = join(
                name,
                &entry
                    .path()
                    .map_or_else(|_| "?".to_owned(), |p| p.display().to_string()),
            );
            let mut used = self.expanded;
            let mut limited = Budget {
                inner: entry,
                used: &mut used,
                over: false,
            };
            let r = self.stream_inner(&inner, &mut limited, depth + 1);
            let over = limited.over;
            self.expanded = used;
            if over {
                self.left.over_limits += 1;
                return;
            }
            if r.is_err() {
                self.left.unreadable_entries += 1;
            }
        }
    }

    /// Scans `reader` in windows: text as it is, binary data as its printable runs (one
    /// run a line). Findings get the line they are on in the whole stream.
    fn windows(&mut self, name: &Path, mut reader: impl Read, binary: bool) -> std::io::Result<()> {
        let mut buf: Vec<u8> = Vec::new();
        // Lines of the stream before `buf`'s first byte.
        let mut lines_before = 0usize;
        let mut repeated = false;
        // Findings already reported from the part the next window repeats.
        // (line, fingerprint): a window that starts inside a long line sees its secrets
        // at other columns.
        let mut seen: std::collections::HashSet<(usize, String)> = std::collections::HashSet::new();
        loop {
            let room = WINDOW.saturating_sub(buf.len());
            let before = buf.len();
            (&mut reader).take(room as u64).read_to_end(&mut buf)?;
            let eof = buf.len() - before < room;
            // Where this window ends and the next one starts.
            let (end, next) = if eof {
                (buf.len(), buf.len())
            } else {
                cut(&buf)
            };
            let window = buf.get(..end).unwrap_or_default();
            let mut found = if binary {
                self.runs(name, window, lines_before)
            } else {
                let text = String::from_utf8_lossy(window);
                let mut fs = (self.scan)(name, &text);
                for f in &mut fs {
                    if !f.secret.is_empty() {
                        f.line += lines_before;
                    }
                }
                fs
            };
            // A path-only finding (no secret) is the file's, once.
            found.retain(|f| {
                (!repeated || !f.secret.is_empty()) && seen.insert((f.line, f.fingerprint.clone()))
            });
            repeated = true;
            self.found.append(&mut found);
            if eof {
                return Ok(());
            }
            // Keep the overlap's findings known; forget older ones.
            lines_before += memchr::memchr_iter(b'\n', buf.get(..next).unwrap_or_default()).count();
            seen.retain(|(line, _)| *line > lines_before);
            buf.drain(..next);
        }
    }

    /// The printable runs of `window` as lines of text, scanned; findings point at the
    /// line of the stream their run is on.
    fn runs(&mut self, name: &Path, window: &[u8], lines_before: usize) -> Vec<Finding> {
        let mut text = String::new();
        // For each run (a line of `text`), the stream line it starts on.
        let mut origin: Vec<usize> = Vec::new();
        let mut line = lines_before + 1;
        let mut start: Option<usize> = None;
        let mut flush = |from: usize, to: usize, at_line: usize, text: &mut String| {
            if to - from >= MIN_RUN {
                if let Some(run) = window
                    .get(from..to)
                    .and_then(|r| std::str::from_utf8(r).ok())
                {
                    text.push_str(run);
                    text.push('\n');
                    origin.push(at_line);
                }
            }
        };
        let mut run_line = line;
        for (i, &b) in window.iter().enumerate() {
            let printable = (0x20..0x7f).contains(&b) || b == b'\t';
            match (printable, start) {
                (true, None) => {
                    start = Some(i);
                    run_line = line;
                }
                (false, Some(s)) => {
                    flush(s, i, run_line, &mut text);
                    start = None;
                }
                _ => {}
            }
            if b == b'\n' {
                line += 1;
            }
        }
        if let Some(s) = start {
            flush(s, window.len(), run_line, &mut text);
        }
        let mut found = (self.scan)(name, &text);
        for f in &mut found {
            if !f.secret.is_empty() {
                f.line = origin
                    .get(f.line.saturating_sub(1))
                    .copied()
                    .unwrap_or(f.line);
            }
        }
        found
    }
}

/// Where a full window ends (after its last line end, when there is one in its second
/// half) and where the next starts: [`MAX_RULE_LINES`] lines back, or [`OVERLAP`] bytes
/// back inside a line longer than that.
fn cut(buf: &[u8]) -> (usize, usize) {
    let half = buf.len() / 2;
    match memchr::memrchr(b'\n', buf.get(half..).unwrap_or_default()) {
        Some(i) => {
            let end = half + i + 1;
            // Start the next window MAX_RULE_LINES lines before the end.
            let mut next = end;
            for _ in 0..MAX_RULE_LINES {
                match memchr::memrchr(b'\n', buf.get(..next.saturating_sub(1)).unwrap_or_default())
                {
                    Some(j) if end - (j + 1) <= OVERLAP => next = j + 1,
                    _ => break,
                }
            }
            (end, next.max(1))
        }
        None => (buf.len(), buf.len().saturating_sub(OVERLAP)),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn cuts_end_at_a_line_and_repeat_the_last_lines() {
        let mut buf = vec![b'a'; 100];
        buf.extend_from_slice(b"\nl1\nl2\nl3\nl4\ntail");
        let (end, next) = super::cut(&buf);
        assert_eq!(&buf[end - 3..end], b"l4\n");
        assert_eq!(&buf[next..end], b"l2\nl3\nl4\n");
        // One long line: the next window starts OVERLAP bytes back.
        let long = vec![b'x'; super::OVERLAP * 3];
        let (end, next) = super::cut(&long);
        assert_eq!(end, long.len());
        assert_eq!(next, long.len() - super::OVERLAP);
    }
}
