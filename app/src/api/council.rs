//! A council member's own view: the products they score in their rounds.
//! (The scoring sheets themselves come with the council's tablet work.)
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    auth::policy::{Action, Target},
    auth::session::authorize,
    db,
    error::with_status,
};

/// One product a member scores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberProduct {
    pub round_id: String,
    pub round_name: String,
    pub product_id: String,
    pub product_name: String,
}

/// The products assigned to the signed-in member, without those they are conflicted on.
#[server(endpoint = "council/products")]
pub async fn council_products() -> Result<Vec<MemberProduct>, AppError> {
    with_status(
        async move {
            let authorized = authorize(Action::ScoreInCouncil, &Target::Nothing).await?;
            let user_id = authorized.user()?.user_id.clone();
            let db = db::from_context()?;
            Ok(db::rounds::products_for_member(&db, &user_id)
                .await?
                .into_iter()
                .map(
                    |(round_id, round_name, product_id, product_name)| MemberProduct {
                        round_id,
                        round_name,
                        product_id,
                        product_name,
                    },
                )
                .collect())
        }
        .await,
    )
}
