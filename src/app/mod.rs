//! The console application: state, actions, effects, the pure `update`, and the event loop that runs them.

pub mod action;
pub mod audit;
pub mod commands;
pub mod dups;
#[cfg(test)]
pub mod dups_fixtures;
pub mod effect;
#[cfg(test)]
pub mod fixtures;
pub mod form;
pub mod forms;
pub mod gate;
pub mod hygiene;
pub mod library;
pub mod run;
pub mod state;
pub mod update;
pub mod write;
