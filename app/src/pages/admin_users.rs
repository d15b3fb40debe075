//! The admin's users: who holds which role where; invite, grant, revoke, disable.
use crate::api::users::{
    list_users, GrantRole, InviteUser, RevokeRole, SetUserDisabled, UserListItem,
};
use crate::auth::Role;
use crate::components::fields::{NameField, PhoneField};
use crate::components::form::{field_error, form_error, ActionValue, Field, FormAlert};
use crate::components::labelled::Labelled;
use crate::components::loading::Loading;
use crate::components::session::role_name;
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
fn RoleSelect() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Labelled id="field-role" label=t!(i18n, field_role)>
            <select id="field-role" name="role">
                {Role::ALL
                    .into_iter()
                    // Producers sign themselves up: an admin hands out the other roles.
                    .filter(|role| *role != Role::Producer)
                    .map(|role| {
                        view! { <option value=role.as_str()>{move || role_name(i18n, role)}</option> }
                    })
                    .collect_view()}
            </select>
        </Labelled>
    }
}

/// The end of a form that hands out a role: the role, where it holds, the
/// form's alert and its button (`children`: the button's text).
#[component]
fn RoleAndScope<T: Send + Sync + 'static>(
    answer: ActionValue<T>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <RoleSelect />
        <Field
            name="scope_code"
            inputmode="numeric"
            label=move || t_string!(i18n, field_scope).to_string()
            server_error=field_error(answer, "scope")
        />
        <FormAlert message=form_error(answer) />
        <button type="submit" class="button">{children()}</button>
    }
}

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let invite = ServerAction::<InviteUser>::new();
    let grant = ServerAction::<GrantRole>::new();
    let revoke = ServerAction::<RevokeRole>::new();
    let disable = ServerAction::<SetUserDisabled>::new();
    let users = Resource::new(
        move || {
            (
                invite.version().get(),
                grant.version().get(),
                revoke.version().get(),
                disable.version().get(),
            )
        },
        |_| list_users(None),
    );
    let invite_value = invite.value();
    let grant_value = grant.value();
    view! {
        <h1>{t!(i18n, users_heading)}</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match users.await {
                    Ok(list) if list.is_empty() => view! { <p>{t!(i18n, users_empty)}</p> }.into_any(),
                    Ok(list) => {
                        let options = list.clone();
                        let council_users = list.clone();
                        view! {
                            <ul class="user-list" id="user-list">
                                {list.into_iter().map(|user| view! { <UserRow user revoke disable /> }).collect_view()}
                            </ul>
                            <h2>{t!(i18n, grant_heading)}</h2>
                            <ActionForm action=grant>
                                <Labelled id="field-user" label=t!(i18n, field_user)>
                                    <select id="field-user" name="user_id">
                                        {options
                                            .into_iter()
                                            .map(|u| view! { <option value=u.id>{format!("{} · {}", u.display_name, u.phone)}</option> })
                                            .collect_view()}
                                    </select>
                                </Labelled>
                                <RoleAndScope answer=grant_value>{t!(i18n, grant_submit)}</RoleAndScope>
                            </ActionForm>
                            <super::admin_council::CouncilRoleForm users=council_users grant />
                        }
                            .into_any()
                    }
                    Err(error) => denied(i18n, error),
                }
            })}
        </Suspense>
        <h2>{t!(i18n, invite_heading)}</h2>
        <ActionForm action=invite attr:id="invite-form">
            <PhoneField answer=invite_value />
            <NameField answer=invite_value />
            <RoleAndScope answer=invite_value>{t!(i18n, invite_submit)}</RoleAndScope>
        </ActionForm>
        {move || match invite_value.get() {
            Some(Ok(invitation)) => match invitation.link {
                Some(link) => view! {
                    <p class="form-done" role="status">
                        {t!(i18n, invite_done)} <br />
                        <code class="link" id="invitation-link">{link}</code>
                    </p>
                }
                    .into_any(),
                None => view! {
                    <p class="form-done" role="status" id="role-offered">
                        {t!(i18n, invite_offered)}
                    </p>
                }
                    .into_any(),
            },
            _ => ().into_any(),
        }}
    }
}

/// What a page shows when the server refuses it.
pub(crate) fn denied(i18n: leptos_i18n::I18nContext<Locale>, error: AppError) -> AnyView {
    match error {
        AppError::NotSignedIn => view! { <p role="alert">{t!(i18n, need_log_in)}</p> }.into_any(),
        AppError::Forbidden => view! { <p role="alert">{t!(i18n, not_allowed)}</p> }.into_any(),
        other => view! { <p role="alert">{other.to_string()}</p> }.into_any(),
    }
}

#[component]
fn UserRow(
    user: UserListItem,
    revoke: ServerAction<RevokeRole>,
    disable: ServerAction<SetUserDisabled>,
) -> impl IntoView {
    let i18n = use_i18n();
    let status = move || {
        if user.disabled {
            t_string!(i18n, user_disabled)
        } else if user.active {
            t_string!(i18n, user_active)
        } else {
            t_string!(i18n, user_invited)
        }
    };
    let toggle_to = (!user.disabled).to_string();
    view! {
        <li class="user-row">
            <div>
                <strong>{user.display_name.clone()}</strong>
                " "
                <span class="muted">{user.phone.clone()}</span>
                " · "
                <span>{status}</span>
            </div>
            <ul class="grants">
                {user
                    .grants
                    .into_iter()
                    .map(|(grant_id, grant, place)| {
                        let role = grant.role;
                        let scope = place;
                        view! {
                            <li>
                                <span>{move || role_name(i18n, role)}</span>
                                {(!scope.is_empty()).then(|| format!(" · {scope}"))}
                                <ActionForm action=revoke attr:class="inline">
                                    <input type="hidden" name="grant_id" value=grant_id />
                                    <button type="submit" class="small">{t!(i18n, revoke)}</button>
                                </ActionForm>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <ActionForm action=disable attr:class="inline">
                <input type="hidden" name="user_id" value=user.id.clone() />
                <input type="hidden" name="disabled" value=toggle_to />
                <button type="submit" class="small">
                    {move || if user.disabled { t_string!(i18n, enable) } else { t_string!(i18n, disable) }}
                </button>
            </ActionForm>
        </li>
    }
}
