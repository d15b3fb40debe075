//! Issue 16, going up a level: a product whose sealed mean is ≥ 90 has a proposal
//! package for the ministry (a ZIP of the minutes, Mẫu 03, the stored result
//! and the dossier's uploaded files, with a manifest of SHA-256 digests that match what
//! the package holds). Refused for another province's office, the producer, a
//! product the council did not forward, and a round not yet sealed.
use crate::support::for_each_engine;
use crate::support::people::{office_grant, official};
use crate::support::round::{round_event, scored_sheet, scoring_round, seal_as_chair, sync};
use sha2::{Digest, Sha256};
use std::io::Read;

#[tokio::test]
async fn a_product_over_90_goes_up_as_a_package_whose_manifest_matches_its_files() {
    for_each_engine(|server| async move {
        // Arrange: two products, one scored 95 by both members, one 75; sealed.
        let round = scoring_round(&server, 2, 2, "qd-26-2026").await;
        let now = app::db::now_ms();
        let rid = round.round_id.as_str();
        let path = |product: &str| format!("/van-phong/dot/{rid}/de-xuat/{product}.zip");
        let (high, low) = (&round.products[0], &round.products[1]);
        for (member_id, client) in &round.members {
            let mut changes = scored_sheet(member_id, high, 95, now);
            changes.extend(scored_sheet(member_id, low, 75, now + 1000));
            sync(client, &changes).await;
        }
        let (unsealed, _, _) = round.office.get_bytes(&path(high)).await;
        assert_eq!(unsealed, 422, "no package before the seal");
        round_event(&round.office, rid, "StartDeliberation").await;
        seal_as_chair(&round.members[0].1, rid).await;

        // Act
        let (status, headers, zip) = round.office.get_bytes(&path(high)).await;

        // Assert: the manifest names every other file with its digest and size.
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&zip));
        assert!(
            format!("{headers:?}").contains("application/zip"),
            "{headers:?}"
        );
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).expect("a zip");
        let mut held = std::collections::BTreeMap::new();
        for index in 0..archive.len() {
            let mut entry = archive.by_index(index).expect("entry");
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).expect("read");
            let name = entry.name().expect("a name").to_string();
            held.insert(name, bytes);
        }
        let manifest: serde_json::Value =
            serde_json::from_slice(&held["manifest.json"]).expect("manifest");
        assert_eq!(manifest["to"], "Hội đồng cấp trung ương", "{manifest}");
        assert_eq!(manifest["product_id"], high.as_str());
        assert_eq!(manifest["mean"], "95.00", "{manifest}");
        let listed = manifest["files"].as_array().cloned().unwrap_or_default();
        assert_eq!(listed.len() + 1, held.len(), "{manifest}");
        for file in &listed {
            let name = file["name"].as_str().unwrap_or_default();
            let bytes = held
                .get(name)
                .unwrap_or_else(|| panic!("{name} listed, not held"));
            let digest: String = Sha256::digest(bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(file["sha256"], digest.as_str(), "{name}");
            assert_eq!(file["bytes"], bytes.len(), "{name}");
        }
        for name in ["bien-ban.pdf", "mau-03.pdf", "ket-qua.json"] {
            assert!(held.contains_key(name), "{name}: {:?}", held.keys());
        }
        assert!(held["bien-ban.pdf"].starts_with(b"%PDF"));

        // Refused: the 75-point product, another province's office, the producer.
        let (not_forwarded, _, _) = round.office.get_bytes(&path(low)).await;
        assert_eq!(not_forwarded, 422);
        let elsewhere = official(&server, office_grant(1)).await;
        let (status, _, _) = elsewhere.get_bytes(&path(high)).await;
        assert_eq!(status, 403, "another province's office");
        let (status, _, _) = round.producers[0].get_bytes(&path(high)).await;
        assert_eq!(status, 403, "the producer");
    })
    .await;
}
