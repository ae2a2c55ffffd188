//! Email by SMTP (lettre over rustls, trusting the system's roots), behind the
//! `smtp` feature: `hik-cloud` has it; the desktop app's embedded cloud, which
//! never mails anyone, is built without it (and without a TLS stack for it).

#[cfg(feature = "smtp")]
pub use with_smtp::Mailer;
#[cfg(not(feature = "smtp"))]
pub use without_smtp::Mailer;

/// A message as the mail server gets it (a build without SMTP sends none).
#[cfg_attr(not(feature = "smtp"), allow(dead_code))]
pub struct Letter<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
}

#[cfg(feature = "smtp")]
mod with_smtp {
    use super::Letter;
    use crate::{Smtp, SmtpSecurity};
    use std::time::Duration;

    type Transport = lettre::AsyncSmtpTransport<lettre::Tokio1Executor>;

    pub struct Mailer(Transport);

    impl Mailer {
        pub fn new(s: &Smtp) -> Result<Self, String> {
            let builder = match s.security {
                SmtpSecurity::None => Transport::builder_dangerous(&s.host),
                SmtpSecurity::StartTls => {
                    Transport::starttls_relay(&s.host).map_err(|e| e.to_string())?
                }
                SmtpSecurity::Tls => Transport::relay(&s.host).map_err(|e| e.to_string())?,
            };
            let builder = builder.port(s.port).timeout(Some(Duration::from_secs(10)));
            let builder = match (&s.username, &s.password) {
                (Some(u), Some(p)) => builder.credentials(
                    lettre::transport::smtp::authentication::Credentials::new(u.clone(), p.clone()),
                ),
                _ => builder,
            };
            Ok(Self(builder.build()))
        }

        pub async fn send(&self, from: &str, m: &Letter<'_>) -> Result<(), String> {
            use lettre::AsyncTransport;
            let email = lettre::Message::builder()
                .from(from.parse().map_err(|e| format!("sender address: {e}"))?)
                .to(m
                    .to
                    .parse()
                    .map_err(|e| format!("recipient address: {e}"))?)
                .subject(m.subject)
                .header(lettre::message::header::ContentType::TEXT_PLAIN)
                .body(m.body.to_owned())
                .map_err(|e| e.to_string())?;
            self.0
                .send(email)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        }
    }
}

#[cfg(not(feature = "smtp"))]
mod without_smtp {
    use super::Letter;
    use crate::config::NO_SMTP;
    use crate::Smtp;

    /// Never made: `Config::validate` refuses SMTP settings on this build.
    pub struct Mailer(());

    impl Mailer {
        pub fn new(_: &Smtp) -> Result<Self, String> {
            Err(NO_SMTP.into())
        }

        pub async fn send(&self, _from: &str, _m: &Letter<'_>) -> Result<(), String> {
            Err(NO_SMTP.into())
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn smtp_settings_are_refused_only_by_a_build_without_smtp() {
        let smtp = crate::Smtp {
            host: "localhost".into(),
            port: 25,
            security: crate::SmtpSecurity::None,
            username: None,
            password: None,
            from: "a@example.com".into(),
        };
        assert_eq!(
            crate::config::smtp_unsupported(Some(&smtp)).is_some(),
            !cfg!(feature = "smtp")
        );
        assert_eq!(crate::config::smtp_unsupported(None), None);
    }
}
