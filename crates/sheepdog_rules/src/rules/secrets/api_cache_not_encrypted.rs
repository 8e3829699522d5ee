use sheepdog_model::{MethodSetting, Model, Resource, Sourced, Span, Value};

use crate::context::describe;
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A REST API stage that caches responses without encrypting its cache. The stage
    /// provisions a cache (`CacheClusterEnabled: true`, which caches `GET` methods by
    /// default) or a method setting enables caching (`CachingEnabled: true`), and the
    /// method settings that apply do not set `CacheDataEncrypted: true`. Covers
    /// `AWS::ApiGateway::Stage`, the stage an `AWS::ApiGateway::Deployment` creates
    /// (`StageDescription`) and SAM APIs (`CacheClusterEnabled`, `MethodSettings`, also
    /// from `Globals`). A stage whose `CacheClusterEnabled` is explicitly `false` has no
    /// cache; settings given by parameters are not reported.
    ///
    /// ## Why it matters
    /// Practice 3 (protect secrets and sensitive data): the cache holds whole responses —
    /// personal data, tokens, whatever the integration returned — on disk at API Gateway.
    /// Unencrypted, that copy escapes the encryption-at-rest guarantees the rest of the data
    /// has (Security Hub control APIGateway.5).
    ///
    /// ## How to fix
    /// Set `CacheDataEncrypted: true` in the method settings that enable caching; for the
    /// whole stage, a setting with `ResourcePath: /*` and `HttpMethod: '*'`. On a deployment
    /// that creates its stage, set it in `StageDescription`. In SAM, add it to the API's
    /// `MethodSettings`.
    ///
    /// ## Example
    /// Insecure:
    /// ```yaml
    /// Transform: AWS::Serverless-2016-10-31
    /// Resources:
    ///   Api:
    ///     Type: AWS::Serverless::Api
    ///     Properties:
    ///       StageName: prod
    ///       CacheClusterEnabled: true
    ///       CacheClusterSize: "0.5"
    /// ```
    /// Fixed:
    /// ```yaml
    /// Transform: AWS::Serverless-2016-10-31
    /// Resources:
    ///   Api:
    ///     Type: AWS::Serverless::Api
    ///     Properties:
    ///       StageName: prod
    ///       CacheClusterEnabled: true
    ///       CacheClusterSize: "0.5"
    ///       MethodSettings:
    ///         - ResourcePath: /*
    ///           HttpMethod: "*"
    ///           CacheDataEncrypted: true
    /// ```
    pub struct ApiCacheNotEncrypted {
        id: "SEC007",
        name: "api-cache-not-encrypted",
        severity: Medium,
        practices: [3],
        sources: [CloudFormation, Sam, Terraform],
    }
}

const STAGE_HELP: &str = "set `CacheDataEncrypted: true` for the cached methods (a method setting for every method, `ResourcePath: /*, HttpMethod: \"*\"`, covers the stage)";
const DEPLOYMENT_HELP: &str =
    "set `CacheDataEncrypted: true` in `StageDescription` (or in the method setting that caches)";

impl Rule for ApiCacheNotEncrypted {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for stage in &model.rest_stages {
            let cache = StageCache {
                cluster: stage.cache_cluster_enabled.as_ref(),
                caching: None,
                encrypted: None,
                settings: &stage.method_settings,
            };
            let who = format!("Stage {}", describe(&stage.resource));
            report(cx, &stage.resource, &who, &cache, STAGE_HELP);
        }
        for deployment in &model.rest_deployments {
            let cache = StageCache {
                cluster: deployment.stage_cache_cluster_enabled.as_ref(),
                caching: deployment.stage_caching_enabled.as_ref(),
                encrypted: deployment.stage_cache_data_encrypted.as_ref(),
                settings: &deployment.stage_method_settings,
            };
            let who = format!("The stage of deployment {}", describe(&deployment.resource));
            report(cx, &deployment.resource, &who, &cache, DEPLOYMENT_HELP);
        }
    }
}

/// A stage's cache configuration: the cluster, the stage-wide settings (a deployment's
/// `StageDescription`), and the method settings.
struct StageCache<'a> {
    cluster: Option<&'a Sourced<bool>>,
    caching: Option<&'a Sourced<bool>>,
    encrypted: Option<&'a Sourced<bool>>,
    settings: &'a [MethodSetting],
}

fn report(
    cx: &mut Context<'_>,
    resource: &Resource,
    who: &str,
    cache: &StageCache<'_>,
    help: &str,
) {
    // No cache cluster at all: nothing is cached, whatever the methods say.
    if cache
        .cluster
        .is_some_and(|c| c.value == Value::Known(false))
    {
        return;
    }
    let wildcard = cache.settings.iter().rev().find(|s| is_wildcard(s));
    // A setting for methods sheepdog cannot tell may be the stage-wide one: then what the
    // stage as a whole does cannot be told.
    let stage_unknown = wildcard.is_none() && cache.settings.iter().any(unknown_scope);
    let stage_caching = wildcard
        .and_then(|w| w.caching_enabled.as_ref())
        .or(cache.caching);
    let stage_encrypted = wildcard
        .and_then(|w| w.cache_data_encrypted.as_ref())
        .or(cache.encrypted);

    // The stage as a whole: caching turned on for every method, or the cluster with its
    // default (`GET` methods cached).
    let whole = match stage_caching.map(|c| &c.value) {
        Some(Value::Known(true)) => stage_caching.map(|c| (&c.span, "its responses")),
        None => cache
            .cluster
            .filter(|c| c.value == Value::Known(true))
            .map(|c| (&c.span, "`GET` responses")),
        Some(_) => None,
    };
    if let Some((enabled_at, what)) = whole.filter(|_| !stage_unknown)
        && let Some(at) = unencrypted(stage_encrypted, enabled_at)
    {
        cx.report(
            resource,
            at,
            "stage",
            format!("{who} caches {what} without encrypting the cache"),
            help,
        );
    }

    for (i, s) in cache.settings.iter().enumerate() {
        if is_wildcard(s) {
            continue;
        }
        let Some(enabled) = s
            .caching_enabled
            .as_ref()
            .filter(|c| c.value == Value::Known(true))
        else {
            continue;
        };
        if s.cache_data_encrypted.is_none() && stage_unknown {
            continue;
        }
        let encrypted = s.cache_data_encrypted.as_ref().or(stage_encrypted);
        let Some(at) = unencrypted(encrypted, &enabled.span) else {
            continue;
        };
        let method = s.http_method.as_ref().and_then(|m| m.value.as_str());
        let path = s.resource_path.as_ref().and_then(|p| p.value.as_str());
        let (what, key) = match (method, path) {
            (Some(m), Some(p)) => (format!("`{m} {}`", unescape(p)), format!("{m} {p}")),
            _ => ("responses of some methods".to_owned(), format!("#{i}")),
        };
        cx.report(
            resource,
            at,
            key,
            format!("{who} caches {what} without encrypting the cache"),
            help,
        );
    }
}

/// Where to point when the cache is not encrypted: at `CacheDataEncrypted: false`, or at
/// the setting that enabled caching when encryption is not written. `None` when it is
/// encrypted or cannot be told.
fn unencrypted<'a>(encrypted: Option<&'a Sourced<bool>>, enabled_at: &'a Span) -> Option<&'a Span> {
    match encrypted {
        None => Some(enabled_at),
        Some(e) if e.value == Value::Known(false) => Some(&e.span),
        Some(_) => None,
    }
}

/// A setting whose `ResourcePath` or `HttpMethod` could not be resolved.
fn unknown_scope(s: &MethodSetting) -> bool {
    let unknown = |v: Option<&Sourced<String>>| v.is_some_and(|v| v.value.is_unknown());
    unknown(s.resource_path.as_ref()) || unknown(s.http_method.as_ref())
}

/// A setting for every method of the stage (`ResourcePath: /*`, `HttpMethod: '*'`, or not
/// written).
fn is_wildcard(s: &MethodSetting) -> bool {
    let all = |v: Option<&Sourced<String>>, any: &str| v.is_none_or(|v| v.value.is(any));
    all(s.resource_path.as_ref(), "/*") && all(s.http_method.as_ref(), "*")
}

/// A method setting's `ResourcePath` as the API path it stands for: `/~1orders~1{id}` is
/// `/orders/{id}` (`/` escaped as `~1`, `~` as `~0`).
fn unescape(path: &str) -> String {
    let escaped = path.strip_prefix('/').unwrap_or(path);
    let unescaped = escaped.replace("~1", "/").replace("~0", "~");
    if unescaped.starts_with('/') {
        unescaped
    } else {
        format!("/{unescaped}")
    }
}
