use sea_orm::DbErr;

/// What can go wrong reading or writing the store. Pages map every variant to a
/// 500 without showing its text; the text goes to the log.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] DbErr),
    /// A row holds a value the code does not know (a kind, a category, a role).
    #[error("bad value in {table}.{column}: {value:?}")]
    BadValue {
        table: &'static str,
        column: &'static str,
        value: String,
    },
}
