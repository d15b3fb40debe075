//! Each role's day from the demo data, in Chromium on the release build (issue 14):
//! it starts at `/`, signs in, and reaches the day's goal by clicking links and
//! buttons only. Every step saves a screenshot under `target/browser/<role>/`.
use crate::browser::set_7_criteria;
use crate::support::browser::{
    assert_fits_width, assert_no_reload, assign_to_round, choose, click, demo, dom_click, eval,
    mark_page, open_browser, screenshot, submit_log_in, type_into, wait_for, wait_for_sheet,
    wait_for_text, wait_until, Demo,
};
use crate::support::TempDir;
use app::db::demo::DEMO_PASSWORD;
use app::db::demo_office::{DEMO_NEXT_ROUND, DEMO_WAITING_PRODUCT};
use fantoccini::Client;
use serde_json::json;

impl Demo {
    /// Chromium at `width`×`height` with a profile of its own ("chromium-role-{role}").
    async fn browser(&self, role: &str, width: u32, height: u32) -> (TempDir, Client) {
        let profile = TempDir::new(&format!("chromium-role-{role}"));
        let client = open_browser(&self.driver_url, width, height, &profile.0).await;
        (profile, client)
    }
}

/// From `/`: the header's log-in link, the form, and the desk.
async fn sign_in_from_home(client: &Client, base: &str, phone: &str) {
    client.goto(&format!("{base}/")).await.expect("open /");
    wait_for(client, "body[data-hydrated='true']", "hydrated").await;
    click(client, "#account-link", "the header's log-in link").await;
    wait_for(client, "#field-phone", "the log-in form").await;
    submit_log_in(client, phone, DEMO_PASSWORD).await;
}

#[tokio::test]
async fn the_office_runs_a_round_by_clicking_from_home_at_1280() {
    let Some(demo) = demo("sao-role-office").await else {
        return;
    };
    let (base, role) = (&demo.base, "office");
    let (_p, desk) = demo.browser("office", 1280, 800).await;

    // The desk, then the office's page with the commune's proposal waiting.
    sign_in_from_home(&desk, base, "+84900000004").await;
    screenshot(&desk, &format!("{role}/1-desk")).await;
    mark_page(&desk).await;
    click(&desk, "#desk a[href='/van-phong']", "the office's card").await;
    wait_for_text(&desk, "#office-queue", DEMO_WAITING_PRODUCT).await;
    let product = eval(
        &desk,
        &format!("return [...document.querySelectorAll('#office-queue li')].find(li => li.textContent.includes({DEMO_WAITING_PRODUCT:?})).dataset.product"),
    )
    .await;
    let product = product.as_str().expect("the waiting dossier").to_string();
    screenshot(&desk, &format!("{role}/2-intake")).await;

    // A round with the seed plan's own dates: a wrong pair is refused beside the field.
    dom_click(&desk, "#new-round summary").await;
    type_into(&desk, "#field-name", "Đợt tháng 5 (kế hoạch tỉnh)").await;
    choose(&desk, "#field-proposal_cutoff", "2030-05-15").await;
    choose(&desk, "#field-closes_on", "2030-05-10").await;
    dom_click(&desk, "#create-round").await;
    wait_for_text(&desk, "#field-closes_on-error", "sau hạn đề xuất").await;
    choose(&desk, "#field-closes_on", "2030-06-30").await;
    dom_click(&desk, "#create-round").await;
    wait_for_text(&desk, "#office-rounds", "Đợt tháng 5 (kế hoạch tỉnh)").await;
    screenshot(&desk, &format!("{role}/3-rounds")).await;

    // The dossier into the demo's round that takes proposals.
    assign_to_round(&desk, &product, DEMO_NEXT_ROUND).await;

    // The round's page: only the valid next step is offered.
    click(
        &desk,
        &format!("#office-rounds li[data-round='{DEMO_NEXT_ROUND}'] a.round-link"),
        "the round's link",
    )
    .await;
    wait_for(
        &desk,
        "#round-name[data-state='Accepting']",
        "the round's page",
    )
    .await;
    let offered = eval(
        &desk,
        "return [...document.querySelectorAll('#round-next button[data-event]')].map(b => b.dataset.event)",
    )
    .await;
    assert_eq!(offered, json!(["StartScoring"]), "only the valid next step");

    // A new person invited by phone straight into a seat; a second seat by name only.
    type_into(&desk, "#field-name", "Lê Văn An").await;
    type_into(&desk, "#field-department", "Sở Công Thương").await;
    choose(&desk, "#field-position", "member").await;
    type_into(&desk, "#field-phone", "0912000888").await;
    click(&desk, "#seat-submit", "seat the member").await;
    wait_for(&desk, "#seat-invited", "the invitation link").await;
    wait_for_text(&desk, "#council-members", "Lê Văn An").await;
    screenshot(&desk, &format!("{role}/4-seat-invited")).await;
    type_into(&desk, "#field-name", "Trần Thị Bình").await;
    type_into(&desk, "#field-department", "Sở Khoa học và Công nghệ").await;
    type_into(&desk, "#field-phone", "").await;
    click(&desk, "#seat-submit", "seat a second member").await;
    wait_for_text(&desk, "#council-members", "Trần Thị Bình").await;

    // A conflict declared for the first member, with its reason.
    let first = "#council-members li:first-child";
    dom_click(&desk, &format!("{first} .declare-conflict summary")).await;
    choose(
        &desk,
        &format!("{first} select[name='product_id']"),
        &product,
    )
    .await;
    type_into(
        &desk,
        &format!("{first} textarea[name='reason']"),
        "Anh ruột của chủ thể",
    )
    .await;
    dom_click(
        &desk,
        &format!("{first} .declare-conflict button[type='submit']"),
    )
    .await;
    wait_for_text(
        &desk,
        "#council-members li:first-child .conflicts",
        DEMO_WAITING_PRODUCT,
    )
    .await;
    screenshot(&desk, &format!("{role}/5-conflict")).await;

    // The quorum, then the split: only the second member scores the product.
    dom_click(&desk, "#round-settings summary").await;
    type_into(&desk, "#field-numerator", "2").await;
    type_into(&desk, "#field-denominator", "3").await;
    click(&desk, "#save-settings", "save the settings").await;
    wait_for_text(&desk, "#settings-now", "2/3").await;
    let split = format!("#round-product-list li[data-product='{product}']");
    dom_click(&desk, &format!("{split} .choice:nth-of-type(2) input")).await;
    dom_click(&desk, &format!("{split} .save-split")).await;
    wait_for_text(&desk, &split, "một phần Hội đồng").await;
    screenshot(&desk, &format!("{role}/6-settings-split")).await;

    // Scoring opens; the settings are then closed and no earlier step is offered.
    click(
        &desk,
        "#round-next button[data-event='StartScoring']",
        "start scoring",
    )
    .await;
    wait_for(
        &desk,
        "#round-name[data-state='Scoring']",
        "the round in scoring",
    )
    .await;
    wait_until(
        &desk,
        "[...document.querySelectorAll('#round-next button[data-event]')].map(b => b.dataset.event).join() === 'StartDeliberation'",
        "only deliberation is offered next",
    )
    .await;
    assert_eq!(
        eval(&desk, "return !!document.querySelector('#settings-form')").await,
        json!(false),
        "settings cannot change once scoring started"
    );
    assert_no_reload(&desk, "the office's round").await;
    assert_fits_width(&desk, "the round page at 1280 px").await;
    screenshot(&desk, &format!("{role}/7-scoring")).await;
    desk.close().await.expect("close");
}

#[tokio::test]
async fn a_member_scores_and_declares_a_conflict_from_home_on_a_tablet() {
    let Some(demo) = demo("sao-role-member").await else {
        return;
    };
    let (base, role) = (&demo.base, "member");
    let (_p, tablet) = demo.browser("member", 820, 1180).await;

    sign_in_from_home(&tablet, base, "+84900000008").await;
    screenshot(&tablet, &format!("{role}/1-desk")).await;
    click(&tablet, "#desk a[href='/cham-diem']", "the council's card").await;
    wait_for(&tablet, "#my-products li:nth-child(3)", "three products").await;
    screenshot(&tablet, &format!("{role}/2-list")).await;

    // A conflict on the first product: it leaves the member's list.
    let conflicted = eval(
        &tablet,
        "return document.querySelector('#my-products li:nth-child(1)').dataset.product",
    )
    .await;
    let conflicted = conflicted.as_str().expect("a product").to_string();
    click(
        &tablet,
        "#my-products li:nth-child(1) a",
        "the first product",
    )
    .await;
    wait_for_sheet(&tablet, "the sheet").await;
    dom_click(&tablet, "#own-conflict summary").await;
    type_into(
        &tablet,
        "#own-conflict-reason",
        "Tôi là cổ đông của hợp tác xã",
    )
    .await;
    click(&tablet, "#own-conflict-submit", "declare the conflict").await;
    wait_for(&tablet, "#own-conflict-done", "the conflict recorded").await;
    screenshot(&tablet, &format!("{role}/3-conflict")).await;
    click(&tablet, "#own-conflict-done a", "back to the list").await;
    wait_until(
        &tablet,
        &format!("document.querySelectorAll('#my-products li').length === 2 && !document.querySelector(\"#my-products li[data-product='{conflicted}']\")"),
        "the conflicted product leaves the list",
    )
    .await;

    // Score the next product in full and hand it in.
    click(
        &tablet,
        "#my-products li:nth-child(1) a",
        "the next product",
    )
    .await;
    wait_for_sheet(&tablet, "the sheet").await;
    for code in set_7_criteria() {
        dom_click(&tablet, &format!("input[name='c-{code}'][value='0']")).await;
    }
    dom_click(&tablet, "#submit-sheet").await;
    screenshot(&tablet, &format!("{role}/4-handed-in")).await;
    crate::support::browser::wait_for_within(
        &tablet,
        "#waiting[data-waiting='0']",
        "every change sent",
        90,
    )
    .await;
    screenshot(&tablet, &format!("{role}/5-sent")).await;
    click(&tablet, "#back-to-list", "the list").await;
    wait_for(
        &tablet,
        "#my-products .progress[data-state='submitted']",
        "the sheet handed in",
    )
    .await;
    assert_fits_width(&tablet, "the member's list at 820 px").await;
    screenshot(&tablet, &format!("{role}/6-list-after")).await;
    tablet.close().await.expect("close");
}

#[tokio::test]
async fn the_chair_asks_for_a_rescore_and_the_admin_grants_a_council_role_from_home() {
    let Some(demo) = demo("sao-role-chair").await else {
        return;
    };
    let base = &demo.base;

    // Chair, 820×1180: desk → console → a re-score asked of the member whose sheet began.
    let (_p, tablet) = demo.browser("chair", 820, 1180).await;
    sign_in_from_home(&tablet, base, "+84900000006").await;
    screenshot(&tablet, "chair/1-desk").await;
    click(
        &tablet,
        &format!(
            "#desk a[href='/hoi-dong/{}']",
            app::db::demo_council::DEMO_ROUND
        ),
        "the chair's card",
    )
    .await;
    wait_for(&tablet, "#console li", "the console").await;
    screenshot(&tablet, "chair/2-console").await;
    dom_click(&tablet, "#console li details.rescore summary").await;
    type_into(
        &tablet,
        "#console li details.rescore textarea",
        "Xem lại tiêu chí 1",
    )
    .await;
    dom_click(&tablet, "#console li details.rescore button[type='submit']").await;
    // The chair's own sheet (the first handed in) is asked again: its cell says so.
    wait_for(
        &tablet,
        "#console td[data-state='rescore']",
        "the sheet asked again",
    )
    .await;
    assert_fits_width(&tablet, "the console at 820 px").await;
    screenshot(&tablet, "chair/3-rescore").await;
    tablet.close().await.expect("close");

    // Admin, 1280×800: desk → administration → users → a council role in the province.
    let (_p, desk) = demo.browser("admin", 1280, 800).await;
    sign_in_from_home(&desk, base, "+84900000002").await;
    screenshot(&desk, "admin/1-desk").await;
    click(&desk, "#desk a[href='/admin']", "the admin's card").await;
    wait_for(&desk, "a[href='/admin/nguoi-dung']", "the admin's page").await;
    click(&desk, "a[href='/admin/nguoi-dung']", "the users' page").await;
    wait_for(&desk, "#council-grant-form", "the council role form").await;
    let officer = eval(
        &desk,
        "return [...document.querySelectorAll('#council-user option')].find(o => o.textContent.includes('+84900000003')).value",
    )
    .await;
    choose(
        &desk,
        "#council-user",
        officer.as_str().expect("the commune officer"),
    )
    .await;
    choose(&desk, "#council-role", "council_member").await;
    choose(&desk, "#council-round", app::db::demo_council::DEMO_ROUND).await;
    dom_click(&desk, "#council-grant-submit").await;
    // The officer's new grant reads with the round's name, not its id.
    wait_until(
        &desk,
        "[...document.querySelectorAll('#user-list > li')].some(li => li.textContent.includes('+84900000003') && li.textContent.includes('Đợt 2 năm 2026 (demo)'))",
        "the officer's council role listed by the round's name",
    )
    .await;
    screenshot(&desk, "admin/2-council-role").await;
    desk.close().await.expect("close");
}
