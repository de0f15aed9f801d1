//! Real pictures of Google Authenticator's export screen (Proton Authenticator's test data,
//! fetched by scripts/peer-samples): each is read as one export code, and codes of one export
//! taken in several pictures are collected by batch, the missing ones named.

use ninsho_core::backup::migration_payload::BatchCollector;
use ninsho_core::backup::{EntryError, Place};
use ninsho_core::qr::{PayloadKind, scan_picture};

fn export_code(name: &str) -> String {
    let path = format!("{}/src/backup/samples/google_migration/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e} (run scripts/peer-samples)"));
    let outcome = scan_picture(&bytes).unwrap();
    let codes: Vec<_> = outcome.codes.iter().filter(|c| c.kind == PayloadKind::Migration).collect();
    assert_eq!(codes.len(), 1, "{name}: one export code");
    codes[0].payload.to_string()
}

#[test]
fn every_picture_gives_its_export_code() {
    for (name, accounts) in [
        ("GoogleAuthenticatorExport_1.png", 10),
        ("GoogleAuthenticatorExport_3.png", 10),
        ("GoogleAuthImportScreenshotCropped.jpg", 1),
        ("GoogleAuthenticator_ScreenshotBigQR.jpeg", 7),
    ] {
        let mut collector = BatchCollector::default();
        collector.add(&export_code(name)).unwrap();
        let parsed = collector.finish();
        let not_scanned = parsed.problems.iter().filter(|p| matches!(p.error, EntryError::NotScanned { .. })).count();
        assert_eq!(parsed.entries.len() + parsed.problems.len() - not_scanned, accounts, "{name}");
    }
}

#[test]
fn pictures_of_one_export_are_collected_and_the_missing_codes_named() {
    let mut collector = BatchCollector::default();
    let progress = collector.add(&export_code("GoogleAuthenticatorExport_1.png")).unwrap();
    assert_eq!((progress.scanned, progress.size), (1, 3));
    let parsed = collector.finish();
    let missing: Vec<&Place> = parsed.problems.iter().filter(|p| matches!(p.error, EntryError::NotScanned { .. })).map(|p| &p.place).collect();
    assert_eq!(missing, [&Place::QrCode { n: 1, of: 3 }, &Place::QrCode { n: 3, of: 3 }]);
}
