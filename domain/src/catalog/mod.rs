//! The catalog: what a visitor browses. Listing kinds, categories, and the read models
//! that pages show (built by the store, rendered by the app).

pub mod filter;
pub mod listing_form;
pub mod moderation;
pub mod photo;

use crate::{Lang, LocalizedText, Money, Slug};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// The three things a cooperative lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ListingKind {
    Craft,
    Tour,
    Event,
}

impl ListingKind {
    pub const ALL: [ListingKind; 3] = [ListingKind::Craft, ListingKind::Tour, ListingKind::Event];

    /// Stored in the database and used in URLs (`/crafts`, `/tours`, `/events`).
    pub fn code(self) -> &'static str {
        match self {
            ListingKind::Craft => "craft",
            ListingKind::Tour => "tour",
            ListingKind::Event => "event",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        ListingKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn path(self) -> &'static str {
        match self {
            ListingKind::Craft => "/crafts",
            ListingKind::Tour => "/tours",
            ListingKind::Event => "/events",
        }
    }

    /// Tours and events happen on dates; crafts do not.
    pub fn is_dated(self) -> bool {
        !matches!(self, ListingKind::Craft)
    }

    pub fn categories(self) -> &'static [Category] {
        use Category::*;
        match self {
            ListingKind::Craft => &[
                Textiles,
                Pottery,
                Metalwork,
                Woodwork,
                Lacquerware,
                Basketry,
                Jewelry,
                Food,
            ],
            ListingKind::Tour => &[Nature, Culture, Gastronomy, Workshop],
            ListingKind::Event => &[Festival, Market, Workshop, Ceremony, Music],
        }
    }
}

/// What kind of craft, tour or event a listing is. Labels live in the locale files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Textiles,
    Pottery,
    Metalwork,
    Woodwork,
    Lacquerware,
    Basketry,
    Jewelry,
    Food,
    Nature,
    Culture,
    Gastronomy,
    Workshop,
    Festival,
    Market,
    Ceremony,
    Music,
}

impl Category {
    pub const ALL: [Category; 16] = [
        Category::Textiles,
        Category::Pottery,
        Category::Metalwork,
        Category::Woodwork,
        Category::Lacquerware,
        Category::Basketry,
        Category::Jewelry,
        Category::Food,
        Category::Nature,
        Category::Culture,
        Category::Gastronomy,
        Category::Workshop,
        Category::Festival,
        Category::Market,
        Category::Ceremony,
        Category::Music,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Category::Textiles => "textiles",
            Category::Pottery => "pottery",
            Category::Metalwork => "metalwork",
            Category::Woodwork => "woodwork",
            Category::Lacquerware => "lacquerware",
            Category::Basketry => "basketry",
            Category::Jewelry => "jewelry",
            Category::Food => "food",
            Category::Nature => "nature",
            Category::Culture => "culture",
            Category::Gastronomy => "gastronomy",
            Category::Workshop => "workshop",
            Category::Festival => "festival",
            Category::Market => "market",
            Category::Ceremony => "ceremony",
            Category::Music => "music",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Category::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// Photos are stored once per width as WebP; pages pick with `srcset`.
pub const PHOTO_WIDTHS: [u32; 4] = [320, 640, 960, 1280];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoRef {
    /// File stem under the media directory: `{key}-{width}.webp`.
    pub key: String,
    pub alt: LocalizedText,
    /// Size of the widest rendition; the others keep the aspect ratio.
    pub width: u32,
    pub height: u32,
}

/// Where pages point photos: `/media` on this site, unless the server was told of
/// another place as it started (`TIANGUIS_MEDIA_PUBLIC_URL`: a public bucket or a CDN).
static MEDIA_BASE: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Points every photo's address at `base` (no trailing slash) from now on; once per
/// process, as the server starts. False if a base was set already.
pub fn set_media_base(base: String) -> bool {
    MEDIA_BASE.set(base).is_ok()
}

/// The address photo file `file` is served at.
pub fn media_url(file: &str) -> String {
    let base = MEDIA_BASE.get().map_or("/media", String::as_str);
    format!("{base}/{file}")
}

impl PhotoRef {
    pub fn url(&self, width: u32) -> String {
        media_url(&format!("{}-{width}.webp", self.key))
    }

    /// The JPEG rendition of `width`: what link previewers (WhatsApp, Facebook) read.
    pub fn jpeg_url(&self, width: u32) -> String {
        media_url(&format!("{}-{width}.jpg", self.key))
    }

    /// Each rendition with its real width (a photo is never enlarged: a 900 px one
    /// has no rendition wider than 900), so that the browser picks the smallest that
    /// fills the space, and never two files of the same pixels.
    pub fn srcset(&self) -> String {
        let mut listed: Vec<String> = Vec::with_capacity(PHOTO_WIDTHS.len());
        let mut widest_so_far = 0;
        for nominal in PHOTO_WIDTHS {
            let real = nominal.min(self.width.max(1));
            if real > widest_so_far {
                listed.push(format!("{} {real}w", self.url(nominal)));
                widest_so_far = real;
            }
        }
        listed.join(", ")
    }

    /// Height of the rendition of `width`, for `width`/`height` attributes that stop layout shift.
    pub fn height_at(&self, width: u32) -> u32 {
        (u64::from(self.height) * u64::from(width) / u64::from(self.width.max(1))) as u32
    }
}

/// A named link to a community, cooperative or producer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedRef {
    pub slug: Slug,
    pub name: String,
}

/// One listing as it appears in a grid of results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingCard {
    pub kind: ListingKind,
    pub slug: Slug,
    pub category: Category,
    pub title: LocalizedText,
    pub summary: LocalizedText,
    /// The lowest price a visitor can pay; `None` for free events.
    pub price_from: Option<Money>,
    pub community: NamedRef,
    pub state: String,
    pub cooperative: NamedRef,
    pub photo: Option<PhotoRef>,
    /// Events: when it starts. Tours: the next departure, if any is scheduled.
    pub next_date: Option<NaiveDateTime>,
}

impl ListingCard {
    pub fn href(&self) -> String {
        format!("{}/{}", self.kind.path(), self.slug)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketType {
    /// `adult`, `child`, `resident`, `general`: labels live in the locale files.
    pub code: String,
    pub price: Money,
    /// At most so many places of this type on each date (residents' places, say).
    pub limit_per_slot: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dimensions {
    pub width_cm: u32,
    pub height_cm: u32,
    pub depth_cm: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum KindDetails {
    Craft {
        stock: u32,
        materials: LocalizedText,
        technique: LocalizedText,
        dimensions: Option<Dimensions>,
        made_to_order: bool,
        lead_days: Option<u32>,
    },
    Tour {
        duration_minutes: u32,
        meeting_point: LocalizedText,
        /// ISO 639 codes of the languages the tour is guided in.
        languages: Vec<String>,
        max_group_size: u32,
        tickets: Vec<TicketType>,
        /// Coming departures with their places left, in the community's local time:
        /// those of the weeks the calendar shows.
        slots: Vec<crate::booking::calendar::SlotSummary>,
        /// The weeks shown: from this day's, with the days of the weeks before and
        /// after, when there are any to go to.
        calendar: crate::booking::calendar::CalendarWindow,
        /// The community's time zone (IANA name).
        zone: String,
    },
    Event {
        /// Local time of the community where it happens.
        starts_at: NaiveDateTime,
        ends_at: NaiveDateTime,
        venue: LocalizedText,
        free: bool,
        tickets: Vec<TicketType>,
        /// Its sessions with their places left (an RSVP, for a free event).
        sessions: Vec<crate::booking::calendar::SlotSummary>,
        /// The community's time zone (IANA name).
        zone: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProducerSummary {
    pub slug: Slug,
    pub name: String,
    pub role: ProducerRole,
    pub specialty: LocalizedText,
    pub bio: LocalizedText,
    /// Their profile photo, if they uploaded one.
    pub photo: Option<PhotoRef>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProducerRole {
    Artisan,
    Guide,
}

impl ProducerRole {
    pub fn code(self) -> &'static str {
        match self {
            ProducerRole::Artisan => "artisan",
            ProducerRole::Guide => "guide",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "artisan" => Some(ProducerRole::Artisan),
            "guide" => Some(ProducerRole::Guide),
            _ => None,
        }
    }
}

/// Everything a listing page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingDetail {
    pub card: ListingCard,
    pub description: LocalizedText,
    pub producer: Option<ProducerSummary>,
    pub municipality: String,
    pub cooperative_story: LocalizedText,
    pub photos: Vec<PhotoRef>,
    pub details: KindDetails,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CooperativeSummary {
    pub slug: Slug,
    pub name: String,
    pub community: NamedRef,
    pub state: String,
    pub year_founded: Option<i32>,
    pub listing_count: u32,
}

impl CooperativeSummary {
    /// Cooperatives on a page of `/cooperatives` (by name; `?page=` for the rest).
    pub const PER_PAGE: u32 = 50;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CooperativeProfile {
    pub summary: CooperativeSummary,
    pub story: LocalizedText,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub members: Vec<ProducerSummary>,
    /// Its crafts, tours and events: a few of each, and how many.
    pub shelves: Vec<Shelf>,
}

/// A profile's listings of one kind: the newest few ([`Shelf::SHOWN`] at most) and
/// how many there are, the rest a link away (the catalog, filtered to the cooperative
/// or community), so a profile's page is the same size however much it sells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shelf {
    pub kind: ListingKind,
    pub listings: Vec<ListingCard>,
    pub count: u64,
}

impl Shelf {
    /// The most listings of a kind a profile shows.
    pub const SHOWN: u64 = 6;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunitySummary {
    pub slug: Slug,
    pub name: String,
    pub municipality: String,
    pub state: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunityProfile {
    pub summary: CommunitySummary,
    pub timezone: String,
    /// ISO 639 codes.
    pub languages: Vec<String>,
    pub description: LocalizedText,
    pub cooperatives: Vec<CooperativeSummary>,
    /// Its cooperatives' crafts, tours and events: a few of each, and how many.
    pub shelves: Vec<Shelf>,
}

/// The choices a catalog page offers in its filter form.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Facets {
    /// The communities of the state chosen (or of the chosen community's state); none
    /// before a state is: a list of every community grows with the site.
    pub communities: Vec<CommunitySummary>,
    /// (slug, name) of every state that has a community.
    pub states: Vec<NamedRef>,
    /// The cooperative the filter keeps to, when it does (and it exists).
    pub cooperative: Option<NamedRef>,
}

/// One page of results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub per_page: u32,
    pub total: u64,
}

impl<T> Page<T> {
    pub fn page_count(&self) -> u32 {
        let per = u64::from(self.per_page.max(1));
        self.total.div_ceil(per).max(1) as u32
    }
}

/// One page of a catalog, and how its search was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Found {
    pub page: Page<ListingCard>,
    /// More listings match than are counted (`CatalogFilter::MAX_RESULTS`): the total
    /// is a floor.
    pub more: bool,
    /// The query's words that the index did not know, each with the indexed words it
    /// was read as (a typo: "tapate" → "tapete").
    pub corrections: Vec<(String, Vec<String>)>,
    /// When nothing was found: what would find something.
    pub suggestions: Suggestions,
}

/// What a page that found nothing offers instead, each with how many it finds (up to
/// `CatalogFilter::MAX_RESULTS`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Suggestions {
    /// Other searches: a word replaced by a close indexed word, or left out.
    pub queries: Vec<(String, u64)>,
    /// The filters without which the search finds something.
    pub without: Vec<(filter::FilterField, u64)>,
}

/// What the home page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeView {
    pub crafts: Vec<ListingCard>,
    pub tours: Vec<ListingCard>,
    pub events: Vec<ListingCard>,
    /// The first communities by name ([`HomeView::COMMUNITIES`] at most).
    pub communities: Vec<CommunitySummary>,
    pub community_count: u64,
    pub cooperative_count: u64,
    pub listing_count: u64,
}

impl HomeView {
    /// The most communities the home page names (the rest are a link away).
    pub const COMMUNITIES: u64 = 12;
}

/// Helps pages pick a language-specific label where the data carries a code.
pub fn language_name(code: &str, lang: Lang) -> String {
    let (es, en) = match code {
        "es" => ("Español", "Spanish"),
        "en" => ("Inglés", "English"),
        "zap" => ("Zapoteco", "Zapotec"),
        "tzo" => ("Tsotsil", "Tsotsil"),
        "nah" => ("Náhuatl", "Nahuatl"),
        "pua" => ("P'urhépecha", "Purépecha"),
        "yua" => ("Maya yucateco", "Yucatec Maya"),
        "mix" => ("Mixteco", "Mixtec"),
        "tzh" => ("Tseltal", "Tseltal"),
        "tot" => ("Totonaco", "Totonac"),
        other => (other, other),
    };
    match lang {
        Lang::Es => es.to_owned(),
        Lang::En => en.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn photo(width: u32) -> PhotoRef {
        PhotoRef {
            key: "k".into(),
            alt: LocalizedText::default(),
            width,
            height: width * 3 / 4,
        }
    }

    #[test]
    fn a_photo_offers_each_rendition_with_its_real_width_and_none_twice() {
        assert_eq!(
            photo(1280).srcset(),
            "/media/k-320.webp 320w, /media/k-640.webp 640w, \
             /media/k-960.webp 960w, /media/k-1280.webp 1280w"
        );
        assert_eq!(
            photo(900).srcset(),
            "/media/k-320.webp 320w, /media/k-640.webp 640w, /media/k-960.webp 900w"
        );
        assert_eq!(photo(200).srcset(), "/media/k-320.webp 200w");
    }
}
