//! "Where the money went" on a cooperative's or community's public page: what its
//! sales paid to artisans and guides and to the community fund, and what the fund
//! spent on projects, for all time and for the last twelve months (from the ledger).

use super::table::scrolling;
use crate::tr;
use domain::Lang;
use domain::money::finances::Transparency;
use leptos::prelude::*;

pub fn where_the_money_went(
    t: &Transparency,
    fund_page: String,
    lang: Lang,
) -> impl IntoView + use<> {
    let row = |label: String, all: domain::Money, year: domain::Money| {
        view! {
            <tr>
                <th scope="row">{label}</th>
                <td class="amount">{year.to_string()}</td>
                <td class="amount">{all.to_string()}</td>
            </tr>
        }
    };
    let (a, y) = (&t.all_time, &t.last_12_months);
    view! {
        <section class="transparency" id="where-the-money-went">
            <h2>{tr!(lang, transparency_title)}</h2>
            {scrolling(view! {
                <table class="money-table">
                    <thead>
                        <tr>
                            <td></td>
                            <th scope="col">{tr!(lang, transparency_last_12_months)}</th>
                            <th scope="col">{tr!(lang, transparency_all_time)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {row(tr!(lang, transparency_to_producers), a.to_producers, y.to_producers)}
                        {row(tr!(lang, transparency_to_fund), a.to_fund, y.to_fund)}
                        {row(tr!(lang, transparency_spent), a.spent_on_projects, y.spent_on_projects)}
                    </tbody>
                </table>
            })}
            <p><a href=fund_page>{tr!(lang, transparency_fund_link)}</a></p>
        </section>
    }
}
