//! Sign-up on a proven number (the code step), and taking a role offered by SMS.
use super::account::{link_code, on_success, LinkForm};
use crate::api::sign_up::{AcceptRole, ConfirmSignUp, SignUp};
use crate::components::fields::{DoneNote, NameField, PasswordField, PhoneField, SubmitLine};
use crate::components::form::{field_error, Field};
use crate::components::narrow_page::NarrowPage;
use crate::components::session::use_session;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

#[component]
pub fn SignUpPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SignUp>::new();
    let value = action.value();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(phone)) = value.get() {
            let query = phone.replace('+', "%2B");
            navigate(&format!("/dang-ky/ma?so={query}"), Default::default());
        }
    });
    view! {
        <NarrowPage heading=t!(i18n, sign_up_heading) intro=t!(i18n, sign_up_intro)>
            <ActionForm action=action attr:id="sign-up-form">
                <PhoneField answer=value autocomplete="tel" hint=true />
                <NameField answer=value autocomplete="name" />
                <PasswordField
                    answer=value
                    name="password"
                    label=move || t_string!(i18n, field_password).to_string()
                    new=true
                />
                <SubmitLine
                    action=action
                    id="sign-up-submit"
                    label=move || t_string!(i18n, sign_up_submit).to_string()
                />
            </ActionForm>
            <p>
                {t!(i18n, have_account)} " " <A href="/dang-nhap">{t!(i18n, nav_log_in)}</A>
            </p>
        </NarrowPage>
    }
}

/// The second step: the six digits sent to the number.
#[component]
pub fn ConfirmSignUpPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ConfirmSignUp>::new();
    let value = action.value();
    on_success(value, "/");
    let phone = crate::components::route::query_value("so");
    view! {
        <NarrowPage heading=t!(i18n, sign_up_code_heading) intro=t!(i18n, sign_up_code_intro)>
            <ActionForm action=action attr:id="sign-up-code-form">
                <input type="hidden" name="phone" value=move || phone.get() />
                <Field
                    name="code"
                    autocomplete="one-time-code"
                    inputmode="numeric"
                    label=move || t_string!(i18n, field_code).to_string()
                    server_error=field_error(value, "code")
                />
                <SubmitLine
                    action=action
                    id="sign-up-code-submit"
                    label=move || t_string!(i18n, sign_up_code_submit).to_string()
                />
            </ActionForm>
            <p>
                <A href="/dang-ky">{t!(i18n, sign_up_code_again)}</A>
            </p>
        </NarrowPage>
    }
}

/// A role offered by SMS: the signed-in holder of the number takes it.
#[component]
pub fn AcceptRolePage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<AcceptRole>::new();
    let value = action.value();
    let session = use_session();
    Effect::new(move |_| {
        if matches!(value.get(), Some(Ok(_))) {
            session.refresh();
        }
    });
    let code = link_code();
    view! {
        <NarrowPage heading=t!(i18n, accept_role_heading) intro=t!(i18n, accept_role_intro)>
            <LinkForm code=code>
                <ActionForm action=action attr:id="accept-role-form">
                    <input type="hidden" name="token" value=move || code.get() />
                    <SubmitLine
                        action=action
                        id="accept-role-submit"
                        label=move || t_string!(i18n, accept_role_submit).to_string()
                    />
                </ActionForm>
            </LinkForm>
            <DoneNote answer=value>
                {t!(i18n, accept_role_done)} " " <A href="/tai-khoan">{t!(i18n, nav_account)}</A>
            </DoneNote>
        </NarrowPage>
    }
}
