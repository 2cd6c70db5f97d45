//! The reviewer's desk: what the acting member may sign ("My gates"), what changed under a
//! stale sign-off, and withdrawing a sign-off.
