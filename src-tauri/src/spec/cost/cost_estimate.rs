//! What a cost estimate says: priced lines, their total, the table's date
//! and source, and, in words, what could not be priced and why. The form,
//! the Plan view and `eks-desk plan` all show this one value as it is.

use serde::Serialize;
use specta::Type;

/// What a line's unit price is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum PricePer {
    /// One unit for one hour (×730 for the month).
    Hour,
    /// One unit for one month.
    Month,
}

/// One priced thing the spec creates.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CostLine {
    /// What is priced, in words, e.g. "default_node_group: t4g.xlarge instances".
    pub what: String,
    pub quantity: u32,
    /// What one of `quantity` is: "cluster", "instance", "GiB"…
    pub unit: String,
    /// USD for one unit `per` hour or month.
    pub unit_price_usd: f64,
    pub per: PricePer,
    /// USD for the month, rounded to cents.
    pub monthly_usd: f64,
    /// How the price was arrived at, when that is not one row of the table.
    pub note: Option<String>,
}

/// The estimated monthly cost of what a spec creates.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CostEstimate {
    pub region: String,
    /// Always "USD": AWS lists its prices in dollars.
    pub currency: String,
    pub lines: Vec<CostLine>,
    /// The sum of `lines`: what could be priced, not everything AWS bills.
    pub total_monthly_usd: f64,
    pub hours_per_month: u32,
    /// When the built-in price table was compiled, e.g. "2026-12-01".
    pub prices_as_of: String,
    /// Where the prices come from, in words.
    pub price_source: String,
    /// Says that this is an estimate, with the table's date, to show with
    /// the total.
    pub label: String,
    /// What to know about the priced lines (stand-in prices, assumptions).
    pub notes: Vec<String>,
    /// What the total leaves out and why, in words.
    pub unpriced: Vec<String>,
}
