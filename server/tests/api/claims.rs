//! Background work claimed, not raced: several servers on one database run each
//! round of a periodic job once (`store::claims`, `server::tasks::claims::Worker`),
//! and a round whose server died is taken over once its lease has run out.

use crate::support;

use chrono::Duration;
use server::tasks::claims::{When, Worker};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use store::claims::{claim, finish, jobs};
use support::{Backend, fresh_database};

const LEASE: Duration = Duration::minutes(5);

/// Where job `name` stands.
async fn job(db: &store::DatabaseConnection, name: &str) -> store::entity::background_job::Model {
    jobs(db)
        .await
        .unwrap()
        .into_iter()
        .find(|j| j.name == name)
        .expect("the job has a row once claimed")
}

async fn three_servers_starting_at_once_run_a_due_round_once(backend: Backend) {
    let t = fresh_database(backend).await;
    let rounds = Arc::new(AtomicUsize::new(0));
    let servers = (0..3).map(|_| {
        let worker = Worker::new(t.db.clone(), LEASE);
        let rounds = rounds.clone();
        tokio::spawn(async move {
            let mut ran = 0;
            for _ in 0..5 {
                if worker
                    .run(
                        "holds",
                        When::Due,
                        std::time::Duration::from_secs(3600),
                        || async {
                            rounds.fetch_add(1, Ordering::SeqCst);
                            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                        },
                    )
                    .await
                    .is_some()
                {
                    ran += 1;
                }
            }
            ran
        })
    });
    let mut ran = 0;
    for server in servers.collect::<Vec<_>>() {
        ran += server.await.unwrap();
    }
    assert_eq!(rounds.load(Ordering::SeqCst), 1, "one round in all");
    assert_eq!(ran, 1, "and one server says it ran it");
    let holds = job(&t.db, "holds").await;
    assert_eq!(holds.rounds, 1);
    assert_eq!(holds.held_by, None, "the lease is given back");
    assert!(holds.next_run_at.is_some());
}

async fn a_round_is_held_by_its_server_until_done_or_its_lease_runs_out(backend: Backend) {
    let t = fresh_database(backend).await;
    let db = &t.db;
    let now = domain::clock::now();
    assert!(
        claim(db, "payments", "a", LEASE, When::Due, now)
            .await
            .unwrap()
    );
    assert!(
        !claim(db, "payments", "b", LEASE, When::Free, now)
            .await
            .unwrap(),
        "not while a holds it"
    );
    // a dies mid-round: after its lease, b takes the round over.
    let later = now + LEASE + Duration::seconds(1);
    assert!(
        claim(db, "payments", "b", LEASE, When::Due, later)
            .await
            .unwrap()
    );
    assert!(
        !finish(db, "payments", "a", later + Duration::minutes(1), later)
            .await
            .unwrap(),
        "a's late finish neither counts nor cuts b's lease short"
    );
    assert_eq!(job(db, "payments").await.held_by.as_deref(), Some("b"));
    let next = later + Duration::minutes(1);
    assert!(finish(db, "payments", "b", next, later).await.unwrap());
    let payments = job(db, "payments").await;
    assert_eq!(payments.rounds, 1);
    assert_eq!(payments.last_done_by.as_deref(), Some("b"));

    assert!(
        !claim(db, "payments", "a", LEASE, When::Due, later)
            .await
            .unwrap(),
        "the next round is not due yet"
    );
    assert!(
        claim(db, "payments", "a", LEASE, When::Free, later)
            .await
            .unwrap(),
        "but a server starting may run one now"
    );
    assert!(
        claim(db, "holds", "b", LEASE, When::Due, later)
            .await
            .unwrap(),
        "each job is claimed on its own"
    );
}

on_both_backends!(
    three_servers_starting_at_once_run_a_due_round_once,
    a_round_is_held_by_its_server_until_done_or_its_lease_runs_out,
);
