//! The window's model, with no egui in it: the app's state as the backend's events leave it ([`AppState`]), and
//! the tray menu built from it. Views read it and push commands; only events change it.

pub mod screen;
pub mod state;
pub mod tray;

pub use screen::Screen;
pub use state::AppState;
