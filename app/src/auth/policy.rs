//! The one place that answers "may this user do this to that?". Every server function
//! names its action and target and asks here (through `session::authorize`); no handler
//! checks a role itself. Pure code: the same answer in the browser and on the server.
use super::{Grant, Office, Principal, Role, Scope, SubjectScope};

/// What someone wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Administrative units, rule sets: public.
    ViewPublicData,
    /// Create a producer account: only when not signed in.
    SignUp,
    /// Log in, ask for a password reset, use a one-time link: anyone (the link or
    /// the password is the proof).
    Authenticate,
    /// See one's own account and sessions.
    ViewOwnAccount,
    /// Change one's own password, log out (here or everywhere).
    ChangeOwnAccount,
    /// List the users holding roles in an area.
    ListUsers,
    /// Invite, grant or revoke roles, disable or enable: the target lists every grant
    /// the change gives, takes, or that the affected user holds.
    ManageUser,
    /// Read or export the audit trail.
    ViewAudit,
    /// Register a new subject (a producer, for themself).
    CreateSubject,
    /// See a subject, its products and dossiers: its members, and the officials
    /// of its commune and province.
    ViewSubject,
    /// Change a subject, its products, answers and evidence: its members only.
    EditSubject,
    /// Receive, check, assess, return or forward a dossier in the commune: the
    /// officers of the subject's commune (with no target: any commune officer).
    ReviewInCommune,
    /// The province's OCOP office: intake, supplements, rejection, rounds and
    /// councils. Target: the subject of a dossier, the province of a round, or
    /// the office running a round (the ministry's for central rounds).
    OfficeWork,
    /// Seat someone on a council with its role: the office of the council's
    /// province, for council roles of that province's rounds only (target: grants).
    SeatCouncil,
    /// Declare a conflict of interest for a council member: the member themself
    /// or the office of the round's province.
    DeclareConflict,
    /// A council member's own work: the products they score (which products is
    /// data — assignments and conflicts — filtered by the query, not the policy).
    ScoreInCouncil,
    /// The chair's console and the minutes of a round: its chair (the member
    /// target is the chair) or the office of the round's province.
    ChairCouncil,
}

/// What the action is done to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target<'a> {
    Nothing,
    Area(&'a Scope),
    Grants(&'a [Grant]),
    Subject(&'a SubjectScope),
    /// The office running a round (a province's, or the ministry's).
    Office(Office),
    /// A council member (their account, if linked) of a round run by `office`.
    Member {
        user_id: Option<&'a str>,
        office: Office,
    },
}

/// Why a request is refused: not signed in (401) or not allowed (403).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    NotSignedIn,
    Forbidden,
}

/// The decision for `who` (None: the public) doing `action` to `target`.
pub fn decide(who: Option<&Principal>, action: Action, target: &Target<'_>) -> Result<(), Refusal> {
    match action {
        Action::ViewPublicData | Action::Authenticate => Ok(()),
        Action::SignUp => match who {
            None => Ok(()),
            Some(_) => Err(Refusal::Forbidden),
        },
        _ => {
            let who = who.ok_or(Refusal::NotSignedIn)?;
            if signed_in_allows(who, action, target) {
                Ok(())
            } else {
                Err(Refusal::Forbidden)
            }
        }
    }
}

/// The provinces whose audit trail `who` reads: None for all (super admin), else
/// the provinces they administer (empty: none).
pub fn audit_provinces(who: &Principal) -> Option<Vec<i64>> {
    if who.has_role(Role::SuperAdmin) {
        return None;
    }
    let mut provinces: Vec<i64> = who
        .grants
        .iter()
        .filter_map(|grant| match (grant.role, &grant.scope) {
            (Role::Admin, Scope::Province(code)) => Some(*code),
            _ => None,
        })
        .collect();
    provinces.sort_unstable();
    provinces.dedup();
    Some(provinces)
}

fn signed_in_allows(who: &Principal, action: Action, target: &Target<'_>) -> bool {
    // A super admin sees and administers everything, but a dossier's content is
    // only ever its producer's own.
    let producers_own = matches!(action, Action::CreateSubject | Action::EditSubject);
    if who.has_role(Role::SuperAdmin) && !producers_own {
        return true;
    }
    match action {
        Action::ViewOwnAccount | Action::ChangeOwnAccount => true,
        Action::ViewAudit => who.has_role(Role::Admin),
        Action::ListUsers => match target {
            Target::Area(area) => area
                .province()
                .is_some_and(|province| administers(who, province)),
            _ => false,
        },
        Action::ManageUser => match target {
            // Every grant touched must lie in a province this admin administers, and
            // nobody below super admin hands out super admin.
            Target::Grants(grants) => {
                !grants.is_empty()
                    && grants.iter().all(|grant| {
                        grant.role != Role::SuperAdmin
                            && grant
                                .scope
                                .province()
                                .is_some_and(|province| administers(who, province))
                    })
            }
            _ => false,
        },
        Action::CreateSubject => who.has_role(Role::Producer),
        Action::EditSubject => match target {
            Target::Subject(subject) => {
                who.has_role(Role::Producer) && subject.members.contains(&who.user_id)
            }
            _ => false,
        },
        Action::ViewSubject => match target {
            Target::Subject(subject) => {
                subject.members.contains(&who.user_id)
                    || who
                        .grants
                        .iter()
                        .any(|grant| match (grant.role, &grant.scope) {
                            (Role::CommuneOfficer, Scope::Commune { code, .. }) => {
                                *code == subject.commune
                            }
                            (Role::OfficeStaff | Role::Admin, Scope::Province(code)) => {
                                *code == subject.province
                            }
                            _ => false,
                        })
            }
            _ => false,
        },
        Action::ReviewInCommune => match target {
            Target::Subject(subject) => who.grants.iter().any(|grant| {
                grant.role == Role::CommuneOfficer
                    && matches!(grant.scope, Scope::Commune { code, .. } if code == subject.commune)
            }),
            _ => who.has_role(Role::CommuneOfficer),
        },
        Action::OfficeWork => match target {
            Target::Subject(subject) => works_in_office_of(who, subject.province),
            Target::Area(area) => area
                .province()
                .is_some_and(|province| works_in_office_of(who, province)),
            Target::Office(office) => works_in(who, *office),
            // Without a target: any office staff, a province's or the ministry's
            // (their own lists).
            Target::Nothing => who.has_role(Role::OfficeStaff) || who.has_role(Role::MinistryStaff),
            _ => false,
        },
        Action::SeatCouncil => match target {
            Target::Grants(grants) => {
                !grants.is_empty()
                    && grants.iter().all(|grant| match (grant.role, &grant.scope) {
                        (
                            Role::CouncilMember | Role::CouncilChair,
                            Scope::Council { office, .. },
                        ) => works_in(who, *office),
                        _ => false,
                    })
            }
            _ => false,
        },
        Action::DeclareConflict | Action::ChairCouncil => match target {
            Target::Member { user_id, office } => {
                user_id.is_some_and(|id| id == who.user_id) || works_in(who, *office)
            }
            _ => false,
        },
        Action::ScoreInCouncil => {
            who.has_role(Role::CouncilMember) || who.has_role(Role::CouncilChair)
        }
        Action::ViewPublicData | Action::Authenticate | Action::SignUp => true,
    }
}

/// Whether `who` is OCOP office staff of `province`.
fn works_in_office_of(who: &Principal, province: i64) -> bool {
    who.grants
        .iter()
        .any(|grant| grant.role == Role::OfficeStaff && grant.scope == Scope::Province(province))
}

/// Whether `who` works in `office`: its province's OCOP office, or the ministry's.
fn works_in(who: &Principal, office: Office) -> bool {
    match office {
        Office::Province(province) => works_in_office_of(who, province),
        Office::Ministry => who.has_role(Role::MinistryStaff),
    }
}

/// Whether `who` is the admin of `province`.
fn administers(who: &Principal, province: i64) -> bool {
    who.grants
        .iter()
        .any(|grant| grant.role == Role::Admin && grant.scope == Scope::Province(province))
}

/// The province an admin's unfiltered lists show (their first), if any.
pub fn home_province(who: &Principal) -> Option<i64> {
    who.grants
        .iter()
        .find_map(|grant| match (grant.role, &grant.scope) {
            (Role::Admin, Scope::Province(code)) => Some(*code),
            _ => None,
        })
}

#[cfg(test)]
#[path = "policy_tests.rs"]
mod tests;
