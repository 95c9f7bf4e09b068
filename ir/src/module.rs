//! A translated module: everything instantiation needs, with function bodies in IR.

use crate::op::Op;
use crate::types::{FuncType, GlobalType, MemoryType, TableType, ValType};
use std::sync::Arc;

/// What an import brings in.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportKind {
    /// A function of the given type index.
    Func(u32),
    /// A table.
    Table(TableType),
    /// A linear memory.
    Memory(MemoryType),
    /// A global.
    Global(GlobalType),
}

/// One import.
#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    /// Module name.
    pub module: String,
    /// Field name.
    pub name: String,
    /// What is imported.
    pub kind: ImportKind,
}

/// The kind of an exported entity, with its index in the module's index space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    /// Function index.
    Func(u32),
    /// Table index.
    Table(u32),
    /// Memory index.
    Memory(u32),
    /// Global index.
    Global(u32),
}

/// One export.
#[derive(Debug, Clone, PartialEq)]
pub struct Export {
    /// Export name.
    pub name: String,
    /// What is exported.
    pub kind: ExportKind,
}

/// One step of a constant expression (the extended-const set).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ConstOp {
    /// Push an i32.
    I32Const(i32),
    /// Push an i64.
    I64Const(i64),
    /// Push an f32 (bits).
    F32Const(u32),
    /// Push an f64 (bits).
    F64Const(u64),
    /// Push a null reference.
    RefNull,
    /// Push a reference to a function (module index space).
    RefFunc(u32),
    /// Push a global's value (module index space).
    GlobalGet(u32),
    /// i32 add.
    I32Add,
    /// i32 sub.
    I32Sub,
    /// i32 mul.
    I32Mul,
    /// i64 add.
    I64Add,
    /// i64 sub.
    I64Sub,
    /// i64 mul.
    I64Mul,
}

/// A constant expression, evaluated at instantiation.
pub type ConstExpr = Box<[ConstOp]>;

/// A defined global.
#[derive(Debug, Clone, PartialEq)]
pub struct GlobalDef {
    /// Its type.
    pub ty: GlobalType,
    /// Its initial value.
    pub init: ConstExpr,
}

/// A defined table.
#[derive(Debug, Clone, PartialEq)]
pub struct TableDef {
    /// Its type.
    pub ty: TableType,
    /// Initial value of every element (null when absent).
    pub init: Option<ConstExpr>,
}

/// How an element segment is used.
#[derive(Debug, Clone, PartialEq)]
pub enum ElemMode {
    /// Available to `table.init` until dropped.
    Passive,
    /// Copied into `table` at `offset` during instantiation, then dropped.
    Active {
        /// Table index.
        table: u32,
        /// Start index.
        offset: ConstExpr,
    },
    /// Only declares functions for `ref.func`; dropped at once.
    Declared,
}

/// An element segment.
#[derive(Debug, Clone, PartialEq)]
pub struct ElemSegment {
    /// How it is used.
    pub mode: ElemMode,
    /// Element type.
    pub ty: ValType,
    /// One expression per element.
    pub items: Box<[ConstExpr]>,
}

/// How a data segment is used.
#[derive(Debug, Clone, PartialEq)]
pub enum DataMode {
    /// Available to `memory.init` until dropped.
    Passive,
    /// Copied into memory `memory` at `offset` during instantiation, then dropped.
    Active {
        /// Memory index.
        memory: u32,
        /// Start address.
        offset: ConstExpr,
    },
}

/// A data segment.
#[derive(Debug, Clone, PartialEq)]
pub struct DataSegment {
    /// How it is used.
    pub mode: DataMode,
    /// The bytes.
    pub bytes: Arc<[u8]>,
}

/// A defined function translated to IR.
#[derive(Debug, Clone, PartialEq)]
pub struct FuncBody {
    /// Type index.
    pub ty: u32,
    /// Parameter count (the first locals).
    pub num_params: u32,
    /// Locals including parameters: the frame's fixed part.
    pub num_locals: u32,
    /// A call zeroes locals `num_params..zero_end`; those above are written before they
    /// are read (`definite_writes.rs`). `num_locals` for the stack IR, whose operand stack
    /// starts where the zeroed locals end (`sp` is set there on entry).
    pub zero_end: u32,
    /// The most operand-stack cells the body needs above its locals.
    pub max_stack: u32,
    /// Result count.
    pub num_results: u32,
    /// The code; branch targets are op indices.
    pub ops: Vec<Op>,
}

impl FuncBody {
    /// The stand-in for a body not translated yet (lazy compilation modes): its
    /// signature, no ops.
    pub fn placeholder(ty: u32, sig: &FuncType) -> FuncBody {
        FuncBody {
            ty,
            num_params: sig.params.len() as u32,
            num_locals: sig.params.len() as u32,
            zero_end: sig.params.len() as u32,
            max_stack: 0,
            num_results: sig.results.len() as u32,
            ops: Vec::new(),
        }
    }

    /// Cells a frame of this function occupies at most.
    pub fn frame_size(&self) -> u32 {
        self.num_locals + self.max_stack
    }
}

/// A validated, translated module.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModuleIr {
    /// Signatures by type index.
    pub types: Vec<FuncType>,
    /// Imports in order.
    pub imports: Vec<Import>,
    /// Type index of every function, imported ones first.
    pub func_types: Vec<u32>,
    /// Number of imported functions.
    pub num_imported_funcs: u32,
    /// Number of imported tables.
    pub num_imported_tables: u32,
    /// Number of imported memories.
    pub num_imported_memories: u32,
    /// Number of imported globals.
    pub num_imported_globals: u32,
    /// Defined tables.
    pub tables: Vec<TableDef>,
    /// Defined memories.
    pub memories: Vec<MemoryType>,
    /// Defined globals.
    pub globals: Vec<GlobalDef>,
    /// Exports in order.
    pub exports: Vec<Export>,
    /// Start function index.
    pub start: Option<u32>,
    /// Element segments.
    pub elems: Vec<ElemSegment>,
    /// Data segments.
    pub datas: Vec<DataSegment>,
    /// Defined function bodies, in order (function index minus imported count). Without
    /// ops when the bodies went elsewhere: the lazy compilation modes (placeholders) and
    /// [`translate_streaming`](crate::translate_streaming) (layout kept).
    pub bodies: Vec<FuncBody>,
}

impl ModuleIr {
    /// The signature of function `func` (module index space).
    pub fn func_type(&self, func: u32) -> &FuncType {
        &self.types[self.func_types[func as usize] as usize]
    }
}
