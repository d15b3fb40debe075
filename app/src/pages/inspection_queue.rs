//! Inspections recorded on a phone or tablet with or without a network (Điều 9,
//! "offline like the council's sheets"): each is kept on the device first, with
//! an id of its own, then sent until the server has it; a second send of the
//! same id is recorded once. A refusal (the certificate revoked meanwhile, a
//! date out of range) sets the inspection aside with the reason; a network
//! failure keeps it waiting. The certificate's file is kept too, so its page
//! opens offline. A log-out does not drop waiting inspections silently
//! (`components::device`).
use crate::api::aftercare::{get_certificate_file, CertificateFile};
use crate::error::AppError;

#[cfg(feature = "hydrate")]
const REFUSED: &str = "sao.inspections.refused";
#[cfg(feature = "hydrate")]
const FILE: &str = "sao.inspections.file.";

#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
/// Whether an answer means the server will never take this inspection (set it
/// aside) rather than "not now" (keep it waiting).
pub fn refused_for_good(error: &AppError) -> bool {
    matches!(
        error,
        AppError::Invalid { .. }
            | AppError::Forbidden
            | AppError::NotFound(_)
            | AppError::Conflict(_)
    )
}

/// The certificate's file: the server's, kept on the device; the device's copy
/// when the network does not answer.
pub async fn certificate_file(code: String) -> Result<CertificateFile, AppError> {
    match get_certificate_file(code.clone()).await {
        Ok(file) => {
            #[cfg(feature = "hydrate")]
            {
                crate::components::local::write(&format!("{FILE}{code}"), &file);
                // The page itself, once through the service worker, which keeps
                // a copy: a reload in the field opens it.
                let page = page_path(&code);
                leptos::task::spawn_local(async move {
                    let _ = gloo_net::http::Request::get(&page).send().await;
                });
            }
            Ok(file)
        }
        Err(error) => {
            #[cfg(feature = "hydrate")]
            if matches!(error, AppError::Transport(_)) {
                if let Some(file) = crate::components::local::read(&format!("{FILE}{code}")) {
                    return Ok(file);
                }
            }
            Err(error)
        }
    }
}

/// A certificate's page at the office.
pub fn page_path(code: &str) -> String {
    format!("/van-phong/giay-chung-nhan/{code}")
}

/// Keeps each certificate's page and file on the device for a day in the
/// field; `done` hears how many are kept so far.
#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
pub fn keep_for_offline(codes: Vec<String>, done: impl Fn(usize) + 'static) {
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        for (index, code) in codes.into_iter().enumerate() {
            // Refused once the user has logged out: nothing more is fetched.
            if certificate_file(code).await.is_err() {
                return;
            }
            done(index + 1);
        }
    });
}

#[cfg(feature = "hydrate")]
mod device {
    use super::*;
    use crate::api::aftercare::PendingInspection;
    use crate::components::device::INSPECTIONS_WAITING as WAITING;
    use crate::components::local::{random_id, read_or_default, write};

    pub fn waiting() -> Vec<PendingInspection> {
        read_or_default(WAITING)
    }

    pub fn refused() -> Vec<(PendingInspection, AppError)> {
        read_or_default(REFUSED)
    }

    pub fn new_id() -> String {
        format!("insp-{}-{}", random_id(), random_id())
    }

    /// Keeps a new inspection on the device, to send.
    pub fn push(inspection: PendingInspection) {
        let mut all = waiting();
        all.push(inspection);
        write(WAITING, &all);
    }

    /// Forgets a refused inspection the inspector has read.
    pub fn dismiss(id: &str) {
        let mut all = refused();
        all.retain(|(p, _)| p.id != id);
        write(REFUSED, &all);
    }

    /// Sends what waits, oldest first; stops at the first network failure.
    /// True when something changed (sent or set aside).
    pub async fn send_waiting() -> bool {
        let mut changed = false;
        for pending in waiting() {
            let sent = crate::api::aftercare::InspectionSent {
                id: Some(pending.id.clone()),
                code: pending.code.clone(),
                kind: pending.kind.clone(),
                inspected_on: pending.inspected_on.clone(),
                mark_use: pending.mark_use.clone(),
                findings: serde_json::to_string(&pending.findings).unwrap_or_default(),
                outcome: pending.outcome.clone(),
            };
            let answer = crate::api::aftercare::record_inspection(sent).await;
            match answer {
                Ok(()) => {}
                Err(error) if refused_for_good(&error) => {
                    let mut aside = refused();
                    aside.push((pending.clone(), error));
                    write(REFUSED, &aside);
                }
                Err(_) => return changed,
            }
            // Read again: the page may have added one while this one travelled.
            let mut left = waiting();
            left.retain(|p| p.id != pending.id);
            write(WAITING, &left);
            changed = true;
        }
        changed
    }
}

#[cfg(feature = "hydrate")]
pub use device::*;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::refusal::{Refusal, Thing};

    #[test]
    fn a_refusal_sets_an_inspection_aside_and_a_failed_network_keeps_it_waiting() {
        let aside = [
            AppError::Invalid {
                field: "inspected_on".into(),
                refusal: Refusal::FindingRequired,
            },
            AppError::Forbidden,
            AppError::NotFound(Thing::Certificate),
            AppError::Conflict(Refusal::FindingRequired),
        ];
        for error in aside {
            assert!(refused_for_good(&error), "{error:?}");
        }
        let waiting = [
            AppError::Transport("offline".into()),
            AppError::NotSignedIn,
            AppError::Internal {
                reference: "x".into(),
            },
            AppError::Busy { retry_after_s: 5 },
            AppError::TooManyRequests { wait_minutes: 1 },
        ];
        for error in waiting {
            assert!(!refused_for_good(&error), "{error:?}");
        }
    }
}
