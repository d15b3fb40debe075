//! Issue 16: a certified product is inspected and revoked over HTTP, and its
//! verification page, its producer's card and the revocation PDF say so. The
//! guards refuse another province's office, the producer, a stranger, a date
//! before the issue or ahead of today, a warning without a finding, a 5★
//! certificate (the ministry's), a second revocation; the database refuses to
//! change a recorded inspection, a revocation or a certificate.
use crate::support::certified::certified_product;
use crate::support::people::{office_grant, official};
use crate::support::{for_each_engine, pdf_text, said, Client};
use app::domain::date::CalendarDate;

fn day(offset: i64) -> String {
    let today = CalendarDate::of_ms_vietnam(app::db::now_ms());
    CalendarDate::from_days_since_epoch(today.days_since_epoch() + offset).iso()
}

#[tokio::test]
async fn a_certified_product_is_inspected_revoked_and_its_page_says_revoked() {
    for_each_engine(|server| async move {
        // Arrange: a published 4★ certificate of province 51; a 5★ one imported.
        let (round, code) = certified_product(&server, "20/QĐ-UBND").await;
        let office = &round.office;
        let producer = &round.producers[0];
        let five = "code,product_name,subject_name,stars,issued_on,valid_until\n\
                    51-23344-900-2025,Yến sào Lý Sơn,HTX Lý Sơn,5,2025-01-10,\n";
        let imported = app::service::certificates::import(&server.db, 51, five).await;
        assert!(matches!(imported, Ok(1)), "{imported:?}");
        let elsewhere = official(&server, office_grant(1)).await;
        let stranger = Client::new(&server.base);
        let file = office.call("office/certificate", &[("code", &code)]).await;
        assert_eq!(file.status, 200, "{}", file.body);
        let criterion = file.json()["criteria"][0]
            .as_str()
            .expect("the scorecard's criteria")
            .to_string();
        let today = day(0);
        let inspect = |client: &Client, on: String, outcome: &str, findings: String| {
            let (client, code, outcome) = (client.clone(), code.clone(), outcome.to_string());
            async move {
                client
                    .call(
                        "office/inspect",
                        &[
                            ("code", code.as_str()),
                            ("kind", "periodic"),
                            ("inspected_on", on.as_str()),
                            ("mark_use", "proper"),
                            ("findings", findings.as_str()),
                            ("outcome", outcome.as_str()),
                        ],
                    )
                    .await
            }
        };
        let finding =
            serde_json::json!([{ "criterion": criterion, "note": "Nhãn thiếu hạn sử dụng" }])
                .to_string();

        // Act + Assert: inspections refused, then two recorded.
        for (who, client, statuses) in [
            ("signed out", &stranger, &[401, 403][..]),
            ("producer", producer, &[403][..]),
            ("other province", &elsewhere, &[403][..]),
        ] {
            let refused = inspect(client, today.clone(), "kept", "[]".into()).await;
            assert!(
                statuses.contains(&refused.status),
                "{who}: {}",
                refused.body
            );
            let file = client.call("office/certificate", &[("code", &code)]).await;
            assert!(statuses.contains(&file.status), "{who}: {}", file.body);
        }
        let before_issue = inspect(office, day(-1), "kept", "[]".into()).await;
        assert_eq!(before_issue.status, 422, "{}", before_issue.body);
        let ahead = inspect(office, day(1), "kept", "[]".into()).await;
        assert_eq!(ahead.status, 422, "{}", ahead.body);
        let bare_warning = inspect(office, today.clone(), "warning", "[]".into()).await;
        assert_eq!(bare_warning.status, 422, "{}", bare_warning.body);
        let unknown = serde_json::json!([{ "criterion": "99.9", "note": "x" }]).to_string();
        let unknown = inspect(office, today.clone(), "warning", unknown).await;
        assert_eq!(unknown.status, 422, "{}", unknown.body);
        let kept = inspect(office, today.clone(), "kept", "[]".into()).await;
        assert_eq!(kept.status, 200, "{}", kept.body);
        let proposal = inspect(office, today.clone(), "propose_revocation", finding).await;
        assert_eq!(proposal.status, 200, "{}", proposal.body);
        let file = office
            .call("office/certificate", &[("code", &code)])
            .await
            .json();
        assert_eq!(
            file["inspections"].as_array().map(Vec::len),
            Some(2),
            "{file}"
        );
        assert_eq!(file["inspections"][1]["outcome"], "propose_revocation");
        assert_eq!(
            file["inspections"][1]["findings"][0]["criterion"],
            criterion.as_str()
        );

        // Revocation: refused as an attacker would send it, then recorded once.
        let revoke = |client: &Client, code: &str, found: String, signed: String, number: &str| {
            let (client, code, number) = (client.clone(), code.to_string(), number.to_string());
            async move {
                client
                    .call(
                        "office/revoke",
                        &[
                            ("code", code.as_str()),
                            ("ground", "b"),
                            (
                                "detail",
                                "Không còn đáp ứng tiêu chí theo kết luận kiểm tra",
                            ),
                            ("found_on", found.as_str()),
                            ("number", number.as_str()),
                            ("signed_on", signed.as_str()),
                            ("signer", "Nguyễn Văn Chủ tịch"),
                        ],
                    )
                    .await
            }
        };
        for (who, client, statuses) in [
            ("signed out", &stranger, &[401, 403][..]),
            ("producer", producer, &[403][..]),
            ("other province", &elsewhere, &[403][..]),
        ] {
            let refused = revoke(client, &code, today.clone(), today.clone(), "30/QĐ-UBND").await;
            assert!(
                statuses.contains(&refused.status),
                "{who}: {}",
                refused.body
            );
        }
        let five_star = revoke(
            office,
            "51-23344-900-2025",
            day(-3),
            today.clone(),
            "30/QĐ-UBND",
        )
        .await;
        assert_eq!(five_star.status, 422, "{}", five_star.body);
        assert!(
            said(&five_star.body).contains("Bộ trưởng"),
            "{}",
            five_star.body
        );
        let found_before_issue = revoke(office, &code, day(-1), today.clone(), "30/QĐ-UBND").await;
        assert_eq!(
            found_before_issue.status, 422,
            "{}",
            found_before_issue.body
        );
        let signed_ahead = revoke(office, &code, today.clone(), day(1), "30/QĐ-UBND").await;
        assert_eq!(signed_ahead.status, 422, "{}", signed_ahead.body);
        let taken = revoke(office, &code, today.clone(), today.clone(), "20/QĐ-UBND").await;
        assert_eq!(
            taken.status, 200,
            "a revocation's number is not a recognition's: {}",
            taken.body
        );
        let again = revoke(office, &code, today.clone(), today.clone(), "31/QĐ-UBND").await;
        assert_eq!(again.status, 422, "{}", again.body);
        let late_inspection = inspect(office, today.clone(), "kept", "[]".into()).await;
        assert_eq!(late_inspection.status, 422, "{}", late_inspection.body);

        // The public page, the producer's card, the PDF and the SMS say revoked.
        let page = server.page(&format!("/xac-minh/{code}")).await;
        assert!(page.contains("data-status=\"revoked\""), "{page}");
        let result = producer
            .call_on("producer/result", &round.products[0])
            .await
            .json();
        assert_eq!(result["certificate"]["status"], "revoked", "{result}");
        assert_eq!(result["revocation"]["number"], "20/QĐ-UBND", "{result}");
        assert_eq!(result["revocation"]["ground"], "b", "{result}");
        // Its dates as people read them, like the line's due day.
        let read = format!("{}/{}/{}", &today[8..10], &today[5..7], &today[..4]);
        for date in ["found_on", "signed_on"] {
            assert_eq!(result["revocation"][date], read.as_str(), "{result}");
        }
        assert_eq!(
            result["inspections"].as_array().map(Vec::len),
            Some(2),
            "{result}"
        );
        let (status, _, pdf) = producer
            .get_bytes(&format!("/quyet-dinh-thu-hoi/{code}.pdf"))
            .await;
        assert_eq!(status, 200);
        let text = pdf_text(&pdf);
        for shown in [
            code.as_str(),
            "20/QĐ-UBND",
            "thu hồi giấy chứng nhận",
            "điểm b",
        ] {
            assert!(text.contains(shown), "{shown}: {text}");
        }
        let (status, _, _) = elsewhere
            .get_bytes(&format!("/quyet-dinh-thu-hoi/{code}.pdf"))
            .await;
        assert_eq!(status, 403, "another province's office");
        let sms = app::db::outbox::messages(&server.db, None, None)
            .await
            .expect("outbox");
        assert!(
            sms.iter()
                .any(|m| m.body.contains(&code) && m.body.contains("thu hồi")),
            "{sms:?}"
        );

        // Frozen in the database.
        for sql in [
            "UPDATE certificates SET revoked_on = NULL, revocation_ground = NULL WHERE code = $1",
            "UPDATE certificates SET stars = 5 WHERE code = $1",
            "DELETE FROM revocations WHERE certificate_code = $1",
            "UPDATE revocations SET ground = 'a' WHERE certificate_code = $1",
            "UPDATE inspections SET outcome = 'kept' WHERE certificate_code = $1",
            "DELETE FROM inspections WHERE certificate_code = $1",
        ] {
            let said = ["does not change", "only by its revocation"];
            crate::hostile::refused_saying(&server.db, sql, sql, &[&code], &said).await;
        }
    })
    .await;
}

#[tokio::test]
async fn the_producer_is_reminded_once_at_the_windows_opening_and_before_its_close() {
    for_each_engine(|server| async move {
        // Arrange: a certificate issued today; its window's days.
        let (_round, code) = certified_product(&server, "21/QĐ-UBND").await;
        let today = CalendarDate::of_ms_vietnam(app::db::now_ms());
        let validity = app::domain::certificate::Validity::from_issue(today);
        let [opening, before_close] = validity.reminders();
        let (_, closes) = validity.window();
        let shift = |day: CalendarDate, by: i64| {
            CalendarDate::from_days_since_epoch(day.days_since_epoch() + by)
        };
        let send = |day: CalendarDate| {
            let db = server.db.clone();
            async move {
                app::service::reminders::send_due(&db, day)
                    .await
                    .expect("reminders")
            }
        };

        // Act: the daily job on the days around each reminder, some twice.
        let sent = [
            send(shift(opening, -1)).await,
            send(opening).await,
            send(opening).await,
            send(shift(opening, 1)).await,
            send(before_close).await,
            send(shift(before_close, 3)).await,
            send(shift(closes, 1)).await,
        ];

        // Assert: one SMS at the opening, one before the close, each once.
        assert_eq!(sent, [0, 1, 0, 0, 1, 0, 0], "{code}");
        let sms = app::db::outbox::messages(&server.db, None, None)
            .await
            .expect("outbox");
        let reminders: Vec<_> = sms
            .iter()
            .filter(|m| m.body.contains(&code) && m.body.contains("đánh giá lại"))
            .collect();
        assert_eq!(reminders.len(), 2, "{sms:?}");
        let (opens, closes) = (opening.day_month_year(), closes.day_month_year());
        assert!(
            reminders[0].body.contains(&opens) && reminders[0].body.contains(&closes),
            "{}",
            reminders[0].body
        );
    })
    .await;
}

#[tokio::test]
async fn a_re_evaluation_filed_outside_its_certificates_window_is_refused_with_the_dates() {
    for_each_engine(|server| async move {
        // Arrange: two certificates from before Sao, one in its window today
        // (expiring in 150 days), one not yet (400 days); a producer's subject.
        let in_window = day(150);
        let too_early = day(400);
        let csv = format!(
            "code,product_name,subject_name,stars,issued_on,valid_until\n\
             51-23344-801-2024,Sâm Ngọc Linh củ tươi,HTX Sâm Ngọc Linh Đắk Glei,3,2024-01-02,{in_window}\n\
             51-23344-802-2025,Sâm Ngọc Linh củ tươi,HTX Sâm Ngọc Linh Đắk Glei,3,2025-01-02,{too_early}\n"
        );
        let imported = app::service::certificates::import(&server.db, 51, &csv).await;
        assert!(matches!(imported, Ok(2)), "{imported:?}");
        let phone = crate::support::fresh_phone();
        let (producer, subject_id, _) =
            crate::support::dossier::producer_with_product(&server, &phone).await;
        let reevaluation = |code: &str| {
            let form = serde_json::json!({ "form": { "subject_id": subject_id, "name": "Sâm Ngọc Linh củ tươi",
                "product_set": "7", "kind": "reevaluation", "previous_certificate": code,
                "changes": "Đánh giá lại khi giấy chứng nhận sắp hết hạn" } });
            let producer = producer.clone();
            async move {
                let product = producer.call_json("producer/register_product", &form).await;
                assert_eq!(product.status, 200, "{}", product.body);
                let product = product.json().as_str().unwrap_or_default().to_string();
                let report = serde_json::json!({ "product_id": product,
                    "form": crate::support::dossier::complete_report() });
                let saved = producer.call_json("producer/save_report", &report).await;
                assert_eq!(saved.status, 200, "{}", saved.body);
                producer.call_on("producer/submit", &product).await
            }
        };

        // Act
        let early = reevaluation("51-23344-802-2025").await;
        let open = reevaluation("51-23344-801-2024").await;

        // Assert: refused with the window's dates beside the certificate; then filed.
        assert_eq!(early.status, 422, "{}", early.body);
        let validity = app::domain::certificate::Validity {
            issued: CalendarDate::parse("2025-01-02").expect("date"),
            valid_until: CalendarDate::parse(&too_early).expect("date"),
        };
        let (opens, closes) = validity.window();
        let said_early = said(&early.body);
        assert!(
            said_early.contains(&opens.day_month_year())
                && said_early.contains(&closes.day_month_year()),
            "{said_early}"
        );
        assert!(early.body.contains("previous_certificate"), "{}", early.body);
        assert_eq!(open.status, 200, "{}", open.body);
    })
    .await;
}

#[tokio::test]
async fn the_ministry_lists_and_revokes_five_star_certificates_and_no_others() {
    for_each_engine(|server| async move {
        // Arrange: a 5★ and a 4★ certificate of province 51, imported.
        let csv = "code,product_name,subject_name,stars,issued_on,valid_until\n\
                   51-23344-901-2025,Yến sào Lý Sơn,HTX Lý Sơn,5,2025-01-10,\n\
                   51-23344-902-2025,Mật ong rừng,HTX Đăk Plô,4,2025-01-10,\n";
        let imported = app::service::certificates::import(&server.db, 51, csv).await;
        assert!(matches!(imported, Ok(2)), "{imported:?}");
        let (five, four) = ("51-23344-901-2025", "51-23344-902-2025");
        let ministry = crate::support::levels::ministry_of(&server).await;
        let province = crate::support::people::office_of_quang_ngai(&server).await;
        let revoke = |client: &Client, code: &str, number: &str| {
            let (client, code, number) = (client.clone(), code.to_string(), number.to_string());
            async move {
                let today = day(0);
                let form = [
                    ("code", code.as_str()),
                    ("ground", "a"),
                    ("detail", "Cơ sở vi phạm an toàn thực phẩm"),
                    ("found_on", today.as_str()),
                    ("number", number.as_str()),
                    ("signed_on", today.as_str()),
                    ("signer", "Thứ trưởng"),
                ];
                client.call("office/revoke", &form).await
            }
        };

        // Act + Assert: the ministry's list is the 5★ one; its reach ends there.
        let listed = ministry.call("office/certificates", &[]).await;
        assert_eq!(listed.status, 200, "{}", listed.body);
        assert!(
            listed.body.contains(five) && !listed.body.contains(four),
            "{}",
            listed.body
        );
        let not_its_own = revoke(&ministry, four, "1/QĐ-BNNMT").await;
        assert_eq!(not_its_own.status, 403, "{}", not_its_own.body);
        let seen = ministry.call("office/certificate", &[("code", four)]).await;
        assert_eq!(seen.status, 403, "{}", seen.body);
        let by_province = revoke(&province, five, "9/QĐ-UBND").await;
        assert_eq!(by_province.status, 422, "{}", by_province.body);
        let revoked = revoke(&ministry, five, "2/QĐ-BNNMT").await;
        assert_eq!(revoked.status, 200, "{}", revoked.body);
        let again = revoke(&ministry, five, "3/QĐ-BNNMT").await;
        assert_eq!(again.status, 422, "{}", again.body);
        let page = server.page(&format!("/xac-minh/{five}")).await;
        assert!(page.contains("thu hồi"), "{page}");
        // The province still sees its 5★ certificate, revoked, and the 4★ one.
        let file = province.call("office/certificate", &[("code", five)]).await;
        assert_eq!(file.status, 200, "{}", file.body);
        assert!(file.body.contains("2/QĐ-BNNMT"), "{}", file.body);
    })
    .await;
}
