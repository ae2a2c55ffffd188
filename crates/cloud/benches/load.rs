//! Load benchmark: the cloud on loopback under 1, 16 and 64 concurrent clients.
//! Prints the Argon2 floor (hashes per second with the configured parameters on
//! all cores), then requests per second and p50/p99 latency for logins from a
//! bound terminal, refreshes, and area-list requests. Run with
//! `cargo bench -p hik-cloud` (release build); `HIK_BENCH_SECS` sets the time
//! per measurement (default 4), `HIK_BENCH_ONLY` one operation (argon2, login,
//! refresh or area) for profiling.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hik_proto::PasswordDigest;
use serde_json::Value;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const PASSWORD: &str = "Correct-Horse-9";
const TERMINAL: &str = "0123456789abcdef0123456789abcdef";

/// Whether `op` is to be measured this run.
fn wanted(op: &str) -> bool {
    std::env::var("HIK_BENCH_ONLY").map_or(true, |only| only == op)
}

fn secs() -> Duration {
    Duration::from_secs(
        std::env::var("HIK_BENCH_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(4),
    )
}

/// Argon2id hashes per second over all cores, with the cloud's parameters.
fn argon2_floor(rules: &hik_cloud::Rules) -> f64 {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let params = argon2::Params::new(
        rules.argon2_memory_kib,
        rules.argon2_passes,
        rules.argon2_lanes,
        None,
    )
    .unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let workers: Vec<_> = (0..cores)
        .map(|i| {
            let stop = Arc::clone(&stop);
            let params = params.clone();
            std::thread::spawn(move || {
                let argon = argon2::Argon2::new(
                    argon2::Algorithm::Argon2id,
                    argon2::Version::V0x13,
                    params,
                );
                let salt = SaltString::encode_b64(&[i as u8; 16]).unwrap();
                let mut n = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    argon
                        .hash_password(b"5f4dcc3b5aa765d61d8327deb882cf99", &salt)
                        .unwrap();
                    n += 1;
                }
                n
            })
        })
        .collect();
    std::thread::sleep(secs());
    stop.store(true, Ordering::Relaxed);
    let total: u64 = workers.into_iter().map(|w| w.join().unwrap()).sum();
    total as f64 / started.elapsed().as_secs_f64()
}

struct Stats {
    requests: usize,
    per_sec: f64,
    p50_ms: f64,
    p99_ms: f64,
}

/// Run `clients` loops of `op` for the measurement time; each client gets its
/// own state from `make`.
async fn measure<S, F, Fut>(clients: usize, make: impl Fn(usize) -> S, op: F) -> Stats
where
    S: Send + 'static,
    F: Fn(reqwest::Client, S) -> Fut + Send + Sync + Copy + 'static,
    Fut: std::future::Future<Output = S> + Send,
{
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(128)
        .build()
        .unwrap();
    let deadline = Instant::now() + secs();
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|i| {
            let http = http.clone();
            let mut state = make(i);
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                while Instant::now() < deadline {
                    let t = Instant::now();
                    state = op(http.clone(), state).await;
                    latencies.push(t.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    Stats {
        requests: all.len(),
        per_sec: all.len() as f64 / elapsed,
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
    }
}

async fn login(http: &reqwest::Client, url: &str) -> Value {
    let digest = PasswordDigest::of_password(PASSWORD);
    http.post(format!("{url}/v3/users/login/v2"))
        .header("featureCode", TERMINAL)
        .form(&[
            ("account", "bench@example.com"),
            ("password", digest.as_str()),
            ("featureCode", TERMINAL),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::main]
async fn main() {
    let rules = hik_cloud::Rules::default();
    println!(
        "hik-cloud load benchmark: {} s per measurement, {} cores",
        secs().as_secs(),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let floor = if wanted("argon2") || wanted("login") {
        argon2_floor(&rules)
    } else {
        f64::NAN
    };
    println!(
        "Argon2id floor: {floor:.1} hashes/s ({} KiB, {} passes, {} lane)\n",
        rules.argon2_memory_kib, rules.argon2_passes, rules.argon2_lanes
    );

    let dir = tempfile::tempdir().unwrap();
    // The cloud runs on a runtime of its own, as it would in its own process:
    // the load generator's tasks do not queue in front of the cloud's.
    let db = dir.path().join("bench.db");
    let (started, cloud_url) = std::sync::mpsc::channel();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            // A standalone cloud's hashing (a thread per core, memory kept), not
            // the desktop app's lighter one.
            let config = hik_cloud::Config {
                hashing: hik_cloud::Hashing::server(),
                ..hik_cloud::Config::embedded(db)
            };
            let cloud = hik_cloud::spawn(config).await.unwrap();
            started.send(cloud.url()).unwrap();
            let _ = stopped.await;
            cloud.shutdown().await;
        });
    });
    let url = cloud_url.recv().unwrap();
    let http = reqwest::Client::new();
    // A ready account whose terminal is bound (sign-up binds the terminal that signs up).
    http.post(format!("{url}/v3/sms/nologin/checkcode"))
        .form(&[
            ("from", "bench@example.com"),
            ("bizType", "USER_REGISTRATION"),
            ("areaId", "44"),
        ])
        .send()
        .await
        .unwrap();
    let outbox: Value = http
        .get(format!("{url}/qa/outbox?to=bench@example.com&limit=1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let code = outbox["messages"][0]["code"].as_str().unwrap().to_owned();
    let digest = PasswordDigest::of_password(PASSWORD);
    let r: Value = http
        .post(format!("{url}/v3/users/regist/v2"))
        .header("featureCode", TERMINAL)
        .form(&[
            ("account", "bench@example.com"),
            ("password", digest.as_str()),
            ("areaId", "44"),
            ("smsCode", code.as_str()),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["meta"]["code"], 200, "{r}");
    assert_eq!(login(&http, &url).await["meta"]["code"], 200);

    println!(
        "{:<10} {:>8} {:>10} {:>10} {:>9} {:>9}",
        "operation", "clients", "requests", "req/s", "p50 ms", "p99 ms"
    );
    let mut login_64 = 0.0;
    for clients in [1, 16, 64].into_iter().filter(|_| wanted("login")) {
        let u = url.clone();
        let s = measure(
            clients,
            move |_| u.clone(),
            |http, url| async move {
                let r = login(&http, &url).await;
                assert_eq!(r["meta"]["code"], 200, "{r}");
                url
            },
        )
        .await;
        print_row("login", clients, &s);
        login_64 = s.per_sec;
    }
    for clients in [1, 16, 64].into_iter().filter(|_| wanted("refresh")) {
        // Each client rotates its own refresh token chain.
        let mut tokens = Vec::new();
        for _ in 0..clients {
            tokens.push(
                login(&http, &url).await["loginSession"]["rfSessionId"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            );
        }
        let u = url.clone();
        let s = measure(
            clients,
            move |i| (u.clone(), tokens[i].clone()),
            |http, (url, token)| async move {
                let r: Value = http
                    .put(format!("{url}/v3/apigateway/login"))
                    .header("featureCode", TERMINAL)
                    .form(&[
                        ("refreshSessionId", token.as_str()),
                        ("featureCode", TERMINAL),
                    ])
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                let next = r["sessionInfo"]["refreshSessionId"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{r}"))
                    .to_owned();
                (url, next)
            },
        )
        .await;
        print_row("refresh", clients, &s);
    }
    for clients in [1, 16, 64].into_iter().filter(|_| wanted("area")) {
        let u = url.clone();
        let s = measure(
            clients,
            move |_| u.clone(),
            |http, url| async move {
                let r = http
                    .get(format!("{url}/v3/users/area/list"))
                    .send()
                    .await
                    .unwrap();
                assert!(r.status().is_success());
                let _ = r.bytes().await.unwrap();
                url
            },
        )
        .await;
        print_row("area list", clients, &s);
    }
    if wanted("login") {
        println!(
            "\nlogins at 64 clients / Argon2 floor = {:.2} (target at least 0.8)",
            login_64 / floor
        );
    }
    let _ = stop.send(());
    server.join().unwrap();
}

fn print_row(op: &str, clients: usize, s: &Stats) {
    println!(
        "{op:<10} {clients:>8} {:>10} {:>10.0} {:>9.2} {:>9.2}",
        s.requests, s.per_sec, s.p50_ms, s.p99_ms
    );
}
