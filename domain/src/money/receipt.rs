//! The buyer's receipt: for each line of a paid order, where every centavo went.

use crate::money::Money;
use crate::money::split::{LineSplit, Recipient, Shares};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptLine {
    /// The line's title, or none for a part's shipping.
    pub title: Option<String>,
    /// The artisan or guide by name (none for shipping).
    pub producer: Option<String>,
    pub cooperative: String,
    pub community: String,
    pub split: LineSplit,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub lines: Vec<ReceiptLine>,
}

impl Receipt {
    /// The lines added up: the same split for the whole order.
    pub fn total(&self) -> Option<LineSplit> {
        let first = self.lines.first()?;
        let c = first.split.fee.currency();
        let sum = |f: &dyn Fn(&LineSplit) -> Money| {
            Money::sum(c, self.lines.iter().map(|l| f(&l.split))).expect("one currency")
        };
        let share = |who: Recipient| sum(&|s: &LineSplit| s.net.of(who));
        Some(LineSplit {
            net: Shares {
                producer: share(Recipient::Producer),
                cooperative: share(Recipient::Cooperative),
                fund: share(Recipient::Fund),
                platform: share(Recipient::Platform),
            },
            fee: sum(&|s: &LineSplit| s.fee),
        })
    }
}
