//! Sign up, log in, forgotten password, reset and invitation links, my account.
//! Phone-first (360 px); every form also works before the WASM arrives.
use crate::api::account::{
    account_overview, AcceptInvitation, ChangePassword, LogIn, LogOut, LogOutEverywhere,
    RequestPasswordReset, ResetPassword,
};
use crate::components::fields::{DoneNote, PasswordField, PhoneField, SubmitLine};
use crate::components::form::{ActionValue, FormAlert};
use crate::components::loading::Loading;
use crate::components::narrow_page::NarrowPage;
use crate::components::session::{role_name, use_session};
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

/// After a successful sign-in action: refresh who is signed in and go to `to`.
pub(crate) fn on_success<T: Clone + Send + Sync + 'static>(
    value: ActionValue<T>,
    to: &'static str,
) {
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
pub fn LogInPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<LogIn>::new();
    let value = action.value();
    on_success(value, "/");
    view! {
        <NarrowPage heading=t!(i18n, log_in_heading)>
            <ActionForm action=action attr:id="log-in-form">
                <PhoneField answer=value autocomplete="username" />
                <PasswordField
                    answer=value
                    name="password"
                    label=move || t_string!(i18n, field_password).to_string()
                />
                <SubmitLine
                    action=action
                    id="log-in-submit"
                    label=move || t_string!(i18n, log_in_submit).to_string()
                />
            </ActionForm>
            <p>
                <A href="/quen-mat-khau">{t!(i18n, forgot_link)}</A>
            </p>
            <p>
                {t!(i18n, no_account)} " " <A href="/dang-ky">{t!(i18n, sign_up_link)}</A>
            </p>
        </NarrowPage>
    }
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<RequestPasswordReset>::new();
    let value = action.value();
    view! {
        <NarrowPage heading=t!(i18n, forgot_heading) intro=t!(i18n, forgot_intro)>
            <ActionForm action=action>
                <PhoneField answer=value autocomplete="tel" />
                <SubmitLine
                    action=action
                    id="forgot-submit"
                    label=move || t_string!(i18n, forgot_submit).to_string()
                />
            </ActionForm>
            <DoneNote answer=value>{t!(i18n, forgot_sent)}</DoneNote>
        </NarrowPage>
    }
}

/// The code in `?ma=` of a link sent by SMS.
pub(crate) fn link_code() -> Memo<String> {
    crate::components::route::query_value("ma")
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ResetPassword>::new();
    let value = action.value();
    on_success(value, "/");
    let code = link_code();
    view! {
        <NarrowPage heading=t!(i18n, reset_heading)>
            <LinkForm code=code>
                <ActionForm action=action>
                    <LinkPassword
                        code=code
                        action=action
                        label=move || t_string!(i18n, field_new_password).to_string()
                        id="reset-submit"
                        submit=move || t_string!(i18n, reset_submit).to_string()
                    />
                </ActionForm>
            </LinkForm>
        </NarrowPage>
    }
}

#[component]
pub fn AcceptInvitationPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<AcceptInvitation>::new();
    let value = action.value();
    on_success(value, "/");
    let code = link_code();
    view! {
        <NarrowPage heading=t!(i18n, invitation_heading) intro=t!(i18n, invitation_intro)>
            <LinkForm code=code>
                <ActionForm action=action>
                    <LinkPassword
                        code=code
                        action=action
                        label=move || t_string!(i18n, field_password).to_string()
                        id="invitation-submit"
                        submit=move || t_string!(i18n, invitation_submit).to_string()
                    />
                </ActionForm>
            </LinkForm>
        </NarrowPage>
    }
}

/// The fields of a form reached by a link: its code, a new password, the button.
#[component]
fn LinkPassword<S>(
    code: Memo<String>,
    action: ServerAction<S>,
    #[prop(into)] label: Signal<String>,
    id: &'static str,
    #[prop(into)] submit: Signal<String>,
) -> impl IntoView
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    view! {
        <input type="hidden" name="token" value=move || code.get() />
        <PasswordField answer=action.value() name="password" label=label new=true />
        <SubmitLine action=action id=id label=submit />
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
    let overview = Resource::new(
        move || (session.version(), change.version().get()),
        |_| account_overview(),
    );
    let change_value = change.value();
    view! {
        <NarrowPage heading=t!(i18n, account_heading)>
            <Suspense fallback=Loading>
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
                                <LogOutPanel user_id=user.user_id.clone() log_out=log_out everywhere=everywhere />
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
                        Err(error) => crate::components::errors::error_alert(i18n, &error),
                    }
                })}
            </Suspense>
            <h2>{t!(i18n, change_password_heading)}</h2>
            <ActionForm action=change>
                <PasswordField
                    answer=change_value
                    name="current_password"
                    label=move || t_string!(i18n, field_current_password).to_string()
                />
                <PasswordField
                    answer=change_value
                    name="new_password"
                    label=move || t_string!(i18n, field_new_password).to_string()
                    new=true
                />
                <SubmitLine
                    action=change
                    id="change-password-submit"
                    label=move || t_string!(i18n, change_password_submit).to_string()
                />
            </ActionForm>
            <DoneNote answer=change_value>{t!(i18n, password_changed)}</DoneNote>
        </NarrowPage>
    }
}

/// Log-out and log-out everywhere, clearing this device of the user after the
/// server ended the session; refused while council changes wait unless the member
/// keeps them on the device for their next sign-in.
#[component]
fn LogOutPanel(
    user_id: String,
    log_out: ServerAction<LogOut>,
    everywhere: ServerAction<LogOutEverywhere>,
) -> impl IntoView {
    use crate::components::device;
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let keep = RwSignal::new(false);
    let waiting = RwSignal::new(0_usize);
    let blocked = RwSignal::new(false);
    Effect::new(move |_| waiting.set(device::waiting_changes()));
    let user = StoredValue::new(user_id);
    let done = move || {
        matches!(log_out.value().get(), Some(Ok(())))
            || matches!(everywhere.value().get(), Some(Ok(())))
    };
    Effect::new(move |_| {
        if done() {
            user.with_value(|id| device::clear_at_log_out(id, keep.get_untracked()));
            session.refresh();
            navigate("/", Default::default());
        }
    });
    let may_leave = move || {
        let allowed = waiting.get_untracked() == 0 || keep.get_untracked();
        blocked.set(!allowed);
        allowed
    };
    let error = Signal::derive(move || {
        log_out
            .value()
            .get()
            .or_else(|| everywhere.value().get())
            .and_then(|outcome| outcome.err())
            .map(|error| crate::components::errors::error_text(i18n, &error))
    });
    view! {
        <div class="log-out" id="log-out-panel">
            <Show when=move || { waiting.get() > 0 }>
                <p class="form-alert" role="alert" id="log-out-waiting" hidden=move || !blocked.get()>
                    {t!(i18n, log_out_waiting, count = move || waiting.get())}
                </p>
                <label class="check">
                    <input type="checkbox" id="log-out-keep" on:change=move |ev| keep.set(event_target_checked(&ev)) />
                    {t!(i18n, log_out_keep)}
                </label>
            </Show>
            <FormAlert message=error />
            <div class="actions">
                <button
                    type="button"
                    class="button"
                    id="log-out"
                    on:click=move |_| {
                        if may_leave() {
                            log_out.dispatch(LogOut {});
                        }
                    }
                >
                    {t!(i18n, log_out)}
                </button>
                <button
                    type="button"
                    class="button secondary"
                    id="log-out-everywhere"
                    on:click=move |_| {
                        if may_leave() {
                            everywhere.dispatch(LogOutEverywhere {});
                        }
                    }
                >
                    {t!(i18n, log_out_everywhere)}
                </button>
            </div>
        </div>
    }
}
