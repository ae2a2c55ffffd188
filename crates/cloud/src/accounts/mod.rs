//! Accounts: signing up, the code requests of a logged-out or logged-in
//! account, the profile, the password (changed, or reset when forgotten),
//! the contacts and their change, deletion, and the account's activity.
//! The users table itself is `crate::users`, below.

pub(crate) mod password_policy;
pub(crate) mod profile;
pub(crate) mod routes;
pub(crate) mod signup;
