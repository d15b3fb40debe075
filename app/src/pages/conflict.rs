//! A council member declares, from the tablet, a conflict of interest with the
//! product in front of them (with the reason): they no longer score it, and the
//! chair's console shows the conflict.
use crate::api::office::DeclareOwnConflict;
use crate::components::form::{error_besides, FormAlert};
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn OwnConflict(member_id: String, product_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let declare = ServerAction::<DeclareOwnConflict>::new();
    let value = declare.value();
    let done = move || matches!(value.get(), Some(Ok(())));
    view! {
        <details class="card declare-conflict" id="own-conflict">
            <summary>{t!(i18n, tablet_conflict_heading)}</summary>
            <Show
                when=done
                fallback=move || {
                    let (member_id, product_id) = (member_id.clone(), product_id.clone());
                    view! {
                    <p class="muted">{t!(i18n, tablet_conflict_hint)}</p>
                    <ActionForm action=declare>
                        <input type="hidden" name="member_id" value=member_id.clone() />
                        <input type="hidden" name="product_id" value=product_id.clone() />
                        <div class="field">
                            <label for="own-conflict-reason">{t!(i18n, round_conflict_reason)}</label>
                            <textarea id="own-conflict-reason" name="reason" rows="2" required=true></textarea>
                        </div>
                        <FormAlert message=error_besides(value, &[]) />
                        <button type="submit" class="button secondary" id="own-conflict-submit">
                            {t!(i18n, round_declare_conflict)}
                        </button>
                    </ActionForm>
                    }
                }
            >
                <p class="form-done" role="status" id="own-conflict-done">
                    {t!(i18n, tablet_conflict_done)}" "
                    <a href="/cham-diem">{t!(i18n, tablet_back_to_list)}</a>
                </p>
            </Show>
        </details>
    }
}
