//! The reference for the app's start-up, memory and size (`cargo xtask bench`): the least an eframe window of
//! the same version, features and renderer does, drawing a heading and a button at the app's window size.

fn main() -> eframe::Result {
    let viewport = egui::ViewportBuilder::default().with_title("Bare eframe window").with_inner_size([1000.0, 680.0]);
    let options = eframe::NativeOptions { viewport, ..Default::default() };
    eframe::run_native("bench-bare-window", options, Box::new(|_| Ok(Box::new(Bare))))
}

struct Bare;

impl eframe::App for Bare {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading("Meeting Launcher");
            let _ = ui.button("Start meeting now");
        });
    }
}
