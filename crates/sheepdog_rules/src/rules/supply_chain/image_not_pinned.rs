use sheepdog_model::{Function, Model, Value};

use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A container-image function (`PackageType: Image`) whose image URI (CloudFormation
    /// `Code.ImageUri`, SAM `ImageUri`) names a tag, not a digest (`@sha256:...`). Not
    /// reported: a URI that is a parameter without a default, an import or built from
    /// another resource (`!Sub ${Repo.RepositoryUri}:...`); a function whose `Metadata`
    /// gives a `Dockerfile` or `DockerContext`, because `sam build` builds that image and
    /// writes `ImageUri` itself (and `sam deploy` pushes it under a tag derived from the
    /// image ID); and a CDK asset image, whose tag is the asset's content hash in the
    /// bootstrap repository, where tags are immutable.
    ///
    /// ## Why it matters
    /// Practice 16 (custom runtimes and container images): a tag is a pointer anyone with
    /// push rights to the repository can move. Lambda resolves it to a digest when the
    /// function is deployed, so the image that runs is whatever the tag pointed at in that
    /// moment: a template that was reviewed does not say what code it deploys, the same
    /// template deploys different code on different days, and a rollback to it does not
    /// bring the old code back. A tag moved by an attacker, or by a pipeline of another
    /// team, ships on your next deployment.
    ///
    /// ## How to fix
    /// Reference the image by digest: `<account>.dkr.ecr.<region>.amazonaws.com/repo@sha256:<digest>`,
    /// written by your pipeline after it pushes the image. With SAM, give the function
    /// `Metadata` (`Dockerfile`, `DockerContext`) and let `sam build` and `sam deploy`
    /// build and push it. If the repository's tags are immutable
    /// (`ImageTagMutability: IMMUTABLE`), a tag is as fixed as a digest: suppress this
    /// finding with that reason.
    ///
    /// ## Example
    /// Insecure:
    /// ```yaml
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties:
    ///       PackageType: Image
    ///       Role: arn:aws:iam::123456789012:role/orders
    ///       Code:
    ///         ImageUri: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders:latest
    /// ```
    /// Fixed:
    /// ```yaml
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties:
    ///       PackageType: Image
    ///       Role: arn:aws:iam::123456789012:role/orders
    ///       Code:
    ///         ImageUri: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders@sha256:6d3a4a5f0a4e3f6b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b
    /// ```
    pub struct ImageNotPinned {
        id: "IMG001",
        name: "image-not-pinned-by-digest",
        severity: Medium,
        practices: [16],
        sources: [CloudFormation, Sam, Terraform],
    }
}

impl Rule for ImageNotPinned {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for f in &model.functions {
            if !is_image_function(f) || f.image_build.is_some() {
                continue;
            }
            let Some(uri) = &f.image_uri else { continue };
            let Some(reference) = uri.value.as_str().map(str::trim) else {
                continue;
            };
            let Some(tag) = tag_of(reference) else {
                continue;
            };
            let what = match tag {
                Tag::Named(t) => format!("by the tag `{t}`"),
                Tag::None => "with no tag, so by the tag `latest`".to_owned(),
            };
            cx.report(
                &f.resource,
                &uri.span,
                "",
                format!(
                    "Function `{}` references its image {what}, not by digest",
                    f.resource.id
                ),
                "reference the image by digest, `repo@sha256:...` (SAM: or let `sam build` and `sam deploy` build and push it)",
            );
        }
    }
}

/// Whether `f` deploys a container image: `PackageType: Image`, or a package type that is
/// unknown (a parameter) while an `ImageUri` is written, which only an image function can
/// deploy with. Without `PackageType`, a function is a `Zip` one.
fn is_image_function(f: &Function) -> bool {
    match f.package_type.as_ref().map(|p| &p.value) {
        Some(Value::Known(p)) => p.eq_ignore_ascii_case("Image"),
        Some(Value::Unknown(_)) => true,
        None => false,
    }
}

/// How an image reference that is not pinned by digest names its image.
#[derive(Debug, PartialEq, Eq)]
enum Tag<'a> {
    Named(&'a str),
    /// No tag and no digest: the registry serves `latest`.
    None,
}

/// The tag of an image reference, or `None` when it is pinned: by digest
/// (`repo@sha256:...`, with or without a tag before it), or as a CDK asset.
fn tag_of(reference: &str) -> Option<Tag<'_>> {
    if reference.contains('@') {
        return None;
    }
    // The registry host may carry a port (`host:5000/repo`): the tag follows the last `/`.
    let last = reference.rsplit('/').next().unwrap_or(reference);
    let Some(colon) = last_colon_outside_placeholders(last) else {
        return Some(Tag::None);
    };
    let (repository, tag) = (&last[..colon], &last[colon + 1..]);
    if is_cdk_asset(repository, tag) {
        return None;
    }
    Some(Tag::Named(tag))
}

/// The position of the last `:` of `s` that is not inside a `${...}` placeholder (pseudo
/// parameters such as `${AWS::Region}` stay as text in a resolved `!Sub`).
fn last_colon_outside_placeholders(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut last = None;
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'$' if bytes.get(i + 1) == Some(&b'{') => depth += 1,
            b'}' if depth > 0 => depth -= 1,
            b':' if depth == 0 => last = Some(i),
            _ => {}
        }
    }
    last
}

/// A CDK container asset: pushed to the bootstrap repository
/// (`cdk-<qualifier>-container-assets-<account>-<region>`, tags immutable) under its
/// content hash.
fn is_cdk_asset(repository: &str, tag: &str) -> bool {
    repository.starts_with("cdk-")
        && repository.contains("-container-assets-")
        && tag.len() == 64
        && tag.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_tags() {
        assert_eq!(
            tag_of("123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders:latest"),
            Some(Tag::Named("latest"))
        );
        assert_eq!(
            tag_of("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/orders"),
            Some(Tag::None)
        );
        assert_eq!(tag_of("registry:5000/orders:v1"), Some(Tag::Named("v1")));
        assert_eq!(
            tag_of("${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/orders-${AWS::Region}"),
            Some(Tag::None)
        );
        assert_eq!(tag_of("repo@sha256:abc"), None);
        assert_eq!(tag_of("repo:v1@sha256:abc"), None);
        let hash = "a".repeat(64);
        assert_eq!(
            tag_of(&format!(
                "${{AWS::AccountId}}.dkr.ecr.${{AWS::Region}}.${{AWS::URLSuffix}}/cdk-hnb659fds-container-assets-${{AWS::AccountId}}-${{AWS::Region}}:{hash}"
            )),
            None
        );
    }
}
