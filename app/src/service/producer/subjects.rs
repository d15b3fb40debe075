//! The subjects (chủ thể) a producer acts for.
use super::*;
use crate::api::producer::SubjectItem;
use crate::domain::subject::{Subject, SubjectForm};
use crate::error::AppError;
use crate::error::{Refusal, Thing};
use crate::{
    auth::policy::{Action, Target},
    auth::session::authorize,
    db::{self, audit},
};

pub async fn list() -> Result<Vec<SubjectItem>, AppError> {
    let authorized = authorize(Action::ViewOwnAccount, &Target::Nothing).await?;
    let db = db::from_context()?;
    let rows = db::producers::subjects_of(&db, &authorized.user()?.user_id).await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| SubjectItem { id, name })
        .collect())
}

pub async fn get(id: String) -> Result<Subject, AppError> {
    let db = db::from_context()?;
    let scope = scope_of_subject(&db, &id).await?;
    authorize(Action::ViewSubject, &Target::Subject(&scope)).await?;
    let (_, subject) = db::producers::subject(&db, &id)
        .await?
        .ok_or(AppError::NotFound(Thing::Subject))?;
    Ok(subject)
}

pub async fn save(id: Option<String>, form: SubjectForm) -> Result<String, AppError> {
    let db = db::from_context()?;
    let authorized = match &id {
        None => authorize(Action::CreateSubject, &Target::Nothing).await?,
        Some(id) => {
            let scope = scope_of_subject(&db, id).await?;
            authorize(Action::EditSubject, &Target::Subject(&scope)).await?
        }
    };
    let subject = form.parse().map_err(first_error)?;
    if db::users::resolve_scope(
        &db,
        crate::auth::ScopeKind::Commune,
        &subject.commune_code.to_string(),
    )
    .await?
    .is_none()
    {
        return Err(AppError::invalid(
            "commune_code",
            Refusal::CommuneCodeUnknown,
        ));
    }
    let actor = authorized.actor();
    let mut tx = db.begin().await?;
    if let Some(id) = &id {
        if db::dossiers::dossiers_under_review(&mut tx, id).await? > 0 {
            return Err(AppError::invalid(
                "commune_code",
                Refusal::SubjectLockedInReview,
            ));
        }
    }
    let saved = db::producers::save_subject(&mut tx, id.as_deref(), &subject, actor.id()).await?;
    let action = if id.is_some() {
        "update_subject"
    } else {
        "create_subject"
    };
    crate::db::audit::commit(
        tx,
        &actor,
        crate::db::audit::Change::new(action, "subject", &saved).after(audit::digest(&subject)),
    )
    .await?;
    Ok(saved)
}
