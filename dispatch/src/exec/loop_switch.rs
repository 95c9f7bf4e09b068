//! The `loop-switch` executor: compact code (a 2-byte opcode, 4-byte operands) run by a
//! `loop { match }`. The baseline every other dispatch strategy is measured against.

use super::ops::*;
use super::{Ctx, Regs, Stop};
use crate::code::{Encoding, OpCode};

/// The compact code format.
#[derive(Debug, Clone, Copy)]
pub struct LoopSwitch;

impl Encoding for LoopSwitch {
    const OP_SLOT: usize = 2;
    const U32_SLOT: usize = 4;
    // One function: calls and returns run their slow part in the op (see
    // `Encoding::SLOW_OUT_OF_LINE`); only a budget refill reaches the `Stop::Slow` arm.
    const SLOW_OUT_OF_LINE: bool = false;
    fn write_slot(out: &mut crate::code::CodeWriter, code: OpCode) {
        out.put(&(code as u16).to_le_bytes(), 2);
    }
}

macro_rules! define_run {
    ($( $(#[$attr:meta])* $Name:ident $name:ident { $( $field:ident : $fty:ty ),* } )*) => { paste::paste! {
        /// Runs until the entry function returns or a trap.
        ///
        /// # Safety
        /// `regs` must describe a frame of code compiled with [`LoopSwitch`], set up as in
        /// the [module docs](super).
        pub unsafe fn run(regs: &mut Regs, c: &mut Ctx) -> Stop {
            let mut r = *regs;
            loop {
                let op = r.ip;
                // SAFETY: `ip` points at an op slot written by `LoopSwitch::write_slot`,
                // which holds a valid `OpCode` discriminant.
                let code: OpCode = unsafe {
                    core::mem::transmute::<u16, OpCode>(u16::from_le_bytes(op.cast::<[u8; 2]>().read_unaligned()))
                };
                // SAFETY: validated code, see the module docs.
                let step = unsafe {
                    match code {
                        $( OpCode::$Name => [<exec_ $name>]::<LoopSwitch>(&mut r, c, op), )*
                    }
                };
                if let Err(mut stop) = step {
                    if stop == Stop::Slow {
                        // SAFETY: as for the op that left the slow path.
                        match unsafe { exec_slow::<LoopSwitch>(&mut r, c, op) } {
                            Ok(()) => continue,
                            Err(s) => stop = s,
                        }
                    }
                    *regs = r;
                    return stop;
                }
            }
        }
    } };
}

for_each_exec!(define_run);
