//! The consortium's members, their organisations and roles.

use serde::Serialize;

use crate::consortium::Consortium;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MemberView {
    pub id: String,
    pub name: String,
    pub email: String,
    pub org: String,
    pub roles: Vec<RoleView>,
    /// How many signing keys are listed for the member.
    pub keys: u32,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RoleView {
    pub id: String,
    pub title: String,
}

/// Members sorted by organisation, then id.
pub fn members(consortium: &Consortium) -> Vec<MemberView> {
    let mut out: Vec<MemberView> = consortium
        .members
        .iter()
        .map(|m| MemberView {
            id: m.id.clone(),
            name: m.name.clone(),
            email: m.email.clone(),
            org: m.org.clone(),
            roles: m
                .roles
                .iter()
                .map(|r| RoleView { id: r.clone(), title: consortium.roles.get(r).cloned().unwrap_or_default() })
                .collect(),
            keys: m.keys.len() as u32,
        })
        .collect();
    out.sort_by(|a, b| a.org.cmp(&b.org).then(a.id.cmp(&b.id)));
    out
}
