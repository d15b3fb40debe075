//! The commune officer's pages: `/xa` (the queue with working-day deadlines) and
//! `/xa/ho-so/{id}` (checklist, the four contents of Mẫu 03, return or forward).
use crate::api::commune::{
    commune_queue, commune_review, CommuneAssess, CommuneForward, CommuneReceive,
    CommuneRequestSupplement,
};
use crate::api::producer::get_dossier;
use crate::components::errors::{lang, term_text};
use crate::components::form::{failure, first_failure, FormAlert};
use crate::components::labelled::Labelled;
use crate::components::loading::Loading;
use crate::domain::commune_review::{
    required_checklist, CommuneAssessment, ContentAssessment, CONTENTS,
};
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

/// `/xa`: dossiers waiting in the officer's communes, oldest first.
#[component]
pub fn CommuneQueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let receive = ServerAction::<CommuneReceive>::new();
    let queue = Resource::new(move || receive.version().get(), |_| commune_queue());
    view! {
        <h1>{t!(i18n, commune_heading)}</h1>
        <p><A href="/xa/so-theo-doi" attr:class="button secondary" attr:id="register-link">{t!(i18n, register_link)}</A></p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match queue.await {
                    Ok(items) if items.is_empty() => view! { <p>{t!(i18n, commune_empty)}</p> }.into_any(),
                    Ok(items) => view! {
                        <ul class="card-list" id="commune-queue">
                            {items.into_iter().map(|item| {
                                let late = item.days_left < 0;
                                let submitted = item.state == "submitted";
                                let id = item.product_id.clone();
                                view! {
                                    <li class:late=late data-product=item.product_id.clone() data-state=item.state.clone()>
                                        <A href=format!("/xa/ho-so/{}", item.product_id)>{item.product_name}</A>
                                        <small>{format!(" · {} · {}", item.subject_name, t_string!(i18n, commune_code_short, code = item.commune_code))}</small>
                                        <p class="deadline">
                                            {t_string!(i18n, queue_received_due, received = item.received_on.clone(), due = item.deadline.clone()).to_string()}" · "
                                            <strong>{if late {
                                                t_string!(i18n, queue_overdue, days = -item.days_left).to_string()
                                            } else {
                                                t_string!(i18n, queue_days_left, days = item.days_left).to_string()
                                            }}</strong>
                                        </p>
                                        {submitted.then(|| view! {
                                            <ActionForm action=receive attr:class="inline">
                                                <input type="hidden" name="product_id" value=id.clone() />
                                                <button type="submit" class="small">{t!(i18n, commune_receive)}</button>
                                            </ActionForm>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(AppError::NotSignedIn) => view! { <p role="alert">{t!(i18n, need_log_in)}</p> }.into_any(),
                    Err(AppError::Forbidden) => view! { <p role="alert">{t!(i18n, not_allowed)}</p> }.into_any(),
                    Err(error) => crate::components::errors::error_alert(i18n, &error),
                }
            })}
        </Suspense>
        <super::plan::PlanProgressPanel />
    }
}

/// `/xa/ho-so/{id}`: the officer's review of one dossier.
#[component]
pub fn CommuneReviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let product_id = crate::components::route::path_id();
    let assess = ServerAction::<CommuneAssess>::new();
    let supplement = ServerAction::<CommuneRequestSupplement>::new();
    let forward = ServerAction::<CommuneForward>::new();
    let dossier = Resource::new(
        move || {
            (
                product_id.get(),
                supplement.version().get(),
                forward.version().get(),
            )
        },
        |(id, _, _)| async move {
            Ok::<_, AppError>((get_dossier(id.clone()).await?, commune_review(id).await?))
        },
    );
    let ticked = RwSignal::new(Vec::<String>::new());
    let agrees = RwSignal::new([true; 4]);
    let options = RwSignal::new([None::<u16>; 4]);
    let comments = RwSignal::new([const { String::new() }; 4]);
    let samples = RwSignal::new(5_u32);
    let saved_once = Signal::derive(move || matches!(assess.value().get(), Some(Ok(()))));
    let outcome = first_failure(move || {
        [
            failure(assess.value()),
            failure(supplement.value()),
            failure(forward.value()),
        ]
    });
    view! {
        <p><A href="/xa" attr:id="back-to-queue">{t!(i18n, commune_heading)}</A></p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let (dossier, review) = match dossier.await {
                    Ok(loaded) => loaded,
                    Err(error) => return crate::components::errors::error_alert(i18n, &error),
                };
                // Start from what was saved for this version.
                samples.set(review.samples_due);
                if let Some(saved) = &review.saved {
                    ticked.set(saved.checklist.clone());
                    samples.set(saved.samples_received);
                    for (i, (code, _)) in CONTENTS.iter().enumerate() {
                        if let Some(content) = saved.contents.iter().find(|c| c.content == *code) {
                            agrees.update(|a| a[i] = content.agrees);
                            options.update(|o| o[i] = content.option);
                            comments.update(|c| c[i] = content.comment.clone());
                        }
                    }
                }
                let has_report = review.saved.is_some();
                let report_path = review.report_path.clone();
                let choices = review.contents.clone();
                let product = dossier.product.clone();
                let id = product.id.clone();
                let forward_id = product.id.clone();
                let supplement_id = product.id.clone();
                let kind = product.kind;
                let save = move |_| {
                    let assessment = CommuneAssessment {
                        checklist: ticked.get_untracked(),
                        contents: CONTENTS
                            .iter()
                            .enumerate()
                            .map(|(i, (code, _))| ContentAssessment {
                                content: code.to_string(),
                                agrees: agrees.get_untracked()[i],
                                option: options.get_untracked()[i],
                                comment: comments.get_untracked()[i].clone(),
                            })
                            .collect(),
                        samples_received: samples.get_untracked(),
                    };
                    assess.dispatch(CommuneAssess { product_id: id.clone(), assessment });
                };
                view! {
                    <h1>{product.name.clone()}</h1>
                    <p class="muted">{format!("{} · {} · {} · {}", dossier.subject_name, t_string!(i18n, product_set_short, number = product.product_set), product.kind.label(lang(i18n)), product.state.label(lang(i18n)))}</p>
                    <h2>{t!(i18n, checklist_heading)}</h2>
                    <fieldset class="checks" id="checklist">
                        {required_checklist(kind, review.samples_due).map(|code| {
                            let label = term_text(i18n, "checklist", code);
                            let code = code.to_string();
                            view! {
                                <label class="choice">
                                    <input type="checkbox" value=code.clone()
                                        prop:checked={ let code = code.clone(); move || ticked.with(|t| t.contains(&code)) }
                                        on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        let code = code.clone();
                                        ticked.update(|t| { t.retain(|c| *c != code); if on { t.push(code); } });
                                    } />
                                    " "{label}
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                    <h2>{t!(i18n, contents_heading)}</h2>
                    {CONTENTS.iter().enumerate().map(|(i, (code, criterion))| {
                        let label = term_text(i18n, "content", code);
                        let option_list = choices.iter().find(|c| c.content == *code).map(|c| c.options.clone()).unwrap_or_default();
                        let select_id = format!("option-{code}");
                        view! {
                        <fieldset class="checks">
                            <legend>{t_string!(i18n, content_legend, label = label.clone(), criterion = *criterion).to_string()}</legend>
                            <label class="choice">
                                <input type="checkbox" prop:checked=move || agrees.get()[i]
                                    on:change=move |ev| agrees.update(|a| a[i] = event_target_checked(&ev)) />
                                " "{t!(i18n, commune_agrees)}
                            </label>
                            <label for=select_id.clone()>{t!(i18n, commune_option)}" "{*criterion}</label>
                            <select id=select_id
                                prop:value=move || options.get()[i].map(|o| o.to_string()).unwrap_or_default()
                                on:change=move |ev| options.update(|o| o[i] = event_target_value(&ev).parse().ok())>
                                <option value="">{t!(i18n, commune_option_none)}</option>
                                {option_list.into_iter().map(|(index, text, points)| view! {
                                    <option value=index.to_string()>{format!("{text} ({})", t_string!(i18n, points, points = points))}</option>
                                }).collect_view()}
                            </select>
                            <textarea rows="2" prop:value=move || comments.get()[i].clone()
                                on:input=move |ev| comments.update(|c| c[i] = event_target_value(&ev))></textarea>
                        </fieldset>
                    }}).collect_view()}
                    {(review.samples_due > 0).then(|| view! {
                        <Labelled id="samples" label=t!(i18n, samples_received)>
                            <input id="samples" type="number" min="0" inputmode="numeric" prop:value=move || samples.get().to_string()
                                on:input=move |ev| samples.set(event_target_value(&ev).parse().unwrap_or(0)) />
                        </Labelled>
                    })}
                    <p class="actions">
                        <button type="button" class="button" id="commune-save" on:click=save>{t!(i18n, save)}</button>
                    </p>
                    <Show when=move || saved_once.get()>
                        <p role="status" id="commune-saved">{t!(i18n, commune_saved)}</p>
                    </Show>
                    <Show when=move || has_report || saved_once.get()>
                        <p><a href=report_path.clone() id="commune-report" target="_blank" rel="noopener">{t!(i18n, commune_report)}</a></p>
                    </Show>
                    <ActionForm action=forward>
                        <input type="hidden" name="product_id" value=forward_id />
                        <button type="submit" class="button secondary" id="commune-forward">{t!(i18n, commune_forward)}</button>
                    </ActionForm>
                    <h2>{t!(i18n, supplement_heading)}</h2>
                    <ActionForm action=supplement>
                        <input type="hidden" name="product_id" value=supplement_id />
                        <Labelled id="note" label=t!(i18n, supplement_note)>
                            <textarea id="note" name="note" rows="3"></textarea>
                        </Labelled>
                        <Labelled id="deadline" label=t!(i18n, supplement_deadline)>
                            <input id="deadline" name="deadline" type="date" />
                        </Labelled>
                        <button type="submit" class="button secondary">{t!(i18n, supplement_submit)}</button>
                    </ActionForm>
                }.into_any()
            })}
        </Suspense>
        <FormAlert message=outcome />
    }
}
