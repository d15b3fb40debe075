//! The authorization matrix: every server function × every role, including
//! cross-scope cases, against a live server on each engine. A server function
//! with no row here fails the test. Allowed calls must succeed and, when they
//! change state, leave exactly one audit row; refused ones must leave none.
use crate::support::{
    audit_rows, create_user, each_engine, fresh_phone, Client, TestServer, TEST_PASSWORD,
};
use app::auth::{Grant, Role, Scope};
use std::collections::BTreeSet;

/// The people the matrix asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Who {
    Public,
    Producer,
    OfficerHere,
    OfficerThere,
    OfficeStaff,
    CouncilMember,
    CouncilChair,
    AdminHere,
    AdminThere,
    SuperAdmin,
}

const EVERYONE: [Who; 10] = [
    Who::Public,
    Who::Producer,
    Who::OfficerHere,
    Who::OfficerThere,
    Who::OfficeStaff,
    Who::CouncilMember,
    Who::CouncilChair,
    Who::AdminHere,
    Who::AdminThere,
    Who::SuperAdmin,
];
const SIGNED_IN: [Who; 9] = [
    Who::Producer,
    Who::OfficerHere,
    Who::OfficerThere,
    Who::OfficeStaff,
    Who::CouncilMember,
    Who::CouncilChair,
    Who::AdminHere,
    Who::AdminThere,
    Who::SuperAdmin,
];
const ADMINS: [Who; 3] = [Who::AdminHere, Who::AdminThere, Who::SuperAdmin];
const ADMIN_HERE: [Who; 2] = [Who::AdminHere, Who::SuperAdmin];
const ADMIN_THERE: [Who; 2] = [Who::AdminThere, Who::SuperAdmin];
const SUPER_ONLY: [Who; 1] = [Who::SuperAdmin];

/// Province "here" (Quảng Ngãi) with one of its communes; "there" is Hà Nội.
const HERE: i64 = 51;
const COMMUNE_HERE: i64 = 23344;
const THERE: i64 = 1;

/// The request a row sends; fresh objects are made for each call.
#[derive(Debug, Clone, Copy)]
enum Body {
    Empty,
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
}

struct Row {
    endpoint: &'static str,
    body: Body,
    allowed: &'static [Who],
    /// Changes state: an allowed call leaves exactly one audit row.
    mutates: bool,
    /// Leaves the caller signed out or signed in as someone else.
    changes_session: bool,
}

const fn row(endpoint: &'static str, body: Body, allowed: &'static [Who], mutates: bool) -> Row {
    Row {
        endpoint,
        body,
        allowed,
        mutates,
        changes_session: false,
    }
}

const fn session_row(endpoint: &'static str, body: Body, allowed: &'static [Who]) -> Row {
    Row {
        endpoint,
        body,
        allowed,
        mutates: true,
        changes_session: true,
    }
}

const MATRIX: &[Row] = &[
    row("units/summary", Body::Empty, &EVERYONE, false),
    row("units/provinces", Body::Empty, &EVERYONE, false),
    row("units/communes", Body::Communes, &EVERYONE, false),
    row("account/current_user", Body::Empty, &EVERYONE, false),
    session_row("account/sign_up", Body::SignUp, &[Who::Public]),
    session_row("account/log_in", Body::LogInOther, &EVERYONE),
    session_row("account/log_out", Body::Empty, &SIGNED_IN),
    session_row("account/log_out_everywhere", Body::Empty, &SIGNED_IN),
    row("account/overview", Body::Empty, &SIGNED_IN, false),
    row(
        "account/change_password",
        Body::ChangePassword,
        &SIGNED_IN,
        true,
    ),
    row(
        "account/request_password_reset",
        Body::ResetRequest,
        &EVERYONE,
        true,
    ),
    session_row("account/reset_password", Body::ResetWithToken, &EVERYONE),
    session_row(
        "account/accept_invitation",
        Body::AcceptInvitation,
        &EVERYONE,
    ),
    // Without a province an admin sees their own; with one, only its admin may.
    row("users/list", Body::Empty, &ADMINS, false),
    row("users/list", Body::ListHere, &ADMIN_HERE, false),
    row("users/invite", Body::InviteHere, &ADMIN_HERE, true),
    row("users/invite", Body::InviteThere, &ADMIN_THERE, true),
    row("users/grant_role", Body::GrantHere, &ADMIN_HERE, true),
    row("users/revoke_role", Body::RevokeHere, &ADMIN_HERE, true),
    row(
        "users/set_disabled",
        Body::DisableOfficerHere,
        &ADMIN_HERE,
        true,
    ),
    // A producer lies in no province: only a super admin may disable one today.
    row(
        "users/set_disabled",
        Body::DisableProducer,
        &SUPER_ONLY,
        true,
    ),
    row("audit/list", Body::Empty, &ADMINS, false),
];

struct Fixture {
    server: TestServer,
    commune_there: i64,
    phones: Vec<(Who, String)>,
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

    async fn token(&self, purpose: app::db::users::TokenPurpose, user_id: &str) -> String {
        let db = &self.server.db;
        let mut tx = db.begin().await.expect("begin");
        let token = app::db::users::issue_token(&mut tx, purpose, user_id, 60_000)
            .await
            .expect("token");
        app::db::commit(tx).await.expect("commit");
        token
    }

    /// The form a row sends, with fresh objects where the call consumes them.
    async fn form(&self, body: Body) -> Vec<(String, String)> {
        use app::db::users::TokenPurpose;
        let pairs = |items: &[(&str, &str)]| {
            items
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<Vec<_>>()
        };
        match body {
            Body::Empty => vec![],
            Body::Communes => pairs(&[("province", "51")]),
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
        }
    }

    /// A client signed in as `who` (the public: not signed in).
    async fn client_for(&self, who: Who) -> Client {
        let client = self.server.client();
        if let Some(phone) = self.phone(who) {
            client.log_in(phone, TEST_PASSWORD).await;
        }
        client
    }
}

async fn fixture(url: &str) -> Fixture {
    let server = TestServer::start(url, false, None).await;
    let communes_there = app::db::admin_units::communes_of(&server.db, THERE)
        .await
        .expect("communes of Hà Nội");
    let commune_there = communes_there[0].0;
    let grant = |role: Role, scope: Scope| Grant { role, scope };
    let people: Vec<(Who, Vec<Grant>)> = vec![
        (
            Who::Producer,
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
            vec![grant(Role::CouncilMember, Scope::Council("hd-thu".into()))],
        ),
        (
            Who::CouncilChair,
            vec![grant(Role::CouncilChair, Scope::Council("hd-thu".into()))],
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
    ];
    let mut phones = Vec::new();
    for (who, grants) in people {
        let phone = fresh_phone();
        create_user(&server.db, &phone, &grants).await;
        phones.push((who, phone));
    }
    Fixture {
        server,
        commune_there,
        phones,
    }
}

/// Every registered server function's endpoint, without the `/api/` prefix.
fn registered_endpoints() -> BTreeSet<String> {
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
                let form = fixture.form(row.body).await;
                let form: Vec<(&str, &str)> =
                    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                let before = audit_rows(&fixture.server.db).await;
                let answer = client.call(row.endpoint, &form).await;
                let written = audit_rows(&fixture.server.db).await - before;
                calls += 1;
                let allowed = row.allowed.contains(who);
                let expected_status = match (allowed, *who) {
                    (true, _) => "2xx",
                    (false, Who::Public) => "401",
                    (false, _) => "403",
                };
                let status_ok = match expected_status {
                    "2xx" => (200..300).contains(&answer.status),
                    "401" => answer.status == 401,
                    _ => answer.status == 403,
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
            let allowed = ADMINS.contains(who);
            let ok = if allowed {
                answer.status == 200 && answer.body.contains("thao_tac")
            } else {
                answer.status == if *who == Who::Public { 401 } else { 403 }
            };
            if !ok {
                failures.push(format!("audit CSV as {who:?}: status {}", answer.status));
            }
        }
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
