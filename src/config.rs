//! Engine configuration: which executor and IR run, and the stack limits.

use crate::error::{Error, Result};
use core::fmt;
use core::str::FromStr;
use weft_dispatch::store::StackLimits;
pub use weft_dispatch::ExecutorKind as Executor;
pub use weft_ir::CompilationMode;

/// Which IR the translator emits. The default is the register IR with every switch on
/// (`register+acc+fuse`), the fastest in the paper's measurements on every executor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IrKind {
    /// Close to Wasm: an explicit operand stack.
    Stack,
    /// Operands are frame slots; `local.get` and constants cost nothing. With `fuse`,
    /// superinstructions: immediate operands, results written straight into locals,
    /// compare+branch, constant-address loads and stores.
    Register {
        /// Keep results in accumulator registers (integer, f32, f64) until something needs
        /// them in a slot.
        accumulators: bool,
        /// Fuse superinstructions.
        fuse: bool,
    },
}

impl Default for IrKind {
    fn default() -> Self {
        IrKind::Register {
            accumulators: true,
            fuse: true,
        }
    }
}

impl IrKind {
    /// Every IR variant, in the order reports list them.
    pub const ALL: &'static [IrKind] = &[
        IrKind::Stack,
        IrKind::Register {
            accumulators: false,
            fuse: false,
        },
        IrKind::Register {
            accumulators: true,
            fuse: false,
        },
        IrKind::Register {
            accumulators: false,
            fuse: true,
        },
        IrKind::Register {
            accumulators: true,
            fuse: true,
        },
    ];

    /// Stable name, as in configuration names: `stack`, `register`, `register+acc`,
    /// `register+fuse`, `register+acc+fuse`.
    pub fn name(self) -> &'static str {
        match self {
            IrKind::Stack => "stack",
            IrKind::Register {
                accumulators: false,
                fuse: false,
            } => "register",
            IrKind::Register {
                accumulators: true,
                fuse: false,
            } => "register+acc",
            IrKind::Register {
                accumulators: false,
                fuse: true,
            } => "register+fuse",
            IrKind::Register {
                accumulators: true,
                fuse: true,
            } => "register+acc+fuse",
        }
    }

    pub(crate) fn options(self) -> weft_ir::IrOptions {
        match self {
            IrKind::Stack => weft_ir::IrOptions::default(),
            IrKind::Register { accumulators, fuse } => weft_ir::IrOptions {
                register: true,
                fuse,
                accumulators,
            },
        }
    }
}

impl FromStr for IrKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        IrKind::ALL
            .iter()
            .copied()
            .find(|k| k.name() == s)
            .ok_or_else(|| {
                let names: Vec<_> = IrKind::ALL.iter().map(|k| k.name()).collect();
                Error::usage(format!("unknown IR `{s}`; known IRs: {}", names.join(", ")))
            })
    }
}

/// How an [`Engine`](crate::Engine) compiles and runs code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    executor: Executor,
    ir: IrKind,
    compilation_mode: CompilationMode,
    limits: StackLimits,
    consume_fuel: bool,
    epoch_interruption: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            executor: Executor::default_kind(),
            ir: IrKind::default(),
            compilation_mode: CompilationMode::default(),
            limits: StackLimits::default(),
            consume_fuel: false,
            epoch_interruption: false,
        }
    }
}

impl Config {
    /// The default configuration: the best compiled-in executor and the default IR
    /// ([`IrKind::default`], `register+acc+fuse`).
    pub fn new() -> Self {
        Self::default()
    }

    /// Every configuration compiled into this build, with default limits: each compiled-in
    /// executor ([`Executor::compiled`]) with each IR ([`IrKind::ALL`]), in that order, the
    /// order every report lists them in.
    pub fn every_compiled() -> Vec<Config> {
        Executor::compiled()
            .into_iter()
            .flat_map(|executor| {
                IrKind::ALL.iter().map(move |&ir| {
                    let mut config = Config::new();
                    config.executor(executor).ir(ir);
                    config
                })
            })
            .collect()
    }

    /// Selects the executor.
    pub fn executor(&mut self, e: Executor) -> &mut Self {
        self.executor = e;
        self
    }

    /// Selects the executor by name (`loop-switch`, `threaded`, ...); fails with a message
    /// naming the cargo feature if it is not compiled in.
    pub fn executor_name(&mut self, name: &str) -> Result<&mut Self> {
        self.executor = Executor::from_name(name).map_err(Error::Usage)?;
        Ok(self)
    }

    /// Selects the IR.
    pub fn ir(&mut self, ir: IrKind) -> &mut Self {
        self.ir = ir;
        self
    }

    /// When function bodies are validated and translated: all at load (`eager`, the
    /// default), validated at load and translated on first call (`lazy-translation`), or
    /// both on first call (`lazy`: an invalid body is then an error of the call that
    /// first reaches it, not of [`Module::new`](crate::Module::new)).
    pub fn compilation_mode(&mut self, mode: CompilationMode) -> &mut Self {
        self.compilation_mode = mode;
        self
    }

    /// Selects the compilation mode by name (`eager`, `lazy-translation`, `lazy`).
    pub fn compilation_mode_name(&mut self, name: &str) -> Result<&mut Self> {
        self.compilation_mode = CompilationMode::from_name(name).ok_or_else(|| {
            let names: Vec<_> = CompilationMode::ALL.iter().map(|m| m.name()).collect();
            Error::usage(format!(
                "unknown compilation mode `{name}`; known modes: {}",
                names.join(", ")
            ))
        })?;
        Ok(self)
    }

    /// Size of the Wasm value stack in 8-byte cells (locals and operands of all frames).
    /// At most 2^29 - 1 cells, just under 4 GiB (larger values are clamped): calls tell
    /// the functions they cannot enter directly (host functions, functions not compiled
    /// yet, another instance's) by a frame of `u32::MAX` bytes, which must never fit.
    pub fn max_stack_cells(&mut self, cells: usize) -> &mut Self {
        self.limits.max_cells = cells.clamp(1, StackLimits::MAX_CELLS);
        self
    }

    /// Most nested Wasm calls before a "call stack exhausted" trap.
    pub fn max_call_depth(&mut self, frames: usize) -> &mut Self {
        self.limits.max_frames = frames.max(1);
        self
    }

    /// The selected executor.
    pub fn get_executor(&self) -> Executor {
        self.executor
    }

    /// The selected IR.
    pub fn get_ir(&self) -> IrKind {
        self.ir
    }

    /// The selected compilation mode.
    pub fn get_compilation_mode(&self) -> CompilationMode {
        self.compilation_mode
    }

    /// Whether calls consume fuel (`Store::set_fuel`); running out traps with
    /// [`TrapCode::OutOfFuel`](crate::TrapCode::OutOfFuel). One unit is charged per call
    /// and per loop iteration (taken backward branch), the same on every configuration.
    pub fn consume_fuel(&mut self, on: bool) -> &mut Self {
        self.consume_fuel = on;
        self
    }

    /// Whether running Wasm stops with [`TrapCode::Interrupt`](crate::TrapCode::Interrupt)
    /// once the engine's epoch (`Engine::increment_epoch`) reaches the store's deadline
    /// (`Store::set_epoch_deadline`). Checked at least every 16,384 calls or loop
    /// iterations.
    pub fn epoch_interruption(&mut self, on: bool) -> &mut Self {
        self.epoch_interruption = on;
        self
    }

    /// Whether calls consume fuel.
    pub fn fuel_enabled(&self) -> bool {
        self.consume_fuel
    }

    /// Whether epoch interruption is on.
    pub fn epoch_interruption_enabled(&self) -> bool {
        self.epoch_interruption
    }

    pub(crate) fn fuel_and_epoch(&self) -> (bool, bool) {
        (self.consume_fuel, self.epoch_interruption)
    }

    pub(crate) fn limits(&self) -> StackLimits {
        self.limits
    }

    /// The configuration's stable name, e.g. `loop-switch/stack`.
    pub fn name(&self) -> String {
        format!("{}/{}", self.executor.name(), self.ir.name())
    }
}

impl fmt::Display for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}
