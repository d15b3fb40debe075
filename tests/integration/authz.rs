//! The authorization matrix: every server function × every role, including
//! cross-scope cases, against a live server on each engine. A server function
//! with no row here fails the test. Allowed calls must succeed and, when they
//! change state, leave exactly one audit row; refused ones must leave none.
use crate::support::dossier;
use crate::support::{
    audit_rows, create_user, each_engine, fresh_phone, Client, TestServer, TEST_PASSWORD,
};
use app::auth::{Grant, Role, Scope};
use serde_json::json;
use std::collections::BTreeSet;

/// The people the matrix asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Who {
    Public,
    Producer,
    /// A producer of another subject.
    OtherProducer,
    OfficerHere,
    OfficerThere,
    OfficeStaff,
    CouncilMember,
    CouncilChair,
    AdminHere,
    AdminThere,
    SuperAdmin,
    /// Office staff of another province (Hà Nội).
    OfficeThere,
    /// Signed in, with no role at all.
    NoRole,
    /// The commune officer of the subject's commune who also administers Hà Nội:
    /// allowed what either role is allowed, nothing more.
    TwoRoles,
    /// Signed in, then disabled by an admin: the live session counts for nothing.
    Disabled,
    /// Office staff of the subject's province whose grant was revoked while signed
    /// in: from then on, a user with no role.
    Revoked,
}

/// Everyone the matrix asks about: the public, the signed-in people, and the
/// two whose session counts for nothing.
pub(crate) const EVERYONE: [Who; 16] = {
    let mut everyone = [Who::Public; 16];
    let mut i = 0;
    while i < SIGNED_IN.len() {
        everyone[i + 1] = SIGNED_IN[i];
        i += 1;
    }
    everyone[14] = Who::Disabled;
    everyone[15] = Who::Revoked;
    everyone
};
const SIGNED_IN: [Who; 13] = [
    Who::Producer,
    Who::OtherProducer,
    Who::OfficerHere,
    Who::OfficerThere,
    Who::OfficeStaff,
    Who::CouncilMember,
    Who::CouncilChair,
    Who::AdminHere,
    Who::AdminThere,
    Who::SuperAdmin,
    Who::OfficeThere,
    Who::NoRole,
    Who::TwoRoles,
];
const ADMINS: [Who; 3] = [Who::AdminHere, Who::AdminThere, Who::SuperAdmin];
const ADMIN_HERE: [Who; 2] = [Who::AdminHere, Who::SuperAdmin];
const ADMIN_THERE: [Who; 2] = [Who::AdminThere, Who::SuperAdmin];
const SUPER_ONLY: [Who; 1] = [Who::SuperAdmin];
/// The subject's own producer.
const OWNER: [Who; 1] = [Who::Producer];
const PRODUCERS: [Who; 2] = [Who::Producer, Who::OtherProducer];
/// Who sees the producer's subject (commune 23344, province 51): its member, the
/// officer of its commune, the office and admin of its province, the super admin.
const SUBJECT_VIEWERS: [Who; 5] = [
    Who::Producer,
    Who::OfficerHere,
    Who::OfficeStaff,
    Who::AdminHere,
    Who::SuperAdmin,
];

/// Province "here" (Quảng Ngãi) with one of its communes; "there" is Hà Nội.
const HERE: i64 = 51;
const COMMUNE_HERE: i64 = 23344;
const THERE: i64 = 1;

/// The request a row sends; fresh objects are made for each call.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Body {
    Empty,
    /// A target for the subject's commune (province 51).
    PlanTargetHere,
    /// A showcase point in the subject's commune.
    PointHere,
    /// A fair (of the caller's own province).
    Fair,
    /// A certificate of province 51 to show at one of its points.
    ShowHere,
    Communes,
    SignUp,
    LogInOther,
    ChangePassword,
    ResetRequest,
    ResetWithToken,
    AcceptInvitation,
    ListHere,
    InviteHere,
    InviteThere,
    GrantHere,
    RevokeHere,
    DisableOfficerHere,
    DisableProducer,
    NewSubject,
    EditSubject,
    SubjectId,
    NewProduct,
    FreshProduct,
    SelfAssessment,
    /// Mẫu 01/02's words, complete.
    SelfReport,
    StartUpload,
    /// The advisory team's site-visit report on a dossier at the office.
    StartAdvisoryUpload,
    /// `council/sync` with no changes.
    EmptySync,
    /// A handed-in sheet the chair asks to score again.
    RescoreSubmitted,
    /// A knock-out flagged on a handed-in sheet, for the chair to decide.
    KnockoutFlagged,
    /// A written-opinion round in scoring, and a reason to meet in person.
    WrittenRound,
    /// A product the fixture's council member scores in a round in scoring.
    ScoredByTheMember,
    /// The first keying of a member's paper sheet.
    PaperSheet,
    SubmittedVersion,
    SubmittedProduct,
    AssessmentInReview,
    SupplementInReview,
    AssessedInReview,
    ProductAtOffice,
    RejectAtOffice,
    NewRound,
    DraftRoundOpen,
    AssignToRound,
    NewMember,
    CouncilSettings,
    MemberConflict,
    RoundId,
    /// A flag of a round's product for the chair to acknowledge.
    RoundFlag,
    SplitCouncil,
    /// A sign-up waiting for its code, and the code.
    SignUpCode,
    /// A role offered by SMS to the producer's account.
    OfferToProducer,
    /// A round sealed with no products; one with its decision form; one with
    /// its decision recorded; a certificate code no one holds.
    SealedRound,
    DecisionForSealedRound,
    RecordedDecision,
    CertificateCode,
    /// A 4★ certificate of the row's province (imported, fresh each call).
    CertificateHere,
    InspectionHere,
    RevocationHere,
    ReturnedHere,
}

pub(crate) struct Row {
    pub(crate) endpoint: &'static str,
    pub(crate) body: Body,
    pub(crate) allowed: &'static [Who],
    /// Changes state: an allowed call leaves exactly one audit row.
    pub(crate) mutates: bool,
    /// Leaves the caller signed out or signed in as someone else.
    changes_session: bool,
    /// The status a signed-in caller who is not allowed gets (403, or 422 for a
    /// link that is not theirs).
    refusal: u16,
}

const fn row(endpoint: &'static str, body: Body, allowed: &'static [Who], mutates: bool) -> Row {
    Row {
        endpoint,
        body,
        allowed,
        mutates,
        changes_session: false,
        refusal: 403,
    }
}

const fn session_row(endpoint: &'static str, body: Body, allowed: &'static [Who]) -> Row {
    Row {
        endpoint,
        body,
        allowed,
        mutates: true,
        changes_session: true,
        refusal: 403,
    }
}

impl Row {
    /// Whether `who` may make this call: the derived personas answer as the people
    /// they amount to.
    pub(crate) fn allows(&self, who: Who) -> bool {
        match who {
            Who::Disabled => self.allowed.contains(&Who::Public),
            Who::Revoked => self.allows(Who::NoRole),
            Who::TwoRoles => {
                self.allowed.contains(&Who::TwoRoles)
                    || self.allowed.contains(&Who::OfficerHere)
                    || self.allowed.contains(&Who::AdminThere)
            }
            _ => self.allowed.contains(&who),
        }
    }
}

/// Who counts as the public: not signed in, or signed in to a disabled account.
pub(crate) fn anonymous(who: Who) -> bool {
    matches!(who, Who::Public | Who::Disabled)
}

// One row a line: the matrix reads as a table.
#[rustfmt::skip]
pub(crate) const MATRIX: &[Row] = &[
    row("units/summary", Body::Empty, &EVERYONE, false),
    row("units/provinces", Body::Empty, &EVERYONE, false),
    row("units/communes", Body::Communes, &EVERYONE, false),
    row("units/province_choices", Body::Empty, &EVERYONE, false),
    row("units/commune_choices", Body::Communes, &EVERYONE, false),
    row("account/current_user", Body::Empty, &EVERYONE, false),
    // Sign-up only sends a code (after the reply); the account comes with the code.
    row("account/sign_up", Body::SignUp, &[Who::Public], false),
    session_row("account/confirm_sign_up", Body::SignUpCode, &[Who::Public]),
    session_row("account/log_in", Body::LogInOther, &EVERYONE),
    session_row("account/log_out", Body::Empty, &SIGNED_IN),
    session_row("account/log_out_everywhere", Body::Empty, &SIGNED_IN),
    row("account/overview", Body::Empty, &SIGNED_IN, false),
    row("account/desk", Body::Empty, &EVERYONE, false),
    row("account/change_password", Body::ChangePassword, &SIGNED_IN, true),
    row("account/request_password_reset", Body::ResetRequest, &EVERYONE, true),
    session_row("account/reset_password", Body::ResetWithToken, &EVERYONE),
    session_row("account/accept_invitation", Body::AcceptInvitation, &EVERYONE),
    // Without a province an admin sees their own; with one, only its admin may.
    row("users/list", Body::Empty, &ADMINS, false),
    row("users/list", Body::ListHere, &ADMIN_HERE, false),
    row("users/councils", Body::Empty, &ADMINS, false),
    row("users/invite", Body::InviteHere, &ADMIN_HERE, true),
    row("users/invite", Body::InviteThere, &ADMIN_THERE, true),
    row("users/grant_role", Body::GrantHere, &ADMIN_HERE, true),
    row("users/revoke_role", Body::RevokeHere, &ADMIN_HERE, true),
    row("users/set_disabled", Body::DisableOfficerHere, &ADMIN_HERE, true),
    // A producer lies in no province: only a super admin may disable one today.
    row("users/set_disabled", Body::DisableProducer, &SUPER_ONLY, true),
    row("audit/list", Body::Empty, &ADMINS, false),
    row("producer/subjects", Body::Empty, &SIGNED_IN, false),
    row("producer/subject", Body::SubjectId, &SUBJECT_VIEWERS, false),
    row("producer/save_subject", Body::NewSubject, &PRODUCERS, true),
    row("producer/save_subject", Body::EditSubject, &OWNER, true),
    row("producer/register_product", Body::NewProduct, &OWNER, true),
    row("producer/products", Body::Empty, &SIGNED_IN, false),
    row("producer/dossier", Body::FreshProduct, &SUBJECT_VIEWERS, false),
    row("producer/save_self_assessment", Body::SelfAssessment, &OWNER, true),
    row("producer/start_upload", Body::StartUpload, &OWNER, true),
    row("producer/start_upload", Body::StartAdvisoryUpload, &OFFICE_HERE, true),
    row("producer/report", Body::FreshProduct, &SUBJECT_VIEWERS, false),
    row("producer/save_report", Body::SelfReport, &OWNER, true),
    row("producer/submit", Body::FreshProduct, &OWNER, true),
    row("producer/version", Body::SubmittedVersion, &SUBJECT_VIEWERS, false),
    row("commune/queue", Body::Empty, &COMMUNE_OFFICERS, false),
    row("commune/register", Body::Empty, &COMMUNE_OFFICERS, false),
    row("commune/receive", Body::SubmittedProduct, &COMMUNE_HERE_OFFICER, true),
    row("commune/review", Body::SubmittedProduct, &COMMUNE_HERE_OFFICER, false),
    row("commune/assess", Body::AssessmentInReview, &COMMUNE_HERE_OFFICER, true),
    row("commune/request_supplement", Body::SupplementInReview, &COMMUNE_HERE_OFFICER, true),
    row("commune/forward", Body::AssessedInReview, &COMMUNE_HERE_OFFICER, true),
    row("council/products", Body::Empty, &COUNCIL_SCORERS, false),
    // Only the member who scores the product reads its dossier.
    row("council/dossier", Body::ScoredByTheMember, &[Who::CouncilMember], false),
    // No member of the fixture's round chairs it: only its province's office.
    row("council/console", Body::RoundId, &OFFICE_HERE, false),
    row("council/previous_results", Body::RoundId, &OFFICE_HERE, false),
    row("council/key_paper_sheet", Body::PaperSheet, &OFFICE_HERE, true),
    row("council/request_rescore", Body::RescoreSubmitted, &OFFICE_HERE, true),
    row("council/decide_knockout", Body::KnockoutFlagged, &OFFICE_HERE, true),
    row("council/ask_meeting", Body::WrittenRound, &OFFICE_HERE, true),
    row("council/round_status", Body::RoundId, &OFFICE_HERE, false),
    // Only the round's own chair acknowledges flags and seals: the fixture's round
    // has no chair, and its province's office is refused.
    row("council/acknowledge_flag", Body::RoundFlag, &[], true),
    row("council/seal", Body::RoundId, &[], true),
    // An empty batch: allowed callers get an empty receipt and nothing is written.
    row("council/sync", Body::EmptySync, &COUNCIL_SCORERS, false),
    row("office/queue", Body::Empty, &OFFICE, false),
    row("office/assign_members", Body::SplitCouncil, &OFFICE_HERE, true),
    row("office/rounds", Body::Empty, &OFFICE, false),
    row("office/request_supplement", Body::ProductAtOffice, &OFFICE_HERE, true),
    row("office/reject", Body::RejectAtOffice, &OFFICE_HERE, true),
    row("office/create_round", Body::NewRound, &OFFICE, true),
    row("office/round_event", Body::DraftRoundOpen, &OFFICE_HERE, true),
    row("office/assign", Body::AssignToRound, &OFFICE_HERE, true),
    row("office/add_member", Body::NewMember, &OFFICE_HERE, true),
    row("office/council_settings", Body::CouncilSettings, &OFFICE_HERE, true),
    row("office/declare_conflict", Body::MemberConflict, &CONFLICT_DECLARERS, true),
    row("council/declare_own_conflict", Body::MemberConflict, &CONFLICT_DECLARERS, true),
    row("office/round", Body::RoundId, &OFFICE_HERE, false),
    row("office/decision", Body::SealedRound, &OFFICE_HERE, false),
    row("office/record_decision", Body::DecisionForSealedRound, &OFFICE_HERE, true),
    row("office/publish_decision", Body::RecordedDecision, &OFFICE_HERE, true),
    row("producer/result", Body::FreshProduct, &SUBJECT_VIEWERS, false),
    row("public/verify_certificate", Body::CertificateCode, &EVERYONE, false),
    row("office/certificates", Body::Empty, &OFFICE, false),
    row("office/certificate", Body::CertificateHere, &OFFICE_HERE, false),
    row("office/inspect", Body::InspectionHere, &OFFICE_HERE, true),
    row("office/revoke", Body::RevocationHere, &OFFICE_HERE, true),
    row("office/returned", Body::Empty, &OFFICE, false),
    row("office/round_choices", Body::Empty, &OFFICE, false),
    row("office/record_return", Body::ReturnedHere, &OFFICE_HERE, true),
    row("plan/progress", Body::Empty, &PLAN_READERS, false),
    row("plan/scopes", Body::Empty, &OFFICE, false),
    row("plan/set_target", Body::PlanTargetHere, &[Who::OfficeStaff], true),
    row("promotion/desk", Body::Empty, &OFFICE, false),
    row("promotion/add_point", Body::PointHere, &[Who::OfficeStaff], true),
    row("promotion/add_fair", Body::Fair, &OFFICE, true),
    row("promotion/show", Body::ShowHere, &[Who::OfficeStaff], true),
    // Last: taking it gives the producer a council seat. A role offered to the
    // producer's account is theirs alone; anyone else's try is an invalid link.
    Row {
        endpoint: "account/accept_role",
        body: Body::OfferToProducer,
        allowed: &[Who::Producer],
        mutates: true,
        changes_session: true,
        refusal: 422,
    },
];

/// The office's own lists and new rounds: office staff (a super admin has no province).
const OFFICE: [Who; 2] = [Who::OfficeStaff, Who::OfficeThere];
/// Who reads plans: the offices (their province's) and the commune officers
/// (the plans over their commune); the super admin passes every guard but has
/// no area, so reads an empty list.
const PLAN_READERS: [Who; 6] = [
    Who::SuperAdmin,
    Who::OfficerHere,
    Who::OfficerThere,
    Who::OfficeStaff,
    Who::OfficeThere,
    Who::TwoRoles,
];
/// A dossier or round of the office's province.
const OFFICE_HERE: [Who; 2] = [Who::OfficeStaff, Who::SuperAdmin];
/// The member themself, or the office.
/// Council members and chairs see the products they score; the super admin an empty list.
const COUNCIL_SCORERS: [Who; 3] = [Who::CouncilMember, Who::CouncilChair, Who::SuperAdmin];
const CONFLICT_DECLARERS: [Who; 3] = [Who::CouncilMember, Who::OfficeStaff, Who::SuperAdmin];

/// Any commune officer (each sees their own communes' queue).
const COMMUNE_OFFICERS: [Who; 3] = [Who::OfficerHere, Who::OfficerThere, Who::SuperAdmin];
/// The officer of the subject's commune.
const COMMUNE_HERE_OFFICER: [Who; 2] = [Who::OfficerHere, Who::SuperAdmin];

/// A complete Mẫu 03 assessment for a first-time product.
fn complete_assessment() -> serde_json::Value {
    use app::domain::commune_review::{checklist, CONTENTS};
    use app::domain::dossier::ProductKind;
    json!({
        "checklist": checklist(ProductKind::FirstTime).to_vec(),
        "contents": CONTENTS.iter().map(|(c, _)| json!({ "content": c, "agrees": true, "option": 0, "comment": "" })).collect::<Vec<_>>(),
        "samples_received": 5
    })
}

/// What a row sends: a form (most server functions) or JSON (structured input).
pub(crate) enum Payload {
    Form(Vec<(String, String)>),
    Json(serde_json::Value),
}

impl Payload {
    /// A form of `items`.
    fn form(items: &[(&str, &str)]) -> Payload {
        Payload::Form(pairs(items))
    }
}

/// Today in Việt Nam, as a form's date.
fn today() -> String {
    app::domain::date::CalendarDate::of_ms_vietnam(app::db::now_ms()).iso()
}

/// A decision number no other test uses.
fn fresh_decision_number() -> String {
    format!("{}/QĐ-UBND", fresh_phone())
}

/// `items` as owned pairs.
fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

pub(crate) struct Fixture {
    pub(crate) server: TestServer,
    commune_there: i64,
    phones: Vec<(Who, String)>,
    /// The subject of `Who::Producer` (in commune 23344).
    subject_id: String,
}

impl Fixture {
    fn phone(&self, who: Who) -> Option<&str> {
        self.phones
            .iter()
            .find(|(w, _)| *w == who)
            .map(|(_, p)| p.as_str())
    }

    fn commune_here(&self) -> Grant {
        Grant {
            role: Role::CommuneOfficer,
            scope: Scope::Commune {
                code: COMMUNE_HERE,
                province: HERE,
            },
        }
    }

    async fn new_user(&self, grants: &[Grant]) -> (String, String) {
        let phone = fresh_phone();
        let id = create_user(&self.server.db, &phone, grants).await;
        (id, phone)
    }

    async fn token(&self, purpose: app::db::links::TokenPurpose, user_id: &str) -> String {
        let db = &self.server.db;
        let mut tx = db.begin().await.expect("begin");
        let token = app::db::links::issue_token(&mut tx, purpose, user_id, 60_000)
            .await
            .expect("token");
        app::db::commit(tx).await.expect("commit");
        token
    }

    /// A new draft product of the producer's subject.
    async fn fresh_product(&self) -> String {
        let registration = app::domain::dossier::ProductForm {
            subject_id: self.subject_id.clone(),
            name: "Sâm Ngọc Linh".into(),
            product_set: "7".into(),
            kind: "first_time".into(),
            ..Default::default()
        }
        .parse()
        .expect("valid product");
        let db = &self.server.db;
        let mut tx = db.begin().await.expect("begin");
        let id = app::db::producers::insert_product(&mut tx, &registration, "qd-26-2026")
            .await
            .expect("product");
        // Mẫu 01/02 written in full, so the dossier may be submitted.
        app::db::self_reports::save(
            &mut tx,
            &id,
            &crate::support::dossier::complete_report_parsed(),
        )
        .await
        .expect("report");
        app::db::commit(tx).await.expect("commit");
        id
    }

    /// A new product of the producer's subject, at the office's review.
    async fn product_at_office(&self) -> String {
        self.product_in(app::domain::dossier::DossierState::OfficeReview)
            .await
    }

    /// A new product of the producer's subject, moved straight to `state`.
    async fn product_in(&self, state: app::domain::dossier::DossierState) -> String {
        let id = self.fresh_product().await;
        let mut tx = self.server.db.begin().await.expect("begin");
        let draft = app::domain::dossier::DossierState::Draft;
        app::db::dossiers::set_state(&mut tx, &id, draft, state, 1)
            .await
            .expect("state");
        app::db::commit(tx).await.expect("commit");
        id
    }

    /// A new round of province 51 in `state`.
    /// A round sealed (with no products) as the chair's seal leaves it.
    async fn sealed_round(&self) -> String {
        use app::domain::round::RoundState;
        let id = self.round_in(RoundState::Deliberation).await;
        sqlx::query(
            "UPDATE rounds SET state = 'sealed', seal_digest = 'x', sealed_ms = $1 WHERE id = $2",
        )
        .bind(app::db::now_ms())
        .bind(&id)
        .execute(self.server.db.pool())
        .await
        .expect("seal");
        id
    }

    /// A showcase point in commune `COMMUNE_HERE`, as the show form names it.
    async fn point_here(&self) -> String {
        let id = format!("point-{}", fresh_phone().trim_start_matches('+'));
        let point = app::domain::promotion::PointForm {
            commune: COMMUNE_HERE,
            name: "Điểm OCOP".into(),
            address: "Thôn 1".into(),
            kind: app::domain::promotion::PointKind::Showcase,
            opened_on: app::domain::date::CalendarDate::parse("2026-01-10").expect("date"),
        };
        let mut tx = self.server.db.begin().await.expect("begin");
        app::db::promotion::add_point(&mut tx, &id, &point)
            .await
            .expect("point");
        app::db::commit(tx).await.expect("commit");
        format!("point:{id}")
    }

    /// A fresh 4★ certificate of province `HERE`, imported from before Sao.
    async fn certificate_here(&self) -> String {
        let code = format!("OLD-{}", fresh_phone().trim_start_matches('+'));
        let csv = format!(
            "code,product_name,subject_name,stars,issued_on,valid_until\n\
             {code},Mật ong,HTX Ngọc Linh,4,2025-01-10,\n"
        );
        let added = app::service::certificates::import(&self.server.db, HERE, &csv).await;
        assert!(matches!(added, Ok(1)), "{added:?}");
        code
    }

    /// A product of province `HERE` whose round's recorded decision returned it
    /// to the province with a stored 4★ result (85): (round id, product id).
    async fn returned_product(&self) -> (String, String) {
        use app::domain::refusal::NextStepSaid;
        use app::domain::round::RoundState;
        use app::domain::round_result::{ConsoleRow, ProductOutcome};
        let product = self
            .product_in(app::domain::dossier::DossierState::InRound)
            .await;
        let id = self.round_in(RoundState::Deliberation).await;
        let row = ConsoleRow {
            product_id: product.clone(),
            product_name: "Mật ong".into(),
            rule_set: "qd-26-2026".into(),
            product_set: 7,
            outcome: Some(ProductOutcome {
                counted: 3,
                sum: 255,
                mean: "85".into(),
                band: 4,
                star: Some(4),
                failed_minimums: Vec::new(),
                next_step: NextStepSaid::NextReturn {
                    to: "Hội đồng cấp tỉnh".into(),
                },
            }),
            ..ConsoleRow::default()
        };
        let mut tx = self.server.db.begin().await.expect("begin");
        app::db::rounds::add_dossier(&mut tx, &id, &product)
            .await
            .expect("in the round");
        sqlx::query(
            "INSERT INTO round_results (round_id, position, product_id, content) VALUES ($1, 0, $2, $3)",
        )
        .bind(&id)
        .bind(&product)
        .bind(serde_json::to_string(&row).expect("json"))
        .execute(&mut *tx)
        .await
        .expect("result");
        sqlx::query(
            "UPDATE rounds SET state = 'sealed', seal_digest = 'x', sealed_ms = $1 WHERE id = $2",
        )
        .bind(app::db::now_ms())
        .bind(&id)
        .execute(&mut *tx)
        .await
        .expect("seal");
        let today = today();
        let lines = app::domain::decision::lines(std::slice::from_ref(&row));
        record_decision(&mut tx, &id, &today, (&lines, &[None])).await;
        app::db::commit(tx).await.expect("commit");
        (id, product)
    }

    /// A sealed round whose (empty) decision is recorded, not yet published.
    async fn decided_round(&self) -> String {
        let id = self.sealed_round().await;
        let mut tx = self.server.db.begin().await.expect("begin");
        record_decision(&mut tx, &id, "2026-01-01", (&[], &[])).await;
        app::db::commit(tx).await.expect("commit");
        id
    }

    async fn round_in(&self, state: app::domain::round::RoundState) -> String {
        self.round_sitting(state, app::domain::sitting::Sitting::Meeting)
            .await
    }

    async fn round_sitting(
        &self,
        state: app::domain::round::RoundState,
        sitting: app::domain::sitting::Sitting,
    ) -> String {
        let (cutoff, closes) = crate::support::open_round_dates();
        let round = app::domain::round::RoundRow {
            id: format!("round-{}", fresh_phone()),
            body: app::domain::round::Body::Province(HERE),
            name: "Đợt đang mở".into(),
            rule_set: "qd-26-2026".into(),
            profile: "qd-26-2026".into(),
            proposal_cutoff: cutoff,
            closes_on: closes,
            state,
            quorum: (3, 4),
            divergence_limit: 10,
            sitting,
            meeting_asked: None,
        };
        let mut tx = self.server.db.begin().await.expect("begin");
        app::db::rounds::insert(&mut tx, &round)
            .await
            .expect("round");
        app::db::commit(tx).await.expect("commit");
        round.id
    }

    /// A round in scoring with a product and a member who has not scored it yet:
    /// (round, member, product).
    async fn scoring_member(&self) -> (String, String, String) {
        let (round, product, member) = self
            .round_with_member_in(app::domain::round::RoundState::Scoring, None)
            .await;
        (round, member, product)
    }

    /// The fixture's council member's account.
    async fn council_member_user(&self) -> app::db::users::UserRecord {
        app::db::users::by_phone(
            &self.server.db,
            self.phone(Who::CouncilMember).unwrap_or_default(),
        )
        .await
        .expect("member")
        .expect("the council member")
    }

    /// A round in scoring where a member handed in a sheet: (round, member, product).
    async fn submitted_sheet(&self) -> (String, String, String) {
        self.submitted_sheet_with(vec![]).await
    }

    /// The same, with `edits` made before the sheet is handed in.
    async fn submitted_sheet_with(
        &self,
        edits: Vec<app::domain::sheet_sync::SheetEdit>,
    ) -> (String, String, String) {
        use app::domain::sheet_sync::{SheetChange, SheetEdit, SheetState, Stamp};
        let (round, member, product) = self.scoring_member().await;
        let changes: Vec<SheetChange> = edits
            .into_iter()
            .chain([SheetEdit::Submit {
                digest: String::new(),
            }])
            .enumerate()
            .map(|(seq, edit)| SheetChange {
                change_id: format!("{seq}-{member}"),
                member_id: member.clone(),
                product_id: product.clone(),
                stamp: Stamp {
                    device_ms: 1 + seq as i64,
                    device_id: "tablet".into(),
                    seq: seq as u64,
                },
                edit,
            })
            .collect();
        let mut changes = changes;
        app::domain::sheet_sync::hand_in_digests(&mut changes);
        let mut tx = self.server.db.begin().await.expect("begin");
        for change in &changes {
            app::db::sheets::insert_change(&mut tx, &round, change)
                .await
                .expect("change");
        }
        let sheet = SheetState::replay(&changes);
        app::db::sheets::save_sheet(&mut tx, &round, &member, &product, &sheet)
            .await
            .expect("sheet");
        app::db::commit(tx).await.expect("commit");
        (round, member, product)
    }

    /// An accepting round with one dossier in it and one member (linked to
    /// `user_id`, if given): (round, product, member) ids.
    async fn round_with_member(&self, user_id: Option<String>) -> (String, String, String) {
        self.round_with_member_in(app::domain::round::RoundState::Accepting, user_id)
            .await
    }

    /// The same in a round in `state`.
    async fn round_with_member_in(
        &self,
        state: app::domain::round::RoundState,
        user_id: Option<String>,
    ) -> (String, String, String) {
        use app::domain::dossier::DossierState;
        let round = self.round_in(state).await;
        let product = self.product_in(DossierState::InRound).await;
        let member = app::domain::round::MemberRow {
            id: format!("member-{}", fresh_phone()),
            name: "Trần Thị Hoa".into(),
            department: "Sở Y tế".into(),
            position: app::domain::round::CouncilPosition::Member,
            user_id,
        };
        let mut tx = self.server.db.begin().await.expect("begin");
        app::db::rounds::add_dossier(&mut tx, &round, &product)
            .await
            .expect("dossier");
        app::db::councils::add_member(&mut tx, &round, &member)
            .await
            .expect("member");
        app::db::commit(tx).await.expect("commit");
        (round, product, member.id)
    }

    /// What a row sends, with fresh objects where the call consumes them.
    pub(crate) async fn payload(&self, body: Body) -> Payload {
        use app::domain::dossier::DossierState;
        use app::domain::round::RoundState;
        match body {
            Body::ProductAtOffice => Payload::form(&[
                ("product_id", &self.product_at_office().await),
                ("note", "Bổ sung báo cáo tài chính"),
                ("deadline", "2099-12-31"),
            ]),
            Body::RejectAtOffice => Payload::form(&[
                ("product_id", &self.product_at_office().await),
                ("rule", "0"),
                ("note", "Giấy chứng nhận ATTP đã hết hạn"),
            ]),
            Body::NewRound => Payload::form(&[
                ("name", "Đợt 1 năm 2027"),
                ("year", "2027"),
                ("number", "1"),
            ]),
            Body::SealedRound => Payload::form(&[("round_id", &self.sealed_round().await)]),
            Body::DecisionForSealedRound => Payload::form(&[
                ("round_id", &self.sealed_round().await),
                ("number", &fresh_decision_number()),
                ("signed_on", &today()),
                ("signer", "Chủ tịch UBND tỉnh"),
            ]),
            Body::RecordedDecision => Payload::form(&[("round_id", &self.decided_round().await)]),
            Body::CertificateCode => Payload::form(&[("code", "51-23344-001-2026")]),
            Body::CertificateHere => Payload::form(&[("code", &self.certificate_here().await)]),
            Body::InspectionHere => Payload::form(&[
                ("code", &self.certificate_here().await),
                ("kind", "ad_hoc"),
                ("inspected_on", &today()),
                ("mark_use", "proper"),
                ("findings", "[]"),
                ("outcome", "kept"),
            ]),
            Body::ReturnedHere => {
                let (round, product) = self.returned_product().await;
                Payload::form(&[
                    ("from_round_id", &round),
                    ("product_id", &product),
                    ("number", &fresh_decision_number()),
                    ("signed_on", &today()),
                    ("signer", "Chủ tịch UBND tỉnh"),
                ])
            }
            Body::RevocationHere => {
                let today = today();
                Payload::form(&[
                    ("code", &self.certificate_here().await),
                    ("ground", "dd"),
                    ("detail", "UBND xã xác nhận cơ sở ngừng sản xuất"),
                    ("found_on", &today),
                    ("number", &fresh_decision_number()),
                    ("signed_on", &today),
                    ("signer", "Chủ tịch UBND tỉnh"),
                ])
            }
            Body::WrittenRound => Payload::form(&[
                (
                    "round_id",
                    &self
                        .round_sitting(RoundState::Scoring, app::domain::sitting::Sitting::Written)
                        .await,
                ),
                ("reason", "Ý kiến khác nhau nhiều"),
            ]),
            Body::DraftRoundOpen => Payload::form(&[
                ("round_id", &self.round_in(RoundState::Draft).await),
                ("event", "Open"),
            ]),
            Body::AssignToRound => Payload::form(&[
                ("product_id", &self.product_at_office().await),
                ("round_id", &self.round_in(RoundState::Accepting).await),
            ]),
            Body::NewMember => Payload::form(&[
                ("round_id", &self.round_in(RoundState::Draft).await),
                ("name", "Nguyễn Văn Bình"),
                ("department", "Sở Công Thương"),
                ("position", "member"),
            ]),
            Body::CouncilSettings => Payload::form(&[
                ("round_id", &self.round_in(RoundState::Draft).await),
                ("numerator", "2"),
                ("denominator", "3"),
                ("divergence_limit", "12"),
            ]),
            Body::ScoredByTheMember => {
                let member_user = self.council_member_user().await;
                let (_, product, _) = self
                    .round_with_member_in(RoundState::Scoring, Some(member_user.id))
                    .await;
                Payload::form(&[("product_id", &product)])
            }
            Body::MemberConflict => {
                let member_user = self.council_member_user().await;
                let (_, product, member) = self.round_with_member(Some(member_user.id)).await;
                Payload::form(&[
                    ("member_id", &member),
                    ("product_id", &product),
                    ("reason", "Là thành viên hợp tác xã"),
                ])
            }
            Body::SplitCouncil => {
                let (round, product, member) = self.round_with_member(None).await;
                Payload::form(&[
                    ("round_id", &round),
                    ("product_id", &product),
                    ("member_ids", &member),
                ])
            }
            Body::RoundId => {
                Payload::form(&[("round_id", &self.round_in(RoundState::Draft).await)])
            }
            Body::RoundFlag => Payload::form(&[
                ("round_id", &self.round_in(RoundState::Draft).await),
                ("product_id", "none"),
                ("flag", "no_result:"),
            ]),
            Body::SubmittedProduct => Payload::form(&[(
                "product_id",
                &self.product_in(DossierState::Submitted).await,
            )]),
            Body::AssessmentInReview => Payload::Json(json!({
                "product_id": self.product_in(DossierState::CommuneReview).await,
                "assessment": complete_assessment(),
            })),
            Body::SupplementInReview => Payload::form(&[
                (
                    "product_id",
                    &self.product_in(DossierState::CommuneReview).await,
                ),
                ("note", "Bổ sung phiếu kiểm nghiệm"),
                ("deadline", "2099-12-31"),
            ]),
            Body::AssessedInReview => {
                let id = self.product_in(DossierState::CommuneReview).await;
                let mut tx = self.server.db.begin().await.expect("begin");
                let officer = app::db::users::by_phone(
                    &self.server.db,
                    self.phone(Who::OfficerHere).unwrap_or_default(),
                )
                .await
                .expect("officer")
                .expect("the officer here");
                app::db::commune::save_review(
                    &mut tx,
                    &id,
                    1,
                    &officer.id,
                    &complete_assessment().to_string(),
                )
                .await
                .expect("review");
                app::db::commit(tx).await.expect("commit");
                Payload::form(&[("product_id", &id)])
            }
            Body::NewSubject => Payload::Json(json!({ "id": null, "form": dossier::subject() })),
            Body::EditSubject => {
                Payload::Json(json!({ "id": self.subject_id, "form": dossier::subject() }))
            }
            Body::SubjectId => Payload::form(&[("id", &self.subject_id)]),
            Body::NewProduct => Payload::Json(json!({ "form": {
                "subject_id": self.subject_id, "name": "Mật ong bạc hà", "product_set": "7",
                "kind": "first_time", "previous_certificate": "", "changes": ""
            }})),
            Body::FreshProduct => Payload::form(&[("product_id", &self.fresh_product().await)]),
            Body::SelfAssessment => Payload::Json(json!({
                "product_id": self.fresh_product().await, "answers": { "1.1": 0 }, "revision": 1
            })),
            Body::SelfReport => Payload::Json(json!({
                "product_id": self.fresh_product().await,
                "form": crate::support::dossier::complete_report(),
            })),
            Body::StartUpload => Payload::form(&[
                ("product_id", &self.fresh_product().await),
                ("slot", "food_safety"),
                ("file_name", "giay-chung-nhan.pdf"),
                ("size", "1000"),
            ]),
            Body::EmptySync => Payload::Json(json!({ "changes": [] })),
            Body::PaperSheet => {
                let (round, member, product) = self.scoring_member().await;
                let answers: serde_json::Map<String, serde_json::Value> =
                    app::rules_catalog::product_set("qd-26-2026", 7)
                        .expect("set 7")
                        .criteria()
                        .map(|(_, _, c)| (c.code.to_string(), json!(0)))
                        .collect();
                Payload::Json(json!({ "round_id": round, "member_id": member,
                    "product_id": product, "answers": answers }))
            }
            Body::RescoreSubmitted => {
                let (round, member, product) = self.submitted_sheet().await;
                Payload::form(&[
                    ("round_id", &round),
                    ("member_id", &member),
                    ("product_id", &product),
                    ("reason", "Chênh lệch lớn"),
                ])
            }
            Body::KnockoutFlagged => {
                let knockout = app::domain::sheet_sync::SheetEdit::Knockout {
                    criterion: crate::support::criterion("1.1"),
                    flagged: true,
                };
                let (round, _, product) = self.submitted_sheet_with(vec![knockout]).await;
                Payload::form(&[
                    ("round_id", &round),
                    ("product_id", &product),
                    ("criterion", "1.1"),
                    ("confirmed", "true"),
                ])
            }
            Body::StartAdvisoryUpload => Payload::form(&[
                ("product_id", &self.product_at_office().await),
                ("slot", "site_visit"),
                ("file_name", "bien-ban-khao-sat.pdf"),
                ("size", "1000"),
            ]),
            Body::SubmittedVersion => {
                let product = self.fresh_product().await;
                let db = &self.server.db;
                let mut tx = db.begin().await.expect("begin");
                app::db::dossiers::insert_version(&mut tx, &product, 1, "u", "{}")
                    .await
                    .expect("version");
                app::db::commit(tx).await.expect("commit");
                Payload::form(&[("product_id", &product), ("version", "1")])
            }
            other => Payload::Form(self.form(other).await),
        }
    }

    /// The form a row sends, with fresh objects where the call consumes them.
    async fn form(&self, body: Body) -> Vec<(String, String)> {
        use app::db::links::TokenPurpose;
        match body {
            Body::Empty => vec![],
            Body::PlanTargetHere => pairs(&[
                ("year", "2026"),
                ("scope", "commune:23344"),
                ("kind", "sme_share"),
                ("value", "10"),
            ]),
            Body::PointHere => pairs(&[
                ("commune", "23344"),
                ("name", "Điểm OCOP"),
                ("address", "Thôn 1"),
                ("kind", "showcase"),
                ("opened_on", "2026-01-10"),
            ]),
            Body::Fair => pairs(&[
                ("name", "Hội chợ OCOP"),
                ("place", "Quảng trường"),
                ("starts_on", "2026-05-01"),
                ("ends_on", "2026-05-03"),
            ]),
            Body::ShowHere => vec![
                ("target".into(), self.point_here().await),
                ("code".into(), self.certificate_here().await),
            ],
            Body::Communes => pairs(&[("province", "51")]),
            Body::SignUpCode => {
                let phone = fresh_phone();
                let mut tx = self.server.db.begin().await.expect("begin");
                app::db::proofs::hold_sign_up(
                    &mut tx,
                    &phone,
                    "Chủ thể mới",
                    crate::support::test_password_hash(),
                    "424242",
                )
                .await
                .expect("pending sign-up");
                app::db::commit(tx).await.expect("commit");
                pairs(&[("phone", &phone), ("code", "424242")])
            }
            Body::OfferToProducer => {
                let producer = app::db::users::by_phone(
                    &self.server.db,
                    self.phone(Who::Producer).unwrap_or_default(),
                )
                .await
                .expect("producer")
                .expect("the producer");
                let seat = Grant {
                    role: Role::CouncilMember,
                    scope: Scope::Council {
                        round: "hd-khac".into(),
                        office: app::auth::Office::Province(THERE),
                    },
                };
                let mut tx = self.server.db.begin().await.expect("begin");
                let token = app::db::proofs::offer_role(&mut tx, &producer.id, &seat, "admin")
                    .await
                    .expect("offer");
                app::db::commit(tx).await.expect("commit");
                pairs(&[("token", &token)])
            }
            Body::SignUp => pairs(&[
                ("phone", &fresh_phone()),
                ("display_name", "Chủ thể mới"),
                ("password", TEST_PASSWORD),
            ]),
            Body::LogInOther => {
                let (_, phone) = self.new_user(&[]).await;
                pairs(&[("phone", &phone), ("password", TEST_PASSWORD)])
            }
            Body::ChangePassword => pairs(&[
                ("current_password", TEST_PASSWORD),
                ("new_password", TEST_PASSWORD),
            ]),
            Body::ResetRequest => {
                let (_, phone) = self.new_user(&[]).await;
                pairs(&[("phone", &phone)])
            }
            Body::ResetWithToken => {
                let (id, _) = self.new_user(&[]).await;
                let token = self.token(TokenPurpose::PasswordReset, &id).await;
                pairs(&[("token", &token), ("password", TEST_PASSWORD)])
            }
            Body::AcceptInvitation => {
                let (id, _) = self.new_user(&[self.commune_here()]).await;
                let token = self.token(TokenPurpose::Invitation, &id).await;
                pairs(&[("token", &token), ("password", TEST_PASSWORD)])
            }
            Body::ListHere => pairs(&[("province", "51")]),
            Body::InviteHere | Body::InviteThere => {
                let commune = if matches!(body, Body::InviteHere) {
                    COMMUNE_HERE
                } else {
                    self.commune_there
                };
                pairs(&[
                    ("phone", &fresh_phone()),
                    ("display_name", "Cán bộ được mời"),
                    ("role", "commune_officer"),
                    ("scope_code", &commune.to_string()),
                ])
            }
            Body::GrantHere => {
                let (id, _) = self.new_user(&[self.commune_here()]).await;
                pairs(&[
                    ("user_id", &id),
                    ("role", "office_staff"),
                    ("scope_code", "51"),
                ])
            }
            Body::RevokeHere => {
                let (id, _) = self.new_user(&[self.commune_here()]).await;
                let grants = app::db::users::grants_of(&self.server.db, &id)
                    .await
                    .expect("grants");
                pairs(&[("grant_id", &grants[0].id)])
            }
            Body::DisableOfficerHere => {
                let (id, _) = self.new_user(&[self.commune_here()]).await;
                pairs(&[("user_id", &id), ("disabled", "true")])
            }
            Body::DisableProducer => {
                let producer = Grant {
                    role: Role::Producer,
                    scope: Scope::Everywhere,
                };
                let (id, _) = self.new_user(&[producer]).await;
                pairs(&[("user_id", &id), ("disabled", "true")])
            }
            _ => vec![],
        }
    }

    /// A client signed in as `who` (the public: not signed in).
    pub(crate) async fn client_for(&self, who: Who) -> Client {
        let client = self.server.client();
        match who {
            // A fresh account each time, signed in, then changed under its session.
            Who::Disabled | Who::Revoked => {
                let office = Grant {
                    role: Role::OfficeStaff,
                    scope: Scope::Province(HERE),
                };
                let (id, phone) = self.new_user(&[office]).await;
                client.log_in(&phone, TEST_PASSWORD).await;
                let mut tx = self.server.db.begin().await.expect("begin");
                if who == Who::Disabled {
                    app::db::users::set_disabled(&mut tx, &id, true)
                        .await
                        .expect("disable");
                } else {
                    sqlx::query("DELETE FROM role_grants WHERE user_id = $1")
                        .bind(&id)
                        .execute(&mut *tx)
                        .await
                        .expect("revoke");
                }
                app::db::commit(tx).await.expect("commit");
            }
            _ => {
                if let Some(phone) = self.phone(who) {
                    client.log_in(phone, TEST_PASSWORD).await;
                }
            }
        }
        client
    }
}

pub(crate) async fn fixture(url: &str) -> Fixture {
    let server = TestServer::start(url, false, None).await;
    let communes_there = app::db::admin_units::communes_of(&server.db, THERE)
        .await
        .expect("communes of Hà Nội");
    let commune_there = communes_there[0].0;
    // The councils the council personas sit on (a council scope names a real round).
    for (id, province) in [("hd-thu", HERE), ("hd-khac", THERE)] {
        let round = app::domain::round::RoundRow {
            id: id.into(),
            body: app::domain::round::Body::Province(province),
            name: format!("Hội đồng {id}"),
            rule_set: "qd-26-2026".into(),
            profile: "qd-26-2026".into(),
            proposal_cutoff: "2026-10-30".into(),
            closes_on: "2026-12-30".into(),
            state: app::domain::round::RoundState::Draft,
            quorum: (3, 4),
            divergence_limit: 10,
            sitting: app::domain::sitting::Sitting::Meeting,
            meeting_asked: None,
        };
        let mut tx = server.db.begin().await.expect("begin");
        app::db::rounds::insert(&mut tx, &round)
            .await
            .expect("round");
        app::db::commit(tx).await.expect("commit");
    }
    let grant = |role: Role, scope: Scope| Grant { role, scope };
    let people: Vec<(Who, Vec<Grant>)> = vec![
        (
            Who::Producer,
            vec![grant(Role::Producer, Scope::Everywhere)],
        ),
        (
            Who::OtherProducer,
            vec![grant(Role::Producer, Scope::Everywhere)],
        ),
        (
            Who::OfficerHere,
            vec![grant(
                Role::CommuneOfficer,
                Scope::Commune {
                    code: COMMUNE_HERE,
                    province: HERE,
                },
            )],
        ),
        (
            Who::OfficerThere,
            vec![grant(
                Role::CommuneOfficer,
                Scope::Commune {
                    code: commune_there,
                    province: THERE,
                },
            )],
        ),
        (
            Who::OfficeStaff,
            vec![grant(Role::OfficeStaff, Scope::Province(HERE))],
        ),
        (
            Who::CouncilMember,
            vec![grant(
                Role::CouncilMember,
                Scope::Council {
                    round: "hd-thu".into(),
                    office: app::auth::Office::Province(HERE),
                },
            )],
        ),
        (
            Who::CouncilChair,
            vec![grant(
                Role::CouncilChair,
                Scope::Council {
                    round: "hd-thu".into(),
                    office: app::auth::Office::Province(HERE),
                },
            )],
        ),
        (
            Who::AdminHere,
            vec![grant(Role::Admin, Scope::Province(HERE))],
        ),
        (
            Who::AdminThere,
            vec![grant(Role::Admin, Scope::Province(THERE))],
        ),
        (
            Who::SuperAdmin,
            vec![grant(Role::SuperAdmin, Scope::Everywhere)],
        ),
        (
            Who::OfficeThere,
            vec![grant(Role::OfficeStaff, Scope::Province(THERE))],
        ),
        (Who::NoRole, vec![]),
        (
            Who::TwoRoles,
            vec![
                grant(
                    Role::CommuneOfficer,
                    Scope::Commune {
                        code: COMMUNE_HERE,
                        province: HERE,
                    },
                ),
                grant(Role::Admin, Scope::Province(THERE)),
            ],
        ),
    ];
    let mut phones = Vec::new();
    let mut subject_id = String::new();
    for (who, grants) in people {
        let phone = fresh_phone();
        let user_id = create_user(&server.db, &phone, &grants).await;
        if matches!(who, Who::Producer | Who::OtherProducer) {
            let subject: app::domain::subject::SubjectForm =
                serde_json::from_value(dossier::subject()).expect("subject form");
            let subject = subject.parse().expect("valid subject");
            let mut tx = server.db.begin().await.expect("begin");
            let id = app::db::producers::save_subject(&mut tx, None, &subject, &user_id)
                .await
                .expect("subject");
            app::db::commit(tx).await.expect("commit");
            if who == Who::Producer {
                subject_id = id;
            }
        }
        phones.push((who, phone));
    }
    Fixture {
        server,
        commune_there,
        phones,
        subject_id,
    }
}

/// Every registered server function's endpoint, without the `/api/` prefix.
pub(crate) fn registered_endpoints() -> BTreeSet<String> {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_string())
        .collect()
}

#[test]
fn every_server_function_has_a_row_in_the_matrix() {
    let covered: BTreeSet<String> = MATRIX.iter().map(|r| r.endpoint.to_string()).collect();
    let registered = registered_endpoints();
    assert!(registered.len() >= 19, "found only {registered:?}");
    let missing: Vec<_> = registered.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "server functions with no row in the authorization matrix: {missing:?}"
    );
    let stale: Vec<_> = covered.difference(&registered).collect();
    assert!(
        stale.is_empty(),
        "matrix rows for no server function: {stale:?}"
    );
}

/// Waits (up to three seconds) until the audit trail holds `rows` rows.
async fn settle(db: &app::db::Db, rows: i64) {
    let started = std::time::Instant::now();
    while audit_rows(db).await < rows && started.elapsed() < std::time::Duration::from_secs(3) {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// A document route's answer to `who`: 422 (not there yet) for `allowed`, 401 for
/// the public, 403 for everyone else.
fn document_failure(what: &str, who: Who, status: u16, allowed: &'static [Who]) -> Option<String> {
    let as_row = Row {
        endpoint: "",
        body: Body::Empty,
        allowed,
        mutates: false,
        changes_session: false,
        refusal: 403,
    };
    let want = if as_row.allows(who) {
        422
    } else if anonymous(who) {
        401
    } else {
        403
    };
    (status != want).then(|| format!("{what} as {who:?}: status {status} (want {want})"))
}

#[tokio::test]
async fn the_authorization_matrix_holds_on_every_engine() {
    for test_db in each_engine().await {
        // Arrange
        let fixture = fixture(&test_db.url).await;
        let mut clients = Vec::new();
        for who in EVERYONE {
            clients.push((who, fixture.client_for(who).await));
        }
        let mut failures = Vec::new();
        let mut calls = 0;
        // Act / Assert, row by row and person by person.
        for row in MATRIX {
            for (who, client) in clients.iter_mut() {
                let payload = fixture.payload(row.body).await;
                let before = audit_rows(&fixture.server.db).await;
                let answer = match &payload {
                    Payload::Form(form) => {
                        let form: Vec<(&str, &str)> =
                            form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                        client.call(row.endpoint, &form).await
                    }
                    Payload::Json(json) => client.call_json(row.endpoint, json).await,
                };
                let allowed = row.allows(*who);
                if allowed && row.endpoint == "account/request_password_reset" {
                    // The link is made after the reply (its timing tells nothing).
                    settle(&fixture.server.db, before + 1).await;
                }
                let written = audit_rows(&fixture.server.db).await - before;
                calls += 1;
                let expected_status = match (allowed, anonymous(*who)) {
                    (true, _) => "2xx".to_string(),
                    (false, true) => "401".to_string(),
                    (false, false) => row.refusal.to_string(),
                };
                let status_ok = match expected_status.as_str() {
                    "2xx" => (200..300).contains(&answer.status),
                    wanted => answer.status.to_string() == wanted,
                };
                let expected_rows = i64::from(allowed && row.mutates);
                if !status_ok || written != expected_rows {
                    failures.push(format!(
                        "{} {:?} as {who:?}: status {} (want {expected_status}), audit rows {written} (want {expected_rows}): {}",
                        row.endpoint,
                        row.body,
                        answer.status,
                        answer.body.chars().take(160).collect::<String>()
                    ));
                }
                if row.changes_session && allowed {
                    *client = fixture.client_for(*who).await;
                }
            }
        }
        // The CSV export is a plain route, not a server function: same rule as audit/list.
        for (who, client) in &clients {
            let answer = client.get(sao_server::AUDIT_CSV_PATH).await;
            let allowed = ADMINS.contains(who) || *who == Who::TwoRoles;
            let ok = if allowed {
                answer.status == 200 && answer.body.contains("thao_tac")
            } else {
                answer.status == if anonymous(*who) { 401 } else { 403 }
            };
            if !ok {
                failures.push(format!("audit CSV as {who:?}: status {}", answer.status));
            }
        }
        // Documents answer 422 before they exist (no assessment, round not sealed),
        // so a refusal (401/403) still shows.
        for (who, client) in &clients {
            let product = fixture.fresh_product().await;
            let path = app::api::commune::COMMUNE_REPORT_PATH.replace("{id}", &product);
            let status = client.get_bytes(&path).await.0;
            failures.extend(document_failure(
                "Mẫu 03 PDF",
                *who,
                status,
                &SUBJECT_VIEWERS,
            ));
            let round = fixture
                .round_in(app::domain::round::RoundState::Draft)
                .await;
            let path = app::api::council::MINUTES_PATH.replace("{id}", &round);
            let status = client.get_bytes(&path).await.0;
            failures.extend(document_failure("minutes PDF", *who, status, &OFFICE_HERE));
        }
        // Upload routes: the chunk and status answer the subject's own rules.
        for (who, client) in &clients {
            let product = fixture.fresh_product().await;
            let mut tx = fixture.server.db.begin().await.expect("begin");
            let upload =
                app::db::evidence::start(&mut tx, &product, "food_safety", "a.pdf", 8, "test")
                    .await
                    .expect("upload");
            app::db::commit(tx).await.expect("commit");
            let path = format!("/tai-lieu/{upload}");
            let status = client.get(&path).await;
            let before = audit_rows(&fixture.server.db).await;
            let chunk = client
                .put_bytes(&format!("{path}?offset=0"), b"%PDF-1.7".to_vec())
                .await;
            let written = audit_rows(&fixture.server.db).await - before;
            let refused = if anonymous(*who) { 401 } else { 403 };
            let viewers = Row {
                endpoint: "",
                body: Body::Empty,
                allowed: &SUBJECT_VIEWERS,
                mutates: false,
                changes_session: false,
                refusal: 403,
            };
            let view_ok = if viewers.allows(*who) {
                status.status == 200
            } else {
                status.status == refused
            };
            let edit_ok = if OWNER.contains(who) {
                chunk.status == 200 && written == 1
            } else {
                chunk.status == refused && written == 0
            };
            if !view_ok || !edit_ok {
                failures.push(format!(
                    "uploads as {who:?}: status {} / chunk {} with {written} audit rows",
                    status.status, chunk.status
                ));
            }
        }
        // What an allowed read holds: only what lies in the reader's scope.
        failures.extend(contents_failures(&fixture, &clients).await);
        eprintln!(
            "authorization matrix on {}: {} rows, {} calls, {} failures",
            test_db.engine,
            MATRIX.len(),
            calls,
            failures.len()
        );
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        let db = fixture.server.stop();
        test_db.cleanup(db).await;
    }
}

/// Allowed reads checked for what they hold: each reader sees what lies in their
/// scope and nothing of another province, commune or subject.
async fn contents_failures(fixture: &Fixture, clients: &[(Who, Client)]) -> Vec<String> {
    use app::domain::dossier::DossierState;
    let client = |who: Who| &clients.iter().find(|(w, _)| *w == who).expect("client").1;
    let id_of = |who: Who| async move {
        app::db::users::by_phone(&fixture.server.db, fixture.phone(who).unwrap_or_default())
            .await
            .expect("user")
            .expect("the user")
            .id
    };
    let at_office = fixture.product_in(DossierState::OfficeReview).await;
    let submitted = fixture.product_in(DossierState::Submitted).await;
    let officer_here = fixture
        .phone(Who::OfficerHere)
        .unwrap_or_default()
        .to_string();
    let office_here_id = id_of(Who::OfficeStaff).await;
    // (reader, endpoint, needle, whether the answer must hold it)
    let checks: Vec<(Who, &str, String, bool)> = vec![
        (
            Who::Producer,
            "producer/subjects",
            fixture.subject_id.clone(),
            true,
        ),
        (
            Who::OtherProducer,
            "producer/subjects",
            fixture.subject_id.clone(),
            false,
        ),
        (
            Who::NoRole,
            "producer/subjects",
            fixture.subject_id.clone(),
            false,
        ),
        (
            Who::TwoRoles,
            "producer/subjects",
            fixture.subject_id.clone(),
            false,
        ),
        (Who::AdminHere, "users/list", officer_here.clone(), true),
        (Who::AdminThere, "users/list", officer_here.clone(), false),
        (Who::TwoRoles, "users/list", officer_here, false),
        (Who::AdminHere, "audit/list", office_here_id.clone(), true),
        (Who::AdminThere, "audit/list", office_here_id.clone(), false),
        (Who::TwoRoles, "audit/list", office_here_id, false),
        (Who::OfficeStaff, "office/queue", at_office.clone(), true),
        (Who::OfficeThere, "office/queue", at_office, false),
        (Who::OfficerHere, "commune/queue", submitted.clone(), true),
        (Who::TwoRoles, "commune/queue", submitted.clone(), true),
        (Who::OfficerThere, "commune/queue", submitted.clone(), false),
        (
            Who::OfficerHere,
            "commune/register",
            submitted.clone(),
            true,
        ),
        (Who::TwoRoles, "commune/register", submitted.clone(), true),
        (Who::OfficerThere, "commune/register", submitted, false),
    ];
    let mut failures = Vec::new();
    for (who, endpoint, needle, present) in checks {
        let answer = client(who).call(endpoint, &[]).await;
        if answer.status != 200 || answer.body.contains(&needle) != present {
            failures.push(format!(
                "{endpoint} as {who:?}: status {}, holds {needle}: {} (want {present})",
                answer.status,
                answer.body.contains(&needle)
            ));
        }
    }
    let overview = client(Who::Revoked).call("account/overview", &[]).await;
    if overview.status != 200 || overview.json()["principal"]["grants"] != json!([]) {
        failures.push(format!("a revoked grant still shows: {}", overview.body));
    }
    failures
}

/// Marks the sealed round `id` decided and records its decision (of province
/// `HERE`, signed on `signed_on`) with `lines` and their certificate codes.
async fn record_decision(
    tx: &mut app::db::Tx,
    id: &str,
    signed_on: &str,
    (lines, codes): (&[app::domain::decision::DecisionLine], &[Option<String>]),
) {
    use app::domain::round::RoundState;
    app::db::rounds::set_state(tx, id, RoundState::Sealed, RoundState::Decided)
        .await
        .expect("decided");
    let (user,): (String,) = sqlx::query_as("SELECT id FROM users ORDER BY created_ms LIMIT 1")
        .fetch_one(&mut **tx)
        .await
        .expect("a user");
    let decision = app::db::decisions::NewDecision {
        round_id: id,
        province: Some(HERE),
        number: &format!("{id}/QĐ"),
        signed_on,
        signer: "x",
        recorded_by: &user,
    };
    app::db::decisions::insert(tx, &decision, lines, codes)
        .await
        .expect("decision");
}
