//! Compiled modules and their import and export types.

use crate::engine::Engine;
use crate::error::{Error, Result};
use std::sync::Arc;
use weft_dispatch::code::CompiledModule;
use weft_ir::{ExportKind, ImportKind, ModuleIr};
pub use weft_ir::{FuncType, GlobalType, Limits, MemoryType, TableType, ValType};

/// The type of an importable or exportable entity.
#[derive(Debug, Clone, PartialEq)]
pub enum ExternType {
    /// A function.
    Func(FuncType),
    /// A table.
    Table(TableType),
    /// A memory.
    Memory(MemoryType),
    /// A global.
    Global(GlobalType),
}

/// One import of a module.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportType {
    /// Module name.
    pub module: String,
    /// Field name.
    pub name: String,
    /// Expected type.
    pub ty: ExternType,
}

/// One export of a module.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportType {
    /// Export name.
    pub name: String,
    /// Its type.
    pub ty: ExternType,
}

/// A validated module, translated and encoded for its engine's executor. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Module {
    engine: Engine,
    pub(crate) inner: Arc<CompiledModule>,
}

impl Module {
    /// Compiles a module from its binary format or (with the default `wat` feature) its
    /// text format.
    ///
    /// ```
    /// let engine = weft::Engine::default();
    /// let module = weft::Module::new(&engine, r#"(module (func (export "f") (result i32) i32.const 7))"#)?;
    /// assert_eq!(module.exports().next().unwrap().name, "f");
    /// # Ok::<(), weft::Error>(())
    /// ```
    pub fn new(engine: &Engine, bytes: impl AsRef<[u8]>) -> Result<Module> {
        let bytes = bytes.as_ref();
        if bytes.starts_with(b"\0asm") {
            return Self::from_binary(engine, bytes);
        }
        #[cfg(feature = "wat")]
        {
            let wasm = wat::parse_bytes(bytes).map_err(|e| Error::Wat(e.to_string()))?;
            Self::from_binary(engine, &wasm)
        }
        #[cfg(not(feature = "wat"))]
        Self::from_binary(engine, bytes)
    }

    /// Compiles a module from its binary format only.
    pub fn from_binary(engine: &Engine, wasm: &[u8]) -> Result<Module> {
        let config = engine.config();
        let (options, mode) = (config.get_ir().options(), config.get_compilation_mode());
        let executor = config.get_executor();
        let compiled = if mode == weft_ir::CompilationMode::Eager {
            // Each body is encoded as soon as it is translated: the module's IR is never
            // held whole.
            executor.translate(wasm, options)
        } else {
            weft_ir::translate_in_mode(wasm, options, mode).map(|(ir, bodies)| {
                executor.compile_lazy(ir, bodies.expect("a lazy mode keeps the bodies"))
            })
        };
        let inner = Arc::new(compiled.map_err(|e| Error::Compile(e.to_string()))?);
        Ok(Module {
            engine: engine.clone(),
            inner,
        })
    }

    /// Reads and compiles a `.wasm` or `.wat` file.
    pub fn from_file(engine: &Engine, path: impl AsRef<std::path::Path>) -> Result<Module> {
        let bytes = std::fs::read(path).map_err(Error::Io)?;
        Self::new(engine, bytes)
    }

    /// The engine it was compiled for.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The translated module, for inspection. Its function bodies keep no ops: each was
    /// encoded for the executor as soon as it was translated (eager mode), or is not
    /// translated yet (lazy modes). [`Module::disassemble`] shows a body's IR.
    pub fn ir(&self) -> &ModuleIr {
        &self.inner.ir
    }

    /// Compiles every function not compiled yet, as a call to each would (the lazy
    /// compilation modes; nothing to do in `eager`). In `lazy` mode this is where an
    /// invalid function body is reported: the first one's error.
    pub fn compile_all(&self) -> Result<()> {
        self.inner.compile_all().map_err(|e| Error::Compile(e.0))
    }

    /// Bytes of encoded code for its executor.
    pub fn code_size(&self) -> usize {
        self.inner.code_bytes()
    }

    /// Its imports, in order.
    pub fn imports(&self) -> impl Iterator<Item = ImportType> + '_ {
        let ir = &self.inner.ir;
        ir.imports.iter().map(move |i| ImportType {
            module: i.module.clone(),
            name: i.name.clone(),
            ty: match &i.kind {
                ImportKind::Func(t) => ExternType::Func(ir.types[*t as usize].clone()),
                ImportKind::Table(t) => ExternType::Table(*t),
                ImportKind::Memory(t) => ExternType::Memory(*t),
                ImportKind::Global(t) => ExternType::Global(*t),
            },
        })
    }

    /// Its exports, in order.
    pub fn exports(&self) -> impl Iterator<Item = ExportType> + '_ {
        let ir = &self.inner.ir;
        ir.exports.iter().map(move |e| ExportType {
            name: e.name.clone(),
            ty: self.export_type(e.kind),
        })
    }

    fn export_type(&self, kind: ExportKind) -> ExternType {
        let ir = &self.inner.ir;
        let imported =
            |want: fn(&ImportKind) -> bool| ir.imports.iter().filter(move |i| want(&i.kind));
        match kind {
            ExportKind::Func(i) => ExternType::Func(ir.func_type(i).clone()),
            ExportKind::Table(i) => ExternType::Table(
                match imported(|k| matches!(k, ImportKind::Table(_))).nth(i as usize) {
                    Some(weft_ir::Import {
                        kind: ImportKind::Table(t),
                        ..
                    }) => *t,
                    _ => ir.tables[(i - ir.num_imported_tables) as usize].ty,
                },
            ),
            ExportKind::Memory(i) => ExternType::Memory(
                match imported(|k| matches!(k, ImportKind::Memory(_))).nth(i as usize) {
                    Some(weft_ir::Import {
                        kind: ImportKind::Memory(t),
                        ..
                    }) => *t,
                    _ => ir.memories[(i - ir.num_imported_memories) as usize],
                },
            ),
            ExportKind::Global(i) => ExternType::Global(
                match imported(|k| matches!(k, ImportKind::Global(_))).nth(i as usize) {
                    Some(weft_ir::Import {
                        kind: ImportKind::Global(t),
                        ..
                    }) => *t,
                    _ => ir.globals[(i - ir.num_imported_globals) as usize].ty,
                },
            ),
        }
    }

    /// The index of the function exported as `name`.
    pub fn exported_func_index(&self, name: &str) -> Option<u32> {
        self.inner.ir.exports.iter().find_map(|e| match e.kind {
            ExportKind::Func(i) if e.name == name => Some(i),
            _ => None,
        })
    }

    /// The IR of function `index` (module index space), translated again for the asking
    /// (the module keeps none), or `None` if it is imported or out of range (or, in `lazy`
    /// mode, its body is invalid).
    pub fn func_ir(&self, index: u32) -> Option<std::borrow::Cow<'_, weft_ir::FuncBody>> {
        let ir = &self.inner.ir;
        let defined = index.checked_sub(ir.num_imported_funcs)?;
        if defined as usize >= ir.bodies.len() {
            return None;
        }
        self.inner.body_ir(defined).ok()
    }

    /// A disassembly of function `index` (module index space), or `None` if it is
    /// imported or out of range (or, in `lazy` mode, its body is invalid).
    pub fn disassemble(&self, index: u32) -> Option<String> {
        let ir = &self.inner.ir;
        let body = self.func_ir(index)?;
        let mut out = format!(
            "func {index} {}: {} locals ({} params, {} zeroed by a call), max stack {}, {} ops\n",
            ir.func_type(index),
            body.num_locals,
            body.num_params,
            body.zero_end - body.num_params,
            body.max_stack,
            body.ops.len()
        );
        for (i, op) in body.ops.iter().enumerate() {
            out.push_str(&format!("  {i:4}: {op}\n"));
        }
        Some(out)
    }
}
