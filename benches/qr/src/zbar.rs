//! The few libzbar calls the benchmark needs (Debian's libzbar0; link with libzbar-dev).

use std::ffi::{CStr, c_char, c_int, c_uint, c_ulong, c_void};

#[repr(C)]
struct Scanner(c_void);
#[repr(C)]
struct Image(c_void);
#[repr(C)]
struct Symbol(c_void);

const ZBAR_NONE: c_int = 0;
const ZBAR_QRCODE: c_int = 64;
const ZBAR_CFG_ENABLE: c_int = 0;
const Y800: c_ulong = u32::from_le_bytes(*b"Y800") as c_ulong;

#[link(name = "zbar")]
unsafe extern "C" {
    fn zbar_image_scanner_create() -> *mut Scanner;
    fn zbar_image_scanner_destroy(scanner: *mut Scanner);
    fn zbar_image_scanner_set_config(scanner: *mut Scanner, symbology: c_int, config: c_int, value: c_int) -> c_int;
    fn zbar_image_create() -> *mut Image;
    fn zbar_image_destroy(image: *mut Image);
    fn zbar_image_set_format(image: *mut Image, format: c_ulong);
    fn zbar_image_set_size(image: *mut Image, width: c_uint, height: c_uint);
    fn zbar_image_set_data(image: *mut Image, data: *const c_void, len: c_ulong, cleanup: *const c_void);
    fn zbar_scan_image(scanner: *mut Scanner, image: *mut Image) -> c_int;
    fn zbar_image_first_symbol(image: *const Image) -> *const Symbol;
    fn zbar_symbol_next(symbol: *const Symbol) -> *const Symbol;
    fn zbar_symbol_get_data(symbol: *const Symbol) -> *const c_char;
}

/// Every QR payload zbar reads in an 8-bit grey image.
pub fn decode(luma: &[u8], width: u32, height: u32) -> Vec<String> {
    let mut found = Vec::new();
    // SAFETY: the image borrows `luma` only until it is destroyed at the end of this
    // block (no cleanup handler, so zbar never frees it); symbols are read before that.
    unsafe {
        let scanner = zbar_image_scanner_create();
        zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
        zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
        let image = zbar_image_create();
        zbar_image_set_format(image, Y800);
        zbar_image_set_size(image, width, height);
        zbar_image_set_data(image, luma.as_ptr().cast(), luma.len() as c_ulong, std::ptr::null());
        if zbar_scan_image(scanner, image) > 0 {
            let mut symbol = zbar_image_first_symbol(image);
            while !symbol.is_null() {
                found.push(CStr::from_ptr(zbar_symbol_get_data(symbol)).to_string_lossy().into_owned());
                symbol = zbar_symbol_next(symbol);
            }
        }
        zbar_image_destroy(image);
        zbar_image_scanner_destroy(scanner);
    }
    found
}
