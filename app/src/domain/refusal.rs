//! What a person is told when something is refused, as data: each variant is a
//! key of `locales/refusals/{vi,en}.json` (its serde name) with its arguments.
//! The browser and the server build the same `Refusal`; the page renders it in
//! its own language. An argument whose `name:value` is also a key of the table
//! (`dossier_state:draft`, `slot:labels`) is shown translated.
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

pub use super::sms::Sms;

/// The languages the tables hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Vi,
    En,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "key", content = "args", rename_all = "snake_case")]
pub enum Refusal {
    // Any form.
    Required { what: String },
    TooLong { max: u32 },
    NotCount,
    FormInvalid,
    // Phone, password, name, date.
    PhoneEmpty,
    PhoneNotDigits { character: String },
    PhoneLength,
    PhoneNotMobile,
    PhoneInvalid,
    EmailInvalid,
    PasswordTooShort { min: u32, chars: u32 },
    PasswordCommon,
    PasswordSameAsPhone,
    CurrentPasswordWrong,
    NameEmpty,
    NameTooShort,
    NameTooLong { max: u32 },
    DateInvalid,
    // Certificates.
    ReevaluationOutsideWindow { opens: String, closes: String },
    ProductCodeInvalid,
    CertificateCodeInvalid,
    CertificateStarsInvalid,
    CertificateDatesOrder,
    ImportColumns { count: u32 },
    CertificateCodeTaken { code: String },
    InspectionDateOutOfRange { issued: String, today: String },
    FindingRequired,
    InspectionIdInvalid,
    InspectionIdTaken,
    RevocationByMinistry,
    RevocationByProvince,
    CertificateNotInForce { status: String },
    RevocationDateOutOfRange { found: String, today: String },
    RevocationExists,
    // Decisions.
    DecisionDateOutOfRange { sealed: String, today: String },
    DecisionNumberTaken,
    DecideByRecording,
    RoundNotSealed,
    NotForwarded,
    // Levels: district, province, central rounds.
    ProfileNoLevel { level: String },
    CentralIsMinistry,
    MinistryCentralOnly,
    DistrictRequired,
    DistrictUnknown,
    OutsideDistrict,
    NotForwardedTo { level: String },
    NotReturned,
    ReturnAlreadyDecided,
    DistrictNameTaken,
    CommuneInDistrict { commune: String },
    // Accounts and roles.
    SignUpCodeWrong,
    PhoneHasAccount,
    NumberJustRegistered,
    RoleInvalid,
    RoleAlreadyGranted,
    CannotDisableSelf,
    CommuneCodeUnknown,
    ProvinceCodeUnknown,
    CouncilCodeRequired,
    // The subject and its products.
    ChooseSubjectKind,
    ChooseRegistrationDate,
    TaxCodeDigits,
    ChooseCommune,
    WorkersLocalOverTotal,
    SubjectLockedInReview,
    ChooseProductSet { max: u32 },
    ChooseRegistrationKind,
    PreviousCertificateRequired,
    ChangesRequired,
    ProductLimit { max: i64 },
    MoneyFormat,
    SamplesRange,
    TargetTooLarge { max: u32 },
    DateAfterToday { today: String },
    EndsBeforeStarts,
    NotOnSale { status: String },
    CertificateCodeUnknown,
    Missing { item: String },
    CriterionUnknown { code: String },
    OptionUnknown { code: String },
    CriterionMissing { code: String },
    // Files.
    FileKind,
    FileUnreadable,
    PhotoUnreadable,
    ConnectionLostTooLong,
    FileEmpty,
    FileTooLarge { size_mb: u64, max_mb: u64 },
    DossierFilesFull { max_mb: u64, used_mb: u64 },
    QuotaFull { max_mb: i64 },
    SlotInvalid,
    FileNameInvalid,
    ChunkSizeWrong,
    UploadsPending,
    AdvisorOnlyAtOffice,
    // The dossier's way.
    DossierStateForbids { dossier_state: String },
    DossierNotEditable { dossier_state: String },
    ChecklistMissing { checklist: Vec<String> },
    ContentNotAssessed { content: String },
    TourismNoSamples,
    SamplesShort { due: u32, received: u32 },
    CommentTooLong,
    SupplementNoteRequired,
    SupplementDateFuture,
    ReceiveRace,
    NotReceivedByCommune,
    CommuneAssessmentMissing,
    NotAtOffice,
    RejectGroundUnknown,
    RejectGroundRequired,
    HolidayNameRequired,
    StateChanged,
    // Rounds and councils.
    RoundStateForbids { round_state: String },
    RoundYearRange,
    RoundEndBeforeDeadline,
    RoundNumberRange,
    DeadlineRequired,
    EndDateRequired,
    ProfileNoProvince,
    ForwardedAfterDeadline { forwarded: String, deadline: String },
    OtherProvinceProduct,
    RoundNotAccepting,
    AlreadyInOpenRound,
    RoundSealed,
    NotScoring,
    PositionInvalid,
    CouncilRatioInvalid,
    CouncilRatiosFixed,
    AssignOnlyScorers,
    ProductNotInRound,
    MemberNotScoringProduct,
    MemberAlreadySubmitted,
    MemberNotSubmitted,
    PaperMismatch { criteria: String },
    BatchTooLarge { max: u32 },
    RescoreReasonRequired,
    SittingInvalid,
    WrittenRoundReevaluationOnly,
    AlreadyMeeting,
    MeetingReasonRequired,
    SittingAfterSeal,
    NoKnockoutProposed,
    SealNotReady { open: u32 },
    ChairOnly,
    SealOnlyInDeliberation,
    RoundStateRace,
    FlagGone,
    MinutesNotYet,
    BodyTooLarge { max_kb: u64 },
    // A request the server could not read: nothing was done.
    RequestMalformed,
}

/// What was looked for and not found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Thing {
    Round,
    Product,
    Subject,
    User,
    Role,
    DossierVersion,
    Scorecard,
    CouncilMember,
    File,
    RuleSet,
    ProductSet,
    Certificate,
    SalesPoint,
    Fair,
}

fn table(lang: Lang) -> &'static serde_json::Value {
    static VI: OnceLock<serde_json::Value> = OnceLock::new();
    static EN: OnceLock<serde_json::Value> = OnceLock::new();
    let (cell, text) = match lang {
        Lang::Vi => (&VI, include_str!("../../locales/refusals/vi.json")),
        Lang::En => (&EN, include_str!("../../locales/refusals/en.json")),
    };
    cell.get_or_init(|| serde_json::from_str(text).unwrap_or(serde_json::Value::Null))
}

/// The table's text for `key`, or the key itself (a test keeps both tables whole).
pub fn text_of(key: &str, lang: Lang) -> String {
    table(lang)
        .get(key)
        .and_then(|v| v.as_str())
        .unwrap_or(key)
        .to_string()
}

/// The name of a code (`term("slot", "labels", lang)`), or the code itself.
pub fn term(kind: &str, code: &str, lang: Lang) -> String {
    let key = format!("{kind}:{code}");
    match table(lang).get(&key).and_then(|v| v.as_str()) {
        Some(text) => text.to_string(),
        None => code.to_string(),
    }
}

fn argument(name: &str, value: &serde_json::Value, lang: Lang) -> String {
    match value {
        serde_json::Value::String(code) => term(name, code, lang),
        serde_json::Value::Array(items) => items
            .iter()
            .map(|item| argument(name, item, lang))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

/// A sentence of the tables: a value serialized as `{"key": …, "args": {…}}`.
fn render(value: serde_json::Value, lang: Lang) -> String {
    let key = value.get("key").and_then(|k| k.as_str()).unwrap_or("");
    let mut sentence = text_of(key, lang);
    if let Some(serde_json::Value::Object(args)) = value.get("args") {
        for (name, arg) in args {
            sentence = sentence.replace(&format!("{{{name}}}"), &argument(name, arg, lang));
        }
    }
    sentence
}

fn key_of(value: serde_json::Value) -> String {
    value
        .get("key")
        .and_then(|k| k.as_str())
        .map(str::to_string)
        .unwrap_or_default()
}

/// A message of the tables: a serde enum tagged `key` with its `args`.
pub trait Said: Serialize {
    /// The table's key: the variant's serde name.
    fn key(&self) -> String {
        serde_json::to_value(self).map(key_of).unwrap_or_default()
    }

    /// The sentence in `lang`, its `{name}` places filled.
    fn text(&self, lang: Lang) -> String {
        serde_json::to_value(self)
            .map(|v| render(v, lang))
            .unwrap_or_default()
    }
}

impl Said for Refusal {}
impl Said for EventNote {}
impl Said for NextStepSaid {}

/// A note on a dossier's timeline that Sao writes itself, stored as its JSON so
/// each reader sees it in their language (a person's own words stay as typed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "key", content = "args", rename_all = "snake_case")]
pub enum EventNote {
    NoteCreated,
    NoteSubmitted { version: i64 },
    NoteCommuneReceived { number: String },
    NoteCommuneForwarded,
    NoteAddedToRound { round: String },
    NoteRejected { note: String },
    NoteRejectedOnGround { ground: String, note: String },
}

impl EventNote {
    /// As the timeline stores it.
    pub fn stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A stored note in `lang`: Sao's own notes translated, a person's as typed.
    pub fn show(stored: &str, lang: Lang) -> String {
        match serde_json::from_str::<serde_json::Value>(stored) {
            Ok(value)
                if value
                    .get("key")
                    .and_then(|k| k.as_str())
                    .is_some_and(|k| k.starts_with("note_")) =>
            {
                render(value, lang)
            }
            _ => stored.to_string(),
        }
    }
}

/// What the council's result leads to, as the console and the minutes say it
/// (`level`, `to`: the profile's level names, rule data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "key", content = "args", rename_all = "snake_case")]
pub enum NextStepSaid {
    NextRecognise { stars: u8, level: String },
    NextForward { to: String },
    NextReturn { to: String },
    NextNoCertificate,
}

impl Thing {
    pub fn text(self, lang: Lang) -> String {
        let code = serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        term("thing", &code, lang)
    }
}

/// The domain's own errors, each of which says its refusal.
macro_rules! refusal_from {
    ($($error:ty),+) => {$(
        impl From<$error> for Refusal {
            fn from(error: $error) -> Refusal { error.refusal() }
        }
    )+};
}
refusal_from!(
    super::phone::PhoneError,
    super::password::PasswordError,
    super::name::NameError
);

impl From<sao_scoring::SheetError> for Refusal {
    fn from(error: sao_scoring::SheetError) -> Refusal {
        use sao_scoring::SheetError as E;
        match error {
            E::UnknownCriterion(code) => Refusal::CriterionUnknown {
                code: code.as_str().to_string(),
            },
            E::Missing(code) => Refusal::CriterionMissing {
                code: code.as_str().to_string(),
            },
            E::OptionOutOfRange { criterion, .. } => Refusal::OptionUnknown {
                code: criterion.as_str().to_string(),
            },
        }
    }
}

impl From<super::date::DateError> for Refusal {
    fn from(_: super::date::DateError) -> Refusal {
        Refusal::DateInvalid
    }
}

#[cfg(test)]
#[path = "refusal_tests.rs"]
mod tests;
