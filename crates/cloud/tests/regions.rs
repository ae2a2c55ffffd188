//! Regions: each on its own listener with its own apiDomain; accounts live in
//! the region they signed up in, and the others answer 1100 with the way there.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod helpers;
use helpers::{terminal, TestCloud, PASSWORD};

#[tokio::test]
async fn the_area_list_sends_each_area_to_its_region() {
    let mut cloud = TestCloud::spawn().await;
    let regions = cloud.cloud.as_ref().unwrap().region_urls();
    assert_eq!(regions.len(), 2);
    let (europe, americas) = (regions[0].1.clone(), regions[1].1.clone());
    assert_ne!(europe, americas);
    let bare = |url: &str| url.strip_prefix("http://").unwrap().to_owned();
    for url in [&europe, &americas] {
        cloud.url = url.clone();
        let r = cloud.areas().await;
        let list = r.json["areaList"].as_array().unwrap();
        let domain = |id: u64| list.iter().find(|a| a["id"] == id).unwrap()["apiDomain"].clone();
        assert_eq!(domain(44), bare(&europe).as_str());
        assert_eq!(domain(1), bare(&americas).as_str());
    }
}

#[tokio::test]
async fn an_account_lives_in_its_sign_up_region_and_other_regions_redirect() {
    let mut cloud = TestCloud::spawn().await;
    let regions = cloud.cloud.as_ref().unwrap().region_urls();
    let (europe, americas) = (regions[0].1.clone(), regions[1].1.clone());
    let americas_domain = americas.strip_prefix("http://").unwrap().to_owned();

    // Signing up for a US account at the European listener: go there instead.
    let r = us_sign_up_code(&cloud, "ana@example.com").await;
    assert_eq!(r.code(), 1100, "{}", r.json);
    assert_eq!(r.json["loginArea"]["apiDomain"], americas_domain.as_str());
    assert_eq!(r.json["loginArea"]["areaId"], 1);

    cloud.url = americas.clone();
    assert_eq!(us_sign_up_code(&cloud, "ana@example.com").await.code(), 200);
    let code = cloud
        .latest_code("ana@example.com", "USER_REGISTRATION")
        .await;
    let digest = hik_proto::PasswordDigest::of_password(PASSWORD);
    let form = [
        ("account", "ana@example.com"),
        ("password", digest.as_str()),
        ("areaId", "1"),
        ("smsCode", code.as_str()),
    ];
    assert_eq!(
        cloud
            .post("/v3/users/regist/v2", &terminal(1), &form)
            .await
            .code(),
        200
    );

    // Logging in at Europe: 1100 with the right loginArea, but only with the password.
    cloud.url = europe;
    assert_eq!(
        cloud
            .login("ana@example.com", "Wrong-Pass-11", &terminal(1), None)
            .await
            .code(),
        1014
    );
    let r = cloud
        .login("ana@example.com", PASSWORD, &terminal(1), None)
        .await;
    assert_eq!(r.code(), 1100, "{}", r.json);
    assert_eq!(r.json["loginArea"]["apiDomain"], americas_domain.as_str());
    assert!(r.json.get("loginSession").is_none());

    cloud.url = americas.clone();
    let r = cloud
        .login("ana@example.com", PASSWORD, &terminal(1), None)
        .await;
    assert_eq!(r.code(), 200, "{}", r.json);
    assert_eq!(r.json["loginArea"]["apiDomain"], americas_domain.as_str());
    assert!(r.json["loginArea"]["areaName"]
        .as_str()
        .unwrap()
        .starts_with("United States"));
}

/// Ask for a sign-up code for a United States (area 1) account.
async fn us_sign_up_code(cloud: &TestCloud, from: &str) -> helpers::Reply {
    let form = [
        ("from", from),
        ("bizType", "USER_REGISTRATION"),
        ("areaId", "1"),
    ];
    cloud
        .post("/v3/sms/nologin/checkcode", &terminal(0), &form)
        .await
}
