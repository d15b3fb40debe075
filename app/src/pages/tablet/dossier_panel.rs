//! The dossier above the sheet and what is said beside each criterion.
use super::*;

/// The dossier above the sheet: documents (images shown, PDFs linked), the
/// advisory team's reports and the commune's Mẫu 03.
pub(super) fn dossier_panel(
    i18n: leptos_i18n::I18nContext<Locale>,
    found: (Option<MemberDossier>, bool),
) -> impl IntoView {
    let (Some(dossier), online) = found else {
        return ().into_any();
    };
    let document = |d: &crate::api::council::DossierDocument| {
        let label = format!(
            "{} — {}",
            super::super::dossier::slot_label(i18n, &d.slot),
            d.file_name
        );
        if d.content_type.starts_with("image/") {
            view! {
                <li><a href=d.path.clone() target="_blank"><img src=d.path.clone() alt=label.clone() loading="lazy" class="evidence-thumb" /></a><br /><small>{label}</small></li>
            }
            .into_any()
        } else {
            view! { <li><a href=d.path.clone() target="_blank">{label}</a></li> }.into_any()
        }
    };
    let (advisory, own): (Vec<_>, Vec<_>) = dossier.documents.iter().partition(|d| d.advisory);
    view! {
        <details class="dossier" id="dossier" open>
            <summary>{t!(i18n, tablet_dossier)}</summary>
            {(!online).then(|| view! { <p class="muted">{t!(i18n, tablet_offline_copy)}</p> })}
            <h2>{t!(i18n, tablet_documents)}</h2>
            <ul class="documents">{own.into_iter().map(document).collect_view()}</ul>
            {(!advisory.is_empty()).then(|| view! {
                <h2>{t!(i18n, tablet_advisory)}</h2>
                <ul class="documents" id="advisory">{advisory.into_iter().map(document).collect_view()}</ul>
            })}
            {dossier.commune_report_path.clone().map(|path| view! {
                <p><a href=path target="_blank" id="commune-report">{t!(i18n, tablet_commune_report)}</a></p>
            })}
            {dossier.previous.clone().map(|previous| view! {
                <div id="previous-result" class="previous">
                    <h2>{t!(i18n, tablet_previous)}</h2>
                    <p>{t_string!(i18n, tablet_previous_result, code = previous.certificate.clone(), stars = previous.stars, mean = previous.mean.clone()).to_string()}</p>
                    {(!previous.changes.is_empty()).then(|| view! {
                        <p id="previous-changes"><strong>{t!(i18n, tablet_previous_changes)}</strong>" "{previous.changes.clone()}</p>
                    })}
                </div>
            })}
        </details>
    }
    .into_any()
}

/// Under each criterion: what the producer and the commune said of it, the
/// dossier's evidence for it, and the member's note and knock-out flag.
pub(super) fn beside_criterion(
    i18n: leptos_i18n::I18nContext<Locale>,
    mine: &MemberProduct,
    set: Arc<Scorecard>,
    dossier: RwSignal<Option<MemberDossier>>,
    signals: SheetSignals,
) -> BesideCriterion {
    let mine = mine.clone();
    Arc::new(move |code: &CriterionCode| {
        let key = code.to_string();
        let option_text = {
            let (set, code) = (set.clone(), code.clone());
            move |index: Option<u16>| match index {
                Some(index) => set
                    .criterion(&code)
                    .and_then(|c| c.option(OptionIndex(index)))
                    .map(|o| {
                        format!(
                            "{} ({})",
                            o.text,
                            t_string!(i18n, points, points = o.points)
                        )
                    })
                    .unwrap_or_default(),
                None => t_string!(i18n, none_applies).to_string(),
            }
        };
        let hints = {
            let key = key.clone();
            move || {
                let dossier = dossier.get()?;
                let own = dossier
                    .self_assessment
                    .get(&key)
                    .map(|given| option_text(*given));
                let commune = dossier
                    .commune
                    .iter()
                    .find(|c| c.criterion == key)
                    .map(|c| {
                        format!(
                            "{} {}{}",
                            t_string!(i18n, tablet_commune_view),
                            c.option,
                            if c.comment.is_empty() {
                                String::new()
                            } else {
                                format!(" — {}", c.comment)
                            }
                        )
                    });
                let evidence: Vec<_> = dossier
                    .documents
                    .iter()
                    .filter(|d| d.slot == format!("criterion:{key}"))
                    .map(|d| view! { <a href=d.path.clone() target="_blank">{d.file_name.clone()}</a>" " })
                    .collect();
                let before = dossier
                    .previous
                    .as_ref()
                    .and_then(|p| p.of_criterion(&key).map(str::to_string));
                Some(view! {
                    <p class="hints">
                        {before.map(|points| view! { <span class="previous-points">{t_string!(i18n, tablet_previous_points, points = points).to_string()}</span><br /> })}
                        {own.map(|text| view! { <span>{t!(i18n, tablet_self_assessment)}" "{text}</span><br /> })}
                        {commune.map(|text| view! { <span>{text}</span><br /> })}
                        {evidence}
                    </p>
                })
            }
        };
        let (note_key, flag_key, shown_key) = (key.clone(), key.clone(), key.clone());
        let (note_code, flag_code) = (code.clone(), code.clone());
        let (note_for, flag_for) = (mine.clone(), mine.clone());
        let SheetSignals {
            notes, knockouts, ..
        } = signals;
        view! {
            {hints}
            <details class="note" data-criterion=key.clone()>
                <summary>
                    {t!(i18n, tablet_note)}
                    {move || knockouts.with(|k| k.get(&shown_key) == Some(&true)).then_some(" ⚠")}
                </summary>
                <textarea
                    rows="2"
                    maxlength="2000"
                    placeholder=move || t_string!(i18n, tablet_note_placeholder)
                    prop:value={
                        let key = key.clone();
                        move || notes.with(|n| n.get(&key).cloned().unwrap_or_default())
                    }
                    on:change=move |ev| {
                        let text = event_target_value(&ev);
                        notes.update(|n| { n.insert(note_key.clone(), text.clone()); });
                        queue::record(&note_for, SheetEdit::Note { criterion: note_code.clone(), text }, signals);
                    }
                ></textarea>
                <label class="choice">
                    <input
                        type="checkbox"
                        class="knockout-flag"
                        prop:checked={
                            let key = key.clone();
                            move || knockouts.with(|k| k.get(&key) == Some(&true))
                        }
                        on:change=move |ev| {
                            let flagged = event_target_checked(&ev);
                            knockouts.update(|k| { k.insert(flag_key.clone(), flagged); });
                            queue::record(&flag_for, SheetEdit::Knockout { criterion: flag_code.clone(), flagged }, signals);
                        }
                    />
                    <span>{t!(i18n, tablet_knockout)}</span>
                </label>
            </details>
        }
        .into_any()
    })
}
