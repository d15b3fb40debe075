//! A browser-like client of a test server: server functions called as the app's
//! pages call them, and their answers read as a page shows them.
use super::REQUEST_TIMEOUT;

/// Calls server functions the way the app's pages do, keeping the session cookie.
#[derive(Clone)]
pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
}

/// A server function's answer: status and body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The body as the server function's typed answer.
    #[track_caller]
    pub fn parse<T: Typed>(&self) -> T {
        T::from_body(&self.body)
            .unwrap_or_else(|e| panic!("not a {} ({e}): {}", std::any::type_name::<T>(), self.body))
    }

    /// The field a refusal (`AppError::Invalid`) names, if it is one.
    pub fn refused_field(&self) -> Option<String> {
        match serde_json::from_str(&self.body) {
            Ok(app::error::AppError::Invalid { field, .. }) => Some(field),
            _ => None,
        }
    }

    /// The minutes a throttled log-in (`AppError::TooManyAttempts`) must wait.
    pub fn wait_minutes(&self) -> Option<i64> {
        match serde_json::from_str(&self.body) {
            Ok(app::error::AppError::TooManyAttempts { wait_minutes }) => Some(wait_minutes),
            _ => None,
        }
    }

    /// Asserts a refusal with `status` whose Vietnamese sentence contains `words`.
    #[track_caller]
    pub fn assert_refused(&self, status: u16, words: &str) {
        assert_eq!(self.status, status, "{}", self.body);
        assert!(self.said().contains(words), "{}", self.body);
    }

    /// What a Vietnamese page shows for this refusal (the body as is otherwise).
    pub fn said(&self) -> String {
        said(&self.body)
    }
}

/// The sentence a Vietnamese page shows for an `AppError` body: a field's refusal
/// or a conflict rendered from the tables; any other body as it came.
pub fn said(body: &str) -> String {
    use app::domain::refusal::{Lang, Said};
    use app::error::AppError;
    match serde_json::from_str::<AppError>(body) {
        Ok(AppError::Invalid { refusal, .. } | AppError::Conflict(refusal)) => {
            refusal.text(Lang::Vi)
        }
        _ => body.to_string(),
    }
}

/// The session cookie's whole Set-Cookie header (`sao_session=…; HttpOnly; …`) in
/// a response, if it sets one.
pub fn session_set_cookie(response: &reqwest::Response) -> Option<&str> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("sao_session="))
}

/// Sends a request and reads its status and body.
async fn answer(request: reqwest::RequestBuilder) -> Answer {
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("request failed or timed out: {e}"));
    let status = response.status().as_u16();
    let body = response.text().await.expect("body");
    Answer { status, body }
}

impl Client {
    pub fn new(base: &str) -> Client {
        Client {
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .timeout(REQUEST_TIMEOUT)
                .build()
                .expect("client"),
            base: base.to_string(),
        }
    }

    /// A request to this site, carrying its Origin as the app's pages do.
    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let url = format!("{}{path}", self.base);
        self.http.request(method, url).header("origin", &self.base)
    }

    /// POSTs JSON to `/api/{endpoint}` (server functions taking structured input).
    pub async fn call_json(&self, endpoint: &str, body: &serde_json::Value) -> Answer {
        let path = format!("/api/{endpoint}");
        answer(self.request(reqwest::Method::POST, &path).json(body)).await
    }

    /// Calls a server function that takes one product (`product_id`).
    pub async fn call_on(&self, endpoint: &str, product: &str) -> Answer {
        self.call(endpoint, &[("product_id", product)]).await
    }

    /// Reads version `version` of a product's dossier.
    pub async fn version_of(&self, product: &str, version: u32) -> Answer {
        self.call(
            "producer/version",
            &[("product_id", product), ("version", &version.to_string())],
        )
        .await
    }

    /// Sends `bytes` as they are, with `content_type` (a hostile client's
    /// request); a connection the server broke off is an `Err`, not a panic.
    pub async fn send_raw(
        &self,
        method: reqwest::Method,
        path: &str,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Result<Answer, String> {
        let response = self
            .request(method, path)
            .header("content-type", content_type)
            .body(bytes)
            .send()
            .await
            .map_err(|e| format!("no answer: {e}"))?;
        let status = response.status().as_u16();
        let body = response
            .text()
            .await
            .map_err(|e| format!("body cut off: {e}"))?;
        Ok(Answer { status, body })
    }

    /// PUTs raw bytes (an upload chunk).
    pub async fn put_bytes(&self, path: &str, bytes: Vec<u8>) -> Answer {
        answer(self.request(reqwest::Method::PUT, path).body(bytes)).await
    }

    /// POSTs a form to `/api/{endpoint}`.
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> Answer {
        let path = format!("/api/{endpoint}");
        answer(self.request(reqwest::Method::POST, &path).form(form)).await
    }

    pub async fn get(&self, path: &str) -> Answer {
        answer(self.http.get(format!("{}{path}", self.base))).await
    }

    /// GETs a binary answer: (status, content type, bytes).
    pub async fn get_bytes(&self, path: &str) -> (u16, String, Vec<u8>) {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        (
            status,
            content_type,
            response.bytes().await.expect("body").to_vec(),
        )
    }

    /// Tries to log in; the answer, whatever it is.
    pub async fn try_log_in(&self, phone: &str, password: &str) -> Answer {
        self.call(
            "account/log_in",
            &[("phone", phone), ("password", password)],
        )
        .await
    }

    /// Logs in, panicking if that fails.
    pub async fn log_in(&self, phone: &str, password: &str) {
        let answer = self.try_log_in(phone, password).await;
        assert_eq!(answer.status, 200, "log in {phone}: {}", answer.body);
    }
}

/// An answer type of the app's server functions that the tests read typed.
pub trait Typed: Sized {
    fn from_body(body: &str) -> serde_json::Result<Self>;
}

macro_rules! typed {
    ($($answer:ty),* $(,)?) => {
        $(impl Typed for $answer {
            fn from_body(body: &str) -> serde_json::Result<Self> {
                serde_json::from_str(body)
            }
        })*
    };
}

typed!(
    app::api::account::AccountSummary,
    app::api::office::SeatAdded,
    app::api::producer::DossierView,
    app::api::producer::UploadTicket,
    app::api::users::Invitation,
    app::auth::Principal,
);
