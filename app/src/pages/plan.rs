//! The plan's targets and their live progress on the office's and the commune's
//! desks (issue 17): one bar per target, drawn as inline SVG (no chart library
//! in the WASM), and the office's form to set a target.
use crate::api::plan::{plan_progress, plan_scopes, PlanBlock, Progress, SetTarget, TargetKind};
use crate::components::form::{error_besides, field_error, FormAlert};
use crate::components::form_card::FormCard;
use crate::components::labelled::Labelled;
use crate::components::loading::Loading;
use crate::i18n::*;
use leptos::prelude::*;

fn kind_label(i18n: leptos_i18n::I18nContext<Locale>, kind: TargetKind) -> &'static str {
    match kind {
        TargetKind::NewThreeStar => t_string!(i18n, plan_new_three_star),
        TargetKind::NewFourStar => t_string!(i18n, plan_new_four_star),
        TargetKind::ValueChainShare => t_string!(i18n, plan_value_chain_share),
        TargetKind::CooperativeShare => t_string!(i18n, plan_cooperative_share),
        TargetKind::SmeShare => t_string!(i18n, plan_sme_share),
        TargetKind::ModernChannelShare => t_string!(i18n, plan_modern_channel_share),
        TargetKind::ShowcasePoints => t_string!(i18n, plan_showcase_points),
    }
}

/// What a line says in numbers: "4 / 10", "3 / 10 chủ thể (30 %) — mục tiêu 30 %".
fn said(i18n: leptos_i18n::I18nContext<Locale>, progress: Progress) -> String {
    match progress {
        Progress::Count { done, target, .. } => {
            t_string!(i18n, plan_count, done = done, target = target).to_string()
        }
        Progress::Share {
            part,
            whole,
            target,
            ..
        } => {
            let percent = u64::from(part) * 100 / u64::from(whole.max(1));
            t_string!(
                i18n,
                plan_share,
                part = part,
                whole = whole,
                percent = percent,
                target = target
            )
            .to_string()
        }
        Progress::NoSubjects { target } => {
            t_string!(i18n, plan_no_subjects, target = target).to_string()
        }
    }
}

fn line(
    i18n: leptos_i18n::I18nContext<Locale>,
    kind: TargetKind,
    progress: Progress,
) -> impl IntoView {
    let width = format!("{}.{}", progress.permille() / 10, progress.permille() % 10);
    let met = progress.met();
    let text = said(i18n, progress);
    view! {
        <li class="plan-line" data-kind=kind.as_str() data-met=met.to_string()>
            <span class="plan-label">{kind_label(i18n, kind)}</span>
            <svg class="plan-bar" viewBox="0 0 100 6" preserveAspectRatio="none" role="img" aria-label=text.clone()>
                <rect class="plan-bar-track" x="0" y="0" width="100" height="6" rx="1" />
                <rect class="plan-bar-done" x="0" y="0" width=width height="6" rx="1" />
            </svg>
            <span class="plan-numbers">
                {text}
                {met.then(|| view! { " ✓ " {t_string!(i18n, plan_met)} })}
            </span>
        </li>
    }
}

/// The report's address for a scope and a period (`2025`, `2025-1`, `2025-2`).
fn report_path(file: &str, scope: &str, period: &str) -> String {
    format!("/bao-cao/{file}?scope={scope}&period={period}")
}

fn block(i18n: leptos_i18n::I18nContext<Locale>, plan: PlanBlock) -> impl IntoView {
    let year = plan.year.to_string();
    let links = plan.reportable.then(|| {
        view! {
            <p class="plan-reports">
                {t!(i18n, plan_report_year)}" "
                <a rel="external" download="" href=report_path("bao-cao.xlsx", &plan.scope, &year)>"XLSX"</a>" · "
                <a rel="external" target="_blank" href=report_path("bao-cao.pdf", &plan.scope, &year)>"PDF"</a>
            </p>
        }
    });
    view! {
        <section class="card plan-block" data-scope=plan.scope.clone()>
            <h3>{t_string!(i18n, plan_block_heading, name = plan.name.clone(), year = plan.year).to_string()}</h3>
            <ul class="plan-lines">
                {plan.lines.into_iter().map(|(kind, progress)| line(i18n, kind, progress)).collect_view()}
            </ul>
            {links}
        </section>
    }
}

/// The plans over the official's area with their progress; `refresh` reloads them.
#[component]
pub fn PlanProgressPanel(#[prop(into, optional)] refresh: Signal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let plans = Resource::new(move || refresh.get(), |_| plan_progress(None));
    view! {
        <section id="plan-progress" aria-labelledby="plan-heading">
            <h2 id="plan-heading">{t!(i18n, plan_heading)}</h2>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match plans.await {
                        Ok(plans) if plans.is_empty() => view! { <p class="muted" id="plan-none">{t!(i18n, plan_none)}</p> }.into_any(),
                        Ok(plans) => plans.into_iter().map(|plan| block(i18n, plan)).collect_view().into_any(),
                        // Signed out or not an official: the page around says so once.
                        Err(crate::error::AppError::NotSignedIn | crate::error::AppError::Forbidden) => ().into_any(),
                        Err(error) => view! { <p role="alert">{crate::components::errors::error_text(i18n, &error)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The office's targets and the form that sets one.
#[component]
pub fn OfficePlan() -> impl IntoView {
    let i18n = use_i18n();
    let set = ServerAction::<SetTarget>::new();
    let value = set.value();
    let refresh = Signal::derive(move || set.version().get());
    let scopes = Resource::new(|| (), |_| plan_scopes());
    let year =
        crate::domain::date::CalendarDate::of_ms_vietnam(crate::pages::office::js_now_ms()).year;
    view! {
        <PlanProgressPanel refresh />
        <super::report_form::ReportForm scopes=Some(scopes) />
        <FormCard id="plan-form" summary=t!(i18n, plan_set_heading)>
            <ActionForm action=set>
                <Labelled id="plan-year" label=t!(i18n, plan_year) message=field_error(value, "year")>
                    <input id="plan-year" name="year" type="number" inputmode="numeric" min="2000" max="2100" value=year.to_string() />
                </Labelled>
                <Labelled id="plan-scope" label=t!(i18n, plan_scope) message=field_error(value, "scope")>
                    <ScopeSelect id="plan-scope" scopes />
                </Labelled>
                <Labelled id="plan-kind" label=t!(i18n, plan_kind) message=field_error(value, "kind")>
                    <select id="plan-kind" name="kind">
                        {TargetKind::ALL.into_iter().map(|kind| view! { <option value=kind.as_str()>{kind_label(i18n, kind)}</option> }).collect_view()}
                    </select>
                </Labelled>
                <Labelled id="plan-value" label=t!(i18n, plan_value) message=field_error(value, "value")>
                    <input id="plan-value" name="value" type="number" inputmode="numeric" min="0" />
                    <small class="hint">{t!(i18n, plan_value_hint)}</small>
                </Labelled>
                <FormAlert message=error_besides(value, &["year", "scope", "kind", "value"]) />
                <button type="submit" class="button" id="plan-submit">{t!(i18n, plan_submit)}</button>
            </ActionForm>
        </FormCard>
    }
}

/// The scopes the office works on, as a select named `scope` (one fetch serves
/// both forms).
#[component]
pub(crate) fn ScopeSelect(
    id: &'static str,
    scopes: Resource<Result<Vec<crate::api::plan::ScopeChoice>, crate::error::AppError>>,
) -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let choices = scopes.await.unwrap_or_default();
                view! {
                    <select id=id name="scope">
                        {choices.into_iter().map(|c| view! { <option value=c.scope>{c.name}</option> }).collect_view()}
                    </select>
                }
            })}
        </Suspense>
    }
}
