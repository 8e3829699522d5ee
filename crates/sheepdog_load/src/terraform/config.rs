//! What one Terraform module declares: variables, locals, resources, data sources, module
//! calls and outputs, each with the file it is written in.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body};
use sheepdog_diagnostics::Diagnostic;

use super::source::{SourceFile, module_files, parse_file};

/// A directory of `.tf` files, parsed.
pub struct Module {
    pub dir: PathBuf,
    /// The directory with links and `..` resolved, once: how calls name the same module.
    pub key: PathBuf,
    pub files: Vec<SourceFile>,
}

impl Module {
    pub fn new(dir: &Path, files: Vec<SourceFile>) -> Self {
        Self {
            dir: dir.to_path_buf(),
            key: super::canonical(dir),
            files,
        }
    }

    /// Parse every `.tf` file of `dir`; a file that does not parse is a diagnostic and the
    /// others are still read.
    pub fn read(dir: &Path, diagnostics: &mut Vec<Diagnostic>) -> Self {
        let mut files = Vec::new();
        for path in module_files(dir) {
            match parse_file(&path) {
                Ok(f) => files.push(f),
                Err(d) => diagnostics.push(d),
            }
        }
        Self::new(dir, files)
    }
}

/// Something declared in a file of the module: its file index and its node.
pub struct At<'m, T> {
    pub file: usize,
    pub item: &'m T,
}

// Not derived: the derive would require `T: Copy`, and only the reference is copied.
impl<T> Clone for At<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for At<'_, T> {}

/// A `resource` or `data` block.
#[derive(Clone, Copy)]
pub struct ResourceDecl<'m> {
    pub data: bool,
    pub kind: &'m str,
    pub name: &'m str,
    pub file: usize,
    pub block: &'m Block,
}

impl ResourceDecl<'_> {
    /// `aws_lambda_function.api`, `data.aws_iam_policy_document.x`.
    pub fn address(&self) -> String {
        if self.data {
            format!("data.{}.{}", self.kind, self.name)
        } else {
            format!("{}.{}", self.kind, self.name)
        }
    }
}

/// The declarations of one module, indexed for evaluation.
#[derive(Default)]
pub struct Declarations<'m> {
    pub variables: HashMap<&'m str, At<'m, Block>>,
    pub locals: HashMap<&'m str, At<'m, Expression>>,
    pub resources: Vec<ResourceDecl<'m>>,
    pub modules: Vec<At<'m, Block>>,
    pub outputs: HashMap<&'m str, At<'m, Expression>>,
}

impl<'m> Declarations<'m> {
    pub fn of(module: &'m Module, diagnostics: &mut Vec<Diagnostic>) -> Self {
        let mut d = Self::default();
        for (file, source) in module.files.iter().enumerate() {
            d.add(file, source, &source.body, diagnostics);
        }
        d
    }

    fn add(
        &mut self,
        file: usize,
        source: &SourceFile,
        body: &'m Body,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        for block in body.blocks() {
            let labels: Vec<&str> = block
                .labels
                .iter()
                .map(hcl_edit::structure::BlockLabel::as_str)
                .collect();
            match (block.ident.as_str(), labels.as_slice()) {
                ("variable", [name]) => {
                    self.variables.insert(name, At { file, item: block });
                }
                ("locals", []) => {
                    for attr in block.body.attributes() {
                        self.locals.insert(
                            attr.key.as_str(),
                            At {
                                file,
                                item: &attr.value,
                            },
                        );
                    }
                }
                ("resource" | "data", [kind, name]) => self.resources.push(ResourceDecl {
                    data: block.ident.as_str() == "data",
                    kind,
                    name,
                    file,
                    block,
                }),
                ("module", [_]) => self.modules.push(At { file, item: block }),
                ("output", [name]) => {
                    if let Some(value) = block.body.get_attribute("value") {
                        self.outputs.insert(
                            name,
                            At {
                                file,
                                item: &value.value,
                            },
                        );
                    }
                }
                ("resource" | "data" | "variable" | "module" | "output", _) => {
                    diagnostics.push(Diagnostic::error(
                        "SD006",
                        format!(
                            "`{}` block with the wrong number of labels",
                            block.ident.as_str()
                        ),
                        source.span(block.ident.span()),
                    ));
                }
                _ => {}
            }
        }
    }

    pub fn resource(&self, data: bool, kind: &str, name: &str) -> Option<&ResourceDecl<'m>> {
        self.resources
            .iter()
            .find(|r| r.data == data && r.kind == kind && r.name == name)
    }
}
