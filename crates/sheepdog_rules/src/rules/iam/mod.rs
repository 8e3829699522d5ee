mod full_admin;

pub use full_admin::FullAdmin;
