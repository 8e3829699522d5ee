mod no_reserved_concurrency;

pub use no_reserved_concurrency::NoReservedConcurrency;
