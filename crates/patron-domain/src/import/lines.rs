//! Maps csv byte offsets to the physical line a record really starts on.
//!
//! csv's own `Position::line` is taken *before* skipped blank lines, so a record after an empty
//! line (or after a CRLF) would be reported one line early. This reader wrapper remembers each run of line-break
//! bytes as it streams past, which is enough to find the first line with content.

use std::collections::VecDeque;
use std::io::{self, Read};

struct Run {
    start: u64,
    /// Line breaks in the stream up to the end of this run.
    lines_at_end: u64,
}

pub(crate) struct LineTracker<R> {
    inner: R,
    offset: u64,
    newlines: u64,
    in_run: bool,
    prev_cr: bool,
    runs: VecDeque<Run>,
}

impl<R: Read> LineTracker<R> {
    pub(crate) fn new(inner: R) -> Self {
        Self {
            inner,
            offset: 0,
            newlines: 0,
            in_run: false,
            prev_cr: false,
            runs: VecDeque::new(),
        }
    }

    /// 1-based line of the first content byte at or after `byte`.
    ///
    /// `byte` must be where csv says a record starts: the end of the previous record's
    /// terminator, so only line-break bytes lie between it and the record. Calls must come in
    /// increasing order, which lets runs before `byte` be forgotten and keeps memory bounded by
    /// the reader's look-ahead rather than the file size.
    pub(crate) fn line_at(&mut self, byte: u64) -> u64 {
        while self.runs.get(1).is_some_and(|next| next.start <= byte) {
            self.runs.pop_front();
        }
        match self.runs.front() {
            Some(run) if run.start <= byte => run.lines_at_end + 1,
            _ => 1,
        }
    }
}

impl<R: Read> Read for LineTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        for (i, &b) in buf.iter().take(n).enumerate() {
            if b == b'\n' || b == b'\r' {
                // "\r\n" is one break; a lone '\r' is one too, as csv ends records on it.
                if !(b == b'\n' && self.prev_cr) {
                    self.newlines += 1;
                }
                if self.in_run {
                    if let Some(run) = self.runs.back_mut() {
                        run.lines_at_end = self.newlines;
                    }
                } else {
                    self.runs.push_back(Run {
                        start: self.offset + i as u64,
                        lines_at_end: self.newlines,
                    });
                    self.in_run = true;
                }
            } else {
                self.in_run = false;
            }
            self.prev_cr = b == b'\r';
        }
        self.offset += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tracker(data: &[u8]) -> LineTracker<&[u8]> {
        let mut t = LineTracker::new(data);
        let mut sink = Vec::new();
        let _ = t.read_to_end(&mut sink);
        t
    }

    #[test]
    fn start_of_file_is_line_one() {
        assert_eq!(tracker(b"a,b\nc,d\n").line_at(0), 1);
    }

    #[test]
    fn skips_blank_lines_after_terminator() {
        // "a\n" ends at byte 2; csv reports the next record at byte 2 even though it is on line 4.
        let mut t = tracker(b"a\n\n\nb\n");
        assert_eq!(t.line_at(2), 4);
    }

    #[test]
    fn crlf_with_offset_inside_the_break() {
        // csv may stop between '\r' and '\n'; either way the record is on line 2.
        let mut t = tracker(b"a\r\nb\r\n");
        assert_eq!(t.line_at(2), 2);
        let mut t = tracker(b"a\r\nb\r\n");
        assert_eq!(t.line_at(3), 2);
    }

    #[test]
    fn lone_cr_is_a_line_break() {
        let mut t = tracker(b"a\rb\r\rc\n\rd");
        assert_eq!(t.line_at(2), 2);
        assert_eq!(t.line_at(4), 4);
        assert_eq!(t.line_at(7), 6);
    }

    #[test]
    fn counts_breaks_inside_earlier_records() {
        let mut t = tracker(b"h\n\"x\ny\"\nz\n");
        assert_eq!(t.line_at(2), 2);
        assert_eq!(t.line_at(8), 4);
    }
}
