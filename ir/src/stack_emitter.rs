//! The stack-IR emitter: Wasm's operand stack kept as is, one op per operator (minus the
//! ones that cost nothing, like `nop` and reinterpretations), branches carrying how many
//! values to drop and keep.

use crate::driver::{Control, Emitter, FrameKind};
use crate::module::ModuleIr;
use crate::op::{BrTableEntry, Op, Target};
use crate::translate::{unsupported, TranslateError};
use crate::types::FuncType;
use wasmparser::Operator;

type Result<T, E = TranslateError> = core::result::Result<T, E>;

/// Per-function state, reused across functions to keep allocations.
#[derive(Default)]
pub(crate) struct StackEmitter {
    ops: Vec<Op>,
    height: u32,
    max_height: u32,
    num_results: u32,
}

impl StackEmitter {
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

    fn call_arity(&mut self, t: &FuncType) {
        self.pop(t.params.len() as u32);
        self.push(t.results.len() as u32);
    }

    /// Destination, values to drop and values to keep for a branch to `depth`.
    fn branch(&self, cx: &Control, depth: u32) -> (u32, u32, u32) {
        let frame = cx.frame(depth);
        let keep = frame.branch_arity();
        (frame.label, self.height - keep - frame.base, keep)
    }
}

impl Emitter for StackEmitter {
    // The operand stack starts at the end of the locals, where a call sets `sp`.
    const ZERO_ALL_LOCALS: bool = true;

    fn begin(&mut self, _num_locals: u32, num_results: u32) {
        self.ops.clear();
        self.height = 0;
        self.max_height = 0;
        self.num_results = num_results;
    }

    fn height(&self) -> u32 {
        self.height
    }

    fn bind(&mut self, cx: &mut Control, label: u32) {
        cx.bind(label, self.ops.len());
    }

    fn if_(&mut self, _cx: &mut Control, else_label: u32) {
        self.pop(1);
        self.emit(Op::BrIfEqz {
            target: Target(else_label),
        });
    }

    fn jump(&mut self, label: u32) {
        self.emit(Op::Br {
            target: Target(label),
        });
    }

    fn br(&mut self, cx: &mut Control, depth: u32) {
        if cx.frame(depth).kind == FrameKind::Func {
            self.return_();
            return;
        }
        let (label, drop, keep) = self.branch(cx, depth);
        let target = Target(label);
        self.emit(if drop == 0 {
            Op::Br { target }
        } else {
            Op::BrAdjust { target, drop, keep }
        });
    }

    fn br_if(&mut self, cx: &mut Control, depth: u32) {
        self.pop(1);
        let (label, drop, keep) = self.branch(cx, depth);
        let target = Target(label);
        self.emit(if drop == 0 {
            Op::BrIfNez { target }
        } else {
            Op::BrIfNezAdjust { target, drop, keep }
        });
    }

    fn br_table(&mut self, cx: &mut Control, depths: &[u32]) {
        self.pop(1);
        let entries: Box<[BrTableEntry]> = depths
            .iter()
            .map(|&depth| {
                let (label, drop, keep) = self.branch(cx, depth);
                BrTableEntry {
                    target: Target(label),
                    drop,
                    keep,
                }
            })
            .collect();
        self.emit(Op::BrTable { targets: entries });
    }

    fn return_(&mut self) {
        self.emit(Op::Return {
            keep: self.num_results,
        });
    }

    fn reset_stack(&mut self, base: u32, n: u32) {
        self.height = base + n;
        self.max_height = self.max_height.max(self.height);
    }

    fn take_ops(&mut self) -> (Vec<Op>, u32) {
        (core::mem::take(&mut self.ops), self.max_height)
    }

    fn recycle_ops(&mut self, mut ops: Vec<Op>) {
        ops.clear();
        self.ops = ops;
    }

    /// Inlined into each of the driver's visitor methods, where `op` is one known
    /// variant: the match folds away, leaving that operator's arm.
    #[inline(always)]
    fn operator(&mut self, m: &ModuleIr, op: Operator<'_>) -> Result<()> {
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
            Operator::Unreachable => self.emit(Op::Unreachable {}),
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
            }
            Operator::ReturnCallIndirect {
                type_index,
                table_index,
            } => {
                self.emit(Op::ReturnCallIndirect {
                    ty: type_index,
                    table: table_index,
                });
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
}
