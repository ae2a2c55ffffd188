//! The HTTP edge's plumbing, below every room: what a handler reads from a
//! request (`extract`) and how an answer is written (`reply`). The routes
//! are the rooms' own; `crate::api` puts them together.

pub(crate) mod extract;
pub(crate) mod reply;
