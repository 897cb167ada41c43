use axum::{extract::State, http::StatusCode};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

/// 200 when the database answers a query, 503 otherwise.
#[tracing::instrument(skip(db))]
pub async fn healthz(State(db): State<DatabaseConnection>) -> (StatusCode, &'static str) {
    let ping = Statement::from_string(db.get_database_backend(), "SELECT 1");
    match db.query_one_raw(ping).await {
        Ok(_) => (StatusCode::OK, "ok\n"),
        Err(err) => {
            tracing::warn!(error = %err, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable\n")
        }
    }
}
