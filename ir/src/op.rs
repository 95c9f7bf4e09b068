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
    (
        unary { $( $UName:ident $uname:ident ($ua:ty) -> $ur:ty; )* }
        unary_trap { $( $TName:ident $tname:ident ($ta:ty) -> $tr:ty; )* }
        binary { $( $BName:ident $bname:ident ($ba:ty, $bb:ty) -> $br:ty; )* }
        binary_trap { $( $QName:ident $qname:ident ($qa:ty, $qb:ty) -> $qr:ty; )* }
        load { $( $LName:ident $lname:ident $lm:ty => $lr:ty; )* }
        store { $( $SName:ident $sname:ident $sv:ty => $sm:ty; )* }
        other { $( $(#[doc = $doc:literal])* $OName:ident $oname:ident { $( $field:ident : $fty:ty ),* }; )* }
    ) => {
        /// One IR instruction. Stack-IR ops take their operands from the operand stack and
        /// push their results to it.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Op {
            $( #[doc = concat!("Wasm `", stringify!($uname), "`.")] $UName, )*
            $( #[doc = concat!("Wasm `", stringify!($tname), "` (may trap).")] $TName, )*
            $( #[doc = concat!("Wasm `", stringify!($bname), "`.")] $BName, )*
            $( #[doc = concat!("Wasm `", stringify!($qname), "` (may trap).")] $QName, )*
            $( #[doc = concat!("Wasm `", stringify!($lname), "` at address + `offset`.")] $LName { offset: u32 }, )*
            $( #[doc = concat!("Wasm `", stringify!($sname), "` at address + `offset`.")] $SName { offset: u32 }, )*
            $( $(#[doc = $doc])* $OName { $( $field: $fty ),* }, )*
        }

        impl Op {
            /// The op's name as printed by the disassembler.
            pub fn name(&self) -> &'static str {
                match self {
                    $( Op::$UName => stringify!($uname), )*
                    $( Op::$TName => stringify!($tname), )*
                    $( Op::$BName => stringify!($bname), )*
                    $( Op::$QName => stringify!($qname), )*
                    $( Op::$LName { .. } => stringify!($lname), )*
                    $( Op::$SName { .. } => stringify!($sname), )*
                    $( Op::$OName { .. } => stringify!($oname), )*
                }
            }

            /// Every op name in table order (handy for reports and handler counts).
            pub const NAMES: &'static [&'static str] = &[
                $( stringify!($uname), )* $( stringify!($tname), )* $( stringify!($bname), )*
                $( stringify!($qname), )* $( stringify!($lname), )* $( stringify!($sname), )*
                $( stringify!($oname), )*
            ];

            /// The branch destinations this op holds, for resolving labels.
            pub fn targets_mut(&mut self) -> Vec<&mut Target> {
                match self {
                    Op::Br { target }
                    | Op::BrIfNez { target }
                    | Op::BrIfEqz { target }
                    | Op::BrAdjust { target, .. }
                    | Op::BrIfNezAdjust { target, .. } => vec![target],
                    Op::BrTable { targets } => targets.iter_mut().map(|e| &mut e.target).collect(),
                    _ => Vec::new(),
                }
            }
        }

        impl fmt::Display for Op {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&display_name(self.name()))?;
                match self {
                    $( Op::$LName { offset } )|* $( | Op::$SName { offset } )* if *offset != 0 => {
                        write!(f, " offset={offset}")
                    }
                    $( Op::$OName { $( $field ),* } => {
                        $( write!(f, " {}={}", stringify!($field), DisplayOperand($field))?; )*
                        Ok(())
                    } )*
                    _ => Ok(()),
                }
            }
        }
    };
}

crate::for_each_op!(define_op_enum);

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
