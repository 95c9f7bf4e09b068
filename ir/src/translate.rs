//! The module translator: validates a module with wasmparser and turns it into a
//! [`ModuleIr`], each function body translated by the driver (`driver.rs`) with the
//! emitter of the IR the options select.

use crate::driver::{Driver, Emitter};
use crate::features::wasm_features;
use crate::module::*;
use crate::register_emitter::RegisterEmitter;
use crate::stack_emitter::StackEmitter;
use crate::types::{FuncType, GlobalType, Limits, MemoryType, TableType, ValType};
use core::fmt;
use wasmparser::{
    FuncToValidate, FuncValidatorAllocations, FunctionBody, Operator, Parser, Payload,
    ValidPayload, Validator, ValidatorResources,
};

/// Why a module could not be translated: it is malformed, invalid, or uses a proposal
/// weft does not implement. The message comes from the validator and says which.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranslateError {
    /// Human-readable reason.
    pub message: String,
    /// Byte offset in the module, where known.
    pub offset: Option<usize>,
}

impl fmt::Display for TranslateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.offset {
            Some(o) => write!(f, "{} (at offset {o:#x})", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for TranslateError {}

impl From<wasmparser::BinaryReaderError> for TranslateError {
    fn from(e: wasmparser::BinaryReaderError) -> Self {
        TranslateError {
            message: e.message().to_string(),
            offset: Some(e.offset() as usize),
        }
    }
}

type Result<T, E = TranslateError> = core::result::Result<T, E>;

pub(crate) fn unsupported(what: &str) -> TranslateError {
    TranslateError {
        message: format!("unsupported: {what}"),
        offset: None,
    }
}

fn val_type(t: wasmparser::ValType) -> Result<ValType> {
    Ok(match t {
        wasmparser::ValType::I32 => ValType::I32,
        wasmparser::ValType::I64 => ValType::I64,
        wasmparser::ValType::F32 => ValType::F32,
        wasmparser::ValType::F64 => ValType::F64,
        wasmparser::ValType::Ref(r) if r.is_func_ref() => ValType::FuncRef,
        wasmparser::ValType::Ref(r) if r.is_extern_ref() => ValType::ExternRef,
        other => {
            return Err(unsupported(&format!(
                "value type {other} (proposal not enabled)"
            )))
        }
    })
}

fn ref_type(r: wasmparser::RefType) -> Result<ValType> {
    val_type(wasmparser::ValType::Ref(r))
}

fn table_type(t: wasmparser::TableType) -> Result<TableType> {
    Ok(TableType {
        elem: ref_type(t.element_type)?,
        limits: Limits {
            min: t.initial,
            max: t.maximum,
        },
    })
}

fn memory_type(t: wasmparser::MemoryType) -> MemoryType {
    MemoryType {
        limits: Limits {
            min: t.initial,
            max: t.maximum,
        },
    }
}

fn global_type(t: wasmparser::GlobalType) -> Result<GlobalType> {
    Ok(GlobalType {
        content: val_type(t.content_type)?,
        mutable: t.mutable,
    })
}

fn const_expr(expr: &wasmparser::ConstExpr<'_>) -> Result<ConstExpr> {
    let mut out = Vec::new();
    let mut reader = expr.get_operators_reader();
    while !reader.eof() {
        out.push(match reader.read()? {
            Operator::I32Const { value } => ConstOp::I32Const(value),
            Operator::I64Const { value } => ConstOp::I64Const(value),
            Operator::F32Const { value } => ConstOp::F32Const(value.bits()),
            Operator::F64Const { value } => ConstOp::F64Const(value.bits()),
            Operator::RefNull { .. } => ConstOp::RefNull,
            Operator::RefFunc { function_index } => ConstOp::RefFunc(function_index),
            Operator::GlobalGet { global_index } => ConstOp::GlobalGet(global_index),
            Operator::I32Add => ConstOp::I32Add,
            Operator::I32Sub => ConstOp::I32Sub,
            Operator::I32Mul => ConstOp::I32Mul,
            Operator::I64Add => ConstOp::I64Add,
            Operator::I64Sub => ConstOp::I64Sub,
            Operator::I64Mul => ConstOp::I64Mul,
            Operator::End => break,
            other => {
                return Err(unsupported(&format!(
                    "constant expression operator {other:?}"
                )))
            }
        });
    }
    Ok(out.into_boxed_slice())
}

/// Which IR the translator emits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct IrOptions {
    /// The register IR instead of the stack IR.
    pub register: bool,
    /// Register IR: fuse immediates, `local.set` and compare+branch into ops.
    pub fuse: bool,
    /// Register IR: keep results in accumulator registers until something needs a slot.
    pub accumulators: bool,
}

/// Validates `wasm` (binary format) and translates it to the stack IR.
pub fn translate(wasm: &[u8]) -> Result<ModuleIr> {
    translate_with(wasm, IrOptions::default())
}

/// Validates `wasm` (binary format) and translates it to the IR `options` select.
pub fn translate_with(wasm: &[u8], options: IrOptions) -> Result<ModuleIr> {
    let (m, lazy) = translate_in_mode(wasm, options, CompilationMode::Eager)?;
    debug_assert!(lazy.is_none());
    Ok(m)
}

/// When function bodies are validated and translated (wasmi's names for the same modes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CompilationMode {
    /// Validate and translate every function body at load.
    #[default]
    Eager,
    /// Validate every function body at load; translate each on its first call.
    LazyTranslation,
    /// Validate and translate each function body on its first call: loading checks only
    /// the module's structure, and an invalid body is an error of the call that first
    /// reaches it.
    Lazy,
}

impl CompilationMode {
    /// Every mode, in the order reports list them.
    pub const ALL: &'static [CompilationMode] = &[
        CompilationMode::Eager,
        CompilationMode::LazyTranslation,
        CompilationMode::Lazy,
    ];

    /// Stable name: `eager`, `lazy-translation`, `lazy`.
    pub fn name(self) -> &'static str {
        match self {
            CompilationMode::Eager => "eager",
            CompilationMode::LazyTranslation => "lazy-translation",
            CompilationMode::Lazy => "lazy",
        }
    }

    /// The mode called `name`, if any.
    pub fn from_name(name: &str) -> Option<CompilationMode> {
        Self::ALL.iter().copied().find(|m| m.name() == name)
    }
}

/// The function bodies of a module loaded in a lazy mode, still in Wasm form: each is
/// translated (and in `lazy` mode validated) by [`LazyBodies::translate`] when first needed.
/// Shared by every thread that calls into the module.
pub struct LazyBodies {
    /// The module's bytes (bodies are ranges of it, so offsets in errors stay the module's).
    wasm: std::sync::Arc<[u8]>,
    /// Per defined function, where its body is in `wasm`.
    ranges: Vec<core::ops::Range<usize>>,
    /// What validating a body needs, in `lazy` mode (`None`: validated at load).
    validate_with: Option<ValidatorResources>,
    options: IrOptions,
}

impl core::fmt::Debug for LazyBodies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LazyBodies")
            .field("functions", &self.ranges.len())
            .field("validated_at_load", &self.validate_with.is_none())
            .field("options", &self.options)
            .finish()
    }
}

impl LazyBodies {
    /// Number of defined functions.
    pub fn len(&self) -> usize {
        self.ranges.len()
    }

    /// Whether the module defines no function.
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// Translates defined function `index` of `m` (the module these bodies came with),
    /// validating it first in `lazy` mode.
    pub fn translate(&self, m: &ModuleIr, index: u32) -> Result<FuncBody> {
        let range = self.ranges[index as usize].clone();
        let reader = wasmparser::BinaryReader::new_features(
            &self.wasm[range.clone()],
            range.start as u64,
            wasm_features(),
        );
        let body = FunctionBody::new(reader);
        let func_index = m.num_imported_funcs + index;
        let ty = m.func_types[func_index as usize];
        let mut validator = self.validate_with.clone().map(|resources| {
            FuncToValidate {
                resources,
                index: func_index,
                ty,
                features: wasm_features(),
            }
            .into_validator(FuncValidatorAllocations::default())
        });
        let mut driver = Driver::default();
        if self.options.register {
            let mut emitter = RegisterEmitter::new(self.options.fuse, self.options.accumulators);
            driver.translate(m, ty, validator.as_mut(), &body, &mut emitter)
        } else {
            driver.translate(
                m,
                ty,
                validator.as_mut(),
                &body,
                &mut StackEmitter::default(),
            )
        }
    }
}

/// Validates `wasm` (binary format) and translates it to the IR `options` select, with
/// function bodies validated and translated as `mode` says. In the lazy modes the
/// returned [`ModuleIr`]'s bodies are placeholders (their signature, no ops), and the
/// [`LazyBodies`] translate them.
pub fn translate_in_mode(
    wasm: &[u8],
    options: IrOptions,
    mode: CompilationMode,
) -> Result<(ModuleIr, Option<LazyBodies>)> {
    translate_module(wasm, options, mode, None)
}

/// Validates and translates `wasm` eagerly, handing each function body to `sink` as soon
/// as it is translated instead of keeping it: the returned [`ModuleIr`]'s bodies keep
/// their layout (locals, stack height) but no ops, and the returned [`LazyBodies`]
/// translate any body again for inspection.
///
/// Why: an executor that encodes each body while it is still in the cache (weft's
/// `Module::new` does) never holds the IR of the whole module, which for a multi-MB module
/// is tens of MB written once and read once; its load time then follows its instruction
/// count (papers/dispatch.md, start-up).
pub fn translate_streaming(
    wasm: &[u8],
    options: IrOptions,
    sink: &mut dyn FnMut(&FuncBody),
) -> Result<(ModuleIr, LazyBodies)> {
    let (m, lazy) = translate_module(wasm, options, CompilationMode::Eager, Some(sink))?;
    Ok((
        m,
        lazy.expect("a streamed translation keeps the bodies' ranges"),
    ))
}

/// [`translate_in_mode`], and [`translate_streaming`] when `sink` is given (eager only).
fn translate_module(
    wasm: &[u8],
    options: IrOptions,
    mode: CompilationMode,
    mut sink: Option<&mut dyn FnMut(&FuncBody)>,
) -> Result<(ModuleIr, Option<LazyBodies>)> {
    let mut lazy_ranges = Vec::new();
    let mut lazy_resources = None;
    let mut validator = Validator::new_with_features(wasm_features());
    let mut m = ModuleIr::default();
    let mut allocs = FuncValidatorAllocations::default();
    let mut driver = Driver::default();
    let mut stack_emitter = StackEmitter::default();
    let mut register_emitter = RegisterEmitter::new(options.fuse, options.accumulators);
    // The decoder must know the feature set too: without multi-memory the `memory.size`
    // and `memory.grow` immediates are a single zero byte, and without memory64 limits
    // are u32 LEBs of at most 5 bytes. A parser defaults to every feature.
    let mut parser = Parser::new(0);
    parser.set_features(wasm_features());
    for payload in parser.parse_all(wasm) {
        let payload = payload?;
        if let ValidPayload::Func(func, body) = validator.payload(&payload)? {
            let index = m.num_imported_funcs as usize + m.bodies.len();
            let ty = m.func_types[index];
            let ir = match mode {
                CompilationMode::Eager => {
                    let mut fv = func.into_validator(core::mem::take(&mut allocs));
                    let mut ir = if options.register {
                        driver.translate(&m, ty, Some(&mut fv), &body, &mut register_emitter)?
                    } else {
                        driver.translate(&m, ty, Some(&mut fv), &body, &mut stack_emitter)?
                    };
                    allocs = fv.into_allocations();
                    // `ir.ops` is the emitter's buffer. A streamed body is read from it in
                    // place; a kept body gets an exact-size copy, so the module holds no
                    // spare capacity. Either way the buffer goes back to the emitter, which
                    // then never regrows it by doubling for the next function.
                    let buffer = match sink.as_mut() {
                        None => {
                            let mut buffer = core::mem::take(&mut ir.ops);
                            ir.ops = Vec::with_capacity(buffer.len());
                            ir.ops.append(&mut buffer);
                            buffer
                        }
                        Some(sink) => {
                            sink(&ir);
                            let range = body.range();
                            lazy_ranges.push(range.start as usize..range.end as usize);
                            core::mem::take(&mut ir.ops)
                        }
                    };
                    if options.register {
                        register_emitter.recycle_ops(buffer);
                    } else {
                        stack_emitter.recycle_ops(buffer);
                    }
                    ir
                }
                CompilationMode::LazyTranslation | CompilationMode::Lazy => {
                    if mode == CompilationMode::LazyTranslation {
                        let mut fv = func.into_validator(core::mem::take(&mut allocs));
                        fv.validate(&body)?;
                        allocs = fv.into_allocations();
                    } else if lazy_resources.is_none() {
                        lazy_resources = Some(func.resources);
                    }
                    let range = body.range();
                    lazy_ranges.push(range.start as usize..range.end as usize);
                    FuncBody::placeholder(ty, &m.types[ty as usize])
                }
            };
            m.bodies.push(ir);
        }
        match payload {
            Payload::TypeSection(reader) => {
                for group in reader {
                    for sub in group?.types() {
                        let f = sub.unwrap_func();
                        let params = f
                            .params()
                            .iter()
                            .map(|t| val_type(*t))
                            .collect::<Result<_>>()?;
                        let results = f
                            .results()
                            .iter()
                            .map(|t| val_type(*t))
                            .collect::<Result<_>>()?;
                        m.types.push(FuncType { params, results });
                    }
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    let import = import?;
                    let kind = match import.ty {
                        wasmparser::TypeRef::Func(t) => {
                            m.func_types.push(t);
                            m.num_imported_funcs += 1;
                            ImportKind::Func(t)
                        }
                        wasmparser::TypeRef::Table(t) => {
                            m.num_imported_tables += 1;
                            ImportKind::Table(table_type(t)?)
                        }
                        wasmparser::TypeRef::Memory(t) => {
                            m.num_imported_memories += 1;
                            ImportKind::Memory(memory_type(t))
                        }
                        wasmparser::TypeRef::Global(t) => {
                            m.num_imported_globals += 1;
                            ImportKind::Global(global_type(t)?)
                        }
                        other => return Err(unsupported(&format!("import of {other:?}"))),
                    };
                    m.imports.push(Import {
                        module: import.module.to_string(),
                        name: import.name.to_string(),
                        kind,
                    });
                }
            }
            Payload::FunctionSection(reader) => {
                for t in reader {
                    m.func_types.push(t?);
                }
            }
            Payload::TableSection(reader) => {
                for table in reader {
                    let table = table?;
                    let init = match &table.init {
                        wasmparser::TableInit::RefNull => None,
                        wasmparser::TableInit::Expr(e) => Some(const_expr(e)?),
                    };
                    m.tables.push(TableDef {
                        ty: table_type(table.ty)?,
                        init,
                    });
                }
            }
            Payload::MemorySection(reader) => {
                for mem in reader {
                    m.memories.push(memory_type(mem?));
                }
            }
            Payload::GlobalSection(reader) => {
                for g in reader {
                    let g = g?;
                    m.globals.push(GlobalDef {
                        ty: global_type(g.ty)?,
                        init: const_expr(&g.init_expr)?,
                    });
                }
            }
            Payload::ExportSection(reader) => {
                for e in reader {
                    let e = e?;
                    let kind = match e.kind {
                        wasmparser::ExternalKind::Func => ExportKind::Func(e.index),
                        wasmparser::ExternalKind::Table => ExportKind::Table(e.index),
                        wasmparser::ExternalKind::Memory => ExportKind::Memory(e.index),
                        wasmparser::ExternalKind::Global => ExportKind::Global(e.index),
                        other => return Err(unsupported(&format!("export of {other:?}"))),
                    };
                    m.exports.push(Export {
                        name: e.name.to_string(),
                        kind,
                    });
                }
            }
            Payload::StartSection { func, .. } => m.start = Some(func),
            Payload::ElementSection(reader) => {
                for elem in reader {
                    let elem = elem?;
                    let mode = match elem.kind {
                        wasmparser::ElementKind::Passive => ElemMode::Passive,
                        wasmparser::ElementKind::Declared => ElemMode::Declared,
                        wasmparser::ElementKind::Active {
                            table_index,
                            offset_expr,
                        } => ElemMode::Active {
                            table: table_index.unwrap_or(0),
                            offset: const_expr(&offset_expr)?,
                        },
                    };
                    let (ty, items) = match elem.items {
                        wasmparser::ElementItems::Functions(r) => (
                            ValType::FuncRef,
                            r.into_iter()
                                .map(|f| Ok(vec![ConstOp::RefFunc(f?)].into_boxed_slice()))
                                .collect::<Result<Vec<_>>>()?,
                        ),
                        wasmparser::ElementItems::Expressions(t, r) => (
                            ref_type(t)?,
                            r.into_iter()
                                .map(|e| const_expr(&e?))
                                .collect::<Result<Vec<_>>>()?,
                        ),
                    };
                    m.elems.push(ElemSegment {
                        mode,
                        ty,
                        items: items.into_boxed_slice(),
                    });
                }
            }
            Payload::DataSection(reader) => {
                for data in reader {
                    let data = data?;
                    let mode = match data.kind {
                        wasmparser::DataKind::Passive => DataMode::Passive,
                        wasmparser::DataKind::Active {
                            memory_index,
                            offset_expr,
                        } => DataMode::Active {
                            memory: memory_index,
                            offset: const_expr(&offset_expr)?,
                        },
                    };
                    m.datas.push(DataSegment {
                        mode,
                        bytes: data.data.into(),
                    });
                }
            }
            _ => {}
        }
    }
    let lazy = (mode != CompilationMode::Eager || sink.is_some()).then(|| LazyBodies {
        wasm: wasm.into(),
        ranges: lazy_ranges,
        validate_with: lazy_resources,
        options,
    });
    Ok((m, lazy))
}
