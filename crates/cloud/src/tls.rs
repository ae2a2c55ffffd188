//! HTTPS for the regions that ask for it: a certificate and key read from PEM
//! files, or a certificate made at start by a new local CA, whose certificate
//! is written out for clients to trust. rustls with ring, as everywhere in the
//! workspace.

use crate::config::TlsFiles;
use std::path::Path;
use std::sync::Arc;

pub(crate) type ServerConfig = Arc<rustls::ServerConfig>;

/// The rustls server settings for `files`, or why they cannot be used
/// (naming the file).
pub(crate) fn load(files: &TlsFiles) -> Result<ServerConfig, String> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let chain = CertificateDer::pem_file_iter(&files.cert)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .map_err(|e| format!("TLS certificate {}: {e}", files.cert.display()))?;
    if chain.is_empty() {
        return Err(format!(
            "TLS certificate {}: no certificate in the file",
            files.cert.display()
        ));
    }
    let key = PrivateKeyDer::from_pem_file(&files.key)
        .map_err(|e| format!("TLS key {}: {e}", files.key.display()))?;
    server(chain, key).map_err(|e| {
        format!(
            "TLS certificate {} and key {}: {e}",
            files.cert.display(),
            files.key.display()
        )
    })
}

/// A new local CA and one certificate, signed by it, for `names` (host names
/// or IP addresses, as clients will dial them). The CA's certificate is
/// written to `ca_out` as PEM; its key is never written anywhere.
pub(crate) fn generate(names: &[String], ca_out: &Path) -> Result<ServerConfig, String> {
    use rcgen::{
        BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose,
        IsCa, KeyPair, KeyUsagePurpose,
    };
    let failed = |e: rcgen::Error| format!("cannot make the local CA: {e}");

    let ca_key = KeyPair::generate().map_err(failed)?;
    let mut ca = CertificateParams::default();
    ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    ca.distinguished_name = DistinguishedName::new();
    ca.distinguished_name
        .push(DnType::CommonName, "Hik-Connect simulator local CA");
    ca.distinguished_name
        .push(DnType::OrganizationName, "Hik-Connect simulator");
    let ca_cert = ca.self_signed(&ca_key).map_err(failed)?;
    let issuer = rcgen::Issuer::new(ca, ca_key);

    let mut names: Vec<String> = names.to_vec();
    names.sort();
    names.dedup();
    let mut leaf = CertificateParams::new(names.clone()).map_err(failed)?;
    leaf.distinguished_name = DistinguishedName::new();
    leaf.distinguished_name.push(
        DnType::CommonName,
        names.first().cloned().unwrap_or_default(),
    );
    leaf.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let leaf_key = KeyPair::generate().map_err(failed)?;
    let leaf_cert = leaf.signed_by(&leaf_key, &issuer).map_err(failed)?;

    write_pem(ca_out, &ca_cert.pem())?;
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into());
    server(vec![leaf_cert.der().clone(), ca_cert.der().clone()], key)
        .map_err(|e| format!("cannot use the generated certificate: {e}"))
}

/// Replace `path` whole: a client never reads half a certificate.
fn write_pem(path: &Path, pem: &str) -> Result<(), String> {
    let failed =
        |e: std::io::Error| format!("cannot write the CA certificate to {}: {e}", path.display());
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(failed)?;
    std::io::Write::write_all(&mut file, pem.as_bytes()).map_err(failed)?;
    file.persist(path).map_err(|e| failed(e.error))?;
    Ok(())
}

fn server(
    chain: Vec<rustls::pki_types::CertificateDer<'static>>,
    key: rustls::pki_types::PrivateKeyDer<'static>,
) -> Result<ServerConfig, rustls::Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(chain, key)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_ca_is_written_and_its_certificate_serves() {
        let dir = tempfile::tempdir().unwrap();
        let ca = dir.path().join("ca.pem");
        generate(&["localhost".into(), "127.0.0.1".into()], &ca).unwrap();
        let pem = std::fs::read_to_string(&ca).unwrap();
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"), "{pem}");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file is left"
        );
    }

    #[test]
    fn unusable_files_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let cert = dir.path().join("cert.pem");
        std::fs::write(&cert, "not a certificate").unwrap();
        let files = TlsFiles {
            cert: cert.clone(),
            key: dir.path().join("missing.key"),
        };
        let e = load(&files).unwrap_err();
        assert!(e.contains("cert.pem"), "{e}");
    }
}
