//! The app's binary as a child process in tests: killed when the test ends, however it ends.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};

pub struct Running(pub Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The binary cargo built for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_meeting-launcher");

pub fn bin() -> Command {
    Command::new(BIN)
}

/// The app with its own settings, data, cache and state folders under `root`, pointed at the sandbox at `base`.
pub fn app_in(root: &std::path::Path, base: &str) -> impl Fn(&[&str]) -> Command + use<> {
    let (root, base) = (root.to_owned(), base.to_string());
    move |args: &[&str]| {
        let mut c = bin();
        c.env("XDG_CONFIG_HOME", root.join("c"))
            .env("XDG_DATA_HOME", root.join("d"))
            .env("XDG_CACHE_HOME", root.join("k"))
            .env("XDG_STATE_HOME", root.join("s"))
            .args(["--sandbox", &base])
            .args(args);
        c
    }
}

/// A stand-in `xdg-open` in `dir/bin` that writes down each address it is given: the file it writes to, and a
/// `PATH` that finds it first.
pub fn stand_in_opener(dir: &std::path::Path) -> (std::path::PathBuf, String) {
    use std::os::unix::fs::PermissionsExt;
    let bin_dir = dir.join("bin");
    std::fs::create_dir_all(&bin_dir).unwrap();
    let opened = dir.join("opened.txt");
    let opener = bin_dir.join("xdg-open");
    std::fs::write(&opener, format!("#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n", opened.display())).unwrap();
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    (opened, format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default()))
}

/// Runs `command` with `input` on its standard input, to its end.
pub fn output_with_input(command: &mut Command, input: &str) -> Output {
    use std::io::Write as _;
    let mut child = command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
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

/// `meeting-launcher sandbox --auto-approve`: the running process and its root URL.
pub fn sandbox_base() -> (Running, String) {
    let (running, line) = sandbox(&["--auto-approve"]);
    let config: serde_json::Value = serde_json::from_str(&line).unwrap();
    (running, config["sandbox"]["base"].as_str().unwrap().to_string())
}

/// A GET that does not follow redirects: the `Location` header, if any, and the body. Its own runtime on its
/// own thread, so plain tests and async ones can both call it.
pub fn get(url: &str) -> (Option<String>, String) {
    let url = url.to_string();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
            let response = client.get(&url).send().await.unwrap();
            let location = response.headers().get("location").map(|l| l.to_str().unwrap().to_string());
            (location, response.text().await.unwrap())
        })
    })
    .join()
    .unwrap()
}

/// A POST of `body` (JSON) to a sandbox control, on its own thread as [`get`]: the answer's body.
pub fn post(url: &str, body: serde_json::Value) -> String {
    let url = url.to_string();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let response = reqwest::Client::new().post(&url).json(&body).send().await.unwrap();
            assert!(response.status().is_success(), "{url}: {}", response.status());
            response.text().await.unwrap()
        })
    })
    .join()
    .unwrap()
}

/// What a command-line join.me sign-in printed and the "browser" saw.
pub struct CliSignIn {
    /// The authorization URL the command printed first.
    pub url: String,
    /// Where the sandbox sent the browser back (the loopback callback, with the code).
    pub callback: String,
    /// The page the callback showed.
    pub page: String,
    /// The command's exit, its standard error, and the rest of its standard output.
    pub output: Output,
}

/// Runs `command` with `sign-in joinme --no-browser` and plays the browser: follows the authorization URL (the
/// sandbox approves at once) back to the command's callback.
pub fn sign_in_joinme(mut command: Command) -> CliSignIn {
    let mut child = command
        .args(["sign-in", "joinme", "--no-browser"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
    let mut url = String::new();
    stdout.read_line(&mut url).unwrap();
    let (callback, _) = get(url.trim());
    let callback = callback.unwrap_or_default();
    let (_, page) = get(&callback);
    let mut output = child.wait_with_output().unwrap();
    std::io::Read::read_to_end(&mut stdout, &mut output.stdout).unwrap();
    CliSignIn { url, callback, page, output }
}
