//! The catalog over HTTP, on SQLite and on PostgreSQL: pages, filters, search,
//! pagination, 404s, bad filter values and language negotiation.

use crate::support;

use chrono::{Datelike, Duration};
use serde_json::Value;
use support::{Backend, Page, spawn_app};

fn demo() -> Value {
    serde_json::from_str(include_str!("../../demo/catalog.json")).unwrap()
}

fn prices_in(page: &Page) -> Vec<i64> {
    page.body
        .split("class=\"price\">")
        .skip(1)
        .filter_map(|rest| rest.split('<').next())
        .map(|text| {
            let digits: String = text.chars().filter(|c| c.is_ascii_digit()).collect();
            digits.parse::<i64>().expect("a price has digits")
        })
        .collect()
}

async fn home_page_shows_all_three_kinds_in_spanish_by_default(backend: Backend) {
    let app = spawn_app(backend).await;
    let page = app.get("/").await;
    assert_eq!(page.status, 200);
    assert!(page.has("<html lang=\"es\""));
    assert!(page.has("El mercado de las comunidades"));
    assert!(
        page.has("href=\"/crafts/") && page.has("href=\"/tours/") && page.has("href=\"/events/")
    );
    assert!(page.card_count() >= 12);
}

async fn pages_have_a_title_a_description_and_open_graph_tags(backend: Backend) {
    let app = spawn_app(backend).await;
    for path in [
        "/",
        "/crafts",
        "/tours",
        "/events",
        "/cooperatives",
        "/cooperatives/tejedoras-del-picacho",
        "/communities/teotitlan-del-valle",
        "/crafts/tapete-greca-de-mitla-grana",
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        assert!(page.has("<title>"), "{path} has a title");
        assert!(
            page.has("<meta name=\"description\""),
            "{path} has a description"
        );
        assert!(
            page.has("<meta property=\"og:title\""),
            "{path} has og:title"
        );
    }
}

/// The `content` of the page's `<meta {attr}="{name}">`.
fn meta(page: &support::Page, attr: &str, name: &str) -> Option<String> {
    let tag = format!("<meta {attr}=\"{name}\" content=\"");
    let at = page.body.find(&tag)? + tag.len();
    let end = page.body[at..].find('"')? + at;
    Some(page.body[at..end].replace("&amp;", "&"))
}

async fn shared_pages_give_absolute_addresses_and_a_jpeg_to_preview(backend: Backend) {
    let app = spawn_app(backend).await;
    let slug = "tapete-greca-de-mitla-grana";
    let page = app.get(&format!("/crafts/{slug}")).await;
    let here = format!("http://tianguis.test/crafts/{slug}");
    assert!(
        page.has(&format!("<link href=\"{here}?lang=es\" rel=\"canonical\">")),
        "{}",
        page.body
    );
    for lang in ["es", "en"] {
        assert!(
            page.has(&format!(
                "<link href=\"{here}?lang={lang}\" hreflang=\"{lang}\" rel=\"alternate\">"
            )),
            "hreflang {lang}"
        );
    }
    assert_eq!(
        meta(&page, "property", "og:url").as_deref(),
        Some(format!("{here}?lang=es").as_str())
    );
    let image = meta(&page, "property", "og:image").expect("a photo to preview");
    let media = image
        .strip_prefix("http://tianguis.test")
        .unwrap_or_else(|| panic!("absolute: {image}"));
    assert!(media.ends_with("-1280.jpg"), "a JPEG: {image}");
    assert_eq!(
        meta(&page, "name", "twitter:card").as_deref(),
        Some("summary_large_image")
    );
    let res = app.client.get(app.url(media)).send().await.unwrap();
    assert_eq!(res.status(), 200, "{media}");
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    let jpeg = image::load_from_memory(&res.bytes().await.unwrap()).unwrap();
    assert_eq!(jpeg.width(), 1280);

    let fund = app.get("/communities/teotitlan-del-valle/fund").await;
    assert_eq!(fund.status, 200);
    assert!(
        meta(&fund, "name", "description").is_some_and(|d| d.len() > 40),
        "the fund page says what it is"
    );
    assert_eq!(
        meta(&fund, "property", "og:image").as_deref(),
        Some("http://tianguis.test/og-card.jpg"),
        "a page without a photo of its own is previewed with the site's card"
    );

    let robots = app.get("/robots.txt").await;
    assert_eq!(robots.status, 200);
    assert!(robots.has("User-agent: *") && robots.has("Disallow: /dashboard"));
    assert!(robots.has("Disallow: /orders/") && !robots.has("Disallow: /crafts"));
    assert!(robots.has("Sitemap: http://tianguis.test/sitemap.xml"));

    // The sitemap: an index of files, every public page in both languages.
    let index = app.get("/sitemap.xml").await;
    assert_eq!(index.status, 200);
    assert!(index.has("<sitemapindex"));
    let files: Vec<String> = index
        .body
        .split("<loc>")
        .skip(1)
        .filter_map(|s| s.split("</loc>").next())
        .map(|loc| loc.trim_start_matches("http://tianguis.test").to_owned())
        .collect();
    assert!(
        files.contains(&"/sitemaps/pages.xml".to_owned()),
        "{files:?}"
    );
    let mut listed = String::new();
    for file in &files {
        let page = app.get(file).await;
        assert_eq!(page.status, 200, "{file}");
        assert!(page.has("<urlset"), "{file}");
        listed.push_str(&page.body);
    }
    for path in [
        "/",
        "/crafts",
        "/returns",
        "/cooperatives/tejedoras-del-picacho",
        "/communities/teotitlan-del-valle/fund",
        "/crafts/tapete-greca-de-mitla-grana",
        "/tours/taller-de-tintes-naturales-teotitlan",
    ] {
        for lang in ["es", "en"] {
            let loc = format!("<loc>http://tianguis.test{path}?lang={lang}</loc>");
            assert!(listed.contains(&loc), "{loc} is in the sitemap");
        }
        assert!(listed.contains(&format!(
            "hreflang=\"en\" href=\"http://tianguis.test{path}?lang=en\""
        )));
    }
    assert!(!listed.contains("/dashboard") && !listed.contains("/orders/"));
    assert_eq!(app.get("/sitemaps/listings-999.xml").await.status, 404);
    assert_eq!(app.get("/sitemaps/nothing.xml").await.status, 404);

    let icon = app.get("/favicon.ico").await;
    assert_eq!(icon.status, 308);
    assert_eq!(icon.location(), "/favicon.svg");
}

/// The schema.org data of the page (its one JSON-LD block), parsed.
fn json_ld(page: &support::Page) -> serde_json::Value {
    let open = "<script type=\"application/ld+json\">";
    let at = page.body.find(open).expect("the page has JSON-LD") + open.len();
    let end = page.body[at..].find("</script>").unwrap() + at;
    serde_json::from_str(&page.body[at..end]).expect("valid JSON")
}

async fn listing_and_cooperative_pages_carry_schema_org_data(backend: Backend) {
    let app = spawn_app(backend).await;
    let craft = json_ld(&app.get("/crafts/tapete-greca-de-mitla-grana").await);
    assert_eq!(craft["@context"], "https://schema.org");
    assert_eq!(craft["@type"], "Product");
    assert_eq!(craft["name"], "Tapete Greca de Mitla en grana");
    assert_eq!(craft["offers"]["@type"], "Offer");
    assert_eq!(craft["offers"]["price"], "9800.00");
    assert_eq!(craft["offers"]["priceCurrency"], "MXN");
    assert_eq!(
        craft["offers"]["availability"],
        "https://schema.org/InStock"
    );
    assert!(
        craft["image"][0]
            .as_str()
            .is_some_and(|i| i.starts_with("http://tianguis.test/media/") && i.ends_with(".jpg"))
    );
    let tour = json_ld(&app.get("/tours/taller-de-tintes-naturales-teotitlan").await);
    assert_eq!(tour["@type"], "TouristTrip");
    assert_eq!(tour["offers"]["priceCurrency"], "MXN");
    assert_eq!(tour["provider"]["@type"], "Organization");
    let event = json_ld(&app.get("/events/feria-nacional-del-cobre").await);
    assert_eq!(event["@type"], "Event");
    assert!(event["startDate"].as_str().is_some_and(|d| d.len() == 16));
    assert_eq!(event["location"]["address"]["addressCountry"], "MX");
    let coop = json_ld(&app.get("/cooperatives/tejedoras-del-picacho").await);
    assert_eq!(coop["@type"], "Organization");
    assert_eq!(
        coop["url"],
        "http://tianguis.test/cooperatives/tejedoras-del-picacho"
    );
}

async fn crafts_are_filtered_by_community(backend: Backend) {
    let app = spawn_app(backend).await;
    let expected = demo()["crafts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            let coop = c["cooperative"].as_str().unwrap();
            demo()["cooperatives"]
                .as_array()
                .unwrap()
                .iter()
                .any(|co| co["slug"] == coop && co["community"] == "san-bartolo-coyotepec")
        })
        .count();
    let page = app.get("/crafts?community=san-bartolo-coyotepec").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.card_count(), expected);
    assert!(
        page.card_communities()
            .iter()
            .all(|c| c == "san-bartolo-coyotepec")
    );
    assert!(page.has(&results(expected)));
}

/// The values `page`'s `<select name="{name}">` offers (not "any").
fn options(page: &support::Page, name: &str) -> Vec<String> {
    let Some((_, rest)) = page.body.split_once(&format!("<select name=\"{name}\">")) else {
        return Vec::new();
    };
    let select = rest.split("</select>").next().unwrap_or_default();
    select
        .split("value=\"")
        .skip(1)
        .filter_map(|v| v.split('"').next())
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The filter offers every state, and a state's communities once it is chosen (or one
/// of them is): a list of every community would grow with the site.
async fn the_filter_offers_a_state_s_communities_once_a_state_is_chosen(backend: Backend) {
    let app = spawn_app(backend).await;
    let crafts = app.get("/crafts").await;
    assert_eq!(
        options(&crafts, "state"),
        [
            "chiapas",
            "guerrero",
            "michoacan",
            "oaxaca",
            "puebla",
            "yucatan"
        ]
    );
    assert!(options(&crafts, "community").is_empty(), "{}", crafts.body);
    assert!(crafts.has("Elige un estado para escoger una de sus comunidades."));
    let oaxaca = app.get("/tours?state=oaxaca").await;
    assert_eq!(
        options(&oaxaca, "community"),
        ["san-bartolo-coyotepec", "teotitlan-del-valle"]
    );
    // A community chosen by a link (a card's, a shared address) without its state.
    let one = app.get_in("en", "/crafts?community=tzintzuntzan").await;
    assert_eq!(
        options(&one, "community"),
        ["santa-clara-del-cobre", "tzintzuntzan"]
    );
    assert!(
        one.has("<option value=\"tzintzuntzan\" selected"),
        "{}",
        one.body
    );
    assert!(!one.has("Choose a state to pick one of its communities."));
}

/// The home page names the first twelve communities and links to the rest.
async fn the_home_page_names_a_dozen_communities_and_links_to_the_rest(backend: Backend) {
    let app = spawn_app(backend).await;
    let named = |page: &support::Page| page.body.matches("<li><a href=\"/communities/").count();
    let home = app.get("/").await;
    assert_eq!(named(&home), 8, "the demo's eight");
    assert!(!home.has("comunidades, con sus cooperativas"));
    for n in 0..7 {
        let name = format!("San Pedro {n}");
        let new = domain::people::platform::NewCommunity {
            slug: domain::Slug::from_name(&name),
            name,
            municipality: "San Pedro".into(),
            state: "Oaxaca".into(),
            state_slug: domain::Slug::from_name("Oaxaca"),
            languages: vec!["es".into()],
            description: Default::default(),
        };
        store::people::platform::create_community(&app.db, &new)
            .await
            .unwrap();
    }
    let home = app.get("/").await;
    assert_eq!(named(&home), 12, "{}", home.body);
    assert!(
        home.has("Las 15 comunidades, con sus cooperativas"),
        "{}",
        home.body
    );
}

/// "12 resultados", "1 resultado": the count a catalog page says.
fn results(n: usize) -> String {
    if n == 1 {
        "1 resultado".to_owned()
    } else {
        format!("{n} resultados")
    }
}

async fn crafts_are_filtered_by_state_and_category(backend: Backend) {
    let app = spawn_app(backend).await;
    let page = app.get("/crafts?state=michoacan&category=metalwork").await;
    assert_eq!(page.status, 200);
    assert!(page.card_count() > 0);
    assert!(page.body.matches("Metalistería</span>").count() == page.card_count());
    assert!(
        page.card_communities()
            .iter()
            .all(|c| c == "santa-clara-del-cobre" || c == "tzintzuntzan")
    );
    let oaxaca_metal = app.get("/crafts?state=oaxaca&category=metalwork").await;
    assert_eq!(oaxaca_metal.card_count(), 0);
    assert!(oaxaca_metal.has("No encontramos nada"));
}

async fn a_price_range_keeps_only_crafts_within_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let page = app.get("/crafts?min=500&max=1,500.00").await;
    assert_eq!(page.status, 200);
    let prices = prices_in(&page);
    assert!(!prices.is_empty());
    assert!(
        prices.iter().all(|p| (50_000..=150_000).contains(p)),
        "{prices:?}"
    );
    // The form shows the filter back to the visitor.
    assert!(page.has("value=\"500\"") && page.has("value=\"1500\""));
}

async fn search_ignores_case_and_accents(backend: Backend) {
    let app = spawn_app(backend).await;
    let page = app.get("/crafts?q=CAFE").await;
    assert!(page.card_count() >= 2);
    assert!(page.has("/crafts/cafe-tzinacapan-tostado-medio"));
    let both_words = app.get("/crafts?q=barro%20negro").await;
    assert!(both_words.card_count() > 0);
    assert!(
        both_words
            .card_communities()
            .iter()
            .all(|c| c == "san-bartolo-coyotepec")
    );
    let nothing = app.get("/crafts?q=zzzzqqq").await;
    assert_eq!(nothing.card_count(), 0);
}

async fn results_come_in_pages_of_twelve(backend: Backend) {
    let app = spawn_app(backend).await;
    let total = demo()["crafts"].as_array().unwrap().len();
    let pages = total.div_ceil(12);
    let first = app.get("/crafts").await;
    assert_eq!(first.card_count(), 12);
    assert!(first.has(&format!("Página 1 de {pages}")));
    assert!(first.has("href=\"/crafts?page=2\""));
    let last = app.get(&format!("/crafts?page={pages}")).await;
    assert_eq!(last.status, 200);
    assert_eq!(last.card_count(), total - 12 * (pages - 1));
    let beyond = app.get(&format!("/crafts?page={}", pages + 1)).await;
    assert_eq!(beyond.status, 404);
    // Filters are kept in pagination links so a filtered page can be shared.
    let filtered = app.get("/crafts?category=textiles").await;
    assert!(filtered.has("href=\"/crafts?category=textiles&amp;page=2\""));
}

async fn events_are_filtered_by_date_range(backend: Backend) {
    let app = spawn_app(backend).await;
    let (from, to) = (10, 30);
    let expected = demo()["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| (from..=to).contains(&e["starts_in_days"].as_i64().unwrap()))
        .count();
    assert!(expected > 0);
    let day = |d: i64| (app.now.date() + Duration::days(d)).to_string();
    let page = app
        .get(&format!("/events?from={}&to={}", day(from), day(to)))
        .await;
    assert_eq!(page.status, 200);
    assert_eq!(page.card_count(), expected);
}

async fn tours_are_filtered_by_the_dates_they_run(backend: Backend) {
    let app = spawn_app(backend).await;
    let date = app.now.date() + Duration::days(14);
    let weekday = u64::from(date.weekday().number_from_monday());
    let expected = demo()["tours"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| {
            t["weekdays"]
                .as_array()
                .unwrap()
                .iter()
                .any(|w| w.as_u64() == Some(weekday))
        })
        .count();
    let page = app.get(&format!("/tours?from={date}&to={date}")).await;
    assert_eq!(page.status, 200);
    assert!(
        page.has(&results(expected)),
        "expected {expected} tours on {date}"
    );
}

async fn a_craft_page_shows_price_maker_cooperative_and_community(backend: Backend) {
    let app = spawn_app(backend).await;
    let page = app.get("/crafts/tapete-greca-de-mitla-grana").await;
    assert_eq!(page.status, 200);
    assert!(page.has("Tapete Greca de Mitla en grana"));
    assert!(page.has("$9,800.00 MXN"));
    assert!(page.has("Rosario Bautista Ruiz"));
    assert!(page.has("href=\"/cooperatives/tejedoras-del-picacho\""));
    assert!(page.has("href=\"/communities/teotitlan-del-valle\""));
    assert!(page.has(".webp"), "photos are WebP");
}

async fn tour_and_event_pages_show_tickets_and_dates(backend: Backend) {
    let app = spawn_app(backend).await;
    let tour = app.get("/tours/taller-de-tintes-naturales-teotitlan").await;
    assert_eq!(tour.status, 200);
    assert!(tour.has("Residente en México") && tour.has("$1,200.00 MXN"));
    assert!(
        tour.has("desde $1,200.00 MXN"),
        "the adult's price, not the child's, is the one it is 'from'"
    );
    assert!(tour.has("Próximas salidas"));
    // The calendar names its month, says its zone once, and names each date in full
    // for a screen reader; it goes on to the weeks after.
    assert!(tour.has("<caption>") && tour.has("Horarios: hora de la Ciudad de México."));
    let link = tour
        .body
        .split("<a href=\"/slots/")
        .find(|l| l.split('>').next().unwrap().contains("class=\"slot open\""))
        .expect("an open date on the calendar");
    let id: i32 = link.split('"').next().unwrap().parse().unwrap();
    let name = link
        .split("aria-label=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let shown = link.split('>').nth(1).unwrap().split('<').next().unwrap();
    let starts_at = support::bookings::slot(&app, id).await.starts_at;
    assert_eq!(
        name,
        format!(
            "{} · {}",
            domain::dates::format_date(starts_at, domain::Lang::Es),
            shown.split(" · ").nth(1).unwrap()
        ),
        "a date's link is named by its whole date; it shows {shown:?}"
    );
    let later = tour
        .body
        .split("href=\"")
        .find(|h| h.contains("?from="))
        .and_then(|h| h.split('"').next())
        .expect("a link to the weeks after")
        .replace("&amp;", "&");
    let next = app.get(&later).await;
    assert_eq!(next.status, 200, "{later}");
    assert!(next.has("Semanas anteriores"), "and back");
    let months = |page: &support::Page| {
        page.body
            .split("<table class=\"calendar\"><caption>")
            .nth(1)
            .and_then(|c| c.split('<').next())
            .map(str::to_owned)
            .expect("the calendar's caption")
    };
    assert_ne!(months(&next), months(&tour), "other weeks, other months");
    assert_eq!(
        app.get("/tours/taller-de-tintes-naturales-teotitlan?from=ayer")
            .await
            .status,
        200,
        "a date that is not one shows from today"
    );
    let event = app.get("/events/feria-nacional-del-cobre").await;
    assert_eq!(event.status, 200);
    assert!(event.has("Gratis"));
    assert!(
        event.has("(hora de la Ciudad de México)"),
        "its times say their zone"
    );
}

async fn the_footer_s_pages_are_there_in_both_languages(backend: Backend) {
    let app = spawn_app(backend).await;
    let home = app.get("/").await;
    for (path, es, en) in [
        ("/about", "Sobre Tianguis", "About Tianguis"),
        ("/contact", "Contacto", "Contact"),
        ("/terms", "Términos de uso", "Terms of use"),
        (
            "/returns",
            "Devoluciones y cancelaciones",
            "Returns and cancellations",
        ),
        ("/privacy", "Privacidad", "Privacy"),
    ] {
        assert!(
            home.has(&format!("href=\"{path}\"")),
            "the footer links {path}"
        );
        let page = app.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        assert!(page.has(&format!("<h1>{es}</h1>")), "{path}");
        let english = app.get(&format!("{path}?lang=en")).await;
        assert!(english.has(&format!("<h1>{en}</h1>")), "{path} in English");
    }
    let returns = app.get("/returns").await;
    assert!(returns.has("24 horas") && returns.has("14 días"));
    let contact = app.get("/contact").await;
    assert!(
        contact.has("href=\"mailto:hola@tianguis.test\""),
        "the site's own address, as configured"
    );
}

async fn cooperative_and_community_pages_show_their_people_and_listings(backend: Backend) {
    let app = spawn_app(backend).await;
    let coop = app.get("/cooperatives/tejedoras-del-picacho").await;
    assert_eq!(coop.status, 200);
    assert!(coop.has("Rosario Bautista Ruiz"));
    assert!(coop.card_count() > 0);
    let list = app.get("/cooperatives").await;
    assert_eq!(
        list.body.matches("class=\"coop\"").count(),
        demo()["cooperatives"].as_array().unwrap().len()
    );
    let community = app.get("/communities/zinacantan").await;
    assert_eq!(community.status, 200);
    assert!(community.has("Tsotsil"));
    assert!(community.card_count() > 0);
}

async fn unknown_slugs_and_paths_get_a_real_404_page(backend: Backend) {
    let app = spawn_app(backend).await;
    for path in [
        "/crafts/no-such-craft",
        "/tours/tapete-greca-de-mitla-grana", // a craft is not a tour
        "/events/nope",
        "/cooperatives/nope",
        "/communities/nope",
        "/no/such/page",
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status, 404, "{path}");
        assert!(page.has("Página no encontrada"), "{path} explains itself");
    }
}

async fn malformed_filter_values_get_a_400_with_a_clear_message(backend: Backend) {
    let app = spawn_app(backend).await;
    let cases = [
        ("/crafts?min=barato", "no es un precio en pesos"),
        ("/events?from=2026-13-45", "no es una fecha"),
        ("/crafts?page=0", "no es un número de página"),
        ("/crafts?page=abc", "no es un número de página"),
        ("/tours?category=pottery", "no es una categoría"),
        ("/crafts?min=900&max=100", "mínimo es mayor"),
        ("/crafts?from=2027-01-01", "no tienen fechas"),
        ("/crafts?community=Not%20A%20Slug", "no es un valor válido"),
    ];
    for (path, message) in cases {
        let page = app.get(path).await;
        assert_eq!(page.status, 400, "{path}");
        assert!(page.has(message), "{path} should say {message:?}");
    }
    let english = app.get_in("en", "/crafts?min=cheap").await;
    assert_eq!(english.status, 400);
    assert!(english.has("is not a price in pesos"));
}

async fn the_language_follows_accept_language(backend: Backend) {
    let app = spawn_app(backend).await;
    let en = app.get_in("en-US,en;q=0.9", "/crafts").await;
    assert!(en.has("<html lang=\"en\""));
    assert!(en.has("Minimum price (MXN)"));
    assert_eq!(en.headers["content-language"], "en");
    let es = app.get_in("es-MX,es;q=0.9,en;q=0.5", "/crafts").await;
    assert!(es.has("<html lang=\"es\"") && es.has("Precio mínimo (MXN)"));
    let other = app.get_in("de-DE", "/crafts").await;
    assert!(other.has("<html lang=\"es\""), "Spanish is the fallback");
}

async fn lang_in_the_query_string_forces_the_language_and_is_remembered(backend: Backend) {
    let app = spawn_app(backend).await;
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let es_browser = [("accept-language", "es-MX")];
    let forced = app.get_with(&browser, "/crafts?lang=en", &es_browser).await;
    assert!(forced.has("<html lang=\"en\""));
    assert!(forced.headers.get("set-cookie").is_some());
    let later = app.get_with(&browser, "/tours", &es_browser).await;
    assert!(later.has("<html lang=\"en\""), "the choice is remembered");
    let back = app.get_with(&browser, "/tours?lang=es", &es_browser).await;
    assert!(back.has("<html lang=\"es\""));
    // The switcher links keep the filters.
    let filtered = app.get("/crafts?category=textiles").await;
    assert!(filtered.has("href=\"/crafts?category=textiles&amp;lang=en\""));
}

async fn untranslated_texts_are_shown_in_the_other_language_and_marked(backend: Backend) {
    let app = spawn_app(backend).await;
    let page = app
        .get_in("en", "/crafts/tapete-lluvia-sobre-el-picacho")
        .await;
    assert_eq!(page.status, 200);
    assert!(page.has("Not yet translated into English"));
    // The language switcher carries lang="es" on every page: look for the marked text itself.
    assert!(
        page.has("<span lang=\"es\">"),
        "the Spanish title is marked as Spanish"
    );
    assert!(
        page.has("<div lang=\"es\" class=\"prose\">"),
        "the Spanish description too"
    );
    let translated = app
        .get_in("en", "/crafts/tapete-greca-de-mitla-grana")
        .await;
    assert!(translated.has("Mitla Fretwork Rug") && !translated.has("Not yet translated"));
    assert!(!translated.has("<span lang=\"es\">"));
}

/// Pages are gzipped as they are sent, even for a browser that takes brotli too
/// (brotli's set-up cost more CPU than the bytes it saved; built assets come brotli'd,
/// compressed once when they were built, which `bench/measure.py` shows).
async fn responses_are_compressed(backend: Backend) {
    let app = spawn_app(backend).await;
    let res = app
        .client
        .get(app.url("/crafts"))
        .header("accept-encoding", "gzip, deflate, br, zstd")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-encoding"], "gzip");
}

async fn photos_are_served_as_sized_webp(backend: Backend) {
    let app = spawn_app(backend).await;
    let (headers, img) = app
        .photo("/media/tapete-greca-de-mitla-grana-1-320.webp")
        .await;
    assert_eq!(headers["content-type"], "image/webp");
    assert!(
        headers["cache-control"]
            .to_str()
            .unwrap()
            .contains("max-age")
    );
    assert_eq!((img.width(), img.height()), (320, 240));
}

async fn browsing_stores_no_session_and_sets_no_session_cookie(backend: Backend) {
    let app = spawn_app(backend).await;
    for path in [
        "/",
        "/crafts",
        "/crafts/tapete-greca-de-mitla-grana",
        "/nowhere",
    ] {
        let page = app.get(path).await;
        let cookies: Vec<_> = page.headers.get_all("set-cookie").iter().collect();
        assert!(
            !cookies.iter().any(|c| c
                .to_str()
                .unwrap()
                .starts_with(server::http::SESSION_COOKIE)),
            "{path}: {cookies:?}"
        );
    }
    let stored = {
        use sea_orm::{EntityTrait, PaginatorTrait};
        store::entity::session::Entity::find()
            .count(&app.db)
            .await
            .unwrap()
    };
    assert_eq!(
        stored, 0,
        "a visitor who does not sign in leaves no session behind"
    );
}

async fn healthz_reports_whether_the_database_answers(backend: Backend) {
    let app = spawn_app(backend).await;
    assert_eq!(app.get("/healthz").await.status, 200);
    app.db.clone().close().await.unwrap();
    assert_eq!(app.get("/healthz").await.status, 503);
}

/// `tianguis seed --demo --listings N` (bench/scale.sh): the catalog grows to N
/// listings made from the demo's, in new cooperatives and communities, and every new
/// listing is browsable like the demo's.
async fn a_catalog_grown_for_the_bench_is_browsable(backend: Backend) {
    let app = spawn_app(backend).await;
    let demo_crafts = demo()["crafts"].as_array().unwrap().len();
    let grown =
        server::demo::scale::grow_catalog(&app.db, &app.config.media_dir, 369, app.now.naive())
            .await
            .expect("the catalog grows");
    assert!(
        matches!(
            grown,
            server::demo::SeedOutcome::Loaded { listings: 369, .. }
        ),
        "{grown:?}"
    );
    let crafts = app.get("/crafts").await;
    let pages = |n: usize| format!("Página 1 de {}", n.div_ceil(12));
    assert!(
        !crafts.has(&pages(demo_crafts)),
        "more crafts than the demo's"
    );
    let found = app.get_in("en", "/crafts?q=indigo").await;
    assert_eq!(found.status, 200);
    assert!(found.card_count() > 0, "the new titles are searched");
    let first = app.get("/crafts/tapete-greca-de-mitla-grana-69").await;
    assert_eq!(
        first.status, 200,
        "the first new listing, numbered after the demo's 69"
    );
    assert!(first.has("azul añil"), "its title told apart by a colour");
    assert_eq!(
        app.get("/cooperatives/tejedoras-del-picacho-69")
            .await
            .status,
        200
    );
    // Grown again to the size it has: nothing added.
    let again =
        server::demo::scale::grow_catalog(&app.db, &app.config.media_dir, 369, app.now.naive())
            .await
            .unwrap();
    assert!(matches!(
        again,
        server::demo::SeedOutcome::Loaded { listings: 369, .. }
    ));
}

/// "Artesanías (58)": the count a profile's shelf of `kind` says, if it has one.
fn shelf_count(page: &support::Page, heading: &str) -> Option<u64> {
    let (_, rest) = page.body.split_once(&format!("<h2>{heading} ("))?;
    rest.split_once(')')?.0.parse().ok()
}

async fn a_profile_shows_a_few_of_each_kind_and_links_to_the_rest(backend: Backend) {
    let app = spawn_app(backend).await;
    // Three new cooperatives of 100 listings each, in one new community.
    server::demo::scale::grow_catalog(&app.db, &app.config.media_dir, 369, app.now.naive())
        .await
        .expect("the catalog grows");
    let kinds = [
        ("Artesanías", "/crafts", "artesanías"),
        ("Recorridos", "/tours", "recorridos"),
        ("Eventos culturales", "/events", "eventos"),
    ];
    let community = format!("{}-69", domain::Slug::from_name("San Juan Yaxé"));
    for (profile, filter, listings) in [
        (
            "/cooperatives/tejedoras-del-picacho-69".to_owned(),
            "cooperative=tejedoras-del-picacho-69".to_owned(),
            100,
        ),
        (
            format!("/communities/{community}"),
            format!("community={community}"),
            300,
        ),
    ] {
        let page = app.get(&profile).await;
        assert_eq!(page.status, 200, "{profile}");
        let mut counted = 0;
        for (heading, path, noun) in kinds {
            let n = shelf_count(&page, heading)
                .unwrap_or_else(|| panic!("{profile} has a shelf of {heading}"));
            assert!(n > 6, "{profile}: {n} {heading}, more than a shelf holds");
            counted += n;
            let link = format!("href=\"{path}?{filter}\"");
            assert!(page.has(&link), "{profile} links {link}");
            assert!(page.has(&format!(
                "Ver {} {n} {noun}",
                if noun == "artesanías" { "las" } else { "los" }
            )));
            // The catalog the link opens finds the same listings.
            let all = app.get(&format!("{path}?{filter}")).await;
            assert_eq!(all.status, 200, "{path}?{filter}");
            assert!(all.has(&results(n as usize)), "{path}?{filter} finds {n}");
        }
        assert_eq!(
            counted, listings,
            "{profile}: every listing on a shelf's count"
        );
        assert_eq!(page.card_count(), 3 * 6, "{profile}: six of each kind");
    }
    // The catalog of one cooperative says whose, and can be widened.
    let theirs = app.get("/tours?cooperative=tejedoras-del-picacho-69").await;
    assert!(theirs.has("name=\"cooperative\" value=\"tejedoras-del-picacho-69\" checked"));
    assert!(
        theirs.has("Solo de Cooperativa de Tejedoras del Picacho de San Juan Yaxé"),
        "{}",
        theirs.body
    );
    // A demo cooperative's few listings are all shown, with no link to more.
    let small = app.get("/cooperatives/tejedoras-del-picacho").await;
    assert!(small.card_count() > 0);
    assert!(!small.has("?cooperative="), "nothing more to link to");
    let nobody = app.get("/crafts?cooperative=nadie").await;
    assert_eq!(nobody.status, 200);
    assert!(
        nobody.has(&results(0)),
        "a cooperative nobody has finds nothing"
    );
}

/// The cooperative slugs a page of `/cooperatives` lists.
fn listed_cooperatives(page: &Page) -> Vec<String> {
    page.body
        .split("<h2><a href=\"/cooperatives/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

async fn the_cooperatives_come_fifty_to_a_page(backend: Backend) {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
    let app = spawn_app(backend).await;
    let place = store::entity::community::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .expect("the demo has communities");
    for n in 0..60 {
        store::entity::cooperative::ActiveModel {
            community_id: Set(place.id),
            slug: Set(format!("cooperativa-zeta-{n:02}")),
            name: Set(format!("Zeta {n:02}")),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
    let total = demo()["cooperatives"].as_array().unwrap().len() + 60;
    let first = app.get("/cooperatives").await;
    assert_eq!(first.status, 200);
    let on_first = listed_cooperatives(&first);
    assert_eq!(on_first.len(), 50, "{}", first.body);
    assert!(first.has(&format!("Página 1 de {}", total.div_ceil(50))));
    assert!(first.has("href=\"/cooperatives?page=2\""));
    let second = app.get("/cooperatives?page=2").await;
    assert_eq!(second.status, 200);
    let on_second = listed_cooperatives(&second);
    assert_eq!(on_second.len(), total - 50);
    assert!(
        second.has("href=\"/cooperatives\" rel=\"prev\"")
            || second.has("rel=\"prev\" href=\"/cooperatives\"")
    );
    let mut every: Vec<String> = on_first.into_iter().chain(on_second).collect();
    every.sort();
    every.dedup();
    assert_eq!(
        every.len(),
        total,
        "each cooperative once, on one page or the other"
    );
    assert!(every.contains(&"cooperativa-zeta-59".to_owned()));
    assert_eq!(app.get("/cooperatives?page=3").await.status, 404);
    let bad = app.get("/cooperatives?page=cero").await;
    assert_eq!(bad.status, 400);
    assert!(bad.has("no es un número de página"), "{}", bad.body);
}

on_both_backends!(
    a_catalog_grown_for_the_bench_is_browsable,
    the_cooperatives_come_fifty_to_a_page,
    a_profile_shows_a_few_of_each_kind_and_links_to_the_rest,
    listing_and_cooperative_pages_carry_schema_org_data,
    shared_pages_give_absolute_addresses_and_a_jpeg_to_preview,
    browsing_stores_no_session_and_sets_no_session_cookie,
    home_page_shows_all_three_kinds_in_spanish_by_default,
    pages_have_a_title_a_description_and_open_graph_tags,
    crafts_are_filtered_by_community,
    the_filter_offers_a_state_s_communities_once_a_state_is_chosen,
    the_home_page_names_a_dozen_communities_and_links_to_the_rest,
    crafts_are_filtered_by_state_and_category,
    a_price_range_keeps_only_crafts_within_it,
    search_ignores_case_and_accents,
    results_come_in_pages_of_twelve,
    events_are_filtered_by_date_range,
    tours_are_filtered_by_the_dates_they_run,
    a_craft_page_shows_price_maker_cooperative_and_community,
    tour_and_event_pages_show_tickets_and_dates,
    the_footer_s_pages_are_there_in_both_languages,
    cooperative_and_community_pages_show_their_people_and_listings,
    unknown_slugs_and_paths_get_a_real_404_page,
    malformed_filter_values_get_a_400_with_a_clear_message,
    the_language_follows_accept_language,
    lang_in_the_query_string_forces_the_language_and_is_remembered,
    untranslated_texts_are_shown_in_the_other_language_and_marked,
    responses_are_compressed,
    photos_are_served_as_sized_webp,
    healthz_reports_whether_the_database_answers,
);
