/// Declare a rule: its doc comment (the documentation) and metadata, as a unit struct with
/// an associated `META`. A plain `macro_rules!`, so it costs nothing to compile.
#[macro_export]
macro_rules! declare_rule {
    (@opt_in) => { false };
    (@opt_in $v:literal) => { $v };
    (
        $(#[doc = $doc:literal])*
        $vis:vis struct $ty:ident {
            id: $id:literal,
            name: $name:literal,
            severity: $sev:ident,
            practices: [$($practice:literal),* $(,)?],
            sources: [$($source:ident),* $(,)?]
            $(, opt_in: $opt_in:literal)?
            $(, options: [$(($opt_name:literal, $opt_doc:literal)),* $(,)?])? $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Default, Clone, Copy)]
        $vis struct $ty;

        impl $ty {
            pub(crate) const META: ::sheepdog_diagnostics::RuleMeta = ::sheepdog_diagnostics::RuleMeta {
                id: $id,
                name: $name,
                severity: ::sheepdog_diagnostics::Severity::$sev,
                practices: &[$($practice),*],
                sources: &[$(::sheepdog_diagnostics::Source::$source),*],
                docs: concat!($($doc, "\n"),*),
                opt_in: $crate::declare_rule!(@opt_in $($opt_in)?),
                options: &[$($(($opt_name, $opt_doc)),*)?],
            };
        }

        impl $crate::Declared for $ty {
            fn meta(&self) -> &'static ::sheepdog_diagnostics::RuleMeta {
                &Self::META
            }
        }
    };
}
