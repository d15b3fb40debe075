//! People: users with grants made straight in the database, and officials
//! signed in as a browser would be.
use super::{create_user, fresh_phone, Answer, Client, TestServer, TEST_PASSWORD};
use app::auth::{Grant, Role, Scope};

/// A commune officer's grant for `commune` of Quảng Ngãi (51).
pub fn officer_grant(commune: i64) -> Grant {
    let scope = Scope::Commune {
        code: commune,
        province: 51,
    };
    Grant {
        role: Role::CommuneOfficer,
        scope,
    }
}

/// An OCOP office's grant for `province`.
pub fn office_grant(province: i64) -> Grant {
    Grant {
        role: Role::OfficeStaff,
        scope: Scope::Province(province),
    }
}

/// An admin's grant for `province`.
pub fn admin_grant(province: i64) -> Grant {
    Grant {
        role: Role::Admin,
        scope: Scope::Province(province),
    }
}

/// A council member's grant for a round of Quảng Ngãi (51).
pub fn member_grant(round: &str) -> Grant {
    let scope = Scope::Council {
        round: round.to_string(),
        office: app::auth::Office::Province(51),
    };
    Grant {
        role: Role::CouncilMember,
        scope,
    }
}

/// A new account holding `grants` (none: a producer's account), signed in:
/// (phone, client).
pub async fn signed_in_with(server: &TestServer, grants: &[Grant]) -> (String, Client) {
    let phone = fresh_phone();
    create_user(&server.db, &phone, grants).await;
    let client = server.client();
    client.log_in(&phone, TEST_PASSWORD).await;
    (phone, client)
}

/// An official holding `grant`, signed in.
pub async fn official(server: &TestServer, grant: Grant) -> Client {
    signed_in_with(server, &[grant]).await.1
}

/// An officer of `commune` (province 51), signed in.
pub async fn officer_of(server: &TestServer, commune: i64) -> Client {
    official(server, officer_grant(commune)).await
}

/// Who a refusal test sets against each other, signed in: Quảng Ngãi's (51)
/// office, Hà Nội's (1) office, and an officer of Đăk Plô (23344).
pub async fn office_hanoi_and_officer(server: &TestServer) -> (Client, Client, Client) {
    let office = official(server, office_grant(51)).await;
    let hanoi = official(server, office_grant(1)).await;
    let officer = official(server, officer_grant(23344)).await;
    (office, hanoi, officer)
}

/// OCOP office staff of Quảng Ngãi (51), signed in.
pub async fn office_of_quang_ngai(server: &TestServer) -> Client {
    official(server, office_grant(51)).await
}

/// `admin` invites `phone` (written any way) as a commune officer of Đăk Plô
/// (23344) named `display_name`: the answer.
pub async fn invite_officer(admin: &Client, phone: &str, display_name: &str) -> Answer {
    let form = [
        ("phone", phone),
        ("display_name", display_name),
        ("role", "commune_officer"),
        ("scope_code", "23344"),
    ];
    admin.call("users/invite", &form).await
}

/// The link of an invitation answered 200 ("" when it sent none) and its token.
pub fn invitation_link(invited: &Answer) -> (String, String) {
    assert_eq!(invited.status, 200, "{}", invited.body);
    let link = invited
        .parse::<app::api::users::Invitation>()
        .link
        .unwrap_or_default();
    let token = link.split("ma=").nth(1).unwrap_or("").to_string();
    (link, token)
}
