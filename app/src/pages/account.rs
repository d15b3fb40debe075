//! Sign up, log in, forgotten password, reset and invitation links, my account.
//! Phone-first (360 px); every form also works before the WASM arrives.
use crate::api::account::{
    account_overview, AcceptInvitation, ChangePassword, LogIn, LogOut, LogOutEverywhere,
    RequestPasswordReset, ResetPassword,
};
use crate::components::form::{
    check_new_password, check_phone, field_error, form_error, ActionValue, Field,
    FormAlert,
};
use crate::components::session::{role_name, use_session};
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

/// After a successful sign-in action: refresh who is signed in and go to `to`.
pub(crate) fn on_success<T: Clone + Send + Sync + 'static>(value: ActionValue<T>, to: &'static str) {
    let session = use_session();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if matches!(value.get(), Some(Ok(_))) {
            session.refresh();
            navigate(to, Default::default());
        }
    });
}

#[component]
pub(crate) fn SubmitButton(
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] label: Signal<String>,
    id: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button type="submit" class="button" id=id disabled=move || pending.get()>
            {move || if pending.get() { t_string!(i18n, working).to_string() } else { label.get() }}
        </button>
    }
}

#[component]
pub fn LogInPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<LogIn>::new();
    let value = action.value();
    on_success(value, "/tai-khoan");
    view! {
        <section class="narrow">
            <h1>{t!(i18n, log_in_heading)}</h1>
            <ActionForm action=action attr:id="log-in-form">
                <Field
                    name="phone"
                    kind="tel"
                    autocomplete="username"
                    inputmode="tel"
                    label=move || t_string!(i18n, field_phone).to_string()
                    server_error=field_error(value, "phone")
                    check=check_phone
                />
                <Field
                    name="password"
                    kind="password"
                    autocomplete="current-password"
                    label=move || t_string!(i18n, field_password).to_string()
                    server_error=field_error(value, "password")
                />
                <FormAlert message=form_error(value) />
                <SubmitButton
                    id="log-in-submit"
                    pending=action.pending()
                    label=move || t_string!(i18n, log_in_submit).to_string()
                />
            </ActionForm>
            <p>
                <A href="/quen-mat-khau">{t!(i18n, forgot_link)}</A>
            </p>
            <p>
                {t!(i18n, no_account)} " " <A href="/dang-ky">{t!(i18n, sign_up_link)}</A>
            </p>
        </section>
    }
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<RequestPasswordReset>::new();
    let value = action.value();
    let sent = move || matches!(value.get(), Some(Ok(())));
    view! {
        <section class="narrow">
            <h1>{t!(i18n, forgot_heading)}</h1>
            <p class="muted">{t!(i18n, forgot_intro)}</p>
            <ActionForm action=action>
                <Field
                    name="phone"
                    kind="tel"
                    autocomplete="tel"
                    inputmode="tel"
                    label=move || t_string!(i18n, field_phone).to_string()
                    server_error=field_error(value, "phone")
                    check=check_phone
                />
                <FormAlert message=form_error(value) />
                <SubmitButton
                    id="forgot-submit"
                    pending=action.pending()
                    label=move || t_string!(i18n, forgot_submit).to_string()
                />
            </ActionForm>
            <p class="form-done" role="status" hidden=move || !sent()>
                {t!(i18n, forgot_sent)}
            </p>
        </section>
    }
}

/// The code in `?ma=` of a link sent by SMS.
pub(crate) fn link_code() -> Memo<String> {
    let query = use_query_map();
    Memo::new(move |_| query.with(|q| q.get("ma").unwrap_or_default()))
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ResetPassword>::new();
    let value = action.value();
    on_success(value, "/tai-khoan");
    let code = link_code();
    view! {
        <section class="narrow">
            <h1>{t!(i18n, reset_heading)}</h1>
            <LinkForm code=code>
                <ActionForm action=action>
                    <input type="hidden" name="token" value=move || code.get() />
                    <Field
                        name="password"
                        kind="password"
                        autocomplete="new-password"
                        label=move || t_string!(i18n, field_new_password).to_string()
                        hint=Signal::derive(move || t_string!(i18n, field_password_hint).to_string())
                        server_error=field_error(value, "password")
                        check=check_new_password
                    />
                    <FormAlert message=form_error(value) />
                    <SubmitButton
                        id="reset-submit"
                        pending=action.pending()
                        label=move || t_string!(i18n, reset_submit).to_string()
                    />
                </ActionForm>
            </LinkForm>
        </section>
    }
}

#[component]
pub fn AcceptInvitationPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<AcceptInvitation>::new();
    let value = action.value();
    on_success(value, "/tai-khoan");
    let code = link_code();
    view! {
        <section class="narrow">
            <h1>{t!(i18n, invitation_heading)}</h1>
            <p class="muted">{t!(i18n, invitation_intro)}</p>
            <LinkForm code=code>
                <ActionForm action=action>
                    <input type="hidden" name="token" value=move || code.get() />
                    <Field
                        name="password"
                        kind="password"
                        autocomplete="new-password"
                        label=move || t_string!(i18n, field_password).to_string()
                        hint=Signal::derive(move || t_string!(i18n, field_password_hint).to_string())
                        server_error=field_error(value, "password")
                        check=check_new_password
                    />
                    <FormAlert message=form_error(value) />
                    <SubmitButton
                        id="invitation-submit"
                        pending=action.pending()
                        label=move || t_string!(i18n, invitation_submit).to_string()
                    />
                </ActionForm>
            </LinkForm>
        </section>
    }
}

/// Shows the form only when the link carries a code.
#[component]
pub(crate) fn LinkForm(code: Memo<String>, children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Show
            when=move || !code.get().is_empty()
            fallback=move || view! { <p role="alert">{t!(i18n, link_missing)}</p> }
        >
            {children()}
        </Show>
    }
}

#[component]
pub fn MyAccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let change = ServerAction::<ChangePassword>::new();
    let log_out = ServerAction::<LogOut>::new();
    let everywhere = ServerAction::<LogOutEverywhere>::new();
    on_success(log_out.value(), "/");
    on_success(everywhere.value(), "/");
    let overview = Resource::new(
        move || (session.version(), change.version().get()),
        |_| account_overview(),
    );
    let change_value = change.value();
    view! {
        <section class="narrow">
            <h1>{t!(i18n, account_heading)}</h1>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(account) => {
                            let user = account.principal;
                            let count = account.live_sessions;
                            view! {
                                <dl class="facts" id="account-facts">
                                    <dt>{t!(i18n, field_display_name)}</dt>
                                    <dd id="account-name">{user.display_name.clone()}</dd>
                                    <dt>{t!(i18n, account_phone)}</dt>
                                    <dd id="account-phone">{user.phone.clone()}</dd>
                                    <dt>{t!(i18n, account_roles)}</dt>
                                    <dd>
                                        {user
                                            .grants
                                            .iter()
                                            .map(|grant| {
                                                let role = grant.role;
                                                let scope = grant.scope.code();
                                                view! {
                                                    <span class="role-chip">
                                                        {move || role_name(i18n, role)}
                                                        {(!scope.is_empty()).then(|| format!(" · {scope}"))}
                                                    </span>
                                                }
                                            })
                                            .collect_view()}
                                    </dd>
                                    <dt>{t!(i18n, account_id)}</dt>
                                    <dd id="account-id" class="code">{user.user_id.clone()}</dd>
                                </dl>
                                <h2>{t!(i18n, sessions_heading)}</h2>
                                <p id="session-count">{t!(i18n, sessions_count, count)}</p>
                            }
                                .into_any()
                        }
                        Err(AppError::NotSignedIn) => {
                            view! {
                                <p role="alert">{t!(i18n, need_log_in)}</p>
                                <p>
                                    <A href="/dang-nhap" attr:class="button">{t!(i18n, nav_log_in)}</A>
                                </p>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <p role="alert">{error.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
            <div class="actions">
                <ActionForm action=log_out>
                    <button type="submit" class="button" id="log-out">{t!(i18n, log_out)}</button>
                </ActionForm>
                <ActionForm action=everywhere>
                    <button type="submit" class="button secondary" id="log-out-everywhere">
                        {t!(i18n, log_out_everywhere)}
                    </button>
                </ActionForm>
            </div>
            <h2>{t!(i18n, change_password_heading)}</h2>
            <ActionForm action=change>
                <Field
                    name="current_password"
                    kind="password"
                    autocomplete="current-password"
                    label=move || t_string!(i18n, field_current_password).to_string()
                    server_error=field_error(change_value, "current_password")
                />
                <Field
                    name="new_password"
                    kind="password"
                    autocomplete="new-password"
                    label=move || t_string!(i18n, field_new_password).to_string()
                    hint=Signal::derive(move || t_string!(i18n, field_password_hint).to_string())
                    server_error=field_error(change_value, "new_password")
                    check=check_new_password
                />
                <FormAlert message=form_error(change_value) />
                <SubmitButton
                    id="change-password-submit"
                    pending=change.pending()
                    label=move || t_string!(i18n, change_password_submit).to_string()
                />
            </ActionForm>
            <p class="form-done" role="status" hidden=move || !matches!(change_value.get(), Some(Ok(())))>
                {t!(i18n, password_changed)}
            </p>
        </section>
    }
}
