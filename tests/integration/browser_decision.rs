//! Issue 16 in the browser, from the demo data: the office records and publishes
//! the decision of last year's sealed round on a desktop; the producer, on a
//! 360 × 740 phone, sees the star on the dossier and downloads the certificate.
use crate::support::browser::{
    assert_fits_width, choose, demo, dom_click, eval, screenshot, set_offline, type_into, wait_for,
    wait_for_text, wait_for_within, DESKTOP, PHONE, TABLET,
};

use app::db::demo_history::DEMO_PAST_ROUND;
use app::domain::date::CalendarDate;
use serde_json::json;

#[tokio::test]
async fn the_office_records_a_decision_and_the_producer_sees_the_star_on_a_phone() {
    let Some(demo) = demo("sao-decision").await else {
        return;
    };
    let driver_url = demo.driver_url.clone();

    // The office, on a desktop: the sealed round's decision, drafted from its results.
    let (_p, office) = demo
        .as_on(
            "+84900000004",
            &format!("/van-phong/dot/{DEMO_PAST_ROUND}"),
            DESKTOP,
        )
        .await;
    wait_for(&office, "#decision-form", "the decision form").await;
    let lines = eval(
        &office,
        "return [...document.querySelectorAll('.decision-lines tbody tr')].map(r => r.dataset.outcome)",
    )
    .await;
    assert_eq!(
        lines,
        json!(["recognised", "recognised"]),
        "the demo's 4★ and 3★"
    );
    screenshot(&office, "decision/1-draft-1280x800").await;

    // A date before the seal is refused beside its field; then the real one.
    type_into(&office, "#field-number", "215/QĐ-UBND").await;
    type_into(&office, "#field-signer", "Nguyễn Văn A, Chủ tịch UBND tỉnh").await;
    choose(&office, "#field-signed_on", "2020-01-02").await;
    dom_click(&office, "#record-decision").await;
    wait_for_text(&office, "#field-signed_on-error", "niêm phong").await;
    let today = CalendarDate::of_ms_vietnam(app::db::now_ms()).iso();
    choose(&office, "#field-signed_on", &today).await;
    dom_click(&office, "#record-decision").await;
    wait_for(&office, "#decision-recorded", "the recorded decision").await;
    wait_for(&office, "a.certificate-code", "the certificates' codes").await;
    dom_click(&office, "#publish-decision").await;
    wait_for(&office, "#decision-published", "published").await;
    assert_fits_width(&office, "the round with its decision").await;
    screenshot(&office, "decision/2-recorded-1280x800").await;
    office.close().await.expect("close");

    // The producer, on a phone: the dossier shows the star and the certificate.
    let (_producer_profile, phone) = demo.as_on("+84900000005", "/producer", PHONE).await;
    let href = eval(
        &phone,
        "return [...document.querySelectorAll('#product-list a')].find(a => a.textContent.includes('Sâm Ngọc Linh khô')).getAttribute('href')",
    )
    .await;
    let href = href.as_str().expect("the demo's 4★ product").to_string();
    dom_click(&phone, &format!("#product-list a[href='{href}']")).await;
    wait_for(&phone, "#product-result[data-stars='4']", "the 4★ result").await;
    assert_fits_width(&phone, "the dossier with its result").await;
    let shot = screenshot(&phone, "decision/3-producer-360x740").await;
    let download = eval(
        &phone,
        "const a = document.querySelector('#certificate-pdf'); \
         return fetch(a.href).then(r => r.arrayBuffer().then(b => [r.status, r.headers.get('content-type'), b.byteLength]));",
    )
    .await;
    assert_eq!(download[0], json!(200), "{download}");
    assert_eq!(download[1], json!("application/pdf"), "{download}");
    assert!(download[2].as_u64().unwrap_or(0) > 10_000, "{download}");
    // The public check the certificate's QR code opens, on the same phone.
    dom_click(&phone, "#product-result a[href^='/xac-minh/']").await;
    wait_for(
        &phone,
        ".verify-status[data-status='valid']",
        "the certificate is valid",
    )
    .await;
    assert_fits_width(&phone, "the verification page").await;
    let verified = screenshot(&phone, "decision/4-verify-360x740").await;
    println!(
        "producer sees 4★ and downloads the certificate ({download}); {} {}",
        shot.display(),
        verified.display()
    );

    // The office, on a tablet: the certificate is inspected, then revoked.
    let (_p, tablet) = demo.as_on("+84900000004", "/van-phong", TABLET).await;
    wait_for(&tablet, "#certificates-link", "the certificates' link").await;
    dom_click(&tablet, "#certificates-link").await;
    wait_for(
        &tablet,
        "#certificate-list li",
        "the province's certificates",
    )
    .await;
    assert_fits_width(&tablet, "the certificates").await;
    // Before a day in the field: every certificate's page and file kept on the tablet.
    let listed = eval(
        &tablet,
        "return document.querySelectorAll('#certificate-list li').length",
    )
    .await;
    dom_click(&tablet, "#keep-offline").await;
    wait_for(
        &tablet,
        &format!("#kept-offline[data-kept='{listed}']"),
        "every certificate kept on the tablet",
    )
    .await;
    screenshot(&tablet, "decision/5-certificates-820x1180").await;
    let code = eval(
        &tablet,
        "return [...document.querySelectorAll('#certificate-list li')].find(li => li.textContent.includes('Sâm Ngọc Linh khô')).querySelector('code').textContent",
    )
    .await;
    let code = code.as_str().expect("the 4★ certificate").to_string();
    dom_click(
        &tablet,
        &format!("#certificate-list a[href='/van-phong/giay-chung-nhan/{code}']"),
    )
    .await;
    wait_for(&tablet, "#inspection-form", "the inspection form").await;
    // A warning without a finding is refused beside the findings; then with one.
    choose(&tablet, "#field-inspected_on", &today).await;
    choose(
        &tablet,
        "#inspection-form select[name='outcome']",
        "warning",
    )
    .await;
    dom_click(&tablet, "#record-inspection").await;
    wait_for_text(&tablet, "#field-findings-error", "phát hiện").await;
    let criterion = eval(
        &tablet,
        "return document.querySelector('#field-criterion option:nth-child(2)').value",
    )
    .await;
    let criterion = criterion.as_str().expect("a criterion").to_string();
    choose(&tablet, "#field-criterion", &criterion).await;
    type_into(&tablet, "#field-note", "Nhãn thiếu hạn sử dụng").await;
    dom_click(&tablet, "#record-inspection").await;
    wait_for(
        &tablet,
        "#inspection-list li[data-outcome='warning']",
        "the inspection",
    )
    .await;
    assert_fits_width(&tablet, "the certificate with its inspection").await;
    screenshot(&tablet, "decision/6-inspected-820x1180").await;

    // In the field without a network: the page reloads from the tablet, the
    // inspection is kept there, and reaches the server when the network returns.
    set_offline(&tablet, &driver_url, true).await;
    tablet.refresh().await.expect("reload offline");
    wait_for(&tablet, "body[data-hydrated='true']", "hydrated offline").await;
    wait_for(&tablet, "#inspection-form", "the inspection form offline").await;
    choose(&tablet, "#field-inspected_on", &today).await;
    choose(
        &tablet,
        "#inspection-form select[name='mark_use']",
        "not_used",
    )
    .await;
    dom_click(&tablet, "#record-inspection").await;
    wait_for(
        &tablet,
        "#inspections-waiting[data-waiting='1']",
        "the inspection waiting on the tablet",
    )
    .await;
    screenshot(&tablet, "decision/6b-inspection-waiting-offline-820x1180").await;
    set_offline(&tablet, &driver_url, false).await;
    wait_for_within(
        &tablet,
        "#inspections-waiting[data-waiting='0']",
        "the waiting inspection sent",
        30,
    )
    .await;
    wait_for(
        &tablet,
        "#inspection-list li.inspection:nth-child(2)",
        "both inspections on the server's list",
    )
    .await;
    choose(&tablet, "#revocation-form select[name='ground']", "d").await;
    type_into(
        &tablet,
        "#revocation-form #field-detail",
        "Dùng nhãn OCOP 5 sao trên bao bì",
    )
    .await;
    choose(&tablet, "#revocation-form #field-found_on", &today).await;
    type_into(&tablet, "#revocation-form #field-number", "230/QĐ-UBND").await;
    choose(&tablet, "#revocation-form #field-signed_on", &today).await;
    type_into(
        &tablet,
        "#revocation-form #field-signer",
        "Nguyễn Văn A, Chủ tịch UBND tỉnh",
    )
    .await;
    dom_click(&tablet, "#record-revocation").await;
    wait_for(
        &tablet,
        "#revocation-recorded[data-ground='d']",
        "the revocation",
    )
    .await;
    wait_for(
        &tablet,
        "#certificate-facts[data-status='revoked']",
        "revoked",
    )
    .await;
    assert_fits_width(&tablet, "the revoked certificate").await;
    let revoked_shot = screenshot(&tablet, "decision/7-revoked-820x1180").await;
    tablet.close().await.expect("close");

    // The phone's verification page now says revoked.
    phone.refresh().await.expect("reload");
    wait_for(
        &phone,
        ".verify-status[data-status='revoked']",
        "the certificate is revoked",
    )
    .await;
    let revoked_phone = screenshot(&phone, "decision/8-verify-revoked-360x740").await;
    // And the producer's dossier says by which decision, with the inspection.
    phone.back().await.expect("back to the dossier");
    wait_for(&phone, "#result-revoked", "the revocation on the dossier").await;
    wait_for(
        &phone,
        "#result-inspections li[data-outcome='warning']",
        "the inspection",
    )
    .await;
    assert_fits_width(&phone, "the dossier with its revocation").await;
    screenshot(&phone, "decision/9-producer-revoked-360x740").await;
    println!(
        "office inspects and revokes {code} on a tablet; the phone's page says revoked: {} {}",
        revoked_shot.display(),
        revoked_phone.display()
    );
    phone.close().await.expect("close");
}
