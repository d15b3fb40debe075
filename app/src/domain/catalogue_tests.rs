use super::*;

fn parse(pairs: &[(&str, &str)]) -> Result<CatalogueQuery, QueryError> {
    CatalogueQuery::parse(pairs.iter().copied())
}

/// Whether every folded word typed is in the folded names (the database's
/// LIKE over the stored `search_text` asks the same).
fn finds(query: &CatalogueQuery, (product, subject, commune): (&str, &str, &str)) -> bool {
    let haystack = search_text(product, subject, commune);
    query
        .words()
        .iter()
        .all(|word| haystack.contains(word.as_str()))
}

#[test]
fn an_empty_query_is_every_product_on_page_one() {
    let query = parse(&[]).expect("empty");
    assert_eq!(query.page, 1);
    assert_eq!(
        query,
        parse(&[("q", "  "), ("sao", ""), ("xa", "")]).expect("blank")
    );
    assert!(finds(&query, ("Chè", "HTX", "Đắk Glei")));
}

#[test]
fn filters_are_read_and_bad_ones_refused_by_name() {
    let query = parse(&[
        ("sao", "4"),
        ("tinh", "51"),
        ("xa", "23344"),
        ("bo", "7"),
        ("trang", "2"),
    ])
    .expect("valid");
    assert_eq!(query.stars, Some(4));
    assert_eq!(query.province, Some(51));
    assert_eq!(query.commune, Some(23344));
    assert_eq!(query.product_set, Some(7));
    assert_eq!(query.page, 2);
    let table = [
        (("sao", "2"), "sao"),
        (("sao", "6"), "sao"),
        (("sao", "4.5"), "sao"),
        (("tinh", "-1"), "tinh"),
        (("xa", "0"), "xa"),
        (("xa", "99999999999999999999"), "xa"),
        (("bo", "bảy"), "bo"),
        (("trang", "0"), "trang"),
        (("trang", "10001"), "trang"),
    ];
    for (pair, field) in table {
        let refused = parse(&[pair]).expect_err(&format!("{pair:?} refused"));
        assert_eq!(refused.0, field, "{pair:?}");
    }
    let long = "a".repeat(TEXT_MAX + 1);
    assert_eq!(
        parse(&[("q", &long)]),
        Err(("q", Refusal::TooLong { max: 100 }))
    );
    // Unknown parameters (a tracker's) are ignored; a repeated one keeps its last value.
    assert_eq!(
        parse(&[("utm_source", "zalo"), ("sao", "3"), ("sao", "5")])
            .expect("valid")
            .stars,
        Some(5)
    );
}

#[test]
fn words_match_without_diacritics_in_any_name() {
    let product = ("Chè Shan tuyết", "HTX Nông nghiệp Đắk Glei", "Xã Đắk Pék");
    let query = |text: &str| parse(&[("q", text)]).expect("valid");
    assert!(finds(&query("che"), product));
    assert!(finds(&query("CHÈ shan"), product));
    assert!(finds(&query("dak pek"), product));
    assert!(finds(&query("htx che"), product));
    assert!(!finds(&query("che mat ong"), product));
    assert!(!finds(&query("sam"), product));
}

#[test]
fn pages_hold_page_size_products_and_there_is_always_one() {
    assert_eq!(pages_for(0), 1);
    assert_eq!(pages_for(1), 1);
    assert_eq!(pages_for(PAGE_SIZE as i64), 1);
    assert_eq!(pages_for(PAGE_SIZE as i64 + 1), 2);
    assert_eq!(pages_for(50), 3);
    assert_eq!(pages_for(-5), 1);
}

#[test]
fn the_stored_search_text_is_what_a_search_matches() {
    let query = parse(&[("q", "CÀ phê  đăk")]).expect("valid");
    assert_eq!(query.words(), vec!["ca", "phe", "dak"]);
    let stored = search_text("Cà phê Arabica", "HTX Đăk Môn", "Xã Đăk Môn");
    assert_eq!(stored, "ca phe arabica htx dak mon xa dak mon");
    assert!(query.words().iter().all(|w| stored.contains(w.as_str())));
}

#[test]
fn a_product_url_is_its_code_and_its_name_in_ascii() {
    assert_eq!(
        product_path("51-23344-001-2026", "Sâm Ngọc Linh khô (loại 1)"),
        "/san-pham/51-23344-001-2026/sam-ngoc-linh-kho-loai-1"
    );
    assert_eq!(slug("Đường phèn — 500 g"), "duong-phen-500-g");
    assert_eq!(slug("!!!"), "");
}

#[test]
fn the_links_carry_the_filters_but_not_the_page() {
    let query =
        parse(&[("q", "chè"), ("sao", "4"), ("xa", "23344"), ("trang", "3")]).expect("valid");
    assert_eq!(
        query.pairs(),
        vec![
            ("q", "chè".to_string()),
            ("sao", "4".to_string()),
            ("xa", "23344".to_string())
        ]
    );
}

#[test]
fn a_place_is_a_province_or_a_commune_by_its_digits() {
    assert_eq!(Place::parse("tinh", "51"), Some(Place::Province(51)));
    assert_eq!(Place::parse("xa", "23344"), Some(Place::Commune(23344)));
    for (kind, code) in [
        ("tinh", ""),
        ("tinh", "5a"),
        ("xa", "-1"),
        ("xa", "1234567"),
        ("huyen", "1"),
        ("xa", "+7"),
    ] {
        assert_eq!(Place::parse(kind, code), None, "{kind} {code}");
    }
    assert_eq!(
        Place::Province(51).path("Quảng Ngãi"),
        "/san-pham/tinh/51/quang-ngai"
    );
    assert_eq!(
        Place::Commune(23344).path("Xã Đăk Plô"),
        "/san-pham/xa/23344/xa-dak-plo"
    );
    assert_eq!(Place::Commune(23344).filter(), "/san-pham?xa=23344");
}
