//! The console application, pure: state, actions, effects, geometry and `update`. Nothing here does IO
//! (the event loop and effect execution are in `runtime/`).

pub mod action;
pub mod analytics;
pub mod audit;
pub mod commands;
pub mod dups;
pub mod effect;
pub mod export;
pub mod form;
pub mod forms;
pub mod gate;
pub mod geometry;
pub mod library;
pub mod privacy;
pub mod review;
pub mod state;
pub mod update;
pub mod views;
pub mod write;
