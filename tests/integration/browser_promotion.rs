//! Issue 17 in Chromium on the release build over the demo data: the office,
//! on a 360 px phone, adds a showcase point, shows a certified product there
//! and downloads the programme report through the WASM (no page load); the
//! commune's officer reads the plan on an 820 px tablet, and the province's
//! and a product's public pages fit it.
use crate::support::browser::{
    assert_fits_width, assert_no_reload, click, demo, dom_click, eval, mark_page, screenshot,
    type_into, wait_for, wait_for_text, wait_until, PHONE, TABLET,
};

#[tokio::test]
async fn an_office_adds_a_point_shows_a_product_and_downloads_the_report_on_a_phone() {
    let Some(demo) = demo("sao-promotion").await else {
        return;
    };
    let (_p, phone) = demo.as_on("+84900000004", "/van-phong", PHONE).await;
    let demo_point = "#points li[data-point='demo-point-dak-plo']";
    wait_for(&phone, demo_point, "the demo's showcase point").await;
    mark_page(&phone).await;

    // A new point, in the office's commune list.
    dom_click(&phone, "#point-form summary").await;
    type_into(&phone, "#point-name", "Điểm OCOP chợ Đăk Plô").await;
    type_into(&phone, "#point-address", "Chợ trung tâm xã").await;
    click(&phone, "#point-submit", "add the point").await;
    wait_for_text(&phone, "#points", "Điểm OCOP chợ Đăk Plô").await;

    // A product of the demo's point shown at the new one, by its certificate code.
    let code = eval(
        &phone,
        &format!(
            "return document.querySelector(\"{demo_point} .shown-products small\").textContent"
        ),
    )
    .await;
    let code = code.as_str().expect("a product code").to_string();
    dom_click(&phone, "#show-form summary").await;
    let chosen = eval(
        &phone,
        "const s = document.querySelector('#show-target'); \
         const o = [...s.options].find(o => o.textContent.includes('chợ Đăk Plô')); \
         if (!o) return false; s.value = o.value; \
         s.dispatchEvent(new Event('change', { bubbles: true })); return true;",
    )
    .await;
    assert_eq!(chosen, serde_json::json!(true), "the new point is a choice");
    type_into(&phone, "#show-code", &code).await;
    click(&phone, "#show-submit", "show the product").await;
    wait_until(
        &phone,
        &format!(
            "[...document.querySelectorAll('#points > li')].some(li => \
             li.textContent.includes('chợ Đăk Plô') && li.querySelector(\"a[href='/san-pham/{code}']\"))"
        ),
        "the product listed at the new point",
    )
    .await;
    // A code that is no certificate: refused beside the field, in Vietnamese.
    type_into(&phone, "#show-code", "KHONG-CO-1").await;
    click(&phone, "#show-submit", "show an unknown code").await;
    wait_for_text(&phone, "#show-form", "Không có giấy chứng nhận với mã này").await;
    assert_no_reload(&phone, "the promotion forms").await;
    assert_fits_width(&phone, "/van-phong with trade promotion at 360 px").await;
    eval(
        &phone,
        "document.querySelector('#promotion').scrollIntoView(); return null",
    )
    .await;
    let mut shots = vec![screenshot(&phone, "promotion/1-office-360x740").await];

    // The report: the WASM fetches the file (Resource Timing says "fetch"), and
    // the page stays.
    dom_click(&phone, "#report-form summary").await;
    click(&phone, "#report-xlsx", "the report as XLSX").await;
    wait_until(
        &phone,
        "performance.getEntriesByType('resource').some(e => \
         e.name.includes('/bao-cao/bao-cao.xlsx') && e.initiatorType === 'fetch')",
        "the report fetched by the page",
    )
    .await;
    wait_until(
        &phone,
        "!document.querySelector('#report-xlsx').disabled",
        "the download done",
    )
    .await;
    assert_eq!(
        eval(
            &phone,
            "return document.querySelector('#report-error') === null"
        )
        .await,
        serde_json::json!(true),
        "no error"
    );
    assert_no_reload(&phone, "the report's download").await;
    eval(
        &phone,
        "document.querySelector('#report-form').scrollIntoView(); return null",
    )
    .await;
    shots.push(screenshot(&phone, "promotion/2-report-360x740").await);
    phone.close().await.expect("close");

    // The commune's officer on a tablet: the plan over their commune; then the
    // province's public page and a product's, at the same width.
    let (_t, tablet) = demo.as_on("+84900000003", "/xa", TABLET).await;
    wait_for(
        &tablet,
        "#plan-progress .plan-block",
        "the plan on the commune's desk",
    )
    .await;
    assert_fits_width(&tablet, "/xa with the plan at 820 px").await;
    eval(
        &tablet,
        "document.querySelector('#plan-progress').scrollIntoView(); return null",
    )
    .await;
    shots.push(screenshot(&tablet, "promotion/3-commune-plan-820x1180").await);
    tablet
        .goto(&format!("{}/san-pham/tinh/51", demo.base))
        .await
        .expect("the province's page");
    wait_for(&tablet, "#place-communes", "the province's communes").await;
    assert_fits_width(&tablet, "/san-pham/tinh/51 at 820 px").await;
    shots.push(screenshot(&tablet, "promotion/4-province-820x1180").await);
    tablet
        .goto(&format!("{}/san-pham/{code}", demo.base))
        .await
        .expect("the product's page");
    wait_for(&tablet, "#product-points", "where to buy it").await;
    assert_fits_width(&tablet, "a product's page at 820 px").await;
    shots.push(screenshot(&tablet, "promotion/5-product-820x1180").await);
    tablet.close().await.expect("close");
    for shot in shots {
        println!("screenshot {}", shot.display());
    }
}
