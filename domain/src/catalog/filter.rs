//! The filters of a catalog page, parsed from its query string. Filters live in the
//! URL so that a filtered page can be shared; a malformed value is refused with a
//! reason the page can explain (it answers 400, never 500).

use crate::{Category, Currency, ListingKind, Money, Slug};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CatalogFilter {
    pub q: Option<String>,
    /// One cooperative's listings (the link under its page's shelves).
    pub cooperative: Option<Slug>,
    pub community: Option<Slug>,
    pub state: Option<Slug>,
    pub category: Option<Category>,
    pub min_price: Option<Money>,
    pub max_price: Option<Money>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub sort: Sort,
    /// 1-based.
    pub page: u32,
}

/// How a catalog's results are ordered (`sort=` in the query string).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Sort {
    /// With a search, the most relevant first; without, the catalog's own order:
    /// crafts and tours newest first, events soonest.
    #[default]
    Usual,
    PriceLow,
    PriceHigh,
    Newest,
    /// Tours by their next departure, events by their start (dated kinds only).
    Soonest,
}

impl Sort {
    pub const ALL: [Sort; 5] = [
        Sort::Usual,
        Sort::PriceLow,
        Sort::PriceHigh,
        Sort::Newest,
        Sort::Soonest,
    ];

    /// The orders a catalog of `kind` offers.
    pub fn of(kind: ListingKind) -> impl Iterator<Item = Sort> {
        Sort::ALL
            .into_iter()
            .filter(move |s| *s != Sort::Soonest || kind.is_dated())
    }

    /// Its value in the query string (empty for the usual order).
    pub fn code(self) -> &'static str {
        match self {
            Sort::Usual => "",
            Sort::PriceLow => "price_asc",
            Sort::PriceHigh => "price_desc",
            Sort::Newest => "newest",
            Sort::Soonest => "soonest",
        }
    }

    pub fn parse(code: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// Which query-string parameter a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FilterField {
    Q,
    Cooperative,
    Community,
    State,
    Category,
    MinPrice,
    MaxPrice,
    From,
    To,
    Sort,
    Page,
}

impl FilterField {
    pub fn param(self) -> &'static str {
        match self {
            FilterField::Q => "q",
            FilterField::Cooperative => "cooperative",
            FilterField::Community => "community",
            FilterField::State => "state",
            FilterField::Category => "category",
            FilterField::MinPrice => "min",
            FilterField::MaxPrice => "max",
            FilterField::From => "from",
            FilterField::To => "to",
            FilterField::Sort => "sort",
            FilterField::Page => "page",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum FilterError {
    #[error("{field:?}: {value:?} is not a price in pesos")]
    NotAPrice { field: FilterField, value: String },
    #[error("{field:?}: {value:?} is not a date (YYYY-MM-DD)")]
    NotADate { field: FilterField, value: String },
    #[error("page: {0:?} is not a page number")]
    NotAPage(String),
    #[error("page: only the first {max} pages of results are shown")]
    PageTooDeep { max: u32 },
    #[error("{field:?}: {value:?} is not a valid name")]
    NotASlug { field: FilterField, value: String },
    #[error("category: {0:?} is not a category of this catalog")]
    UnknownCategory(String),
    #[error("the minimum price is above the maximum")]
    PriceRangeInverted,
    #[error("the start date is after the end date")]
    DateRangeInverted,
    #[error("{0:?}: crafts have no dates")]
    NoDatesForCrafts(FilterField),
    #[error("the search text is longer than {max} characters")]
    QueryTooLong { max: usize },
    #[error("sort: {0:?} is not a way to order results")]
    UnknownSort(String),
}

impl CatalogFilter {
    pub const PER_PAGE: u32 = 12;
    pub const MAX_QUERY_LEN: usize = 200;
    /// The most results a catalog counts and shows; past them the page says there are
    /// more and asks for a narrower search, so no page scans a whole catalog.
    pub const MAX_RESULTS: u32 = 1_000;
    /// The last page that can be asked for: the one holding the last result shown.
    pub const MAX_PAGE: u32 = Self::MAX_RESULTS.div_ceil(Self::PER_PAGE);

    /// Parses the query string's pairs for a catalog of `kind`. Empty values (what a
    /// form sends for a field left blank) mean "no filter"; unknown keys are ignored.
    pub fn parse<'a>(
        kind: ListingKind,
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, FilterError> {
        let mut filter = CatalogFilter {
            page: 1,
            ..Default::default()
        };
        for (key, raw) in pairs {
            let value = raw.trim();
            if value.is_empty() {
                continue;
            }
            match key {
                "q" => {
                    if value.chars().count() > Self::MAX_QUERY_LEN {
                        return Err(FilterError::QueryTooLong {
                            max: Self::MAX_QUERY_LEN,
                        });
                    }
                    filter.q = Some(value.to_owned());
                }
                "cooperative" => {
                    filter.cooperative = Some(slug(FilterField::Cooperative, value)?);
                }
                "community" => filter.community = Some(slug(FilterField::Community, value)?),
                "state" => filter.state = Some(slug(FilterField::State, value)?),
                "category" => {
                    let category = Category::parse(value)
                        .filter(|c| kind.categories().contains(c))
                        .ok_or_else(|| FilterError::UnknownCategory(value.to_owned()))?;
                    filter.category = Some(category);
                }
                "min" => filter.min_price = Some(price(FilterField::MinPrice, value)?),
                "max" => filter.max_price = Some(price(FilterField::MaxPrice, value)?),
                "from" => filter.from = Some(date(kind, FilterField::From, value)?),
                "to" => filter.to = Some(date(kind, FilterField::To, value)?),
                "sort" => {
                    filter.sort = Sort::parse(value)
                        .filter(|s| Sort::of(kind).any(|offered| offered == *s))
                        .ok_or_else(|| FilterError::UnknownSort(value.to_owned()))?;
                }
                "page" => {
                    filter.page = page_number(value)?;
                    if filter.page > Self::MAX_PAGE {
                        return Err(FilterError::PageTooDeep {
                            max: Self::MAX_PAGE,
                        });
                    }
                }
                _ => {}
            }
        }
        if let (Some(min), Some(max)) = (filter.min_price, filter.max_price)
            && min.centavos() > max.centavos()
        {
            return Err(FilterError::PriceRangeInverted);
        }
        if let (Some(from), Some(to)) = (filter.from, filter.to)
            && from > to
        {
            return Err(FilterError::DateRangeInverted);
        }
        Ok(filter)
    }

    /// The query string for this filter on another page (for pagination links),
    /// without the leading `?`. Values are percent-encoded.
    pub fn query_string_for_page(&self, page: u32) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(q) = &self.q {
            pairs.push(("q", q.clone()));
        }
        if let Some(c) = &self.cooperative {
            pairs.push(("cooperative", c.to_string()));
        }
        if let Some(c) = &self.community {
            pairs.push(("community", c.to_string()));
        }
        if let Some(s) = &self.state {
            pairs.push(("state", s.to_string()));
        }
        if let Some(c) = self.category {
            pairs.push(("category", c.code().to_owned()));
        }
        if let Some(m) = self.min_price {
            pairs.push(("min", pesos(m)));
        }
        if let Some(m) = self.max_price {
            pairs.push(("max", pesos(m)));
        }
        if let Some(d) = self.from {
            pairs.push(("from", d.to_string()));
        }
        if let Some(d) = self.to {
            pairs.push(("to", d.to_string()));
        }
        if self.sort != Sort::Usual {
            pairs.push(("sort", self.sort.code().to_owned()));
        }
        if page > 1 {
            pairs.push(("page", page.to_string()));
        }
        pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={}", percent_encode(&v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The filters that narrow the results, each once (the dates count as one each).
    pub fn narrowing(&self) -> Vec<FilterField> {
        [
            (self.cooperative.is_some(), FilterField::Cooperative),
            (self.community.is_some(), FilterField::Community),
            (self.state.is_some(), FilterField::State),
            (self.category.is_some(), FilterField::Category),
            (self.min_price.is_some(), FilterField::MinPrice),
            (self.max_price.is_some(), FilterField::MaxPrice),
            (self.from.is_some(), FilterField::From),
            (self.to.is_some(), FilterField::To),
        ]
        .into_iter()
        .filter_map(|(on, field)| on.then_some(field))
        .collect()
    }

    /// This filter without `field`, from its first page.
    pub fn without(&self, field: FilterField) -> CatalogFilter {
        let mut wider = self.clone();
        match field {
            FilterField::Q => wider.q = None,
            FilterField::Cooperative => wider.cooperative = None,
            FilterField::Community => wider.community = None,
            FilterField::State => wider.state = None,
            FilterField::Category => wider.category = None,
            FilterField::MinPrice => wider.min_price = None,
            FilterField::MaxPrice => wider.max_price = None,
            FilterField::From => wider.from = None,
            FilterField::To => wider.to = None,
            FilterField::Sort => wider.sort = Sort::Usual,
            FilterField::Page => {}
        }
        wider.page = 1;
        wider
    }

    /// Whether anything narrows the results (an order is not a filter).
    pub fn is_filtered(&self) -> bool {
        let unfiltered = CatalogFilter {
            page: self.page,
            sort: self.sort,
            ..Default::default()
        };
        *self != unfiltered
    }

    pub fn offset(&self) -> u64 {
        u64::from(self.page.saturating_sub(1)) * u64::from(Self::PER_PAGE)
    }
}

/// An amount as a person would type it back into the price field: `250` or `250.50`.
pub fn pesos(money: Money) -> String {
    let c = money.centavos();
    if c % 100 == 0 {
        (c / 100).to_string()
    } else {
        format!("{}.{:02}", c / 100, c % 100)
    }
}

/// A page's number, from 1, as `?page=` gives it.
pub fn page_number(value: &str) -> Result<u32, FilterError> {
    value
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|p| *p >= 1)
        .ok_or_else(|| FilterError::NotAPage(value.to_owned()))
}

fn slug(field: FilterField, value: &str) -> Result<Slug, FilterError> {
    Slug::parse(value).map_err(|_| FilterError::NotASlug {
        field,
        value: value.to_owned(),
    })
}

fn price(field: FilterField, value: &str) -> Result<Money, FilterError> {
    Money::parse_pesos(value, Currency::Mxn).map_err(|_| FilterError::NotAPrice {
        field,
        value: value.to_owned(),
    })
}

fn date(kind: ListingKind, field: FilterField, value: &str) -> Result<NaiveDate, FilterError> {
    if !kind.is_dated() {
        return Err(FilterError::NoDatesForCrafts(field));
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| FilterError::NotADate {
        field,
        value: value.to_owned(),
    })
}

/// Percent-encodes a query value (RFC 3986 unreserved characters pass through).
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(
        kind: ListingKind,
        qs: &[(&'static str, &'static str)],
    ) -> Result<CatalogFilter, FilterError> {
        CatalogFilter::parse(kind, qs.iter().copied())
    }

    #[test]
    fn parses_every_filter() {
        let f = parse(
            ListingKind::Event,
            &[
                ("q", "barro negro"),
                ("community", "san-bartolo-coyotepec"),
                ("state", "oaxaca"),
                ("category", "market"),
                ("min", "100"),
                ("max", "1,000.50"),
                ("from", "2026-12-01"),
                ("to", "2027-01-31"),
                ("page", "2"),
                ("utm_source", "whatsapp"),
            ],
        )
        .unwrap();
        assert_eq!(f.q.as_deref(), Some("barro negro"));
        assert_eq!(f.category, Some(Category::Market));
        assert_eq!(f.max_price, Some(Money::mxn(100_050)));
        assert_eq!(f.page, 2);
        assert_eq!(f.offset(), 12);
        assert!(f.is_filtered());
    }

    #[test]
    fn blank_fields_mean_no_filter() {
        let f = parse(
            ListingKind::Craft,
            &[("q", " "), ("min", ""), ("community", "")],
        )
        .unwrap();
        assert_eq!(
            f,
            CatalogFilter {
                page: 1,
                ..Default::default()
            }
        );
        assert!(!f.is_filtered());
    }

    #[test]
    fn refuses_malformed_values() {
        use FilterError::*;
        let k = ListingKind::Tour;
        assert!(matches!(
            parse(k, &[("min", "cheap")]),
            Err(NotAPrice { .. })
        ));
        assert!(matches!(
            parse(k, &[("from", "2026-13-45")]),
            Err(NotADate { .. })
        ));
        assert!(matches!(parse(k, &[("page", "0")]), Err(NotAPage(_))));
        assert!(matches!(parse(k, &[("page", "-1")]), Err(NotAPage(_))));
        assert!(matches!(
            parse(k, &[("community", "Not A Slug")]),
            Err(NotASlug { .. })
        ));
        assert!(matches!(
            parse(k, &[("category", "pottery")]),
            Err(UnknownCategory(_))
        ));
        assert!(matches!(
            parse(k, &[("min", "500"), ("max", "100")]),
            Err(PriceRangeInverted)
        ));
        assert!(matches!(
            parse(k, &[("from", "2027-01-02"), ("to", "2027-01-01")]),
            Err(DateRangeInverted)
        ));
        assert!(matches!(
            parse(ListingKind::Craft, &[("from", "2027-01-02")]),
            Err(NoDatesForCrafts(FilterField::From))
        ));
    }

    #[test]
    fn builds_shareable_query_strings() {
        let f = parse(
            ListingKind::Craft,
            &[("q", "café & más"), ("min", "250.5"), ("page", "3")],
        )
        .unwrap();
        assert_eq!(
            f.query_string_for_page(4),
            "q=caf%C3%A9%20%26%20m%C3%A1s&min=250.50&page=4"
        );
        assert_eq!(
            f.query_string_for_page(1),
            "q=caf%C3%A9%20%26%20m%C3%A1s&min=250.50"
        );
    }

    #[test]
    fn a_cooperative_s_listings_are_a_filter_that_links_and_can_be_taken_off() {
        let f = parse(
            ListingKind::Tour,
            &[("cooperative", "tejedoras-del-picacho"), ("page", "2")],
        )
        .unwrap();
        assert_eq!(
            f.cooperative.as_ref().map(|s| s.as_str()),
            Some("tejedoras-del-picacho")
        );
        assert!(f.is_filtered());
        assert_eq!(f.narrowing(), vec![FilterField::Cooperative]);
        assert_eq!(
            f.query_string_for_page(2),
            "cooperative=tejedoras-del-picacho&page=2"
        );
        assert!(!f.without(FilterField::Cooperative).is_filtered());
        assert!(matches!(
            parse(ListingKind::Craft, &[("cooperative", "../etc")]),
            Err(FilterError::NotASlug {
                field: FilterField::Cooperative,
                ..
            })
        ));
    }
}
