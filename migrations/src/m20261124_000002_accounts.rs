//! People who sign in, what they may do, and what the site tells them by email:
//! accounts, memberships of cooperatives (producer, helper, cooperative admin),
//! helpers' grants to act for a producer, server-side sessions, one-time email tokens,
//! the email outbox and failed sign-ins (to slow down guessing).

use crate::helpers::{cascade, drop_tables, index, restrict, unique_index};
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000002_accounts"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Account::Table)
                .col(pk_auto(Account::Id))
                // Stored lower-cased (`domain::Email` parses to that form).
                .col(string_uniq(Account::Email))
                .col(string(Account::Name))
                // argon2id PHC string: algorithm, parameters, salt and hash together.
                .col(string(Account::PasswordHash))
                // `es` or `en`: the language of the emails this person receives.
                .col(string_len(Account::Lang, 2))
                .col(date_time_null(Account::EmailVerifiedAt))
                .col(boolean(Account::PlatformAdmin).default(false))
                .col(date_time(Account::CreatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Membership::Table)
                .col(pk_auto(Membership::Id))
                .col(integer(Membership::AccountId))
                .col(integer(Membership::CooperativeId))
                // `producer`, `helper` or `admin`.
                .col(string(Membership::Role))
                // A producer's public profile, when the member is one.
                .col(integer_null(Membership::ProducerId))
                .col(date_time(Membership::CreatedAt))
                .foreign_key(&mut cascade(
                    Membership::Table,
                    Membership::AccountId,
                    Account::Table,
                    Account::Id,
                ))
                .foreign_key(&mut restrict(
                    Membership::Table,
                    Membership::CooperativeId,
                    Cooperative::Table,
                    Cooperative::Id,
                ))
                .foreign_key(&mut restrict(
                    Membership::Table,
                    Membership::ProducerId,
                    Producer::Table,
                    Producer::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            Membership::Table,
            [
                Membership::AccountId,
                Membership::CooperativeId,
                Membership::Role,
            ],
            "idx_membership_unique",
        ))
        .await?;
        m.create_index(index(
            Membership::Table,
            Membership::CooperativeId,
            "idx_membership_cooperative",
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(HelperGrant::Table)
                .col(pk_auto(HelperGrant::Id))
                .col(integer(HelperGrant::HelperAccountId))
                .col(integer(HelperGrant::ProducerId))
                .col(integer(HelperGrant::GrantedBy))
                .col(date_time(HelperGrant::CreatedAt))
                .foreign_key(&mut cascade(
                    HelperGrant::Table,
                    HelperGrant::HelperAccountId,
                    Account::Table,
                    Account::Id,
                ))
                .foreign_key(&mut cascade(
                    HelperGrant::Table,
                    HelperGrant::ProducerId,
                    Producer::Table,
                    Producer::Id,
                ))
                .foreign_key(&mut restrict(
                    HelperGrant::Table,
                    HelperGrant::GrantedBy,
                    Account::Table,
                    Account::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(unique_index(
            HelperGrant::Table,
            [HelperGrant::HelperAccountId, HelperGrant::ProducerId],
            "idx_helper_grant_unique",
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Session::Table)
                // The session id the cookie carries (random, 128 bits).
                .col(string(Session::Id).primary_key())
                .col(text(Session::Data))
                .col(date_time(Session::ExpiresAt))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            Session::Table,
            Session::ExpiresAt,
            "idx_session_expires",
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(EmailToken::Table)
                .col(pk_auto(EmailToken::Id))
                .col(integer(EmailToken::AccountId))
                // `verify` or `reset`.
                .col(string(EmailToken::Purpose))
                // SHA-256 of the token: the token itself is only in the email.
                .col(string_uniq(EmailToken::TokenHash))
                .col(date_time(EmailToken::ExpiresAt))
                .col(date_time_null(EmailToken::UsedAt))
                .col(date_time(EmailToken::CreatedAt))
                .foreign_key(&mut cascade(
                    EmailToken::Table,
                    EmailToken::AccountId,
                    Account::Table,
                    Account::Id,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(OutboxEmail::Table)
                .col(pk_auto(OutboxEmail::Id))
                .col(string(OutboxEmail::ToEmail))
                .col(string_len(OutboxEmail::Lang, 2))
                .col(string(OutboxEmail::Subject))
                .col(text(OutboxEmail::Body))
                .col(date_time(OutboxEmail::CreatedAt))
                .col(date_time_null(OutboxEmail::SentAt))
                .col(integer(OutboxEmail::Attempts).default(0))
                .col(text_null(OutboxEmail::LastError))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            OutboxEmail::Table,
            OutboxEmail::SentAt,
            "idx_outbox_email_sent",
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(SignInFailure::Table)
                .col(pk_auto(SignInFailure::Id))
                .col(string(SignInFailure::Email))
                .col(string(SignInFailure::Address))
                .col(date_time(SignInFailure::At))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            SignInFailure::Table,
            SignInFailure::Email,
            "idx_sign_in_failure_email",
        ))
        .await?;
        m.create_index(index(
            SignInFailure::Table,
            SignInFailure::Address,
            "idx_sign_in_failure_address",
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            m,
            vec![
                SignInFailure::Table.into_iden(),
                OutboxEmail::Table.into_iden(),
                EmailToken::Table.into_iden(),
                Session::Table.into_iden(),
                HelperGrant::Table.into_iden(),
                Membership::Table.into_iden(),
                Account::Table.into_iden(),
            ],
        )
        .await
    }
}

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
    Email,
    Name,
    PasswordHash,
    Lang,
    EmailVerifiedAt,
    PlatformAdmin,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Membership {
    Table,
    Id,
    AccountId,
    CooperativeId,
    Role,
    ProducerId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum HelperGrant {
    Table,
    Id,
    HelperAccountId,
    ProducerId,
    GrantedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    Id,
    Data,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum EmailToken {
    Table,
    Id,
    AccountId,
    Purpose,
    TokenHash,
    ExpiresAt,
    UsedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OutboxEmail {
    Table,
    Id,
    ToEmail,
    Lang,
    Subject,
    Body,
    CreatedAt,
    SentAt,
    Attempts,
    LastError,
}

#[derive(DeriveIden)]
enum SignInFailure {
    Table,
    Id,
    Email,
    Address,
    At,
}

#[derive(DeriveIden)]
enum Cooperative {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Producer {
    Table,
    Id,
}
