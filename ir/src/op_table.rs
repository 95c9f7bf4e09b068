//! The op table: every IR op weft has, declared once.
//!
//! `for_each_op!(callback)` hands the whole table to `callback!`. The IR enum and its
//! disassembler (here) and every executor's handlers (in `weft-dispatch`) are generated
//! from it, so adding an op is one line here plus its semantics, never an edit per executor.
//!
//! Groups, so that generators know an op's shape without a per-op rule:
//! - `unary` / `binary`: pure numeric ops, `(operand types) -> result type`; the semantics
//!   is the function of the same name in `weft_dispatch::numeric`. Floats are written as
//!   their bit types (`u32` for f32, `u64` for f64) so NaN payloads survive on every target.
//! - `unary_trap` / `binary_trap`: the same, but the function returns `Result<_, TrapCode>`.
//! - `load` / `store`: `memory type => value type` (`load`) or `value type => memory type`
//!   (`store`); the conversion is Rust's `as` (sign- or zero-extension, truncation). Each
//!   takes a constant address offset.
//! - `branch_cmp`: comparisons that the register IR fuses with a following `br_if`.
//! - `other`: everything else, with named operands; each has a hand-written semantics
//!   function of the same name in the executor's op module.
//!
//! The register IR's forms of the numeric, load and store ops are *generated* from their
//! entries, one per operand shape (`S` slot, `I` immediate; see `weft_ir::Op`):
//! unary `S`; binary `Ss`, `Si`, `Is`; load `S`, `I`; store `Ss`, `Si`, `Is`;
//! branch_cmp `BrSs`, `BrSi`. With accumulators (`A` names the accumulator of the value's
//! type: integer, f32 or f64; a leading `A`/`S` is where the result goes): unary `As`,
//! `Aa`, `Sa`; binary `Ass`, `Asi`, `Aas`, `Aai`, `Sas`, `Sai`; load `As`, `Aa`, `Sa`,
//! `Ai`; store `Sa`, `Ia`, `As`, `Ai`; branch_cmp `BrAs`, `BrAi`. Pruned on purpose: no
//! shape reads two accumulators or two immediates, and slot-op-accumulator is handled by
//! spilling rather than by a shape of its own.

/// Calls `$m!` with the whole op table. See the module documentation for its shape.
/// `for_each_op!(m ! tokens...)` passes `tokens...` to `m!` ahead of the table, so a
/// generator can forward the table to another macro.
#[macro_export]
macro_rules! for_each_op {
    ($m:ident $(! $($extra:tt)*)?) => {
        $crate::__weft_op_table! { ($m) $($($extra)*)? }
    };
}

/// The table itself: `__weft_op_table! { (path of a macro) tokens... }` calls that macro
/// with the tokens followed by the table. Taking the macro as tokens lets the flat form
/// below name a macro of this crate.
#[doc(hidden)]
#[macro_export]
macro_rules! __weft_op_table {
    (($($head:tt)*) $($extra:tt)*) => {
        $($head)*! {
            $($extra)*
            unary {
                I32Eqz i32_eqz (i32) -> i32;
                I32Clz i32_clz (i32) -> i32;
                I32Ctz i32_ctz (i32) -> i32;
                I32Popcnt i32_popcnt (i32) -> i32;
                I32Extend8S i32_extend8_s (i32) -> i32;
                I32Extend16S i32_extend16_s (i32) -> i32;
                I64Eqz i64_eqz (i64) -> i32;
                I64Clz i64_clz (i64) -> i64;
                I64Ctz i64_ctz (i64) -> i64;
                I64Popcnt i64_popcnt (i64) -> i64;
                I64Extend8S i64_extend8_s (i64) -> i64;
                I64Extend16S i64_extend16_s (i64) -> i64;
                I64Extend32S i64_extend32_s (i64) -> i64;
                I32WrapI64 i32_wrap_i64 (i64) -> i32;
                I64ExtendI32S i64_extend_i32_s (i32) -> i64;
                I64ExtendI32U i64_extend_i32_u (i32) -> i64;
                F32Abs f32_abs (u32) -> u32;
                F32Neg f32_neg (u32) -> u32;
                F32Ceil f32_ceil (u32) -> u32;
                F32Floor f32_floor (u32) -> u32;
                F32Trunc f32_trunc (u32) -> u32;
                F32Nearest f32_nearest (u32) -> u32;
                F32Sqrt f32_sqrt (u32) -> u32;
                F64Abs f64_abs (u64) -> u64;
                F64Neg f64_neg (u64) -> u64;
                F64Ceil f64_ceil (u64) -> u64;
                F64Floor f64_floor (u64) -> u64;
                F64Trunc f64_trunc (u64) -> u64;
                F64Nearest f64_nearest (u64) -> u64;
                F64Sqrt f64_sqrt (u64) -> u64;
                I32TruncSatF32S i32_trunc_sat_f32_s (u32) -> i32;
                I32TruncSatF32U i32_trunc_sat_f32_u (u32) -> i32;
                I32TruncSatF64S i32_trunc_sat_f64_s (u64) -> i32;
                I32TruncSatF64U i32_trunc_sat_f64_u (u64) -> i32;
                I64TruncSatF32S i64_trunc_sat_f32_s (u32) -> i64;
                I64TruncSatF32U i64_trunc_sat_f32_u (u32) -> i64;
                I64TruncSatF64S i64_trunc_sat_f64_s (u64) -> i64;
                I64TruncSatF64U i64_trunc_sat_f64_u (u64) -> i64;
                F32ConvertI32S f32_convert_i32_s (i32) -> u32;
                F32ConvertI32U f32_convert_i32_u (i32) -> u32;
                F32ConvertI64S f32_convert_i64_s (i64) -> u32;
                F32ConvertI64U f32_convert_i64_u (i64) -> u32;
                F64ConvertI32S f64_convert_i32_s (i32) -> u64;
                F64ConvertI32U f64_convert_i32_u (i32) -> u64;
                F64ConvertI64S f64_convert_i64_s (i64) -> u64;
                F64ConvertI64U f64_convert_i64_u (i64) -> u64;
                F32DemoteF64 f32_demote_f64 (u64) -> u32;
                F64PromoteF32 f64_promote_f32 (u32) -> u64;
            }
            unary_trap {
                I32TruncF32S i32_trunc_f32_s (u32) -> i32;
                I32TruncF32U i32_trunc_f32_u (u32) -> i32;
                I32TruncF64S i32_trunc_f64_s (u64) -> i32;
                I32TruncF64U i32_trunc_f64_u (u64) -> i32;
                I64TruncF32S i64_trunc_f32_s (u32) -> i64;
                I64TruncF32U i64_trunc_f32_u (u32) -> i64;
                I64TruncF64S i64_trunc_f64_s (u64) -> i64;
                I64TruncF64U i64_trunc_f64_u (u64) -> i64;
            }
            binary {
                I32Add i32_add (i32, i32) -> i32;
                I32Sub i32_sub (i32, i32) -> i32;
                I32Mul i32_mul (i32, i32) -> i32;
                I32And i32_and (i32, i32) -> i32;
                I32Or i32_or (i32, i32) -> i32;
                I32Xor i32_xor (i32, i32) -> i32;
                I32Shl i32_shl (i32, i32) -> i32;
                I32ShrS i32_shr_s (i32, i32) -> i32;
                I32ShrU i32_shr_u (i32, i32) -> i32;
                I32Rotl i32_rotl (i32, i32) -> i32;
                I32Rotr i32_rotr (i32, i32) -> i32;
                I32Eq i32_eq (i32, i32) -> i32;
                I32Ne i32_ne (i32, i32) -> i32;
                I32LtS i32_lt_s (i32, i32) -> i32;
                I32LtU i32_lt_u (i32, i32) -> i32;
                I32GtS i32_gt_s (i32, i32) -> i32;
                I32GtU i32_gt_u (i32, i32) -> i32;
                I32LeS i32_le_s (i32, i32) -> i32;
                I32LeU i32_le_u (i32, i32) -> i32;
                I32GeS i32_ge_s (i32, i32) -> i32;
                I32GeU i32_ge_u (i32, i32) -> i32;
                I64Add i64_add (i64, i64) -> i64;
                I64Sub i64_sub (i64, i64) -> i64;
                I64Mul i64_mul (i64, i64) -> i64;
                I64And i64_and (i64, i64) -> i64;
                I64Or i64_or (i64, i64) -> i64;
                I64Xor i64_xor (i64, i64) -> i64;
                I64Shl i64_shl (i64, i64) -> i64;
                I64ShrS i64_shr_s (i64, i64) -> i64;
                I64ShrU i64_shr_u (i64, i64) -> i64;
                I64Rotl i64_rotl (i64, i64) -> i64;
                I64Rotr i64_rotr (i64, i64) -> i64;
                I64Eq i64_eq (i64, i64) -> i32;
                I64Ne i64_ne (i64, i64) -> i32;
                I64LtS i64_lt_s (i64, i64) -> i32;
                I64LtU i64_lt_u (i64, i64) -> i32;
                I64GtS i64_gt_s (i64, i64) -> i32;
                I64GtU i64_gt_u (i64, i64) -> i32;
                I64LeS i64_le_s (i64, i64) -> i32;
                I64LeU i64_le_u (i64, i64) -> i32;
                I64GeS i64_ge_s (i64, i64) -> i32;
                I64GeU i64_ge_u (i64, i64) -> i32;
                F32Add f32_add (u32, u32) -> u32;
                F32Sub f32_sub (u32, u32) -> u32;
                F32Mul f32_mul (u32, u32) -> u32;
                F32Div f32_div (u32, u32) -> u32;
                F32Min f32_min (u32, u32) -> u32;
                F32Max f32_max (u32, u32) -> u32;
                F32Copysign f32_copysign (u32, u32) -> u32;
                F32Eq f32_eq (u32, u32) -> i32;
                F32Ne f32_ne (u32, u32) -> i32;
                F32Lt f32_lt (u32, u32) -> i32;
                F32Gt f32_gt (u32, u32) -> i32;
                F32Le f32_le (u32, u32) -> i32;
                F32Ge f32_ge (u32, u32) -> i32;
                F64Add f64_add (u64, u64) -> u64;
                F64Sub f64_sub (u64, u64) -> u64;
                F64Mul f64_mul (u64, u64) -> u64;
                F64Div f64_div (u64, u64) -> u64;
                F64Min f64_min (u64, u64) -> u64;
                F64Max f64_max (u64, u64) -> u64;
                F64Copysign f64_copysign (u64, u64) -> u64;
                F64Eq f64_eq (u64, u64) -> i32;
                F64Ne f64_ne (u64, u64) -> i32;
                F64Lt f64_lt (u64, u64) -> i32;
                F64Gt f64_gt (u64, u64) -> i32;
                F64Le f64_le (u64, u64) -> i32;
                F64Ge f64_ge (u64, u64) -> i32;
            }
            binary_trap {
                I32DivS i32_div_s (i32, i32) -> i32;
                I32DivU i32_div_u (i32, i32) -> i32;
                I32RemS i32_rem_s (i32, i32) -> i32;
                I32RemU i32_rem_u (i32, i32) -> i32;
                I64DivS i64_div_s (i64, i64) -> i64;
                I64DivU i64_div_u (i64, i64) -> i64;
                I64RemS i64_rem_s (i64, i64) -> i64;
                I64RemU i64_rem_u (i64, i64) -> i64;
            }
            load {
                I32Load i32_load i32 => i32;
                I64Load i64_load i64 => i64;
                F32Load f32_load u32 => u32;
                F64Load f64_load u64 => u64;
                I32Load8S i32_load8_s i8 => i32;
                I32Load8U i32_load8_u u8 => i32;
                I32Load16S i32_load16_s i16 => i32;
                I32Load16U i32_load16_u u16 => i32;
                I64Load8S i64_load8_s i8 => i64;
                I64Load8U i64_load8_u u8 => i64;
                I64Load16S i64_load16_s i16 => i64;
                I64Load16U i64_load16_u u16 => i64;
                I64Load32S i64_load32_s i32 => i64;
                I64Load32U i64_load32_u u32 => i64;
            }
            store {
                I32Store i32_store i32 => i32;
                I64Store i64_store i64 => i64;
                F32Store f32_store u32 => u32;
                F64Store f64_store u64 => u64;
                I32Store8 i32_store8 i32 => u8;
                I32Store16 i32_store16 i32 => u16;
                I64Store8 i64_store8 i64 => u8;
                I64Store16 i64_store16 i64 => u16;
                I64Store32 i64_store32 i64 => u32;
            }
            branch_cmp {
                I32Eq i32_eq (i32);
                I32Ne i32_ne (i32);
                I32LtS i32_lt_s (i32);
                I32LtU i32_lt_u (i32);
                I32GtS i32_gt_s (i32);
                I32GtU i32_gt_u (i32);
                I32LeS i32_le_s (i32);
                I32LeU i32_le_u (i32);
                I32GeS i32_ge_s (i32);
                I32GeU i32_ge_u (i32);
                I64Eq i64_eq (i64);
                I64Ne i64_ne (i64);
                I64LtS i64_lt_s (i64);
                I64LtU i64_lt_u (i64);
                I64GtS i64_gt_s (i64);
                I64GtU i64_gt_u (i64);
                I64LeS i64_le_s (i64);
                I64LeU i64_le_u (i64);
                I64GeS i64_ge_s (i64);
                I64GeU i64_ge_u (i64);
            }
            other {
                /// Trap with `unreachable`.
                Unreachable unreachable {};
                /// Jump to `target`.
                Br br { target: Target };
                /// Pop an i32; jump to `target` if it is not zero.
                BrIfNez br_if_nez { target: Target };
                /// Pop an i32; jump to `target` if it is zero (`if` without a taken condition).
                BrIfEqz br_if_eqz { target: Target };
                /// Keep the top `keep` values, drop the `drop` values below them, jump to `target`.
                BrAdjust br_adjust { target: Target, drop: u32, keep: u32 };
                /// Pop an i32; if it is not zero, do what `br_adjust` does.
                BrIfNezAdjust br_if_nez_adjust { target: Target, drop: u32, keep: u32 };
                /// Pop an i32 index; take that entry of `targets` (the last one if out of range).
                BrTable br_table { targets: BrTable };
                /// Return the top `keep` values to the caller.
                Return return_ { keep: u32 };
                /// Call function `func` (module index space) with its arguments on top of the stack.
                Call call { func: u32 };
                /// Pop a table index; call that element of `table` after checking it has type `ty`.
                CallIndirect call_indirect { ty: u32, table: u32 };
                /// Tail-call `func`: the current frame is replaced, not kept.
                ReturnCall return_call { func: u32 };
                /// Tail-call through `table`, as `call_indirect` does.
                ReturnCallIndirect return_call_indirect { ty: u32, table: u32 };
                /// Pop and discard one value.
                Drop drop {};
                /// Pop a condition and two values; push the first if the condition is not zero.
                Select select {};
                /// Push local `local`.
                LocalGet local_get { local: u32 };
                /// Pop into local `local`.
                LocalSet local_set { local: u32 };
                /// Copy the top of the stack into local `local`.
                LocalTee local_tee { local: u32 };
                /// Push global `global`.
                GlobalGet global_get { global: u32 };
                /// Pop into global `global`.
                GlobalSet global_set { global: u32 };
                /// Push an i32 constant.
                I32Const i32_const { value: i32 };
                /// Push an i64 constant.
                I64Const i64_const { value: i64 };
                /// Push an f32 constant, given by its bits.
                F32Const f32_const { bits: u32 };
                /// Push an f64 constant, given by its bits.
                F64Const f64_const { bits: u64 };
                /// Push the size of memory 0 in pages.
                MemorySize memory_size {};
                /// Pop a page count; grow memory 0; push the old size or -1.
                MemoryGrow memory_grow {};
                /// Pop destination, value and length; fill memory.
                MemoryFill memory_fill {};
                /// Pop destination, source and length; copy within memory (overlap-safe).
                MemoryCopy memory_copy {};
                /// Pop destination, offset and length; copy from data segment `data`.
                MemoryInit memory_init { data: u32 };
                /// Drop data segment `data`.
                DataDrop data_drop { data: u32 };
                /// Pop an index; push that element of `table`.
                TableGet table_get { table: u32 };
                /// Pop an index and a reference; store it into `table`.
                TableSet table_set { table: u32 };
                /// Push the size of `table`.
                TableSize table_size { table: u32 };
                /// Pop an init value and a count; grow `table`; push the old size or -1.
                TableGrow table_grow { table: u32 };
                /// Pop destination, value and length; fill `table`.
                TableFill table_fill { table: u32 };
                /// Pop destination, source and length; copy from table `src` to table `dst`.
                TableCopy table_copy { dst: u32, src: u32 };
                /// Pop destination, offset and length; copy from element segment `elem`.
                TableInit table_init { table: u32, elem: u32 };
                /// Drop element segment `elem`.
                ElemDrop elem_drop { elem: u32 };
                /// Push a null reference.
                RefNull ref_null {};
                /// Pop a reference; push 1 if it is null, else 0.
                RefIsNull ref_is_null {};
                /// Push a reference to function `func`.
                RefFunc ref_func { func: u32 };
                /// Register IR: copy slot `src` to slot `dst`.
                Copy copy { dst: u32, src: u32 };
                /// Register IR: set slot `dst` to the cell `bits`.
                Const const_ { dst: u32, bits: u64 };
                /// Register IR: point the operand stack just above slot `slot - 1`, so that a
                /// stack-IR op can run on values in their home slots.
                SetSp set_sp { slot: u32 };
                /// Register IR: jump to `target` if slot `cond` is not zero.
                BrIfNezS br_if_nez_s { target: Target, cond: u32 };
                /// Register IR: jump to `target` if slot `cond` is zero.
                BrIfEqzS br_if_eqz_s { target: Target, cond: u32 };
                /// Register IR: jump through `targets` by the index in slot `index`.
                BrTableS br_table_s { index: u32, targets: BrTable };
                /// Register IR: return the `count` values that start at slot `from`.
                ReturnS return_s { from: u32, count: u32 };
                /// Register IR: return the one value in slot `from`, which may be any slot
                /// (a local's value is returned without a copy to its home slot first).
                ReturnS1 return_s1 { from: u32 };
                /// Register IR: call `func`; its arguments end just below slot `end`.
                CallS call_s { func: u32, end: u32 };
                /// Register IR: `call_indirect`; the table index is slot `end - 1`, the
                /// arguments are below it.
                CallIndirectS call_indirect_s { ty: u32, table: u32, end: u32 };
                /// Register IR: tail-call `func`; its arguments end just below slot `end`.
                ReturnCallS return_call_s { func: u32, end: u32 };
                /// Register IR: tail `call_indirect`, laid out as `call_indirect_s`.
                ReturnCallIndirectS return_call_indirect_s { ty: u32, table: u32, end: u32 };
                /// Register IR: slot `dst` = global `global`.
                GlobalGetS global_get_s { dst: u32, global: u32 };
                /// Register IR: global `global` = slot `src`.
                GlobalSetS global_set_s { src: u32, global: u32 };
                /// Register IR: slot `dst` = slot `cond` != 0 ? slot `a` : slot `b`.
                SelectS select_s { dst: u32, a: u32, b: u32, cond: u32 };
                /// Register IR (fusion): slot `dst` = `imm` if slot `cond` is not zero,
                /// else slot `b`; a constant operand needs no `const` op first.
                SelectIs select_is { dst: u32, imm: u64, b: u32, cond: u32 };
                /// Register IR (fusion): slot `dst` = slot `a` if slot `cond` is not zero,
                /// else `imm`.
                SelectSi select_si { dst: u32, a: u32, imm: u64, cond: u32 };
                /// Fused `i32.and_si; select_s` on its result (register IR, a bit test such
                /// as CRC's `(x ^ y) & 1`): slot `dst` = slot `a` if slot `cond` & `mask`
                /// (i32) is not zero, else slot `b`. The masked value is not kept.
                SelectAndS select_and_s { dst: u32, a: u32, b: u32, cond: u32, mask: u64 };
                /// Register IR: slot `dst` = the integer accumulator.
                SpillX spill_x { dst: u32 };
                /// Register IR: slot `dst` = the f32 accumulator.
                SpillSx spill_sx { dst: u32 };
                /// Register IR: slot `dst` = the f64 accumulator.
                SpillDx spill_dx { dst: u32 };
                /// Fused `copy; copy` (register IR): slot `dst` = slot `src`, then slot
                /// `dst2` = slot `src2`, in that order.
                Copy2 copy2 { dst: u32, src: u32, dst2: u32, src2: u32 };
                /// Fused `copy; br_if_nez_s` (register IR): slot `dst` = slot `src`, then
                /// jump to `target` if slot `cond` is not zero.
                CopyBrIfNezS copy_br_if_nez_s { dst: u32, src: u32, target: Target, cond: u32 };
                /// Fused `i32.add_si; br_if_nez_s` on its result (register IR): slot `dst` =
                /// slot `a` + `imm` (i32), then jump to `target` if that is not zero.
                I32AddSiBrNez i32_add_si_br_nez { target: Target, dst: u32, a: u32, imm: u64 };
                /// Fused `i32.add_si d <- d + imm; br_i32_ne_ss` comparing `d` with slot `b`
                /// (register IR, a loop counter's step and exit test): slot `d` += `imm`
                /// (i32), then jump to `target` if it is not slot `b`.
                I32StepBrNeSs i32_step_br_ne_ss { target: Target, d: u32, imm: u64, b: u32 };
                /// The same with `br_i32_lt_u_ss d b`: jump if slot `d` < slot `b` (unsigned).
                I32StepBrLtUSs i32_step_br_lt_u_ss { target: Target, d: u32, imm: u64, b: u32 };
                /// The same with `br_i32_lt_s_ss d b`: jump if slot `d` < slot `b` (signed).
                I32StepBrLtSSs i32_step_br_lt_s_ss { target: Target, d: u32, imm: u64, b: u32 };
                /// The same against an immediate, `br_i32_ne_si d bound`: slot `d` += `imm`
                /// (i32), then jump to `target` if it is not `bound`.
                I32StepBrNeSi i32_step_br_ne_si { target: Target, d: u32, imm: u64, bound: u64 };
                /// The same with `br_i32_lt_u_si d bound` (also `le_u` by `bound + 1`).
                I32StepBrLtUSi i32_step_br_lt_u_si { target: Target, d: u32, imm: u64, bound: u64 };
                /// The same with `br_i32_gt_u_si d bound` (also `ge_u` by `bound - 1`).
                I32StepBrGtUSi i32_step_br_gt_u_si { target: Target, d: u32, imm: u64, bound: u64 };
                /// Fused `i64.add_si d <- d + imm` (or `i64.sub_si` by `-imm`) and
                /// `br_i64_gt_s_si d bound` (a count-down loop's test, as rotated): slot `d`
                /// += `imm` (i64), then jump to `target` if it is greater than `bound` (signed).
                I64StepBrGtSSi i64_step_br_gt_s_si { target: Target, d: u32, imm: u64, bound: u64 };
                /// Fused `i32.load_s; br_if_nez_s` on its result (register IR): slot `dst` =
                /// the i32 at memory[slot `addr` + `offset`], then jump to `target` if that is
                /// not zero.
                I32LoadSBrNez i32_load_s_br_nez { target: Target, dst: u32, addr: u32, offset: u32 };
                /// Fused `i32.shr_u_asi; i32.and_aai` (register IR, a bit-field extract): the
                /// integer accumulator = (slot `a` >> `shift`, unsigned) & `mask` (i32).
                I32ShrUAndAsii i32_shr_u_and_asii { a: u32, shift: u64, mask: u64 };
                /// The same into slot `dst`.
                I32ShrUAndSsii i32_shr_u_and_ssii { dst: u32, a: u32, shift: u64, mask: u64 };
                /// Fused `i32.and_si; br_i32_eq_ss` on its result (register IR): slot `dst` =
                /// slot `a` & `imm` (i32), then jump to `target` if slot `b` equals that.
                I32AndSiBrEqSs i32_and_si_br_eq_ss { target: Target, dst: u32, a: u32, imm: u64, b: u32 };
                /// The same against the integer accumulator: slot `dst` = slot `a` & `imm`
                /// (i32), then jump to `target` if the accumulator equals that.
                I32AndSiBrEqAs i32_and_si_br_eq_as { target: Target, dst: u32, a: u32, imm: u64 };
                /// Fused `i32.load_s; i32.store_ss` to the same address (register IR): slot
                /// `dst` = the i32 at memory[slot `addr` + `offset`], then slot `value` is
                /// stored there; the address is checked once.
                I32LoadStoreS i32_load_store_s { dst: u32, addr: u32, offset: u32, value: u32 };
                /// Fused `i32.add_asi; i32.and_aai` (register IR: a narrow wrap such as C's
                /// `(unsigned char)(c - '0')`): the integer accumulator = (slot `a` + `imm`) &
                /// `mask` (i32).
                I32AddAndAsii i32_add_and_asii { a: u32, imm: u64, mask: u64 };
                /// The same into slot `dst`.
                I32AddAndSsii i32_add_and_ssii { dst: u32, a: u32, imm: u64, mask: u64 };
                /// Fused `i32.load_as; i32.add_aai; i32.store_sa` to the same address
                /// (register IR: a counter in memory, `*p += imm`): the integer accumulator =
                /// the i32 at memory[slot `addr` + `offset`] + `imm`, stored back there; the
                /// address is checked once.
                I32LoadAddStoreAsi i32_load_add_store_asi { addr: u32, offset: u32, imm: u64 };
                /// Fused `global.get_s t; i32.add_si d <- t + imm; global.set_s d` (register
                /// IR: a counter kept in a global, and the stack-pointer bump of a compiled
                /// function's prologue): global `global` += `imm` (i32), and slot `dst` = the
                /// sum. The temporary `t` is not written: nothing reads it after the add.
                I32GlobalAddSi i32_global_add_si { dst: u32, global: u32, imm: u64 };
                /// Fused `i32.add_si d <- a + imm; global.set_s d` (register IR: a compiled
                /// function's epilogue restoring the stack pointer): slot `dst` = slot `a` +
                /// `imm` (i32), and global `global` = the sum.
                I32AddSiGlobalSet i32_add_si_global_set { dst: u32, a: u32, imm: u64, global: u32 };
                /// Fused `i32.add_si d <- d + imm; i32.add_si d2 <- d2 + imm2` (register IR, by
                /// `weft_ir::peephole::fuse_pairs`: two pointers or counters stepped in place
                /// together): slot `d` += `imm`, then slot `d2` += `imm2` (i32; in that order,
                /// so `d2 == d` adds both). Four operands: with six (separate sources) the
                /// threaded handler saves registers and costs more than the two it replaces
                /// (`papers/notes-speed.md` section 7).
                I32AddSi2 i32_add_si2 { d: u32, imm: u64, d2: u32, imm2: u64 };
                /// Fused `i32.mul_aas b; i32.add_sas dst <- acc + c` (register IR, by
                /// `fuse_pairs`: a multiply-accumulate): the integer accumulator = the
                /// accumulator * slot `b` (i32), then slot `dst` = that + slot `c`.
                I32MulAddSas i32_mul_add_sas { b: u32, dst: u32, c: u32 };
                /// Fused `i32.shl_asi a k; i32.add_aas b` (register IR, by `fuse_pairs`: a
                /// scaled index, `base + (i << k)`): the integer accumulator = (slot `a` <<
                /// `shift`) + slot `b` (i32).
                I32ShlAddAsis i32_shl_add_asis { a: u32, shift: u64, b: u32 };
                /// Fused `i32.rotl_si t <- a rotl k; i32.xor_ss dst <- y ^ t` (either operand
                /// order; register IR, by `fuse_pairs`: SHA-2's sums of rotations): slot `t` =
                /// slot `a` rotated left by `k` (i32), then slot `dst` = slot `y` ^ that (`y`
                /// read after `t` is written: it may be `t`). `t` is still written, as the
                /// pair did: the final code does not say whether anything reads it again.
                I32RotlSiXorSs i32_rotl_si_xor_ss { t: u32, a: u32, k: u64, dst: u32, y: u32 };
                /// Fused `i32.rotl_si t <- a rotl k; i32.xor_aas t` (register IR, by
                /// `fuse_pairs`): slot `t` = slot `a` rotated left by `k` (i32), and the integer
                /// accumulator ^= that.
                I32RotlSiXorAas i32_rotl_si_xor_aas { t: u32, a: u32, k: u64 };
                /// Fused `i32.rotl_si t <- a rotl k; i32.xor_ass y t` (either operand order;
                /// register IR, by `fuse_pairs`): slot `t` = slot `a` rotated left by `k`
                /// (i32), and the integer accumulator = slot `y` ^ that (`y` read after `t`
                /// is written).
                I32RotlSiXorAss i32_rotl_si_xor_ass { t: u32, a: u32, k: u64, y: u32 };
                /// `i32_rotl_si_xor_ss` with a logical right shift (register IR, by
                /// `fuse_pairs`: CRC's bit steps, SHA-2's message schedule).
                I32ShrUSiXorSs i32_shr_u_si_xor_ss { t: u32, a: u32, k: u64, dst: u32, y: u32 };
                /// `i32_rotl_si_xor_aas` with a logical right shift (register IR, by
                /// `fuse_pairs`: SHA-2's message schedule).
                I32ShrUSiXorAas i32_shr_u_si_xor_aas { t: u32, a: u32, k: u64 };
                /// Fused `i32.shr_u_and_ssii t1 <- (a >> shift) & mask; i32.xor_si t2 <- t1 ^
                /// poly; i32.shr_u_si_xor_ss t <- data >> k, c <- y ^ t; select_and_s dst <-
                /// c & bit ? t2 : t1` (register IR, by `fuse_pairs`: one step of a bit-serial
                /// CRC or LFSR, `x = (x >> 1) ^ (((d >> k) ^ x) & 1 ? poly : 0)`, as compilers
                /// unroll it; CoreMark's `crcu8`). The four ops' writes in their order, the
                /// reads of `data` and `y` after `t1` and `t2` are written (either may be
                /// one); the select takes `t1` and `t2` from registers. Only for `t1`, `t2`
                /// different and neither written by the shift-xor.
                I32CrcStepS i32_crc_step_s { t1: u32, a: u32, shift: u64, mask: u64, t2: u32, poly: u64, t: u32, data: u32, k: u64, c: u32, y: u32, dst: u32, bit: u64 };
                /// Fused `i32.shl_si t <- a << k; i32.add_aas t` (register IR, by `fuse_pairs`:
                /// an index scaled into a slot and added to a base in the accumulator): slot
                /// `t` = slot `a` << `k` (i32), and the integer accumulator += that.
                I32ShlSiAddAas i32_shl_si_add_aas { t: u32, a: u32, k: u64 };
                /// Fused `copy c <- p; i32.load_store_s p <- [p + offset] <- v` (register IR, by
                /// `fuse_pairs`: a linked list reversed in place, `next = p->next; p->next =
                /// prev; prev = p; p = next`, CoreMark's list reversal): slot `c` = slot `p`,
                /// then slot `p` = the i32 at memory[that + `offset`], then slot `v` is stored
                /// there (`v` read after both writes: it may be `c` or `p`); the address is
                /// checked once.
                I32CopyLoadStoreS i32_copy_load_store_s { c: u32, p: u32, offset: u32, v: u32 };
                /// Fused `i32.copy_load_store_s c p offset v; copy_br_if_nez_s v <- c, p
                /// target` (register IR, by `fuse_pairs`: one whole step of a linked list's
                /// reversal, `next = p->next; p->next = prev; prev = p; p = next; while p`):
                /// slot `c` = slot `p`, slot `p` = the i32 at memory[that + `offset`], slot `v`
                /// stored there, slot `v` = slot `c`, then jump to `target` if slot `p` is not
                /// 0. Only for `c`, `p` and `v` pairwise different, so each slot is read once.
                I32ReverseStepS i32_reverse_step_s { c: u32, p: u32, offset: u32, v: u32, target: Target };
                /// `i32_reverse_step_s` whose `target` is itself, the whole body of its loop
                /// (by `fuse_pairs`: CoreMark's list reversal): the handler runs the
                /// iterations itself, the node in a register instead of a slot written and
                /// read back between two dispatches, so each iteration waits on the next
                /// pointer's load only. Every taken back edge is charged as the branch's
                /// was; the slots are written whenever the loop leaves the handler.
                I32ReverseLoopS i32_reverse_loop_s { c: u32, p: u32, offset: u32, v: u32, target: Target };
                /// Fused `i32.load_as [a + offset]; i32.load16_u_aa [acc + offset2]` (register
                /// IR, by `fuse_pairs`: a field reached through a pointer, `p->info->x`,
                /// CoreMark's list search): the integer accumulator = the i32 at memory[slot
                /// `a` + `offset`], then = the u16 at memory[that + `offset2`]; each address
                /// checked as the unfused loads did.
                I32LoadAsLoad16UAa i32_load_as_load16_u_aa { a: u32, offset: u32, offset2: u32 };
                /// `i32_load_as_load16_u_aa` with a u8 for the second load.
                I32LoadAsLoad8UAa i32_load_as_load8_u_aa { a: u32, offset: u32, offset2: u32 };
                /// Fused `i32.load_as [p + offset]; i32.load16_u_aa [acc + offset2];
                /// i32.and_si_br_eq_as found t <- key & imm; i32.load_s_br_nez p <- [p +
                /// next] target` where `target` is this op, the loop's whole body (by
                /// `fuse_pairs`: a linked list searched for the node whose record, reached
                /// through a pointer, has a field equal to a masked key, CoreMark's list
                /// search). The handler runs the iterations itself, as
                /// `i32_reverse_loop_s` does: the integer accumulator = the field, slot `t`
                /// = slot `key` & `imm`; on a match jump to `found`, else slot `p` = the next
                /// node, looping while it is not 0. Only for `p` different from `t` and `key`.
                I32FindLoad16UAndS i32_find_load16_u_and_s { p: u32, offset: u32, offset2: u32, t: u32, key: u32, imm: u64, next: u32, found: Target, target: Target };
                /// `i32_find_load16_u_and_s` with a u8 field.
                I32FindLoad8UAndS i32_find_load8_u_and_s { p: u32, offset: u32, offset2: u32, t: u32, key: u32, imm: u64, next: u32, found: Target, target: Target };
                /// Fused `i32.add_si d <- d + imm; i32.add_ss d2 <- d2 + b` (register IR, by
                /// `fuse_pairs`: two pointers stepped together, one by a stride kept in a
                /// slot; CoreMark's matrix loops): slot `d` += `imm`, then slot `d2` += slot
                /// `b` (i32; in that order, so `d2` or `b` may be `d`).
                I32AddSiAddSs i32_add_si_add_ss { d: u32, imm: u64, d2: u32, b: u32 };
                /// Fused `br_i32_eq_si target a imm; br_table_s index targets` (register IR, by
                /// `fuse_pairs`: a scanner's test for a separator before its state machine's
                /// dispatch, CoreMark's `core_state_transition`): jump to `target` if slot `a`
                /// equals `imm` (i32), else to the entry of `targets` that slot `index` picks.
                BrI32EqSiBrTableS br_i32_eq_si_br_table_s { target: Target, a: u32, imm: u64, index: u32, targets: BrTable };
                /// Jump to `target`, charging one unit of fuel whichever way it goes: the exit
                /// of a rotated loop (register IR, `weft_ir::peephole::rotate_loop`), standing
                /// for the back edge that the loop no longer takes on its last iteration.
                BrCharged br_charged { target: Target };
            }
        }
    };
}

/// Calls `$m!` with every op as a flat list of `Name snake_name { operands }` entries (doc
/// attributes first), in opcode order: the stack-IR ops of each group followed by its
/// generated register-IR shapes, then `other`. Enum, encoder and executor generators use
/// this form; the naming of shapes here is the one `weft_dispatch`'s op functions follow.
#[macro_export]
macro_rules! for_each_op_flat {
    ($m:ident) => {
        $crate::__weft_op_table! { ($crate::__weft_flatten_ops) $m; }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __weft_flatten_ops {
    (
        $cb:ident;
        unary { $( $UName:ident $uname:ident ($ua:ty) -> $ur:ty; )* }
        unary_trap { $( $TName:ident $tname:ident ($ta:ty) -> $tr:ty; )* }
        binary { $( $BName:ident $bname:ident ($ba:ty, $bb:ty) -> $br:ty; )* }
        binary_trap { $( $QName:ident $qname:ident ($qa:ty, $qb:ty) -> $qr:ty; )* }
        load { $( $LName:ident $lname:ident $lm:ty => $lr:ty; )* }
        store { $( $SName:ident $sname:ident $sv:ty => $sm:ty; )* }
        branch_cmp { $( $CName:ident $cname:ident ($ct:ty); )* }
        other { $( $(#[doc = $doc:literal])* $OName:ident $oname:ident { $( $field:ident : $fty:ty ),* }; )* }
    ) => { $crate::__paste! {
        $cb! {
            $( #[doc = concat!("Wasm `", stringify!($uname), "` on the operand stack.")] $UName $uname {} )*
            $( #[doc = concat!("`", stringify!($uname), "`: slot `dst` = op(slot `a`).")] [<$UName S>] [<$uname _s>] { dst: u32, a: u32 } )*
            $( #[doc = concat!("`", stringify!($uname), "`: acc = op(slot `a`).")] [<$UName As>] [<$uname _as>] { a: u32 } )*
            $( #[doc = concat!("`", stringify!($uname), "`: acc = op(acc).")] [<$UName Aa>] [<$uname _aa>] {} )*
            $( #[doc = concat!("`", stringify!($uname), "`: slot `dst` = op(acc).")] [<$UName Sa>] [<$uname _sa>] { dst: u32 } )*
            $( #[doc = concat!("Wasm `", stringify!($tname), "` on the operand stack (may trap).")] $TName $tname {} )*
            $( #[doc = concat!("`", stringify!($tname), "`: slot `dst` = op(slot `a`) (may trap).")] [<$TName S>] [<$tname _s>] { dst: u32, a: u32 } )*
            $( #[doc = concat!("`", stringify!($tname), "`: acc = op(slot `a`) (may trap).")] [<$TName As>] [<$tname _as>] { a: u32 } )*
            $( #[doc = concat!("`", stringify!($tname), "`: acc = op(acc) (may trap).")] [<$TName Aa>] [<$tname _aa>] {} )*
            $( #[doc = concat!("`", stringify!($tname), "`: slot `dst` = op(acc) (may trap).")] [<$TName Sa>] [<$tname _sa>] { dst: u32 } )*
            $( #[doc = concat!("Wasm `", stringify!($bname), "` on the operand stack.")] $BName $bname {} )*
            $( #[doc = concat!("`", stringify!($bname), "`: slot `dst` = slot `a` op slot `b`.")] [<$BName Ss>] [<$bname _ss>] { dst: u32, a: u32, b: u32 } )*
            $( #[doc = concat!("`", stringify!($bname), "`: slot `dst` = slot `a` op `imm`.")] [<$BName Si>] [<$bname _si>] { dst: u32, a: u32, imm: u64 } )*
            $( #[doc = concat!("`", stringify!($bname), "`: slot `dst` = `imm` op slot `b`.")] [<$BName Is>] [<$bname _is>] { dst: u32, imm: u64, b: u32 } )*
            $( #[doc = concat!("`", stringify!($bname), "`: acc = slot `a` op slot `b`.")] [<$BName Ass>] [<$bname _ass>] { a: u32, b: u32 } )*
            $( #[doc = concat!("`", stringify!($bname), "`: acc = slot `a` op `imm`.")] [<$BName Asi>] [<$bname _asi>] { a: u32, imm: u64 } )*
            $( #[doc = concat!("`", stringify!($bname), "`: acc = acc op slot `b`.")] [<$BName Aas>] [<$bname _aas>] { b: u32 } )*
            $( #[doc = concat!("`", stringify!($bname), "`: acc = acc op `imm`.")] [<$BName Aai>] [<$bname _aai>] { imm: u64 } )*
            $( #[doc = concat!("`", stringify!($bname), "`: slot `dst` = acc op slot `b`.")] [<$BName Sas>] [<$bname _sas>] { dst: u32, b: u32 } )*
            $( #[doc = concat!("`", stringify!($bname), "`: slot `dst` = acc op `imm`.")] [<$BName Sai>] [<$bname _sai>] { dst: u32, imm: u64 } )*
            $( #[doc = concat!("Wasm `", stringify!($qname), "` on the operand stack (may trap).")] $QName $qname {} )*
            $( #[doc = concat!("`", stringify!($qname), "`: slot `dst` = slot `a` op slot `b` (may trap).")] [<$QName Ss>] [<$qname _ss>] { dst: u32, a: u32, b: u32 } )*
            $( #[doc = concat!("`", stringify!($qname), "`: slot `dst` = slot `a` op `imm` (may trap).")] [<$QName Si>] [<$qname _si>] { dst: u32, a: u32, imm: u64 } )*
            $( #[doc = concat!("`", stringify!($qname), "`: slot `dst` = `imm` op slot `b` (may trap).")] [<$QName Is>] [<$qname _is>] { dst: u32, imm: u64, b: u32 } )*
            $( #[doc = concat!("`", stringify!($qname), "`: acc = slot `a` op slot `b` (may trap).")] [<$QName Ass>] [<$qname _ass>] { a: u32, b: u32 } )*
            $( #[doc = concat!("`", stringify!($qname), "`: acc = slot `a` op `imm` (may trap).")] [<$QName Asi>] [<$qname _asi>] { a: u32, imm: u64 } )*
            $( #[doc = concat!("`", stringify!($qname), "`: acc = acc op slot `b` (may trap).")] [<$QName Aas>] [<$qname _aas>] { b: u32 } )*
            $( #[doc = concat!("`", stringify!($qname), "`: acc = acc op `imm` (may trap).")] [<$QName Aai>] [<$qname _aai>] { imm: u64 } )*
            $( #[doc = concat!("`", stringify!($qname), "`: slot `dst` = acc op slot `b` (may trap).")] [<$QName Sas>] [<$qname _sas>] { dst: u32, b: u32 } )*
            $( #[doc = concat!("`", stringify!($qname), "`: slot `dst` = acc op `imm` (may trap).")] [<$QName Sai>] [<$qname _sai>] { dst: u32, imm: u64 } )*
            $( #[doc = concat!("Wasm `", stringify!($lname), "` at the popped address + `offset`.")] $LName $lname { offset: u32 } )*
            $( #[doc = concat!("`", stringify!($lname), "`: slot `dst` = memory[slot `addr` + `offset`].")] [<$LName S>] [<$lname _s>] { dst: u32, addr: u32, offset: u32 } )*
            $( #[doc = concat!("`", stringify!($lname), "`: slot `dst` = memory[`ea`], a constant address.")] [<$LName I>] [<$lname _i>] { dst: u32, ea: u64 } )*
            $( #[doc = concat!("`", stringify!($lname), "`: acc = memory[slot `addr` + `offset`].")] [<$LName As>] [<$lname _as>] { addr: u32, offset: u32 } )*
            $( #[doc = concat!("`", stringify!($lname), "`: acc = memory[integer acc + `offset`].")] [<$LName Aa>] [<$lname _aa>] { offset: u32 } )*
            $( #[doc = concat!("`", stringify!($lname), "`: slot `dst` = memory[integer acc + `offset`].")] [<$LName Sa>] [<$lname _sa>] { dst: u32, offset: u32 } )*
            $( #[doc = concat!("`", stringify!($lname), "`: acc = memory[`ea`], a constant address.")] [<$LName Ai>] [<$lname _ai>] { ea: u64 } )*
            $( #[doc = concat!("Wasm `", stringify!($sname), "` at the popped address + `offset`.")] $SName $sname { offset: u32 } )*
            $( #[doc = concat!("`", stringify!($sname), "`: memory[slot `addr` + `offset`] = slot `value`.")] [<$SName Ss>] [<$sname _ss>] { addr: u32, value: u32, offset: u32 } )*
            $( #[doc = concat!("`", stringify!($sname), "`: memory[slot `addr` + `offset`] = `imm`.")] [<$SName Si>] [<$sname _si>] { addr: u32, imm: u64, offset: u32 } )*
            $( #[doc = concat!("`", stringify!($sname), "`: memory[`ea`] = slot `value`, a constant address.")] [<$SName Is>] [<$sname _is>] { ea: u64, value: u32 } )*
            $( #[doc = concat!("`", stringify!($sname), "`: memory[slot `addr` + `offset`] = acc.")] [<$SName Sa>] [<$sname _sa>] { addr: u32, offset: u32 } )*
            $( #[doc = concat!("`", stringify!($sname), "`: memory[`ea`] = acc, a constant address.")] [<$SName Ia>] [<$sname _ia>] { ea: u64 } )*
            $( #[doc = concat!("`", stringify!($sname), "`: memory[integer acc + `offset`] = slot `value`.")] [<$SName As>] [<$sname _as>] { value: u32, offset: u32 } )*
            $( #[doc = concat!("`", stringify!($sname), "`: memory[integer acc + `offset`] = `imm`.")] [<$SName Ai>] [<$sname _ai>] { imm: u64, offset: u32 } )*
            $( #[doc = concat!("Jump to `target` if `", stringify!($cname), "`(slot `a`, slot `b`).")] [<Br $CName Ss>] [<br_ $cname _ss>] { target: Target, a: u32, b: u32 } )*
            $( #[doc = concat!("Jump to `target` if `", stringify!($cname), "`(slot `a`, `imm`).")] [<Br $CName Si>] [<br_ $cname _si>] { target: Target, a: u32, imm: u64 } )*
            $( #[doc = concat!("Jump to `target` if `", stringify!($cname), "`(acc, slot `b`).")] [<Br $CName As>] [<br_ $cname _as>] { target: Target, b: u32 } )*
            $( #[doc = concat!("Jump to `target` if `", stringify!($cname), "`(acc, `imm`).")] [<Br $CName Ai>] [<br_ $cname _ai>] { target: Target, imm: u64 } )*
            $( $(#[doc = $doc])* $OName $oname { $( $field: $fty ),* } )*
        }
    } };
}
