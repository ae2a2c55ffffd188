//! HTTPS: a region serves TLS from given files or from a certificate made by a
//! local CA at start; clients are told a bare public host:port.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

async fn area_list(
    client: &reqwest::Client,
    url: &str,
) -> Result<serde_json::Value, reqwest::Error> {
    client
        .get(format!("{url}/v3/users/area/list"))
        .send()
        .await?
        .json()
        .await
}

fn trusting(ca_pem: &[u8]) -> reqwest::Client {
    reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(ca_pem).unwrap())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_generated_ca_serves_https_on_the_public_name_clients_are_told() {
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    let mut config = hik_cloud::Config::embedded(dir.path().join("cloud.db"));
    for region in &mut config.regions {
        region.public = Some("localhost".into());
    }
    config.generate_ca = Some(ca.clone());
    let cloud = hik_cloud::spawn(config).await.unwrap();
    let port = cloud.addr().port();
    assert_eq!(cloud.url(), format!("https://localhost:{port}"));

    let client = trusting(&std::fs::read(&ca).unwrap());
    let list = area_list(&client, &cloud.url()).await.unwrap();
    let uk = list["areaList"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == 44)
        .unwrap();
    assert_eq!(uk["apiDomain"], format!("localhost:{port}"));
    // The listen address is in the certificate too, for tools on this machine.
    let by_ip = area_list(&client, &format!("https://127.0.0.1:{port}")).await;
    assert!(by_ip.is_ok(), "{by_ip:?}");

    // Without the CA: refused by the client; plain HTTP gets no answer.
    assert!(area_list(&reqwest::Client::new(), &cloud.url())
        .await
        .is_err());
    assert!(
        area_list(&reqwest::Client::new(), &format!("http://127.0.0.1:{port}"))
            .await
            .is_err()
    );
}

/// A CA and a certificate for `name`, as an operator would bring them.
fn operator_files(dir: &Path, name: &str) -> (Vec<u8>, hik_cloud::TlsFiles) {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::default();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let issuer = rcgen::Issuer::new(ca, ca_key);
    let key = KeyPair::generate().unwrap();
    let cert = CertificateParams::new(vec![name.to_owned()])
        .unwrap()
        .signed_by(&key, &issuer)
        .unwrap();
    let files = hik_cloud::TlsFiles {
        cert: dir.join("cert.pem"),
        key: dir.join("key.pem"),
    };
    std::fs::write(&files.cert, cert.pem()).unwrap();
    std::fs::write(&files.key, key.serialize_pem()).unwrap();
    (ca_cert.pem().into_bytes(), files)
}

#[tokio::test]
async fn a_region_serves_the_certificate_it_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let (ca, files) = operator_files(dir.path(), "127.0.0.1");
    let mut config = hik_cloud::Config::embedded(dir.path().join("cloud.db"));
    config.regions[0].tls = Some(files);
    let cloud = hik_cloud::spawn(config).await.unwrap();
    let urls = cloud.region_urls();
    assert!(urls[0].1.starts_with("https://127.0.0.1:"), "{urls:?}");
    assert!(
        urls[1].1.starts_with("http://127.0.0.1:"),
        "only the first region has TLS: {urls:?}"
    );
    let list = area_list(&trusting(&ca), &urls[0].1).await.unwrap();
    assert_eq!(
        serde_json::from_value::<hik_proto::ResultCode>(list["meta"]["code"].clone()).unwrap(),
        hik_proto::ResultCode::Success
    );
}

#[tokio::test]
async fn unusable_tls_settings_stop_the_start_naming_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = hik_cloud::Config::embedded(dir.path().join("cloud.db"));
    config.regions[0].tls = Some(hik_cloud::TlsFiles {
        cert: dir.path().join("absent.pem"),
        key: dir.path().join("absent.key"),
    });
    let e = hik_cloud::spawn(config).await.err().unwrap().to_string();
    assert!(e.contains("absent.pem"), "{e}");

    let mut config = hik_cloud::Config::embedded(dir.path().join("cloud.db"));
    config.generate_ca = Some(dir.path().join("no-such-folder").join("ca.pem"));
    let e = hik_cloud::spawn(config).await.err().unwrap().to_string();
    assert!(e.contains("ca.pem"), "{e}");

    let mut config = hik_cloud::Config::embedded(dir.path().join("cloud.db"));
    config.regions[0].listen = "0.0.0.0:0".parse().unwrap();
    let e = hik_cloud::spawn(config).await.err().unwrap().to_string();
    assert!(e.contains("wildcard") && e.contains("public"), "{e}");
}
