//! Demo sign-in accounts, one per role, so that a fresh `make run` can be tried as
//! each kind of person (the README lists them). They all share one password, which
//! is printed in the README: this is demo data, never a real site's.

use chrono::NaiveDateTime;
use domain::MemberRole;
use domain::clock::SiteTime;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use store::entity::{account, cooperative, helper_grant, membership, producer};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "tianguis demo 2026";

/// What a demo account is.
pub enum DemoRole {
    Visitor,
    PlatformAdmin,
    /// Admin of the cooperative with this slug.
    CoopAdmin(&'static str),
    /// The producer profile with this slug.
    Producer(&'static str),
    /// Helper in a cooperative, for these producers.
    Helper(&'static str, &'static [&'static str]),
}

pub struct DemoAccount {
    pub email: &'static str,
    pub name: &'static str,
    pub role: DemoRole,
}

pub const DEMO_ACCOUNTS: [DemoAccount; 8] = [
    DemoAccount {
        email: "visita@tianguis.demo",
        name: "Valeria Visitante",
        role: DemoRole::Visitor,
    },
    DemoAccount {
        email: "raiz@tianguis.demo",
        name: "Raíz de la plataforma",
        role: DemoRole::PlatformAdmin,
    },
    DemoAccount {
        email: "coop@tianguis.demo",
        name: "Lucía Martínez (Tejedoras del Picacho)",
        role: DemoRole::CoopAdmin("tejedoras-del-picacho"),
    },
    DemoAccount {
        email: "artesana@tianguis.demo",
        name: "Rosario Bautista Ruiz",
        role: DemoRole::Producer("rosario-bautista-ruiz"),
    },
    DemoAccount {
        email: "ayudante@tianguis.demo",
        name: "Marcos Ayudante",
        role: DemoRole::Helper(
            "tejedoras-del-picacho",
            &["rosario-bautista-ruiz", "juana-gutierrez-lazo"],
        ),
    },
    DemoAccount {
        email: "productor@tianguis.demo",
        name: "Fidel Mendoza Chávez",
        role: DemoRole::Producer("fidel-mendoza-chavez"),
    },
    DemoAccount {
        email: "guia@tianguis.demo",
        name: "Isaac Vásquez Contreras",
        role: DemoRole::Producer("isaac-vasquez-contreras"),
    },
    DemoAccount {
        email: "coop2@tianguis.demo",
        name: "Ernesto Ruiz (Telar de Grana)",
        role: DemoRole::CoopAdmin("telar-de-grana"),
    },
];

fn missing(what: &str, slug: &str) -> super::SeedError {
    super::SeedError::Invalid(format!("demo account refers to unknown {what} {slug}"))
}

async fn cooperative_id(db: &impl ConnectionTrait, slug: &str) -> Result<i32, super::SeedError> {
    cooperative::Entity::find()
        .filter(cooperative::Column::Slug.eq(slug))
        .one(db)
        .await?
        .map(|c| c.id)
        .ok_or_else(|| missing("cooperative", slug))
}

async fn producer_of(
    db: &impl ConnectionTrait,
    slug: &str,
) -> Result<producer::Model, super::SeedError> {
    producer::Entity::find()
        .filter(producer::Column::Slug.eq(slug))
        .one(db)
        .await?
        .ok_or_else(|| missing("producer", slug))
}

/// Creates the demo accounts, with `password_hash` (of [`DEMO_PASSWORD`]).
pub async fn load(
    db: &impl ConnectionTrait,
    password_hash: &str,
    now: NaiveDateTime,
) -> Result<usize, super::SeedError> {
    // Accounts keep UTC (`store::people::accounts`); memberships and grants site time.
    let account_created = SiteTime::from_naive(now).in_utc().naive();
    for demo in &DEMO_ACCOUNTS {
        let account = account::ActiveModel {
            email: Set(demo.email.to_owned()),
            name: Set(demo.name.to_owned()),
            password_hash: Set(password_hash.to_owned()),
            lang: Set("es".to_owned()),
            email_verified_at: Set(Some(now)),
            platform_admin: Set(matches!(demo.role, DemoRole::PlatformAdmin)),
            created_at: Set(account_created),
            ..Default::default()
        }
        .insert(db)
        .await?;
        let member = |cooperative_id: i32, role: MemberRole, producer_id: Option<i32>| {
            membership::ActiveModel {
                account_id: Set(account.id),
                cooperative_id: Set(cooperative_id),
                role: Set(role.code().to_owned()),
                producer_id: Set(producer_id),
                created_at: Set(now),
                ..Default::default()
            }
        };
        match demo.role {
            DemoRole::Visitor | DemoRole::PlatformAdmin => {}
            DemoRole::CoopAdmin(slug) => {
                member(cooperative_id(db, slug).await?, MemberRole::Admin, None)
                    .insert(db)
                    .await?;
            }
            DemoRole::Producer(slug) => {
                let p = producer_of(db, slug).await?;
                member(p.cooperative_id, MemberRole::Producer, Some(p.id))
                    .insert(db)
                    .await?;
            }
            DemoRole::Helper(coop, producers) => {
                let coop_id = cooperative_id(db, coop).await?;
                member(coop_id, MemberRole::Helper, None).insert(db).await?;
                let granted_by = account.id;
                for slug in producers {
                    let p = producer_of(db, slug).await?;
                    helper_grant::ActiveModel {
                        helper_account_id: Set(account.id),
                        producer_id: Set(p.id),
                        granted_by: Set(granted_by),
                        created_at: Set(now),
                        ..Default::default()
                    }
                    .insert(db)
                    .await?;
                }
            }
        }
    }
    Ok(DEMO_ACCOUNTS.len())
}
