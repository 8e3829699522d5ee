use crate::Rule;
mod aws_layers;
mod cross_account_layer;
mod image_not_pinned;

use cross_account_layer::CrossAccountLayer;
use image_not_pinned::ImageNotPinned;

/// This family's rules, in documentation order.
pub(super) static RULES: &[&dyn Rule] = &[&CrossAccountLayer, &ImageNotPinned];
