//! Several instances on one PostgreSQL database: every rule that must hold
//! across requests holds across instances, a client may send each request to
//! any of them, and killing one loses nothing it acknowledged.
//!
//! These need a PostgreSQL server: `scripts/with-postgres cargo test -p
//! hik-cloud --test cluster -- --include-ignored` (as `scripts/test` does).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hik_proto::qa::QaFault;
use hik_testkit::{terminal, Api, Cloud, ResultCode, AREA, PASSWORD};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

const NEEDS: &str = "needs PostgreSQL: run under scripts/with-postgres with --include-ignored";

/// Three instances of the cloud in this process, on one new database.
async fn cluster() -> Cloud {
    Cloud::builder().instances(3).postgres().start().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs PostgreSQL (scripts/with-postgres)"]
async fn fifty_submissions_of_one_code_over_three_instances_open_one_session() {
    let cluster = cluster().await;
    cluster.at(0).account("ana@example.com").await;
    cluster
        .at(1)
        .send_code("ana@example.com", "TERMINAL_BIND")
        .await;
    let code = cluster
        .at(2)
        .qa()
        .latest_code("ana@example.com", "TERMINAL_BIND")
        .await;
    let new_terminal = terminal(2);
    let mut logins = tokio::task::JoinSet::new();
    for i in 0..50 {
        let client = cluster.at(i).clone();
        let (code, new_terminal) = (code.clone(), new_terminal.clone());
        logins.spawn(async move {
            client
                .login("ana@example.com", PASSWORD, &new_terminal, Some(&code))
                .await
                .code()
        });
    }
    let codes: Vec<ResultCode> = logins.join_all().await;
    assert_eq!(
        codes.iter().filter(|c| **c == ResultCode::Success).count(),
        1,
        "{codes:?}"
    );
    assert!(
        codes
            .iter()
            .all(|c| *c == ResultCode::Success || *c == ResultCode::CodeDead),
        "{codes:?}"
    );
    let sessions = cluster
        .stored(
            "SELECT COUNT(*) FROM sessions WHERE feature_code = '02020202020202020202020202020202'",
        )
        .await;
    assert_eq!(sessions, [[Some("1".to_owned())]]);
}

#[tokio::test]
#[ignore = "needs PostgreSQL (scripts/with-postgres)"]
async fn a_cooldown_started_on_one_instance_holds_on_the_others() {
    let cluster = cluster().await;
    cluster.at(0).account("bo@example.com").await;
    let first = cluster
        .at(0)
        .send_code("bo@example.com", "TERMINAL_BIND")
        .await;
    assert_eq!(first.code(), ResultCode::Success, "{}", first.json);
    for i in 1..3 {
        let again = cluster
            .at(i)
            .send_code("bo@example.com", "TERMINAL_BIND")
            .await;
        assert_eq!(
            again.code(),
            ResultCode::TooOften,
            "instance {i}: {}",
            again.json
        );
        let wait = again.json["retryAfter"].as_u64().unwrap();
        assert!((1..=60).contains(&wait), "{wait}");
    }
    // Once it is over, any instance sends again.
    cluster.at(1).qa().advance_clock(61).await;
    let later = cluster
        .at(2)
        .send_code("bo@example.com", "TERMINAL_BIND")
        .await;
    assert_eq!(later.code(), ResultCode::Success, "{}", later.json);
}

#[tokio::test]
#[ignore = "needs PostgreSQL (scripts/with-postgres)"]
async fn the_wrong_code_ladder_counts_across_instances() {
    let cluster = cluster().await;
    cluster.at(0).account("cy@example.com").await;
    cluster
        .at(0)
        .send_code("cy@example.com", "TERMINAL_BIND")
        .await;
    let right = cluster
        .at(1)
        .qa()
        .latest_code("cy@example.com", "TERMINAL_BIND")
        .await;
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    let mut seen = Vec::new();
    for i in 0..5 {
        let r = cluster
            .at(i)
            .login("cy@example.com", PASSWORD, &terminal(2), Some(wrong))
            .await;
        seen.push((r.code(), r.json["remainingAttempts"].as_u64()));
    }
    assert_eq!(
        seen,
        [
            (ResultCode::WrongCode, Some(4)),
            (ResultCode::WrongCode, Some(3)),
            (ResultCode::WrongCode, Some(2)),
            (ResultCode::LastTry, Some(1)),
            (ResultCode::CodeDead, None)
        ]
    );
    let r = cluster
        .at(2)
        .login("cy@example.com", PASSWORD, &terminal(2), Some(&right))
        .await;
    assert_eq!(
        r.code(),
        ResultCode::CodeDead,
        "the burned code is dead everywhere: {}",
        r.json
    );
}

#[tokio::test]
#[ignore = "needs PostgreSQL (scripts/with-postgres)"]
async fn a_refresh_token_rotated_on_one_instance_is_dead_on_the_others_and_its_reuse_ends_the_family(
) {
    let cluster = cluster().await;
    cluster.at(0).account("di@example.com").await;
    let r = cluster
        .at(0)
        .login("di@example.com", PASSWORD, &terminal(1), None)
        .await;
    let first = r.login_session().rf_session_id;

    let r = cluster.at(1).refresh(&first, &terminal(1)).await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    let second = r.json["sessionInfo"]["refreshSessionId"]
        .as_str()
        .unwrap()
        .to_owned();
    let session = r.json["sessionInfo"]["sessionId"]
        .as_str()
        .unwrap()
        .to_owned();
    for i in 0..3 {
        assert_eq!(
            cluster.at(i).user_info(&session).await.code(),
            ResultCode::Success,
            "instance {i}"
        );
    }

    // The first token, shown again on a third instance: dead, and with it the
    // whole family, on every instance.
    let reused = cluster.at(2).refresh(&first, &terminal(1)).await;
    assert_eq!(
        (reused.status, reused.code()),
        (200, ResultCode::RefreshDead),
        "{}",
        reused.json
    );
    for i in 0..3 {
        let r = cluster.at(i).refresh(&second, &terminal(1)).await;
        assert_eq!(
            r.code(),
            ResultCode::RefreshDead,
            "instance {i}: {}",
            r.json
        );
        assert_eq!(
            cluster.at(i).user_info(&session).await.status,
            401,
            "instance {i}"
        );
    }
}

#[tokio::test]
#[ignore = "needs PostgreSQL (scripts/with-postgres)"]
async fn the_qa_clock_moved_on_one_instance_moves_on_all() {
    let cluster = cluster().await;
    let before = cluster.at(0).qa().now().await;
    cluster.at(0).account("ed@example.com").await;
    cluster
        .at(0)
        .send_code("ed@example.com", "TERMINAL_BIND")
        .await;
    let code = cluster
        .at(0)
        .qa()
        .latest_code("ed@example.com", "TERMINAL_BIND")
        .await;

    cluster.at(1).qa().advance_clock(3600).await;
    for i in 0..3 {
        let seen = cluster.at(i).qa().now().await;
        assert!(
            seen >= before + 3600 && seen < before + 3700,
            "instance {i}: {seen}"
        );
    }
    // And what depends on it: the code sent an hour ago has expired everywhere.
    let r = cluster
        .at(2)
        .login("ed@example.com", PASSWORD, &terminal(2), Some(&code))
        .await;
    assert_eq!(r.code(), ResultCode::CodeDead, "{}", r.json);
    // A QA reset through one instance puts every clock back.
    cluster.at(2).qa().reset().await;
    let seen = cluster.at(0).qa().now().await;
    assert!(seen < before + 60, "{seen}");
}

#[tokio::test]
#[ignore = "needs PostgreSQL (scripts/with-postgres)"]
async fn faults_set_through_one_instance_strike_on_all() {
    let cluster = cluster().await;
    let set = cluster
        .at(0)
        .qa()
        .set_endpoint_fault("/v3/users/area", Some(503), 0)
        .await;
    assert_eq!(set.endpoints.len(), 1, "{set:?}");
    for i in 0..3 {
        assert_eq!(cluster.at(i).areas().await.status, 503, "instance {i}");
    }
    cluster
        .at(1)
        .qa()
        .set_delivery_fault("email", fail_next(2))
        .await;
    cluster.at(2).qa().clear_faults().await;
    for i in 0..3 {
        assert_eq!(cluster.at(i).areas().await.status, 200, "instance {i}");
    }
    // A "fail next 1" is used up once, by whichever instance sends first.
    cluster
        .at(1)
        .qa()
        .set_delivery_fault("email", fail_next(1))
        .await;
    cluster
        .at(2)
        .send_code("fa@example.com", "USER_REGISTRATION")
        .await;
    cluster.at(0).qa().advance_clock(61).await;
    cluster
        .at(0)
        .send_code("fa@example.com", "USER_REGISTRATION")
        .await;
    let statuses: Vec<String> = cluster
        .at(1)
        .qa()
        .outbox("fa@example.com")
        .await
        .iter()
        .map(|m| m.status.clone())
        .collect();
    assert_eq!(statuses, ["delivered", "failed"], "newest first");
}

/// The next `n` messages fail to send.
fn fail_next(n: u32) -> QaFault {
    QaFault {
        fail_next: n,
        ..QaFault::default()
    }
}

/// An instance of the `hik-cloud` binary, killed when dropped.
struct Process {
    child: std::process::Child,
    url: String,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start_process(db: &hik_cloud::Location) -> Process {
    let hik_cloud::Location::Postgres(url) = db else {
        panic!("{NEEDS}")
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_hik-cloud"))
        .args([
            "--qa",
            "--db",
            url,
            "--listen",
            &format!("127.0.0.1:{port}"),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let process = Process {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    let http = reqwest::Client::new();
    for _ in 0..100 {
        if http
            .get(format!("{}/v3/users/area/list", process.url))
            .send()
            .await
            .is_ok()
        {
            return process;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("hik-cloud did not start on {}", process.url);
}

/// One sign-up, each of its three requests to the next of the `live`
/// instances (as a load balancer would spread them): the account if the
/// cloud acknowledged it (any failure, a dying instance's included, is no
/// acknowledgement).
async fn sign_up_across(clients: &[Api], live: &[usize], n: usize) -> Option<String> {
    let account = format!("load{n}@example.com");
    let area = AREA.to_string();
    let at = |k: usize| &clients[live[(n + k) % live.len()]];
    let sent = at(0)
        .http
        .post(format!("{}/v3/sms/nologin/checkcode", at(0).url))
        .header("featureCode", terminal(1))
        .form(&[
            ("from", account.as_str()),
            ("bizType", "USER_REGISTRATION"),
            ("areaId", area.as_str()),
        ])
        .send()
        .await
        .ok()?;
    if !sent.status().is_success() {
        return None;
    }
    let outbox: serde_json::Value = at(1)
        .http
        .get(format!("{}/qa/outbox", at(1).url))
        .query(&[
            ("to", account.as_str()),
            ("bizType", "USER_REGISTRATION"),
            ("limit", "1"),
        ])
        .send()
        .await
        .ok()?
        .json()
        .await
        .ok()?;
    let code = outbox["messages"][0]["code"].as_str()?.to_owned();
    let digest = hik_proto::PasswordDigest::of_password(PASSWORD);
    let reply: serde_json::Value = at(2)
        .http
        .post(format!("{}/v3/users/regist/v2", at(2).url))
        .header("featureCode", terminal(1))
        .header("clientType", "9")
        .form(&[
            ("account", account.as_str()),
            ("password", digest.as_str()),
            ("areaId", area.as_str()),
            ("smsCode", code.as_str()),
        ])
        .send()
        .await
        .ok()?
        .json()
        .await
        .ok()?;
    let code: ResultCode = serde_json::from_value(reply["meta"]["code"].clone()).ok()?;
    (code == ResultCode::Success).then_some(account)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs PostgreSQL (scripts/with-postgres)"]
async fn killing_one_instance_under_load_loses_no_acknowledged_sign_up() {
    assert!(std::env::var("HIK_TEST_POSTGRES").is_ok(), "{NEEDS}");
    let dir = tempfile::tempdir().unwrap();
    let db = hik_testkit::database::fresh(dir.path()).await;
    let mut processes = Vec::new();
    for _ in 0..3 {
        processes.push(start_process(&db).await);
    }
    let clients: Arc<Vec<Api>> = Arc::new(
        processes
            .iter()
            .map(|p| Api::on(&p.url, reqwest::Client::new()))
            .collect(),
    );

    // Eight clients sign up accounts, each request to the next instance; the
    // second instance is killed (SIGKILL) once ten sign-ups are acknowledged,
    // and from then on the balancer sends requests to the two others only.
    let next = Arc::new(AtomicUsize::new(0));
    let acked = Arc::new(std::sync::Mutex::new(Vec::new()));
    let after_kill = Arc::new(AtomicUsize::new(0));
    let killed = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (clients, next, acked) = (Arc::clone(&clients), Arc::clone(&next), Arc::clone(&acked));
        let (after_kill, killed) = (Arc::clone(&after_kill), Arc::clone(&killed));
        workers.spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= 72 {
                    break;
                }
                let was_killed = killed.load(Ordering::Relaxed);
                let live: &[usize] = if was_killed { &[0, 2] } else { &[0, 1, 2] };
                if let Some(account) = sign_up_across(&clients, live, n).await {
                    acked.lock().unwrap().push(account);
                    if was_killed {
                        after_kill.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        });
    }
    while acked.lock().unwrap().len() < 10 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let mut victim = processes.remove(1);
    victim.child.kill().unwrap();
    victim.child.wait().unwrap();
    killed.store(true, Ordering::Relaxed);
    workers.join_all().await;

    let acked = acked.lock().unwrap().clone();
    let after_kill = after_kill.load(Ordering::Relaxed);
    assert!(
        after_kill >= 5,
        "the survivors kept serving: {after_kill} sign-ups after the kill"
    );
    // Every acknowledged account logs in through a survivor.
    let survivor = Api::on(&processes[0].url, reqwest::Client::new());
    for account in &acked {
        let r = survivor.login(account, PASSWORD, &terminal(1), None).await;
        assert_eq!(r.code(), ResultCode::Success, "{account}: {}", r.json);
    }
    println!(
        "{} sign-ups acknowledged, {after_kill} of them after the kill; all can log in",
        acked.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL (scripts/with-postgres)"]
async fn connections_the_server_ends_are_made_again_without_a_failed_request() {
    let cluster = cluster().await;
    let cloud = cluster.at(0);
    cloud.account("ga@example.com").await;
    for round in 0..2 {
        // The server ends every connection of the cloud's (as a restart or
        // an administrator would).
        let ended = cluster
            .stored(
                "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity
                 WHERE datname = current_database() AND pid <> pg_backend_pid()",
            )
            .await;
        assert_ne!(
            ended,
            [[Some("0".to_owned())]],
            "round {round}: no connection was open"
        );
        // Every request after it is served, whichever of the instance's
        // connections it lands on.
        for i in 0..12 {
            let r = cloud
                .login("ga@example.com", PASSWORD, &terminal(1), None)
                .await;
            assert_eq!(
                r.code(),
                ResultCode::Success,
                "round {round}, request {i}: {}",
                r.json
            );
        }
    }
}
