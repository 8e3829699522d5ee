//! The normalized model of one deployment unit (a template, later a Terraform root module
//! or a live account region): the contract between loaders and rules.
//!
//! Invariants (ARCHITECTURE.md):
//! - Rules read only this model; no type here knows a file format.
//! - Every field a rule may point at is `Located`; anything that may be unresolved is a
//!   `Value` (`Known` or `Unknown`). `None` means "not written", which is different from
//!   "written but unknown".
//! - Resources derived by a loader (the role SAM creates for a function) are ordinary
//!   resources whose [`Origin`] names the node that caused them, and whose spans point there.

mod api;
mod function;
mod iam;
mod lambda;
mod model;
mod network;
mod observability;
mod resource;
mod secrets;

pub use api::{
    ApiDomain, HttpApi, HttpRoute, HttpStage, MethodSetting, RequestParameter, RequestValidator,
    RestApi, RestDeployment, RestMethod, RestStage, RouteSettings, UsagePlan, UsagePlanStage,
    WebAcl, WebAclAssociation, WebAclRule,
};
pub use function::{EnvVar, Environment, Function, ImageBuild, VpcConfig};
pub use iam::{ManagedPolicy, NamedPolicy, Role, SamPolicyTemplate};
pub use lambda::{
    Alias, CodeSigningConfig, Cors, EventInvokeConfig, EventSourceMapping, FunctionUrl,
    LayerPermission, LayerVersion, Permission, Version,
};
pub use model::{Format, Model, Qualifier};
pub use network::{SecurityGroup, SecurityGroupRule, SgRule};
pub use observability::{Alarm, AlarmDimension, AlarmMetric, LogGroup};
pub use resource::{LineSuppression, Origin, Resource, Suppression};
pub use secrets::{GeneratedSecret, KmsKey, RotationSchedule, Secret};

pub use sheepdog_diagnostics::{Located, Sourced, Span, Unknown, UnknownReason, Value};
pub use sheepdog_iam::PolicyDocument;
