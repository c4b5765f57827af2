//! The one unit both ends of the single-instance channel exchange: a line, read up to a limit.

use std::io::{BufRead, Read as _};

/// The longest request or answer line read: a peer cannot make us hold more.
pub const MAX_LINE: u64 = 64 * 1024;

/// One line, at most [`MAX_LINE`] bytes.
pub fn read_line(reader: &mut impl BufRead) -> std::io::Result<String> {
    let mut line = String::new();
    reader.by_ref().take(MAX_LINE).read_line(&mut line)?;
    Ok(line)
}
