//! The estimated monthly cost of what a spec creates: a pure function over
//! a dated, built-in price table. Knows nothing of Tauri or of the account.

mod cost_estimate;
mod estimate;
pub mod price_table;

pub use cost_estimate::{CostEstimate, CostLine, PricePer};
pub use estimate::{estimate, INTERFACE_ENDPOINTS};
