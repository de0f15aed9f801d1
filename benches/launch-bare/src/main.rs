//! The baseline of `scripts/bench-launch`: a Tauri window with nothing but a number, which
//! reports when it has been painted, exactly as Ninsho reports its first codes.

use std::sync::LazyLock;
use std::time::Instant;

static STARTED: LazyLock<Instant> = LazyLock::new(Instant::now);

#[tauri::command]
fn ui_ready() {
    eprintln!("ninsho: first codes painted {} ms after start", STARTED.elapsed().as_millis());
}

fn main() {
    LazyLock::force(&STARTED);
    tauri::Builder::default().invoke_handler(tauri::generate_handler![ui_ready]).run(tauri::generate_context!()).expect("bare window");
}
