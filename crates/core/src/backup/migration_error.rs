//! Why a Google Authenticator export code (`otpauth-migration://`) cannot be read: kept apart
//! from the reader so that the problems of a file can name it without depending on it.

/// A Google Authenticator export code that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MigrationError {
    #[error("not an otpauth-migration://offline URI")]
    NotMigration,
    #[error("the URI has no data= parameter")]
    NoData,
    #[error("data= is not base64")]
    Base64,
    #[error("the data is not a Google Authenticator export ({0})")]
    Protobuf(String),
    #[error("the export claims to be QR code {index} of {size}, which is impossible")]
    BatchNumbers { index: i32, size: i32 },
}
