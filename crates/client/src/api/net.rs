//! Transport failures said in words: which certificate problem, which
//! connection problem; and the address of another region.

use crate::error::Transport;
use crate::ClientError;

/// The base URL for a region whose `apiDomain` is `api_domain`, keeping the
/// scheme of `current`.
pub(super) fn region_url(current: &str, api_domain: &str) -> Result<String, ClientError> {
    let domain = api_domain.trim().trim_end_matches('/');
    if domain.starts_with("http://") || domain.starts_with("https://") {
        return Ok(domain.to_owned());
    }
    let usable = !domain.is_empty()
        && domain
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b));
    if !usable {
        return Err(ClientError::Protocol(format!(
            "the cloud named an unusable region address: {api_domain:?}"
        )));
    }
    let scheme = if current.starts_with("https://") {
        "https"
    } else {
        "http"
    };
    Ok(format!("{scheme}://{domain}"))
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
