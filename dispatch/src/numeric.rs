//! Semantics of the Wasm numeric operators (MVP, sign-extension and non-trapping
//! float-to-int conversions), written once for every executor to share.
//!
//! Each operator is an `#[inline(always)] pub fn` named after its instruction, with
//! `.` replaced by `_` and `/` dropped (`i64.extend_i32_u` is [`i64_extend_i32_u`]).
//!
//! Value representation:
//! - Integers are `i32`/`i64`; unsigned operators reinterpret them internally.
//!   Comparisons and tests return an `i32` that is 0 or 1.
//! - Floats are passed and returned as their bit patterns (`u32` for `f32`, `u64` for
//!   `f64`). Moving a float through an `f32`/`f64` value can quiet a signalling NaN on
//!   some targets (x87 on i686), while Wasm requires `abs`, `neg`, `copysign` and the
//!   reinterpretations to preserve NaN payloads bit for bit; those are pure bit
//!   operations here.
//! - Operators that can trap return `Result<_, TrapCode>`.

use crate::trap::TrapCode;

const F32_SIGN: u32 = 0x8000_0000;
const F32_QUIET: u32 = 0x0040_0000;
const F64_SIGN: u64 = 0x8000_0000_0000_0000;
const F64_QUIET: u64 = 0x0008_0000_0000_0000;

/// Defines each `name(args) -> ret = body;` entry as an `#[inline(always)] pub fn`.
macro_rules! ops {
    ($($name:ident($($arg:ident: $ty:ty),*) -> $ret:ty = $body:expr;)*) => {$(
        #[doc = concat!("The Wasm operator `", stringify!($name), "`.")]
        #[inline(always)]
        pub fn $name($($arg: $ty),*) -> $ret {
            $body
        }
    )*};
}

// ---------------------------------------------------------------------------------
// Helpers

#[inline(always)]
fn f32_bin(a: u32, b: u32, op: impl FnOnce(f32, f32) -> f32) -> u32 {
    op(f32::from_bits(a), f32::from_bits(b)).to_bits()
}

#[inline(always)]
fn f64_bin(a: u64, b: u64, op: impl FnOnce(f64, f64) -> f64) -> u64 {
    op(f64::from_bits(a), f64::from_bits(b)).to_bits()
}

#[inline(always)]
fn f32_cmp(a: u32, b: u32, op: impl FnOnce(f32, f32) -> bool) -> i32 {
    i32::from(op(f32::from_bits(a), f32::from_bits(b)))
}

#[inline(always)]
fn f64_cmp(a: u64, b: u64, op: impl FnOnce(f64, f64) -> bool) -> i32 {
    i32::from(op(f64::from_bits(a), f64::from_bits(b)))
}

// Software implementations of the rounding functions (libm, compiler-builtins) return
// a NaN input unchanged, which would let a signalling NaN escape; Wasm requires the
// result to be an arithmetic (quiet) NaN, so quiet it explicitly.
#[inline(always)]
fn f32_round(a: u32, op: impl FnOnce(f32) -> f32) -> u32 {
    let x = f32::from_bits(a);
    if x.is_nan() {
        a | F32_QUIET
    } else {
        op(x).to_bits()
    }
}

#[inline(always)]
fn f64_round(a: u64, op: impl FnOnce(f64) -> f64) -> u64 {
    let x = f64::from_bits(a);
    if x.is_nan() {
        a | F64_QUIET
    } else {
        op(x).to_bits()
    }
}

// Rust's `f32::min`/`max` ignore a NaN operand and may pick either zero, whereas Wasm
// propagates NaN and orders -0 below +0. Equal operands are either identical bits or
// zeros of opposite sign, so OR-ing (min) or AND-ing (max) the bits picks the right zero.
#[inline(always)]
fn f32_minmax(a: u32, b: u32, is_min: bool) -> u32 {
    let (x, y) = (f32::from_bits(a), f32::from_bits(b));
    if x.is_nan() {
        a | F32_QUIET
    } else if y.is_nan() {
        b | F32_QUIET
    } else if x == y {
        if is_min {
            a | b
        } else {
            a & b
        }
    } else if (x < y) == is_min {
        a
    } else {
        b
    }
}

#[inline(always)]
fn f64_minmax(a: u64, b: u64, is_min: bool) -> u64 {
    let (x, y) = (f64::from_bits(a), f64::from_bits(b));
    if x.is_nan() {
        a | F64_QUIET
    } else if y.is_nan() {
        b | F64_QUIET
    } else if x == y {
        if is_min {
            a | b
        } else {
            a & b
        }
    } else if (x < y) == is_min {
        a
    } else {
        b
    }
}

// `lo` and `hi` are exclusive bounds: the nearest representable values whose truncation
// falls outside the target range. Within them the saturating `as` cast is exact.
#[inline(always)]
fn f32_trunc_checked<T>(
    a: u32,
    lo: f32,
    hi: f32,
    cast: impl FnOnce(f32) -> T,
) -> Result<T, TrapCode> {
    let x = f32::from_bits(a);
    if x > lo && x < hi {
        Ok(cast(x))
    } else if x.is_nan() {
        Err(TrapCode::BadConversionToInteger)
    } else {
        Err(TrapCode::IntegerOverflow)
    }
}

#[inline(always)]
fn f64_trunc_checked<T>(
    a: u64,
    lo: f64,
    hi: f64,
    cast: impl FnOnce(f64) -> T,
) -> Result<T, TrapCode> {
    let x = f64::from_bits(a);
    if x > lo && x < hi {
        Ok(cast(x))
    } else if x.is_nan() {
        Err(TrapCode::BadConversionToInteger)
    } else {
        Err(TrapCode::IntegerOverflow)
    }
}

// ---------------------------------------------------------------------------------
// i32

ops! {
    i32_eqz(a: i32) -> i32 = i32::from(a == 0);
    i32_eq(a: i32, b: i32) -> i32 = i32::from(a == b);
    i32_ne(a: i32, b: i32) -> i32 = i32::from(a != b);
    i32_lt_s(a: i32, b: i32) -> i32 = i32::from(a < b);
    i32_lt_u(a: i32, b: i32) -> i32 = i32::from((a as u32) < (b as u32));
    i32_gt_s(a: i32, b: i32) -> i32 = i32::from(a > b);
    i32_gt_u(a: i32, b: i32) -> i32 = i32::from((a as u32) > (b as u32));
    i32_le_s(a: i32, b: i32) -> i32 = i32::from(a <= b);
    i32_le_u(a: i32, b: i32) -> i32 = i32::from((a as u32) <= (b as u32));
    i32_ge_s(a: i32, b: i32) -> i32 = i32::from(a >= b);
    i32_ge_u(a: i32, b: i32) -> i32 = i32::from((a as u32) >= (b as u32));

    i32_clz(a: i32) -> i32 = a.leading_zeros() as i32;
    i32_ctz(a: i32) -> i32 = a.trailing_zeros() as i32;
    i32_popcnt(a: i32) -> i32 = a.count_ones() as i32;

    i32_add(a: i32, b: i32) -> i32 = a.wrapping_add(b);
    i32_sub(a: i32, b: i32) -> i32 = a.wrapping_sub(b);
    i32_mul(a: i32, b: i32) -> i32 = a.wrapping_mul(b);
    i32_div_s(a: i32, b: i32) -> Result<i32, TrapCode> = match b {
        0 => Err(TrapCode::IntegerDivisionByZero),
        _ => a.checked_div(b).ok_or(TrapCode::IntegerOverflow),
    };
    i32_div_u(a: i32, b: i32) -> Result<i32, TrapCode> = (a as u32)
        .checked_div(b as u32)
        .map(|q| q as i32)
        .ok_or(TrapCode::IntegerDivisionByZero);
    // `MIN % -1` overflows in Rust but is defined as 0 in Wasm, which `wrapping_rem` gives.
    i32_rem_s(a: i32, b: i32) -> Result<i32, TrapCode> = match b {
        0 => Err(TrapCode::IntegerDivisionByZero),
        _ => Ok(a.wrapping_rem(b)),
    };
    i32_rem_u(a: i32, b: i32) -> Result<i32, TrapCode> = (a as u32)
        .checked_rem(b as u32)
        .map(|r| r as i32)
        .ok_or(TrapCode::IntegerDivisionByZero);

    i32_and(a: i32, b: i32) -> i32 = a & b;
    i32_or(a: i32, b: i32) -> i32 = a | b;
    i32_xor(a: i32, b: i32) -> i32 = a ^ b;
    // The `wrapping_` shifts and `rotate_` take the count modulo the width, as Wasm does.
    i32_shl(a: i32, b: i32) -> i32 = a.wrapping_shl(b as u32);
    i32_shr_s(a: i32, b: i32) -> i32 = a.wrapping_shr(b as u32);
    i32_shr_u(a: i32, b: i32) -> i32 = (a as u32).wrapping_shr(b as u32) as i32;
    i32_rotl(a: i32, b: i32) -> i32 = a.rotate_left(b as u32);
    i32_rotr(a: i32, b: i32) -> i32 = a.rotate_right(b as u32);

    i32_extend8_s(a: i32) -> i32 = i32::from(a as i8);
    i32_extend16_s(a: i32) -> i32 = i32::from(a as i16);
}

// ---------------------------------------------------------------------------------
// i64

ops! {
    i64_eqz(a: i64) -> i32 = i32::from(a == 0);
    i64_eq(a: i64, b: i64) -> i32 = i32::from(a == b);
    i64_ne(a: i64, b: i64) -> i32 = i32::from(a != b);
    i64_lt_s(a: i64, b: i64) -> i32 = i32::from(a < b);
    i64_lt_u(a: i64, b: i64) -> i32 = i32::from((a as u64) < (b as u64));
    i64_gt_s(a: i64, b: i64) -> i32 = i32::from(a > b);
    i64_gt_u(a: i64, b: i64) -> i32 = i32::from((a as u64) > (b as u64));
    i64_le_s(a: i64, b: i64) -> i32 = i32::from(a <= b);
    i64_le_u(a: i64, b: i64) -> i32 = i32::from((a as u64) <= (b as u64));
    i64_ge_s(a: i64, b: i64) -> i32 = i32::from(a >= b);
    i64_ge_u(a: i64, b: i64) -> i32 = i32::from((a as u64) >= (b as u64));

    i64_clz(a: i64) -> i64 = i64::from(a.leading_zeros());
    i64_ctz(a: i64) -> i64 = i64::from(a.trailing_zeros());
    i64_popcnt(a: i64) -> i64 = i64::from(a.count_ones());

    i64_add(a: i64, b: i64) -> i64 = a.wrapping_add(b);
    i64_sub(a: i64, b: i64) -> i64 = a.wrapping_sub(b);
    i64_mul(a: i64, b: i64) -> i64 = a.wrapping_mul(b);
    i64_div_s(a: i64, b: i64) -> Result<i64, TrapCode> = match b {
        0 => Err(TrapCode::IntegerDivisionByZero),
        _ => a.checked_div(b).ok_or(TrapCode::IntegerOverflow),
    };
    i64_div_u(a: i64, b: i64) -> Result<i64, TrapCode> = (a as u64)
        .checked_div(b as u64)
        .map(|q| q as i64)
        .ok_or(TrapCode::IntegerDivisionByZero);
    i64_rem_s(a: i64, b: i64) -> Result<i64, TrapCode> = match b {
        0 => Err(TrapCode::IntegerDivisionByZero),
        _ => Ok(a.wrapping_rem(b)),
    };
    i64_rem_u(a: i64, b: i64) -> Result<i64, TrapCode> = (a as u64)
        .checked_rem(b as u64)
        .map(|r| r as i64)
        .ok_or(TrapCode::IntegerDivisionByZero);

    i64_and(a: i64, b: i64) -> i64 = a & b;
    i64_or(a: i64, b: i64) -> i64 = a | b;
    i64_xor(a: i64, b: i64) -> i64 = a ^ b;
    // Truncating the count to `u32` keeps its low six bits, all that the shift uses.
    i64_shl(a: i64, b: i64) -> i64 = a.wrapping_shl(b as u32);
    i64_shr_s(a: i64, b: i64) -> i64 = a.wrapping_shr(b as u32);
    i64_shr_u(a: i64, b: i64) -> i64 = (a as u64).wrapping_shr(b as u32) as i64;
    i64_rotl(a: i64, b: i64) -> i64 = a.rotate_left(b as u32);
    i64_rotr(a: i64, b: i64) -> i64 = a.rotate_right(b as u32);

    i64_extend8_s(a: i64) -> i64 = i64::from(a as i8);
    i64_extend16_s(a: i64) -> i64 = i64::from(a as i16);
    i64_extend32_s(a: i64) -> i64 = i64::from(a as i32);
}

// ---------------------------------------------------------------------------------
// f32

ops! {
    f32_eq(a: u32, b: u32) -> i32 = f32_cmp(a, b, |x, y| x == y);
    f32_ne(a: u32, b: u32) -> i32 = f32_cmp(a, b, |x, y| x != y);
    f32_lt(a: u32, b: u32) -> i32 = f32_cmp(a, b, |x, y| x < y);
    f32_gt(a: u32, b: u32) -> i32 = f32_cmp(a, b, |x, y| x > y);
    f32_le(a: u32, b: u32) -> i32 = f32_cmp(a, b, |x, y| x <= y);
    f32_ge(a: u32, b: u32) -> i32 = f32_cmp(a, b, |x, y| x >= y);

    f32_abs(a: u32) -> u32 = a & !F32_SIGN;
    f32_neg(a: u32) -> u32 = a ^ F32_SIGN;
    f32_copysign(a: u32, b: u32) -> u32 = (a & !F32_SIGN) | (b & F32_SIGN);
    f32_ceil(a: u32) -> u32 = f32_round(a, f32::ceil);
    f32_floor(a: u32) -> u32 = f32_round(a, f32::floor);
    f32_trunc(a: u32) -> u32 = f32_round(a, f32::trunc);
    f32_nearest(a: u32) -> u32 = f32_round(a, f32::round_ties_even);
    f32_sqrt(a: u32) -> u32 = f32::from_bits(a).sqrt().to_bits();

    f32_add(a: u32, b: u32) -> u32 = f32_bin(a, b, |x, y| x + y);
    f32_sub(a: u32, b: u32) -> u32 = f32_bin(a, b, |x, y| x - y);
    f32_mul(a: u32, b: u32) -> u32 = f32_bin(a, b, |x, y| x * y);
    f32_div(a: u32, b: u32) -> u32 = f32_bin(a, b, |x, y| x / y);
    f32_min(a: u32, b: u32) -> u32 = f32_minmax(a, b, true);
    f32_max(a: u32, b: u32) -> u32 = f32_minmax(a, b, false);
}

// ---------------------------------------------------------------------------------
// f64

ops! {
    f64_eq(a: u64, b: u64) -> i32 = f64_cmp(a, b, |x, y| x == y);
    f64_ne(a: u64, b: u64) -> i32 = f64_cmp(a, b, |x, y| x != y);
    f64_lt(a: u64, b: u64) -> i32 = f64_cmp(a, b, |x, y| x < y);
    f64_gt(a: u64, b: u64) -> i32 = f64_cmp(a, b, |x, y| x > y);
    f64_le(a: u64, b: u64) -> i32 = f64_cmp(a, b, |x, y| x <= y);
    f64_ge(a: u64, b: u64) -> i32 = f64_cmp(a, b, |x, y| x >= y);

    f64_abs(a: u64) -> u64 = a & !F64_SIGN;
    f64_neg(a: u64) -> u64 = a ^ F64_SIGN;
    f64_copysign(a: u64, b: u64) -> u64 = (a & !F64_SIGN) | (b & F64_SIGN);
    f64_ceil(a: u64) -> u64 = f64_round(a, f64::ceil);
    f64_floor(a: u64) -> u64 = f64_round(a, f64::floor);
    f64_trunc(a: u64) -> u64 = f64_round(a, f64::trunc);
    f64_nearest(a: u64) -> u64 = f64_round(a, f64::round_ties_even);
    f64_sqrt(a: u64) -> u64 = f64::from_bits(a).sqrt().to_bits();

    f64_add(a: u64, b: u64) -> u64 = f64_bin(a, b, |x, y| x + y);
    f64_sub(a: u64, b: u64) -> u64 = f64_bin(a, b, |x, y| x - y);
    f64_mul(a: u64, b: u64) -> u64 = f64_bin(a, b, |x, y| x * y);
    f64_div(a: u64, b: u64) -> u64 = f64_bin(a, b, |x, y| x / y);
    f64_min(a: u64, b: u64) -> u64 = f64_minmax(a, b, true);
    f64_max(a: u64, b: u64) -> u64 = f64_minmax(a, b, false);
}

// ---------------------------------------------------------------------------------
// Conversions

ops! {
    i32_wrap_i64(a: i64) -> i32 = a as i32;
    i64_extend_i32_s(a: i32) -> i64 = i64::from(a);
    i64_extend_i32_u(a: i32) -> i64 = i64::from(a as u32);

    // The lower bounds differ per source type: -2^31 - 1 is representable in f64 (so
    // -2147483648.9 truncates into range), but in f32 the next value below -2^31 is
    // -2^31 - 256, and below -2^63 it is -2^63 - 2^40 (f32) or -2^63 - 2^11 (f64).
    i32_trunc_f32_s(a: u32) -> Result<i32, TrapCode> =
        f32_trunc_checked(a, -2_147_483_904.0, 2_147_483_648.0, |x| x as i32);
    i32_trunc_f32_u(a: u32) -> Result<i32, TrapCode> =
        f32_trunc_checked(a, -1.0, 4_294_967_296.0, |x| x as u32 as i32);
    i32_trunc_f64_s(a: u64) -> Result<i32, TrapCode> =
        f64_trunc_checked(a, -2_147_483_649.0, 2_147_483_648.0, |x| x as i32);
    i32_trunc_f64_u(a: u64) -> Result<i32, TrapCode> =
        f64_trunc_checked(a, -1.0, 4_294_967_296.0, |x| x as u32 as i32);
    i64_trunc_f32_s(a: u32) -> Result<i64, TrapCode> = f32_trunc_checked(
        a, -9_223_373_136_366_403_584.0, 9_223_372_036_854_775_808.0, |x| x as i64);
    i64_trunc_f32_u(a: u32) -> Result<i64, TrapCode> =
        f32_trunc_checked(a, -1.0, 18_446_744_073_709_551_616.0, |x| x as u64 as i64);
    i64_trunc_f64_s(a: u64) -> Result<i64, TrapCode> = f64_trunc_checked(
        a, -9_223_372_036_854_777_856.0, 9_223_372_036_854_775_808.0, |x| x as i64);
    i64_trunc_f64_u(a: u64) -> Result<i64, TrapCode> =
        f64_trunc_checked(a, -1.0, 18_446_744_073_709_551_616.0, |x| x as u64 as i64);

    // Rust's float-to-int `as` saturates and maps NaN to 0, exactly as Wasm specifies.
    i32_trunc_sat_f32_s(a: u32) -> i32 = f32::from_bits(a) as i32;
    i32_trunc_sat_f32_u(a: u32) -> i32 = f32::from_bits(a) as u32 as i32;
    i32_trunc_sat_f64_s(a: u64) -> i32 = f64::from_bits(a) as i32;
    i32_trunc_sat_f64_u(a: u64) -> i32 = f64::from_bits(a) as u32 as i32;
    i64_trunc_sat_f32_s(a: u32) -> i64 = f32::from_bits(a) as i64;
    i64_trunc_sat_f32_u(a: u32) -> i64 = f32::from_bits(a) as u64 as i64;
    i64_trunc_sat_f64_s(a: u64) -> i64 = f64::from_bits(a) as i64;
    i64_trunc_sat_f64_u(a: u64) -> i64 = f64::from_bits(a) as u64 as i64;

    // Rust's int-to-float `as` rounds to nearest, ties to even, as Wasm requires.
    f32_convert_i32_s(a: i32) -> u32 = (a as f32).to_bits();
    f32_convert_i32_u(a: i32) -> u32 = (a as u32 as f32).to_bits();
    f32_convert_i64_s(a: i64) -> u32 = (a as f32).to_bits();
    f32_convert_i64_u(a: i64) -> u32 = (a as u64 as f32).to_bits();
    f64_convert_i32_s(a: i32) -> u64 = f64::from(a).to_bits();
    f64_convert_i32_u(a: i32) -> u64 = f64::from(a as u32).to_bits();
    f64_convert_i64_s(a: i64) -> u64 = (a as f64).to_bits();
    f64_convert_i64_u(a: i64) -> u64 = (a as u64 as f64).to_bits();

    // NaNs are converted by hand, keeping the sign and the high payload bits and setting
    // the quiet bit, so the result is the same on every target and a canonical NaN
    // stays canonical.
    f32_demote_f64(a: u64) -> u32 = if f64::from_bits(a).is_nan() {
        ((a >> 32) as u32 & F32_SIGN) | 0x7f80_0000 | F32_QUIET | ((a >> 29) as u32 & 0x007f_ffff)
    } else {
        (f64::from_bits(a) as f32).to_bits()
    };
    f64_promote_f32(a: u32) -> u64 = if f32::from_bits(a).is_nan() {
        (u64::from(a & F32_SIGN) << 32) | 0x7ff0_0000_0000_0000 | F64_QUIET
            | (u64::from(a & 0x007f_ffff) << 29)
    } else {
        f64::from(f32::from_bits(a)).to_bits()
    };

    i32_reinterpret_f32(a: u32) -> i32 = a as i32;
    i64_reinterpret_f64(a: u64) -> i64 = a as i64;
    f32_reinterpret_i32(a: i32) -> u32 = a as u32;
    f64_reinterpret_i64(a: i64) -> u64 = a as u64;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trap::TrapCode::{
        BadConversionToInteger as Nan, IntegerDivisionByZero as Div0, IntegerOverflow as Ovf,
    };
    use std::hint::black_box;

    fn f(x: f32) -> u32 {
        black_box(x.to_bits())
    }
    fn d(x: f64) -> u64 {
        black_box(x.to_bits())
    }
    // Test inputs reach the functions through `black_box`: with a constant visible, LLVM
    // may fold e.g. `x * 1.0` to `x` (keeping a signalling NaN), which Rust permits but
    // which would test the compiler's folding instead of what the interpreter does to
    // values it only sees at run time.
    fn snan32() -> u32 {
        black_box(0x7fa0_0001) // signalling, payload 0x200001
    }
    fn neg_snan32() -> u32 {
        black_box(0xffa0_0001)
    }
    fn snan64() -> u64 {
        black_box(0x7ff4_0000_0000_0001)
    }
    fn neg_snan64() -> u64 {
        black_box(0xfff4_0000_0000_0001)
    }
    fn is_arith_nan32(b: u32) -> bool {
        f32::from_bits(b).is_nan() && b & F32_QUIET != 0
    }
    fn is_arith_nan64(b: u64) -> bool {
        f64::from_bits(b).is_nan() && b & F64_QUIET != 0
    }

    #[test]
    fn div_rem_traps() {
        assert_eq!(i32_div_s(7, 0), Err(Div0));
        assert_eq!(i32_div_s(i32::MIN, -1), Err(Ovf));
        assert_eq!(i32_div_s(-7, 2), Ok(-3));
        assert_eq!(i32_div_u(7, 0), Err(Div0));
        assert_eq!(i32_div_u(-1, 2), Ok(0x7fff_ffff));
        assert_eq!(i32_div_u(i32::MIN, -1), Ok(0));
        assert_eq!(i32_rem_s(7, 0), Err(Div0));
        assert_eq!(i32_rem_s(i32::MIN, -1), Ok(0));
        assert_eq!(i32_rem_s(-7, 2), Ok(-1));
        assert_eq!(i32_rem_u(7, 0), Err(Div0));
        assert_eq!(i32_rem_u(-1, 10), Ok(5)); // 4294967295 % 10
        assert_eq!(i64_div_s(7, 0), Err(Div0));
        assert_eq!(i64_div_s(i64::MIN, -1), Err(Ovf));
        assert_eq!(i64_div_s(-7, 2), Ok(-3));
        assert_eq!(i64_div_u(7, 0), Err(Div0));
        assert_eq!(i64_div_u(-1, 2), Ok(i64::MAX));
        assert_eq!(i64_rem_s(7, 0), Err(Div0));
        assert_eq!(i64_rem_s(i64::MIN, -1), Ok(0));
        assert_eq!(i64_rem_s(-7, 2), Ok(-1));
        assert_eq!(i64_rem_u(7, 0), Err(Div0));
        assert_eq!(i64_rem_u(-1, 10), Ok(5)); // 18446744073709551615 % 10
    }

    #[test]
    fn integer_basics() {
        assert_eq!(i32_add(i32::MAX, 1), i32::MIN);
        assert_eq!(i32_sub(i32::MIN, 1), i32::MAX);
        assert_eq!(i32_mul(0x1000_0000, 16), 0);
        assert_eq!(i64_add(i64::MAX, 1), i64::MIN);
        assert_eq!(i64_mul(i64::MIN, -1), i64::MIN);
        assert_eq!((i32_clz(0), i32_ctz(0), i32_popcnt(-1)), (32, 32, 32));
        assert_eq!((i32_clz(1), i32_ctz(i32::MIN)), (31, 31));
        assert_eq!((i64_clz(0), i64_ctz(0), i64_popcnt(-1)), (64, 64, 64));
        assert_eq!((i64_clz(1), i64_ctz(i64::MIN)), (63, 63));
        assert_eq!(
            (i32_eqz(0), i32_eqz(5), i64_eqz(0), i64_eqz(-1)),
            (1, 0, 1, 0)
        );
        assert_eq!((i32_lt_s(-1, 0), i32_lt_u(-1, 0)), (1, 0));
        assert_eq!((i32_gt_s(-1, 0), i32_gt_u(-1, 0)), (0, 1));
        assert_eq!(
            (
                i32_le_s(-1, -1),
                i32_le_u(0, -1),
                i32_ge_s(0, -1),
                i32_ge_u(0, -1)
            ),
            (1, 1, 1, 0)
        );
        assert_eq!(
            (
                i64_lt_s(-1, 0),
                i64_lt_u(-1, 0),
                i64_gt_u(-1, 0),
                i64_ge_u(0, -1)
            ),
            (1, 0, 1, 0)
        );
        assert_eq!(
            (i32_eq(3, 3), i32_ne(3, 3), i64_eq(3, 4), i64_ne(3, 4)),
            (1, 0, 0, 1)
        );
    }

    #[test]
    fn shifts_take_count_mod_width() {
        assert_eq!(i32_shl(1, 32), 1);
        assert_eq!(i32_shl(1, 33), 2);
        assert_eq!(i32_shl(1, -1), i32::MIN);
        assert_eq!(i32_shr_s(i32::MIN, 63), -1);
        assert_eq!(i32_shr_u(i32::MIN, 63), 1);
        assert_eq!(i32_shr_u(-1, 32), -1);
        assert_eq!(i32_rotl(0x1234_5678, 36), 0x2345_6781);
        assert_eq!(i32_rotr(0x1234_5678, 36), 0x8123_4567_u32 as i32);
        assert_eq!(i32_rotl(1, -1), i32::MIN);
        assert_eq!(i64_shl(1, 64), 1);
        assert_eq!(i64_shl(1, 65), 2);
        assert_eq!(i64_shl(1, 0x1_0000_0001), 2);
        assert_eq!(i64_shr_s(i64::MIN, 127), -1);
        assert_eq!(i64_shr_u(i64::MIN, 127), 1);
        assert_eq!(i64_rotl(1, 65), 2);
        assert_eq!(i64_rotr(1, 65), i64::MIN);
        assert_eq!(i64_rotl(1, -1), i64::MIN);
    }

    #[test]
    fn extensions() {
        assert_eq!(i32_extend8_s(0x80), -128);
        assert_eq!(i32_extend8_s(0x1234_567f), 0x7f);
        assert_eq!(i32_extend16_s(0x8000), -32768);
        assert_eq!(i32_extend16_s(0x1234_7fff), 0x7fff);
        assert_eq!(i64_extend8_s(0x80), -128);
        assert_eq!(i64_extend16_s(0xffff), -1);
        assert_eq!(i64_extend32_s(0x8000_0000), -0x8000_0000);
        assert_eq!(i64_extend32_s(0x1_7fff_ffff), 0x7fff_ffff);
        assert_eq!(i32_wrap_i64(0x1_ffff_fffe), -2);
        assert_eq!(i64_extend_i32_s(-1), -1);
        assert_eq!(i64_extend_i32_u(-1), 0xffff_ffff);
    }

    fn ok32(r: Result<i32, TrapCode>) -> i32 {
        r.unwrap()
    }

    #[test]
    fn trunc_i32_boundaries() {
        // f32 -> i32 signed: next f32 below -2^31 is -2147483904.
        assert_eq!(i32_trunc_f32_s(f(-2_147_483_648.0)), Ok(i32::MIN));
        assert_eq!(i32_trunc_f32_s(f(-2_147_483_904.0)), Err(Ovf));
        assert_eq!(i32_trunc_f32_s(f(2_147_483_520.0)), Ok(2_147_483_520));
        assert_eq!(i32_trunc_f32_s(f(2_147_483_648.0)), Err(Ovf));
        assert_eq!(i32_trunc_f32_s(f(-1.9)), Ok(-1));
        assert_eq!(i32_trunc_f32_s(f(-0.0)), Ok(0));
        assert_eq!(i32_trunc_f32_s(f(f32::INFINITY)), Err(Ovf));
        assert_eq!(i32_trunc_f32_s(f(f32::NEG_INFINITY)), Err(Ovf));
        assert_eq!(i32_trunc_f32_s(f(f32::NAN)), Err(Nan));
        assert_eq!(i32_trunc_f32_s(neg_snan32()), Err(Nan));
        // f32 -> i32 unsigned.
        assert_eq!(i32_trunc_f32_u(f(-0.9)), Ok(0));
        assert_eq!(i32_trunc_f32_u(f(-1.0)), Err(Ovf));
        assert_eq!(i32_trunc_f32_u(f(4_294_967_040.0)), Ok(-256));
        assert_eq!(i32_trunc_f32_u(f(4_294_967_296.0)), Err(Ovf));
        assert_eq!(i32_trunc_f32_u(f(f32::NAN)), Err(Nan));
        // f64 -> i32 signed: -2^31 - 1 is exact in f64.
        assert_eq!(i32_trunc_f64_s(d(-2_147_483_648.9)), Ok(i32::MIN));
        assert_eq!(i32_trunc_f64_s(d(-2_147_483_649.0)), Err(Ovf));
        assert_eq!(i32_trunc_f64_s(d(2_147_483_647.9)), Ok(i32::MAX));
        assert_eq!(i32_trunc_f64_s(d(2_147_483_648.0)), Err(Ovf));
        assert_eq!(i32_trunc_f64_s(d(f64::NAN)), Err(Nan));
        assert_eq!(i32_trunc_f64_s(snan64()), Err(Nan));
        // f64 -> i32 unsigned.
        assert_eq!(i32_trunc_f64_u(d(-0.9)), Ok(0));
        assert_eq!(i32_trunc_f64_u(d(-1.0)), Err(Ovf));
        assert_eq!(ok32(i32_trunc_f64_u(d(4_294_967_295.9))), -1);
        assert_eq!(i32_trunc_f64_u(d(4_294_967_296.0)), Err(Ovf));
        assert_eq!(i32_trunc_f64_u(d(f64::NEG_INFINITY)), Err(Ovf));
        assert_eq!(i32_trunc_f64_u(d(-f64::NAN)), Err(Nan));
    }

    #[test]
    fn trunc_i64_boundaries() {
        // f32 -> i64 signed: next f32 below -2^63 is -2^63 - 2^40.
        assert_eq!(
            i64_trunc_f32_s(f(-9_223_372_036_854_775_808.0)),
            Ok(i64::MIN)
        );
        assert_eq!(
            i64_trunc_f32_s(f32::to_bits(-9_223_372_036_854_775_808.0f32).wrapping_add(1)),
            Err(Ovf)
        );
        assert_eq!(
            i64_trunc_f32_s(f(9_223_371_487_098_961_920.0)),
            Ok(9_223_371_487_098_961_920)
        );
        assert_eq!(i64_trunc_f32_s(f(9_223_372_036_854_775_808.0)), Err(Ovf));
        assert_eq!(i64_trunc_f32_s(f(f32::NAN)), Err(Nan));
        // f32 -> i64 unsigned.
        assert_eq!(i64_trunc_f32_u(f(-0.9)), Ok(0));
        assert_eq!(i64_trunc_f32_u(f(-1.0)), Err(Ovf));
        assert_eq!(
            i64_trunc_f32_u(f(18_446_742_974_197_923_840.0)),
            Ok(-1_099_511_627_776)
        );
        assert_eq!(i64_trunc_f32_u(f(18_446_744_073_709_551_616.0)), Err(Ovf));
        assert_eq!(i64_trunc_f32_u(snan32()), Err(Nan));
        // f64 -> i64 signed: next f64 below -2^63 is -2^63 - 2^11.
        assert_eq!(
            i64_trunc_f64_s(d(-9_223_372_036_854_775_808.0)),
            Ok(i64::MIN)
        );
        assert_eq!(i64_trunc_f64_s(d(-9_223_372_036_854_777_856.0)), Err(Ovf));
        assert_eq!(
            i64_trunc_f64_s(d(9_223_372_036_854_774_784.0)),
            Ok(9_223_372_036_854_774_784)
        );
        assert_eq!(i64_trunc_f64_s(d(9_223_372_036_854_775_808.0)), Err(Ovf));
        assert_eq!(i64_trunc_f64_s(d(f64::NAN)), Err(Nan));
        // f64 -> i64 unsigned.
        assert_eq!(i64_trunc_f64_u(d(-0.9)), Ok(0));
        assert_eq!(i64_trunc_f64_u(d(-1.0)), Err(Ovf));
        assert_eq!(i64_trunc_f64_u(d(18_446_744_073_709_549_568.0)), Ok(-2048));
        assert_eq!(i64_trunc_f64_u(d(18_446_744_073_709_551_616.0)), Err(Ovf));
        assert_eq!(i64_trunc_f64_u(d(f64::INFINITY)), Err(Ovf));
        assert_eq!(i64_trunc_f64_u(d(f64::NAN)), Err(Nan));
    }

    #[test]
    fn trunc_sat() {
        assert_eq!(i32_trunc_sat_f32_s(f(f32::NAN)), 0);
        assert_eq!(i32_trunc_sat_f32_s(f(3e9)), i32::MAX);
        assert_eq!(i32_trunc_sat_f32_s(f(-3e9)), i32::MIN);
        assert_eq!(i32_trunc_sat_f32_s(f(-1.9)), -1);
        assert_eq!(i32_trunc_sat_f32_u(f(-1.9)), 0);
        assert_eq!(i32_trunc_sat_f32_u(f(5e9)), -1);
        assert_eq!(i32_trunc_sat_f32_u(snan32()), 0);
        assert_eq!(i32_trunc_sat_f64_s(d(-2_147_483_648.9)), i32::MIN);
        assert_eq!(i32_trunc_sat_f64_s(d(f64::NEG_INFINITY)), i32::MIN);
        assert_eq!(i32_trunc_sat_f64_u(d(4_294_967_295.9)), -1);
        assert_eq!(i32_trunc_sat_f64_u(d(f64::INFINITY)), -1);
        assert_eq!(i32_trunc_sat_f64_u(d(-f64::NAN)), 0);
        assert_eq!(i64_trunc_sat_f32_s(f(f32::INFINITY)), i64::MAX);
        assert_eq!(i64_trunc_sat_f32_s(f(-1e30)), i64::MIN);
        assert_eq!(i64_trunc_sat_f32_u(f(1e30)), -1);
        assert_eq!(i64_trunc_sat_f32_u(f(-1e30)), 0);
        assert_eq!(i64_trunc_sat_f64_s(d(9.3e18)), i64::MAX);
        assert_eq!(i64_trunc_sat_f64_s(d(f64::NAN)), 0);
        assert_eq!(i64_trunc_sat_f64_u(d(1.9e19)), -1);
        assert_eq!(i64_trunc_sat_f64_u(d(-0.9)), 0);
        assert_eq!(i64_trunc_sat_f64_u(snan64()), 0);
    }

    #[test]
    fn convert_rounding() {
        // Near 2^63..2^64 the f32/f64 spacing is 2^40 / 2^11; ties go to even.
        assert_eq!(f32_convert_i64_u(-1), f(18_446_744_073_709_551_616.0));
        assert_eq!(f64_convert_i64_u(-1), d(18_446_744_073_709_551_616.0));
        assert_eq!(f64_convert_i64_u(i64::MIN), d(9_223_372_036_854_775_808.0));
        // 2^63 + 2^10 is a tie between 2^63 (even) and 2^63 + 2^11.
        assert_eq!(
            f64_convert_i64_u(0x8000_0000_0000_0400_u64 as i64),
            d(9_223_372_036_854_775_808.0)
        );
        assert_eq!(
            f64_convert_i64_u(0x8000_0000_0000_0401_u64 as i64),
            d(9_223_372_036_854_777_856.0)
        );
        // 2^63 + 3*2^10 is a tie between 2^63 + 2^11 (odd) and 2^63 + 2^12 (even).
        assert_eq!(
            f64_convert_i64_u(0x8000_0000_0000_0c00_u64 as i64),
            d(9_223_372_036_854_779_904.0)
        );
        assert_eq!(
            f32_convert_i64_u(0x8000_0080_0000_0000_u64 as i64),
            f(9_223_372_036_854_775_808.0)
        );
        assert_eq!(
            f32_convert_i64_u(0x8000_0080_0000_0001_u64 as i64),
            f(9_223_373_136_366_403_584.0)
        );
        assert_eq!(
            f32_convert_i64_u(0xffff_ff7f_ffff_ffff_u64 as i64),
            f(18_446_742_974_197_923_840.0)
        );
        // Double rounding through f64 would get this wrong: 2^53+1+2^29 lies above the f32 tie.
        assert_eq!(
            f32_convert_i64_s(0x0020_0000_2000_0001),
            f(9_007_200_328_482_816.0)
        );
        assert_eq!(
            f32_convert_i64_u(0x0020_0000_2000_0001),
            f(9_007_200_328_482_816.0)
        );
        assert_eq!(f32_convert_i64_s(i64::MIN), f(-9_223_372_036_854_775_808.0));
        assert_eq!(f32_convert_i32_s(16_777_217), f(16_777_216.0));
        assert_eq!(f32_convert_i32_s(16_777_219), f(16_777_220.0));
        assert_eq!(f32_convert_i32_u(-1), f(4_294_967_296.0));
        assert_eq!(f32_convert_i32_u(i32::MIN), f(2_147_483_648.0));
        assert_eq!(f64_convert_i32_s(i32::MIN), d(-2_147_483_648.0));
        assert_eq!(f64_convert_i32_u(-1), d(4_294_967_295.0));
        assert_eq!(
            f64_convert_i64_s(9_007_199_254_740_993),
            d(9_007_199_254_740_992.0)
        );
    }

    #[test]
    fn nearest_and_rounding() {
        for (x, want) in [
            (0.5, 0.0),
            (1.5, 2.0),
            (2.5, 2.0),
            (-2.5, -2.0),
            (-0.5, -0.0),
            (-0.0, -0.0),
            (0.0, 0.0),
            (-3.5, -4.0),
            (4_194_303.5, 4_194_304.0),
            (8_388_609.0, 8_388_609.0),
        ] {
            assert_eq!(f32_nearest(f(x)), f(want), "f32.nearest {x}");
            assert_eq!(
                f64_nearest(d(f64::from(x))),
                d(f64::from(want)),
                "f64.nearest {x}"
            );
        }
        assert_eq!(
            f64_nearest(d(4_503_599_627_370_495.5)),
            d(4_503_599_627_370_496.0)
        );
        assert_eq!(f32_ceil(f(-0.5)), f(-0.0));
        assert_eq!(f64_ceil(d(-0.5)), d(-0.0));
        assert_eq!(f32_floor(f(0.5)), f(0.0));
        assert_eq!(f32_floor(f(-0.5)), f(-1.0));
        assert_eq!(f64_floor(d(-0.0)), d(-0.0));
        assert_eq!(f32_trunc(f(-0.9)), f(-0.0));
        assert_eq!(f64_trunc(d(-1.9)), d(-1.0));
        for op in [f32_ceil, f32_floor, f32_trunc, f32_nearest, f32_sqrt] {
            assert!(is_arith_nan32(op(snan32())));
            assert!(is_arith_nan32(op(neg_snan32())));
        }
        for op in [f64_ceil, f64_floor, f64_trunc, f64_nearest, f64_sqrt] {
            assert!(is_arith_nan64(op(snan64())));
            assert!(is_arith_nan64(op(neg_snan64())));
        }
        assert!(is_arith_nan32(f32_sqrt(f(-1.0))));
        assert_eq!(f64_sqrt(d(-0.0)), d(-0.0));
    }

    #[test]
    fn min_max() {
        assert_eq!(f32_min(f(-0.0), f(0.0)), f(-0.0));
        assert_eq!(f32_min(f(0.0), f(-0.0)), f(-0.0));
        assert_eq!(f32_max(f(-0.0), f(0.0)), f(0.0));
        assert_eq!(f32_max(f(0.0), f(-0.0)), f(0.0));
        assert_eq!(f32_min(f(-0.0), f(-0.0)), f(-0.0));
        assert_eq!(f32_max(f(-0.0), f(-0.0)), f(-0.0));
        assert_eq!(f32_min(f(1.0), f(2.0)), f(1.0));
        assert_eq!(f32_max(f(1.0), f(2.0)), f(2.0));
        assert_eq!(f32_min(f(f32::NEG_INFINITY), f(-1.0)), f(f32::NEG_INFINITY));
        assert_eq!(f64_min(d(-0.0), d(0.0)), d(-0.0));
        assert_eq!(f64_min(d(0.0), d(-0.0)), d(-0.0));
        assert_eq!(f64_max(d(-0.0), d(0.0)), d(0.0));
        assert_eq!(f64_max(d(0.0), d(-0.0)), d(0.0));
        assert_eq!(f64_min(d(3.0), d(-2.0)), d(-2.0));
        assert_eq!(f64_max(d(3.0), d(-2.0)), d(3.0));
        for (a, b) in [
            (snan32(), f(1.0)),
            (f(1.0), snan32()),
            (neg_snan32(), f(0.0)),
            (f(f32::NAN), snan32()),
        ] {
            assert!(is_arith_nan32(f32_min(a, b)));
            assert!(is_arith_nan32(f32_max(a, b)));
        }
        // A canonical NaN input yields a canonical NaN.
        assert_eq!(
            f32_min(f(1.0), black_box(0x7fc0_0000)) & 0x7fff_ffff,
            0x7fc0_0000
        );
        for (a, b) in [
            (snan64(), d(1.0)),
            (d(1.0), snan64()),
            (neg_snan64(), d(-0.0)),
            (d(f64::NAN), d(f64::NAN)),
        ] {
            assert!(is_arith_nan64(f64_min(a, b)));
            assert!(is_arith_nan64(f64_max(a, b)));
        }
    }

    #[test]
    fn sign_ops_preserve_nan_payload() {
        assert_eq!(f32_neg(snan32()), neg_snan32());
        assert_eq!(f32_abs(neg_snan32()), snan32());
        assert_eq!(f32_copysign(snan32(), f(-1.0)), neg_snan32());
        assert_eq!(f32_copysign(neg_snan32(), f(0.0)), snan32());
        assert_eq!(f32_copysign(f(2.0), neg_snan32()), f(-2.0));
        assert_eq!(f32_neg(f(0.0)), f(-0.0));
        assert_eq!(f32_abs(f(-0.0)), f(0.0));
        assert_eq!(f64_neg(snan64()), neg_snan64());
        assert_eq!(f64_abs(neg_snan64()), snan64());
        assert_eq!(f64_copysign(snan64(), d(-1.0)), neg_snan64());
        assert_eq!(f64_copysign(d(2.0), neg_snan64()), d(-2.0));
        assert_eq!(f64_neg(d(0.0)), d(-0.0));
        assert_eq!(i32_reinterpret_f32(neg_snan32()), neg_snan32() as i32);
        assert_eq!(f32_reinterpret_i32(neg_snan32() as i32), neg_snan32());
        assert_eq!(i64_reinterpret_f64(neg_snan64()), neg_snan64() as i64);
        assert_eq!(f64_reinterpret_i64(neg_snan64() as i64), neg_snan64());
    }

    #[test]
    fn float_arith_and_compare() {
        assert_eq!(f32_add(f(0.1), f(0.2)), f(0.1 + 0.2));
        assert_eq!(f32_sub(f(-0.0), f(0.0)), f(-0.0));
        assert_eq!(f32_mul(f(-0.0), f(5.0)), f(-0.0));
        assert_eq!(f32_div(f(1.0), f(-0.0)), f(f32::NEG_INFINITY));
        assert_eq!(f64_add(d(0.1), d(0.2)), d(0.1 + 0.2));
        assert_eq!(f64_div(d(1.0), d(3.0)), d(1.0 / 3.0));
        assert!(is_arith_nan32(f32_add(snan32(), f(1.0))));
        assert!(is_arith_nan64(f64_mul(snan64(), d(1.0))));
        assert!(is_arith_nan32(f32_div(f(0.0), f(0.0))));
        assert_eq!((f32_eq(f(0.0), f(-0.0)), f32_ne(f(0.0), f(-0.0))), (1, 0));
        assert_eq!(
            (f32_eq(snan32(), snan32()), f32_ne(snan32(), snan32())),
            (0, 1)
        );
        let nan = d(f64::NAN);
        let one = d(1.0);
        assert_eq!(
            (
                f64_lt(nan, one),
                f64_gt(nan, one),
                f64_le(nan, nan),
                f64_ge(one, nan)
            ),
            (0, 0, 0, 0)
        );
        assert_eq!(
            (
                f64_lt(d(-0.0), d(0.0)),
                f64_le(d(-0.0), d(0.0)),
                f64_ge(d(0.0), d(-0.0))
            ),
            (0, 1, 1)
        );
        assert_eq!(
            (
                f32_lt(f(1.0), f(2.0)),
                f32_gt(f(1.0), f(2.0)),
                f32_le(f(2.0), f(2.0)),
                f32_ge(f(1.0), f(2.0))
            ),
            (1, 0, 1, 0)
        );
        assert_eq!((f64_eq(one, one), f64_ne(one, one)), (1, 0));
    }

    #[test]
    fn demote_promote() {
        assert_eq!(f32_demote_f64(d(1.0)), f(1.0));
        assert_eq!(f32_demote_f64(d(-0.0)), f(-0.0));
        assert_eq!(f32_demote_f64(d(1e300)), f(f32::INFINITY));
        assert_eq!(f32_demote_f64(d(1e-300)), f(0.0));
        // Round to nearest even: 1 + 2^-24 is a tie between 1 and 1 + 2^-23.
        assert_eq!(f32_demote_f64(d(1.0 + 2f64.powi(-24))), f(1.0));
        assert_eq!(
            f32_demote_f64(d(1.0 + 3.0 * 2f64.powi(-24))),
            f(1.0 + 2f32.powi(-22))
        );
        assert_eq!(
            f32_demote_f64(d(f64::from(f32::MAX) * (1.0 + 2f64.powi(-25)))),
            f(f32::MAX)
        );
        assert_eq!(
            f32_demote_f64(black_box(0x7ff8_0000_0000_0000)),
            0x7fc0_0000
        );
        assert_eq!(
            f32_demote_f64(black_box(0xfff8_0000_0000_0000)),
            0xffc0_0000
        );
        assert_eq!(f32_demote_f64(snan64()), 0x7fe0_0000);
        assert!(is_arith_nan32(f32_demote_f64(black_box(
            0x7ff0_0000_0000_0001
        ))));
        assert_eq!(f64_promote_f32(f(1.5)), d(1.5));
        assert_eq!(f64_promote_f32(f(-0.0)), d(-0.0));
        assert_eq!(f64_promote_f32(f(f32::NEG_INFINITY)), d(f64::NEG_INFINITY));
        assert_eq!(
            f64_promote_f32(0x0000_0001),
            d(f64::from(f32::from_bits(1)))
        );
        assert_eq!(
            f64_promote_f32(black_box(0x7fc0_0000)),
            0x7ff8_0000_0000_0000
        );
        assert_eq!(
            f64_promote_f32(black_box(0xffc0_0000)),
            0xfff8_0000_0000_0000
        );
        assert_eq!(f64_promote_f32(snan32()), 0x7ffc_0000_2000_0000);
    }
}
