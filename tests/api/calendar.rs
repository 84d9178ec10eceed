//! The hospital calendar pages show is kept in memory and forgotten when the
//! holidays change anywhere: here by a statement no instance of the app ran,
//! as another instance (or the admin's page on one) would.

use crate::helpers::*;
use second_opinion::clock::Clock;
use second_opinion::domain::CaseStatus;
use sqlx::PgPool;
use std::time::Duration;

fn expected_dates(page: &str) -> String {
    let at = page.find("Opinion expected between").expect("the case page says when to expect the opinion");
    page[at..at + 160].to_owned()
}

#[sqlx::test]
async fn a_holiday_added_anywhere_moves_the_dates_pages_show(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let case = app.case().in_state(CaseStatus::InReview).create().await;
    let family = app.signed_in_as(&case.family).await;
    let path = format!("/family/cases/{}", case.id);
    let before = expected_dates(&family.page(&path).await);
    // Read twice: the second view comes from memory.
    assert_eq!(expected_dates(&family.page(&path).await), before);

    // Every weekday of the next four weeks becomes a holiday.
    sqlx::query(
        "insert into holidays (day, name)
         select d::date, 'Closed' from generate_series(($1::timestamptz at time zone 'America/Los_Angeles')::date,
                                                       ($1::timestamptz at time zone 'America/Los_Angeles')::date + 28, '1 day') d
         where extract(isodow from d) < 6 on conflict do nothing",
    )
    .bind(app.clock.now().to_string())
    .execute(&app.db)
    .await
    .unwrap();

    let mut after = before.clone();
    for _ in 0..50 {
        after = expected_dates(&family.page(&path).await);
        if after != before {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_ne!(after, before, "the expected dates move past the new holidays");
}
