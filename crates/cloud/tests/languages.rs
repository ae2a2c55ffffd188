//! The cloud follows its clients' language: `meta.message` in the language a
//! request asks for (or always Chinese, as the real service, with
//! `messages = "zh"`), and codes and notices in the account's language,
//! remembered at sign-up and at each login.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use hik_cloud::Messages;
use hik_testkit::{terminal, Cloud, ResultCode, PASSWORD};

/// Log in from a new terminal with `code`, asking in `lang`; then what the
/// account is told: the new terminal's notice (its subject), and a reset code
/// asked in no language (its body).
async fn after_login(cloud: &Cloud, account: &str, code: &str, lang: &str) -> (String, String) {
    let r = cloud
        .speaking("lang", lang)
        .login(account, PASSWORD, &terminal(2), Some(code))
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    let notice = cloud.qa().outbox_for(account, "SECURITY_NOTICE").await;
    cloud.send_code(account, "RETRIEVE_PASSWORD").await;
    let reset = cloud.qa().outbox_for(account, "RETRIEVE_PASSWORD").await;
    (notice[0].subject.clone(), reset[0].body.clone())
}

#[tokio::test]
async fn a_chinese_sign_up_gets_chinese_codes_and_the_account_keeps_its_language() {
    let cloud = Cloud::start().await;
    // A public client's way of naming the language (pyezvizapi: `language`).
    let r = cloud
        .speaking("language", "zh_CN")
        .send_code("li@example.com", "USER_REGISTRATION")
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    assert_eq!(r.json["meta"]["message"], "操作成功", "{}", r.json);
    let sent = cloud
        .qa()
        .outbox_for("li@example.com", "USER_REGISTRATION")
        .await;
    assert!(
        sent[0].subject.starts_with("Hik-Connect 验证码："),
        "{:?}",
        sent[0]
    );
    assert!(
        sent[0].body.contains("确认您的新 Hik-Connect 账户"),
        "{:?}",
        sent[0]
    );
    let code = sent[0].code.clone().unwrap();
    let signed = cloud
        .speaking("lang", "zh-CN")
        .sign_up("li@example.com", PASSWORD, &code, &terminal(1))
        .await;
    assert_eq!(signed.code(), ResultCode::Success, "{}", signed.json);

    // A request that names no language: the account's is used.
    cloud.send_code("li@example.com", "TERMINAL_BIND").await;
    let bind = cloud
        .qa()
        .outbox_for("li@example.com", "TERMINAL_BIND")
        .await;
    assert!(bind[0].body.contains("在新终端上登录"), "{:?}", bind[0]);

    // The owner switches the app to English and logs in: from then on, English.
    let code = bind[0].code.clone().unwrap();
    let (notice, reset) = after_login(&cloud, "li@example.com", &code, "en-US").await;
    assert!(
        notice.starts_with("Hik-Connect security notice"),
        "{notice}"
    );
    assert!(reset.contains("reset your password"), "{reset}");
}

/// Two expired codes, one entered asking in Chinese, the other in English:
/// the two replies' `meta.message`.
async fn expired(cloud: &Cloud) -> (String, String) {
    cloud.account("mo@example.com").await;
    let mut messages = Vec::new();
    for lang in ["zh-CN", "en-US"] {
        cloud.send_code("mo@example.com", "TERMINAL_BIND").await;
        let code = cloud
            .qa()
            .latest_code("mo@example.com", "TERMINAL_BIND")
            .await;
        cloud.qa().advance_clock(11 * 60).await;
        let r = cloud
            .speaking("lang", lang)
            .login("mo@example.com", PASSWORD, &terminal(2), Some(&code))
            .await;
        assert_eq!(r.code(), ResultCode::CodeDead, "{}", r.json);
        assert_eq!(r.json["reason"], "expired", "{}", r.json);
        messages.push(r.json["meta"]["message"].as_str().unwrap().to_owned());
    }
    (messages[0].clone(), messages[1].clone())
}

#[tokio::test]
async fn meta_message_follows_the_request_unless_the_cloud_says_otherwise() {
    // By default, each request in its own language.
    let (zh, en) = expired(&Cloud::start().await).await;
    assert_eq!(zh, "验证码已过期，请重新获取");
    assert!(en.contains("expired"), "{en}");
    // As the real service: Chinese for everyone.
    let real = Cloud::builder()
        .rules(|r| r.messages = Messages::Zh)
        .start()
        .await;
    let (zh, en) = expired(&real).await;
    assert_eq!(
        (zh.as_str(), en.as_str()),
        ("验证码已过期，请重新获取", "验证码已过期，请重新获取")
    );
    // English for everyone.
    let english = Cloud::builder()
        .rules(|r| r.messages = Messages::En)
        .start()
        .await;
    let (zh, _) = expired(&english).await;
    assert!(zh.contains("expired"), "{zh}");
}

async fn inbox_page(cloud: &Cloud, accept: &str) -> String {
    cloud
        .http()
        .get(format!("{}/qa/inbox", cloud.url()))
        .header("accept-language", accept)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_qa_inbox_page_speaks_the_browsers_language() {
    let cloud = Cloud::start().await;
    let page = |accept| inbox_page(&cloud, accept);
    let zh = page("zh-CN,zh;q=0.9,en;q=0.8").await;
    assert!(
        zh.contains(r#"<html lang="zh-CN">"#) && zh.contains("<h1>QA 收件箱</h1>"),
        "{zh}"
    );
    let en = page("en-GB,en;q=0.9").await;
    assert!(
        en.contains(r#"<html lang="en">"#) && en.contains("<h1>QA inbox</h1>"),
        "{en}"
    );
    assert!(!en.contains("{HEADING}") && !zh.contains("{STATUS}"));
}

#[tokio::test]
async fn a_login_in_chinese_gets_its_notice_in_chinese() {
    let cloud = Cloud::start().await;
    // Signed up by a client that named no language: English so far.
    cloud.account("wu@example.com").await;
    cloud.send_code("wu@example.com", "TERMINAL_BIND").await;
    let code = cloud
        .qa()
        .latest_code("wu@example.com", "TERMINAL_BIND")
        .await;
    let (notice, reset) = after_login(&cloud, "wu@example.com", &code, "zh-CN").await;
    assert!(notice.starts_with("Hik-Connect 安全通知"), "{notice}");
    // The account now reads Chinese: a code asked in no language.
    assert!(reset.contains("重置密码"), "{reset}");
}
