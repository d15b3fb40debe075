//! Who someone is in Sao: roles, the scope each role holds, and the signed-in user
//! as pages see it. `policy` decides what they may do; the `ssr` parts check it.
#[cfg(feature = "ssr")]
pub mod guards;
#[cfg(feature = "ssr")]
pub mod hash_workers;
#[cfg(feature = "ssr")]
pub mod hashing;
pub mod policy;
#[cfg(feature = "ssr")]
pub mod session;

pub use crate::domain::round::Office;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The roles of the brief. The public has no account and no role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    /// Own subjects and products only (ownership comes with the subjects).
    Producer,
    /// One commune per grant (cán bộ UBND cấp xã).
    CommuneOfficer,
    /// A province's OCOP office (cơ quan tham mưu quản lý OCOP).
    OfficeStaff,
    /// The ministry's OCOP office (cơ quan OCOP trung ương): central rounds.
    MinistryStaff,
    /// Member of one council.
    CouncilMember,
    /// Chair of one council.
    CouncilChair,
    /// Administers users and settings of one province.
    Admin,
    /// Everything, everywhere.
    SuperAdmin,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Producer,
        Role::CommuneOfficer,
        Role::OfficeStaff,
        Role::MinistryStaff,
        Role::CouncilMember,
        Role::CouncilChair,
        Role::Admin,
        Role::SuperAdmin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Producer => "producer",
            Role::CommuneOfficer => "commune_officer",
            Role::OfficeStaff => "office_staff",
            Role::MinistryStaff => "ministry_staff",
            Role::CouncilMember => "council_member",
            Role::CouncilChair => "council_chair",
            Role::Admin => "admin",
            Role::SuperAdmin => "super_admin",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == text)
    }

    /// The kind of scope a grant of this role must name.
    pub fn scope_kind(self) -> ScopeKind {
        match self {
            Role::Producer | Role::MinistryStaff | Role::SuperAdmin => ScopeKind::None,
            Role::CommuneOfficer => ScopeKind::Commune,
            Role::OfficeStaff | Role::Admin => ScopeKind::Province,
            Role::CouncilMember | Role::CouncilChair => ScopeKind::Council,
        }
    }

    /// Its name in `lang` (documents use `Lang::Vi`: the decision's forms are Vietnamese).
    pub fn label(self, lang: crate::domain::refusal::Lang) -> String {
        crate::domain::refusal::term("role", self.as_str(), lang)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScopeKind {
    None,
    Commune,
    Province,
    Council,
}

impl ScopeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ScopeKind::None => "none",
            ScopeKind::Commune => "commune",
            ScopeKind::Province => "province",
            ScopeKind::Council => "council",
        }
    }
}

/// Where a role applies. A commune carries its province, so province-wide roles
/// can be checked against it without another lookup.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Scope {
    Everywhere,
    Commune {
        code: i64,
        province: i64,
    },
    Province(i64),
    /// One round's council, with the office that runs the round (so a
    /// province's admin, or the ministry, can hand out its seats' roles).
    Council {
        round: String,
        office: Office,
    },
}

impl Scope {
    pub fn kind(&self) -> ScopeKind {
        match self {
            Scope::Everywhere => ScopeKind::None,
            Scope::Commune { .. } => ScopeKind::Commune,
            Scope::Province(_) => ScopeKind::Province,
            Scope::Council { .. } => ScopeKind::Council,
        }
    }

    /// The code stored beside the kind ('' for everywhere).
    pub fn code(&self) -> String {
        match self {
            Scope::Everywhere => String::new(),
            Scope::Commune { code, .. } => code.to_string(),
            Scope::Province(code) => code.to_string(),
            Scope::Council { round, .. } => round.clone(),
        }
    }

    /// The province this scope lies in, if it lies in one.
    pub fn province(&self) -> Option<i64> {
        match self {
            Scope::Commune { province, .. } => Some(*province),
            Scope::Province(code) => Some(*code),
            Scope::Council { office, .. } => office.province(),
            Scope::Everywhere => None,
        }
    }
}

/// One role held in one scope.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Grant {
    pub role: Role,
    pub scope: Scope,
}

/// The signed-in user as the policy and the pages see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    pub user_id: String,
    pub phone: String,
    pub display_name: String,
    pub grants: Vec<Grant>,
}

impl Principal {
    pub fn has_role(&self, role: Role) -> bool {
        self.grants.iter().any(|grant| grant.role == role)
    }
}

/// Who may see or change a subject's data: its members, its commune and province.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectScope {
    pub subject_id: String,
    pub commune: i64,
    pub province: i64,
    pub members: Vec<String>,
}
