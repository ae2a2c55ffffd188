//! Regions: each on its own listener with its own apiDomain; accounts live in
//! the region they signed up in, and the others answer 1100 with the way there.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hik_testkit::{terminal, Api, Cloud, ResultCode, PASSWORD};

#[tokio::test]
async fn the_area_list_sends_each_area_to_its_region() {
    let cloud = Cloud::start().await;
    let regions = cloud.region_urls().to_vec();
    assert_eq!(regions.len(), 2);
    let (europe, americas) = (regions[0].1.clone(), regions[1].1.clone());
    assert_ne!(europe, americas);
    let bare = |url: &str| url.strip_prefix("http://").unwrap().to_owned();
    for region in [cloud.region(0), cloud.region(1)] {
        let r = region.areas().await;
        let list = r.json["areaList"].as_array().unwrap();
        let domain = |id: u64| list.iter().find(|a| a["id"] == id).unwrap()["apiDomain"].clone();
        assert_eq!(domain(44), bare(&europe).as_str());
        assert_eq!(domain(1), bare(&americas).as_str());
    }
}

#[tokio::test]
async fn an_account_lives_in_its_sign_up_region_and_other_regions_redirect() {
    let cloud = Cloud::start().await;
    let regions = cloud.region_urls().to_vec();
    let (europe, americas) = (regions[0].1.clone(), regions[1].1.clone());
    let americas_domain = americas.strip_prefix("http://").unwrap().to_owned();
    let (at_europe, at_americas) = (cloud.region(0), cloud.region(1));
    assert_eq!(
        (at_europe.url.as_str(), at_americas.url.as_str()),
        (europe.as_str(), americas.as_str())
    );

    // Signing up for a US account at the European listener: go there instead.
    let r = us_sign_up_code(&at_europe, "ana@example.com").await;
    assert_eq!(r.code(), ResultCode::WrongRegion, "{}", r.json);
    assert_eq!(r.json["loginArea"]["apiDomain"], americas_domain.as_str());
    assert_eq!(r.json["loginArea"]["areaId"], 1);

    assert_eq!(
        us_sign_up_code(&at_americas, "ana@example.com")
            .await
            .code(),
        ResultCode::Success
    );
    let code = cloud
        .qa()
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
        at_americas
            .post("/v3/users/regist/v2", &terminal(1), &form)
            .await
            .code(),
        ResultCode::Success
    );

    // Logging in at Europe: 1100 with the right loginArea, but only with the password.
    assert_eq!(
        at_europe
            .login("ana@example.com", "Wrong-Pass-11", &terminal(1), None)
            .await
            .code(),
        ResultCode::WrongPassword
    );
    let r = at_europe
        .login("ana@example.com", PASSWORD, &terminal(1), None)
        .await;
    assert_eq!(r.code(), ResultCode::WrongRegion, "{}", r.json);
    assert_eq!(r.json["loginArea"]["apiDomain"], americas_domain.as_str());
    assert!(r.json.get("loginSession").is_none());

    let r = at_americas
        .login("ana@example.com", PASSWORD, &terminal(1), None)
        .await;
    assert_eq!(r.code(), ResultCode::Success, "{}", r.json);
    assert_eq!(r.json["loginArea"]["apiDomain"], americas_domain.as_str());
    assert!(r.json["loginArea"]["areaName"]
        .as_str()
        .unwrap()
        .starts_with("United States"));
}

/// Ask for a sign-up code for a United States (area 1) account.
async fn us_sign_up_code(cloud: &Api, from: &str) -> hik_testkit::Reply {
    let form = [
        ("from", from),
        ("bizType", "USER_REGISTRATION"),
        ("areaId", "1"),
    ];
    cloud
        .post("/v3/sms/nologin/checkcode", &terminal(0), &form)
        .await
}
