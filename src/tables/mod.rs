//! Mappings that are data. Rewrites look things up here instead of spreading match arms around.

pub mod claims;
pub mod context;
pub mod credentials;
pub mod hook_context;
pub mod limits;
pub mod modules;
pub mod saml;
pub mod user;
