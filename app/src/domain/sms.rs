//! The SMS Sao sends, keys of the same tables as refusals (`locales/refusals/`).
use super::refusal::{Lang, Said};
use serde::{Deserialize, Serialize};

/// The SMS Sao sends, rendered in Vietnamese (`Lang::Vi`): the recipient has no
/// page language. `role` and `asked_by` are shown by their table names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "key", content = "args", rename_all = "snake_case")]
pub enum Sms {
    SmsRoleOffer {
        inviter: String,
        role: String,
        link: String,
    },
    SmsInvitation {
        inviter: String,
        role: String,
        link: String,
    },
    SmsAdminInvitation {
        link: String,
    },
    SmsPasswordReset {
        link: String,
    },
    SmsAlreadyRegistered,
    SmsSignUpCode {
        code: String,
    },
    SmsSupplement {
        asked_by: String,
        product: String,
        due: String,
        note: String,
    },
    /// A published decision's result for one product; `result` is a
    /// `result:` key (`recognised_4`, `forwarded`, …).
    SmsDecision {
        product: String,
        number: String,
        result: String,
    },
    /// The re-evaluation window is open (Điều 7.6a).
    SmsReevaluation {
        product: String,
        code: String,
        opens: String,
        closes: String,
    },
    /// A certificate revoked (Điều 8.3c).
    SmsRevocation {
        product: String,
        code: String,
        number: String,
    },
}

impl Sms {
    /// The message's body.
    pub fn body(&self) -> String {
        self.text(Lang::Vi)
    }
}

impl Said for Sms {}
