//! The console's line on how the council sits (Điều 7.6 d): a written-opinion
//! round says so, advises a meeting when the opinions differ widely, and lets
//! the chair turn it into a meeting with the reason; afterwards it shows when
//! and why.
use crate::api::council::AskMeeting;
use crate::api::seal::RoundStanding;
use crate::components::form::field_error;
use crate::components::labelled::Labelled;
use crate::domain::round::RoundState;
use crate::domain::sitting::Sitting;
use crate::i18n::*;
use leptos::prelude::*;

pub(super) fn sitting_panel(
    i18n: leptos_i18n::I18nContext<Locale>,
    status: &RoundStanding,
    advised: bool,
    ask: ServerAction<AskMeeting>,
    round_id: String,
) -> impl IntoView {
    let open = !matches!(status.state, RoundState::Sealed | RoundState::Decided);
    // Open when advised, and after a refusal, so its reason stays in view.
    let unfolded = advised || matches!(ask.value().get_untracked(), Some(Err(_)));
    let body = match (status.sitting, &status.meeting_asked) {
        (Sitting::Written, _) => view! {
            <p>{t!(i18n, sitting_written_console)}</p>
            {(open && advised).then(|| view! {
                <p class="warning" id="meeting-advised">{t!(i18n, sitting_meeting_advised)}</p>
            })}
            {open.then(|| view! {
                <details class="ask-meeting" open=unfolded>
                    <summary>{t!(i18n, sitting_ask_meeting)}</summary>
                    <ActionForm action=ask>
                        <input type="hidden" name="round_id" value=round_id />
                        <Labelled id="meeting-reason" label=t!(i18n, sitting_reason)>
                            <textarea id="meeting-reason" name="reason" rows="3" maxlength="500" required=true
                                aria-describedby="meeting-reason-error"></textarea>
                            <p class="field-error" id="meeting-reason-error" role="alert">
                                {move || field_error(ask.value(), "reason").get()}
                            </p>
                        </Labelled>
                        <button type="submit" class="button" id="ask-meeting">{t!(i18n, sitting_ask_meeting)}</button>
                    </ActionForm>
                </details>
            })}
        }
        .into_any(),
        (Sitting::Meeting, Some(asked)) => {
            let day = crate::domain::date::CalendarDate::of_ms_vietnam(asked.asked_ms).day_month_year();
            view! {
                <p>{t!(i18n, sitting_meeting_asked, day = day, reason = asked.reason.clone())}</p>
            }
            .into_any()
        }
        (Sitting::Meeting, None) => return ().into_any(),
    };
    view! {
        <section class="sitting card" id="sitting" data-sitting=status.sitting.code()>
            {body}
        </section>
    }
    .into_any()
}
