//! The engine against a real in-process cloud, secrets in memory: the same flows
//! the desktop app runs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hik_client::{ClientError, Engine, EngineConfig, LoginOutcome, MemoryStore, SecretStore};
use std::sync::Arc;

use hik_testkit::{Cloud, ResultCode, PASSWORD};

const AREA: u32 = hik_testkit::AREA;

/// A cloud (from the test kit) and the installs of the app that use it.
struct World {
    cloud: Cloud,
}

/// One install of the app: its own data folder and secret store.
struct Install {
    engine: Engine,
    secrets: Arc<MemoryStore>,
    data: tempfile::TempDir,
}

impl World {
    async fn new() -> Self {
        Self {
            cloud: Cloud::start().await,
        }
    }

    /// The embedded cloud's two regions over HTTPS, from a local CA it makes.
    async fn https() -> Self {
        Self {
            cloud: Cloud::builder().https().start().await,
        }
    }

    async fn latest_code(&self, to: &str, biz: &str) -> String {
        self.cloud.qa().latest_code(to, biz).await
    }

    async fn advance_clock(&self, secs: u64) {
        self.cloud.qa().advance_clock(secs).await;
    }

    async fn install(&self) -> Install {
        let secrets = Arc::new(MemoryStore::new());
        let data = tempfile::tempdir().unwrap();
        let engine = self
            .open(Arc::clone(&secrets) as Arc<dyn SecretStore>, data.path())
            .await;
        Install {
            engine,
            secrets,
            data,
        }
    }

    async fn open(&self, secrets: Arc<dyn SecretStore>, data: &std::path::Path) -> Engine {
        Engine::open(EngineConfig {
            cloud_url: self.cloud.url().to_owned(),
            cloud_ca: self.cloud.ca().map(std::path::Path::to_owned),
            data_dir: data.to_owned(),
            secrets,
            qa_inbox_url: None,
            qa_token: None,
            language: Default::default(),
        })
        .await
        .unwrap()
    }

    /// Quit and start the same install again.
    async fn restart(&self, install: Install) -> Install {
        let Install {
            engine,
            secrets,
            data,
        } = install;
        drop(engine);
        let engine = self
            .open(Arc::clone(&secrets) as Arc<dyn SecretStore>, data.path())
            .await;
        Install {
            engine,
            secrets,
            data,
        }
    }

    async fn signed_up(&self, email: &str) -> Install {
        let install = self.install().await;
        let sent = install
            .engine
            .request_sign_up_code(AREA, email)
            .await
            .unwrap();
        assert_eq!(sent.retry_after, Some(60));
        let code = self.latest_code(email, "USER_REGISTRATION").await;
        let home = install
            .engine
            .sign_up(AREA, email, &code, PASSWORD)
            .await
            .unwrap();
        assert_eq!(home.email.as_deref(), Some(email));
        install
    }
}

#[tokio::test]
async fn sign_up_logs_in_and_the_terminal_stays_trusted_across_restarts() {
    let world = World::new().await;
    let install = world.signed_up("ana@example.com").await;
    let feature = install.secrets.get("featureCode").unwrap().unwrap();
    assert_eq!(feature, install.engine.feature_code().as_str());
    assert!(install.engine.status().await.unwrap().home.is_some());

    install.engine.logout().await.unwrap();
    assert!(
        install.secrets.get("refreshToken").unwrap().is_none(),
        "logout forgets the refresh token"
    );
    let install = world.restart(install).await;
    assert_eq!(
        install.engine.feature_code().as_str(),
        feature,
        "same fingerprint after restart"
    );
    assert!(
        install.engine.resume().await.unwrap().is_none(),
        "logged out stays logged out"
    );

    let outcome = install
        .engine
        .login("ana@example.com", PASSWORD, None)
        .await
        .unwrap();
    assert!(
        matches!(outcome, LoginOutcome::LoggedIn { .. }),
        "{outcome:?}"
    );
    let status = install.engine.status().await.unwrap();
    assert_eq!(status.last_account.as_deref(), Some("ana@example.com"));
    assert_eq!(status.last_area, Some(AREA));
}

#[tokio::test]
async fn quitting_without_logout_resumes_with_a_rotated_refresh_token() {
    let world = World::new().await;
    let install = world.signed_up("bo@example.com").await;
    let first = install.secrets.get("refreshToken").unwrap().unwrap();
    let install = world.restart(install).await;
    let home = install.engine.resume().await.unwrap().expect("resumed");
    assert_eq!(home.email.as_deref(), Some("bo@example.com"));
    let second = install.secrets.get("refreshToken").unwrap().unwrap();
    assert_ne!(first, second, "the refresh token rotates");
}

#[tokio::test]
async fn a_second_install_needs_the_code_then_is_trusted() {
    let world = World::new().await;
    world.signed_up("cy@example.com").await;
    let second = world.install().await;

    let outcome = second
        .engine
        .login("cy@example.com", PASSWORD, None)
        .await
        .unwrap();
    let LoginOutcome::NeedsTerminalCode {
        contact,
        contacts,
        channel,
    } = outcome
    else {
        panic!("expected a code request, got {outcome:?}");
    };
    assert_eq!(contact.unwrap().fuzzy_contact, "c***@example.com");
    assert!(
        contacts.is_empty() && channel.is_none(),
        "one address: no choice"
    );
    let sent = second.engine.send_terminal_code(None).await.unwrap();
    assert_eq!(sent.retry_after, Some(60));

    let code = world.latest_code("cy@example.com", "TERMINAL_BIND").await;
    let typed = format!("{} {}", &code[..3], &code[3..]);
    let home = second.engine.submit_terminal_code(&typed).await.unwrap();
    assert_eq!(home.email.as_deref(), Some("cy@example.com"));

    second.engine.logout().await.unwrap();
    let second = world.restart(second).await;
    let outcome = second
        .engine
        .login("cy@example.com", PASSWORD, None)
        .await
        .unwrap();
    assert!(
        matches!(outcome, LoginOutcome::LoggedIn { .. }),
        "bound now: {outcome:?}"
    );
}

#[tokio::test]
async fn wrong_codes_report_tries_left_then_the_code_dies() {
    let world = World::new().await;
    world.signed_up("di@example.com").await;
    let second = world.install().await;
    second
        .engine
        .login("di@example.com", PASSWORD, None)
        .await
        .unwrap();
    second.engine.send_terminal_code(None).await.unwrap();
    let right = world.latest_code("di@example.com", "TERMINAL_BIND").await;
    let wrong = if right == "999999" {
        "888888"
    } else {
        "999999"
    };

    let mut seen = Vec::new();
    for _ in 0..5 {
        let e = second.engine.submit_terminal_code(wrong).await.unwrap_err();
        let json = serde_json::to_value(&e).unwrap();
        seen.push((e.result_code(), json["remainingAttempts"].as_u64()));
        assert!(!json["message"].as_str().unwrap().is_empty());
    }
    assert_eq!(
        seen,
        vec![
            (Some(ResultCode::WrongCode), Some(4)),
            (Some(ResultCode::WrongCode), Some(3)),
            (Some(ResultCode::WrongCode), Some(2)),
            (Some(ResultCode::LastTry), Some(1)),
            (Some(ResultCode::CodeDead), None)
        ]
    );
    // Still waiting for a code: a new one can be requested once the cooldown ends.
    let e = second.engine.send_terminal_code(None).await.unwrap_err();
    assert_eq!(e.result_code(), Some(ResultCode::TooOften));
    assert!(
        serde_json::to_value(&e).unwrap()["retryAfter"]
            .as_u64()
            .unwrap()
            <= 60
    );
    world.advance_clock(60).await;
    second.engine.send_terminal_code(None).await.unwrap();
    let code = world.latest_code("di@example.com", "TERMINAL_BIND").await;
    second.engine.submit_terminal_code(&code).await.unwrap();
}

#[tokio::test]
async fn bad_input_is_refused_before_the_cloud_sees_it() {
    let world = World::new().await;
    let install = world.install().await;
    let e = install
        .engine
        .login("not an account", "x", None)
        .await
        .unwrap_err();
    assert_eq!(
        (
            e.code().as_str(),
            serde_json::to_value(&e).unwrap()["field"].as_str()
        ),
        ("invalid_input", Some("account"))
    );
    let e = install
        .engine
        .sign_up(AREA, "ed@example.com", "123456", "weak")
        .await
        .unwrap_err();
    assert_eq!(e.code(), "invalid_input");
    assert!(e.to_string().contains("at least 8"), "{e}");
    let e = install
        .engine
        .sign_up(AREA, "ed@example.com", "12", "Correct-Horse-9")
        .await
        .unwrap_err();
    assert_eq!(e.to_string(), "A verification code is 4 to 8 digits.");
    let e = install
        .engine
        .submit_terminal_code("123456")
        .await
        .unwrap_err();
    assert_eq!(e.code(), "no_pending_login");
    let e = install
        .engine
        .login("nobody@example.com", PASSWORD, None)
        .await
        .unwrap_err();
    assert_eq!(e.result_code(), Some(ResultCode::AccountMissing));
}

#[tokio::test]
async fn an_unreachable_cloud_is_named_and_nothing_is_lost() {
    let world = World::new().await;
    let install = world.signed_up("fa@example.com").await;
    install.engine.logout().await.unwrap();
    let World { mut cloud } = world;
    cloud.stop().await;
    let e = install
        .engine
        .login("fa@example.com", PASSWORD, None)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "unreachable");
    assert!(e.to_string().contains("cannot be reached"), "{e}");
    assert_eq!(
        install
            .engine
            .status()
            .await
            .unwrap()
            .last_account
            .as_deref(),
        Some("fa@example.com")
    );
}

#[tokio::test]
async fn over_https_the_app_trusts_the_clouds_ca_and_names_a_certificate_it_does_not() {
    let world = World::https().await;
    assert!(world.cloud.url().starts_with("https://127.0.0.1:"));
    // Brazil lives in the second region: its bare apiDomain is reached over
    // HTTPS too, and the second install needs the code as always.
    let first = world.install().await;
    first
        .engine
        .request_sign_up_code(55, "ts@example.com")
        .await
        .unwrap();
    let code = world
        .latest_code("ts@example.com", "USER_REGISTRATION")
        .await;
    first
        .engine
        .sign_up(55, "ts@example.com", &code, PASSWORD)
        .await
        .unwrap();
    assert!(first
        .engine
        .status()
        .await
        .unwrap()
        .cloud_url
        .starts_with("https://"));
    let second = world.install().await;
    let outcome = second
        .engine
        .login("ts@example.com", PASSWORD, None)
        .await
        .unwrap();
    assert!(
        matches!(outcome, LoginOutcome::NeedsTerminalCode { .. }),
        "{outcome:?}"
    );

    // An app not told about the CA: a certificate problem, said as one.
    let data = tempfile::tempdir().unwrap();
    let stranger = Engine::open(EngineConfig {
        cloud_url: world.cloud.url().to_owned(),
        cloud_ca: None,
        data_dir: data.path().to_owned(),
        secrets: Arc::new(MemoryStore::new()),
        qa_inbox_url: None,
        qa_token: None,
        language: Default::default(),
    })
    .await
    .unwrap();
    let e = stranger
        .login("ts@example.com", PASSWORD, None)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "certificate", "{e}");
    let said = e.to_string();
    assert!(
        said.contains("does not trust")
            && said.contains("--cloud-ca")
            && !said.contains("cannot be reached"),
        "{said}"
    );

    // A CA file that is not one stops the start, naming the file.
    let junk = data.path().join("junk.pem");
    std::fs::write(&junk, "not a certificate").unwrap();
    let refused = Engine::open(EngineConfig {
        cloud_url: world.cloud.url().to_owned(),
        cloud_ca: Some(junk),
        data_dir: data.path().to_owned(),
        secrets: Arc::new(MemoryStore::new()),
        qa_inbox_url: None,
        qa_token: None,
        language: Default::default(),
    })
    .await
    .err()
    .expect("a junk CA file is refused");
    assert_eq!(refused.code(), "not_started");
    assert!(refused.to_string().contains("junk.pem"), "{refused}");
}

#[tokio::test]
async fn with_no_keyring_login_still_works_but_nothing_is_remembered() {
    let world = World::new().await;
    world.signed_up("gu@example.com").await;
    let data = tempfile::tempdir().unwrap();
    let engine = world
        .open(Arc::new(MemoryStore::unreachable()), data.path())
        .await;
    let status = engine.status().await.unwrap();
    assert!(!status.terminal_remembered);
    assert!(status.keyring_problem.unwrap().contains("keyring"));
    let outcome = engine
        .login("gu@example.com", PASSWORD, None)
        .await
        .unwrap();
    assert!(matches!(outcome, LoginOutcome::NeedsTerminalCode { .. }));
    engine.send_terminal_code(None).await.unwrap();
    let code = world.latest_code("gu@example.com", "TERMINAL_BIND").await;
    engine.submit_terminal_code(&code).await.unwrap();
    engine.logout().await.unwrap();
    drop(engine);

    // Started again, still with no keyring: the terminal was not remembered.
    let engine = world
        .open(Arc::new(MemoryStore::unreachable()), data.path())
        .await;
    assert!(engine.resume().await.unwrap().is_none());
    let outcome = engine
        .login("gu@example.com", PASSWORD, None)
        .await
        .unwrap();
    assert!(
        matches!(outcome, LoginOutcome::NeedsTerminalCode { .. }),
        "{outcome:?}"
    );
}

/// A store that answers every call but keeps nothing (keyring's mock store,
/// which a build without the OS's native store falls back to) is not trusted:
/// the engine says the computer cannot be remembered, rather than make a new
/// fingerprint at every start without a word.
#[tokio::test]
async fn a_keyring_that_keeps_nothing_is_reported_not_used() {
    let world = World::new().await;
    let data = tempfile::tempdir().unwrap();
    let engine = world
        .open(Arc::new(MemoryStore::forgetful()), data.path())
        .await;
    let status = engine.status().await.unwrap();
    assert!(!status.terminal_remembered);
    assert_eq!(
        status.keyring_problem.as_deref(),
        Some("the system keyring cannot be used: the keyring did not keep what was written to it")
    );
}

/// The refresh token is read once at start with the fingerprint; a resume that
/// finds the cloud away keeps it, and the retry logs in.
#[tokio::test]
async fn a_resume_that_meets_no_cloud_can_be_retried() {
    let world = World::new().await;
    let install = world.signed_up("hu@example.com").await;
    let install = world.restart(install).await;
    let World { mut cloud } = world;
    cloud.stop().await;
    assert!(matches!(
        install.engine.resume().await,
        Err(ClientError::Unreachable { .. })
    ));
    // The same cloud back, on the same ports and database.
    cloud.start_again().await;
    let home = install.engine.resume().await.unwrap().expect("resumed");
    assert_eq!(home.email.as_deref(), Some("hu@example.com"));
}

#[tokio::test]
async fn the_engine_follows_the_clouds_clock() {
    let world = World::new().await;
    let install = world.install().await;
    let before = install.engine.sync_clock().await.unwrap();
    world.advance_clock(3600).await;
    let after = install.engine.sync_clock().await.unwrap();
    assert!(
        (3599..=3602).contains(&(after - before)),
        "moved {}",
        after - before
    );
    assert!((install.engine.cloud_now() - after).abs() <= 1);
}

#[tokio::test]
async fn accounts_of_another_region_are_reached_and_the_region_remembered() {
    let world = World::new().await;
    let americas = world.cloud.region_urls()[1].1.clone();
    let install = world.install().await;
    install
        .engine
        .request_sign_up_code(1, "us@example.com")
        .await
        .unwrap();
    let code = world
        .latest_code("us@example.com", "USER_REGISTRATION")
        .await;
    install
        .engine
        .sign_up(1, "us@example.com", &code, PASSWORD)
        .await
        .unwrap();
    assert_eq!(
        install.engine.status().await.unwrap().cloud_url,
        americas,
        "sign-up went to the area's region"
    );

    // A second install starts at the first region; the 1100 is followed silently.
    let second = world.install().await;
    assert_ne!(second.engine.status().await.unwrap().cloud_url, americas);
    let outcome = second
        .engine
        .login("us@example.com", PASSWORD, None)
        .await
        .unwrap();
    assert!(
        matches!(outcome, LoginOutcome::NeedsTerminalCode { .. }),
        "{outcome:?}"
    );
    let status = second.engine.status().await.unwrap();
    assert_eq!(
        (status.cloud_url.as_str(), status.last_area),
        (americas.as_str(), Some(1))
    );
    second.engine.send_terminal_code(None).await.unwrap();
    let code = world.latest_code("us@example.com", "TERMINAL_BIND").await;
    second.engine.submit_terminal_code(&code).await.unwrap();

    // Restarted, it resumes in the remembered region.
    let second = world.restart(second).await;
    let home = second.engine.resume().await.unwrap().expect("resumed");
    assert_eq!(home.area_id, 1);
    assert_eq!(second.engine.status().await.unwrap().cloud_url, americas);
}

#[tokio::test]
async fn sign_up_by_phone_takes_the_regions_dialling_code() {
    let world = World::new().await;
    let install = world.install().await;
    let sent = install
        .engine
        .request_sign_up_code(49, "0151 2345-678")
        .await
        .unwrap();
    assert_eq!(sent.contact.kind, Channel::Sms);
    assert_eq!(sent.contact.fuzzy_contact, "015****5678");
    let code = world.latest_code("01512345678", "USER_REGISTRATION").await;
    let home = install
        .engine
        .sign_up(49, "0151 2345678", &code, PASSWORD)
        .await
        .unwrap();
    assert_eq!(home.phone.as_deref(), Some("01512345678"));
    assert_eq!(home.area_id, 49);
    let state = world.cloud.qa().account("01512345678").await;
    assert_eq!(state.phone_code.as_deref(), Some("49"), "{state:?}");
}

#[tokio::test]
async fn a_captcha_is_answered_from_the_picture_the_cloud_drew() {
    let world = World::new().await;
    let install = world.signed_up("ha@example.com").await;
    install.engine.logout().await.unwrap();
    for _ in 0..5 {
        let e = install
            .engine
            .login("ha@example.com", "Wrong-Pass-1", None)
            .await
            .unwrap_err();
        assert_eq!(e.result_code(), Some(ResultCode::WrongPassword));
    }
    let e = install
        .engine
        .login("ha@example.com", PASSWORD, None)
        .await
        .unwrap_err();
    assert_eq!(e.result_code(), Some(ResultCode::AccountProtected));
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["needCaptcha"], true, "{json}");

    let picture = install.engine.captcha("ha@example.com").await.unwrap();
    assert!(picture.starts_with("data:image/png;base64,iVBORw0KGgo"));
    let answer = world.cloud.qa().captcha_answer("ha@example.com").await;
    let outcome = install
        .engine
        .login("ha@example.com", PASSWORD, Some(&format!(" {answer} ")))
        .await
        .unwrap();
    assert!(
        matches!(outcome, LoginOutcome::LoggedIn { .. }),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn a_password_reset_lifts_a_lock() {
    let world = World::new().await;
    let install = world.signed_up("io@example.com").await;
    install.engine.logout().await.unwrap();
    for _ in 0..5 {
        let _ = install
            .engine
            .login("io@example.com", "Wrong-Pass-1", None)
            .await;
    }
    for _ in 0..5 {
        install.engine.captcha("io@example.com").await.unwrap();
        let answer = world.cloud.qa().captcha_answer("io@example.com").await;
        let _ = install
            .engine
            .login("io@example.com", "Wrong-Pass-1", Some(&answer))
            .await;
    }
    let e = install
        .engine
        .login("io@example.com", PASSWORD, None)
        .await
        .unwrap_err();
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["code"], "1015");
    assert!(json["retryAfter"].as_u64().unwrap() > 1100, "{json}");

    let sent = install
        .engine
        .request_password_reset_code("io@example.com")
        .await
        .unwrap();
    assert_eq!(sent.contact.fuzzy_contact, "i***@example.com");
    let e = install
        .engine
        .reset_password("io@example.com", "123456", "short")
        .await
        .unwrap_err();
    assert_eq!(e.code(), "invalid_input");
    let code = world
        .latest_code("io@example.com", "RETRIEVE_PASSWORD")
        .await;
    install
        .engine
        .reset_password("io@example.com", &code, "New-Horse-77")
        .await
        .unwrap();
    let outcome = install
        .engine
        .login("io@example.com", "New-Horse-77", None)
        .await
        .unwrap();
    assert!(
        matches!(outcome, LoginOutcome::LoggedIn { .. }),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn a_full_account_makes_room_with_a_code_then_verifies_this_terminal() {
    let world = World::new().await;
    // Ten other terminals bound, through the protocol (the test kit).
    world.signed_up("jo@example.com").await;
    world.cloud.bind_terminals("jo@example.com", 9).await;
    let install = world.install().await;
    let outcome = install
        .engine
        .login("jo@example.com", PASSWORD, None)
        .await
        .unwrap();
    let LoginOutcome::TooManyTerminals {
        limits, terminals, ..
    } = outcome
    else {
        panic!("expected 1069, got {outcome:?}");
    };
    assert_eq!((limits, terminals.len()), (10, 10));
    let e = install
        .engine
        .remove_terminals(&[], "123456")
        .await
        .unwrap_err();
    assert_eq!(e.code(), "invalid_input");
    install
        .engine
        .send_terminal_removal_code(None)
        .await
        .unwrap();
    let code = world.latest_code("jo@example.com", "TERMINAL_DELETE").await;
    // Ids only: a terminal's fingerprint never leaves the engine.
    let e = install
        .engine
        .remove_terminals(&[999_999], &code)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "invalid_input", "an id the list did not show");
    let oldest = terminals[0].terminal_id;
    let outcome = install
        .engine
        .remove_terminals(&[oldest], &code)
        .await
        .unwrap();
    assert!(
        matches!(outcome, LoginOutcome::NeedsTerminalCode { .. }),
        "{outcome:?}"
    );
    world.advance_clock(721).await;
    install.engine.send_terminal_code(None).await.unwrap();
    let code = world.latest_code("jo@example.com", "TERMINAL_BIND").await;
    install.engine.submit_terminal_code(&code).await.unwrap();
}

#[tokio::test]
async fn the_accounts_devices_are_listed_and_kept_for_when_the_cloud_is_away() {
    let world = World::new().await;
    let install = world.signed_up("ka@example.com").await;
    let list = install.engine.devices().await.unwrap();
    assert!(!list.saved);
    let count = |c: &str| list.devices.iter().filter(|d| d.category == c).count();
    assert!(count("IPC") >= 2, "{list:?}");
    assert_eq!((count("NVR"), count("DVR")), (1, 1), "{list:?}");
    assert!(list.devices.iter().any(|d| !d.online), "one is offline");
    let nvr = list.devices.iter().find(|d| d.category == "NVR").unwrap();
    let cameras = install.engine.cameras(&nvr.serial).await.unwrap();
    assert!(cameras.cameras.len() >= 4, "{cameras:?}");
    assert_eq!(cameras.cameras[0].channel, 1);
    let e = install.engine.cameras("NOSUCHSERIAL").await.unwrap_err();
    assert_eq!(e.result_code(), Some(ResultCode::BadRequest));

    let World { mut cloud } = world;
    cloud.stop().await;
    let saved = install.engine.devices().await.unwrap();
    assert!(saved.saved);
    assert!(saved.problem.unwrap().contains("cannot be reached"));
    assert_eq!(saved.devices, list.devices);
    assert_eq!(saved.fetched_at, list.fetched_at);
    let saved_cameras = install.engine.cameras(&nvr.serial).await.unwrap();
    assert!(saved_cameras.saved);
    assert_eq!(saved_cameras.cameras, cameras.cameras);
}

#[tokio::test]
async fn an_expired_session_is_renewed_silently() {
    let world = World::new().await;
    let install = world.signed_up("la@example.com").await;
    let before = install.secrets.get("refreshToken").unwrap().unwrap();
    world.advance_clock(25 * 3600).await;
    install.engine.sync_clock().await.unwrap();
    let list = install.engine.devices().await.unwrap();
    assert!(!list.devices.is_empty());
    let after = install.secrets.get("refreshToken").unwrap().unwrap();
    assert_ne!(before, after, "the refresh token was rotated and kept");
}

#[tokio::test]
async fn a_session_whose_refresh_token_is_dead_ends_the_login() {
    let world = World::new().await;
    let install = world.signed_up("ma@example.com").await;
    // A password reset elsewhere ends every session of the account.
    let other = world.install().await;
    other
        .engine
        .request_password_reset_code("ma@example.com")
        .await
        .unwrap();
    let code = world
        .latest_code("ma@example.com", "RETRIEVE_PASSWORD")
        .await;
    other
        .engine
        .reset_password("ma@example.com", &code, "Other-Horse-5")
        .await
        .unwrap();
    let e = install.engine.devices().await.unwrap_err();
    assert_eq!(e.code(), "session_ended");
    assert!(install.engine.status().await.unwrap().home.is_none());
    assert!(install.secrets.get("refreshToken").unwrap().is_none());
}

use hik_client::{Channel, CodePurpose};

#[tokio::test]
async fn two_step_off_lets_a_new_install_in_without_a_code_and_on_again_needs_one() {
    let world = World::new().await;
    let first = world.signed_up("na@example.com").await;
    let security = first.engine.security().await.unwrap();
    assert!(security.two_step && security.this_terminal_bound);
    assert_eq!(security.fuzzy_email.as_deref(), Some("n***@example.com"));
    first.engine.set_two_step(false, None).await.unwrap();
    assert!(!first.engine.security().await.unwrap().two_step);

    let second = world.install().await;
    let outcome = second
        .engine
        .login("na@example.com", PASSWORD, None)
        .await
        .unwrap();
    assert!(
        matches!(outcome, LoginOutcome::LoggedIn { .. }),
        "{outcome:?}"
    );
    // Not bound: switching two-step back on needs a code from here.
    let e = second.engine.set_two_step(true, None).await.unwrap_err();
    assert_eq!(e.result_code(), Some(ResultCode::SensitiveOperation));
    second
        .engine
        .send_security_code(CodePurpose::TwoStep, Some(Channel::Email), None)
        .await
        .unwrap();
    let code = world.latest_code("na@example.com", "TERMINAL_BIND").await;
    second.engine.set_two_step(true, Some(&code)).await.unwrap();
    assert!(second.engine.security().await.unwrap().two_step);
}

#[tokio::test]
async fn a_removed_terminal_is_asked_for_a_code_again() {
    let world = World::new().await;
    let first = world.signed_up("oa@example.com").await;
    let second = world.install().await;
    second
        .engine
        .login("oa@example.com", PASSWORD, None)
        .await
        .unwrap();
    second.engine.send_terminal_code(None).await.unwrap();
    let code = world.latest_code("oa@example.com", "TERMINAL_BIND").await;
    second.engine.submit_terminal_code(&code).await.unwrap();

    let terminals = first.engine.security().await.unwrap().terminals;
    assert_eq!(terminals.len(), 2);
    let other = terminals.iter().find(|t| !t.current).unwrap();
    let removed = first
        .engine
        .remove_account_terminals(&[other.terminal_id], None)
        .await
        .unwrap();
    assert!(!removed.logged_out);
    // The removed install's session ended with it.
    let e = second.engine.devices().await.unwrap_err();
    assert_eq!(e.code(), "session_ended");
    let outcome = second
        .engine
        .login("oa@example.com", PASSWORD, None)
        .await
        .unwrap();
    assert!(
        matches!(outcome, LoginOutcome::NeedsTerminalCode { .. }),
        "{outcome:?}"
    );

    // Removing this very terminal logs out here.
    let this = first.engine.security().await.unwrap().terminals;
    let this = this.iter().find(|t| t.current).unwrap();
    let removed = first
        .engine
        .remove_account_terminals(&[this.terminal_id], None)
        .await
        .unwrap();
    assert!(removed.logged_out);
    assert!(first.engine.status().await.unwrap().home.is_none());
    assert!(first.secrets.get("refreshToken").unwrap().is_none());
}

#[tokio::test]
async fn the_email_moves_with_both_codes_and_the_password_changes() {
    let world = World::new().await;
    let install = world.signed_up("pa@example.com").await;
    install
        .engine
        .send_security_code(CodePurpose::EmailOld, Some(Channel::Email), None)
        .await
        .unwrap();
    let old = world
        .latest_code("pa@example.com", "UPDATE_EMAIL_VALIDATE_OLD_EMAIL")
        .await;
    let sent = install
        .engine
        .send_security_code(CodePurpose::EmailNew, None, Some("pa.new@example.com"))
        .await
        .unwrap();
    assert_eq!(sent.contact.fuzzy_contact, "pa***@example.com");
    let new = world
        .latest_code("pa.new@example.com", "UPDATE_EMAIL_VALIDATE_NEW_EMAIL")
        .await;
    let home = install
        .engine
        .change_contact(false, "pa.new@example.com", &old, &new, Channel::Email)
        .await
        .unwrap();
    assert_eq!(home.email.as_deref(), Some("pa.new@example.com"));

    let e = install
        .engine
        .change_password("wrong-old", "Brand-New-Horse-3")
        .await
        .unwrap_err();
    assert_eq!(e.result_code(), Some(ResultCode::WrongPassword));
    install
        .engine
        .change_password(PASSWORD, "Brand-New-Horse-3")
        .await
        .unwrap();
    install.engine.logout().await.unwrap();
    let outcome = install
        .engine
        .login("pa.new@example.com", "Brand-New-Horse-3", None)
        .await
        .unwrap();
    assert!(
        matches!(outcome, LoginOutcome::LoggedIn { .. }),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn a_deleted_account_is_gone_here_and_in_the_cloud() {
    let world = World::new().await;
    let install = world.signed_up("qa@example.com").await;
    install.engine.devices().await.unwrap();
    let e = install.engine.delete_account("12").await.unwrap_err();
    assert_eq!(e.code(), "invalid_input");
    install
        .engine
        .send_security_code(CodePurpose::DeleteAccount, None, None)
        .await
        .unwrap();
    let code = world.latest_code("qa@example.com", "USER_DELETE").await;
    install.engine.delete_account(&code).await.unwrap();
    assert!(install.engine.status().await.unwrap().home.is_none());
    let e = install
        .engine
        .login("qa@example.com", PASSWORD, None)
        .await
        .unwrap_err();
    assert_eq!(e.result_code(), Some(ResultCode::AccountMissing));
}

#[tokio::test]
async fn the_code_goes_where_the_person_chose_and_that_choice_is_remembered() {
    let world = World::new().await;
    world
        .cloud
        .qa()
        .create(hik_proto::request::QaAccount {
            account: hik_proto::Account::parse("ro@example.com").unwrap(),
            password: hik_proto::request::Text::new(PASSWORD),
            area_id: None,
            two_step: None,
            devices: None,
            email: None,
            phone: Some(hik_proto::Phone::parse("7700900789").unwrap()),
        })
        .await;
    let install = world.install().await;
    let outcome = install
        .engine
        .login("ro@example.com", PASSWORD, None)
        .await
        .unwrap();
    let LoginOutcome::NeedsTerminalCode {
        contacts, channel, ..
    } = outcome
    else {
        panic!("expected a code request, got {outcome:?}");
    };
    let kinds: Vec<_> = contacts.iter().map(|c| c.kind).collect();
    assert_eq!(kinds, [Channel::Email, Channel::Sms]);
    assert_eq!(channel, None, "nothing chosen yet");

    let sent = install
        .engine
        .send_terminal_code(Some(hik_client::Channel::Sms))
        .await
        .unwrap();
    assert_eq!(sent.contact.kind, Channel::Sms);
    assert!(world
        .cloud
        .qa()
        .outbox_for("ro@example.com", "TERMINAL_BIND")
        .await
        .is_empty());

    // Back, and in again: the choice is the default now.
    install.engine.cancel_login().await;
    let outcome = install
        .engine
        .login("ro@example.com", PASSWORD, None)
        .await
        .unwrap();
    let LoginOutcome::NeedsTerminalCode { channel, .. } = outcome else {
        panic!("expected a code request, got {outcome:?}");
    };
    assert_eq!(channel, Some(hik_client::Channel::Sms));
    world.advance_clock(61).await;
    let sent = install.engine.send_terminal_code(None).await.unwrap();
    assert_eq!(sent.contact.kind, Channel::Sms, "the remembered channel");
    let code = world
        .cloud
        .qa()
        .latest_code("7700900789", "TERMINAL_BIND")
        .await;
    install.engine.submit_terminal_code(&code).await.unwrap();
    // Account security starts from the same choice.
    let security = install.engine.security().await.unwrap();
    assert_eq!(security.code_channel, Some(hik_client::Channel::Sms));
}
