//! The shape of `server/demo/catalog.json`: the demo communities, cooperatives,
//! producers and listings, written by hand in both languages. Unknown fields are
//! refused so a typo in the file fails loudly instead of silently dropping data.

use domain::LocalizedText;
use serde::Deserialize;

pub const CATALOG_JSON: &str = include_str!("../../demo/catalog.json");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoCatalog {
    pub communities: Vec<Community>,
    pub cooperatives: Vec<Cooperative>,
    pub producers: Vec<Producer>,
    pub crafts: Vec<Craft>,
    pub tours: Vec<Tour>,
    pub events: Vec<Event>,
}

impl DemoCatalog {
    pub fn parse() -> Result<Self, serde_json::Error> {
        serde_json::from_str(CATALOG_JSON)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Community {
    pub slug: String,
    pub name: String,
    pub municipality: String,
    pub state: String,
    pub timezone: String,
    pub languages: Vec<String>,
    pub description: LocalizedText,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cooperative {
    pub slug: String,
    pub community: String,
    pub name: String,
    pub story: LocalizedText,
    pub contact_email: String,
    pub contact_phone: String,
    pub year_founded: i32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Producer {
    pub slug: String,
    pub cooperative: String,
    pub name: String,
    pub role: String,
    pub bio: LocalizedText,
    pub specialty: LocalizedText,
}

/// What every listing kind shares in the file.
#[derive(Debug, Clone, Deserialize)]
pub struct Common {
    pub slug: String,
    pub cooperative: String,
    #[serde(default)]
    pub producer: Option<String>,
    pub category: String,
    pub title: LocalizedText,
    pub summary: LocalizedText,
    pub description: LocalizedText,
    pub palette: Vec<String>,
    pub pattern: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Craft {
    #[serde(flatten)]
    pub common: Common,
    pub price_centavos: i64,
    pub stock: i32,
    pub materials: LocalizedText,
    pub technique: LocalizedText,
    pub dimensions_cm: Option<[i32; 3]>,
    pub made_to_order: bool,
    pub lead_days: Option<i32>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Ticket {
    pub code: String,
    pub price_centavos: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Tour {
    #[serde(flatten)]
    pub common: Common,
    pub duration_minutes: i32,
    pub meeting_point: LocalizedText,
    pub languages: Vec<String>,
    pub max_group_size: i32,
    pub tickets: Vec<Ticket>,
    /// ISO weekdays, 1 = Monday.
    pub weekdays: Vec<u32>,
    pub start_time: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Event {
    #[serde(flatten)]
    pub common: Common,
    pub starts_in_days: i64,
    pub start_time: String,
    pub duration_hours: i64,
    pub venue: LocalizedText,
    pub free: bool,
    pub tickets: Vec<Ticket>,
}
