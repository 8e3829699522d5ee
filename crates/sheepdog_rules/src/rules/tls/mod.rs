use crate::Rule;
mod tls_verification_disabled;
mod weak_api_tls_policy;

use tls_verification_disabled::TlsVerificationDisabled;
use weak_api_tls_policy::WeakApiTlsPolicy;

/// This family's rules, in documentation order.
pub(super) static RULES: &[&dyn Rule] = &[&TlsVerificationDisabled, &WeakApiTlsPolicy];
