//! The commune's queue and pre-assessments, and the public holidays deadlines skip.
use super::{now_ms, Db, DbError};
use crate::domain::date::CalendarDate;
use crate::domain::refusal::Said;
use sqlx::AnyConnection;

pub async fn holidays(db: &Db) -> Result<Vec<CalendarDate>, DbError> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT day FROM public_holidays ORDER BY day")
        .fetch_all(db.pool())
        .await?;
    Ok(rows
        .iter()
        .filter_map(|(day,)| CalendarDate::parse(day).ok())
        .collect())
}

pub async fn add_holiday(conn: &mut AnyConnection, day: &str, name: &str) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO public_holidays (day, name) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING",
    )
    .bind(day)
    .bind(name)
    .execute(conn)
    .await?;
    Ok(())
}

/// (day, name) of every holiday, in order.
pub async fn holiday_list(db: &Db) -> Result<Vec<(String, String)>, DbError> {
    Ok(
        sqlx::query_as("SELECT day, name FROM public_holidays ORDER BY day")
            .fetch_all(db.pool())
            .await?,
    )
}

/// Adds a holiday typed by an operator, with its audit row: the day and name as
/// stored, or a clear message (Vietnamese, the operator's) when either is wrong.
pub async fn add_holiday_audited(
    db: &Db,
    day: &str,
    name: &str,
) -> Result<(String, String), String> {
    use crate::domain::refusal::{Lang, Refusal};
    let day = CalendarDate::parse(day.trim())
        .map_err(|_| Refusal::DateInvalid.text(Lang::Vi))?
        .iso();
    let name = crate::domain::subject::clean_text(name);
    if name.is_empty() {
        return Err(Refusal::HolidayNameRequired.text(Lang::Vi));
    }
    let work = async {
        let mut tx = db.begin().await?;
        add_holiday(&mut tx, &day, &name).await?;
        super::audit::write(
            &mut tx,
            &super::audit::Actor::operator(),
            super::audit::Change::new("add_holiday", "public_holiday", &day)
                .after(Some(super::audit::digest(&name))),
        )
        .await?;
        super::commit(tx).await
    };
    work.await.map_err(|e: DbError| e.to_string())?;
    Ok((day, name))
}

/// A dossier waiting for a commune (read by name).
#[derive(Debug, sqlx::FromRow)]
pub struct QueueRow {
    pub product_id: String,
    pub product_name: String,
    pub subject_name: String,
    pub commune_code: i64,
    pub state: String,
    pub version: i64,
    /// When it was submitted (its last submission), in ms.
    pub received_ms: i64,
}

/// Dossiers submitted to (or under review in) these communes, oldest first.
pub async fn queue(db: &Db, communes: &[i64]) -> Result<Vec<QueueRow>, DbError> {
    if communes.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT p.id AS product_id, p.name AS product_name, s.name AS subject_name, s.commune_code, p.state, p.version, \
         COALESCE((SELECT MAX(e.at_ms) FROM dossier_events e WHERE e.product_id = p.id AND e.state = 'submitted'), p.updated_ms) AS received_ms \
         FROM products p JOIN subjects s ON s.id = p.subject_id \
         WHERE p.state IN ('submitted', 'commune_review') AND s.commune_code IN ({}) \
         ORDER BY received_ms, p.id",
        super::placeholders(1, communes.len())
    );
    of_communes(db, &sql, communes).await
}

pub async fn save_review(
    conn: &mut AnyConnection,
    product_id: &str,
    version: i64,
    officer_id: &str,
    content: &str,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO commune_reviews (product_id, version, officer_id, content, updated_ms) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (product_id, version) DO UPDATE SET officer_id = excluded.officer_id, \
         content = excluded.content, updated_ms = excluded.updated_ms",
    )
    .bind(product_id)
    .bind(version)
    .bind(officer_id)
    .bind(content)
    .bind(now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn review(db: &Db, product_id: &str, version: i64) -> Result<Option<String>, DbError> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT content FROM commune_reviews WHERE product_id = $1 AND version = $2",
    )
    .bind(product_id)
    .bind(version)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|(content,)| content))
}

/// The latest version's assessment: (version, officer id, content, saved at ms).
pub async fn latest_review(
    db: &Db,
    product_id: &str,
) -> Result<Option<(i64, String, String, i64)>, DbError> {
    Ok(sqlx::query_as(
        "SELECT version, officer_id, content, updated_ms FROM commune_reviews \
         WHERE product_id = $1 ORDER BY version DESC LIMIT 1",
    )
    .bind(product_id)
    .fetch_optional(db.pool())
    .await?)
}

/// Phone numbers of the subject's users (to tell them by SMS).
pub async fn member_phones(db: &Db, subject_id: &str) -> Result<Vec<String>, DbError> {
    Ok(sqlx::query_scalar::<_, String>(
        "SELECT u.phone FROM users u JOIN subject_members m ON m.user_id = u.id WHERE m.subject_id = $1",
    )
    .bind(subject_id)
    .fetch_all(db.pool())
    .await?)
}

/// Phone numbers of the officers of a commune.
pub async fn officer_phones(db: &Db, commune: i64) -> Result<Vec<String>, DbError> {
    Ok(sqlx::query_scalar::<_, String>(
        "SELECT u.phone FROM users u JOIN role_grants g ON g.user_id = u.id \
         WHERE g.role = 'commune_officer' AND g.scope_kind = 'commune' AND g.scope_code = $1",
    )
    .bind(commune.to_string())
    .fetch_all(db.pool())
    .await?)
}

/// One product of a commune's register (read by name).
#[derive(Debug, sqlx::FromRow)]
pub struct RegisterRow {
    pub product_id: String,
    pub product_name: String,
    pub subject_name: String,
    pub commune_code: i64,
    pub state: String,
    pub product_set: i64,
    /// The latest sealed result's content, if any.
    pub result: Option<String>,
}

/// Every product of the subjects of these communes, by subject and product name.
pub async fn register(db: &Db, communes: &[i64]) -> Result<Vec<RegisterRow>, DbError> {
    if communes.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT p.id AS product_id, p.name AS product_name, s.name AS subject_name, \
         s.commune_code, p.state, p.product_set, \
         (SELECT rr.content FROM round_results rr JOIN rounds r ON r.id = rr.round_id \
          WHERE rr.product_id = p.id ORDER BY r.created_ms DESC LIMIT 1) AS result \
         FROM products p JOIN subjects s ON s.id = p.subject_id \
         WHERE s.commune_code IN ({}) ORDER BY s.name, p.name, p.id",
        super::placeholders(1, communes.len())
    );
    of_communes(db, &sql, communes).await
}

/// Gives the dossier version its receipt: the commune's next number of `year`.
/// Two receipts at once in one commune: the second fails on
/// `dossier_receipts_seq_unique` (the caller asks to try again).
pub async fn issue_receipt(
    conn: &mut AnyConnection,
    product_id: &str,
    version: i64,
    (province, commune): (i64, i64),
    year: i32,
    (received_ms, received_by): (i64, &str),
) -> Result<String, DbError> {
    let (seq,): (i64,) = sqlx::query_as(
        "SELECT COALESCE(MAX(seq), 0) + 1 FROM dossier_receipts WHERE commune_code = $1 AND year = $2",
    )
    .bind(commune)
    .bind(i64::from(year))
    .fetch_one(&mut *conn)
    .await?;
    let number = crate::domain::dossier::receipt_number(seq, province, commune, year);
    sqlx::query(
        "INSERT INTO dossier_receipts (product_id, version, commune_code, year, seq, number, received_ms, received_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(product_id)
    .bind(version)
    .bind(commune)
    .bind(i64::from(year))
    .bind(seq)
    .bind(&number)
    .bind(received_ms)
    .bind(received_by)
    .execute(&mut *conn)
    .await?;
    Ok(number)
}

/// The receipt number of a product's latest received version, if any.
/// Mẫu 01's commune part: the latest receipt's number, day (ms) and receiver's id.
pub async fn receipt(db: &Db, product_id: &str) -> Result<Option<(String, i64, String)>, DbError> {
    Ok(sqlx::query_as(
        "SELECT number, received_ms, received_by FROM dossier_receipts WHERE product_id = $1 \
         ORDER BY version DESC LIMIT 1",
    )
    .bind(product_id)
    .fetch_optional(db.pool())
    .await?)
}

pub async fn receipt_of(db: &Db, product_id: &str) -> Result<Option<String>, DbError> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT number FROM dossier_receipts WHERE product_id = $1 ORDER BY version DESC LIMIT 1",
    )
    .bind(product_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|(number,)| number))
}

/// The rows of `sql`, whose placeholders `$1…$n` are these communes.
async fn of_communes<R>(db: &Db, sql: &str, communes: &[i64]) -> Result<Vec<R>, DbError>
where
    R: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let mut query = sqlx::query_as::<_, R>(sql);
    for commune in communes {
        query = query.bind(*commune);
    }
    Ok(query.fetch_all(db.pool()).await?)
}
