//! Load benchmark: the cloud on loopback under 1, 16 and 64 concurrent clients,
//! on SQLite (one instance), on PostgreSQL with one instance, and on
//! PostgreSQL with three instances that each client's requests go to in turn
//! (as a load balancer would send them), each with the QA surface off, as a
//! production cluster runs. Prints the Argon2 floor (hashes per
//! second with the configured parameters on all cores), then requests per
//! second and p99 latency for logins from a bound terminal, refreshes and
//! area-list requests, side by side with their ratios to SQLite.
//!
//! `cargo bench -p hik-cloud` runs SQLite alone; `scripts/with-postgres cargo
//! bench -p hik-cloud` adds the PostgreSQL columns (HIK_TEST_POSTGRES names the
//! server). Each figure is the median of `HIK_BENCH_ROUNDS` rounds (default 3)
//! of `HIK_BENCH_SECS` seconds (default 2), the setups taking turns within each
//! round, as this machine is shared and noisy. `HIK_BENCH_ONLY` measures one
//! operation (argon2, login, refresh or area) for profiling.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hik_proto::PasswordDigest;
use serde_json::Value;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hik_testkit::{Cloud, ResultCode, PASSWORD};

/// The account every client logs in to, from the terminal it signed up on.
const ACCOUNT: &str = "bench@example.com";
const TERMINAL: &str = "01010101010101010101010101010101";

/// A reply's `meta.code`.
fn code(reply: &Value) -> ResultCode {
    serde_json::from_value(reply["meta"]["code"].clone()).unwrap_or(ResultCode::Other(0))
}

/// Whether `op` is to be measured this run.
fn wanted(op: &str) -> bool {
    std::env::var("HIK_BENCH_ONLY").map_or(true, |only| only == op)
}

fn secs() -> Duration {
    Duration::from_secs(
        std::env::var("HIK_BENCH_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(2),
    )
}

fn rounds() -> usize {
    std::env::var("HIK_BENCH_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3)
        .max(1)
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

#[derive(Clone, Copy)]
struct Stats {
    per_sec: f64,
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
    // Each client first makes one request that is not counted (its
    // connections opened, its statements prepared), and the clock starts
    // when all of them have.
    let ready = Arc::new(tokio::sync::Barrier::new(clients + 1));
    let (go, start) = tokio::sync::watch::channel(None::<Instant>);
    let tasks: Vec<_> = (0..clients)
        .map(|i| {
            let http = http.clone();
            let mut state = make(i);
            let ready = Arc::clone(&ready);
            let mut start = start.clone();
            tokio::spawn(async move {
                state = op(http.clone(), state).await;
                ready.wait().await;
                let deadline = start
                    .wait_for(Option::is_some)
                    .await
                    .map(|d| d.unwrap_or_else(Instant::now))
                    .unwrap_or_else(|_| Instant::now());
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
    ready.wait().await;
    let started = Instant::now();
    let _ = go.send(Some(started + secs()));
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
        per_sec: all.len() as f64 / elapsed,
        p99_ms: pct(0.99),
    }
}

/// The instances' URLs, each request going to the next (round robin).
#[derive(Clone)]
struct Balancer {
    urls: Arc<Vec<String>>,
    next: Arc<AtomicUsize>,
}

impl Balancer {
    /// Client `i`'s own turn: its `k`-th request goes to instance `i + k`.
    fn own(&self, i: usize) -> Self {
        Self {
            urls: Arc::clone(&self.urls),
            next: Arc::new(AtomicUsize::new(i)),
        }
    }

    fn url(&self) -> &str {
        let k = self.next.fetch_add(1, Ordering::Relaxed);
        &self.urls[k % self.urls.len()]
    }
}

async fn login(http: &reqwest::Client, url: &str) -> Value {
    let digest = PasswordDigest::of_password(PASSWORD);
    http.post(format!("{url}/v3/users/login/v2"))
        .header("featureCode", TERMINAL)
        .form(&[
            ("account", ACCOUNT),
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

/// A way of running the cloud (the test kit's cloud): its instances, each
/// on a runtime of its own (as it would be in its own process, so the load
/// generator's tasks do not queue in front of the cloud's).
struct Setup {
    name: &'static str,
    cloud: Cloud,
}

impl Setup {
    /// `instances` clouds on `db`, with the QA surface off as a production
    /// cluster runs, and the benchmark's account made beforehand through a
    /// QA-serving instance that is stopped again.
    async fn start(name: &'static str, db: hik_cloud::Location, instances: usize) -> Self {
        let mut prepare = Self::builder(db.clone()).start().await;
        prepare.account(ACCOUNT).await;
        assert_eq!(
            hik_testkit::terminal(1),
            TERMINAL,
            "the account signed up on the benchmark's terminal"
        );
        assert_eq!(
            code(&login(&prepare.http, prepare.url()).await),
            ResultCode::Success
        );
        prepare.stop().await;
        let cloud = Self::builder(db)
            .instances(instances)
            .qa(false)
            .own_runtimes()
            .start()
            .await;
        Self { name, cloud }
    }

    /// A standalone cloud's hashing (a thread per core, memory kept), not
    /// the desktop app's lighter one, and the pool `HIK_CLOUD_DB_POOL` asks for.
    fn builder(db: hik_cloud::Location) -> hik_testkit::Builder {
        Cloud::builder().database(db).config(|c| {
            c.hashing = hik_cloud::Hashing::server();
            c.db_pool = std::env::var("HIK_CLOUD_DB_POOL")
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(8);
        })
    }

    fn balancer(&self) -> Balancer {
        Balancer {
            urls: Arc::new(self.cloud.urls()),
            next: Arc::new(AtomicUsize::new(0)),
        }
    }
}

async fn run(op: &str, clients: usize, http: &reqwest::Client, lb: &Balancer) -> Stats {
    match op {
        "login" => {
            measure(
                clients,
                |i| lb.own(i),
                |http, lb| async move {
                    let r = login(&http, lb.url()).await;
                    assert_eq!(code(&r), ResultCode::Success, "{r}");
                    lb
                },
            )
            .await
        }
        "refresh" => {
            // Each client rotates its own refresh token chain.
            let mut tokens = Vec::new();
            for _ in 0..clients {
                tokens.push(
                    login(http, lb.url()).await["loginSession"]["rfSessionId"]
                        .as_str()
                        .unwrap()
                        .to_owned(),
                );
            }
            measure(
                clients,
                |i| (lb.own(i), tokens[i].clone()),
                |http, (lb, token)| async move {
                    let r: Value = http
                        .put(format!("{}/v3/apigateway/login", lb.url()))
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
                    (lb, next)
                },
            )
            .await
        }
        _ => {
            measure(
                clients,
                |i| lb.own(i),
                |http, lb| async move {
                    let r = http
                        .get(format!("{}/v3/users/area/list", lb.url()))
                        .send()
                        .await
                        .unwrap();
                    assert!(r.status().is_success());
                    let _ = r.bytes().await.unwrap();
                    lb
                },
            )
            .await
        }
    }
}

fn median(mut v: Vec<Stats>) -> Stats {
    let mid = v.len() / 2;
    v.sort_by(|a, b| a.per_sec.total_cmp(&b.per_sec));
    let per_sec = v[mid].per_sec;
    v.sort_by(|a, b| a.p99_ms.total_cmp(&b.p99_ms));
    Stats {
        per_sec,
        p99_ms: v[mid].p99_ms,
    }
}

#[tokio::main]
async fn main() {
    let rules = hik_cloud::Rules::default();
    println!(
        "hik-cloud load benchmark: median of {} rounds of {} s per figure, {} cores",
        rounds(),
        secs().as_secs(),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let floor = if wanted("argon2") || wanted("login") {
        argon2_floor(&rules)
    } else {
        f64::NAN
    };
    println!(
        "Argon2id floor: {floor:.1} hashes/s ({} KiB, {} passes, {} lane)",
        rules.argon2_memory_kib, rules.argon2_passes, rules.argon2_lanes
    );

    let dir = tempfile::tempdir().unwrap();
    let mut setups = vec![
        Setup::start(
            "SQLite",
            hik_cloud::Location::File(dir.path().join("bench.db")),
            1,
        )
        .await,
    ];
    match hik_testkit::database::postgres_server() {
        Some(server) => {
            let one = hik_testkit::database::fresh_postgres(&server).await;
            setups.push(Setup::start("PG x1", one, 1).await);
            let three = hik_testkit::database::fresh_postgres(&server).await;
            setups.push(Setup::start("PG x3", three, 3).await);
        }
        None => {
            println!("(SQLite only: run under scripts/with-postgres for the PostgreSQL columns)")
        }
    }
    let http = reqwest::Client::new();

    let ops: Vec<&str> = ["login", "refresh", "area"]
        .into_iter()
        .filter(|op| wanted(op))
        .collect();
    let cells: Vec<(&str, usize)> = ops
        .iter()
        .flat_map(|op| [1, 16, 64].map(|c| (*op, c)))
        .collect();
    // figures[cell][setup] = one Stats per round.
    let mut figures = vec![vec![Vec::new(); setups.len()]; cells.len()];
    for round in 0..rounds() {
        eprintln!("round {} of {}", round + 1, rounds());
        for (c, (op, clients)) in cells.iter().enumerate() {
            for (s, setup) in setups.iter().enumerate() {
                let stats = run(op, *clients, &http, &setup.balancer()).await;
                figures[c][s].push(stats);
            }
        }
    }

    println!();
    let mut header = format!("{:<9} {:>7}", "operation", "clients");
    for setup in &setups {
        header += &format!(" | {:>7} req/s {:>6} p99 ms", setup.name, "");
    }
    for setup in &setups[1..] {
        header += &format!(" | {:>6}/SQLite", setup.name);
    }
    println!("{header}");
    let mut at = std::collections::HashMap::new();
    for (c, (op, clients)) in cells.iter().enumerate() {
        let stats: Vec<Stats> = figures[c].iter().cloned().map(median).collect();
        let mut line = format!("{op:<9} {clients:>7}");
        for s in &stats {
            line += &format!(" | {:>13.0} {:>13.2}", s.per_sec, s.p99_ms);
        }
        for s in &stats[1..] {
            line += &format!(" | {:>13.2}", s.per_sec / stats[0].per_sec);
        }
        println!("{line}");
        at.insert((*op, *clients), stats);
    }
    println!();
    if let Some(stats) = at.get(&("login", 64)) {
        for (setup, s) in setups.iter().zip(stats) {
            println!(
                "logins at 64 clients / Argon2 floor, {}: {:.2} (goal at least 0.8)",
                setup.name,
                s.per_sec / floor
            );
        }
    }
    if let (Some(stats), true) = (at.get(&("refresh", 64)), setups.len() == 3) {
        println!(
            "refreshes at 64 clients, PG x3: {:.0}/s (goal at least 2000), p99 {:.1} ms (goal under 50)",
            stats[2].per_sec, stats[2].p99_ms
        );
    }
    for mut setup in setups {
        setup.cloud.stop().await;
    }
}
