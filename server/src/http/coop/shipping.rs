//! `/coop/{slug}/shipping`'s form: a cooperative admin sets how its crafts ship (a flat
//! rate, a rate per item, free above an amount) and whether they can be picked up.

use crate::http::answer::Answer;
use crate::http::forms::{FormPost, see_other};
use crate::http::router::AppState;
use app::forms::{FieldError, FormEcho, Refusal};
use axum::extract::{Path, State};
use domain::commerce::shipping::ShippingFields;
use http::StatusCode;
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct ShippingForm {
    #[serde(default)]
    ships: String,
    #[serde(default)]
    flat: String,
    #[serde(default)]
    per_item: String,
    #[serde(default)]
    free_above: String,
    #[serde(default)]
    pickup: String,
}

#[tracing::instrument(name = "shipping_rates", skip_all, fields(coop = slug))]
pub async fn shipping(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    post: FormPost<ShippingForm>,
) -> Answer {
    let viewer = post.viewer()?;
    let Some(membership) = viewer.administration_of(&slug) else {
        return Err(post.refuse(Refusal::NotAllowed));
    };
    let fields = ShippingFields {
        ships: !post.form.ships.is_empty(),
        flat: post.form.flat.clone(),
        per_item: post.form.per_item.clone(),
        free_above: post.form.free_above.clone(),
        pickup: !post.form.pickup.is_empty(),
    };
    let page = format!("/coop/{slug}/shipping");
    match fields.parse() {
        Ok(rates) => {
            store::commerce::shipping_rates::save(&state.db, membership.cooperative_id, &rates)
                .await?;
            Ok(see_other(&format!("{page}?done=saved")))
        }
        Err(problems) => {
            let echo = problems
                .into_iter()
                .fold(FormEcho::new(), |echo, (field, e)| {
                    echo.error(field, FieldError::Shipping(e))
                });
            let echo = [
                ("flat", &post.form.flat),
                ("per_item", &post.form.per_item),
                ("free_above", &post.form.free_above),
                ("ships", &post.form.ships),
                ("pickup", &post.form.pickup),
            ]
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .fold(echo, |echo, (f, v)| echo.value(f, v));
            let uri = page;
            Err(state
                .pages
                .redraw_at(&post.parts, &uri, echo, StatusCode::UNPROCESSABLE_ENTITY)
                .await)
        }
    }
}
