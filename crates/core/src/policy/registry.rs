//! Windows Group Policy: values under `SOFTWARE\Policies\Ninsho` in HKLM and HKCU, as an
//! ADMX template or a `.reg` file writes them.

#[cfg(windows)]
use super::PolicyError;
use super::Raw;

/// A registry value as read, by type.
#[derive(Debug, Clone, PartialEq)]
pub enum RegValue {
    Dword(u32),
    Qword(u64),
    /// REG_SZ and REG_EXPAND_SZ.
    Text(String),
    MultiText(Vec<String>),
    /// Any other type, by its name (REG_BINARY, …).
    Other(&'static str),
}

impl From<RegValue> for Raw {
    fn from(v: RegValue) -> Raw {
        match v {
            RegValue::Dword(d) => Raw::Int(i64::from(d)),
            RegValue::Qword(q) => i64::try_from(q).map_or(Raw::Other("a number too large"), Raw::Int),
            RegValue::Text(t) => Raw::Text(t),
            RegValue::MultiText(items) => Raw::List(items),
            RegValue::Other(kind) => Raw::Other(kind),
        }
    }
}

/// The default value (empty name) carries nothing; value names are matched without case,
/// as Windows does.
pub fn entries(values: Vec<(String, RegValue)>) -> Vec<(String, Raw)> {
    values.into_iter().filter(|(name, _)| !name.is_empty()).map(|(name, v)| (name.to_ascii_lowercase(), v.into())).collect()
}

#[cfg(windows)]
#[derive(Debug, Clone, Copy)]
pub enum Hive {
    LocalMachine,
    CurrentUser,
}

/// Reads every value of `key` under `hive`; `Ok(None)` when the key does not exist.
#[cfg(windows)]
pub fn read(hive: Hive, key: &str) -> Result<Option<Vec<(String, Raw)>>, PolicyError> {
    use windows_sys::Win32::Foundation::{ERROR_FILE_NOT_FOUND, ERROR_NO_MORE_ITEMS, ERROR_SUCCESS};
    use windows_sys::Win32::System::Registry::{
        HKEY, HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE, KEY_READ, REG_DWORD, REG_EXPAND_SZ, REG_MULTI_SZ, REG_QWORD, REG_SZ, RegCloseKey, RegEnumValueW,
        RegOpenKeyExW,
    };
    let hive = match hive {
        Hive::LocalMachine => HKEY_LOCAL_MACHINE,
        Hive::CurrentUser => HKEY_CURRENT_USER,
    };

    let wide: Vec<u16> = key.encode_utf16().chain([0]).collect();
    let mut handle: HKEY = std::ptr::null_mut();
    // SAFETY: `wide` is NUL-terminated and `handle` receives the opened key.
    let status = unsafe { RegOpenKeyExW(hive, wide.as_ptr(), 0, KEY_READ, &mut handle) };
    if status == ERROR_FILE_NOT_FOUND {
        return Ok(None);
    }
    if status != ERROR_SUCCESS {
        return Err(PolicyError::Unreadable(std::io::Error::from_raw_os_error(status as i32).to_string()));
    }
    let mut values = Vec::new();
    for index in 0.. {
        let mut name = vec![0u16; 16_384];
        let mut name_len = name.len() as u32;
        let mut kind = 0u32;
        let mut data = vec![0u8; 64 * 1024];
        let mut data_len = data.len() as u32;
        // SAFETY: every buffer is as long as the length passed with it.
        let status =
            unsafe { RegEnumValueW(handle, index, name.as_mut_ptr(), &mut name_len, std::ptr::null(), &mut kind, data.as_mut_ptr(), &mut data_len) };
        if status == ERROR_NO_MORE_ITEMS {
            break;
        }
        if status != ERROR_SUCCESS {
            // SAFETY: the key was opened above.
            unsafe { RegCloseKey(handle) };
            return Err(PolicyError::Unreadable(std::io::Error::from_raw_os_error(status as i32).to_string()));
        }
        let name = String::from_utf16_lossy(&name[..name_len as usize]);
        let data = &data[..data_len as usize];
        let value = match kind {
            REG_DWORD if data.len() == 4 => RegValue::Dword(u32::from_le_bytes(data.try_into().expect("4 bytes"))),
            REG_QWORD if data.len() == 8 => RegValue::Qword(u64::from_le_bytes(data.try_into().expect("8 bytes"))),
            REG_SZ | REG_EXPAND_SZ => RegValue::Text(wide_strings(data).into_iter().next().unwrap_or_default()),
            REG_MULTI_SZ => RegValue::MultiText(wide_strings(data)),
            _ => RegValue::Other("binary data"),
        };
        values.push((name, value));
    }
    // SAFETY: the key was opened above.
    unsafe { RegCloseKey(handle) };
    Ok(Some(entries(values)))
}

/// UTF-16 strings separated and ended by NULs (REG_SZ holds one, REG_MULTI_SZ several).
pub fn wide_strings(data: &[u8]) -> Vec<String> {
    let units: Vec<u16> = data.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
    units.split(|&u| u == 0).filter(|s| !s.is_empty()).map(String::from_utf16_lossy).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_strings_split_at_nuls() {
        let data: Vec<u8> = "ntp.example\0time.example:1123\0\0".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(wide_strings(&data), ["ntp.example", "time.example:1123"]);
        assert_eq!(wide_strings(&[0x41, 0x00]), ["A"], "a REG_SZ written without its NUL");
        assert!(wide_strings(&[0x41]).is_empty(), "an odd byte is no character");
    }

    #[test]
    fn value_names_are_matched_without_case() {
        let got = entries(vec![("".into(), RegValue::Text("x".into())), ("Lock_Required".into(), RegValue::Dword(1))]);
        assert_eq!(got, [("lock_required".to_owned(), Raw::Int(1))]);
    }
}
