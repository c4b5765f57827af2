//! The app's binary as a child process in tests: killed when the test ends, however it ends.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

pub struct Running(pub Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_meeting-launcher"))
}

/// `meeting-launcher sandbox ARGS…`: the running process and the one JSON line it printed.
pub fn sandbox(args: &[&str]) -> (Running, String) {
    let mut child = bin()
        .arg("sandbox")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("piped")).read_line(&mut line).expect("one line on stdout");
    (Running(child), line)
}
