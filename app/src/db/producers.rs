//! Subjects, their members and products, self-assessment drafts, submitted versions
//! and the status timeline.
use super::{now_ms, Db, DbError};
use crate::domain::dossier::{DossierState, ProductKind, ProductRegistration};
pub use crate::domain::dossier::{ProductRow, StoredAnswers, TimelineEvent};
use crate::domain::subject::{SalesChannel, Subject, SubjectKind};
use sqlx::AnyConnection;

pub use crate::auth::SubjectScope;

/// A subject's scope, if it exists.
pub async fn subject_scope(db: &Db, subject_id: &str) -> Result<Option<SubjectScope>, DbError> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT s.commune_code, c.province_code FROM subjects s \
         JOIN commune c ON c.code = s.commune_code WHERE s.id = $1",
    )
    .bind(subject_id)
    .fetch_optional(db.pool())
    .await?;
    let Some((commune, province)) = row else {
        return Ok(None);
    };
    let members: Vec<(String,)> = sqlx::query_as(
        "SELECT user_id FROM subject_members WHERE subject_id = $1 ORDER BY user_id",
    )
    .bind(subject_id)
    .fetch_all(db.pool())
    .await?;
    Ok(Some(SubjectScope {
        subject_id: subject_id.to_string(),
        commune,
        province,
        members: members.into_iter().map(|(id,)| id).collect(),
    }))
}

/// The scope of the subject a product belongs to.
pub async fn product_scope(db: &Db, product_id: &str) -> Result<Option<SubjectScope>, DbError> {
    let subject: Option<(String,)> =
        sqlx::query_as("SELECT subject_id FROM products WHERE id = $1")
            .bind(product_id)
            .fetch_optional(db.pool())
            .await?;
    match subject {
        Some((subject_id,)) => subject_scope(db, &subject_id).await,
        None => Ok(None),
    }
}

fn flag(value: bool) -> i64 {
    i64::from(value)
}

/// Inserts (id None) or updates a subject; a new one gets `member` as its first user.
pub async fn save_subject(
    conn: &mut AnyConnection,
    id: Option<&str>,
    subject: &Subject,
    member: &str,
) -> Result<String, DbError> {
    let (id, is_new) = match id {
        Some(id) => (id.to_string(), false),
        None => (uuid::Uuid::now_v7().to_string(), true),
    };
    // One statement for both: a new subject is inserted, an existing one updated.
    sqlx::query(
        "INSERT INTO subjects (id, kind, name, registration_number, registration_date, tax_code, \
         commune_code, address, representative, representative_woman, representative_ethnic_minority, \
         representative_disability, workers_total, workers_local, value_chain_contracts, created_ms, updated_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) \
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, \
         registration_number = excluded.registration_number, registration_date = excluded.registration_date, \
         tax_code = excluded.tax_code, commune_code = excluded.commune_code, address = excluded.address, \
         representative = excluded.representative, representative_woman = excluded.representative_woman, \
         representative_ethnic_minority = excluded.representative_ethnic_minority, \
         representative_disability = excluded.representative_disability, workers_total = excluded.workers_total, \
         workers_local = excluded.workers_local, value_chain_contracts = excluded.value_chain_contracts, \
         updated_ms = excluded.updated_ms",
    )
    .bind(&id)
    .bind(subject.kind.as_str())
    .bind(&subject.name)
    .bind(&subject.registration_number)
    .bind(&subject.registration_date)
    .bind(&subject.tax_code)
    .bind(subject.commune_code)
    .bind(&subject.address)
    .bind(&subject.representative)
    .bind(flag(subject.representative_woman))
    .bind(flag(subject.representative_ethnic_minority))
    .bind(flag(subject.representative_disability))
    .bind(subject.workers_total)
    .bind(subject.workers_local)
    .bind(subject.value_chain_contracts)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    if is_new {
        sqlx::query("INSERT INTO subject_members (subject_id, user_id) VALUES ($1, $2)")
            .bind(&id)
            .bind(member)
            .execute(&mut *conn)
            .await?;
    } else {
        sqlx::query("DELETE FROM subject_sales_channels WHERE subject_id = $1")
            .bind(&id)
            .execute(&mut *conn)
            .await?;
    }
    for channel in &subject.channels {
        sqlx::query("INSERT INTO subject_sales_channels (subject_id, channel) VALUES ($1, $2)")
            .bind(&id)
            .bind(channel.as_str())
            .execute(&mut *conn)
            .await?;
    }
    Ok(id)
}

/// A subject as stored, column by column (read by name, not position).
#[derive(sqlx::FromRow)]
struct StoredSubject {
    id: String,
    kind: String,
    name: String,
    registration_number: String,
    registration_date: String,
    tax_code: String,
    commune_code: i64,
    address: String,
    representative: String,
    representative_woman: i64,
    representative_ethnic_minority: i64,
    representative_disability: i64,
    workers_total: i64,
    workers_local: i64,
    value_chain_contracts: i64,
}

/// A stored subject with its id.
pub async fn subject(db: &Db, id: &str) -> Result<Option<(String, Subject)>, DbError> {
    let row: Option<StoredSubject> = sqlx::query_as(
        "SELECT id, kind, name, registration_number, registration_date, tax_code, commune_code, address, \
         representative, representative_woman, representative_ethnic_minority, representative_disability, \
         workers_total, workers_local, value_chain_contracts FROM subjects WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let channels: Vec<(String,)> = sqlx::query_as(
        "SELECT channel FROM subject_sales_channels WHERE subject_id = $1 ORDER BY channel",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    let mut channels: Vec<SalesChannel> = channels
        .iter()
        .filter_map(|(c,)| SalesChannel::parse(c))
        .collect();
    channels.sort();
    Ok(Some((
        row.id,
        Subject {
            kind: super::decoded("subjects.kind", &row.kind, SubjectKind::parse(&row.kind))?,
            name: row.name,
            registration_number: row.registration_number,
            registration_date: row.registration_date,
            tax_code: row.tax_code,
            commune_code: row.commune_code,
            address: row.address,
            representative: row.representative,
            representative_woman: row.representative_woman != 0,
            representative_ethnic_minority: row.representative_ethnic_minority != 0,
            representative_disability: row.representative_disability != 0,
            workers_total: row.workers_total,
            workers_local: row.workers_local,
            value_chain_contracts: row.value_chain_contracts,
            channels,
        },
    )))
}

/// (id, name) of the subjects a user acts for.
pub async fn subjects_of(db: &Db, user_id: &str) -> Result<Vec<(String, String)>, DbError> {
    Ok(sqlx::query_as(
        "SELECT s.id, s.name FROM subjects s JOIN subject_members m ON m.subject_id = s.id \
         WHERE m.user_id = $1 ORDER BY s.name, s.id",
    )
    .bind(user_id)
    .fetch_all(db.pool())
    .await?)
}

/// A product as stored, column by column (read by name, not position).
#[derive(sqlx::FromRow)]
pub(super) struct StoredProduct {
    id: String,
    subject_id: String,
    name: String,
    rule_set: String,
    product_set: i64,
    kind: String,
    previous_certificate: String,
    changes: String,
    state: String,
    version: i64,
}

impl StoredProduct {
    pub(super) fn into_row(self) -> Result<ProductRow, DbError> {
        Ok(ProductRow {
            kind: super::decoded("products.kind", &self.kind, ProductKind::parse(&self.kind))?,
            state: super::decoded(
                "products.state",
                &self.state,
                DossierState::parse(&self.state),
            )?,
            product_set: u32::try_from(self.product_set).unwrap_or(0),
            id: self.id,
            subject_id: self.subject_id,
            name: self.name,
            rule_set: self.rule_set,
            previous_certificate: self.previous_certificate,
            changes: self.changes,
            version: self.version,
        })
    }
}

pub(super) const PRODUCT_COLUMNS: &str =
    "p.id, p.subject_id, p.name, p.rule_set, p.product_set, p.kind, \
     p.previous_certificate, p.changes, p.state, p.version";

pub async fn insert_product(
    conn: &mut AnyConnection,
    registration: &ProductRegistration,
    rule_set: &str,
) -> Result<String, DbError> {
    let id = uuid::Uuid::now_v7().to_string();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO products (id, subject_id, name, rule_set, product_set, kind, previous_certificate, changes, \
         state, version, created_ms, updated_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, $10, $10)",
    )
    .bind(&id)
    .bind(&registration.subject_id)
    .bind(&registration.name)
    .bind(rule_set)
    .bind(i64::from(registration.product_set))
    .bind(registration.kind.as_str())
    .bind(&registration.previous_certificate)
    .bind(&registration.changes)
    .bind(DossierState::Draft.as_str())
    .bind(now)
    .execute(&mut *conn)
    .await?;
    super::dossiers::add_event(
        conn,
        &id,
        DossierState::Draft,
        0,
        &crate::domain::refusal::EventNote::NoteCreated.stored(),
        None,
    )
    .await?;
    Ok(id)
}

pub async fn product(db: &Db, id: &str) -> Result<Option<ProductRow>, DbError> {
    let mut conn = db.pool().acquire().await?;
    product_in(&mut conn, id).await
}

/// The same through `conn` (e.g. a transaction that just changed it).
pub async fn product_in(conn: &mut AnyConnection, id: &str) -> Result<Option<ProductRow>, DbError> {
    let row: Option<StoredProduct> = sqlx::query_as(&format!(
        "SELECT {PRODUCT_COLUMNS} FROM products p WHERE p.id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.map(StoredProduct::into_row).transpose()
}

/// Products of every subject the user acts for.
pub async fn products_of(db: &Db, user_id: &str) -> Result<Vec<ProductRow>, DbError> {
    let rows: Vec<StoredProduct> = sqlx::query_as(&format!(
        "SELECT {PRODUCT_COLUMNS} FROM products p JOIN subject_members m ON m.subject_id = p.subject_id \
         WHERE m.user_id = $1 ORDER BY p.created_ms DESC, p.id"
    ))
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter().map(StoredProduct::into_row).collect()
}

/// The draft answers and their revision (0 when nothing is saved).
pub async fn self_assessment(db: &Db, product_id: &str) -> Result<(StoredAnswers, i64), DbError> {
    let row: Option<(String, i64)> =
        sqlx::query_as("SELECT answers, revision FROM self_assessments WHERE product_id = $1")
            .bind(product_id)
            .fetch_optional(db.pool())
            .await?;
    Ok(match row {
        Some((json, revision)) => (serde_json::from_str(&json).unwrap_or_default(), revision),
        None => (StoredAnswers::new(), 0),
    })
}

/// Saves answers unless a newer revision is stored; returns the stored revision.
pub async fn save_self_assessment(
    conn: &mut AnyConnection,
    product_id: &str,
    answers: &StoredAnswers,
    revision: i64,
) -> Result<i64, DbError> {
    let json = serde_json::to_string(answers).unwrap_or_else(|_| "{}".into());
    sqlx::query(
        "INSERT INTO self_assessments (product_id, answers, revision, updated_ms) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (product_id) DO UPDATE SET answers = excluded.answers, revision = excluded.revision, \
         updated_ms = excluded.updated_ms WHERE self_assessments.revision < excluded.revision",
    )
    .bind(product_id)
    .bind(json)
    .bind(revision)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    let (stored,): (i64,) =
        sqlx::query_as("SELECT revision FROM self_assessments WHERE product_id = $1")
            .bind(product_id)
            .fetch_one(conn)
            .await?;
    Ok(stored)
}
