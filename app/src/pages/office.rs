//! The province OCOP office's page `/van-phong`: dossiers forwarded by the communes
//! (supplement, reject, assign to a round) and the rounds with their councils.
use super::dossier::Uploader;
use crate::api::office::{
    office_queue, office_rounds, round_view, AddCouncilMember, AssignToRound, ChangeRound,
    CreateRound, DeclareConflict, OfficeReject, OfficeRequestSupplement,
};
use crate::components::form::FormAlert;
use crate::domain::evidence::ADVISORY_SLOTS;
use crate::domain::round::{position_label, POSITIONS};
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn OfficePage() -> impl IntoView {
    let i18n = use_i18n();
    let supplement = ServerAction::<OfficeRequestSupplement>::new();
    let reject = ServerAction::<OfficeReject>::new();
    let assign = ServerAction::<AssignToRound>::new();
    let create = ServerAction::<CreateRound>::new();
    let change = ServerAction::<ChangeRound>::new();
    let versions = move || {
        (
            supplement.version().get(),
            reject.version().get(),
            assign.version().get(),
            create.version().get(),
            change.version().get(),
        )
    };
    let queue = Resource::new(versions, |_| office_queue());
    let rounds = Resource::new(versions, |_| office_rounds());
    let alert = Signal::derive(move || {
        [
            supplement.value().get().and_then(|r| r.err()),
            reject.value().get().and_then(|r| r.err()),
            assign.value().get().and_then(|r| r.err()),
            create.value().get().and_then(|r| r.err()),
            change.value().get().and_then(|r| r.err()),
        ]
        .into_iter()
        .flatten()
        .next()
        .map(|e| e.to_string())
    });
    view! {
        <h1>{t!(i18n, office_heading)}</h1>
        <FormAlert message=alert />
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                let (queue, rounds) = match (queue.await, rounds.await) {
                    (Ok(queue), Ok(rounds)) => (queue, rounds),
                    (Err(error), _) | (_, Err(error)) => {
                        return super::admin_users::denied(i18n, error);
                    }
                };
                let open_rounds: Vec<_> = rounds.iter().filter(|r| r.state.accepts_dossiers()).cloned().collect();
                view! {
                    <h2>{t!(i18n, office_intake)}</h2>
                    {queue.is_empty().then(|| view! { <p class="muted">{t!(i18n, office_intake_empty)}</p> })}
                    <ul class="card-list" id="office-queue">
                        {queue.into_iter().map(|item| {
                            let product = item.product;
                            let (a, b, c) = (product.id.clone(), product.id.clone(), product.id.clone());
                            let rules = item.rejection_rules;
                            let choices = open_rounds.clone();
                            view! {
                                <li data-product=product.id.clone()>
                                    <strong>{product.name.clone()}</strong>
                                    <small>{format!(" · bộ {} · phiên bản {}", product.product_set, product.version)}</small>
                                    " "<a href=item.report_path class="small">{t!(i18n, commune_report)}</a>
                                    <details>
                                        <summary>{t!(i18n, office_assign)}</summary>
                                        <ActionForm action=assign>
                                            <input type="hidden" name="product_id" value=a />
                                            <select name="round_id">
                                                {choices.into_iter().map(|r| view! { <option value=r.id>{r.name}</option> }).collect_view()}
                                            </select>
                                            <button type="submit" class="small assign">{t!(i18n, office_assign)}</button>
                                        </ActionForm>
                                    </details>
                                    <details>
                                        <summary>{t!(i18n, office_advisory)}</summary>
                                        <Uploader product_id=product.id.clone() slots=&ADVISORY_SLOTS id_suffix=format!("-{}", product.id) />
                                    </details>
                                    <details>
                                        <summary>{t!(i18n, supplement_heading)}</summary>
                                        <ActionForm action=supplement>
                                            <input type="hidden" name="product_id" value=b />
                                            <textarea name="note" rows="2"></textarea>
                                            <input name="deadline" type="date" />
                                            <button type="submit" class="small">{t!(i18n, supplement_submit)}</button>
                                        </ActionForm>
                                    </details>
                                    <details>
                                        <summary>{t!(i18n, office_reject)}</summary>
                                        <ActionForm action=reject>
                                            <input type="hidden" name="product_id" value=c />
                                            <fieldset class="checks">
                                                <legend>{t!(i18n, office_reject_rule)}</legend>
                                                {rules.into_iter().enumerate().map(|(index, rule)| view! {
                                                    <label class="choice"><input type="radio" name="rule" value=index.to_string() />" "{rule}</label>
                                                }).collect_view()}
                                            </fieldset>
                                            <label>{t!(i18n, office_reject_note)}<textarea name="note" rows="2"></textarea></label>
                                            <button type="submit" class="small">{t!(i18n, office_reject)}</button>
                                        </ActionForm>
                                    </details>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <h2>{t!(i18n, office_rounds)}</h2>
                    <ul class="card-list" id="office-rounds">
                        {rounds.into_iter().map(|round| view! { <RoundCard round=round change /> }).collect_view()}
                    </ul>
                    <h3>{t!(i18n, office_new_round)}</h3>
                    <ActionForm action=create>
                        <div class="field"><label for="round-name">{t!(i18n, round_name)}</label><input id="round-name" name="name" /></div>
                        <div class="field"><label for="round-year">{t!(i18n, round_year)}</label><input id="round-year" name="year" inputmode="numeric" /></div>
                        <div class="field">
                            <label for="round-number">{t!(i18n, round_number)}</label>
                            <select id="round-number" name="number"><option value="1">"1"</option><option value="2">"2"</option></select>
                        </div>
                        <button type="submit" class="button" id="create-round">{t!(i18n, office_new_round)}</button>
                    </ActionForm>
                }.into_any()
            })}
        </Suspense>
    }
}

/// One round: its state, the next steps, and its council.
#[component]
fn RoundCard(
    round: crate::api::office::RoundRow,
    change: ServerAction<ChangeRound>,
) -> impl IntoView {
    let i18n = use_i18n();
    let add = ServerAction::<AddCouncilMember>::new();
    let conflict = ServerAction::<DeclareConflict>::new();
    let id = round.id.clone();
    let detail = Resource::new(
        move || (add.version().get(), conflict.version().get()),
        move |_| round_view(id.clone()),
    );
    let events = [
        "Open",
        "StartScoring",
        "StartDeliberation",
        "Seal",
        "Decide",
    ];
    let (round_for_events, round_for_member) = (round.id.clone(), round.id.clone());
    view! {
        <li data-round=round.id.clone() data-state=format!("{:?}", round.state)>
            <strong>{round.name.clone()}</strong>
            " "<a href=format!("/hoi-dong/{}", round.id) class="small console-link">{t!(i18n, office_console)}</a>
            <small>{format!(" · {} · hạn đề xuất {} · kết thúc {} · tỷ lệ {}/{} · chênh lệch {}", round.state.label_vi(), round.proposal_cutoff, round.closes_on, round.quorum.0, round.quorum.1, round.divergence_limit)}</small>
            // A <div>, not a <p>: a form inside a <p> closes it in the browser's
            // parser, and the page then no longer hydrates.
            <div class="actions">
                {events.into_iter().map(|event| {
                    let id = round_for_events.clone();
                    view! {
                        <ActionForm action=change attr:class="inline">
                            <input type="hidden" name="round_id" value=id />
                            <input type="hidden" name="event" value=event />
                            <button type="submit" class="small" data-event=event>{event_label(event)}</button>
                        </ActionForm>
                    }
                }).collect_view()}
            </div>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    detail.await.ok().map(|detail| view! {
                        <p class="muted round-summary">{format!("{} hồ sơ · {} thành viên · {} xung đột lợi ích", detail.dossiers.len(), detail.members.len(), detail.conflicts.len())}</p>
                        <ul>
                            {detail.members.into_iter().map(|m| {
                                let load = detail.loads.iter().find(|(id, _)| *id == m.id).map(|(_, n)| *n);
                                view! {
                                    // Each text in its own element: two text nodes side by
                                    // side do not hydrate reliably.
                                    <li>
                                        <span>{format!("{} — {} ({})", m.name, m.department, position_label(&m.position))}</span>
                                        {load.map(|n| view! { <span>{format!(" · chấm {n} sản phẩm")}</span> })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    })
                })}
            </Suspense>
            <details>
                <summary>{t!(i18n, office_add_member)}</summary>
                <ActionForm action=add attr:class="add-member">
                    <input type="hidden" name="round_id" value=round_for_member />
                    <input name="name" placeholder="Họ tên" />
                    <input name="department" placeholder="Cơ quan (Sở …)" />
                    <select name="position">
                        {POSITIONS.iter().map(|(code, label)| view! { <option value=*code>{*label}</option> }).collect_view()}
                    </select>
                    <input name="phone" type="tel" placeholder="Số điện thoại (nếu có tài khoản)" />
                    <button type="submit" class="small">{t!(i18n, office_add_member)}</button>
                </ActionForm>
            </details>
        </li>
    }
}

fn event_label(event: &str) -> &'static str {
    match event {
        "Open" => "Mở nhận hồ sơ",
        "StartScoring" => "Bắt đầu chấm",
        "StartDeliberation" => "Thảo luận kết quả",
        "Seal" => "Niêm phong",
        _ => "Ra quyết định",
    }
}
