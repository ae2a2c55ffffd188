//! Password guessing: captcha after 5 wrong passwords, lock after 10, and the
//! ways back in (password reset, change). Time moves through the QA clock.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hik_testkit::{terminal, Cloud, ResultCode, PASSWORD};

const WRONG: &str = "Not-The-Password-1";

#[tokio::test]
async fn five_wrong_passwords_bring_a_captcha_that_a_right_answer_passes() {
    let cloud = Cloud::start().await;
    cloud.account("ana@example.com").await;
    for n in 1..=5 {
        let r = cloud
            .login("ana@example.com", WRONG, &terminal(1), None)
            .await;
        assert_eq!(r.code(), ResultCode::WrongPassword, "attempt {n}");
        assert_eq!(
            r.json["needCaptcha"].as_bool(),
            (n == 5).then_some(true),
            "attempt {n}: {}",
            r.json
        );
        // From the captcha on, how many wrong passwords are left before the lock.
        assert_eq!(
            r.json["remainingAttempts"].as_u64(),
            (n == 5).then_some(5),
            "attempt {n}: {}",
            r.json
        );
    }
    // Now even the right password needs the captcha.
    let r = cloud
        .login("ana@example.com", PASSWORD, &terminal(1), None)
        .await;
    assert_eq!(
        (r.code(), r.json["needCaptcha"].as_bool()),
        (ResultCode::AccountProtected, Some(true)),
        "{}",
        r.json
    );
    assert_eq!(
        r.json["remainingAttempts"], 5,
        "a captcha request costs no try"
    );
    assert_eq!(r.json["lockSeconds"], 1200, "and the lock they would bring");

    // A wrong answer is refused and used up the picture.
    let answer = cloud.new_captcha_answer("ana@example.com").await;
    let r = cloud
        .login_with_captcha("ana@example.com", PASSWORD, "ZZZZ")
        .await;
    assert_eq!(
        (r.code(), r.json["needCaptcha"].as_bool()),
        (ResultCode::AccountProtected, Some(true))
    );
    let r = cloud
        .login_with_captcha("ana@example.com", PASSWORD, &answer)
        .await;
    assert_eq!(
        r.code(),
        ResultCode::AccountProtected,
        "a captcha answers one attempt only"
    );

    let answer = cloud.new_captcha_answer("ana@example.com").await;
    let r = cloud
        .login_with_captcha("ana@example.com", PASSWORD, &answer.to_lowercase())
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    // The count starts again.
    let r = cloud
        .login("ana@example.com", WRONG, &terminal(1), None)
        .await;
    assert_eq!(
        (r.code(), r.json.get("needCaptcha")),
        (ResultCode::WrongPassword, None)
    );
}

/// Ten wrong passwords, passing the captcha from the sixth on.
async fn lock(cloud: &Cloud, account: &str) -> hik_testkit::Reply {
    let mut last = None;
    for n in 1..=10 {
        let r = if n <= 5 {
            cloud.login(account, WRONG, &terminal(1), None).await
        } else {
            let answer = cloud.new_captcha_answer(account).await;
            cloud.login_with_captcha(account, WRONG, &answer).await
        };
        if n < 10 {
            assert_eq!(
                r.code(),
                ResultCode::WrongPassword,
                "attempt {n}: {}",
                r.json
            );
        }
        last = Some(r);
    }
    last.unwrap()
}

#[tokio::test]
async fn ten_wrong_passwords_lock_the_account_for_twenty_minutes() {
    let cloud = Cloud::start().await;
    cloud.account("bo@example.com").await;
    let r = lock(&cloud, "bo@example.com").await;
    assert_eq!(
        (r.code(), r.json["retryAfter"].as_u64()),
        (ResultCode::AccountProtected, Some(1200)),
        "{}",
        r.json
    );
    assert_eq!(r.retry_after_header.as_deref(), Some("1200"));

    // While locked, even the right password with a right captcha is refused.
    cloud.qa().advance_clock(600).await;
    let answer = cloud.new_captcha_answer("bo@example.com").await;
    let r = cloud
        .login_with_captcha("bo@example.com", PASSWORD, &answer)
        .await;
    assert_eq!(r.code(), ResultCode::AccountProtected);
    // Half the lock is left, give or take the wall-clock second that passed.
    let left = r.json["retryAfter"].as_u64().unwrap();
    assert!((598..=600).contains(&left), "{left} s left of the lock");

    cloud.qa().advance_clock(600).await;
    let answer = cloud.new_captcha_answer("bo@example.com").await;
    let r = cloud
        .login_with_captcha("bo@example.com", PASSWORD, &answer)
        .await;
    assert_eq!(
        r.code(),
        ResultCode::Success,
        "unlocked after 20 minutes: {}",
        r.json
    );
}

#[tokio::test]
async fn a_password_reset_lifts_the_lock_and_ends_old_sessions() {
    let cloud = Cloud::start().await;
    cloud.account("cy@example.com").await;
    let old_session = cloud.session("cy@example.com", PASSWORD).await;
    assert_eq!(
        lock(&cloud, "cy@example.com").await.code(),
        ResultCode::AccountProtected
    );

    assert_eq!(
        cloud
            .send_code("cy@example.com", "RETRIEVE_PASSWORD")
            .await
            .code(),
        ResultCode::Success
    );
    let code = cloud
        .qa()
        .latest_code("cy@example.com", "RETRIEVE_PASSWORD")
        .await;
    let r = cloud
        .reset_password("cy@example.com", "Brand-New-Pass-7", &code)
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);

    // No lock, no captcha, new password only; the old session is over.
    assert_eq!(
        cloud
            .login("cy@example.com", PASSWORD, &terminal(1), None)
            .await
            .code(),
        ResultCode::WrongPassword
    );
    let r = cloud
        .login("cy@example.com", "Brand-New-Pass-7", &terminal(1), None)
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    assert_eq!(cloud.user_info(&old_session).await.status, 401);
    // The code was used.
    assert_eq!(
        cloud
            .reset_password("cy@example.com", "Other-Pass-8", &code)
            .await
            .code(),
        ResultCode::CodeDead
    );
}

#[tokio::test]
async fn reset_codes_only_work_for_their_own_purpose_and_account() {
    let cloud = Cloud::start().await;
    cloud.account("di@example.com").await;
    cloud.account("ed@example.com").await;
    cloud.send_code("di@example.com", "TERMINAL_BIND").await;
    let bind_code = cloud
        .qa()
        .latest_code("di@example.com", "TERMINAL_BIND")
        .await;
    assert_eq!(
        cloud
            .reset_password("di@example.com", "Brand-New-Pass-7", &bind_code)
            .await
            .code(),
        ResultCode::CodeDead
    );
    cloud.send_code("ed@example.com", "RETRIEVE_PASSWORD").await;
    let eds = cloud
        .qa()
        .latest_code("ed@example.com", "RETRIEVE_PASSWORD")
        .await;
    assert_eq!(
        cloud
            .reset_password("di@example.com", "Brand-New-Pass-7", &eds)
            .await
            .code(),
        ResultCode::CodeDead
    );
    // Unknown accounts fail the same way, and nothing was mailed to them.
    assert_eq!(
        cloud
            .reset_password("nobody@example.com", "Brand-New-Pass-7", "123456")
            .await
            .code(),
        ResultCode::CodeDead
    );
}

#[tokio::test]
async fn common_passwords_are_refused_everywhere_with_the_policy() {
    let cloud = Cloud::start().await;
    cloud.send_code("fa@example.com", "USER_REGISTRATION").await;
    let code = cloud
        .qa()
        .latest_code("fa@example.com", "USER_REGISTRATION")
        .await;
    let r = cloud
        .sign_up("fa@example.com", "password1", &code, &terminal(1))
        .await;
    assert_eq!(r.code(), ResultCode::WeakPassword, "{}", r.json);
    assert!(r.json["policy"]
        .as_str()
        .unwrap()
        .contains("1,000 most common"));
    // The refusal did not use up the code.
    assert_eq!(
        cloud
            .sign_up("fa@example.com", PASSWORD, &code, &terminal(1))
            .await
            .code(),
        ResultCode::Success
    );

    let session = cloud.session("fa@example.com", PASSWORD).await;
    assert_eq!(
        cloud
            .change_password(&session, PASSWORD, "qwerty123")
            .await
            .code(),
        ResultCode::WeakPassword
    );
    cloud.send_code("fa@example.com", "RETRIEVE_PASSWORD").await;
    let code = cloud
        .qa()
        .latest_code("fa@example.com", "RETRIEVE_PASSWORD")
        .await;
    assert_eq!(
        cloud
            .reset_password("fa@example.com", "iloveyou", &code)
            .await
            .code(),
        ResultCode::WeakPassword
    );
}

#[tokio::test]
async fn changing_the_password_keeps_this_session_and_ends_the_others() {
    let cloud = Cloud::start().await;
    cloud.account("gu@example.com").await;
    let here = cloud.session("gu@example.com", PASSWORD).await;
    let elsewhere = cloud.session("gu@example.com", PASSWORD).await;
    assert_eq!(
        cloud
            .change_password(&here, "Wrong-Old-1", "Brand-New-Pass-7")
            .await
            .code(),
        ResultCode::WrongPassword
    );
    assert_eq!(
        cloud
            .change_password(&here, PASSWORD, "Brand-New-Pass-7")
            .await
            .code(),
        ResultCode::Success
    );
    assert_eq!(cloud.user_info(&here).await.code(), ResultCode::Success);
    assert_eq!(cloud.user_info(&elsewhere).await.status, 401);
    assert_eq!(
        cloud
            .login("gu@example.com", "Brand-New-Pass-7", &terminal(1), None)
            .await
            .code(),
        ResultCode::Success
    );
    assert_eq!(
        cloud
            .change_password("not-a-session", PASSWORD, "X")
            .await
            .status,
        401
    );
}

#[tokio::test]
async fn a_captcha_answer_is_kept_only_as_a_keyed_hash() {
    let cloud = Cloud::start().await;
    cloud.account("hc@example.com").await;
    for _ in 0..5 {
        cloud
            .login("hc@example.com", WRONG, &terminal(1), None)
            .await;
    }
    let answer = cloud.new_captcha_answer("hc@example.com").await;
    let kept: Vec<String> = cloud
        .stored("SELECT answer_hash FROM captchas")
        .await
        .into_iter()
        .map(|row| row[0].clone().unwrap())
        .collect();
    assert_eq!(kept.len(), 1);
    assert!(
        !kept[0].contains(&answer) && kept[0].len() >= 43,
        "{kept:?}"
    );
    // The QA surface's copy is the only plain one, and goes with the captcha.
    let r = cloud
        .login_with_captcha("hc@example.com", PASSWORD, &answer.to_lowercase())
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    let left = cloud
        .stored("SELECT COUNT(*) FROM captchas c, qa_captcha_answers q")
        .await;
    assert_eq!(
        left,
        [[Some("0".to_owned())]],
        "a captcha is used up by the attempt"
    );
}

#[tokio::test]
async fn the_captcha_comes_by_email_for_those_who_cannot_see_the_picture() {
    let cloud = Cloud::start().await;
    cloud.account("cai@example.com").await;
    cloud.account("noc@example.com").await;
    // No captcha due: the same reply as ever, and nothing sent.
    let r = cloud.send_code("cai@example.com", "LOGIN_CAPTCHA").await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    // Unknown accounts are answered alike.
    let r = cloud.send_code("who@example.com", "LOGIN_CAPTCHA").await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    for _ in 0..5 {
        cloud
            .login("cai@example.com", WRONG, &terminal(1), None)
            .await;
    }
    assert!(
        cloud
            .qa()
            .outbox_for("cai@example.com", "LOGIN_CAPTCHA")
            .await
            .is_empty(),
        "sent before a captcha was due"
    );

    let r = cloud.send_code("cai@example.com", "LOGIN_CAPTCHA").await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    assert_eq!(r.json["contact"]["fuzzyContact"], "ca***@example.com");
    let sent = cloud
        .qa()
        .outbox_for("cai@example.com", "LOGIN_CAPTCHA")
        .await;
    assert_eq!(sent.len(), 1);
    let answer = sent[0].code.clone().expect("the characters");
    assert_eq!(answer.len(), 4);
    assert!(
        sent[0].body.contains(&answer) && sent[0].body.contains("instead of a picture"),
        "{}",
        sent[0].body
    );
    // A second request inside the cooldown is refused with the wait.
    let again = cloud.send_code("cai@example.com", "LOGIN_CAPTCHA").await;
    assert_eq!(again.code(), ResultCode::TooOften, "{}", again.json);

    // The characters pass the login's captcha, in any case, once.
    let r = cloud
        .login_with_captcha("cai@example.com", PASSWORD, &answer.to_lowercase())
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);

    // Another account's characters do not work for this one.
    for _ in 0..5 {
        cloud
            .login("noc@example.com", WRONG, &terminal(1), None)
            .await;
    }
    let r = cloud
        .login_with_captcha("noc@example.com", PASSWORD, &answer)
        .await;
    assert_eq!(r.code(), ResultCode::AccountProtected, "{}", r.json);
}
