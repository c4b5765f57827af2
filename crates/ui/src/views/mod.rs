//! One file per screen (and the banners and shared widgets): each draws the model and pushes commands.

pub mod banners;
pub mod calendars;
pub mod connect;
pub mod details;
pub mod events;
pub mod help;
pub mod next_up;
pub mod presenters;
pub mod scheduler;
pub mod settings;
pub mod shortcuts;
pub mod sign_in;
pub mod tokens;
pub mod welcome;
pub mod widgets;
