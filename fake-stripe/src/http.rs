//! The wire: the routes' handlers, reading forms, and answering as Stripe does (its JSON errors).

use super::*;

pub(crate) fn error(
    status: StatusCode,
    type_: ApiErrorsType,
    code: ApiErrorsCode,
    message: &str,
) -> Answer {
    let err = stripe_shared::Error {
        error: Box::new(api_error(type_, Some(code), message)),
    };
    (
        status,
        serde_json::to_string(&err).expect("errors serialise"),
    )
}

pub(crate) fn api_error(
    type_: ApiErrorsType,
    code: Option<ApiErrorsCode>,
    message: &str,
) -> ApiErrors {
    ApiErrors {
        advice_code: None,
        charge: None,
        code,
        decline_code: None,
        doc_url: None,
        message: Some(message.to_owned()),
        network_advice_code: None,
        network_decline_code: None,
        param: None,
        payment_intent: None,
        payment_method: None,
        payment_method_type: None,
        request_log_url: None,
        setup_intent: None,
        source: None,
        type_,
    }
}

pub(crate) fn no_such(id: &str) -> Answer {
    error(
        StatusCode::NOT_FOUND,
        ApiErrorsType::InvalidRequestError,
        ApiErrorsCode::ResourceMissing,
        &format!("No such payment_intent: '{id}'"),
    )
}

pub(crate) fn body_of<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("async-stripe types serialise")
}

pub(crate) fn form_of(body: &[u8]) -> HashMap<String, String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .unwrap_or_default()
        .into_iter()
        .collect()
}

/// `payment_method_types[0]=card&payment_method_types[1]=oxxo` → `["card", "oxxo"]`.
pub(crate) fn list_of(form: &HashMap<String, String>, name: &str) -> Vec<String> {
    let mut items: Vec<(usize, String)> = form
        .iter()
        .filter_map(|(k, v)| {
            let i = k.strip_prefix(name)?.strip_prefix('[')?.strip_suffix(']')?;
            Some((i.parse().unwrap_or(0), v.clone()))
        })
        .collect();
    items.sort();
    items.into_iter().map(|(_, v)| v).collect()
}

pub(crate) async fn retrieve_account(
    State(fake): State<FakeStripe>,
    Path(id): Path<String>,
) -> Response {
    let objects = fake.objects.lock().expect("not poisoned");
    reply(match objects.accounts.get(&id) {
        Some(account) => (StatusCode::OK, body_of(account)),
        None => error(
            StatusCode::NOT_FOUND,
            ApiErrorsType::InvalidRequestError,
            ApiErrorsCode::ResourceMissing,
            &format!("No such account: '{id}'"),
        ),
    })
}

pub(crate) fn reply((status, body): Answer) -> Response {
    (status, [("content-type", "application/json")], body).into_response()
}

pub(crate) async fn posted(
    State(fake): State<FakeStripe>,
    headers: HeaderMap,
    path: Option<Path<(String, String)>>,
    uri: axum::http::Uri,
    body: Bytes,
) -> Response {
    let key = headers
        .get("idempotency-key")
        .and_then(|k| k.to_str().ok())
        .map(str::to_owned);
    let form = form_of(&body);
    let answer = {
        let mut objects = fake.objects.lock().expect("not poisoned");
        objects.seen.push(Seen {
            method: "POST".into(),
            path: uri.path().to_owned(),
            idempotency_key: key.clone(),
        });
        if uri.path() == "/v1/transfers" && objects.failing_transfers > 0 {
            objects.failing_transfers -= 1;
            return reply(error(
                StatusCode::SERVICE_UNAVAILABLE,
                ApiErrorsType::ApiError,
                ApiErrorsCode::Unknown(String::new()),
                "Stripe is having trouble; try again.",
            ));
        }
        if let Some(answer) = key.as_ref().and_then(|k| objects.answers.get(k)) {
            let (status, body) = answer.clone();
            return reply((StatusCode::from_u16(status).unwrap_or(StatusCode::OK), body));
        }
        let base = fake.url.clone();
        let answer = match (uri.path(), path) {
            ("/v1/payment_intents", _) => objects.create_intent(&form),
            (p, None) if p.starts_with("/v1/payment_intents/") => {
                objects.update_intent(p.trim_start_matches("/v1/payment_intents/"), &form)
            }
            ("/v1/refunds", _) => objects.refund(&form),
            ("/v1/accounts", _) => objects.create_account(&form),
            ("/v1/account_links", _) => objects.account_link(&form, &base),
            ("/v1/transfers", _) => objects.transfer(&form),
            (_, Some(Path((id, action)))) if action == "confirm" => {
                objects.confirm(&id, &form, &base)
            }
            (_, Some(Path((id, action)))) if action == "cancel" => objects.cancel(&id),
            _ => error(
                StatusCode::NOT_FOUND,
                ApiErrorsType::InvalidRequestError,
                ApiErrorsCode::ResourceMissing,
                "Unrecognized request URL.",
            ),
        };
        if let Some(k) = key {
            objects
                .answers
                .insert(k, (answer.0.as_u16(), answer.1.clone()));
        }
        if uri.path() == "/v1/transfers"
            && answer.0 == StatusCode::OK
            && objects.lost_transfer_answers > 0
        {
            objects.lost_transfer_answers -= 1;
            error(
                StatusCode::SERVICE_UNAVAILABLE,
                ApiErrorsType::ApiError,
                ApiErrorsCode::Unknown(String::new()),
                "Stripe is having trouble; try again.",
            )
        } else {
            answer
        }
    };
    fake.deliver_new().await;
    reply(answer)
}

pub(crate) async fn create(
    state: State<FakeStripe>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    body: Bytes,
) -> Response {
    posted(state, headers, None, uri, body).await
}

pub(crate) async fn act(
    state: State<FakeStripe>,
    headers: HeaderMap,
    path: Path<(String, String)>,
    uri: axum::http::Uri,
    body: Bytes,
) -> Response {
    posted(state, headers, Some(path), uri, body).await
}

pub(crate) async fn list_transfers(
    State(fake): State<FakeStripe>,
    RawQuery(query): RawQuery,
) -> Response {
    let mut objects = fake.objects.lock().expect("not poisoned");
    objects.seen.push(Seen {
        method: "GET".into(),
        path: "/v1/transfers".into(),
        idempotency_key: None,
    });
    let query = form_of(query.unwrap_or_default().as_bytes());
    reply(objects.list_transfers(&query))
}

pub(crate) async fn retrieve(
    State(fake): State<FakeStripe>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let mut objects = fake.objects.lock().expect("not poisoned");
    objects.seen.push(Seen {
        method: "GET".into(),
        path: format!("/v1/payment_intents/{id}"),
        idempotency_key: None,
    });
    let query = form_of(query.unwrap_or_default().as_bytes());
    reply(objects.intent_answer(&id, &query))
}
