//! macOS managed preferences: the property list (XML or binary) that a configuration
//! profile for `jp.ninsho.app` installs under `/Library/Managed Preferences/`.

use super::{MAX_BYTES, PolicyError, Raw};

pub fn parse(bytes: &[u8]) -> Result<Vec<(String, Raw)>, PolicyError> {
    if bytes.len() > MAX_BYTES {
        return Err(PolicyError::TooLarge);
    }
    let value = plist::Value::from_reader(std::io::Cursor::new(bytes)).map_err(|e| PolicyError::Plist(e.to_string()))?;
    match value {
        plist::Value::Dictionary(dict) => Ok(dict.into_iter().map(|(k, v)| (k, raw(v))).collect()),
        other => Err(PolicyError::NotAnObject(kind(&other))),
    }
}

fn kind(v: &plist::Value) -> &'static str {
    match v {
        plist::Value::Array(_) => "a list",
        plist::Value::Dictionary(_) => "a dictionary",
        plist::Value::Boolean(_) => "true/false",
        plist::Value::Data(_) => "data",
        plist::Value::Date(_) => "a date",
        plist::Value::Real(_) => "a fraction",
        plist::Value::Integer(_) => "a number",
        plist::Value::String(_) => "text",
        _ => "an unsupported value",
    }
}

fn raw(v: plist::Value) -> Raw {
    match v {
        plist::Value::Boolean(b) => Raw::Bool(b),
        plist::Value::Integer(i) => i.as_signed().map_or(Raw::Other("a number too large"), Raw::Int),
        plist::Value::String(s) => Raw::Text(s),
        plist::Value::Array(items) => {
            let texts: Option<Vec<String>> = items.into_iter().map(|i| i.into_string()).collect();
            texts.map_or(Raw::Other("a list of things other than text"), Raw::List)
        }
        other => Raw::Other(kind(&other)),
    }
}
