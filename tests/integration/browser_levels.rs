//! Issue 16 in the browser, from the demo data: the province's office opens a
//! district round of the seed's three tiers on a tablet (820 × 1180), choosing
//! the council level and the process on the round form; the ministry's office,
//! on a 360 × 740 phone, finds only the central level and opens a central round.
use crate::support::browser::{
    assert_fits_width, choose, demo, demo_in_browser, demo_page_as, dom_click, eval, screenshot,
    type_into, wait_for, wait_for_text, PHONE, TABLET,
};

use serde_json::json;

const LEVELS: &str =
    "return [...document.querySelectorAll('#round-level option')].map(o => o.value)";

#[tokio::test]
async fn the_office_opens_a_district_round_and_the_ministry_a_central_one() {
    let Some(demo) = demo("sao-levels").await else {
        return;
    };

    // The province's office, on a tablet: province or the demo's district.
    let (_p, office) = demo.as_on("+84900000004", "/van-phong", TABLET).await;
    wait_for(&office, "#round-level", "the level choice").await;
    assert_eq!(
        eval(&office, LEVELS).await,
        json!(["province", "district:demo-dak-glei"])
    );
    dom_click(&office, "#new-round summary").await;
    choose(&office, "#round-level", "district:demo-dak-glei").await;
    choose(&office, "#round-profile", "qd-148-2023").await;
    dom_click(&office, "#create-round").await;
    wait_for(
        &office,
        "#office-rounds li[data-level='district']",
        "the district round",
    )
    .await;
    assert_fits_width(&office, "the office's page with a district round").await;
    screenshot(&office, "levels/1-office-district-820x1180").await;
    office.close().await.expect("close");

    // The ministry's office, on a phone: the central level only.
    let (_ministry_profile, ministry) = demo.as_on("+84900000012", "/van-phong", PHONE).await;
    wait_for(&ministry, "#round-level", "the level choice").await;
    assert_eq!(eval(&ministry, LEVELS).await, json!(["central"]));
    wait_for_text(&ministry, "h1", "trung ương").await;
    // Its certificates are the 5★ ones (Điều 8.2b), not a province's.
    let link = "return document.querySelector('#certificates-link').textContent";
    assert!(eval(&ministry, link)
        .await
        .as_str()
        .unwrap_or_default()
        .contains('5'));
    dom_click(&ministry, "#new-round summary").await;
    dom_click(&ministry, "#create-round").await;
    wait_for(
        &ministry,
        "#office-rounds li[data-level='central']",
        "the central round",
    )
    .await;
    assert_fits_width(&ministry, "the ministry's page").await;
    screenshot(&ministry, "levels/2-ministry-central-360x740").await;
    ministry.close().await.expect("close");
}

/// Issue 16 (Điều 7.6 d) in the browser: the office, on a 360 × 740 phone,
/// opens a re-evaluation round by written opinion; on its console it asks for
/// a meeting, is told beside the field that a reason is needed, then gives one.
#[tokio::test]
async fn a_written_opinion_round_becomes_a_meeting_with_the_chairs_reason_on_a_phone() {
    let Some((run, phone)) = demo_in_browser("sitting", 360, 740).await else {
        return;
    };
    demo_page_as(&phone, &run.base, "+84900000004", "/van-phong").await;
    wait_for(&phone, "#round-sitting", "the sitting choice").await;
    dom_click(&phone, "#new-round summary").await;
    choose(&phone, "#round-sitting", "written").await;
    dom_click(&phone, "#create-round").await;
    let written = "#office-rounds li[data-sitting='written']";
    wait_for(&phone, written, "the written-opinion round").await;
    assert_fits_width(&phone, "the office's page with a written round").await;
    screenshot(&phone, "sitting/1-office-written-360x740").await;
    dom_click(&phone, &format!("{written} a.round-link")).await;
    wait_for(&phone, "#round-console", "the round's console link").await;
    dom_click(&phone, "#round-console").await;
    wait_for(&phone, "#sitting[data-sitting='written']", "the sitting").await;
    if eval(
        &phone,
        "return document.querySelector('details.ask-meeting').open",
    )
    .await
        != json!(true)
    {
        dom_click(&phone, "details.ask-meeting summary").await;
    }
    type_into(&phone, "#meeting-reason", "   ").await;
    dom_click(&phone, "#ask-meeting").await;
    wait_for_text(&phone, "#meeting-reason-error", "lý do").await;
    assert_fits_width(&phone, "the console with the refused request").await;
    screenshot(&phone, "sitting/2-reason-needed-360x740").await;
    type_into(&phone, "#meeting-reason", "Nội dung phức tạp cần thảo luận").await;
    dom_click(&phone, "#ask-meeting").await;
    wait_for(&phone, "#sitting[data-sitting='meeting']", "the meeting").await;
    wait_for_text(&phone, "#sitting", "Nội dung phức tạp cần thảo luận").await;
    assert_fits_width(&phone, "the console after the request").await;
    screenshot(&phone, "sitting/3-meeting-360x740").await;
}
