//! Checking a code: consumed when right (atomic: of two submissions of one
//! code, exactly one wins), and the wrong-entry ladder when not (1011 x3,
//! 1043 on the last try, then 1012 with the code burned), each wrong entry a
//! `Refusal` whose count stays.

use super::{code_hash, lock_code, State, Subject};
use crate::audit::{Event, Outcome};
use crate::context::Ctx;
use crate::db::{params, Sql};
use crate::delivery::outbox;
use crate::error::{kept, Answer, ApiError, Refusal};
use crate::Rules;
use hik_proto::wire::Reason;
use hik_proto::{BizType, ResultCode, VerifyCode};

/// A code as given, checked against the live code of its subject and
/// purpose.
#[derive(Debug, Clone, Copy)]
pub struct Given<'a> {
    pub subject: &'a Subject,
    pub biz: BizType,
    pub code: &'a VerifyCode,
}

/// Check and consume the live code of `given.subject` for `given.biz`.
pub fn consume(conn: &dyn Sql, cloud: &crate::Cloud, ctx: &Ctx, given: Given<'_>) -> Answer<()> {
    let id = kept!(check(conn, cloud, ctx, given));
    mark_used(conn, id)?;
    Ok(Ok(()))
}

/// Spend a code that `check` accepted.
pub fn mark_used(conn: &dyn Sql, code_id: i64) -> Result<(), ApiError> {
    conn.defer(
        "UPDATE codes SET state = ?2 WHERE id = ?1",
        params![code_id, State::Used.name()],
    )?;
    Ok(())
}

/// Check the live code of `given.subject` for `given.biz` without spending
/// it: a wrong entry is counted (and may burn the code) and refused, a right
/// one returns its id for `mark_used`, so an operation needing two codes
/// spends both or neither.
pub fn check(conn: &dyn Sql, cloud: &crate::Cloud, ctx: &Ctx, given: Given<'_>) -> Answer<i64> {
    let (rules, biz) = (&cloud.rules, given.biz);
    let key = given.subject.key();
    lock_code(conn, &key, biz)?;
    // A client that sent a code of digits as a number lost its leading zeros.
    let padded;
    let code = if rules.code_alphabet == hik_proto::CodeAlphabet::Digits {
        padded = given.code.zero_padded(rules.code_length);
        &padded
    } else {
        given.code
    };
    let live: Option<(i64, String, i64, u32)> = conn.opt(
        "SELECT id, code_hash, expires_at, wrong FROM codes
             WHERE subject = ?1 AND biz_type = ?2 AND state = ?3
             ORDER BY id DESC LIMIT 1",
        params![&key, biz.as_str(), State::Live.name()],
    )?;
    let given_hash = code_hash(&cloud.keys, &key, biz, code.as_str());
    // A code that was already used, burned or replaced is dead, not wrong: say
    // so, and do not charge a wrong entry against the live code for it.
    let spent: Option<String> = conn.opt(
        "SELECT state FROM codes WHERE subject = ?1 AND biz_type = ?2 AND code_hash = ?3
             AND state != ?4 ORDER BY id DESC LIMIT 1",
        params![&key, biz.as_str(), &given_hash, State::Live.name()],
    )?;
    let spent = spent.map(|s| s.parse::<State>().unwrap_or(State::Burned));
    let live_matches = live.as_ref().is_some_and(|(_, h, _, _)| *h == given_hash);
    if let (Some(state), false) = (spent, live_matches) {
        return Ok(Err(spent_code(state)));
    }
    let Some((id, hash, expires_at, wrong)) = live else {
        return Ok(Err(Refusal(dead(Reason::NoCode))));
    };
    if expires_at <= ctx.now {
        conn.execute(
            "UPDATE codes SET state = ?2 WHERE id = ?1",
            params![id, State::Burned.name()],
        )?;
        return Ok(Err(Refusal(dead(Reason::Expired).with_message(
            "The verification code has expired. Request a new code.",
        ))));
    }
    if given_hash == hash {
        return Ok(Ok(id));
    }
    wrong_entry(conn, rules, ctx, given, id, wrong + 1).map(Err)
}

/// 1012: the code is dead, and why.
fn dead(why: Reason) -> ApiError {
    ApiError::business(ResultCode::CodeDead).with(|f| f.reason = Some(why))
}

/// A code that is not live any more, by the state it was left in.
fn spent_code(state: State) -> Refusal {
    let (reason, why) = match state {
        State::Used => (
            Reason::Used,
            "This verification code was already used. Request a new code.",
        ),
        State::Replaced => (
            Reason::Replaced,
            "A newer verification code was sent: use the newest one, or request a new code.",
        ),
        _ => (
            Reason::Burned,
            "This verification code no longer works. Request a new code.",
        ),
    };
    Refusal(dead(reason).with_message(why))
}

/// Count the `wrong`th wrong entry against live code `id`: the ladder of
/// 1011, 1043 on the last try, then 1012 with the code burned.
fn wrong_entry(
    conn: &dyn Sql,
    rules: &Rules,
    ctx: &Ctx,
    given: Given<'_>,
    id: i64,
    wrong: u32,
) -> Result<Refusal, ApiError> {
    let max = rules.code_max_wrong;
    let user = given.subject.user();
    let biz = given.biz.as_str();
    if wrong >= max {
        conn.defer(
            "UPDATE codes SET state = ?3, wrong = ?2 WHERE id = ?1",
            params![id, wrong, State::Burned.name()],
        )?;
        let line = Event::CodeBurned.line(user, Outcome::Refused).detail(biz);
        crate::audit::record(conn, ctx, line)?;
        return Ok(Refusal(dead(Reason::Burned).with_message(
            "Too many wrong entries: this verification code no longer works. Request a new code.",
        )));
    }
    conn.defer(
        "UPDATE codes SET wrong = ?2 WHERE id = ?1",
        params![id, wrong],
    )?;
    let remaining = max - wrong;
    let tries = if remaining == 1 { "try" } else { "tries" };
    let detail = format!("{biz}, {remaining} {tries} left");
    let line = Event::CodeWrong
        .line(user, Outcome::Refused)
        .detail(&detail);
    crate::audit::record(conn, ctx, line)?;
    let code = if remaining == 1 {
        ResultCode::LastTry
    } else {
        ResultCode::WrongCode
    };
    Ok(Refusal(
        ApiError::business(code).with(|f| f.remaining_attempts = Some(remaining)),
    ))
}

/// A sensitive operation needs a fresh code of `biz`: 80000 (with where to ask
/// for it) when none was given, otherwise the code is checked and spent.
pub fn require_code(
    conn: &dyn Sql,
    cloud: &crate::Cloud,
    ctx: &Ctx,
    user: &crate::users::User,
    biz: BizType,
    given: Option<&VerifyCode>,
) -> Answer<()> {
    let Some(code) = given else {
        let contact = user.contact().map(|a| outbox::masked(&a));
        return Ok(Err(Refusal(ApiError::business(ResultCode::SensitiveOperation)
            .with_message(format!(
                "This needs a verification code: request one with bizType {} and send it as smsCode.",
                biz.as_str()
            ))
            .with(|f| f.contact = contact))));
    };
    let subject = Subject::User(user.id);
    consume(
        conn,
        cloud,
        ctx,
        Given {
            subject: &subject,
            biz,
            code,
        },
    )
}
