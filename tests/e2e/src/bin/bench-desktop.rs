//! The desktop benchmark (`scripts/bench-desktop`): the app against a
//! hello-world Tauri app of the same Tauri version, side by side in one run.
//!
//! `bench-desktop HELLO APP`: both built in release. Launches alternate (hello,
//! app, hello, app, ...), `HIK_BENCH_RUNS` of each (default 5), each through
//! tauri-driver as a WebDriver suite launches it, and the medians are printed
//! with their ratios:
//! - launch to the login form interactive: from the new-session request to
//!   `login-submit` displayed and enabled (both apps carry that testid);
//! - PSS and RSS of the whole process tree (app, web process, network process)
//!   at the login form, and for the app after logging in, on home;
//! - the binary's size, stripped.
//!
//! Run inside an X display and a D-Bus session with an unlocked keyring
//! (`scripts/e2e-session`); the app runs on its embedded cloud, as installed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SUBMIT: Locator<'static> = Locator::Css("[data-testid='login-submit']");
/// How long a screen is left to settle before its memory is read.
const SETTLE: Duration = Duration::from_secs(2);

#[derive(Default)]
struct Samples {
    launch_s: Vec<f64>,
    login_pss: Vec<f64>,
    login_rss: Vec<f64>,
    home_pss: Vec<f64>,
    home_rss: Vec<f64>,
    /// PSS at the login form by process name (the app, WebKitWebProcess, ...).
    by_process: BTreeMap<String, Vec<f64>>,
}

#[tokio::main]
async fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [hello, app] = args.as_slice() else {
        eprintln!("usage: bench-desktop HELLO_BINARY APP_BINARY");
        std::process::exit(2);
    };
    let runs: usize = std::env::var("HIK_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let driver = Driver::start();
    let data = tempfile::tempdir().unwrap();
    let keyring = format!("hik-bench-{}", std::process::id());
    let app_args = vec![
        "--data-dir".to_owned(),
        data.path().display().to_string(),
        "--keyring-service".to_owned(),
        keyring,
    ];

    // One launch of each first, unmeasured: the disk cache warm for both, the
    // app's database and fingerprint made, and an account to log in to.
    let warm = driver.launch(hello, &[]).await;
    warm.close(&driver).await;
    let warm = driver.launch(app, &app_args).await;
    let cloud = warm.cloud_url().await;
    let account = "bench@example.com";
    reqwest::Client::new()
        .post(format!("{cloud}/qa/accounts"))
        .json(&json!({ "account": account, "password": hik_e2e::PASSWORD, "areaId": 44, "twoStep": false }))
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
    warm.close(&driver).await;

    let (mut h, mut a) = (Samples::default(), Samples::default());
    for run in 1..=runs {
        eprintln!("run {run} of {runs}");
        let s = driver.launch(hello, &[]).await;
        s.measure_login(&mut h).await;
        s.close(&driver).await;

        let s = driver.launch(app, &app_args).await;
        s.measure_login(&mut a).await;
        s.log_in(account).await;
        tokio::time::sleep(SETTLE).await;
        let (pss, rss) = s.tree_memory().0;
        a.home_pss.push(pss);
        a.home_rss.push(rss);
        s.click("nav-logout").await;
        s.wait_screen("login").await;
        s.close(&driver).await;
    }

    let (hello_size, app_size) = (stripped_mib(hello), stripped_mib(app));
    println!();
    println!("Desktop benchmark: medians of {runs} alternating launches each, release builds");
    println!(
        "{:<44} {:>12} {:>12} {:>7}",
        "", "hello-tauri", "this app", "ratio"
    );
    let row = |name: &str, unit: &str, h: Option<f64>, a: f64| {
        let fmt = |v: f64| format!("{v:.2} {unit}");
        match h {
            Some(h) => println!("{name:<44} {:>12} {:>12} {:>7.2}", fmt(h), fmt(a), a / h),
            None => println!("{name:<44} {:>12} {:>12} {:>7}", "-", fmt(a), "-"),
        }
    };
    row(
        "launch to the login form interactive",
        "s",
        Some(median(&h.launch_s)),
        median(&a.launch_s),
    );
    row(
        "PSS of the process tree at the login form",
        "MiB",
        Some(median(&h.login_pss)),
        median(&a.login_pss),
    );
    row(
        "RSS of the process tree at the login form",
        "MiB",
        Some(median(&h.login_rss)),
        median(&a.login_rss),
    );
    for (process, values) in &a.by_process {
        let hv = h.by_process.get(process).map(|v| median(v));
        let label = if Path::new(process) == app.file_name().map(Path::new).unwrap_or(Path::new(""))
        {
            "the app process"
        } else {
            process.as_str()
        };
        row(&format!("  of which {label}"), "MiB", hv, median(values));
    }
    if let Some(v) = h.by_process.get(
        hello
            .file_name()
            .and_then(|f| f.to_str())
            .unwrap_or_default(),
    ) {
        println!(
            "{:<44} {:>12}",
            "  (the hello app's own process)",
            format!("{:.2} MiB", median(v))
        );
    }
    row(
        "PSS of the process tree on home, logged in",
        "MiB",
        None,
        median(&a.home_pss),
    );
    row(
        "RSS of the process tree on home, logged in",
        "MiB",
        None,
        median(&a.home_rss),
    );
    row("stripped binary", "MiB", Some(hello_size), app_size);
    println!("targets: launch <= 1.25, PSS at the login form <= 1.15, stripped binary <= 12 MiB");
    driver.stop();
}

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// The binary's size once stripped of symbols (a copy; the build is untouched).
fn stripped_mib(binary: &Path) -> f64 {
    let out = tempfile::NamedTempFile::new().unwrap();
    let status = Command::new("strip")
        .arg("-o")
        .arg(out.path())
        .arg(binary)
        .status()
        .expect("strip (binutils) is installed");
    assert!(status.success(), "strip failed on {}", binary.display());
    std::fs::metadata(out.path()).unwrap().len() as f64 / (1024.0 * 1024.0)
}

/// tauri-driver on free ports, for every launch of the run.
struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    fn start() -> Self {
        let port = free_port();
        let child =
            Command::new(std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into()))
                .args([
                    "--port",
                    &port.to_string(),
                    "--native-port",
                    &free_port().to_string(),
                ])
                .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("tauri-driver is installed (cargo install tauri-driver)");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "tauri-driver did not listen");
            std::thread::sleep(Duration::from_millis(50));
        }
        Self {
            child,
            url: format!("http://127.0.0.1:{port}"),
        }
    }

    /// Launch `binary` and wait for its login form to be interactive.
    async fn launch(&self, binary: &Path, args: &[String]) -> Session {
        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            json!({ "application": binary, "args": args }),
        );
        let began = Instant::now();
        let client = ClientBuilder::native()
            .capabilities(caps)
            .connect(&self.url)
            .await
            .expect("a WebDriver session");
        let deadline = began + Duration::from_secs(30);
        loop {
            if let Ok(e) = client.find(SUBMIT).await {
                if e.is_displayed().await.unwrap_or(false) && e.is_enabled().await.unwrap_or(false)
                {
                    break;
                }
            }
            assert!(Instant::now() < deadline, "no login form in 30 s");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let launch = began.elapsed().as_secs_f64();
        let pid = app_pid(self.child.id(), binary);
        Session {
            client,
            pid,
            launch,
        }
    }

    fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Session {
    client: Client,
    pid: u32,
    launch: f64,
}

impl Session {
    async fn measure_login(&self, into: &mut Samples) {
        into.launch_s.push(self.launch);
        tokio::time::sleep(SETTLE).await;
        let ((pss, rss), by) = self.tree_memory();
        into.login_pss.push(pss);
        into.login_rss.push(rss);
        for (name, v) in by {
            into.by_process.entry(name).or_default().push(v);
        }
    }

    /// PSS and RSS (MiB) of the app and every process below it, and PSS by
    /// process name.
    fn tree_memory(&self) -> ((f64, f64), BTreeMap<String, f64>) {
        let (mut pss, mut rss, mut by) = (0.0, 0.0, BTreeMap::new());
        for pid in descendants(self.pid) {
            let Ok(rollup) = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")) else {
                continue;
            };
            let field = |name: &str| {
                rollup
                    .lines()
                    .find_map(|l| l.strip_prefix(name))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
                    .unwrap_or(0.0)
                    / 1024.0
            };
            let (p, r) = (field("Pss:"), field("Rss:"));
            pss += p;
            rss += r;
            let name = std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .unwrap_or_default()
                .trim()
                .to_owned();
            *by.entry(name).or_insert(0.0) += p;
        }
        ((pss, rss), by)
    }

    async fn cloud_url(&self) -> String {
        self.wait_started().await;
        let e = self
            .client
            .find(Locator::Css("[data-testid='cloud-url']"))
            .await
            .unwrap();
        e.text().await.unwrap()
    }

    async fn wait_started(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let v = self
                .client
                .execute(
                    "return document.getElementById('app').dataset.started || ''",
                    vec![],
                )
                .await
                .unwrap();
            if v.as_str().is_some_and(|s| !s.is_empty()) {
                return;
            }
            assert!(Instant::now() < deadline, "the app never finished starting");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn log_in(&self, account: &str) {
        self.wait_started().await;
        let field = |id: &'static str| Locator::Css(id);
        let a = self
            .client
            .find(field("[data-testid='login-account']"))
            .await
            .unwrap();
        a.clear().await.unwrap();
        a.send_keys(account).await.unwrap();
        let p = self
            .client
            .find(field("[data-testid='login-password']"))
            .await
            .unwrap();
        p.send_keys(hik_e2e::PASSWORD).await.unwrap();
        self.client
            .find(SUBMIT)
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        self.wait_screen("home").await;
        // The device list is the home screen's content: wait for it too.
        let deadline = Instant::now() + Duration::from_secs(30);
        while self
            .client
            .find_all(Locator::Css("[data-testid='device-row']"))
            .await
            .map(|v| v.is_empty())
            .unwrap_or(true)
        {
            assert!(Instant::now() < deadline, "no devices on home");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn click(&self, testid: &str) {
        let css = format!("[data-testid='{testid}']");
        self.client
            .find(Locator::Css(&css))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }

    async fn wait_screen(&self, name: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let v = self
                .client
                .execute(
                    "return document.getElementById('app').dataset.screen || ''",
                    vec![],
                )
                .await
                .unwrap();
            if v.as_str() == Some(name) {
                return;
            }
            assert!(Instant::now() < deadline, "the {name} screen never showed");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// End the session (which ends the app) and wait for its processes to go.
    async fn close(self, _driver: &Driver) {
        let tree = descendants(self.pid);
        let _ = self.client.close().await;
        let deadline = Instant::now() + Duration::from_secs(20);
        while tree
            .iter()
            .any(|p| Path::new(&format!("/proc/{p}")).exists())
        {
            assert!(Instant::now() < deadline, "the app did not exit");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Every process's parent, from /proc.
fn parents() -> Vec<(u32, u32)> {
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
fn descendants(root: u32) -> Vec<u32> {
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

/// The app's process: the one below tauri-driver running `binary`.
fn app_pid(driver: u32, binary: &Path) -> u32 {
    let binary = std::fs::canonicalize(binary).unwrap();
    descendants(driver)
        .into_iter()
        .find(|p| std::fs::read_link(format!("/proc/{p}/exe")).is_ok_and(|e| e == binary))
        .unwrap_or_else(|| panic!("no process of {} below tauri-driver", binary.display()))
}
