//! The policy's table tests.
use super::*;

fn user(grants: Vec<Grant>) -> Principal {
    Principal {
        user_id: "u".into(),
        phone: "+84912345678".into(),
        display_name: "Thử".into(),
        grants,
    }
}

fn admin_of(province: i64) -> Principal {
    user(vec![Grant {
        role: Role::Admin,
        scope: Scope::Province(province),
    }])
}

fn officer_in(code: i64, province: i64) -> Grant {
    Grant {
        role: Role::CommuneOfficer,
        scope: Scope::Commune { code, province },
    }
}

#[test]
fn the_public_may_read_and_sign_up_but_not_see_accounts() {
    assert_eq!(
        decide(None, Action::ViewPublicData, &Target::Nothing),
        Ok(())
    );
    assert_eq!(decide(None, Action::SignUp, &Target::Nothing), Ok(()));
    assert_eq!(
        decide(None, Action::ViewOwnAccount, &Target::Nothing),
        Err(Refusal::NotSignedIn)
    );
}

#[test]
fn an_admin_manages_grants_in_their_province_only() {
    let admin = admin_of(11);
    let here = [officer_in(100, 11)];
    let there = [officer_in(200, 22)];
    let mixed = [officer_in(100, 11), officer_in(200, 22)];

    assert_eq!(
        decide(Some(&admin), Action::ManageUser, &Target::Grants(&here)),
        Ok(())
    );
    for grants in [&there[..], &mixed[..], &[][..]] {
        assert_eq!(
            decide(Some(&admin), Action::ManageUser, &Target::Grants(grants)),
            Err(Refusal::Forbidden)
        );
    }
}

#[test]
fn nobody_but_a_super_admin_makes_a_super_admin() {
    let make_super = [Grant {
        role: Role::SuperAdmin,
        scope: Scope::Everywhere,
    }];
    let super_admin = user(make_super.to_vec());

    assert_eq!(
        decide(
            Some(&admin_of(11)),
            Action::ManageUser,
            &Target::Grants(&make_super)
        ),
        Err(Refusal::Forbidden)
    );
    assert_eq!(
        decide(
            Some(&super_admin),
            Action::ManageUser,
            &Target::Grants(&make_super)
        ),
        Ok(())
    );
}

#[test]
fn an_office_seats_council_roles_of_its_own_province_only() {
    let office = user(vec![Grant {
        role: Role::OfficeStaff,
        scope: Scope::Province(11),
    }]);
    let seat = |role, province| {
        [Grant {
            role,
            scope: Scope::Council {
                round: "r".into(),
                office: Office::Province(province),
            },
        }]
    };
    let here = seat(Role::CouncilMember, 11);
    assert_eq!(
        decide(Some(&office), Action::SeatCouncil, &Target::Grants(&here)),
        Ok(())
    );
    let refused = [
        seat(Role::CouncilChair, 22),
        seat(Role::Admin, 11),
        [officer_in(100, 11)],
    ];
    for grants in &refused {
        assert_eq!(
            decide(Some(&office), Action::SeatCouncil, &Target::Grants(grants)),
            Err(Refusal::Forbidden)
        );
    }
    // An admin hands out council roles of their province through ManageUser.
    assert_eq!(
        decide(
            Some(&admin_of(11)),
            Action::ManageUser,
            &Target::Grants(&here)
        ),
        Ok(())
    );
    assert_eq!(
        decide(
            Some(&admin_of(22)),
            Action::ManageUser,
            &Target::Grants(&here)
        ),
        Err(Refusal::Forbidden)
    );
}

#[test]
fn the_ministry_runs_central_rounds_only_and_no_province_admin_makes_ministry_staff() {
    let ministry = user(vec![Grant {
        role: Role::MinistryStaff,
        scope: Scope::Everywhere,
    }]);
    let province_office = user(vec![Grant {
        role: Role::OfficeStaff,
        scope: Scope::Province(51),
    }]);
    let central = Target::Office(Office::Ministry);
    let province = Target::Office(Office::Province(51));
    let area = Scope::Province(51);
    assert_eq!(
        decide(Some(&ministry), Action::OfficeWork, &central),
        Ok(())
    );
    for target in [&province, &Target::Area(&area)] {
        assert_eq!(
            decide(Some(&ministry), Action::OfficeWork, target),
            Err(Refusal::Forbidden)
        );
    }
    assert_eq!(
        decide(Some(&province_office), Action::OfficeWork, &central),
        Err(Refusal::Forbidden)
    );
    // The public area "everywhere" is nobody's office.
    let everywhere = Scope::Everywhere;
    assert_eq!(
        decide(
            Some(&province_office),
            Action::OfficeWork,
            &Target::Area(&everywhere)
        ),
        Err(Refusal::Forbidden)
    );
    let central_seat = [Grant {
        role: Role::CouncilMember,
        scope: Scope::Council {
            round: "c".into(),
            office: Office::Ministry,
        },
    }];
    let seat = Target::Grants(&central_seat);
    assert_eq!(decide(Some(&ministry), Action::SeatCouncil, &seat), Ok(()));
    assert_eq!(
        decide(Some(&province_office), Action::SeatCouncil, &seat),
        Err(Refusal::Forbidden)
    );
    let make_ministry = [Grant {
        role: Role::MinistryStaff,
        scope: Scope::Everywhere,
    }];
    for grants in [&make_ministry[..], &central_seat[..]] {
        assert_eq!(
            decide(
                Some(&admin_of(51)),
                Action::ManageUser,
                &Target::Grants(grants)
            ),
            Err(Refusal::Forbidden)
        );
    }
}

#[test]
fn a_signed_in_user_cannot_sign_up_again() {
    assert_eq!(
        decide(Some(&user(vec![])), Action::SignUp, &Target::Nothing),
        Err(Refusal::Forbidden)
    );
}
