//! What the two executables share: `ninsho` and `ninsho-screen`, which reads the screens
//! for `ninsho scan` so that `ninsho` itself links no screen-capture library.

pub mod scan;
