//! Engine-neutral Wasm values. Floats are kept as bit patterns so that comparing an
//! engine's result with the expected one is exact (NaN payloads included), as in weft's `Val`.

use std::fmt;
use std::str::FromStr;

use anyhow::{anyhow, bail, Context, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValueType {
    I32,
    I64,
    F32,
    F64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Value {
    I32(i32),
    I64(i64),
    /// Bits of an f32.
    F32(u32),
    /// Bits of an f64.
    F64(u64),
}

impl Value {
    pub fn ty(self) -> ValueType {
        match self {
            Value::I32(_) => ValueType::I32,
            Value::I64(_) => ValueType::I64,
            Value::F32(_) => ValueType::F32,
            Value::F64(_) => ValueType::F64,
        }
    }

    pub fn from_f32(x: f32) -> Self {
        Value::F32(x.to_bits())
    }

    pub fn from_f64(x: f64) -> Self {
        Value::F64(x.to_bits())
    }
}

impl fmt::Display for ValueType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ValueType::I32 => "i32",
            ValueType::I64 => "i64",
            ValueType::F32 => "f32",
            ValueType::F64 => "f64",
        })
    }
}

/// The manifest syntax, `type:literal`, such that parsing the text gives back the same bits:
/// floats print as their shortest round-tripping literal, NaNs as bits (to keep the payload).
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Value::I32(x) => write!(f, "i32:{x}"),
            Value::I64(x) => write!(f, "i64:{x}"),
            Value::F32(bits) if f32::from_bits(bits).is_nan() => write!(f, "f32:{bits:#010x}"),
            Value::F64(bits) if f64::from_bits(bits).is_nan() => write!(f, "f64:{bits:#018x}"),
            Value::F32(bits) => write!(f, "f32:{:?}", f32::from_bits(bits)),
            Value::F64(bits) => write!(f, "f64:{:?}", f64::from_bits(bits)),
        }
    }
}

/// Integers: decimal, signed or unsigned (wrapped to the type's width), or `0x` hex bits.
/// Floats: `0x` hex bits, or a decimal literal (`1.5`, `-inf`, `nan`).
impl FromStr for Value {
    type Err = anyhow::Error;

    fn from_str(text: &str) -> Result<Self> {
        let (ty, literal) = text
            .split_once(':')
            .ok_or_else(|| anyhow!("`{text}`: expected `type:literal`"))?;
        let literal = literal.trim();
        let value = match ty.trim() {
            "i32" => Value::I32(parse_int(literal, 32)? as u32 as i32),
            "i64" => Value::I64(parse_int(literal, 64)? as u64 as i64),
            "f32" => Value::F32(match hex_bits(literal)? {
                Some(bits) => u32::try_from(bits).context("f32 bits wider than 32")?,
                None => literal.parse::<f32>()?.to_bits(),
            }),
            "f64" => Value::F64(match hex_bits(literal)? {
                Some(bits) => u64::try_from(bits).context("f64 bits wider than 64")?,
                None => literal.parse::<f64>()?.to_bits(),
            }),
            other => bail!("`{text}`: unknown value type `{other}`"),
        };
        Ok(value)
    }
}

fn hex_bits(literal: &str) -> Result<Option<u128>> {
    match literal.strip_prefix("0x") {
        Some(hex) => Ok(Some(u128::from_str_radix(&hex.replace('_', ""), 16)?)),
        None => Ok(None),
    }
}

/// Accepts the union of the signed and unsigned ranges of a `bits`-wide integer.
fn parse_int(literal: &str, bits: u32) -> Result<i128> {
    let value = match hex_bits(literal)? {
        Some(bits) => bits as i128,
        None => literal
            .replace('_', "")
            .parse::<i128>()
            .with_context(|| format!("bad integer `{literal}`"))?,
    };
    let (min, max) = (-(1i128 << (bits - 1)), (1i128 << bits) - 1);
    if !(min..=max).contains(&value) {
        bail!("`{literal}` does not fit in {bits} bits");
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Value {
        text.parse().unwrap()
    }

    #[test]
    fn integers_accept_signed_unsigned_and_hex() {
        assert_eq!(v("i32:-1"), Value::I32(-1));
        assert_eq!(v("i32:4294967295"), Value::I32(-1));
        assert_eq!(v("i32:0xffff_ffff"), Value::I32(-1));
        assert_eq!(
            v("i64:-6045878379276664832"),
            Value::I64(-6045878379276664832)
        );
        assert_eq!(v("i64:18446744073709551615"), Value::I64(-1));
        assert!("i32:4294967296".parse::<Value>().is_err());
        assert!("i64:0x1_0000_0000_0000_0000".parse::<Value>().is_err());
    }

    #[test]
    fn floats_accept_literals_and_bits() {
        assert_eq!(v("f32:1.5"), Value::F32(0x3fc0_0000));
        assert_eq!(v("f32:0x7fc00001"), Value::F32(0x7fc0_0001));
        assert_eq!(v("f64:-inf"), Value::from_f64(f64::NEG_INFINITY));
        assert!("f32:0x1_0000_0000".parse::<Value>().is_err());
    }

    #[test]
    fn display_parses_back_to_the_same_bits() {
        let values = [
            Value::I32(i32::MIN),
            Value::I64(-7),
            Value::F32(0x7fc0_0001),
            Value::F64(0xfff8_0000_0000_0001),
            Value::from_f64(0.1),
            Value::from_f32(-0.0),
            Value::from_f32(f32::MIN_POSITIVE / 3.0),
            Value::from_f64(f64::NEG_INFINITY),
        ];
        for value in values {
            assert_eq!(v(&value.to_string()), value, "{value}");
        }
    }
}
