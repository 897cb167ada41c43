//! What a cooperative's finances page and statement show: where each member's, the
//! cooperative's and its community fund's money stands (pending, available, paid),
//! the ledger lines of a period, and the statement as CSV. Everything here is read
//! from the journal (`store::money::finances`); nothing is a stored balance.

use crate::Lang;
use crate::money::Money;
use crate::money::ledger::{AccountKind, EntryKind};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// One artisan's or guide's money in their cooperative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberStanding {
    pub producer_id: i32,
    pub name: String,
    /// Their share of crafts not yet delivered and tours not yet run.
    pub pending: Money,
    /// What the next payout pays to the cooperative for them.
    pub available: Money,
    /// Paid out to the cooperative for them, not yet passed on.
    pub held: Money,
    /// What the cooperative recorded paying them.
    pub received: Money,
}

/// The cooperative's own money, and what it keeps for its members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoopStanding {
    pub pending: Money,
    pub available: Money,
    /// A payout started and not yet confirmed.
    pub in_transit: Money,
    /// Every payout that reached the cooperative.
    pub paid_out: Money,
    /// Of what was paid out, what it holds for its members.
    pub holds_for_members: Money,
}

/// The community fund the cooperative's sales feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundStanding {
    pub community_slug: String,
    pub community_name: String,
    pub pending: Money,
    pub available: Money,
    pub spent: Money,
    /// What this cooperative's sales gave it, pending or not.
    pub from_this_cooperative: Money,
}

/// A cooperative's finances page, whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoopFinances {
    pub cooperative: CoopStanding,
    pub members: Vec<MemberStanding>,
    pub fund: FundStanding,
    pub payouts: Vec<PayoutLine>,
    pub member_payments: Vec<MemberPaymentLine>,
}

/// An artisan's or guide's own statement: what they earned and received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberFinances {
    pub cooperative_name: String,
    pub standing: MemberStanding,
    /// The postings to their accounts, newest first.
    pub lines: Vec<StatementLine>,
    pub payments: Vec<MemberPaymentLine>,
}

/// What a cooperative's or community's public page shows of where the money went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoneyTotals {
    /// The artisans' and guides' shares of what was sold (after refunds).
    pub to_producers: Money,
    /// The community fund's shares.
    pub to_fund: Money,
    /// What the fund paid for the projects its members approved.
    pub spent_on_projects: Money,
}

/// Those totals for all time and for the last twelve months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transparency {
    pub all_time: MoneyTotals,
    pub last_12_months: MoneyTotals,
}

/// A payout, as the finances page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoutLine {
    pub id: i32,
    pub method: String,
    pub status: String,
    pub amount: Money,
    pub reference: Option<String>,
    pub paid_on: Option<NaiveDate>,
    pub started: NaiveDateTime,
    pub last_error: Option<String>,
}

/// A recorded payment to a member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberPaymentLine {
    pub producer: String,
    pub amount: Money,
    pub method: String,
    pub reference: Option<String>,
    pub paid_on: NaiveDate,
}

/// One posting of the ledger, with what a person needs to read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementLine {
    pub entry: i32,
    pub at: NaiveDateTime,
    pub kind: EntryKind,
    pub order_code: Option<String>,
    pub account: AccountKind,
    /// The producer's, cooperative's or community's name, for the accounts that have one.
    pub holder: Option<String>,
    /// Debits positive, credits negative.
    pub centavos: i64,
    pub memo: Option<String>,
}

/// Which ledger lines to show or export.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementFilter {
    pub from: Option<NaiveDate>,
    /// Inclusive.
    pub to: Option<NaiveDate>,
    pub kind: Option<EntryKind>,
    /// Only the postings to one member's accounts.
    pub producer: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum FilterProblem {
    #[error("not a date (YYYY-MM-DD)")]
    NotADate,
    #[error("the period ends before it starts")]
    EndsBeforeStart,
    #[error("no such kind of entry")]
    UnknownKind,
    #[error("no such member")]
    UnknownMember,
}

impl StatementFilter {
    /// Reads the filter form's fields (each may be empty).
    pub fn parse(
        from: &str,
        to: &str,
        kind: &str,
        producer: &str,
    ) -> Result<StatementFilter, (&'static str, FilterProblem)> {
        let date = |field: &'static str, v: &str| match v.trim() {
            "" => Ok(None),
            v => NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| (field, FilterProblem::NotADate)),
        };
        let from = date("from", from)?;
        let to = date("to", to)?;
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            return Err(("to", FilterProblem::EndsBeforeStart));
        }
        let kind = match kind.trim() {
            "" => None,
            k => Some(EntryKind::parse(k).ok_or(("kind", FilterProblem::UnknownKind))?),
        };
        let producer = match producer.trim() {
            "" => None,
            p => Some(
                p.parse::<i32>()
                    .map_err(|_| ("producer", FilterProblem::UnknownMember))?,
            ),
        };
        Ok(StatementFilter {
            from,
            to,
            kind,
            producer,
        })
    }

    /// The filter as a query string (for the CSV link of the page's filter).
    pub fn query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(f) = self.from {
            parts.push(format!("from={f}"));
        }
        if let Some(t) = self.to {
            parts.push(format!("to={t}"));
        }
        if let Some(k) = self.kind {
            parts.push(format!("kind={}", k.code()));
        }
        if let Some(p) = self.producer {
            parts.push(format!("producer={p}"));
        }
        parts.join("&")
    }
}

/// An account's name on a statement.
pub fn account_label(kind: AccountKind, lang: Lang) -> &'static str {
    use AccountKind::*;
    let (es, en) = match kind {
        Provider => ("Cobrado por el procesador", "Held by the payment provider"),
        Fees => ("Comisiones de pago", "Payment fees"),
        Platform => ("Comisión de Tianguis", "Tianguis commission"),
        RefundsOwed => ("Reembolsos por pagar", "Refunds owed"),
        ProducerPending => ("Socia/o: pendiente", "Member: pending"),
        ProducerAvailable => ("Socia/o: disponible", "Member: available"),
        ProducerAtCooperative => (
            "Socia/o: en la cooperativa",
            "Member: held by the cooperative",
        ),
        CooperativePending => ("Cooperativa: pendiente", "Cooperative: pending"),
        CooperativeAvailable => ("Cooperativa: disponible", "Cooperative: available"),
        CooperativeHoldsForMembers => (
            "Cooperativa: guardado para socias/os",
            "Cooperative: kept for members",
        ),
        FundPending => ("Fondo comunitario: pendiente", "Community fund: pending"),
        FundAvailable => ("Fondo comunitario: disponible", "Community fund: available"),
        PayoutInTransit => ("Pago en camino", "Payout in transit"),
    };
    match lang {
        Lang::Es => es,
        Lang::En => en,
    }
}

/// An entry kind's name on a statement.
pub fn entry_label(kind: EntryKind, lang: Lang) -> &'static str {
    use EntryKind::*;
    let (es, en) = match kind {
        Sale => ("Venta", "Sale"),
        Release => ("Liberado", "Released"),
        Advance => ("Anticipo", "Advance"),
        Refund => ("Reembolso", "Refund"),
        RefundOwed => ("Reembolso por pagar", "Refund owed"),
        RefundPaid => ("Reembolso pagado", "Refund paid"),
        PayoutStarted => ("Pago iniciado", "Payout started"),
        Payout => ("Pago a la cooperativa", "Payout to the cooperative"),
        PayoutCancelled => ("Pago cancelado", "Payout cancelled"),
        MemberPayment => ("Pago a socia/o", "Payment to a member"),
        FundSpending => ("Gasto del fondo", "Fund spending"),
    };
    match lang {
        Lang::Es => es,
        Lang::En => en,
    }
}

/// `1920.00`, `-16.99`: an amount for a spreadsheet (no currency sign, no grouping).
pub fn plain_amount(centavos: i64) -> String {
    let sign = if centavos < 0 { "-" } else { "" };
    let abs = centavos.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// A text cell: quoted when it must be, and never read as a formula by a spreadsheet
/// (a leading `=`, `+`, `-` or `@` gets an apostrophe).
fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// The statement as CSV (RFC 4180, CRLF line ends): one row per posting, debits and
/// credits in their own columns, so that each entry's rows add up to zero.
pub fn statement_csv(lines: &[StatementLine], lang: Lang) -> String {
    let head = match lang {
        Lang::Es => "fecha,asiento,tipo,pedido,cuenta,titular,cargo,abono,moneda,nota",
        Lang::En => "date,entry,kind,order,account,holder,debit,credit,currency,memo",
    };
    let mut out = String::with_capacity(64 * (lines.len() + 1));
    out.push_str(head);
    out.push_str("\r\n");
    for l in lines {
        let (debit, credit) = if l.centavos >= 0 {
            (plain_amount(l.centavos), String::new())
        } else {
            (String::new(), plain_amount(-l.centavos))
        };
        let row = [
            l.at.format("%Y-%m-%d %H:%M").to_string(),
            l.entry.to_string(),
            cell(entry_label(l.kind, lang)),
            cell(l.order_code.as_deref().unwrap_or("")),
            cell(account_label(l.account, lang)),
            cell(l.holder.as_deref().unwrap_or("")),
            debit,
            credit,
            "MXN".to_owned(),
            cell(l.memo.as_deref().unwrap_or("")),
        ];
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(centavos: i64, memo: &str) -> StatementLine {
        StatementLine {
            entry: 7,
            at: NaiveDate::from_ymd_opt(2026, 11, 3)
                .unwrap()
                .and_hms_opt(10, 5, 0)
                .unwrap(),
            kind: EntryKind::Sale,
            order_code: Some("T-ABC123".to_owned()),
            account: AccountKind::ProducerPending,
            holder: Some("Rosario Bautista, \"Chayo\"".to_owned()),
            centavos,
            memo: Some(memo.to_owned()),
        }
    }

    #[test]
    fn the_statement_puts_debits_and_credits_in_their_columns() {
        let csv = statement_csv(&[line(-1_920_00, ""), line(5, "")], Lang::En);
        let rows: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(
            rows[0],
            "date,entry,kind,order,account,holder,debit,credit,currency,memo"
        );
        assert_eq!(
            rows[1],
            "2026-11-03 10:05,7,Sale,T-ABC123,Member: pending,\"Rosario Bautista, \"\"Chayo\"\"\",,1920.00,MXN,"
        );
        assert_eq!(
            rows[2],
            "2026-11-03 10:05,7,Sale,T-ABC123,Member: pending,\"Rosario Bautista, \"\"Chayo\"\"\",0.05,,MXN,"
        );
        assert_eq!(rows[3], "");
    }

    #[test]
    fn a_typed_memo_is_never_a_spreadsheet_formula() {
        let csv = statement_csv(&[line(1, "=HYPERLINK(\"x\")")], Lang::Es);
        assert!(csv.contains(",\"'=HYPERLINK(\"\"x\"\")\"\r\n"), "{csv}");
        assert!(csv.starts_with("fecha,asiento,tipo"));
    }

    #[test]
    fn the_filter_reads_its_fields_and_says_what_is_wrong() {
        let f = StatementFilter::parse("2026-01-01", "2026-12-31", "payout", "4").unwrap();
        assert_eq!(f.kind, Some(EntryKind::Payout));
        assert_eq!(f.producer, Some(4));
        assert_eq!(
            f.query(),
            "from=2026-01-01&to=2026-12-31&kind=payout&producer=4"
        );
        assert_eq!(
            StatementFilter::parse("", "", "", ""),
            Ok(StatementFilter::default())
        );
        assert_eq!(
            StatementFilter::parse("1/1/2026", "", "", ""),
            Err(("from", FilterProblem::NotADate))
        );
        assert_eq!(
            StatementFilter::parse("2026-02-01", "2026-01-01", "", ""),
            Err(("to", FilterProblem::EndsBeforeStart))
        );
        assert_eq!(
            StatementFilter::parse("", "", "gift", ""),
            Err(("kind", FilterProblem::UnknownKind))
        );
    }

    #[test]
    fn plain_amounts_have_two_decimals_and_a_sign() {
        assert_eq!(plain_amount(0), "0.00");
        assert_eq!(plain_amount(-16_99), "-16.99");
        assert_eq!(plain_amount(1_234_567_89), "1234567.89");
    }
}
