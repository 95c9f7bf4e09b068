//! The translator: validates a module with wasmparser and turns it into a [`ModuleIr`],
//! emitting each function body as stack IR.

use crate::features::wasm_features;
use crate::module::*;
use crate::op::{BrTableEntry, Op, Target};
use crate::types::{FuncType, GlobalType, Limits, MemoryType, TableType, ValType};
use core::fmt;
use wasmparser::{
    BlockType, FuncValidator, FuncValidatorAllocations, FunctionBody, Operator, Parser, Payload,
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

fn unsupported(what: &str) -> TranslateError {
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
    let mut validator = Validator::new_with_features(wasm_features());
    let mut m = ModuleIr::default();
    let mut allocs = FuncValidatorAllocations::default();
    let mut scratch = FuncTranslator::default();
    let mut register_stack = crate::virtual_stack::VirtualStack::default();
    // The decoder must know the feature set too: without multi-memory the `memory.size`
    // and `memory.grow` immediates are a single zero byte, and without memory64 limits
    // are u32 LEBs of at most 5 bytes. A parser defaults to every feature.
    let mut parser = Parser::new(0);
    parser.set_features(wasm_features());
    for payload in parser.parse_all(wasm) {
        let payload = payload?;
        if let ValidPayload::Func(func, body) = validator.payload(&payload)? {
            let mut fv = func.into_validator(core::mem::take(&mut allocs));
            let index = m.num_imported_funcs as usize + m.bodies.len();
            let ty = m.func_types[index];
            let ir = if options.register {
                crate::register::RegisterTranslator::new(
                    &m,
                    options.fuse,
                    options.accumulators,
                    &mut register_stack,
                )
                .translate(ty, &mut fv, &body)?
            } else {
                scratch.translate(&m, ty, &mut fv, &body)?
            };
            allocs = fv.into_allocations();
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
    Ok(m)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CtrlKind {
    Func,
    Block,
    Loop,
    If,
    Else,
}

/// One open block, loop, if or the function body itself.
#[derive(Debug, Clone, Copy)]
struct Ctrl {
    kind: CtrlKind,
    /// Operand height below the block's parameters.
    base: u32,
    params: u32,
    results: u32,
    /// A loop's start, or the end of anything else.
    label: u32,
    /// Where an `if`'s false path starts, until its `else` is seen.
    else_label: Option<u32>,
    /// Opened in unreachable code: emits nothing.
    dead: bool,
}

/// Per-function emitter state, reused across functions to keep allocations.
#[derive(Default)]
struct FuncTranslator {
    ops: Vec<Op>,
    labels: Vec<Option<u32>>,
    ctrl: Vec<Ctrl>,
    height: u32,
    max_height: u32,
    reachable: bool,
}

impl FuncTranslator {
    fn translate(
        &mut self,
        m: &ModuleIr,
        ty: u32,
        fv: &mut FuncValidator<ValidatorResources>,
        body: &FunctionBody<'_>,
    ) -> Result<FuncBody> {
        let sig = &m.types[ty as usize];
        let num_params = sig.params.len() as u32;
        let num_results = sig.results.len() as u32;
        let mut num_locals = num_params;
        let mut locals = body.get_locals_reader()?;
        for _ in 0..locals.get_count() {
            let offset = locals.original_position();
            let (count, t) = locals.read()?;
            fv.define_locals(offset, count, t)?;
            num_locals = num_locals.saturating_add(count);
        }
        self.ops.clear();
        self.labels.clear();
        self.ctrl.clear();
        self.height = 0;
        self.max_height = 0;
        self.reachable = true;
        let label = self.new_label();
        self.ctrl.push(Ctrl {
            kind: CtrlKind::Func,
            base: 0,
            params: 0,
            results: num_results,
            label,
            else_label: None,
            dead: false,
        });
        let mut reader = body.get_operators_reader()?;
        while !reader.eof() {
            let offset = reader.original_position();
            let op = reader.read()?;
            fv.op(offset, &op)?;
            self.operator(m, op)?;
        }
        reader.finish()?;
        let mut ops = core::mem::take(&mut self.ops);
        for op in &mut ops {
            for t in op.targets_mut() {
                t.0 = self.labels[t.0 as usize].expect("validated code binds every label");
            }
        }
        Ok(FuncBody {
            ty,
            num_params,
            num_locals,
            max_stack: self.max_height,
            num_results,
            ops,
        })
    }

    fn new_label(&mut self) -> u32 {
        self.labels.push(None);
        (self.labels.len() - 1) as u32
    }

    fn bind(&mut self, label: u32) {
        self.labels[label as usize] = Some(self.ops.len() as u32);
    }

    fn emit(&mut self, op: Op) {
        self.ops.push(op);
    }

    fn push(&mut self, n: u32) {
        self.height += n;
        self.max_height = self.max_height.max(self.height);
    }

    fn pop(&mut self, n: u32) {
        self.height -= n;
    }

    fn block_arity(m: &ModuleIr, bt: BlockType) -> (u32, u32) {
        match bt {
            BlockType::Empty => (0, 0),
            BlockType::Type(_) => (0, 1),
            BlockType::FuncType(i) => {
                let t = &m.types[i as usize];
                (t.params.len() as u32, t.results.len() as u32)
            }
        }
    }

    fn open(&mut self, kind: CtrlKind, params: u32, results: u32, label: u32) {
        let dead = !self.reachable;
        let base = if dead { 0 } else { self.height - params };
        self.ctrl.push(Ctrl {
            kind,
            base,
            params,
            results,
            label,
            else_label: None,
            dead,
        });
    }

    /// Destination, values to drop and values to keep for a branch to `depth`.
    fn branch(&self, depth: u32) -> (u32, u32, u32) {
        let frame = &self.ctrl[self.ctrl.len() - 1 - depth as usize];
        let keep = if frame.kind == CtrlKind::Loop {
            frame.params
        } else {
            frame.results
        };
        (frame.label, self.height - keep - frame.base, keep)
    }

    fn operator(&mut self, m: &ModuleIr, op: Operator<'_>) -> Result<()> {
        if !self.reachable {
            return self.unreachable_operator(m, op);
        }
        macro_rules! numeric {
            (
                unary { $( $UName:ident $uname:ident ($ua:ty) -> $ur:ty; )* }
                unary_trap { $( $TName:ident $tname:ident ($ta:ty) -> $tr:ty; )* }
                binary { $( $BName:ident $bname:ident ($ba:ty, $bb:ty) -> $br:ty; )* }
                binary_trap { $( $QName:ident $qname:ident ($qa:ty, $qb:ty) -> $qr:ty; )* }
                load { $( $LName:ident $lname:ident $lm:ty => $lr:ty; )* }
                store { $( $SName:ident $sname:ident $sv:ty => $sm:ty; )* }
                branch_cmp { $($cmp:tt)* }
                other { $($rest:tt)* }
            ) => {
                match op {
                    $( Operator::$UName => { self.emit(Op::$UName {}); return Ok(()); } )*
                    $( Operator::$TName => { self.emit(Op::$TName {}); return Ok(()); } )*
                    $( Operator::$BName => { self.pop(1); self.emit(Op::$BName {}); return Ok(()); } )*
                    $( Operator::$QName => { self.pop(1); self.emit(Op::$QName {}); return Ok(()); } )*
                    $( Operator::$LName { memarg } => {
                        self.emit(Op::$LName { offset: memarg.offset as u32 });
                        return Ok(());
                    } )*
                    $( Operator::$SName { memarg } => {
                        self.pop(2);
                        self.emit(Op::$SName { offset: memarg.offset as u32 });
                        return Ok(());
                    } )*
                    _ => {}
                }
            };
        }
        crate::for_each_op!(numeric);
        match op {
            Operator::Nop
            | Operator::I32ReinterpretF32
            | Operator::I64ReinterpretF64
            | Operator::F32ReinterpretI32
            | Operator::F64ReinterpretI64 => {}
            Operator::Unreachable => {
                self.emit(Op::Unreachable {});
                self.reachable = false;
            }
            Operator::Block { blockty } => {
                let (p, r) = Self::block_arity(m, blockty);
                let label = self.new_label();
                self.open(CtrlKind::Block, p, r, label);
            }
            Operator::Loop { blockty } => {
                let (p, r) = Self::block_arity(m, blockty);
                let label = self.new_label();
                self.bind(label);
                self.open(CtrlKind::Loop, p, r, label);
            }
            Operator::If { blockty } => {
                let (p, r) = Self::block_arity(m, blockty);
                self.pop(1);
                let label = self.new_label();
                let else_label = self.new_label();
                self.emit(Op::BrIfEqz {
                    target: Target(else_label),
                });
                self.open(CtrlKind::If, p, r, label);
                self.ctrl.last_mut().unwrap().else_label = Some(else_label);
            }
            Operator::Else => self.else_(),
            Operator::End => self.end(),
            Operator::Br { relative_depth } => {
                self.br(relative_depth);
                self.reachable = false;
            }
            Operator::BrIf { relative_depth } => {
                self.pop(1);
                let (label, drop, keep) = self.branch(relative_depth);
                let target = Target(label);
                self.emit(if drop == 0 {
                    Op::BrIfNez { target }
                } else {
                    Op::BrIfNezAdjust { target, drop, keep }
                });
            }
            Operator::BrTable { targets } => {
                self.pop(1);
                let mut entries = Vec::with_capacity(targets.len() as usize + 1);
                for depth in targets.targets() {
                    let (label, drop, keep) = self.branch(depth?);
                    entries.push(BrTableEntry {
                        target: Target(label),
                        drop,
                        keep,
                    });
                }
                let (label, drop, keep) = self.branch(targets.default());
                entries.push(BrTableEntry {
                    target: Target(label),
                    drop,
                    keep,
                });
                self.emit(Op::BrTable {
                    targets: entries.into_boxed_slice(),
                });
                self.reachable = false;
            }
            Operator::Return => {
                self.br(self.ctrl.len() as u32 - 1);
                self.reachable = false;
            }
            Operator::Call { function_index } => {
                self.emit(Op::Call {
                    func: function_index,
                });
                self.call_arity(m.func_type(function_index));
            }
            Operator::CallIndirect {
                type_index,
                table_index,
            } => {
                self.pop(1);
                self.emit(Op::CallIndirect {
                    ty: type_index,
                    table: table_index,
                });
                self.call_arity(&m.types[type_index as usize]);
            }
            Operator::ReturnCall { function_index } => {
                self.emit(Op::ReturnCall {
                    func: function_index,
                });
                self.reachable = false;
            }
            Operator::ReturnCallIndirect {
                type_index,
                table_index,
            } => {
                self.emit(Op::ReturnCallIndirect {
                    ty: type_index,
                    table: table_index,
                });
                self.reachable = false;
            }
            Operator::Drop => {
                self.pop(1);
                self.emit(Op::Drop {});
            }
            Operator::Select | Operator::TypedSelect { .. } => {
                self.pop(2);
                self.emit(Op::Select {});
            }
            Operator::LocalGet { local_index } => {
                self.push(1);
                self.emit(Op::LocalGet { local: local_index });
            }
            Operator::LocalSet { local_index } => {
                self.pop(1);
                self.emit(Op::LocalSet { local: local_index });
            }
            Operator::LocalTee { local_index } => self.emit(Op::LocalTee { local: local_index }),
            Operator::GlobalGet { global_index } => {
                self.push(1);
                self.emit(Op::GlobalGet {
                    global: global_index,
                });
            }
            Operator::GlobalSet { global_index } => {
                self.pop(1);
                self.emit(Op::GlobalSet {
                    global: global_index,
                });
            }
            Operator::I32Const { value } => {
                self.push(1);
                self.emit(Op::I32Const { value });
            }
            Operator::I64Const { value } => {
                self.push(1);
                self.emit(Op::I64Const { value });
            }
            Operator::F32Const { value } => {
                self.push(1);
                self.emit(Op::F32Const { bits: value.bits() });
            }
            Operator::F64Const { value } => {
                self.push(1);
                self.emit(Op::F64Const { bits: value.bits() });
            }
            Operator::MemorySize { .. } => {
                self.push(1);
                self.emit(Op::MemorySize {});
            }
            Operator::MemoryGrow { .. } => self.emit(Op::MemoryGrow {}),
            Operator::MemoryFill { .. } => {
                self.pop(3);
                self.emit(Op::MemoryFill {});
            }
            Operator::MemoryCopy { .. } => {
                self.pop(3);
                self.emit(Op::MemoryCopy {});
            }
            Operator::MemoryInit { data_index, .. } => {
                self.pop(3);
                self.emit(Op::MemoryInit { data: data_index });
            }
            Operator::DataDrop { data_index } => self.emit(Op::DataDrop { data: data_index }),
            Operator::TableGet { table } => self.emit(Op::TableGet { table }),
            Operator::TableSet { table } => {
                self.pop(2);
                self.emit(Op::TableSet { table });
            }
            Operator::TableSize { table } => {
                self.push(1);
                self.emit(Op::TableSize { table });
            }
            Operator::TableGrow { table } => {
                self.pop(1);
                self.emit(Op::TableGrow { table });
            }
            Operator::TableFill { table } => {
                self.pop(3);
                self.emit(Op::TableFill { table });
            }
            Operator::TableCopy {
                dst_table,
                src_table,
            } => {
                self.pop(3);
                self.emit(Op::TableCopy {
                    dst: dst_table,
                    src: src_table,
                });
            }
            Operator::TableInit { elem_index, table } => {
                self.pop(3);
                self.emit(Op::TableInit {
                    table,
                    elem: elem_index,
                });
            }
            Operator::ElemDrop { elem_index } => self.emit(Op::ElemDrop { elem: elem_index }),
            Operator::RefNull { .. } => {
                self.push(1);
                self.emit(Op::RefNull {});
            }
            Operator::RefIsNull => self.emit(Op::RefIsNull {}),
            Operator::RefFunc { function_index } => {
                self.push(1);
                self.emit(Op::RefFunc {
                    func: function_index,
                });
            }
            other => return Err(unsupported(&format!("operator {other:?}"))),
        }
        Ok(())
    }

    /// In unreachable code only the block structure matters.
    fn unreachable_operator(&mut self, m: &ModuleIr, op: Operator<'_>) -> Result<()> {
        match op {
            Operator::Block { blockty } | Operator::Loop { blockty } | Operator::If { blockty } => {
                let (p, r) = Self::block_arity(m, blockty);
                self.open(CtrlKind::Block, p, r, u32::MAX);
            }
            Operator::Else => self.else_(),
            Operator::End => self.end(),
            _ => {}
        }
        Ok(())
    }

    fn call_arity(&mut self, t: &FuncType) {
        self.pop(t.params.len() as u32);
        self.push(t.results.len() as u32);
    }

    fn br(&mut self, depth: u32) {
        let frame = self.ctrl[self.ctrl.len() - 1 - depth as usize];
        if frame.kind == CtrlKind::Func {
            self.emit(Op::Return {
                keep: frame.results,
            });
            return;
        }
        let (label, drop, keep) = self.branch(depth);
        let target = Target(label);
        self.emit(if drop == 0 {
            Op::Br { target }
        } else {
            Op::BrAdjust { target, drop, keep }
        });
    }

    fn else_(&mut self) {
        let frame = *self.ctrl.last().unwrap();
        if frame.dead {
            return;
        }
        if self.reachable {
            self.emit(Op::Br {
                target: Target(frame.label),
            });
        }
        self.bind(frame.else_label.expect("validated: else follows if"));
        let top = self.ctrl.last_mut().unwrap();
        top.kind = CtrlKind::Else;
        top.else_label = None;
        self.height = frame.base + frame.params;
        self.reachable = true;
    }

    fn end(&mut self) {
        let frame = self.ctrl.pop().unwrap();
        if frame.dead {
            return;
        }
        if let Some(else_label) = frame.else_label {
            self.bind(else_label);
        }
        if frame.kind != CtrlKind::Loop {
            self.bind(frame.label);
        }
        self.height = frame.base + frame.results;
        self.max_height = self.max_height.max(self.height);
        self.reachable = true;
        if frame.kind == CtrlKind::Func {
            self.emit(Op::Return {
                keep: frame.results,
            });
        }
    }
}
