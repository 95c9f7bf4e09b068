//! Command-line arguments to Wasm values, parsed by parameter type.

use weft::{Val, ValType};

/// Parses `text` as a value of `ty`.
///
/// - `i32` / `i64`: decimal or `0x` hex, optionally signed; anything from the most
///   negative signed value to the largest unsigned value (which wraps, as in Wasm text).
/// - `f32` / `f64`: decimal (`1.5`, `-2e10`), `inf`, `-inf`, `nan`, `nan:0x<payload>`.
/// - `funcref` / `externref`: only `null`.
pub fn parse_val(text: &str, ty: ValType) -> Result<Val, String> {
    match ty {
        ValType::I32 => parse_int(text, 32).map(|v| Val::I32(v as u32 as i32)),
        ValType::I64 => parse_int(text, 64).map(|v| Val::I64(v as i64)),
        ValType::F32 => parse_float(text, 32).map(|b| Val::F32(b as u32)),
        ValType::F64 => parse_float(text, 64).map(Val::F64),
        ValType::FuncRef | ValType::ExternRef => {
            if text == "null" {
                Ok(Val::default_for(ty))
            } else {
                Err(format!("only `null` can be passed as {ty}"))
            }
        }
    }
}

fn split_sign(text: &str) -> (bool, &str) {
    match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    }
}

/// An integer of `bits` bits, as its two's-complement bit pattern.
fn parse_int(text: &str, bits: u32) -> Result<u64, String> {
    let (neg, digits) = split_sign(text);
    let (radix, digits) = match digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        Some(hex) => (16, hex),
        None => (10, digits),
    };
    // `from_str_radix` would accept a second sign; allow digits only.
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return Err(format!("expected an integer, got `{text}`"));
    }
    let out_of_range = || format!("`{text}` is out of range for i{bits}");
    let magnitude = u128::from_str_radix(digits, radix).map_err(|_| out_of_range())?;
    if neg {
        if magnitude > 1u128 << (bits - 1) {
            return Err(out_of_range());
        }
        Ok((magnitude as u64).wrapping_neg())
    } else {
        if magnitude >= 1u128 << bits {
            return Err(out_of_range());
        }
        Ok(magnitude as u64)
    }
}

/// A float of `bits` bits, as its bit pattern.
fn parse_float(text: &str, bits: u32) -> Result<u64, String> {
    // (mantissa bits, sign bit)
    let (frac_bits, sign_bit) = if bits == 32 {
        (23, 1u64 << 31)
    } else {
        (52, 1u64 << 63)
    };
    let exp_mask = if bits == 32 {
        0x7f80_0000u64
    } else {
        0x7ff0_0000_0000_0000
    };
    let (neg, body) = split_sign(text);
    let sign = if neg { sign_bit } else { 0 };
    let lower = body.to_ascii_lowercase();
    match lower.as_str() {
        "inf" | "infinity" => return Ok(sign | exp_mask),
        "nan" => return Ok(sign | exp_mask | (1 << (frac_bits - 1))),
        _ => {}
    }
    if let Some(payload) = lower.strip_prefix("nan:0x") {
        return match u64::from_str_radix(payload, 16) {
            Ok(p)
                if p != 0
                    && p < (1 << frac_bits)
                    && payload.chars().all(|c| c.is_ascii_hexdigit()) =>
            {
                Ok(sign | exp_mask | p)
            }
            _ => Err(format!(
                "`{text}`: a NaN payload must be between 0x1 and {:#x}",
                (1u64 << frac_bits) - 1
            )),
        };
    }
    let plausible = !body.is_empty()
        && body.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'));
    let not_a_number = || format!("expected a number, `inf`, `-inf` or `nan`, got `{text}`");
    if !plausible {
        return Err(not_a_number());
    }
    let (bits_value, infinite) = if bits == 32 {
        let v: f32 = text.parse().map_err(|_| not_a_number())?;
        (u64::from(v.to_bits()), v.is_infinite())
    } else {
        let v: f64 = text.parse().map_err(|_| not_a_number())?;
        (v.to_bits(), v.is_infinite())
    };
    if infinite {
        return Err(format!("`{text}` is out of range for f{bits}"));
    }
    Ok(bits_value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str, ty: ValType) -> String {
        parse_val(text, ty).unwrap().to_string()
    }

    #[test]
    fn integers() {
        assert_eq!(ok("42", ValType::I32), "42");
        assert_eq!(ok("-7", ValType::I32), "-7");
        assert_eq!(ok("0x10", ValType::I32), "16");
        assert_eq!(ok("-0x80000000", ValType::I32), "-2147483648");
        assert_eq!(ok("0xffffffff", ValType::I32), "-1");
        assert_eq!(ok("4294967295", ValType::I32), "-1");
        assert_eq!(
            ok("-9223372036854775808", ValType::I64),
            "-9223372036854775808"
        );
        assert_eq!(ok("18446744073709551615", ValType::I64), "-1");
        for bad in [
            "",
            "-",
            "0x",
            "+-1",
            "1.5",
            "abc",
            "0x-1",
            "4294967296",
            "-2147483649",
        ] {
            assert!(parse_val(bad, ValType::I32).is_err(), "{bad}");
        }
        assert!(parse_val("18446744073709551616", ValType::I64).is_err());
        assert!(parse_val("99999999999999999999999999999999999999999", ValType::I64).is_err());
    }

    #[test]
    fn floats() {
        assert_eq!(ok("1.5", ValType::F64), "1.5");
        assert_eq!(ok("-2.25", ValType::F32), "-2.25");
        assert_eq!(ok("1e3", ValType::F64), "1000.0");
        assert_eq!(ok("inf", ValType::F32), "inf");
        assert_eq!(ok("-inf", ValType::F64), "-inf");
        assert_eq!(ok("nan", ValType::F32), "nan:0x400000");
        assert_eq!(ok("-nan", ValType::F64), "-nan:0x8000000000000");
        assert_eq!(ok("nan:0x1", ValType::F32), "nan:0x1");
        for bad in [
            "",
            "x",
            "1.5x",
            "nan:0x0",
            "nan:0x800000",
            "1e39",
            "--1",
            "0x10",
        ] {
            assert!(parse_val(bad, ValType::F32).is_err(), "{bad}");
        }
        assert!(parse_val("1e400", ValType::F64).is_err());
    }

    #[test]
    fn references() {
        assert_eq!(ok("null", ValType::FuncRef), "null");
        assert!(parse_val("0", ValType::ExternRef).is_err());
    }
}
