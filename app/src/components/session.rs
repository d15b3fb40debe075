//! Who is signed in, shared by the header and the pages; refreshed after a login or logout.
use crate::api::account::current_user;
use crate::auth::{Principal, Role};
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

#[derive(Clone, Copy)]
pub struct SessionState {
    pub user: Resource<Result<Option<Principal>, AppError>>,
    version: RwSignal<u32>,
}

impl SessionState {
    /// Asks the server again (after signing in or out).
    pub fn refresh(&self) {
        self.version.update(|v| *v += 1);
    }

    /// A number that changes at every sign-in or sign-out, for resources to follow.
    pub fn version(&self) -> u32 {
        self.version.get()
    }
}

pub fn provide_session() {
    let version = RwSignal::new(0_u32);
    let user = Resource::new(move || version.get(), |_| current_user());
    provide_context(SessionState { user, version });
}

pub fn use_session() -> SessionState {
    expect_context::<SessionState>()
}

/// What `show` makes of who is signed in (`None`: nobody, or the server did not
/// say), once the server has said; nothing while it is asked.
pub fn on_user<Fut>(
    show: impl Fn(Option<Principal>) -> Fut + Copy + Send + Sync + 'static,
) -> impl IntoView
where
    Fut: std::future::Future<Output = AnyView> + Send + 'static,
{
    let session = use_session();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move { show(session.user.await.ok().flatten()).await })}
        </Transition>
    }
}

/// The header's link: "Đăng nhập", or the signed-in user's name.
#[component]
pub fn AccountLink() -> impl IntoView {
    let i18n = use_i18n();
    on_user(move |user| async move {
        match user {
            Some(user) => view! {
                <A href="/tai-khoan" attr:class="account-link" attr:id="account-link">
                    {user.display_name}
                </A>
            }
            .into_any(),
            None => view! {
                <A href="/dang-nhap" attr:class="account-link" attr:id="account-link">
                    {t!(i18n, nav_log_in)}
                </A>
            }
            .into_any(),
        }
    })
}

/// A role's name in the page's language.
pub fn role_name(i18n: leptos_i18n::I18nContext<Locale>, role: Role) -> &'static str {
    match role {
        Role::Producer => t_string!(i18n, role_name_producer),
        Role::CommuneOfficer => t_string!(i18n, role_name_commune_officer),
        Role::OfficeStaff => t_string!(i18n, role_name_office_staff),
        Role::MinistryStaff => t_string!(i18n, role_name_ministry_staff),
        Role::CouncilMember => t_string!(i18n, role_name_council_member),
        Role::CouncilChair => t_string!(i18n, role_name_council_chair),
        Role::Admin => t_string!(i18n, role_name_admin),
        Role::SuperAdmin => t_string!(i18n, role_name_super_admin),
    }
}
