//! Issue 17: plan targets over HTTP on each engine. The office sets a year's
//! targets for its province and its communes; progress is computed from
//! certificates of known dates (met, missed, a share of no subjects); each
//! reader sees only the plans over their area; targets outside the office's
//! province, out of range or malformed are refused and write nothing.
use crate::support::dated::{certify, Certified};
use crate::support::people::{office_grant, office_hanoi_and_officer, officer_grant, official};
use crate::support::{audit_rows, for_each_engine, Answer, Client};

/// `client` sets the target `[year, scope, kind, value]`.
pub(crate) async fn set_target(client: &Client, [year, scope, kind, value]: [&str; 4]) -> Answer {
    let form = [
        ("year", year),
        ("scope", scope),
        ("kind", kind),
        ("value", value),
    ];
    client.call("plan/set_target", &form).await
}

/// The progress of `kind` in the block of `scope`, as JSON.
fn line(blocks: &serde_json::Value, scope: &str, kind: &str) -> serde_json::Value {
    let block = blocks
        .as_array()
        .expect("blocks")
        .iter()
        .find(|b| b["scope"] == scope)
        .unwrap_or_else(|| panic!("no plan for {scope}: {blocks}"));
    block["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .find(|l| l[0] == kind)
        .map(|l| l[1].clone())
        .unwrap_or_else(|| panic!("no {kind} in {block}"))
}

fn scopes(blocks: &serde_json::Value) -> Vec<String> {
    blocks
        .as_array()
        .expect("blocks")
        .iter()
        .map(|b| b["scope"].as_str().unwrap_or("").to_string())
        .collect()
}

#[tokio::test]
async fn progress_is_computed_from_the_data_and_each_reader_sees_their_area() {
    for_each_engine(|server| async move {
        // Arrange: three certified subjects in commune 23344 and one in 23341.
        let data = [
            Certified {
                commune: 23344,
                kind: "cooperative",
                value_chain: true,
                channels: &["supermarket"],
                stars: 4,
                issued: "2024-03-01",
                revoked: None,
            },
            Certified {
                commune: 23344,
                kind: "household",
                value_chain: false,
                channels: &["traditional"],
                stars: 3,
                issued: "2024-06-01",
                revoked: Some("2024-09-01"),
            },
            Certified {
                commune: 23344,
                kind: "small_enterprise",
                value_chain: false,
                channels: &["e_commerce"],
                stars: 3,
                issued: "2023-05-01",
                revoked: None,
            },
            Certified {
                commune: 23341,
                kind: "cooperative",
                value_chain: false,
                channels: &[],
                stars: 5,
                issued: "2024-02-01",
                revoked: None,
            },
        ];
        for (index, certified) in data.into_iter().enumerate() {
            certify(&server, index, certified).await;
        }
        let office = official(&server, office_grant(51)).await;
        let set = |scope, kind, value| set_target(&office, ["2024", scope, kind, value]);
        for (kind, value) in [
            ("new_three_star", "2"),
            ("new_four_star", "2"),
            ("value_chain_share", "50"),
            ("cooperative_share", "60"),
            ("sme_share", "50"),
            ("modern_channel_share", "100"),
            ("showcase_points", "1"),
        ] {
            let answer = set("commune:23344", kind, value).await;
            assert_eq!(answer.status, 200, "{kind}: {}", answer.body);
        }
        assert_eq!(
            set("province:51", "cooperative_share", "66").await.status,
            200
        );
        assert_eq!(set("province:51", "sme_share", "34").await.status, 200);
        assert_eq!(
            set("commune:23374", "value_chain_share", "30").await.status,
            200
        );
        // Setting a target again changes it (no second row).
        assert_eq!(set("province:51", "sme_share", "33").await.status, 200);

        // Act: the office reads every plan of its province for 2024.
        let blocks = office
            .call("plan/progress", &[("year", "2024")])
            .await
            .json();

        // Assert: counts and shares, met and missed, on 31/12/2024.
        let c = "commune:23344";
        assert_eq!(
            line(&blocks, c, "NewThreeStar"),
            serde_json::json!({"Count": {"done": 2, "target": 2, "met": true}})
        );
        assert_eq!(
            line(&blocks, c, "NewFourStar"),
            serde_json::json!({"Count": {"done": 1, "target": 2, "met": false}})
        );
        // The revoked subject is no OCOP subject at the year's end: 2 remain.
        assert_eq!(
            line(&blocks, c, "ValueChainShare"),
            serde_json::json!({"Share": {"part": 1, "whole": 2, "target": 50, "met": true}})
        );
        assert_eq!(
            line(&blocks, c, "CooperativeShare"),
            serde_json::json!({"Share": {"part": 1, "whole": 2, "target": 60, "met": false}})
        );
        assert_eq!(line(&blocks, c, "SmeShare")["Share"]["met"], true);
        assert_eq!(
            line(&blocks, c, "ModernChannelShare"),
            serde_json::json!({"Share": {"part": 2, "whole": 2, "target": 100, "met": true}})
        );
        assert_eq!(
            line(&blocks, c, "ShowcasePoints"),
            serde_json::json!({"Count": {"done": 0, "target": 1, "met": false}})
        );
        // The province: 2 cooperatives of 3 subjects is 66.7 %: 66 met; 1 SME of 3 is 33.3 %: 33 met.
        assert_eq!(
            line(&blocks, "province:51", "CooperativeShare"),
            serde_json::json!({"Share": {"part": 2, "whole": 3, "target": 66, "met": true}})
        );
        assert_eq!(
            line(&blocks, "province:51", "SmeShare"),
            serde_json::json!({"Share": {"part": 1, "whole": 3, "target": 33, "met": true}})
        );
        // A commune with no OCOP subject: nothing to measure, not 0 %.
        assert_eq!(
            line(&blocks, "commune:23374", "ValueChainShare"),
            serde_json::json!({"NoSubjects": {"target": 30}})
        );

        // Each reader sees the plans over their area only.
        let officer = official(&server, officer_grant(23344)).await;
        let theirs = officer
            .call("plan/progress", &[("year", "2024")])
            .await
            .json();
        assert_eq!(
            scopes(&theirs),
            vec!["province:51".to_string(), c.to_string()]
        );
        let elsewhere = official(&server, office_grant(1)).await;
        let none = elsewhere
            .call("plan/progress", &[("year", "2024")])
            .await
            .json();
        assert_eq!(none, serde_json::json!([]));
        // With no year: the latest year with targets.
        let latest = office.call("plan/progress", &[]).await.json();
        assert_eq!(latest[0]["year"], 2024);
    })
    .await;
}

#[tokio::test]
async fn targets_outside_the_province_out_of_range_or_malformed_are_refused_and_write_nothing() {
    for_each_engine(|server| async move {
        let (office, hanoi, officer) = office_hanoi_and_officer(&server).await;
        let rows = || async {
            let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM plan_targets")
                .fetch_one(server.db.pool())
                .await
                .expect("count");
            n
        };
        let audit_before = audit_rows(&server.db).await;
        let attempt = |who: &'static str, target: [&'static str; 4]| {
            let client = match who {
                "hanoi" => &hanoi,
                "officer" => &officer,
                _ => &office,
            };
            set_target(client, target)
        };
        // Refused for who asks: (who, the scope of a valid target).
        for (who, scope) in [
            // Another province's office, on this province's commune and on the province.
            ("hanoi", "commune:23344"),
            ("hanoi", "province:51"),
            // This office, on a commune of Hà Nội.
            ("office", "commune:10210"),
            // A commune officer may read, not set.
            ("officer", "commune:23344"),
        ] {
            let form = ["2026", scope, "sme_share", "10"];
            let answer = attempt(who, form).await;
            assert_eq!(answer.status, 403, "{who} {form:?}: {}", answer.body);
        }
        // Out of range and malformed, from the office: ([year, scope, kind, value],
        // the field refused).
        for (form, field) in [
            (["2026", "commune:23344", "sme_share", "101"], "value"),
            (["2026", "commune:23344", "sme_share", "-5"], "value"),
            (["2026", "commune:23344", "stars", "5"], "kind"),
            (["1999", "commune:23344", "sme_share", "5"], "year"),
            (
                ["2026", "district:no-such-district", "sme_share", "5"],
                "scope",
            ),
            (["2026", "commune:99999999", "sme_share", "5"], "scope"),
            (
                ["2026", "'; DROP TABLE plan_targets; --", "sme_share", "5"],
                "scope",
            ),
        ] {
            let answer = attempt("office", form).await;
            assert_eq!(answer.status, 422, "office {form:?}: {}", answer.body);
            assert_eq!(answer.refused_field().as_deref(), Some(field), "{form:?}");
            assert!(
                !answer.said().is_empty(),
                "a message in words: {}",
                answer.body
            );
        }
        assert_eq!(rows().await, 0, "nothing written");
        assert_eq!(
            audit_rows(&server.db).await,
            audit_before,
            "nothing audited"
        );
    })
    .await;
}
