mod latest_only;

pub use latest_only::LatestOnly;
