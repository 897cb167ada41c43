//! Sessions kept in the database, so a restart signs nobody out and several server
//! instances can share them. tower-sessions makes the ids, the cookie and the expiry;
//! this only stores its records: the data as JSON, the expiry in UTC.

use crate::entity::session;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, SqlErr,
};
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

#[derive(Debug, Clone)]
pub struct DbSessionStore {
    db: DatabaseConnection,
}

impl DbSessionStore {
    pub fn new(db: DatabaseConnection) -> Self {
        DbSessionStore { db }
    }

    async fn insert(&self, record: &Record) -> Result<(), DbErr> {
        session::Entity::insert(row(record)?).exec(&self.db).await?;
        Ok(())
    }
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // On the (astronomically unlikely) clash of two random ids, draw another:
        // never overwrite somebody else's session.
        loop {
            match self.insert(record).await {
                Ok(()) => return Ok(()),
                Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                    record.id = Id::default();
                }
                Err(err) => return Err(backend(err)),
            }
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        session::Entity::insert(row(record).map_err(backend)?)
            .on_conflict(
                OnConflict::column(session::Column::Id)
                    .update_columns([session::Column::Data, session::Column::ExpiresAt])
                    .to_owned(),
            )
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let Some(found) = session::Entity::find_by_id(id.to_string())
            .filter(session::Column::ExpiresAt.gt(domain::clock::now().naive()))
            .one(&self.db)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let data = serde_json::from_str(&found.data)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date =
            OffsetDateTime::from_unix_timestamp(found.expires_at.and_utc().timestamp())
                .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        session::Entity::delete_by_id(id.to_string())
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

#[async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        session::Entity::delete_many()
            .filter(session::Column::ExpiresAt.lte(domain::clock::now().naive()))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

fn row(record: &Record) -> Result<session::ActiveModel, DbErr> {
    let data = serde_json::to_string(&record.data)
        .map_err(|e| DbErr::Custom(format!("session data does not encode: {e}")))?;
    Ok(session::ActiveModel {
        id: Set(record.id.to_string()),
        data: Set(data),
        expires_at: Set(utc(record.expiry_date)),
    })
}

fn utc(at: OffsetDateTime) -> NaiveDateTime {
    DateTime::<Utc>::from_timestamp(at.unix_timestamp(), 0)
        .unwrap_or_default()
        .naive_utc()
}

fn backend(err: DbErr) -> session_store::Error {
    session_store::Error::Backend(err.to_string())
}
