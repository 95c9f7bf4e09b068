//! One function per op, generated from the op table: decode the operands that follow the
//! op slot, set `ip` to the next op, and run the op's semantics. Every executor calls
//! these and differs only in how it gets from one op to the next.

#![allow(clippy::missing_safety_doc)]

use super::semantics as sem;
use super::{Ctx, Regs, Step};
use crate::code::{Encoding, Ip, OpCode, Operand};
use crate::numeric;

/// Counts one executed op when the `stats` feature is on; nothing at all otherwise.
#[inline(always)]
#[allow(unused_variables)]
fn count(c: &mut Ctx, op: OpCode) {
    #[cfg(feature = "stats")]
    // SAFETY: the context's store is live and not otherwise borrowed during an op.
    unsafe {
        c.store().op_counts[op as usize] += 1;
    }
}

macro_rules! define_op_fns {
    (
        unary { $( $UName:ident $uname:ident ($ua:ty) -> $ur:ty; )* }
        unary_trap { $( $TName:ident $tname:ident ($ta:ty) -> $tr:ty; )* }
        binary { $( $BName:ident $bname:ident ($ba:ty, $bb:ty) -> $br:ty; )* }
        binary_trap { $( $QName:ident $qname:ident ($qa:ty, $qb:ty) -> $qr:ty; )* }
        load { $( $LName:ident $lname:ident $lm:ty => $lr:ty; )* }
        store { $( $SName:ident $sname:ident $sv:ty => $sm:ty; )* }
        other { $( $(#[doc = $doc:literal])* $OName:ident $oname:ident { $( $field:ident : $fty:ty ),* }; )* }
    ) => { paste::paste! {
        $(
            #[inline(always)]
            pub unsafe fn [<exec_ $uname>]<E: Encoding>(r: &mut Regs, c: &mut Ctx, op: Ip) -> Step {
                count(c, OpCode::$UName);
                r.ip = op.add(E::OP_SLOT);
                sem::unary::<$ua, $ur>(r, numeric::$uname)
            }
        )*
        $(
            #[inline(always)]
            pub unsafe fn [<exec_ $tname>]<E: Encoding>(r: &mut Regs, c: &mut Ctx, op: Ip) -> Step {
                count(c, OpCode::$TName);
                r.ip = op.add(E::OP_SLOT);
                sem::unary_trap::<$ta, $tr>(r, numeric::$tname)
            }
        )*
        $(
            #[inline(always)]
            pub unsafe fn [<exec_ $bname>]<E: Encoding>(r: &mut Regs, c: &mut Ctx, op: Ip) -> Step {
                count(c, OpCode::$BName);
                r.ip = op.add(E::OP_SLOT);
                sem::binary::<$ba, $bb, $br>(r, numeric::$bname)
            }
        )*
        $(
            #[inline(always)]
            pub unsafe fn [<exec_ $qname>]<E: Encoding>(r: &mut Regs, c: &mut Ctx, op: Ip) -> Step {
                count(c, OpCode::$QName);
                r.ip = op.add(E::OP_SLOT);
                sem::binary_trap::<$qa, $qb, $qr>(r, numeric::$qname)
            }
        )*
        $(
            #[inline(always)]
            pub unsafe fn [<exec_ $lname>]<E: Encoding>(r: &mut Regs, c: &mut Ctx, op: Ip) -> Step {
                count(c, OpCode::$LName);
                let mut p = op.add(E::OP_SLOT);
                let offset = <u32 as Operand>::read::<E>(&mut p, op);
                r.ip = p;
                sem::load::<$lm, $lr>(r, offset, |v: $lm| v as $lr)
            }
        )*
        $(
            #[inline(always)]
            pub unsafe fn [<exec_ $sname>]<E: Encoding>(r: &mut Regs, c: &mut Ctx, op: Ip) -> Step {
                count(c, OpCode::$SName);
                let mut p = op.add(E::OP_SLOT);
                let offset = <u32 as Operand>::read::<E>(&mut p, op);
                r.ip = p;
                sem::store::<$sv, $sm>(r, offset, |v: $sv| v as $sm)
            }
        )*
        $(
            #[inline(always)]
            #[allow(unused_mut)]
            pub unsafe fn [<exec_ $oname>]<E: Encoding>(r: &mut Regs, c: &mut Ctx, op: Ip) -> Step {
                count(c, OpCode::$OName);
                let mut p = op.add(E::OP_SLOT);
                $( let $field = <$fty as Operand>::read::<E>(&mut p, op); )*
                r.ip = p;
                sem::$oname::<E>(r, c $(, $field)*)
            }
        )*
    } };
}

use weft_ir::{BrTable, Target};
weft_ir::for_each_op!(define_op_fns);

/// Forwards the op table as a flat list `Name snake_name ...` to `$cb!`.
macro_rules! flatten_ops {
    (
        $cb:ident;
        unary { $( $UName:ident $uname:ident ($ua:ty) -> $ur:ty; )* }
        unary_trap { $( $TName:ident $tname:ident ($ta:ty) -> $tr:ty; )* }
        binary { $( $BName:ident $bname:ident ($ba:ty, $bb:ty) -> $br:ty; )* }
        binary_trap { $( $QName:ident $qname:ident ($qa:ty, $qb:ty) -> $qr:ty; )* }
        load { $( $LName:ident $lname:ident $lm:ty => $lr:ty; )* }
        store { $( $SName:ident $sname:ident $sv:ty => $sm:ty; )* }
        other { $( $(#[doc = $doc:literal])* $OName:ident $oname:ident { $( $field:ident : $fty:ty ),* }; )* }
    ) => {
        $cb! {
            $( $UName $uname )* $( $TName $tname )* $( $BName $bname )* $( $QName $qname )*
            $( $LName $lname )* $( $SName $sname )* $( $OName $oname )*
        }
    };
}

/// `for_each_exec!(cb)` calls `cb! { Name snake_name ... }` for every op: the list an
/// executor needs to generate its handlers or match arms, each calling `exec_<snake_name>`.
macro_rules! for_each_exec {
    ($cb:ident) => {
        weft_ir::for_each_op! { flatten_ops ! $cb; }
    };
}
