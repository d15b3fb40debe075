//! Dossiers: a producer with a subject and a product, a submitted dossier, a
//! commune officer who receives, assesses and forwards it; uploads of evidence.
use super::{Answer, Client, TestServer, TEST_PASSWORD};
use app::api::producer::DossierView;
use app::domain::dossier::DossierState;
use serde_json::json;

/// A valid subject form in commune 23344 (Quảng Ngãi).
pub fn subject() -> serde_json::Value {
    json!({
        "kind": "cooperative", "name": "HTX Sâm Ngọc Linh Đắk Glei", "registration_number": "6101234567",
        "registration_date": "2020-03-15", "tax_code": "6101234567", "commune_code": "23344",
        "address": "Thôn Đắk Ven", "representative": "Y Bơ", "representative_woman": true,
        "representative_ethnic_minority": true, "representative_disability": false,
        "workers_total": "15", "workers_local": "12", "value_chain_contracts": "3",
        "channels": ["Traditional", "Supermarket", "ECommerce"]
    })
}

/// A producer signed in, with a subject and a product in set 7.
pub async fn producer_with_product(server: &TestServer, phone: &str) -> (Client, String, String) {
    producer_with_product_through(server.client(), &server.db, phone).await
}

/// A producer whose new product's dossier is submitted (version 1):
/// (producer, product id).
pub async fn submitted_dossier(server: &TestServer, phone: &str) -> (Client, String) {
    let (producer, _, product) = producer_with_product(server, phone).await;
    let submitted = producer.call_on("producer/submit", &product).await;
    assert_eq!(submitted.body, "1", "the dossier's first version");
    (producer, product)
}

/// The same through any client (e.g. of a release binary the test started).
pub async fn producer_with_product_through(
    client: Client,
    db: &app::db::Db,
    phone: &str,
) -> (Client, String, String) {
    let signed_up = crate::sms::sign_up_proven(&client, db, phone, "Y Bơ", TEST_PASSWORD).await;
    assert_eq!(signed_up.status, 200, "{}", signed_up.body);
    let subject_id = call_json_ok(
        &client,
        "producer/save_subject",
        json!({ "id": null, "form": subject() }),
    )
    .await;
    let subject_id = subject_id.as_str().unwrap_or_default().to_string();
    let product_id = register_product(&client, &subject_id, "Sâm Ngọc Linh củ tươi", 7).await;
    (client, subject_id, product_id)
}

/// Registers a first-time product of `product_set` for the subject; its id.
pub async fn register_product(
    client: &Client,
    subject_id: &str,
    name: &str,
    product_set: u32,
) -> String {
    register_product_as(
        client,
        subject_id,
        (name, product_set),
        ("first_time", "", ""),
    )
    .await
}

/// Registers a product of `kind` (`first_time`, `upgrade`, `reevaluation`)
/// naming a previous certificate and what changed since; its id.
pub async fn register_product_as(
    client: &Client,
    subject_id: &str,
    (name, product_set): (&str, u32),
    (kind, previous_certificate, changes): (&str, &str, &str),
) -> String {
    let form = json!({ "form": { "subject_id": subject_id, "name": name,
        "product_set": product_set.to_string(), "kind": kind,
        "previous_certificate": previous_certificate, "changes": changes } });
    let product = call_json_ok(client, "producer/register_product", form).await;
    let product = product.as_str().unwrap_or_default().to_string();
    let report = json!({ "product_id": product, "form": complete_report() });
    let missing = call_json_ok(client, "producer/save_report", report).await;
    assert_eq!(missing, json!([]), "nothing missing");
    product
}

/// Calls a server function with JSON, asserting it answers 200; the answer's JSON.
async fn call_json_ok(
    client: &Client,
    endpoint: &str,
    body: serde_json::Value,
) -> serde_json::Value {
    let answer = client.call_json(endpoint, &body).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.json()
}

/// Mẫu 01/02's words as a producer types them, every line the forms ask for.
pub fn complete_report() -> serde_json::Value {
    json!({
        "representative_title": "Giám đốc", "phone": "0912345678", "email": "htx@example.vn",
        "representative_ethnicity": "Xơ Đăng", "representative_address": "Thôn Đắk Ven",
        "samples": "3", "product_description": "Củ sâm tươi 5 năm tuổi, hộp 100 g.\nTCCS 01:2024",
        "business_registration": true, "quality_declared": true,
        "food_safety_certificate": true, "production_certificate": false,
        "ip_titles": ["Trademark"], "ip_other": "",
        "history": "Thành lập năm 2020 từ tổ hợp tác trồng sâm.",
        "organisation": "Ban giám đốc, tổ sản xuất, tổ tiêu thụ.",
        "raw_materials": "Vùng trồng 12 ha dưới tán rừng.", "quality_changes": "",
        "markets": "Siêu thị trong tỉnh, sàn thương mại điện tử.",
        "revenue": "1.250.000.000", "profit": "180.000.000",
        "plan": "Mở rộng vùng trồng thêm 5 ha."
    })
}

/// The same report as the server stores it.
pub fn complete_report_parsed() -> app::domain::self_report::SelfReport {
    serde_json::from_value::<app::domain::self_report::SelfReportForm>(complete_report())
        .expect("a form")
        .parse()
        .expect("a complete report")
}

/// Sends a whole file in chunks from `from`; returns the last answer.
pub async fn upload(
    client: &Client,
    upload_id: &str,
    bytes: &[u8],
    chunk: usize,
    from: usize,
) -> Answer {
    let mut offset = from;
    let mut last = None;
    while offset < bytes.len() {
        let end = (offset + chunk).min(bytes.len());
        let answer = client
            .put_bytes(
                &format!("/tai-lieu/{upload_id}?offset={offset}"),
                bytes[offset..end].to_vec(),
            )
            .await;
        assert_eq!(answer.status, 200, "chunk at {offset}: {}", answer.body);
        offset = end;
        last = Some(answer);
    }
    last.expect("at least one chunk")
}

pub async fn start(client: &Client, product: &str, slot: &str, name: &str, size: usize) -> Answer {
    client
        .call(
            "producer/start_upload",
            &[
                ("product_id", product),
                ("slot", slot),
                ("file_name", name),
                ("size", &size.to_string()),
            ],
        )
        .await
}

/// Asks for a supplement to the dossier as the `desk` ("commune" or "office")
/// does: (note, deadline as a form sends it).
pub async fn ask_supplement(
    client: &Client,
    desk: &str,
    product: &str,
    (note, deadline): (&str, &str),
) -> Answer {
    let form = [
        ("product_id", product),
        ("note", note),
        ("deadline", deadline),
    ];
    let endpoint = format!("{desk}/request_supplement");
    client.call(&endpoint, &form).await
}

/// The dossier page's view of `product`, as `client` reads it.
pub async fn dossier_view(client: &Client, product: &str) -> DossierView {
    client.call_on("producer/dossier", product).await.parse()
}

/// The states of a dossier's timeline, oldest first.
pub fn timeline_states(view: &DossierView) -> Vec<DossierState> {
    view.timeline.iter().map(|event| event.state).collect()
}

/// Starts an upload the caller may make; its id.
pub async fn upload_ticket(
    client: &Client,
    product: &str,
    slot: &str,
    name: &str,
    size: usize,
) -> String {
    let ticket = start(client, product, slot, name, size).await;
    assert_eq!(ticket.status, 200, "{}", ticket.body);
    ticket.parse::<app::api::producer::UploadTicket>().id
}

/// A PDF-looking file of `size` bytes with varied content.
pub fn pdf_bytes(size: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    let mut x: u32 = 2_463_534_242;
    while bytes.len() < size {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        bytes.push((x & 0xFF) as u8);
    }
    bytes
}

/// Receives the dossier, saves a (complete or partial) assessment, asks to forward it.
pub async fn receive_assess_forward(officer: &Client, product: &str, complete: bool) -> Answer {
    let received = officer.call_on("commune/receive", product).await;
    assert_eq!(received.status, 200, "{}", received.body);
    let assessed = officer
        .call_json(
            "commune/assess",
            &json!({ "product_id": product, "assessment": assessment(complete) }),
        )
        .await;
    assert_eq!(assessed.status, 200, "{}", assessed.body);
    officer.call_on("commune/forward", product).await
}

pub fn assessment(complete: bool) -> serde_json::Value {
    use app::domain::commune_review::{checklist, CONTENTS};
    use app::domain::dossier::ProductKind;
    let items: Vec<&str> = checklist(ProductKind::FirstTime).to_vec();
    let items = if complete { items } else { items[..2].to_vec() };
    json!({
        "checklist": items,
        "contents": CONTENTS.iter().map(|(c, _)| json!({ "content": c, "agrees": true, "option": 0, "comment": "Đúng như kê khai" })).collect::<Vec<_>>(),
        "samples_received": 5
    })
}

/// A producer's re-evaluation dossier naming a paper certificate, received,
/// assessed complete and forwarded by its commune today: (producer, product).
pub async fn reevaluation_at_office(server: &TestServer) -> (Client, String) {
    use app::domain::commune_review::checklist;
    use app::domain::dossier::ProductKind;
    let (producer, subject, _) = producer_with_product(server, &super::fresh_phone()).await;
    let product = register_product_as(
        &producer,
        &subject,
        ("Mật ong rừng", 7),
        ("reevaluation", "GCN-2023-017", "Không thay đổi"),
    )
    .await;
    let submitted = producer.call_on("producer/submit", &product).await;
    assert_eq!(submitted.status, 200, "{}", submitted.body);
    let officer = super::people::officer_of(server, 23344).await;
    let received = officer.call_on("commune/receive", &product).await;
    assert_eq!(received.status, 200, "{}", received.body);
    let mut checked = assessment(true);
    checked["checklist"] = json!(checklist(ProductKind::Reevaluation));
    let form = json!({ "product_id": product, "assessment": checked });
    assert_eq!(officer.call_json("commune/assess", &form).await.status, 200);
    let forwarded = officer.call_on("commune/forward", &product).await;
    assert_eq!(forwarded.status, 200, "{}", forwarded.body);
    (producer, product)
}
