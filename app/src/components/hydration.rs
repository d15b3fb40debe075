//! When the page is whole in the browser. A page in a lazily loaded area
//! hydrates only after its WASM chunk arrives (seconds on 3G); the header and
//! the router hydrate before it. A link clicked in that window was taken by the
//! router while the area's hydration was still to come, and the hydration then
//! met a page that had changed under it: "unrecoverable hydration error", a
//! dead page. So until the page is whole, a click is left to the browser (an
//! ordinary page load), and `body[data-hydrated]` is set only once the page's
//! own area has hydrated (what the browser tests wait for).
use std::cell::Cell;

thread_local! {
    static LAZY_ROUTE: Cell<bool> = const { Cell::new(false) };
}

/// A lazy route matched: it marks the page hydrated itself (see [`route_hydrated`]).
pub fn lazy_route_matched() {
    LAZY_ROUTE.with(|lazy| lazy.set(true));
}

/// The frame (header, router) has hydrated: the page is whole now unless a
/// lazy route is still to hydrate; clicks wait for it either way.
pub fn shell_hydrated() {
    #[cfg(feature = "hydrate")]
    {
        hold_clicks_until_whole();
        if !LAZY_ROUTE.with(Cell::get) {
            mark();
        }
    }
}

/// A lazy route's page has hydrated.
pub fn route_hydrated() {
    #[cfg(feature = "hydrate")]
    mark();
}

#[cfg(feature = "hydrate")]
fn whole() -> bool {
    leptos::prelude::document()
        .body()
        .and_then(|body| body.get_attribute("data-hydrated"))
        .is_some()
}

#[cfg(feature = "hydrate")]
fn mark() {
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}

/// Before the page is whole, a click reaches no handler of the app (the
/// router's among them): the browser follows the link as a plain page load.
#[cfg(feature = "hydrate")]
fn hold_clicks_until_whole() {
    use wasm_bindgen::{closure::Closure, JsCast};
    let hold = Closure::<dyn Fn(web_sys::Event)>::new(|event: web_sys::Event| {
        if !whole() {
            event.stop_immediate_propagation();
        }
    });
    let _ = leptos::prelude::window().add_event_listener_with_callback_and_bool(
        "click",
        hold.as_ref().unchecked_ref(),
        true,
    );
    hold.forget();
}
