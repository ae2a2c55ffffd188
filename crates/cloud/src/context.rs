//! The request being served, as the flows see it: the cloud's clock read
//! once for the whole request, and where the request comes from. A flow
//! makes its `Ctx` when it starts (`Ctx::new`) and hands it down to what
//! writes the audit trail, words a message or binds a terminal; nothing
//! below reads the origin from anywhere else. The HTTP edge says where a
//! request comes from by serving it inside `Origin::scope`. Plumbing:
//! imports nothing of the cloud above it.

use hik_proto::lang::Lang;

/// Where the request being served comes from.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    /// The client's IP address, as the connection shows it.
    pub ip: String,
    /// The name of the terminal a logged-in request comes from.
    pub terminal: Option<String>,
    /// That terminal's fingerprint (`featureCode`), when the request names
    /// one: kept with audit events, never logged.
    pub sign: Option<String>,
    /// The language the request asks for (its `lang` or `language`
    /// header): codes it has sent are written in it.
    pub lang: Option<Lang>,
    /// The language of the reply's `meta.message`: the request's, or the
    /// cloud's `messages` setting.
    pub meta: Lang,
}

tokio::task_local! {
    static TASK_ORIGIN: Origin;
}

impl Origin {
    /// Serve `fut` (one request) as coming from `self`.
    pub async fn scope<F: std::future::Future>(self, fut: F) -> F::Output {
        TASK_ORIGIN.scope(self, fut).await
    }

    /// The origin of the request this task is serving, if any.
    pub fn of_task() -> Option<Origin> {
        TASK_ORIGIN.try_with(Clone::clone).ok()
    }

    /// The same origin, from the terminal whose fingerprint is `sign`.
    pub fn with_sign(self, sign: &str) -> Origin {
        Origin {
            sign: Some(sign.to_owned()),
            ..self
        }
    }
}

/// One request's context: when (`now`, in seconds of the cloud's clock)
/// and from where.
#[derive(Debug, Clone, Default)]
pub struct Ctx {
    pub now: i64,
    pub origin: Origin,
}

impl Ctx {
    /// The context of the request this task is serving, at `now` (no
    /// origin outside a request: a seed, a background job).
    pub fn new(now: i64) -> Self {
        Self {
            now,
            origin: Origin::of_task().unwrap_or_default(),
        }
    }
}
