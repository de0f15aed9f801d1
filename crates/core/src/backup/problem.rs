//! A part of a backup that could not be read: where it is and why, as values. The CLI
//! prints them in English (`Display`); the app turns each into a sentence of the user's
//! language, so a Japanese user reads "5 行目: …", never Rust's English.

use std::fmt;

use crate::name_limit::NameTooLong;
use crate::otp::uri::UriError;
use crate::otp::{OtpError, UnknownAlgorithm};
use crate::secret::SecretError;

use super::migration_error::MigrationError;

/// Values quoted from a file are cut: they only help find the entry.
const QUOTED_CHARS: usize = 40;

fn quoted(value: impl fmt::Display) -> String {
    value.to_string().chars().take(QUOTED_CHARS).collect()
}

/// Where in the file the part is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A line of a text file, counted from 1.
    Line(usize),
    /// An entry of a JSON backup or an export, counted from 1, with the name it carries.
    Entry { n: usize, name: String },
    /// A QR code of an export in several codes, counted from 1.
    QrCode { n: usize, of: usize },
    /// An account read whole, named by what the file calls it (cut, with "…", when long).
    Account(String),
}

impl Place {
    pub fn entry(n: usize, name: impl fmt::Display) -> Place {
        Place::Entry { n, name: quoted(name) }
    }

    pub fn account(name: &str) -> Place {
        let cut = quoted(name);
        Place::Account(if cut.len() < name.len() { format!("{cut}…") } else { cut })
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Line(n) => write!(f, "line {n}"),
            Place::Entry { n, name } if name.is_empty() => write!(f, "entry {n}"),
            Place::Entry { n, name } => write!(f, "entry {n} ({name})"),
            Place::QrCode { n, of } => write!(f, "QR code {n} of {of}"),
            Place::Account(name) => f.write_str(name),
        }
    }
}

/// The field of an entry whose value Ninsho does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Type,
    Algorithm,
    Digits,
    Counter,
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Field::Type => "type",
            Field::Algorithm => "algorithm",
            Field::Digits => "digit count",
            Field::Counter => "counter",
        })
    }
}

/// Why the part could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    #[error("no secret")]
    NoSecret,
    #[error("the hex key is not hexadecimal")]
    NotHex,
    #[error("{0}")]
    Secret(#[from] SecretError),
    /// A kind of account Ninsho cannot make codes for (GOST, MD5, Yandex…).
    #[error("{0} accounts are not supported")]
    Unsupported(String),
    #[error("unknown {0} {1}")]
    Unknown(Field, String),
    #[error("algorithm: {0}")]
    Algorithm(#[from] UnknownAlgorithm),
    #[error(transparent)]
    Otp(#[from] OtpError),
    #[error(transparent)]
    Uri(#[from] UriError),
    #[error("not an otpauth:// URI")]
    NotOtpauth,
    #[error(transparent)]
    Migration(#[from] MigrationError),
    #[error("not scanned ({scanned} of {size} scanned)")]
    NotScanned { scanned: usize, size: usize },
    #[error(transparent)]
    Name(#[from] NameTooLong),
}

impl EntryError {
    pub fn unsupported(kind: impl fmt::Display) -> EntryError {
        EntryError::Unsupported(quoted(kind))
    }

    pub fn unknown(field: Field, value: impl fmt::Display) -> EntryError {
        EntryError::Unknown(field, quoted(value))
    }
}

/// A part of a file that could not be read, with where it is: the rest still imports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub place: Place,
    pub error: EntryError,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.error)
    }
}

/// A file's unreadable parts, the first [`Problems::LISTED`] of them kept: a damaged or
/// foreign 64 MiB file has millions of bad lines, and the preview needs a few to show
/// what is wrong, not all of them in memory.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Problems {
    listed: Vec<Problem>,
    /// How many more there were.
    pub left_out: usize,
}

impl Problems {
    pub const LISTED: usize = 100;

    pub fn push(&mut self, problem: Problem) {
        if self.listed.len() < Self::LISTED {
            self.listed.push(problem);
        } else {
            self.left_out += 1;
        }
    }

    /// Every part that could not be read, listed or not.
    pub fn total(&self) -> usize {
        self.listed.len() + self.left_out
    }

    /// Adds another file part's problems (a batch of an export) after these.
    pub fn append(&mut self, other: Problems) {
        other.listed.into_iter().for_each(|p| self.push(p));
        self.left_out += other.left_out;
    }
}

impl std::ops::Deref for Problems {
    type Target = [Problem];
    fn deref(&self) -> &[Problem] {
        &self.listed
    }
}

impl From<Vec<Problem>> for Problems {
    fn from(problems: Vec<Problem>) -> Self {
        let mut all = Problems::default();
        problems.into_iter().for_each(|p| all.push(p));
        all
    }
}
