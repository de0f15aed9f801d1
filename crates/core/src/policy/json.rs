//! The Linux policy file, `/etc/ninsho/policy.json`: one JSON object of settings.

use super::{MAX_BYTES, PolicyError, Raw};

/// The file's entries in file order.
pub fn parse(bytes: &[u8]) -> Result<Vec<(String, Raw)>, PolicyError> {
    if bytes.len() > MAX_BYTES {
        return Err(PolicyError::TooLarge);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| PolicyError::Json {
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    })?;
    match value {
        serde_json::Value::Object(map) => Ok(map.into_iter().map(|(k, v)| (k, raw(v))).collect()),
        other => Err(PolicyError::NotAnObject(kind(&other))),
    }
}

/// serde_json appends " at line L column C", which the error names separately.
fn strip_position(message: &str) -> String {
    message.rsplit_once(" at line ").map_or(message, |(m, _)| m).to_owned()
}

fn kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "true/false",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "text",
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::Object(_) => "an object",
    }
}

fn raw(v: serde_json::Value) -> Raw {
    match v {
        serde_json::Value::Bool(b) => Raw::Bool(b),
        serde_json::Value::Number(n) => n.as_i64().map_or(Raw::Other("a fraction"), Raw::Int),
        serde_json::Value::String(s) => Raw::Text(s),
        serde_json::Value::Array(items) => {
            let texts: Option<Vec<String>> = items.into_iter().map(|i| i.as_str().map(str::to_owned)).collect();
            texts.map_or(Raw::Other("a list of things other than text"), Raw::List)
        }
        other => Raw::Other(kind(&other)),
    }
}
