//! The IR enum and its disassembler, generated from the op table.

use core::fmt;

/// A branch destination: before finishing a function it names a label, afterwards the
/// index of the op the branch lands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Target(pub u32);

/// One `br_table` entry: where to go and how to adjust the operand stack on the way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BrTableEntry {
    /// Destination.
    pub target: Target,
    /// Values between the kept ones and the destination's stack height.
    pub drop: u32,
    /// Values carried to the destination (the label's arity).
    pub keep: u32,
}

/// The entries of a `br_table`; the last one is the default.
pub type BrTable = Box<[BrTableEntry]>;

macro_rules! define_op_enum {
    ($( $(#[$attr:meta])* $Name:ident $name:ident { $( $field:ident : $fty:ty ),* } )*) => {
        /// One IR instruction. Stack-IR ops take their operands from the operand stack and
        /// push their results to it; register-IR ops name frame slots and immediates.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Op {
            $( $(#[$attr])* $Name { $( $field: $fty ),* }, )*
        }

        impl Op {
            /// The op's name as printed by the disassembler.
            pub fn name(&self) -> &'static str {
                match self {
                    $( Op::$Name { .. } => stringify!($name), )*
                }
            }

            /// Every op name in opcode order (handy for reports and handler counts).
            pub const NAMES: &'static [&'static str] = &[ $( stringify!($name), )* ];

            /// The value of this op's `u32` operand named `name`, if it has one: how
            /// the `threaded-pairs` encoder checks that a pair's second op reads a slot
            /// by the name its handler was generated for, the one the first op wrote as
            /// its `dst`.
            pub fn slot_operand(&self, name: &str) -> Option<u32> {
                match self {
                    $( #[allow(unused_variables)] Op::$Name { $( $field ),* } => {
                        $(
                            if stringify!($field) == name {
                                return ($field as &dyn core::any::Any).downcast_ref::<u32>().copied();
                            }
                        )*
                        None
                    } )*
                }
            }

            /// The branch destinations this op holds, for resolving labels.
            pub fn targets_mut(&mut self) -> Vec<&mut Target> {
                let mut v = Vec::new();
                match self {
                    $( #[allow(unused_variables)] Op::$Name { $( $field ),* } => {
                        $( CollectTargets::collect($field, &mut v); )*
                    } )*
                }
                v
            }

            /// Calls `f` on every branch destination this op holds. What label resolution
            /// runs on every op: unlike [`Op::targets_mut`] it allocates nothing.
            #[inline]
            pub fn for_each_target_mut(&mut self, mut f: impl FnMut(&mut Target)) {
                match self {
                    $( #[allow(unused_variables)] Op::$Name { $( $field ),* } => {
                        $( CollectTargets::visit($field, &mut f); )*
                    } )*
                }
            }
        }

        impl fmt::Display for Op {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&display_name(self.name()))?;
                match self {
                    $( #[allow(unused_variables)] Op::$Name { $( $field ),* } => {
                        $( write!(f, " {}={}", stringify!($field), DisplayOperand($field))?; )*
                        Ok(())
                    } )*
                }
            }
        }
    };
}

crate::for_each_op_flat!(define_op_enum);

/// Operand types that may hold branch destinations.
trait CollectTargets {
    fn collect<'a>(&'a mut self, _out: &mut Vec<&'a mut Target>) {}
    #[inline(always)]
    fn visit(&mut self, _f: &mut impl FnMut(&mut Target)) {}
}
impl CollectTargets for u32 {}
impl CollectTargets for i32 {}
impl CollectTargets for u64 {}
impl CollectTargets for i64 {}
impl CollectTargets for Target {
    fn collect<'a>(&'a mut self, out: &mut Vec<&'a mut Target>) {
        out.push(self);
    }
    #[inline(always)]
    fn visit(&mut self, f: &mut impl FnMut(&mut Target)) {
        f(self)
    }
}
impl CollectTargets for BrTable {
    fn collect<'a>(&'a mut self, out: &mut Vec<&'a mut Target>) {
        out.extend(self.iter_mut().map(|e| &mut e.target));
    }
    fn visit(&mut self, f: &mut impl FnMut(&mut Target)) {
        self.iter_mut().for_each(|e| f(&mut e.target))
    }
}

/// Wasm spelling for ops that are Wasm instructions (`i32_add` -> `i32.add`); IR-only ops
/// keep their own names.
fn display_name(name: &str) -> String {
    let wasm_typed = [
        "i32_", "i64_", "f32_", "f64_", "local_", "global_", "memory_", "table_",
    ];
    let mut s = name.trim_end_matches('_').to_string();
    if wasm_typed.iter().any(|p| s.starts_with(p))
        || [
            "data_drop",
            "elem_drop",
            "ref_null",
            "ref_is_null",
            "ref_func",
        ]
        .contains(&s.as_str())
    {
        if let Some(i) = s.find('_') {
            s.replace_range(i..=i, ".");
        }
    }
    s
}

struct DisplayOperand<'a, T>(&'a T);

impl fmt::Display for DisplayOperand<'_, u32> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}
impl fmt::Display for DisplayOperand<'_, i32> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}
impl fmt::Display for DisplayOperand<'_, i64> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}
impl fmt::Display for DisplayOperand<'_, u64> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#x}", self.0)
    }
}
impl fmt::Display for DisplayOperand<'_, Target> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "@{}", self.0 .0)
    }
}
impl fmt::Display for DisplayOperand<'_, BrTable> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[")?;
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            write!(f, "@{}", e.target.0)?;
            if e.drop != 0 || e.keep != 0 {
                write!(f, "(drop={},keep={})", e.drop, e.keep)?;
            }
        }
        f.write_str("]")
    }
}
