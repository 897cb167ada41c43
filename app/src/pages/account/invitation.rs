//! `/invitations/{token}`: the page an invitation email links to. It says who
//! invites whom to which cooperative; the invited person signs in (or signs up) with
//! the address the email went to, and joins with one button (handled by the
//! server's `http::account::invitation`), which makes their producer profile.

use crate::components::load::after_loading;
use crate::error::PageError;
use crate::forms::FormProblem;
use crate::lang::use_lang;
use crate::tr;
use crate::viewer::use_viewer;
use domain::catalog::filter::percent_encode;
use domain::people::members::{Invitation, InvitationState};
use domain::{Lang, MemberRole};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

/// Anyone holding the link may read it: the token is the secret.
#[server]
pub async fn load_invitation(token: String) -> Result<Invitation, PageError> {
    use crate::error::ssr::db;
    let hash = auth::token::hash_token(&token);
    store::people::members::invitation(&db()?, &hash, domain::clock::now().on_site())
        .await
        .map_err(PageError::internal)?
        .ok_or(PageError::NotFound)
}

#[component]
pub fn InvitationPage() -> impl IntoView {
    let lang = use_lang();
    let token = use_params_map().with_untracked(|p| p.get("token").unwrap_or_default());
    let here = format!("/invitations/{token}");
    let viewer = use_viewer();
    after_loading(load_invitation(token), move |i: Invitation| {
        let role =
            crate::pages::coop::members::role_label(MemberRole::Producer, Some(i.role), lang);
        let title = tr!(
            lang,
            invitation_title,
            cooperative = i.cooperative_name.clone()
        );
        let lead = tr!(
            lang,
            invitation_lead,
            by = i.invited_by.clone(),
            cooperative = i.cooperative_name.clone(),
            role = role.to_lowercase()
        );
        let action = match (i.state, viewer) {
            (InvitationState::Open, None) => signed_out(&here, &i, lang).into_any(),
            (InvitationState::Open, Some(v)) if !v.email.eq_ignore_ascii_case(&i.email) => view! {
                <p class="form-error" role="alert">
                    {tr!(lang, err_wrong_invitee, email = i.email.clone())}
                </p>
                <p>{tr!(lang, invitation_signed_in_as, email = v.email.clone())}</p>
                <form method="post" action="/sign-out" class="inline">
                    <button type="submit" class="secondary">
                        {tr!(lang, sign_out_button)}
                    </button>
                </form>
            }
            .into_any(),
            (InvitationState::Open, Some(_)) => view! {
                <form method="post" action=here.clone() class="stacked">
                    <FormProblem />
                    <button type="submit">
                        {tr!(lang, join_cooperative, cooperative = i.cooperative_name.clone())}
                    </button>
                </form>
            }
            .into_any(),
            (InvitationState::Accepted, _) => {
                view! { <p class="notice">{tr!(lang, invitation_accepted)}</p> }.into_any()
            }
            (InvitationState::Withdrawn, _) => {
                view! { <p class="notice">{tr!(lang, invitation_withdrawn)}</p> }.into_any()
            }
            (InvitationState::Expired, _) => {
                view! { <p class="notice">{tr!(lang, invitation_expired)}</p> }.into_any()
            }
        };
        view! {
            <Title text=format!("{title} — Tianguis") />
            <Meta name="robots" content="noindex" />
            // The token is in this page's address: other sites never see it.
            <Meta name="referrer" content="no-referrer" />
            <section class="narrow">
                <h1>{title}</h1>
                <p class="lead">{lead}</p>
                {action}
            </section>
        }
    })
}

fn signed_out(here: &str, i: &Invitation, lang: Lang) -> impl IntoView + use<> {
    let next = percent_encode(here);
    view! {
        <p>{tr!(lang, invitation_sign_in_as, email = i.email.clone())}</p>
        <p class="actions">
            <a class="button" href=format!("/sign-up?next={next}")>
                {tr!(lang, sign_up_title)}
            </a>
            " "
            <a class="button secondary" href=format!("/sign-in?next={next}")>
                {tr!(lang, sign_in_title)}
            </a>
        </p>
    }
}
