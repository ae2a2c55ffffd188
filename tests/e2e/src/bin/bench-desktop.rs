//! The desktop benchmark (`scripts/bench-desktop`): the app against a
//! hello-world Tauri app of the same Tauri version, side by side in one run.
//!
//! `bench-desktop [LABEL=]HELLO [LABEL=]APP...`: all built in release; the
//! first is the baseline, each other one gets a column and its ratios to it
//! (an older build of the app can stand beside the new one). Launches
//! alternate (hello, app, hello, app, ...), `HIK_BENCH_RUNS` of each (default
//! 7), each through tauri-driver as a WebDriver suite launches it, and the
//! medians are printed:
//! - launch to the login form interactive: from the new-session request to
//!   `login-submit` displayed and enabled (both apps carry that testid);
//! - PSS and RSS of the whole process tree (app, web process, network process)
//!   at the login form, and for the app after logging in, on home;
//! - the binary's size, stripped.
//!
//! Run inside an X display and a D-Bus session with an unlocked keyring
//! (`scripts/webdriver-session`); the app runs on its embedded cloud, as installed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use fantoccini::{Client, Locator};
use hik_proto::request::{QaAccount, Text};
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

/// A binary under test, and the name its column has.
struct Subject {
    label: String,
    binary: PathBuf,
    samples: Samples,
}

#[tokio::main]
async fn main() {
    let subjects: Vec<Subject> = std::env::args()
        .skip(1)
        .map(|a| {
            let (label, path) = a.split_once('=').unwrap_or(("", &a));
            let binary = PathBuf::from(path);
            let label = if label.is_empty() {
                binary.file_name().unwrap().to_string_lossy().into_owned()
            } else {
                label.to_owned()
            };
            Subject {
                label,
                binary,
                samples: Samples::default(),
            }
        })
        .collect();
    if subjects.len() < 2 {
        eprintln!("usage: bench-desktop [LABEL=]HELLO_BINARY [LABEL=]APP_BINARY...");
        std::process::exit(2);
    }
    let mut subjects = subjects;
    let runs: usize = std::env::var("HIK_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(7);
    let driver = Driver::start();
    let account = "bench@example.com";

    // One launch of each first, unmeasured: the disk cache warm for all, each
    // app's database and fingerprint made, and an account to log in to. Each
    // app has a data folder and keyring namespace of its own.
    let mut installs = Vec::new();
    for (i, s) in subjects.iter().enumerate() {
        let data = tempfile::tempdir().unwrap();
        let args = if i == 0 {
            Vec::new()
        } else {
            vec![
                "--data-dir".to_owned(),
                data.path().display().to_string(),
                "--keyring-service".to_owned(),
                format!("hik-bench-{}-{i}", std::process::id()),
            ]
        };
        let warm = driver.launch(&s.binary, &args).await;
        if i > 0 {
            let cloud = warm.cloud_url().await;
            let qa = hik_e2e::Qa::at_with_token(&cloud, warm.qa_token().await);
            qa.create(QaAccount {
                account: hik_proto::Account::parse(account).unwrap(),
                password: Text::new(hik_e2e::PASSWORD),
                area_id: Some(hik_proto::AreaId::new(44)),
                two_step: Some(false),
                devices: None,
                email: None,
                phone: None,
            })
            .await;
        }
        warm.close().await;
        installs.push((data, args));
    }

    for run in 1..=runs {
        eprintln!("run {run} of {runs}");
        for (i, s) in subjects.iter_mut().enumerate() {
            let session = driver.launch(&s.binary, &installs[i].1).await;
            session.measure_login(&mut s.samples).await;
            if i > 0 {
                session.log_in(account).await;
                tokio::time::sleep(SETTLE).await;
                let (pss, rss) = session.tree_memory().0;
                s.samples.home_pss.push(pss);
                s.samples.home_rss.push(rss);
                session.click("nav-logout").await;
                session.wait_screen("login").await;
            }
            session.close().await;
        }
    }

    print_table(&subjects, runs);
    drop(driver);
}

fn print_table(subjects: &[Subject], runs: usize) {
    let base = &subjects[0];
    println!();
    println!("Desktop benchmark: medians of {runs} alternating launches each, release builds");
    let mut head = format!("{:<44} {:>12}", "", base.label);
    for s in &subjects[1..] {
        head += &format!(" {:>12} {:>6}", s.label, "ratio");
    }
    println!("{head}");
    let row = |name: &str, unit: &str, get: &dyn Fn(&Subject) -> Option<f64>| {
        let fmt = |v: Option<f64>| v.map_or("-".to_owned(), |v| format!("{v:.2} {unit}"));
        let b = get(base);
        let mut line = format!("{name:<44} {:>12}", fmt(b));
        for s in &subjects[1..] {
            let v = get(s);
            let ratio = match (b, v) {
                (Some(b), Some(v)) => format!("{:.2}", v / b),
                _ => "-".to_owned(),
            };
            line += &format!(" {:>12} {ratio:>6}", fmt(v));
        }
        println!("{line}");
    };
    let med = |v: &[f64]| (!v.is_empty()).then(|| median(v));
    row("launch to the login form interactive", "s", &|s| {
        med(&s.samples.launch_s)
    });
    row("PSS of the process tree at the login form", "MiB", &|s| {
        med(&s.samples.login_pss)
    });
    row("RSS of the process tree at the login form", "MiB", &|s| {
        med(&s.samples.login_rss)
    });
    // The app's own process is named after its binary (/proc/PID/comm keeps
    // 15 characters); WebKit's processes after WebKit.
    row("  of which the app's own process", "MiB", &|s| {
        let own: String = s
            .binary
            .file_name()?
            .to_string_lossy()
            .chars()
            .take(15)
            .collect();
        s.samples.by_process.get(&own).map(|v| median(v))
    });
    let mut webkit: Vec<&String> = subjects
        .iter()
        .flat_map(|s| s.samples.by_process.keys())
        .filter(|n| n.starts_with("WebKit"))
        .collect();
    webkit.sort();
    webkit.dedup();
    for name in webkit {
        row(&format!("  of which {name}"), "MiB", &|s| {
            s.samples.by_process.get(name).map(|v| median(v))
        });
    }
    row("PSS of the process tree on home, logged in", "MiB", &|s| {
        med(&s.samples.home_pss)
    });
    row("RSS of the process tree on home, logged in", "MiB", &|s| {
        med(&s.samples.home_rss)
    });
    row("stripped binary", "MiB", &|s| Some(stripped_mib(&s.binary)));
    println!("targets: launch <= 1.10, PSS at the login form <= 1.10, stripped binary <= 11 MiB");
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
        let port = hik_e2e::free_port();
        let child =
            Command::new(std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into()))
                .args([
                    "--port",
                    &port.to_string(),
                    "--native-port",
                    &hik_e2e::free_port().to_string(),
                ])
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
        let client = hik_e2e::webdriver()
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
}

/// tauri-driver goes with the run, however it ends (a failed launch panics).
impl Drop for Driver {
    fn drop(&mut self) {
        hik_e2e::end_process_tree(&mut self.child);
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
        for pid in hik_e2e::descendants(self.pid) {
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

    /// The token of the embedded cloud's QA surface, from the inbox address
    /// in the footer (none in builds from before it had one).
    async fn qa_token(&self) -> Option<String> {
        let e = self
            .client
            .find(Locator::Css("[data-testid='qa-inbox-url']"))
            .await
            .ok()?;
        let inbox = e.text().await.ok()?;
        hik_e2e::qa_inbox_parts(&inbox).map(|(_, token)| token)
    }

    /// Wait until start-up has answered (`#app[data-started]`).
    async fn wait_started(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let v = self
                .client
                .execute(
                    // Builds from before `data-started` fill the footer then.
                    "const cloud = document.querySelector(\"[data-testid='cloud-url']\"); \
                     return document.getElementById('app').dataset.started \
                       || (cloud && cloud.textContent) || ''",
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
        while hik_e2e::app_data(&self.client, "screen").await != name {
            assert!(Instant::now() < deadline, "the {name} screen never showed");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// End the session (which ends the app) and wait for its processes to go.
    async fn close(self) {
        let tree = hik_e2e::descendants(self.pid);
        let _ = self.client.close().await;
        let deadline = Instant::now() + Duration::from_secs(20);
        while tree.iter().any(|p| hik_e2e::is_running(*p)) {
            assert!(Instant::now() < deadline, "the app did not exit");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// The app's process: the one below tauri-driver running `binary`.
fn app_pid(driver: u32, binary: &Path) -> u32 {
    hik_e2e::atspi::app_process(driver, binary)
        .unwrap_or_else(|| panic!("no process of {} below tauri-driver", binary.display()))
}
