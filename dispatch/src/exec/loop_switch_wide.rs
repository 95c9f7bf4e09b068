//! The `loop-switch-wide` executor: the loop-switch's `loop { match }` over the wide code
//! format (an 8-byte op slot holding the opcode zero-extended, 8-byte operands), the
//! threaded executors' layout until they moved to 4-byte operands (`papers/notes-speed.md`,
//! section 12). It dispatches as the loop-switch does over the widest layout, which
//! separates code density from dispatch when the three are compared (section 10). A
//! research variant, not in the default features.

use super::loop_switch::loop_switch_executor;

macro_rules! loop_switch_wide {
    ($( $(#[$attr:meta])* $Name:ident $name:ident { $( $field:ident : $fty:ty ),* } )*) => {
        loop_switch_executor!(
            /// The wide code format: an 8-byte op slot holding the opcode (not a handler
            /// address), 8-byte operands.
            LoopSwitchWide, u64, 8; $( $Name $name )*
        );
    };
}
for_each_exec!(loop_switch_wide);
