//! The pages, grouped by the part of the site a person is in (the first segment of
//! the address): `visit` (public), `account`, `dashboard`, `coop`, `admin`. One module
//! per page, named like its address; it holds the server function that loads its
//! data. A page's form posts are handled by the server module of the same path under
//! `server/src/http`.

pub mod account;
pub mod admin;
pub mod coop;
pub mod dashboard;
pub mod not_found;
pub mod visit;
