//! Headless Chromium for the HTML report's tests, driven over the W3C `WebDriver` protocol
//! (chromedriver on a loopback port, plain HTTP/1.1 on a `TcpStream`, JSON with `serde_json`).
//!
//! Chromium comes from Debian (`chromium`, `chromium-driver`): when it is missing, the first
//! test to need it installs it with apt-get (once per test process), and fails, saying why,
//! when that is not possible. Nothing leaves the machine once it is installed: the browser
//! is started with its background networking off and only opens `file://` pages.

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The `WebDriver` key of an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Make sure Chromium and chromedriver are installed: install them (once per process) if
/// not, and panic with the reason when that fails.
pub fn ensure_chromium() {
    static INSTALLED: OnceLock<Result<(), String>> = OnceLock::new();
    let result = INSTALLED.get_or_init(|| {
        if Path::new(CHROMIUM).is_file() && Path::new(CHROMEDRIVER).is_file() {
            return Ok(());
        }
        apt_get(&["update"])?;
        apt_get(&[
            "install",
            "-y",
            "--no-install-recommends",
            "chromium",
            "chromium-driver",
        ])?;
        if Path::new(CHROMIUM).is_file() && Path::new(CHROMEDRIVER).is_file() {
            Ok(())
        } else {
            Err(format!(
                "apt-get installed chromium and chromium-driver, yet {CHROMIUM} or {CHROMEDRIVER} is missing"
            ))
        }
    });
    if let Err(e) = result {
        panic!(
            "the HTML report's browser test needs Chromium ({CHROMIUM}, {CHROMEDRIVER}) and could not install it: {e}\n\
             Install it yourself (as root): apt-get update && apt-get install -y --no-install-recommends chromium chromium-driver"
        );
    }
}

fn apt_get(args: &[&str]) -> Result<(), String> {
    let out = Command::new("apt-get")
        .args(args)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .output()
        .map_err(|e| format!("cannot run apt-get: {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
    Err(format!(
        "`apt-get {}` failed ({}): {}",
        args.join(" "),
        out.status,
        tail.into_iter().rev().collect::<Vec<_>>().join(" | ")
    ))
}

/// A running chromedriver; killed when dropped.
pub struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    pub fn start(log: &Path) -> Driver {
        ensure_chromium();
        let port = free_port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {CHROMEDRIVER}: {e}"));
        let driver = Driver { child, port };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(status) = http(port, "GET", "/status", None)
                && status["ready"] == true
            {
                return driver;
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not become ready on port {port} (log: {})",
                log.display()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// A new headless Chromium session with a fresh profile in `profile`, its window
    /// `width` × `height`.
    pub fn session(&self, profile: &Path, width: u32, height: u32) -> Session {
        let args = [
            "--headless".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--disable-quic".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--hide-scrollbars".to_owned(),
            format!("--window-size={width},{height}"),
            format!("--user-data-dir={}", profile.display()),
        ];
        let capabilities = json!({
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": { "binary": CHROMIUM, "args": args },
                    "goog:loggingPrefs": { "browser": "ALL" },
                }
            }
        });
        let created = http(self.port, "POST", "/session", Some(&capabilities))
            .unwrap_or_else(|e| panic!("cannot start a Chromium session: {e}"));
        let id = created["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session ID in {created}"))
            .to_owned();
        Session {
            port: self.port,
            id,
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A browser session; closed (the browser quits) when dropped.
pub struct Session {
    port: u16,
    id: String,
}

impl Session {
    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let path = format!("/session/{}{path}", self.id);
        http(self.port, method, &path, body).unwrap_or_else(|e| panic!("WebDriver: {e}"))
    }

    pub fn open(&self, file: &Path) {
        self.call("POST", "/url", Some(&json!({ "url": file_url(file) })));
    }

    /// Run `script` (a function body) in the page and return what it returns.
    pub fn eval(&self, script: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(&json!({ "script": script, "args": [] })),
        )
    }

    fn element(&self, css: &str) -> String {
        let found = self.call(
            "POST",
            "/element",
            Some(&json!({ "using": "css selector", "value": css })),
        );
        found[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element `{css}`: {found}"))
            .to_owned()
    }

    /// Click the element `css` selects, as a user would.
    pub fn click(&self, css: &str) {
        let id = self.element(css);
        self.call("POST", &format!("/element/{id}/click"), Some(&json!({})));
    }

    /// Type `text` into the element `css` selects, as a user would.
    pub fn type_into(&self, css: &str, text: &str) {
        let id = self.element(css);
        self.call(
            "POST",
            &format!("/element/{id}/value"),
            Some(&json!({ "text": text })),
        );
    }

    /// The page's console messages so far (chromedriver's log endpoint).
    pub fn console(&self) -> Vec<Value> {
        self.call("POST", "/se/log", Some(&json!({ "type": "browser" })))
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// A PNG of the window.
    pub fn screenshot(&self) -> Vec<u8> {
        let encoded = self.call("GET", "/screenshot", None);
        base64_decode(encoded.as_str().unwrap_or_default())
            .unwrap_or_else(|| panic!("the screenshot is not base64"))
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = http(self.port, "DELETE", &format!("/session/{}", self.id), None);
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("a free loopback port");
    listener.local_addr().expect("its address").port()
}

/// `file://` URL of an absolute path, bytes outside a safe set percent-encoded.
pub fn file_url(path: &Path) -> String {
    let mut url = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            url.push(char::from(b));
        } else {
            let _ = write!(url, "%{b:02X}");
        }
    }
    url
}

/// One `WebDriver` call: its `value`, or the error chromedriver reports.
fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
    let mut stream =
        TcpStream::connect((Ipv4Addr::LOCALHOST, port)).map_err(|e| format!("connect: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_mins(2)))
        .map_err(|e| e.to_string())?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| format!("{method} {path}: {e}"))?;
    let (head, payload) =
        read_response(&mut stream).map_err(|e| format!("{method} {path}: {e}"))?;
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("{method} {path}: no status in `{head}`"))?;
    let json: Value = serde_json::from_slice(&payload)
        .map_err(|e| format!("{method} {path}: HTTP {status}, not JSON ({e})"))?;
    if status == 200 {
        Ok(json["value"].clone())
    } else {
        Err(format!("{method} {path}: HTTP {status}: {}", json["value"]))
    }
}

/// The response's header (lowercased) and body. chromedriver keeps the connection open
/// whatever the request says, so the body is read by its length, not to the end.
fn read_response(stream: &mut TcpStream) -> Result<(String, Vec<u8>), String> {
    let mut raw = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    loop {
        if let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
            let body = &raw[split + 4..];
            let length = head.lines().find_map(|l| {
                l.strip_prefix("content-length:")
                    .and_then(|v| v.trim().parse::<usize>().ok())
            });
            let complete = match length {
                Some(n) => (body.len() >= n).then(|| body[..n].to_vec()),
                None if head.contains("transfer-encoding: chunked") => body
                    .ends_with(b"0\r\n\r\n")
                    .then(|| dechunk(body))
                    .flatten(),
                None => None,
            };
            if let Some(body) = complete {
                return Ok((head, body));
            }
        }
        let n = stream.read(&mut buf).map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("the connection closed before the response ended".to_owned());
        }
        raw.extend_from_slice(&buf[..n]);
    }
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n")?;
        let size = std::str::from_utf8(&data[..line_end]).ok()?;
        let size = usize::from_str_radix(size.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}

/// Standard base64 (what `WebDriver` screenshots are), padding optional.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0;
    for c in text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
    {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((buffer >> bits) & 0xff).ok()?);
        }
    }
    Some(out)
}

/// A fresh directory under cargo's scratch space for integration tests.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}
