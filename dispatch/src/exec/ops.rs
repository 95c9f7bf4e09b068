//! One function per op, generated from the op table: decode the operands that follow the
//! op slot, set `ip` to the next op, and run the op's semantics. Every executor calls
//! these and differs only in how it gets from one op to the next.

#![allow(clippy::missing_safety_doc)]

/// The semantics every op function calls: the stack IR's and the register IR's.
mod sem {
    pub use super::super::register::*;
    pub use super::super::semantics::*;
}
use super::{Ctx, Regs, Step};
use crate::code::{Encoding, Ip, OpCode, Operand};
use crate::numeric;

/// Counts one executed op when the `stats` feature is on; nothing at all otherwise.
///
/// Also counts *adjacent pairs*: the op together with the op executed just before it,
/// when it is the one that follows that op in the code (`op` is where the previous op's
/// `ip` pointed: a fall-through or a branch not taken). Those are the pairs a fusion
/// rule could merge; a taken branch and its target, or a return and its caller's next
/// op, are not adjacent and are left out. `next` is this op's own fall-through address.
#[inline(always)]
#[allow(unused_variables)]
fn count(c: &mut Ctx, code: OpCode, op: Ip, next: Ip) {
    #[cfg(feature = "stats")]
    // SAFETY: the context's store is live and not otherwise borrowed during an op.
    unsafe {
        let s = c.store();
        s.op_counts[code as usize] += 1;
        if s.stats_next_ip == op as usize {
            s.op_pairs[s.stats_last_op * OpCode::COUNT + code as usize] += 1;
        }
        s.stats_last_op = code as usize;
        s.stats_next_ip = next as usize;
    }
}

/// Counts, in the stats build and before [`count`] records this op as the last one, the
/// adjacent pair ending here as *chained* through each operand of [`via`] that this op
/// reads from the slot the previous op wrote as its `dst` (`dst` and `reads` are this
/// op's decoded operands of those names, if it has them).
#[cfg(feature = "stats")]
#[inline(always)]
fn count_chain(
    c: &mut Ctx,
    code: OpCode,
    op: Ip,
    dst: Option<u32>,
    reads: [Option<u32>; via::COUNT],
) {
    // SAFETY: the context's store is live and not otherwise borrowed during an op.
    unsafe {
        let s = c.store();
        if s.stats_next_ip == op as usize {
            if let Some(d) = s.stats_last_dst {
                let pair = s.stats_last_op * OpCode::COUNT + code as usize;
                for (f, read) in reads.iter().enumerate() {
                    if *read == Some(d) {
                        s.op_chains.entry(pair).or_insert([0; via::COUNT])[f] += 1;
                    }
                }
            }
        }
        s.stats_last_dst = dst;
    }
}

/// The operands through which a concatenated pair can pass the first op's result to the
/// second in a register (`threaded-pairs`' chained pairs): the second op's operand of
/// that name is the slot the first op wrote as `dst`. `F` of `exec_<op>_via` names one
/// (`NONE`: none); [`weft_ir::Op::slot_operand`] reads them from the IR by name.
pub mod via {
    /// No operand is taken from the first op.
    pub const NONE: u8 = 0;
    /// The operand names, `F` being the index plus one.
    pub const NAMES: [&str; COUNT] = ["a", "b", "cond", "addr", "src", "value"];
    /// How many there are.
    pub const COUNT: usize = 6;
    /// `F` for an operand name of [`NAMES`].
    pub const fn of(name: &str) -> u8 {
        let mut i = 0;
        while i < COUNT {
            if NAMES[i].len() == name.len() && {
                let (a, b) = (NAMES[i].as_bytes(), name.as_bytes());
                let mut j = 0;
                while j < a.len() && a[j] == b[j] {
                    j += 1;
                }
                j == a.len()
            } {
                return i as u8 + 1;
            }
            i += 1;
        }
        panic!("not an operand of `via::NAMES`")
    }
}

/// A decoded operand's value replaced by a slot index that is known to be equal to it
/// (a chained pair's `dst`): integer operands only, so a const's `value` takes one too.
pub trait Rebind: Copy {
    /// `v` as this operand type.
    fn rebind(v: u32) -> Self;
}
impl Rebind for u32 {
    #[inline(always)]
    fn rebind(v: u32) -> Self {
        v
    }
}
impl Rebind for i32 {
    #[inline(always)]
    fn rebind(v: u32) -> Self {
        v as i32
    }
}
impl Rebind for i64 {
    #[inline(always)]
    fn rebind(v: u32) -> Self {
        i64::from(v)
    }
}

/// `$f`, the decoded operand named `$name`, or `v` instead when `F` names that operand
/// (see [`via`]). The name comes twice: once to match, once with the caller's hygiene.
macro_rules! via_operand {
    (@pick $F:ident, $v:ident, $name:literal, $f:ident) => {
        if $F == const { via::of($name) } {
            Rebind::rebind($v)
        } else {
            $f
        }
    };
    ($F:ident, $v:ident, a $f:ident) => { via_operand!(@pick $F, $v, "a", $f) };
    ($F:ident, $v:ident, b $f:ident) => { via_operand!(@pick $F, $v, "b", $f) };
    ($F:ident, $v:ident, cond $f:ident) => { via_operand!(@pick $F, $v, "cond", $f) };
    ($F:ident, $v:ident, addr $f:ident) => { via_operand!(@pick $F, $v, "addr", $f) };
    ($F:ident, $v:ident, src $f:ident) => { via_operand!(@pick $F, $v, "src", $f) };
    ($F:ident, $v:ident, value $f:ident) => { via_operand!(@pick $F, $v, "value", $f) };
    ($F:ident, $v:ident, $other:ident $f:ident) => { $f };
}

/// Stores the decoded operand `$f` in `$out` (an `Option<u32>`) if its name is `$name`:
/// the stats build's view of an op's `dst` and of the operands of [`via`].
#[allow(unused_macros)]
macro_rules! operand_named {
    (@set $out:ident, $f:ident) => { $out = Some($f as u32) };
    (dst, $out:ident, dst $f:ident) => { operand_named!(@set $out, $f) };
    (a, $out:ident, a $f:ident) => { operand_named!(@set $out, $f) };
    (b, $out:ident, b $f:ident) => { operand_named!(@set $out, $f) };
    (cond, $out:ident, cond $f:ident) => { operand_named!(@set $out, $f) };
    (addr, $out:ident, addr $f:ident) => { operand_named!(@set $out, $f) };
    (src, $out:ident, src $f:ident) => { operand_named!(@set $out, $f) };
    (value, $out:ident, value $f:ident) => { operand_named!(@set $out, $f) };
    ($name:ident, $out:ident, $other:ident $f:ident) => {};
}

/// Defines `exec_<name>` with the standard prologue: decode the operands listed, point
/// `ip` at the next op, count the op, then run `$body`.
macro_rules! op_fn {
    ($name:ident $Code:ident ($r:ident, $c:ident) { $( $field:ident : $fty:ty ),* } => $body:expr) => {
        #[inline(always)]
        pub unsafe fn $name<E: Encoding>($r: &mut Regs, $c: &mut Ctx, op: Ip) -> Step {
            paste::paste! { [<$name _via>]::<E, { via::NONE }>($r, $c, op, 0) }
        }

        paste::paste! {
            /// The op's function, with its operand `F` (of [`via`]; `NONE`: none) taken
            /// to be `v` rather than the decoded one: as a chained pair's second op, whose
            /// operand the encoder checked to equal `v`, the first op's `dst`, it lets
            /// LLVM forward the stored result to this op's read of the slot instead of
            /// loading it back. Every other op runs it with `NONE`, which inlines to the
            /// plain decode: every executor's code stays what it was (section 23).
            #[inline(always)]
            #[allow(unused_mut, unused_variables, unused_assignments, non_snake_case)]
            pub unsafe fn [<$name _via>]<E: Encoding, const F: u8>($r: &mut Regs, $c: &mut Ctx, op: Ip, v: u32) -> Step {
                let mut p = op.add(E::OP_SLOT);
                $( let $field = <$fty as Operand>::read::<E>(&mut p, op); )*
                $( let $field = via_operand!(F, v, $field $field); )*
                // Past the op's padding (`Encoding::OP_ALIGN`): a constant once inlined.
                let p = op.add((p.offset_from(op) as usize).next_multiple_of(E::OP_ALIGN));
                #[cfg(feature = "stats")]
                {
                    let mut dst = None;
                    let (mut ra, mut rb, mut rcond) = (None, None, None);
                    let (mut raddr, mut rsrc, mut rvalue) = (None, None, None);
                    $(
                        operand_named!(dst, dst, $field $field);
                        operand_named!(a, ra, $field $field);
                        operand_named!(b, rb, $field $field);
                        operand_named!(cond, rcond, $field $field);
                        operand_named!(addr, raddr, $field $field);
                        operand_named!(src, rsrc, $field $field);
                        operand_named!(value, rvalue, $field $field);
                    )*
                    count_chain($c, OpCode::$Code, op, dst, [ra, rb, rcond, raddr, rsrc, rvalue]);
                }
                count($c, OpCode::$Code, op, p);
                $r.ip = p;
                $body
            }

            /// The op's `dst` operand, decoded from the op at `op` (0 for an op without
            /// one: the encoder chains only ops that have it).
            #[inline(always)]
            #[allow(dead_code, non_snake_case, unused_mut, unused_variables, unused_assignments)]
            pub unsafe fn [<$name _dst>]<E: Encoding>(op: Ip) -> u32 {
                let mut p = op.add(E::OP_SLOT);
                let mut d = None;
                $(
                    let $field = <$fty as Operand>::read::<E>(&mut p, op);
                    operand_named!(dst, d, $field $field);
                )*
                d.unwrap_or(0)
            }

            /// Where the op at `op` falls through to: the `ip` its function sets before
            /// running the op (a constant offset once inlined, except for `br_table`).
            /// A concatenated pair compares it with the `ip` the op left, to run the
            /// second op only when the first did not branch.
            #[inline(always)]
            #[allow(dead_code, non_snake_case, unused_mut, unused_variables)]
            pub unsafe fn [<$name _next>]<E: Encoding>(op: Ip) -> Ip {
                let mut p = op.add(E::OP_SLOT);
                $( let $field = <$fty as Operand>::read::<E>(&mut p, op); )*
                op.add((p.offset_from(op) as usize).next_multiple_of(E::OP_ALIGN))
            }
        }
    };
}

/// A numeric function made fallible, so one generic helper serves both kinds.
macro_rules! ok1 {
    ($f:path) => {
        |a| Ok($f(a))
    };
}
macro_rules! ok2 {
    ($f:path) => {
        |a, b| Ok($f(a, b))
    };
}

// The register-IR shape names here (`S`, `Ss`, `Si`, `Is`, `I`, `BrSs`, `BrSi`) must match
// `weft_ir::for_each_op_flat!`.
macro_rules! define_op_fns {
    (
        unary { $( $UName:ident $uname:ident ($ua:ty) -> $ur:ty; )* }
        unary_trap { $( $TName:ident $tname:ident ($ta:ty) -> $tr:ty; )* }
        binary { $( $BName:ident $bname:ident ($ba:ty, $bb:ty) -> $br:ty; )* }
        binary_trap { $( $QName:ident $qname:ident ($qa:ty, $qb:ty) -> $qr:ty; )* }
        load { $( $LName:ident $lname:ident $lm:ty => $lr:ty; )* }
        store { $( $SName:ident $sname:ident $sv:ty => $sm:ty; )* }
        branch_cmp { $( $CName:ident $cname:ident ($ct:ty); )* }
        other { $( $(#[doc = $doc:literal])* $OName:ident $oname:ident { $( $field:ident : $fty:ty ),* }; )* }
    ) => { paste::paste! {
        $(
            op_fn!([<exec_ $uname>] $UName (r, c) {} => sem::unary::<$ua, $ur>(r, numeric::$uname));
            op_fn!([<exec_ $uname _s>] [<$UName S>] (r, c) { dst: u32, a: u32 }
                => sem::unary_s::<$ua, $ur>(r, dst, a, ok1!(numeric::$uname)));
            op_fn!([<exec_ $uname _as>] [<$UName As>] (r, c) { a: u32 }
                => sem::unary_p::<$ua, $ur>(r, Acc, Slot(a), ok1!(numeric::$uname)));
            op_fn!([<exec_ $uname _aa>] [<$UName Aa>] (r, c) {}
                => sem::unary_p::<$ua, $ur>(r, Acc, Acc, ok1!(numeric::$uname)));
            op_fn!([<exec_ $uname _sa>] [<$UName Sa>] (r, c) { dst: u32 }
                => sem::unary_p::<$ua, $ur>(r, Slot(dst), Acc, ok1!(numeric::$uname)));
        )*
        $(
            op_fn!([<exec_ $tname>] $TName (r, c) {} => sem::unary_trap::<$ta, $tr>(r, numeric::$tname));
            op_fn!([<exec_ $tname _s>] [<$TName S>] (r, c) { dst: u32, a: u32 }
                => sem::unary_s::<$ta, $tr>(r, dst, a, numeric::$tname));
            op_fn!([<exec_ $tname _as>] [<$TName As>] (r, c) { a: u32 }
                => sem::unary_p::<$ta, $tr>(r, Acc, Slot(a), numeric::$tname));
            op_fn!([<exec_ $tname _aa>] [<$TName Aa>] (r, c) {}
                => sem::unary_p::<$ta, $tr>(r, Acc, Acc, numeric::$tname));
            op_fn!([<exec_ $tname _sa>] [<$TName Sa>] (r, c) { dst: u32 }
                => sem::unary_p::<$ta, $tr>(r, Slot(dst), Acc, numeric::$tname));
        )*
        $(
            op_fn!([<exec_ $bname>] $BName (r, c) {} => sem::binary::<$ba, $bb, $br>(r, numeric::$bname));
            op_fn!([<exec_ $bname _ss>] [<$BName Ss>] (r, c) { dst: u32, a: u32, b: u32 }
                => sem::binary_ss::<$ba, $bb, $br>(r, dst, a, b, ok2!(numeric::$bname)));
            op_fn!([<exec_ $bname _si>] [<$BName Si>] (r, c) { dst: u32, a: u32, imm: u64 }
                => sem::binary_si::<$ba, $bb, $br>(r, dst, a, imm, ok2!(numeric::$bname)));
            op_fn!([<exec_ $bname _is>] [<$BName Is>] (r, c) { dst: u32, imm: u64, b: u32 }
                => sem::binary_is::<$ba, $bb, $br>(r, dst, imm, b, ok2!(numeric::$bname)));
            op_fn!([<exec_ $bname _ass>] [<$BName Ass>] (r, c) { a: u32, b: u32 }
                => sem::binary_p::<$ba, $bb, $br>(r, Acc, Slot(a), Slot(b), ok2!(numeric::$bname)));
            op_fn!([<exec_ $bname _asi>] [<$BName Asi>] (r, c) { a: u32, imm: u64 }
                => sem::binary_p::<$ba, $bb, $br>(r, Acc, Slot(a), Imm(imm), ok2!(numeric::$bname)));
            op_fn!([<exec_ $bname _aas>] [<$BName Aas>] (r, c) { b: u32 }
                => sem::binary_p::<$ba, $bb, $br>(r, Acc, Acc, Slot(b), ok2!(numeric::$bname)));
            op_fn!([<exec_ $bname _aai>] [<$BName Aai>] (r, c) { imm: u64 }
                => sem::binary_p::<$ba, $bb, $br>(r, Acc, Acc, Imm(imm), ok2!(numeric::$bname)));
            op_fn!([<exec_ $bname _sas>] [<$BName Sas>] (r, c) { dst: u32, b: u32 }
                => sem::binary_p::<$ba, $bb, $br>(r, Slot(dst), Acc, Slot(b), ok2!(numeric::$bname)));
            op_fn!([<exec_ $bname _sai>] [<$BName Sai>] (r, c) { dst: u32, imm: u64 }
                => sem::binary_p::<$ba, $bb, $br>(r, Slot(dst), Acc, Imm(imm), ok2!(numeric::$bname)));
        )*
        $(
            op_fn!([<exec_ $qname>] $QName (r, c) {} => sem::binary_trap::<$qa, $qb, $qr>(r, numeric::$qname));
            op_fn!([<exec_ $qname _ss>] [<$QName Ss>] (r, c) { dst: u32, a: u32, b: u32 }
                => sem::binary_ss::<$qa, $qb, $qr>(r, dst, a, b, numeric::$qname));
            op_fn!([<exec_ $qname _si>] [<$QName Si>] (r, c) { dst: u32, a: u32, imm: u64 }
                => sem::binary_si::<$qa, $qb, $qr>(r, dst, a, imm, numeric::$qname));
            op_fn!([<exec_ $qname _is>] [<$QName Is>] (r, c) { dst: u32, imm: u64, b: u32 }
                => sem::binary_is::<$qa, $qb, $qr>(r, dst, imm, b, numeric::$qname));
            op_fn!([<exec_ $qname _ass>] [<$QName Ass>] (r, c) { a: u32, b: u32 }
                => sem::binary_p::<$qa, $qb, $qr>(r, Acc, Slot(a), Slot(b), numeric::$qname));
            op_fn!([<exec_ $qname _asi>] [<$QName Asi>] (r, c) { a: u32, imm: u64 }
                => sem::binary_p::<$qa, $qb, $qr>(r, Acc, Slot(a), Imm(imm), numeric::$qname));
            op_fn!([<exec_ $qname _aas>] [<$QName Aas>] (r, c) { b: u32 }
                => sem::binary_p::<$qa, $qb, $qr>(r, Acc, Acc, Slot(b), numeric::$qname));
            op_fn!([<exec_ $qname _aai>] [<$QName Aai>] (r, c) { imm: u64 }
                => sem::binary_p::<$qa, $qb, $qr>(r, Acc, Acc, Imm(imm), numeric::$qname));
            op_fn!([<exec_ $qname _sas>] [<$QName Sas>] (r, c) { dst: u32, b: u32 }
                => sem::binary_p::<$qa, $qb, $qr>(r, Slot(dst), Acc, Slot(b), numeric::$qname));
            op_fn!([<exec_ $qname _sai>] [<$QName Sai>] (r, c) { dst: u32, imm: u64 }
                => sem::binary_p::<$qa, $qb, $qr>(r, Slot(dst), Acc, Imm(imm), numeric::$qname));
        )*
        $(
            op_fn!([<exec_ $lname>] $LName (r, c) { offset: u32 }
                => sem::load::<$lm, $lr>(r, offset, |v: $lm| v as $lr));
            op_fn!([<exec_ $lname _s>] [<$LName S>] (r, c) { dst: u32, addr: u32, offset: u32 }
                => sem::load_s::<$lm, $lr>(r, dst, addr, offset, |v: $lm| v as $lr));
            op_fn!([<exec_ $lname _i>] [<$LName I>] (r, c) { dst: u32, ea: u64 }
                => sem::load_i::<$lm, $lr>(r, dst, ea, |v: $lm| v as $lr));
            op_fn!([<exec_ $lname _as>] [<$LName As>] (r, c) { addr: u32, offset: u32 }
                => sem::load_p::<$lm, $lr>(r, Acc, Some(Slot(addr)), u64::from(offset), |v: $lm| v as $lr));
            op_fn!([<exec_ $lname _aa>] [<$LName Aa>] (r, c) { offset: u32 }
                => sem::load_p::<$lm, $lr>(r, Acc, Some(Acc), u64::from(offset), |v: $lm| v as $lr));
            op_fn!([<exec_ $lname _sa>] [<$LName Sa>] (r, c) { dst: u32, offset: u32 }
                => sem::load_p::<$lm, $lr>(r, Slot(dst), Some(Acc), u64::from(offset), |v: $lm| v as $lr));
            op_fn!([<exec_ $lname _ai>] [<$LName Ai>] (r, c) { ea: u64 }
                => sem::load_p::<$lm, $lr>(r, Acc, None, ea, |v: $lm| v as $lr));
        )*
        $(
            op_fn!([<exec_ $sname>] $SName (r, c) { offset: u32 }
                => sem::store::<$sv, $sm>(r, offset, |v: $sv| v as $sm));
            op_fn!([<exec_ $sname _ss>] [<$SName Ss>] (r, c) { addr: u32, value: u32, offset: u32 }
                => sem::store_ss::<$sv, $sm>(r, addr, value, offset, |v: $sv| v as $sm));
            op_fn!([<exec_ $sname _si>] [<$SName Si>] (r, c) { addr: u32, imm: u64, offset: u32 }
                => sem::store_si::<$sv, $sm>(r, addr, imm, offset, |v: $sv| v as $sm));
            op_fn!([<exec_ $sname _is>] [<$SName Is>] (r, c) { ea: u64, value: u32 }
                => sem::store_is::<$sv, $sm>(r, ea, value, |v: $sv| v as $sm));
            op_fn!([<exec_ $sname _sa>] [<$SName Sa>] (r, c) { addr: u32, offset: u32 }
                => sem::store_p::<$sv, $sm>(r, Some(Slot(addr)), Acc, u64::from(offset), |v: $sv| v as $sm));
            op_fn!([<exec_ $sname _ia>] [<$SName Ia>] (r, c) { ea: u64 }
                => sem::store_p::<$sv, $sm>(r, None, Acc, ea, |v: $sv| v as $sm));
            op_fn!([<exec_ $sname _as>] [<$SName As>] (r, c) { value: u32, offset: u32 }
                => sem::store_p::<$sv, $sm>(r, Some(Acc), Slot(value), u64::from(offset), |v: $sv| v as $sm));
            op_fn!([<exec_ $sname _ai>] [<$SName Ai>] (r, c) { imm: u64, offset: u32 }
                => sem::store_p::<$sv, $sm>(r, Some(Acc), Imm(imm), u64::from(offset), |v: $sv| v as $sm));
        )*
        $(
            op_fn!([<exec_br_ $cname _ss>] [<Br $CName Ss>] (r, c) { target: Target, a: u32, b: u32 }
                => sem::br_cmp_ss::<$ct>(r, c, target, a, b, numeric::$cname));
            op_fn!([<exec_br_ $cname _si>] [<Br $CName Si>] (r, c) { target: Target, a: u32, imm: u64 }
                => sem::br_cmp_si::<$ct>(r, c, target, a, imm, numeric::$cname));
            op_fn!([<exec_br_ $cname _as>] [<Br $CName As>] (r, c) { target: Target, b: u32 }
                => sem::br_cmp_p::<$ct>(r, c, target, Acc, Slot(b), numeric::$cname));
            op_fn!([<exec_br_ $cname _ai>] [<Br $CName Ai>] (r, c) { target: Target, imm: u64 }
                => sem::br_cmp_p::<$ct>(r, c, target, Acc, Imm(imm), numeric::$cname));
        )*
        $(
            op_fn!([<exec_ $oname>] $OName (r, c) { $( $field: $fty ),* }
                => sem::$oname::<E>(r, c $(, $field)*));
        )*
    } };
}

use sem::Place::{Acc, Imm, Slot};
use weft_ir::{BrTable, Target};
weft_ir::for_each_op!(define_op_fns);

/// The executors' slow path (see [`Stop::Slow`](super::Stop::Slow)), shaped like an op.
#[inline(always)]
pub unsafe fn exec_slow<E: Encoding>(r: &mut Regs, c: &mut Ctx, _: Ip) -> Step {
    c.saved = *r;
    let step = sem::slow_out_of_line::<E>(c);
    *r = c.saved;
    step
}

/// `for_each_exec!(cb)` calls `cb! { Name snake_name { operands } ... }` for every op in
/// opcode order: the list an executor needs to generate its handlers or match arms, each
/// calling `exec_<snake_name>`.
macro_rules! for_each_exec {
    ($cb:ident) => {
        weft_ir::for_each_op_flat! { $cb }
    };
}
