use crate::components::language_switch::LanguageSwitch;
use crate::components::session::{provide_session, AccountLink};
use crate::i18n::*;
use crate::pages::account::{
    AcceptInvitationPage, ForgotPasswordPage, LogInPage, MyAccountPage, ResetPasswordPage,
};
use crate::pages::certificates::{CertificateFilePage, OfficeCertificatesPage};
use crate::pages::chair::ChairConsolePage;
use crate::pages::commune::{CommuneQueuePage, CommuneReviewPage};
use crate::pages::commune_register::CommuneRegisterPage;
use crate::pages::office::OfficePage;
use crate::pages::office_round::OfficeRoundPage;
use crate::pages::paper::PaperKeyingPage;
use crate::pages::self_report::SelfReportPage;
use crate::pages::sign_up::{AcceptRolePage, ConfirmSignUpPage, SignUpPage};
use crate::pages::tablet::{TabletListPage, TabletSheetPage};
use crate::pages::verify::VerifyPage;
use crate::pages::{
    admin::AdminPage,
    dossier::DossierPage,
    home::HomePage,
    not_found::NotFound,
    producer::{ProducerPage, RegisterProductPage, SubjectPage},
    rules_browser::RulesPage,
    try_it::TryItPage,
};
use crate::pages::{admin_audit::AdminAuditPage, admin_users::AdminUsersPage};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Meta, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes, A},
    lazy_route, path, Lazy, LazyRoute, SsrMode,
};
use leptos_use::UseLocalesOptions;

/// The Content-Security-Policy of a page: scripts only from Sao or carrying this
/// response's nonce, WASM allowed to compile, nothing framed, nothing elsewhere.
#[cfg(feature = "ssr")]
fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; worker-src 'self'; \
         manifest-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let nonce = leptos::nonce::use_nonce();
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(response)) = (&nonce, use_context::<leptos_axum::ResponseOptions>()) {
        if let Ok(value) = content_security_policy(&nonce.to_string()).parse() {
            response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#b45309" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="icon" href="/icons/icon.svg" type="image/svg+xml" />
                <link rel="apple-touch-icon" href="/icons/icon-192.png" />
                <HashedStylesheet options=options.clone() id="leptos" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
                // Registers the service worker; the page works the same without it.
                <script nonce=nonce>
                    {SERVICE_WORKER_REGISTRATION}
                </script>
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        // Vietnamese unless the user chose English (cookie): the browser's language is not asked.
        <I18nContextProvider ssr_lang_header_getter=UseLocalesOptions::default()
            .ssr_lang_header_getter(|| None)>
            <Frame />
        </I18nContextProvider>
    }
}

/// Header, main area and footer shared by every page.
#[component]
fn Frame() -> impl IntoView {
    let i18n = use_i18n();
    // Marks the document once the page is whole in the browser (see components::hydration).
    Effect::new(move |_| crate::components::hydration::shell_hydrated());
    provide_session();
    // On the server the title and description are plain text, read now: the
    // server reads the title again after the page's reactive owner may be gone
    // (leptos_meta's injection), and a reactive read then panicked and dropped
    // the connection (issue 19's request that never answered). In the browser
    // they follow the language switch.
    #[cfg(feature = "ssr")]
    let (title, description): (TextProp, TextProp) = (
        t_string!(i18n, app_name).to_string().into(),
        t_string!(i18n, tagline).to_string().into(),
    );
    #[cfg(not(feature = "ssr"))]
    let (title, description): (TextProp, TextProp) = (
        (move || t_string!(i18n, app_name).to_string()).into(),
        (move || t_string!(i18n, tagline).to_string()).into(),
    );
    view! {
        <Title text=title />
        <Meta name="description" content=description />
        <Router>
            <a class="skip" href="#main">{t!(i18n, skip_to_content)}</a>
            <header class="site-header">
                <A href="/" attr:class="brand">
                    <span class="brand-star" aria-hidden="true">"★"</span>
                    {t!(i18n, app_name)}
                </A>
                <div class="header-tools">
                    <AccountLink />
                    <LanguageSwitch />
                </div>
            </header>
            <main id="main">
                <Routes fallback=NotFound>
                    <Route path=path!("") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("producer") view={Lazy::<ProducerArea>::new()} ssr=SsrMode::Async />
                    <Route path=path!("producer/chu-the") view={Lazy::<ProducerArea>::new()} ssr=SsrMode::Async />
                    <Route path=path!("producer/san-pham") view={Lazy::<ProducerArea>::new()} ssr=SsrMode::Async />
                    <Route path=path!("ho-so/:id") view={Lazy::<ProducerArea>::new()} ssr=SsrMode::Async />
                    <Route path=path!("ho-so/:id/mau-02") view={Lazy::<ProducerArea>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin") view={Lazy::<AdminArea>::new()} ssr=SsrMode::Async />
                    <Route path=path!("xa") view={Lazy::<AdminArea>::new()} ssr=SsrMode::Async />
                    <Route path=path!("van-phong") view={Lazy::<AdminArea>::new()} ssr=SsrMode::Async />
                    <Route path=path!("van-phong/dot/:id") view={Lazy::<AdminArea>::new()} ssr=SsrMode::Async />
                    <Route path=path!("van-phong/giay-chung-nhan") view={Lazy::<AdminArea>::new()} ssr=SsrMode::Async />
                    <Route path=path!("van-phong/giay-chung-nhan/:id") view={Lazy::<AdminArea>::new()} ssr=SsrMode::Async />
                    <Route path=path!("xa/so-theo-doi") view={Lazy::<ProducerArea>::new()} ssr=SsrMode::Async />
                    <Route path=path!("xa/ho-so/:id") view={Lazy::<AdminArea>::new()} ssr=SsrMode::Async />
                    <Route path=path!("hoi-dong/:id") view={Lazy::<AdminArea>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin/nguoi-dung") view={Lazy::<AdminArea>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin/nhat-ky") view={Lazy::<AdminArea>::new()} ssr=SsrMode::Async />
                    <Route path=path!("dang-ky") view={Lazy::<AccountArea>::new()} ssr=SsrMode::Async />
                    <Route path=path!("dang-ky/ma") view={Lazy::<AccountArea>::new()} ssr=SsrMode::Async />
                    <Route path=path!("nhan-vai-tro") view={Lazy::<AccountArea>::new()} ssr=SsrMode::Async />
                    <Route path=path!("dang-nhap") view={Lazy::<AccountArea>::new()} ssr=SsrMode::Async />
                    <Route path=path!("quen-mat-khau") view={Lazy::<AccountArea>::new()} ssr=SsrMode::Async />
                    <Route path=path!("dat-lai-mat-khau") view={Lazy::<AccountArea>::new()} ssr=SsrMode::Async />
                    <Route path=path!("loi-moi") view={Lazy::<AccountArea>::new()} ssr=SsrMode::Async />
                    <Route path=path!("tai-khoan") view={Lazy::<AccountArea>::new()} ssr=SsrMode::Async />
                    <Route path=path!("bo-tieu-chi") view={Lazy::<RulesRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("xac-minh/:code") view={Lazy::<VerifyRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("tu-danh-gia") view={Lazy::<ProducerArea>::new()} ssr=SsrMode::Async />
                    <Route path=path!("cham-diem") view={Lazy::<ProducerArea>::new()} ssr=SsrMode::Async />
                    <Route path=path!("cham-diem/:id") view={Lazy::<ProducerArea>::new()} ssr=SsrMode::Async />
                    <Route path=path!("nhap-phieu/:id") view={Lazy::<ProducerArea>::new()} ssr=SsrMode::Async />
                </Routes>
            </main>
            <footer class="site-footer">
                <p>{t!(i18n, footer)}</p>
            </footer>
        </Router>
    }
}

/// Registers the service worker, then tells it which of the site's files this
/// page loaded (its role's chunks among them) so it keeps them for offline use;
/// again when a new worker takes over. The page works the same without it.
const SERVICE_WORKER_REGISTRATION: &str = "if ('serviceWorker' in navigator) { window.addEventListener('load', function () { \
    var sw = navigator.serviceWorker; sw.register('/sw.js'); \
    var tell = function () { sw.ready.then(function (r) { \
      var files = performance.getEntriesByType('resource').map(function (e) { return new URL(e.name).pathname; }) \
        .filter(function (p) { return p.indexOf('/pkg/') === 0; }); \
      if (r.active && files.length) { r.active.postMessage({ keep: files }); } }); }; \
    tell(); sw.addEventListener('controllerchange', tell); }); }";

/// A route whose WASM loads only when it is visited (`cargo leptos build --split`),
/// keeping the first download small on 3G; `$view` is what it shows.
macro_rules! lazy_chunk {
    ($route:ident, $view:expr) => {
        struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                crate::components::hydration::lazy_route_matched();
                $route
            }

            fn view(_this: Self) -> AnyView {
                Effect::new(|_| crate::components::hydration::route_hydrated());
                $view
            }
        }
    };
}

// Pages load by area, each area one WASM chunk: code two chunks share would move
// into the first download, so the pages that share code share a chunk. Only the
// home page and the header are in the first download.
lazy_chunk!(RulesRoute, view! { <RulesPage /> }.into_any());
// What a certificate's QR code opens: its own small chunk, for a visitor's phone.
lazy_chunk!(VerifyRoute, view! { <VerifyPage /> }.into_any());

/// The pages of each area by path (each area's chunk holds only its own pages).
fn producer_page(path: &str) -> AnyView {
    match path {
        "/producer" => view! { <ProducerPage /> }.into_any(),
        "/producer/chu-the" => view! { <SubjectPage /> }.into_any(),
        "/producer/san-pham" => view! { <RegisterProductPage /> }.into_any(),
        "/tu-danh-gia" => view! { <TryItPage /> }.into_any(),
        "/cham-diem" => view! { <TabletListPage /> }.into_any(),
        // With the producer's pages: it shares their dossier states and name search.
        "/xa/so-theo-doi" => view! { <CommuneRegisterPage /> }.into_any(),
        p if p.starts_with("/cham-diem/") => view! { <TabletSheetPage /> }.into_any(),
        p if p.starts_with("/nhap-phieu/") => view! { <PaperKeyingPage /> }.into_any(),
        p if p.ends_with("/mau-02") => view! { <SelfReportPage /> }.into_any(),
        _ => view! { <DossierPage /> }.into_any(),
    }
}

fn account_page(path: &str) -> AnyView {
    match path {
        "/dang-ky" => view! { <SignUpPage /> }.into_any(),
        "/dang-ky/ma" => view! { <ConfirmSignUpPage /> }.into_any(),
        "/nhan-vai-tro" => view! { <AcceptRolePage /> }.into_any(),
        "/dang-nhap" => view! { <LogInPage /> }.into_any(),
        "/quen-mat-khau" => view! { <ForgotPasswordPage /> }.into_any(),
        "/dat-lai-mat-khau" => view! { <ResetPasswordPage /> }.into_any(),
        "/loi-moi" => view! { <AcceptInvitationPage /> }.into_any(),
        _ => view! { <MyAccountPage /> }.into_any(),
    }
}

fn admin_page(path: &str) -> AnyView {
    match path {
        "/admin/nguoi-dung" => view! { <AdminUsersPage /> }.into_any(),
        "/admin/nhat-ky" => view! { <AdminAuditPage /> }.into_any(),
        "/xa" => view! { <CommuneQueuePage /> }.into_any(),
        "/van-phong" => view! { <OfficePage /> }.into_any(),
        p if p.starts_with("/van-phong/dot/") => view! { <OfficeRoundPage /> }.into_any(),
        "/van-phong/giay-chung-nhan" => view! { <OfficeCertificatesPage /> }.into_any(),
        p if p.starts_with("/van-phong/giay-chung-nhan/") => {
            view! { <CertificateFilePage /> }.into_any()
        }
        p if p.starts_with("/xa/ho-so/") => view! { <CommuneReviewPage /> }.into_any(),
        p if p.starts_with("/hoi-dong/") => view! { <ChairConsolePage /> }.into_any(),
        _ => view! { <AdminPage /> }.into_any(),
    }
}

/// The router's path, for an area's pages (one chunk) to pick the page.
fn area_path() -> String {
    let location = leptos_router::hooks::use_location();
    let path = location.pathname.get_untracked();
    path.trim_end_matches('/').to_string()
}

// The producer's journey, the self-assessment and the council's tablet share the scorecard code.
lazy_chunk!(ProducerArea, producer_page(&area_path()));
// Accounts share the form pieces; officials' pages (admin, commune) are one area.
lazy_chunk!(AccountArea, account_page(&area_path()));
lazy_chunk!(AdminArea, admin_page(&area_path()));
