//! Harness for end-to-end suites: the built app in a real window, driven through
//! tauri-driver and WebKitWebDriver, against a cloud of its own.
//!
//! Run by `scripts/test` inside Xvfb and a private D-Bus session with an
//! unlocked gnome-keyring. `HIK_APP_BINARY` names the app (default: the debug
//! build in the workspace target folder); `HIK_E2E_ARTIFACTS` a folder for
//! screenshots (default `artifacts/e2e`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const PASSWORD: &str = "Correct-Horse-9";
const WAIT: Duration = Duration::from_secs(20);

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn app_binary() -> PathBuf {
    std::env::var_os("HIK_APP_BINARY")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target/debug/hik-connect-sim"))
}

fn artifacts() -> PathBuf {
    let dir = std::env::var_os("HIK_E2E_ARTIFACTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("artifacts/e2e"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A WebDriver client builder: tauri-driver speaks plain HTTP on loopback, so
/// no TLS stack is involved.
pub fn webdriver() -> ClientBuilder<HttpConnector> {
    ClientBuilder::new(HttpConnector::new())
}

/// A simulated cloud for one test: two regions on ports the OS picks, a
/// temporary database, QA on. It can be stopped and started again on the same
/// ports and database, as a cloud that went away for a while.
pub struct Cloud {
    running: Option<hik_cloud::RunningCloud>,
    url: String,
    regions: Vec<(String, String)>,
    config: hik_cloud::Config,
    http: reqwest::Client,
    _dir: tempfile::TempDir,
}

impl Cloud {
    /// Plain HTTP on loopback, as the embedded cloud.
    pub async fn start() -> Self {
        Self::start_with(false).await
    }

    /// HTTPS, with a certificate from a local CA the cloud makes at start
    /// (its certificate at `ca()`).
    pub async fn start_https() -> Self {
        Self::start_with(true).await
    }

    async fn start_with(https: bool) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut config = hik_cloud::Config::embedded(dir.path().join("cloud.db"));
        let ca = dir.path().join("ca.pem");
        if https {
            config.generate_ca = Some(ca.clone());
        }
        let running = hik_cloud::spawn(config.clone()).await.unwrap();
        let regions = running.region_urls();
        // From now on, the same ports: a restart is the same cloud coming back.
        for (region, (_, url)) in config.regions.iter_mut().zip(&regions) {
            let domain = url.split_once("://").map_or(url.as_str(), |(_, d)| d);
            region.listen = domain.parse().unwrap();
        }
        let mut http = reqwest::Client::builder();
        if https {
            let pem = std::fs::read(&ca).unwrap();
            http = http.add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap());
        }
        Self {
            url: running.url(),
            running: Some(running),
            regions,
            config,
            http: http.build().unwrap(),
            _dir: dir,
        }
    }

    /// The CA certificate an HTTPS cloud made (see `start_https`).
    pub fn ca(&self) -> PathBuf {
        self._dir.path().join("ca.pem")
    }

    /// The first region's base URL (Europe: areas 44, 49, 33, 39).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The second region's base URL (the Americas and Asia-Pacific: 1, 55, 61).
    pub fn second_region_url(&self) -> &str {
        &self.regions[1].1
    }

    /// Start again after `stop`, on the same ports and database.
    pub async fn start_again(&mut self) {
        assert!(self.running.is_none(), "the cloud is running");
        let deadline = Instant::now() + WAIT;
        loop {
            match hik_cloud::spawn(self.config.clone()).await {
                Ok(running) => {
                    self.running = Some(running);
                    return;
                }
                Err(e) if Instant::now() < deadline => {
                    eprintln!("the cloud did not start again yet: {e}");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("the cloud did not start again: {e}"),
            }
        }
    }

    async fn qa(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self.http.request(method, format!("{}{path}", self.url));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.unwrap();
        assert!(r.status().is_success(), "{path}: HTTP {}", r.status());
        r.json().await.unwrap()
    }

    /// A QA fault: `{"channel", ...}` on delivery, or `{"path", "status",
    /// "latencyMs", "rate"}` on the protocol's endpoints.
    pub async fn set_fault(&self, fault: Value) -> Value {
        self.qa(reqwest::Method::POST, "/qa/faults", Some(fault))
            .await
    }

    pub async fn clear_faults(&self) {
        self.qa(reqwest::Method::DELETE, "/qa/faults", None).await;
    }

    /// A ready account made through the QA surface, in `area`, with no terminal.
    pub async fn qa_account(&self, account: &str, area: u32) {
        self.qa(
            reqwest::Method::POST,
            "/qa/accounts",
            Some(json!({ "account": account, "password": PASSWORD, "areaId": area })),
        )
        .await;
    }

    /// An account's state as the QA surface shows it.
    pub async fn qa_inspect(&self, account: &str) -> Value {
        self.qa(
            reqwest::Method::GET,
            &format!("/qa/accounts/{account}"),
            None,
        )
        .await
    }

    /// The answer to the account's current captcha.
    pub async fn captcha_answer(&self, account: &str) -> String {
        let r = self
            .qa(
                reqwest::Method::GET,
                &format!("/qa/captcha?account={account}"),
                None,
            )
            .await;
        r["answer"].as_str().unwrap().to_owned()
    }

    /// Bind `n` more terminals to `account` through the cloud's own API, each
    /// with its TERMINAL_BIND code (moving the clock past the send limits).
    /// The fingerprint `bind_terminals` gives its `i`th terminal.
    pub fn bound_fingerprint(i: usize) -> String {
        format!("{:032x}", 0xabc0_0000 + i)
    }

    pub async fn bind_terminals(&self, account: &str, n: usize) {
        let digest = hik_proto::PasswordDigest::of_password(PASSWORD);
        for i in 0..n {
            let feature = Self::bound_fingerprint(i);
            let name = format!("Phone {}", i + 1);
            let login = |code: Option<String>| {
                let mut form = vec![
                    ("account", account.to_owned()),
                    ("password", digest.as_str().to_owned()),
                    ("featureCode", feature.clone()),
                    (
                        "cuName",
                        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &name),
                    ),
                ];
                if let Some(c) = code {
                    form.push(("smsCode", c));
                    form.push(("bizType", "TERMINAL_BIND".into()));
                }
                self.http
                    .post(format!("{}/v3/users/login/v2", self.url))
                    .form(&form)
                    .send()
            };
            login(None).await.unwrap();
            // Past the cooldown and the hourly limit of codes.
            self.advance_clock(721).await;
            let before = self.outbox(account, "TERMINAL_BIND").await.len();
            self.http
                .post(format!("{}/v3/sms/nologin/checkcode", self.url))
                .form(&[("from", account), ("bizType", "TERMINAL_BIND")])
                .send()
                .await
                .unwrap();
            let code = self.nth_code(account, "TERMINAL_BIND", before + 1).await;
            let r: Value = login(Some(code)).await.unwrap().json().await.unwrap();
            assert_eq!(r["meta"]["code"], 200, "{r}");
        }
    }

    pub async fn outbox(&self, to: &str, biz: &str) -> Vec<Value> {
        let r: Value = self
            .http
            .get(format!("{}/qa/outbox", self.url))
            .query(&[("to", to), ("bizType", biz)])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        r["messages"].as_array().cloned().unwrap_or_default()
    }

    /// The first code sent to `to` for `biz`, waiting briefly for it to arrive
    /// (the newest too, in tests that send one).
    pub async fn latest_code(&self, to: &str, biz: &str) -> String {
        self.nth_code(to, biz, 1).await
    }

    /// The code of the `n`th message (counting from 1) sent to `to` for `biz`,
    /// waiting for it: after a resend, this is the new code, never the old one.
    pub async fn nth_code(&self, to: &str, biz: &str, n: usize) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let messages = self.outbox(to, biz).await;
            if messages.len() >= n {
                let m = &messages[messages.len() - n];
                let code = m["code"].as_str();
                return code
                    .unwrap_or_else(|| panic!("message without a code: {m}"))
                    .to_owned();
            }
            assert!(
                Instant::now() < deadline,
                "no message {n} for {biz} to {to} in the outbox"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    pub async fn advance_clock(&self, secs: u64) {
        let r = self
            .http
            .post(format!("{}/qa/clock", self.url))
            .json(&json!({ "advanceSeconds": secs }))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success());
    }

    /// An account made through the cloud's own API (not the UI under test),
    /// bound to a throwaway terminal.
    pub async fn create_account(&self, email: &str) {
        let feature = "f".repeat(32);
        let send = |path: &'static str, form: Vec<(&'static str, String)>| {
            self.http
                .post(format!("{}{path}", self.url))
                .header("featureCode", feature.clone())
                .form(&form)
                .send()
        };
        send(
            "/v3/sms/nologin/checkcode",
            vec![
                ("from", email.into()),
                ("bizType", "USER_REGISTRATION".into()),
                ("areaId", "44".into()),
            ],
        )
        .await
        .unwrap();
        let code = self.latest_code(email, "USER_REGISTRATION").await;
        let digest = hik_proto::PasswordDigest::of_password(PASSWORD);
        let r: Value = send(
            "/v3/users/regist/v2",
            vec![
                ("account", email.into()),
                ("password", digest.as_str().into()),
                ("areaId", "44".into()),
                ("smsCode", code),
            ],
        )
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
        assert_eq!(r["meta"]["code"], 200, "{r}");
    }

    pub async fn stop(&mut self) {
        if let Some(c) = self.running.take() {
            c.shutdown().await;
        }
    }
}

/// One install of the app: a data folder and a keyring namespace of its own.
pub struct Install {
    pub data: tempfile::TempDir,
    pub keyring_service: String,
}

impl Install {
    pub fn new() -> Self {
        let data = tempfile::tempdir().unwrap();
        let keyring_service = format!(
            "hik-e2e-{}-{}",
            std::process::id(),
            data.path().file_name().unwrap().to_string_lossy()
        );
        Self {
            data,
            keyring_service,
        }
    }

    /// Read a secret of this install straight from the OS keyring (secret-tool),
    /// independently of the app's own code.
    pub fn keyring_secret(&self, name: &str) -> Option<String> {
        let out = Command::new("secret-tool")
            .args(["lookup", "service", &self.keyring_service, "username", name])
            .output()
            .expect("secret-tool (libsecret-tools) is installed");
        let s = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        (out.status.success() && !s.is_empty()).then_some(s)
    }
}

impl Default for Install {
    fn default() -> Self {
        Self::new()
    }
}

/// A loopback port free now, for tauri-driver.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Every process's parent, from /proc.
pub fn parents() -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // The command name, in parentheses, may hold spaces: read after it.
        let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
            continue;
        };
        if let Some(ppid) = rest.split_whitespace().nth(1).and_then(|p| p.parse().ok()) {
            out.push((pid, ppid));
        }
    }
    out
}

/// `root` and every process below it.
pub fn descendants(root: u32) -> Vec<u32> {
    let all = parents();
    let mut tree = vec![root];
    let mut i = 0;
    while i < tree.len() {
        let p = tree[i];
        tree.extend(all.iter().filter(|(_, pp)| *pp == p).map(|(c, _)| *c));
        i += 1;
    }
    tree
}

/// End `child` and every process below it (tauri-driver starts
/// WebKitWebDriver, which would outlive it), deepest first, by process id.
pub fn end_process_tree(child: &mut Child) {
    // Already ended and reaped: its id may belong to another process by now.
    if matches!(child.try_wait(), Ok(Some(_))) {
        return;
    }
    let below: Vec<u32> = descendants(child.id()).into_iter().skip(1).collect();
    for pid in below.iter().rev() {
        let _ = Command::new("kill").arg(pid.to_string()).status();
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// `#app[data-KEY]` in the window of `client` (`screen`, `started`), or "".
pub async fn app_data(client: &Client, key: &str) -> String {
    let v = client
        .execute(
            "return document.getElementById('app').dataset[arguments[0]] || ''",
            vec![json!(key)],
        )
        .await
        .unwrap();
    v.as_str().unwrap_or_default().to_owned()
}

/// The app running in a window, with a WebDriver session on it.
pub struct App {
    pub client: Client,
    driver: Child,
    name: String,
    shots: u32,
}

impl App {
    /// Start tauri-driver on free ports and open a session that launches the app
    /// against `cloud` with `install`'s data folder and keyring namespace.
    pub async fn launch(name: &str, cloud: &Cloud, install: &Install) -> Self {
        Self::launch_with(name, cloud.url(), install, &[]).await
    }

    pub async fn launch_with(
        name: &str,
        cloud_url: &str,
        install: &Install,
        env: &[(&str, &str)],
    ) -> Self {
        let args = [
            "--cloud-url".to_owned(),
            cloud_url.to_owned(),
            "--data-dir".to_owned(),
            install.data.path().display().to_string(),
            "--keyring-service".to_owned(),
            install.keyring_service.clone(),
        ];
        Self::launch_binary(name, &app_binary(), &args, env).await
    }

    /// Launch `binary` with `args` (the app as a person starts it, or as
    /// installed), and wait for start-up to answer.
    pub async fn launch_binary(
        name: &str,
        binary: &std::path::Path,
        args: &[String],
        env: &[(&str, &str)],
    ) -> Self {
        assert!(
            binary.exists(),
            "build the app first: {} is missing",
            binary.display()
        );
        let (port, native) = (free_port(), free_port());
        let log = std::fs::File::create(artifacts().join(format!("{name}-driver.log"))).unwrap();
        let mut cmd =
            Command::new(std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into()));
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native.to_string(),
        ])
        .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
        // `HIK_E2E_THEME=dark` runs the app with GTK's dark theme, which the
        // web view reports as `prefers-color-scheme: dark` (screenshots).
        .env(
            "GTK_THEME",
            match std::env::var("HIK_E2E_THEME").as_deref() {
                Ok("dark") => "Adwaita:dark",
                _ => "Adwaita",
            },
        )
        .stdout(Stdio::from(log.try_clone().unwrap()))
        .stderr(Stdio::from(log));
        for (k, v) in env {
            cmd.env(k, v);
        }
        let driver = cmd
            .spawn()
            .expect("tauri-driver is installed (cargo install tauri-driver)");
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + WAIT;
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "tauri-driver did not listen on {port}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            json!({ "application": binary, "args": args }),
        );
        let client = loop {
            match webdriver().capabilities(caps.clone()).connect(&url).await {
                Ok(c) => break c,
                Err(e) if Instant::now() < deadline => {
                    eprintln!("retrying the WebDriver session: {e}");
                    tokio::time::sleep(Duration::from_millis(300)).await;
                }
                Err(e) => panic!("no WebDriver session: {e}"),
            }
        };
        let app = Self {
            client,
            driver,
            name: name.to_owned(),
            shots: 0,
        };
        app.wait_started().await;
        app
    }

    fn by(testid: &str) -> Locator<'_> {
        // testids are plain words: no quoting needed.
        Locator::Css(Box::leak(
            format!("[data-testid='{testid}']").into_boxed_str(),
        ))
    }

    /// The first element with `testid` that is displayed, waiting for it.
    pub async fn find(&self, testid: &str) -> Element {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Ok(all) = self.client.find_all(Self::by(testid)).await {
                for e in all {
                    if e.is_displayed().await.unwrap_or(false) {
                        return e;
                    }
                }
            }
            if Instant::now() > deadline {
                self.snap(&format!("missing-{testid}")).await;
                panic!(
                    "[{}] no visible element with data-testid={testid}",
                    self.name
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn fill(&self, testid: &str, text: &str) {
        let e = self.find(testid).await;
        e.clear().await.unwrap();
        e.send_keys(text).await.unwrap();
    }

    /// Choose the option with `value` in the select `testid`.
    pub async fn select(&self, testid: &str, value: &str) {
        self.find(testid)
            .await
            .select_by_value(value)
            .await
            .unwrap();
    }

    pub async fn click(&self, testid: &str) {
        self.find(testid).await.click().await.unwrap();
    }

    /// The text of `testid`. Lists that re-render themselves (the QA drawer
    /// every 2 s) can replace the element between finding and reading it: then
    /// it is found again.
    pub async fn text(&self, testid: &str) -> String {
        let mut tries = 0;
        loop {
            match self.find(testid).await.text().await {
                Ok(t) => return t,
                Err(e) if tries < 20 => {
                    tries += 1;
                    eprintln!("[{}] reading {testid} again: {e}", self.name);
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(e) => panic!("[{}] cannot read {testid}: {e}", self.name),
            }
        }
    }

    /// The texts of every element with `testid`, in page order; read again
    /// whole if the list re-renders under the reader.
    pub async fn texts(&self, testid: &str) -> Vec<String> {
        let css = format!("[data-testid='{testid}']");
        'again: for _ in 0..20 {
            let mut out = Vec::new();
            for e in self.client.find_all(Locator::Css(&css)).await.unwrap() {
                match e.text().await {
                    Ok(t) => out.push(t),
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue 'again;
                    }
                }
            }
            return out;
        }
        panic!(
            "[{}] {testid} kept re-rendering under the reader",
            self.name
        );
    }

    /// An attribute (or DOM property, e.g. `value`, `src`) of `testid`.
    pub async fn prop(&self, testid: &str, name: &str) -> String {
        self.find(testid)
            .await
            .prop(name)
            .await
            .unwrap()
            .unwrap_or_default()
    }

    /// Wait until attribute `name` of `testid` reads `value`.
    pub async fn wait_attr(&self, testid: &str, name: &str, value: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let now = self.find(testid).await.attr(name).await.unwrap();
            if now.as_deref() == Some(value) {
                return;
            }
            if Instant::now() > deadline {
                self.snap(&format!("timeout-attr-{testid}")).await;
                panic!(
                    "[{}] {testid} never had {name}={value:?}; it has {now:?}",
                    self.name
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Whether an element with `testid` is on screen right now (no waiting).
    pub async fn is_visible(&self, testid: &str) -> bool {
        match self.client.find_all(Self::by(testid)).await {
            Ok(all) => {
                for e in all {
                    if e.is_displayed().await.unwrap_or(false) {
                        return true;
                    }
                }
                false
            }
            Err(_) => false,
        }
    }

    /// Wait until `testid` is shown (`true`) or gone (`false`).
    pub async fn wait_visible(&self, testid: &str, visible: bool) {
        let deadline = Instant::now() + WAIT;
        while self.is_visible(testid).await != visible {
            if Instant::now() > deadline {
                self.snap(&format!("timeout-visible-{testid}")).await;
                panic!("[{}] {testid} never became visible={visible}", self.name);
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    /// Paste `text` into `testid` as a person does: onto the X clipboard
    /// (xclip), then Ctrl+V in the focused field.
    pub async fn paste(&self, testid: &str, text: &str) {
        use std::io::Write;
        let mut xclip = Command::new("xclip")
            .args(["-selection", "clipboard", "-i"])
            .stdin(Stdio::piped())
            .spawn()
            .expect("xclip is installed");
        xclip
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        assert!(xclip.wait().unwrap().success());
        let e = self.find(testid).await;
        e.clear().await.unwrap();
        e.click().await.unwrap();
        e.send_keys(&(fantoccini::key::Key::Control + "v"))
            .await
            .unwrap();
    }

    pub async fn is_enabled(&self, testid: &str) -> bool {
        self.find(testid).await.is_enabled().await.unwrap()
    }

    /// Wait until `check` holds for the text of `testid`; returns that text.
    pub async fn wait_text(
        &self,
        testid: &str,
        what: &str,
        check: impl Fn(&str) -> bool,
    ) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let text = self.text(testid).await;
            if check(&text) {
                return text;
            }
            if Instant::now() > deadline {
                self.snap(&format!("timeout-{testid}")).await;
                panic!(
                    "[{}] {testid} never showed {what}; it shows {text:?}",
                    self.name
                );
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    pub async fn wait_enabled(&self, testid: &str, enabled: bool, within: Duration) {
        let deadline = Instant::now() + within;
        while self.is_enabled(testid).await != enabled {
            if Instant::now() > deadline {
                self.snap(&format!("timeout-enabled-{testid}")).await;
                panic!("[{}] {testid} never became enabled={enabled}", self.name);
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// What the screen-reader live region last said.
    pub async fn announced(&self) -> String {
        let v = self
            .client
            .execute(
                "const a = document.getElementById('announcer'); return a ? a.textContent : ''",
                vec![],
            )
            .await
            .unwrap();
        v.as_str().unwrap_or_default().to_owned()
    }

    /// Wait until the live region says something containing `part`.
    pub async fn wait_announced(&self, part: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let said = self.announced().await;
            if said.contains(part) {
                return;
            }
            if Instant::now() > deadline {
                panic!(
                    "[{}] never announced {part:?}; last said {said:?}",
                    self.name
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Type into whatever has the keyboard focus (keys may include Tab, Enter).
    pub async fn type_keys(&self, keys: &str) {
        let focused = self.client.active_element().await.unwrap();
        focused.send_keys(keys).await.unwrap();
    }

    /// The `data-testid` of the element with the keyboard focus.
    pub async fn focused(&self) -> String {
        let v = self
            .client
            .execute(
                "return document.activeElement ? (document.activeElement.dataset.testid || '') : ''",
                vec![],
            )
            .await
            .unwrap();
        v.as_str().unwrap_or_default().to_owned()
    }

    /// Which screen is showing (`login`, `signup`, `verify`, `home`).
    pub async fn screen(&self) -> String {
        app_data(&self.client, "screen").await
    }

    pub async fn wait_screen(&self, name: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let now = self.screen().await;
            if now == name {
                return;
            }
            if Instant::now() > deadline {
                self.snap(&format!("timeout-screen-{name}")).await;
                let error = self.client.find(Self::by("error-message")).await;
                let error = match error {
                    Ok(e) => e.text().await.unwrap_or_default(),
                    Err(_) => String::new(),
                };
                panic!(
                    "[{}] expected screen {name}, still on {now:?} (error: {error:?})",
                    self.name
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// `#app[data-started]`: empty until start-up has answered, then `true`
    /// or `failed`.
    pub async fn started(&self) -> String {
        app_data(&self.client, "started").await
    }

    /// Wait until start-up has answered (`#app[data-started]`): the login
    /// form shows before it, and the last account, the banners and a resumed
    /// session come with it.
    async fn wait_started(&self) {
        let deadline = Instant::now() + WAIT;
        while self.started().await.is_empty() {
            assert!(
                Instant::now() < deadline,
                "[{}] the app never finished starting",
                self.name
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// A screenshot of the X display (WebDriver's own screenshot hangs here).
    pub async fn snap(&self, step: &str) {
        let path = artifacts().join(format!("{}-{:02}-{step}.png", self.name, self.shots));
        let _ = Command::new("import")
            .args(["-window", "root"])
            .arg(&path)
            .status();
    }

    pub async fn shot(&mut self, step: &str) {
        self.shots += 1;
        self.snap(step).await;
    }

    /// End the session: the app quits.
    pub async fn quit(mut self) {
        let _ = self.client.clone().close().await;
        end_process_tree(&mut self.driver);
    }
}

impl Drop for App {
    fn drop(&mut self) {
        end_process_tree(&mut self.driver);
    }
}

/// The window's whole document (WebDriver's page source) names none of
/// `fingerprints`: a featureCode, with the password, skips the code.
pub async fn assert_no_fingerprint(app: &App, fingerprints: &[String]) {
    let source = app.client.source().await.unwrap();
    for f in fingerprints {
        assert!(
            !source.contains(f.as_str()),
            "the DOM holds the fingerprint {f}"
        );
    }
    assert!(
        source.contains("data-terminal-id"),
        "the terminal list is on screen"
    );
}

/// Sign up through the UI and land on home.
pub async fn sign_up_through_ui(app: &mut App, cloud: &Cloud, email: &str) {
    app.click("nav-signup").await;
    app.wait_screen("signup").await;
    app.select("signup-region", "44").await;
    app.fill("signup-email", email).await;
    app.click("signup-send-code").await;
    app.wait_text("signup-code-sent", "where the code went", |t| {
        t.contains("@example.com")
    })
    .await;
    let code = cloud.latest_code(email, "USER_REGISTRATION").await;
    app.fill("signup-code", &code).await;
    app.fill("signup-password", PASSWORD).await;
    app.shot("signup-filled").await;
    app.click("signup-submit").await;
    app.wait_screen("home").await;
}

/// Log in through the UI (account and password) and press the button.
pub async fn log_in_through_ui(app: &App, email: &str) {
    log_in_with(app, email, PASSWORD).await;
}

/// Log in through the UI with `password` and press the button.
pub async fn log_in_with(app: &App, account: &str, password: &str) {
    app.wait_screen("login").await;
    app.fill("login-account", account).await;
    app.fill("login-password", password).await;
    app.click("login-submit").await;
}
