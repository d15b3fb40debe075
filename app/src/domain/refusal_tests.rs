//! The tables are whole: both languages have every key, every refusal has its
//! sentence, and every `{name}` place is filled.
use super::*;

fn every_refusal() -> Vec<Refusal> {
    vec![
        Refusal::Required {
            what: "address".into(),
        },
        Refusal::TooLong { max: 3 },
        Refusal::NotCount,
        Refusal::FormInvalid,
        Refusal::PhoneEmpty,
        Refusal::PhoneNotDigits {
            character: "x".into(),
        },
        Refusal::PhoneLength,
        Refusal::PhoneNotMobile,
        Refusal::PhoneInvalid,
        Refusal::EmailInvalid,
        Refusal::ReevaluationOutsideWindow {
            opens: "17/09/2028".into(),
            closes: "16/11/2028".into(),
        },
        Refusal::ProductCodeInvalid,
        Refusal::CertificateCodeInvalid,
        Refusal::CertificateStarsInvalid,
        Refusal::CertificateDatesOrder,
        Refusal::ImportColumns { count: 6 },
        Refusal::CertificateCodeTaken { code: "x".into() },
        Refusal::InspectionDateOutOfRange {
            issued: "01/06/2026".into(),
            today: "05/06/2026".into(),
        },
        Refusal::FindingRequired,
        Refusal::InspectionIdInvalid,
        Refusal::InspectionIdTaken,
        Refusal::RevocationByMinistry,
        Refusal::RevocationByProvince,
        Refusal::CertificateNotInForce {
            status: "revoked".into(),
        },
        Refusal::RevocationDateOutOfRange {
            found: "01/06/2026".into(),
            today: "05/06/2026".into(),
        },
        Refusal::RevocationExists,
        Refusal::DecisionDateOutOfRange {
            sealed: "01/06/2026".into(),
            today: "05/06/2026".into(),
        },
        Refusal::DecisionNumberTaken,
        Refusal::DecideByRecording,
        Refusal::RoundNotSealed,
        Refusal::NotForwarded,
        Refusal::ProfileNoLevel {
            level: "district".into(),
        },
        Refusal::CentralIsMinistry,
        Refusal::MinistryCentralOnly,
        Refusal::DistrictRequired,
        Refusal::DistrictUnknown,
        Refusal::OutsideDistrict,
        Refusal::NotForwardedTo {
            level: "central".into(),
        },
        Refusal::NotReturned,
        Refusal::ReturnAlreadyDecided,
        Refusal::DistrictNameTaken,
        Refusal::CommuneInDistrict {
            commune: "23344".into(),
        },
        Refusal::PasswordTooShort { min: 3, chars: 3 },
        Refusal::PasswordCommon,
        Refusal::PasswordSameAsPhone,
        Refusal::CurrentPasswordWrong,
        Refusal::NameEmpty,
        Refusal::NameTooShort,
        Refusal::NameTooLong { max: 3 },
        Refusal::DateInvalid,
        Refusal::SignUpCodeWrong,
        Refusal::PhoneHasAccount,
        Refusal::NumberJustRegistered,
        Refusal::RoleInvalid,
        Refusal::RoleAlreadyGranted,
        Refusal::CannotDisableSelf,
        Refusal::CommuneCodeUnknown,
        Refusal::ProvinceCodeUnknown,
        Refusal::CouncilCodeRequired,
        Refusal::ChooseSubjectKind,
        Refusal::ChooseRegistrationDate,
        Refusal::TaxCodeDigits,
        Refusal::ChooseCommune,
        Refusal::WorkersLocalOverTotal,
        Refusal::SubjectLockedInReview,
        Refusal::ChooseProductSet { max: 3 },
        Refusal::ChooseRegistrationKind,
        Refusal::PreviousCertificateRequired,
        Refusal::ChangesRequired,
        Refusal::ProductLimit { max: 3 },
        Refusal::MoneyFormat,
        Refusal::SamplesRange,
        Refusal::TargetTooLarge { max: 100 },
        Refusal::DateAfterToday {
            today: "06/12/2026".into(),
        },
        Refusal::EndsBeforeStarts,
        Refusal::CertificateCodeUnknown,
        Refusal::NotOnSale {
            status: "revoked".into(),
        },
        Refusal::Missing {
            item: "phone".into(),
        },
        Refusal::CriterionUnknown { code: "x".into() },
        Refusal::OptionUnknown { code: "x".into() },
        Refusal::CriterionMissing { code: "x".into() },
        Refusal::FileKind,
        Refusal::FileUnreadable,
        Refusal::PhotoUnreadable,
        Refusal::ConnectionLostTooLong,
        Refusal::FileEmpty,
        Refusal::FileTooLarge {
            size_mb: 3,
            max_mb: 3,
        },
        Refusal::DossierFilesFull {
            max_mb: 3,
            used_mb: 3,
        },
        Refusal::QuotaFull { max_mb: 3 },
        Refusal::SlotInvalid,
        Refusal::FileNameInvalid,
        Refusal::ChunkSizeWrong,
        Refusal::UploadsPending,
        Refusal::AdvisorOnlyAtOffice,
        Refusal::DossierStateForbids {
            dossier_state: "draft".into(),
        },
        Refusal::DossierNotEditable {
            dossier_state: "draft".into(),
        },
        Refusal::ChecklistMissing {
            checklist: vec!["samples".into()],
        },
        Refusal::ContentNotAssessed {
            content: "origin".into(),
        },
        Refusal::TourismNoSamples,
        Refusal::SamplesShort {
            due: 3,
            received: 3,
        },
        Refusal::CommentTooLong,
        Refusal::SupplementNoteRequired,
        Refusal::SupplementDateFuture,
        Refusal::ReceiveRace,
        Refusal::NotReceivedByCommune,
        Refusal::CommuneAssessmentMissing,
        Refusal::NotAtOffice,
        Refusal::RejectGroundUnknown,
        Refusal::RejectGroundRequired,
        Refusal::HolidayNameRequired,
        Refusal::StateChanged,
        Refusal::RoundStateForbids {
            round_state: "sealed".into(),
        },
        Refusal::RoundYearRange,
        Refusal::RoundEndBeforeDeadline,
        Refusal::RoundNumberRange,
        Refusal::DeadlineRequired,
        Refusal::EndDateRequired,
        Refusal::ProfileNoProvince,
        Refusal::ForwardedAfterDeadline {
            forwarded: "x".into(),
            deadline: "x".into(),
        },
        Refusal::OtherProvinceProduct,
        Refusal::RoundNotAccepting,
        Refusal::AlreadyInOpenRound,
        Refusal::RoundSealed,
        Refusal::NotScoring,
        Refusal::PositionInvalid,
        Refusal::CouncilRatioInvalid,
        Refusal::CouncilRatiosFixed,
        Refusal::AssignOnlyScorers,
        Refusal::ProductNotInRound,
        Refusal::MemberNotScoringProduct,
        Refusal::MemberAlreadySubmitted,
        Refusal::MemberNotSubmitted,
        Refusal::PaperMismatch {
            criteria: "x".into(),
        },
        Refusal::BatchTooLarge { max: 3 },
        Refusal::RescoreReasonRequired,
        Refusal::SittingInvalid,
        Refusal::WrittenRoundReevaluationOnly,
        Refusal::AlreadyMeeting,
        Refusal::MeetingReasonRequired,
        Refusal::SittingAfterSeal,
        Refusal::NoKnockoutProposed,
        Refusal::SealNotReady { open: 3 },
        Refusal::ChairOnly,
        Refusal::SealOnlyInDeliberation,
        Refusal::RoundStateRace,
        Refusal::FlagGone,
        Refusal::MinutesNotYet,
        Refusal::BodyTooLarge { max_kb: 3 },
        Refusal::RequestMalformed,
    ]
}

fn keys(lang: Lang) -> Vec<String> {
    let serde_json::Value::Object(map) = table(lang) else {
        panic!("the {lang:?} table is not a JSON object");
    };
    map.keys().cloned().collect()
}

#[test]
fn both_tables_have_the_same_keys_and_no_empty_text() {
    assert_eq!(keys(Lang::Vi), keys(Lang::En));
    for lang in [Lang::Vi, Lang::En] {
        for key in keys(lang) {
            assert!(
                !text_of(&key, lang).trim().is_empty(),
                "{key} is empty in {lang:?}"
            );
        }
    }
}

#[test]
fn every_refusal_has_a_sentence_in_both_languages_with_its_places_filled() {
    let sentences: Vec<String> = keys(Lang::Vi)
        .into_iter()
        .filter(|k| !k.contains(':'))
        .collect();
    let refusals = every_refusal();
    let said = [
        NextStepSaid::NextRecognise {
            stars: 4,
            level: "x".into(),
        },
        NextStepSaid::NextForward { to: "x".into() },
        NextStepSaid::NextReturn { to: "x".into() },
        NextStepSaid::NextNoCertificate,
    ];
    let notes = [
        EventNote::NoteCreated,
        EventNote::NoteSubmitted { version: 2 },
        EventNote::NoteCommuneReceived { number: "x".into() },
        EventNote::NoteCommuneForwarded,
        EventNote::NoteAddedToRound { round: "x".into() },
        EventNote::NoteRejected { note: "x".into() },
        EventNote::NoteRejectedOnGround {
            ground: "x".into(),
            note: "x".into(),
        },
    ];
    let sms = [
        Sms::SmsRoleOffer {
            inviter: "x".into(),
            role: "producer".into(),
            link: "x".into(),
        },
        Sms::SmsInvitation {
            inviter: "x".into(),
            role: "admin".into(),
            link: "x".into(),
        },
        Sms::SmsAdminInvitation { link: "x".into() },
        Sms::SmsPasswordReset { link: "x".into() },
        Sms::SmsAlreadyRegistered,
        Sms::SmsSignUpCode { code: "x".into() },
        Sms::SmsSupplement {
            asked_by: "commune".into(),
            product: "x".into(),
            due: "x".into(),
            note: "x".into(),
        },
        Sms::SmsDecision {
            product: "x".into(),
            number: "1/QĐ-UBND".into(),
            result: "recognised_4".into(),
        },
        Sms::SmsReevaluation {
            product: "x".into(),
            code: "51-12345-001-2026".into(),
            opens: "16/09/2028".into(),
            closes: "14/11/2028".into(),
        },
        Sms::SmsRevocation {
            product: "x".into(),
            code: "51-12345-001-2026".into(),
            number: "2/QĐ-UBND".into(),
        },
    ];
    let mut used: Vec<String> = refusals.iter().map(Said::key).collect();
    used.extend(said.iter().map(Said::key));
    used.extend(notes.iter().map(Said::key));
    used.extend(sms.iter().map(Said::key));
    let mut listed = used.clone();
    listed.sort();
    listed.dedup();
    assert_eq!(listed.len(), used.len(), "a key is listed twice");
    let mut expected = sentences.clone();
    expected.sort();
    assert_eq!(
        listed, expected,
        "the tables' sentences and the variants differ"
    );
    for lang in [Lang::Vi, Lang::En] {
        let texts = refusals
            .iter()
            .map(|r| r.text(lang))
            .chain(said.iter().map(|s| s.text(lang)))
            .chain(notes.iter().map(|n| n.text(lang)))
            .chain(sms.iter().map(|m| m.text(lang)));
        for text in texts {
            assert!(!text.contains('{') && !text.contains('}'), "{text}");
        }
    }
}

#[test]
fn an_argument_with_a_name_in_the_table_is_shown_translated() {
    let refusal = Refusal::DossierStateForbids {
        dossier_state: "in_round".into(),
    };
    assert!(refusal.text(Lang::Vi).contains("Đã đưa vào đợt đánh giá"));
    assert!(refusal.text(Lang::En).contains("In an evaluation round"));
    let missing = Refusal::ChecklistMissing {
        checklist: vec!["samples".into(), "registration_form".into()],
    };
    assert_eq!(
        missing.text(Lang::En),
        "The dossier lacks: Samples; Registration form (Form 01)."
    );
    assert_eq!(Thing::Round.text(Lang::Vi), "đợt đánh giá");
    let sms = Sms::SmsSupplement {
        asked_by: "office".into(),
        product: "Chè".into(),
        due: "1/2/2027".into(),
        note: "x".into(),
    };
    assert!(sms
        .body()
        .starts_with("Sao OCOP: Cơ quan OCOP tỉnh yêu cầu"));
}

#[test]
fn a_stored_note_is_shown_in_the_readers_language_and_typed_words_as_typed() {
    let stored = EventNote::NoteSubmitted { version: 2 }.stored();
    assert_eq!(EventNote::show(&stored, Lang::Vi), "Nộp hồ sơ phiên bản 2");
    assert_eq!(
        EventNote::show(&stored, Lang::En),
        "Dossier version 2 submitted"
    );
    assert_eq!(
        EventNote::show("Thiếu giấy ATTP", Lang::En),
        "Thiếu giấy ATTP"
    );
    assert_eq!(
        EventNote::show(r#"{"key":"x"}"#, Lang::En),
        r#"{"key":"x"}"#
    );
}

#[test]
fn a_refusal_travels_as_its_key_and_arguments() {
    let refusal = Refusal::TooLong { max: 200 };
    let json = serde_json::to_string(&refusal).expect("serializes");
    assert_eq!(json, r#"{"key":"too_long","args":{"max":200}}"#);
    assert_eq!(
        serde_json::from_str::<Refusal>(&json).expect("parses"),
        refusal
    );
    assert!(serde_json::from_str::<Refusal>(r#"{"key":"no_such_refusal"}"#).is_err());
}
