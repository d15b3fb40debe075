//! On the office's page: the products a higher round returned to the province
//! or one of its districts (issue 16, Điều 7.4g), each with what the level's
//! own rule makes of the stored result and the form to record its decision.
use crate::api::returns::{returned_products, RecordReturn, Returned};
use crate::components::form::{error_besides, FormAlert};
use crate::domain::decision::DecisionOutcome;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn ReturnedList() -> impl IntoView {
    let i18n = use_i18n();
    let record = ServerAction::<RecordReturn>::new();
    let returned = Resource::new(move || record.version().get(), |_| returned_products());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                // An office with no level below (the ministry's) has nothing here.
                let items = returned.await.unwrap_or_default();
                (!items.is_empty()).then(|| view! {
                    <h2>{t!(i18n, returned_heading)}</h2>
                    <ul class="card-list" id="returned">
                        {items.into_iter().map(|item| view! { <ReturnedCard item record /> }).collect_view()}
                    </ul>
                })
            })}
        </Suspense>
    }
}

#[component]
fn ReturnedCard(item: Returned, record: ServerAction<RecordReturn>) -> impl IntoView {
    let i18n = use_i18n();
    let value = record.value();
    let proposed = match item.proposed {
        DecisionOutcome::Recognised { stars } => {
            t_string!(i18n, decision_recognised, stars = stars).to_string()
        }
        _ => t_string!(i18n, decision_not_recognised).to_string(),
    };
    let decided = item.decided.clone();
    let (from_round, product) = (item.from_round_id.clone(), item.product_id.clone());
    view! {
        <li data-product=item.product_id.clone()>
            <strong>{item.product_name.clone()}</strong>
            <small class="muted">{format!(" · {} · {} {}", item.from_round_name, t_string!(i18n, decision_mean), item.mean)}</small>
            <p>{t!(i18n, returned_proposed)}" "<strong class="returned-proposed">{proposed}</strong></p>
            {match decided {
                Some(decided) => view! {
                    <p class="returned-decided">
                        {t_string!(i18n, returned_decided, number = decided.number.clone()).to_string()}
                        {decided.certificate_code.map(|code| format!(" · {code}"))}
                    </p>
                }.into_any(),
                None => view! {
                    <ActionForm action=record attr:class="returned-form">
                        <input type="hidden" name="from_round_id" value=from_round.clone() />
                        <input type="hidden" name="product_id" value=product.clone() />
                        {super::decision::signed_decision_fields(value)}
                        <FormAlert message=error_besides(value, &["number", "signed_on", "signer"]) />
                        <button type="submit" class="button">{t!(i18n, decision_record)}</button>
                    </ActionForm>
                }.into_any(),
            }}
        </li>
    }
}
