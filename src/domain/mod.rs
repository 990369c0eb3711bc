//! The domain: accounts, factors, scoring and segments. Pure functions of data and a date; no I/O.

pub mod account;
pub mod backtest;
pub mod band;
pub mod catalog;
pub mod contact;
pub mod data_days;
pub mod day_text;
pub mod entry;
pub mod explain;
pub mod factor;
pub mod factor_entry;
pub mod goal;
pub mod health;
pub mod history;
pub mod input;
pub mod journey;
pub mod playbook;
pub mod renewal;
pub mod retention;
pub mod satisfaction;
pub mod scoring;
pub mod segment;
pub mod signals;
pub mod suggest;
pub mod task;
pub mod triage;

pub use account::{Account, AccountStatus, Cents, LifecycleStage};
pub use band::{BandCutoffs, HealthBand};
pub use catalog::{Catalog, FactorDef, Source, Transform};
pub use factor::{Better, FactorId, FactorRule, FactorValues, Unit};
pub use scoring::{FactorScore, HealthScore, ScoreKind, ScoreModel};
pub use segment::{SegmentConfig, SegmentInputs, SegmentScheme};
pub use signals::{AccountFacts, Subject};
