//! `scripts/webdriver-session`, as a suite meets it: what it exports works
//! (tauri-driver, the cloud's QA surface, the keyring), the command's exit
//! status comes back, and nothing it started, or that the command left
//! behind, outlives it, whether the command ends or the session is stopped.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn session() -> Command {
    let mut cmd = Command::new(hik_e2e::workspace().join("scripts/webdriver-session"));
    cmd.stdin(Stdio::null());
    cmd
}

/// The command run inside: checks what the session exports, prints the
/// process ids of the session's children and of a process it leaves
/// behind, then ends with `status` (or waits to be stopped).
const INSIDE: &str = r#"
set -e
curl -sf "$HIK_WEBDRIVER_URL/status" >/dev/null
curl -sf "$HIK_QA_CLOUD_URL/qa/clock" >/dev/null
echo -n kept | secret-tool store --label probe service session-test username probe
[ "$(secret-tool lookup service session-test username probe)" = kept ]
[ -x "$HIK_APP_PATH" ] && [ -x "$HIK_CAPTURE_WINDOW" ]
sleep 600 &
echo "pids: $(ps -o pid= --ppid "$PPID" | tr '\n' ' ') $!"
echo "display: $DISPLAY"
if [ "$1" = wait ]; then echo ready; sleep 600; fi
exit "$1"
"#;

fn pids(out: &str) -> Vec<u32> {
    let line = out
        .lines()
        .find_map(|l| l.strip_prefix("pids: "))
        .unwrap_or_else(|| panic!("no pids in {out:?}"));
    line.split_whitespace()
        .map(|p| p.parse().unwrap())
        .collect()
}

fn all_gone(pids: &[u32]) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while pids.iter().any(|p| hik_e2e::is_running(*p)) {
        assert!(
            Instant::now() < deadline,
            "still running after the session: {:?}",
            pids.iter()
                .filter(|p| hik_e2e::is_running(**p))
                .collect::<Vec<_>>()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn the_session_exports_what_a_suite_needs_and_leaves_nothing_behind() {
    let Output {
        status,
        stdout,
        stderr,
    } = session()
        .args(["bash", "-c", INSIDE, "inside", "3"])
        .output()
        .unwrap();
    let (out, err) = (
        String::from_utf8_lossy(&stdout),
        String::from_utf8_lossy(&stderr),
    );
    assert_eq!(status.code(), Some(3), "the command's status: {out}\n{err}");
    let started = pids(&out);
    // Xvfb, D-Bus, the keyring, the cloud, tauri-driver, the command, and
    // the process the command left behind.
    assert!(started.len() >= 7, "{out}");
    let outer = std::env::var("DISPLAY").unwrap_or_default();
    let inner = out
        .lines()
        .find_map(|l| l.strip_prefix("display: "))
        .unwrap();
    assert!(
        inner.starts_with(':') && inner != outer,
        "a display of its own: {inner}"
    );
    all_gone(&started);
}

#[test]
fn a_session_stopped_midway_ends_everything() {
    let mut child = session()
        .args(["bash", "-c", INSIDE, "inside", "wait"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = String::new();
    {
        use std::io::BufRead;
        let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
        while !out.contains("ready") {
            let line = lines
                .next()
                .expect("the command said it was ready")
                .unwrap();
            out.push_str(&line);
            out.push('\n');
        }
    }
    let started = pids(&out);
    let stopped = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(128 + 15), "stopped by SIGTERM");
    all_gone(&started);
}

/// A process whose parent ends while the command runs (WebKit's network
/// process when its app quits) comes to the session, which collects it when
/// it ends, so that a suite watching a process tree go never waits on a
/// zombie.
#[test]
fn an_orphan_that_ends_while_the_command_runs_is_collected() {
    const ORPHAN: &str = r#"
sh -c 'sleep 0.3 & echo $! > "$TMPDIR/orphan"'
sleep 2.5
pid=$(cat "$TMPDIR/orphan")
if [ -e "/proc/$pid" ]; then echo "left: $(ps -o stat= -p "$pid")"; else echo collected; fi
"#;
    let out = session()
        .args(["--no-driver", "bash", "-c", ORPHAN])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("collected"), "{stdout}");
}
