//! The window's model, with no egui in it: the app's state as the backend's events leave it ([`AppState`]), the
//! meeting form, the screens, and the tray menu built from the state. Views read it and push commands; only events change it.

pub mod form;
pub mod screen;
pub mod state;
pub mod tray;

pub use screen::Screen;
pub use state::AppState;
