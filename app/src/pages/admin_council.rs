//! The admin hands out council roles (member, chair) of their province's rounds:
//! a person and a round chosen from lists, not a code typed.
use crate::api::users::{admin_councils, GrantRole, UserListItem};
use crate::auth::Role;
use crate::components::form::{error_besides, FormAlert};
use crate::components::labelled::Labelled;
use crate::components::session::role_name;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn CouncilRoleForm(users: Vec<UserListItem>, grant: ServerAction<GrantRole>) -> impl IntoView {
    let i18n = use_i18n();
    let councils = Resource::new(|| (), |_| admin_councils());
    let value = grant.value();
    view! {
        <h2>{t!(i18n, council_grant_heading)}</h2>
        <Suspense fallback=|| ()>
            {move || {
                let users = users.clone();
                Suspend::new(async move {
                    let councils = councils.await.unwrap_or_default();
                    if councils.is_empty() {
                        return view! { <p class="muted">{t!(i18n, council_grant_none)}</p> }.into_any();
                    }
                    view! {
                        <ActionForm action=grant attr:id="council-grant-form">
                            <Labelled id="council-user" label=t!(i18n, field_user)>
                                <select id="council-user" name="user_id">
                                    {users.into_iter().map(|u| view! { <option value=u.id>{format!("{} · {}", u.display_name, u.phone)}</option> }).collect_view()}
                                </select>
                            </Labelled>
                            <Labelled id="council-role" label=t!(i18n, field_role)>
                                <select id="council-role" name="role">
                                    {[Role::CouncilMember, Role::CouncilChair].into_iter().map(|role| view! {
                                        <option value=role.as_str()>{move || role_name(i18n, role)}</option>
                                    }).collect_view()}
                                </select>
                            </Labelled>
                            <Labelled id="council-round" label=t!(i18n, council_grant_round)>
                                <select id="council-round" name="scope_code">
                                    {councils.into_iter().map(|(id, name, _)| view! { <option value=id>{name}</option> }).collect_view()}
                                </select>
                            </Labelled>
                            <FormAlert message=error_besides(value, &[]) />
                            <button type="submit" class="button" id="council-grant-submit">{t!(i18n, grant_submit)}</button>
                        </ActionForm>
                    }.into_any()
                })
            }}
        </Suspense>
    }
}
