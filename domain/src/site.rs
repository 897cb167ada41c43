//! What the site says of itself: the pages its footer links (about, contact, terms,
//! returns and cancellations, privacy), each at one address in both languages.

/// A page of the footer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InfoPage {
    About,
    Contact,
    Terms,
    Returns,
    Privacy,
}

impl InfoPage {
    pub const ALL: [InfoPage; 5] = [
        InfoPage::About,
        InfoPage::Contact,
        InfoPage::Terms,
        InfoPage::Returns,
        InfoPage::Privacy,
    ];

    pub fn path(self) -> &'static str {
        match self {
            InfoPage::About => "/about",
            InfoPage::Contact => "/contact",
            InfoPage::Terms => "/terms",
            InfoPage::Returns => "/returns",
            InfoPage::Privacy => "/privacy",
        }
    }
}
