//! Transport failures said in words: which certificate problem, which
//! connection problem; and the address of another region.

use crate::error::Transport;
use crate::ClientError;

/// The base URL for a region whose `apiDomain` is `api_domain`: a bare
/// `host[:port]`, reached with the scheme of `current`, or an http(s) URL
/// taken as it is. Anything else (a path, a user, a space) is refused.
pub(super) fn region_url(current: &str, api_domain: &str) -> Result<String, ClientError> {
    let domain = api_domain.trim().trim_end_matches('/');
    let unusable = || {
        ClientError::Protocol(format!(
            "the cloud named an unusable region address: {api_domain:?}"
        ))
    };
    let whole = domain.starts_with("http://") || domain.starts_with("https://");
    let url = if whole {
        reqwest::Url::parse(domain)
    } else {
        let scheme = reqwest::Url::parse(current).map_or("http", |u| {
            if u.scheme() == "https" {
                "https"
            } else {
                "http"
            }
        });
        reqwest::Url::parse(&format!("{scheme}://{domain}"))
    }
    .map_err(|_| unusable())?;
    let bare = url.path() == "/" && url.query().is_none() && url.username().is_empty();
    if url.host().is_none() || !(whole || bare) {
        return Err(unusable());
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// Why the TLS handshake refused the cloud's certificate, if that is what
/// failed. rustls's error sits inside `io::Error`s, whose `source()` skips
/// the error they wrap, so the walk steps into them.
pub(super) fn certificate_problem(e: &reqwest::Error) -> Option<(String, Transport)> {
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = next {
        if let Some(rustls::Error::InvalidCertificate(why)) = err.downcast_ref::<rustls::Error>() {
            return Some(describe_certificate(why));
        }
        next = match err.downcast_ref::<std::io::Error>() {
            Some(io) => io
                .get_ref()
                .map(|inner| inner as &(dyn std::error::Error + 'static)),
            None => err.source(),
        };
    }
    None
}

fn describe_certificate(why: &rustls::CertificateError) -> (String, Transport) {
    use rustls::CertificateError as C;
    match why {
        C::UnknownIssuer => (
            "it is signed by an unknown authority".into(),
            Transport::UnknownIssuer,
        ),
        C::Expired | C::ExpiredContext { .. } => ("it has expired".into(), Transport::Expired),
        C::NotValidYet | C::NotValidYetContext { .. } => {
            ("it is not valid yet".into(), Transport::Expired)
        }
        C::NotValidForName | C::NotValidForNameContext { .. } => (
            "it was issued for another name".into(),
            Transport::WrongName,
        ),
        C::Revoked => ("it has been revoked".into(), Transport::BadCertificate),
        other => (format!("{other:?}"), Transport::BadCertificate),
    }
}

/// Why the cloud could not be reached: for the log, and for the UI.
pub(super) fn describe(e: &reqwest::Error) -> (String, Transport) {
    if e.is_timeout() {
        ("it did not answer in time".into(), Transport::TimedOut)
    } else if e.is_connect() {
        (
            "the connection was refused or could not be made".into(),
            Transport::Refused,
        )
    } else {
        (e.to_string(), Transport::Broken)
    }
}

#[cfg(test)]
mod region_tests {
    use super::region_url;

    #[test]
    fn a_region_is_a_bare_host_on_the_current_scheme_or_a_whole_url() {
        let ok = |current, domain| region_url(current, domain).unwrap();
        assert_eq!(
            ok("https://a.example:8443", "b.example:9443"),
            "https://b.example:9443"
        );
        assert_eq!(
            ok("http://127.0.0.1:1", " 127.0.0.2:8080/ "),
            "http://127.0.0.2:8080"
        );
        assert_eq!(ok("http://a", "[::1]:80"), "http://[::1]");
        assert_eq!(ok("https://a", "http://b.example"), "http://b.example");
        for refused in [
            "",
            "b.example/path",
            "user@b.example",
            "b example",
            "b.example?x=1",
        ] {
            assert!(region_url("https://a", refused).is_err(), "{refused:?}");
        }
    }
}
