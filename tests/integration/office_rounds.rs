//! The office's rounds and seats over HTTP on each engine (issue 14): a dossier
//! proposed after a round's cut-off is refused; a seat given a phone invites a new
//! number with the council role of that round only, and only offers it to a number
//! that has an account; a province's admin hands out council roles of their
//! province's rounds and no other's.
use crate::support::dossier::receive_assess_forward;
use crate::support::dossier::submitted_dossier;
use crate::support::people::{
    admin_grant, office_grant, office_of_quang_ngai, officer_of, official,
};
use crate::support::round::{create_round, try_add_member, try_assign, try_create_round};
use crate::support::{create_user, for_each_engine, fresh_phone, open_round_dates};
use app::api::office::SeatAdded;
use app::auth::{Grant, Role, Scope};

#[tokio::test]
async fn late_proposals_seats_by_phone_and_council_roles_hold_against_the_wrong_province() {
    for_each_engine(|server| async move {
        // Arrange: a dossier forwarded today; a round whose cut-off was yesterday-ish
        // (dates chosen by the office), and one still taking proposals.
        let officer = officer_of(&server, 23344).await;
        let office = office_of_quang_ngai(&server).await;
        let (_producer, product) = submitted_dossier(&server, &fresh_phone()).await;
        assert_eq!(
            receive_assess_forward(&officer, &product, true)
                .await
                .status,
            200
        );
        let closed = try_create_round(
            &office,
            "Đợt đã hết hạn đề xuất",
            ("2021-04-30", "2099-06-30"),
            None,
        )
        .await;
        assert_eq!(closed.status, 200, "{}", closed.body);
        let closed = closed.json().as_str().unwrap_or_default().to_string();
        let (cutoff, closes) = open_round_dates();
        let open = create_round(&office, "Đợt đang mở").await;
        let backwards = try_create_round(&office, "Ngược", (&closes, &cutoff), None).await;

        // Act: the late assignment; seats by phone; council roles by two admins.
        let late = try_assign(&office, &product, &closed).await;
        let on_time = try_assign(&office, &product, &open).await;
        let new_number = fresh_phone();
        let invited = try_add_member(
            &office,
            &open,
            ("Lê Văn An", "Sở Công Thương", "member", &new_number),
        )
        .await;
        let registered = fresh_phone();
        let holder = create_user(&server.db, &registered, &[]).await;
        let offered = try_add_member(
            &office,
            &open,
            ("Trần Thị Hoa", "Sở Y tế", "chair", &registered),
        )
        .await;
        let other_office = official(&server, office_grant(1)).await;
        let seat_elsewhere = try_add_member(
            &other_office,
            &open,
            ("Người tỉnh khác", "Sở", "member", &fresh_phone()),
        )
        .await;
        let admin_here = official(&server, admin_grant(51)).await;
        let admin_there = official(&server, admin_grant(1)).await;
        let grant = [
            ("user_id", holder.as_str()),
            ("role", "council_member"),
            ("scope_code", open.as_str()),
        ];
        let granted_there = admin_there.call("users/grant_role", &grant).await;
        let councils_there = admin_there.call("users/councils", &[]).await;
        let granted_here = admin_here.call("users/grant_role", &grant).await;
        let councils_here = admin_here.call("users/councils", &[]).await;

        // Assert
        assert_eq!(late.status, 422, "{}", late.body);
        assert!(
            late.body.contains("30/04/2021"),
            "the message names the cut-off: {}",
            late.body
        );
        assert_eq!(on_time.status, 200, "{}", on_time.body);
        assert_eq!(backwards.status, 422, "{}", backwards.body);
        assert!(backwards.body.contains("closes_on"), "{}", backwards.body);
        assert_eq!(invited.status, 200, "{}", invited.body);
        let link = invited
            .parse::<SeatAdded>()
            .invitation
            .and_then(|invitation| invitation.link)
            .unwrap_or_default();
        assert!(
            link.contains("/loi-moi?ma="),
            "a new number gets a link: {}",
            invited.body
        );
        let new_user = app::db::users::by_phone(&server.db, &new_number)
            .await
            .expect("lookup")
            .expect("the invited account");
        let grants = app::db::users::grants_of(&server.db, &new_user.id)
            .await
            .expect("grants");
        assert_eq!(
            grants.into_iter().map(|g| g.grant).collect::<Vec<_>>(),
            vec![Grant {
                role: Role::CouncilMember,
                scope: Scope::Council {
                    round: open.clone(),
                    office: app::auth::Office::Province(51),
                },
            }],
            "the role of this round's council, nothing more"
        );
        assert_eq!(offered.status, 200, "{}", offered.body);
        assert!(
            offered
                .parse::<SeatAdded>()
                .invitation
                .and_then(|invitation| invitation.link)
                .is_none(),
            "no link for a registered number"
        );
        let holder_grants: Vec<Grant> = app::db::users::grants_of(&server.db, &holder)
            .await
            .expect("grants")
            .into_iter()
            .map(|g| g.grant)
            .collect();
        assert_eq!(
            holder_grants,
            vec![Grant {
                role: Role::CouncilMember,
                scope: Scope::Council {
                    round: open.clone(),
                    office: app::auth::Office::Province(51),
                },
            }],
            "the office's seat only offered the chair; the admin here granted the member role"
        );
        assert_eq!(seat_elsewhere.status, 403, "{}", seat_elsewhere.body);
        assert_eq!(granted_there.status, 403, "{}", granted_there.body);
        assert_eq!(councils_there.json().as_array().map(Vec::len), Some(0));
        assert_eq!(granted_here.status, 200, "{}", granted_here.body);
        assert_eq!(councils_here.json().as_array().map(Vec::len), Some(2));
    })
    .await;
}
