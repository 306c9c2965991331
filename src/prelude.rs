//! The `alloc` names std's prelude would supply, imported by every module so that the crate also builds
//! without std: on wasm32 it is `no_std`, which keeps panic formatting and std's allocator out of the
//! bundle (see `wasm::runtime`).

pub use alloc::string::{String, ToString};
pub use alloc::vec;
pub use alloc::vec::Vec;
