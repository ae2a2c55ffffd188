//! Harness for end-to-end suites: the built app in a real window, driven through
//! tauri-driver and WebKitWebDriver, against a cloud of its own.
//!
//! Run by `scripts/test` inside `scripts/webdriver-session` (Xvfb, a private
//! D-Bus session, an unlocked gnome-keyring). `HIK_APP_PATH`, which the
//! session sets, names the app (default: the debug build in the workspace
//! target folder); `HIK_E2E_ARTIFACTS` a folder for screenshots (default
//! `artifacts/e2e`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub mod atspi;
pub mod axe;
pub mod contrast;
pub mod keys;
pub mod layout;
pub mod live;
mod processes;
pub mod walks;

const WAIT: Duration = Duration::from_secs(20);

/// The repository's root (its `scripts/`, `target/`).
pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn app_binary() -> PathBuf {
    std::env::var_os("HIK_APP_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target/debug/hik-connect-sim"))
}

/// Where pictures and logs of this run go (`HIK_E2E_ARTIFACTS`).
pub fn artifacts() -> PathBuf {
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

pub use hik_testkit::{terminal, Api, Cloud, Messages, Qa, ResultCode, PASSWORD};
/// The cloud of a test, its protocol client and its QA surface: the one
/// test kit every suite uses (`crates/testkit`).
pub use processes::{descendants, end_process_tree, is_running, parents};

/// One install of the app: a data folder and a keyring namespace of its own.
pub struct Install {
    pub data: tempfile::TempDir,
    pub keyring_service: String,
    /// The language it is started in (`--lang`).
    pub lang: String,
    /// GTK's theme for it (`dark`), else `HIK_E2E_THEME`'s, else light.
    pub theme: Option<String>,
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
            lang: "en".to_owned(),
            theme: None,
        }
    }

    /// The same install, speaking `lang` (`--lang`): English unless a test
    /// says otherwise, since tests assert English words.
    pub fn speaking(mut self, lang: &str) -> Self {
        self.lang = lang.to_owned();
        self
    }

    /// The same install, in GTK's `theme` (`dark`), which the web view
    /// reports as `prefers-color-scheme`.
    pub fn themed(mut self, theme: &str) -> Self {
        self.theme = Some(theme.to_owned());
        self
    }

    /// The app's arguments that make it this install: its data folder,
    /// keyring namespace and language.
    pub fn args(&self) -> Vec<String> {
        vec![
            "--data-dir".to_owned(),
            self.data.path().display().to_string(),
            "--keyring-service".to_owned(),
            self.keyring_service.clone(),
            "--lang".to_owned(),
            self.lang.clone(),
        ]
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

/// GTK's theme for `dark` or anything else (light).
pub fn gtk_theme(theme: &str) -> &'static str {
    if theme == "dark" {
        "Adwaita:dark"
    } else {
        "Adwaita"
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

/// The cloud's address and the QA token in an inbox address the app shows
/// (`BASE/qa/inbox?qaToken=T`), or `None` when it carries no token.
pub fn qa_inbox_parts(inbox: &str) -> Option<(String, String)> {
    let (base, token) = inbox.split_once("/qa/inbox?qaToken=")?;
    Some((base.to_owned(), token.to_owned()))
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
    /// The `--data-dir` it was started with: how its window is found.
    data_dir: Option<String>,
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
        let mut args = vec!["--cloud-url".to_owned(), cloud_url.to_owned()];
        args.extend(install.args());
        let theme = install.theme.as_deref().map(gtk_theme);
        let env: Vec<(&str, &str)> = env
            .iter()
            .copied()
            .chain(theme.map(|t| ("GTK_THEME", t)))
            .collect();
        Self::launch_binary(name, &app_binary(), &args, &env).await
    }

    /// Launch the app with a data folder it cannot use (a file stands
    /// where the folder should be): start-up fails. The folder's path, and
    /// what holds it, come back with the app.
    pub async fn launch_start_failing(
        name: &str,
        cloud: &Cloud,
        env: &[(&str, &str)],
    ) -> (Self, PathBuf, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let not_a_folder = dir.path().join("file");
        std::fs::write(&not_a_folder, "not a folder").unwrap();
        let args = [
            "--cloud-url".to_owned(),
            cloud.url().to_owned(),
            "--data-dir".to_owned(),
            not_a_folder.display().to_string(),
        ];
        let app = Self::launch_binary(name, &app_binary(), &args, env).await;
        (app, not_a_folder, dir)
    }

    /// Launch `binary` as the menu starts it, on its embedded cloud (no
    /// cloud address), with `install`'s data folder and keyring namespace.
    pub async fn launch_embedded(name: &str, binary: &std::path::Path, install: &Install) -> Self {
        Self::launch_binary(name, binary, &install.args(), &[]).await
    }

    /// The embedded cloud's address and the token its QA surface needs,
    /// from the QA inbox address in the footer (`…/qa/inbox?qaToken=T`).
    pub async fn embedded_qa(&self) -> (String, String) {
        let inbox = self.text("qa-inbox-url").await;
        qa_inbox_parts(&inbox)
            .unwrap_or_else(|| panic!("the inbox address carries the QA token: {inbox}"))
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
        // `HIK_E2E_THEME=dark` runs the app with GTK's dark theme, which the
        // web view reports as `prefers-color-scheme: dark` (screenshots).
        .env(
            "GTK_THEME",
            gtk_theme(&std::env::var("HIK_E2E_THEME").unwrap_or_default()),
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
            data_dir: args
                .iter()
                .position(|a| a == "--data-dir")
                .and_then(|i| args.get(i + 1).cloned()),
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

    /// Scroll the element `testid` names into view (for a screenshot).
    pub async fn scroll_to(&self, testid: &str) {
        self.client
            .execute(
                "document.querySelector(`[data-testid='${arguments[0]}']`)?.scrollIntoView({block: 'start'})",
                vec![serde_json::Value::from(testid)],
            )
            .await
            .unwrap();
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

    /// A picture of this app's window alone, as the X display shows it
    /// (`scripts/capture-window` raises it first; WebDriver's own screenshot
    /// waits for ever on a covered window).
    pub async fn snap(&self, step: &str) {
        let path = artifacts().join(format!("{}-{:02}-{step}.png", self.name, self.shots));
        let mut capture = Command::new(workspace().join("scripts/capture-window"));
        capture
            .arg(&path)
            .args(&self.data_dir)
            .stdout(Stdio::null());
        let _ = capture.status();
    }

    pub async fn shot(&mut self, step: &str) {
        self.shots += 1;
        self.snap(step).await;
    }

    /// Run `js` in the window (WebDriver's execute) and return its value.
    pub async fn execute(&self, js: &str) -> serde_json::Value {
        self.client.execute(js, vec![]).await.unwrap()
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
    let code = cloud.qa().latest_code(email, "USER_REGISTRATION").await;
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
