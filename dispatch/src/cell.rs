//! Untyped 64-bit value cells and the conversions between them and Wasm values.
//!
//! Every Wasm value lives in one `Cell`: i32 and f32 bits zero-extended, i64 and f64 bits
//! as they are, references as `0` for null and `index + 1` otherwise. Because i32 and f32
//! share a layout, the reinterpret instructions need no code at all.

/// One value slot on weft's stack, in a global, or in a table.
pub type Cell = u64;

/// The cell encoding of a null reference.
pub const NULL_REF: Cell = 0;

/// A Rust type that a value cell holds.
pub trait CellValue: Copy {
    /// Reads the value from a cell.
    fn from_cell(c: Cell) -> Self;
    /// Writes the value into a cell.
    fn into_cell(self) -> Cell;
}

impl CellValue for i32 {
    #[inline(always)]
    fn from_cell(c: Cell) -> Self {
        c as u32 as i32
    }
    #[inline(always)]
    fn into_cell(self) -> Cell {
        self as u32 as Cell
    }
}

impl CellValue for u32 {
    #[inline(always)]
    fn from_cell(c: Cell) -> Self {
        c as u32
    }
    #[inline(always)]
    fn into_cell(self) -> Cell {
        self as Cell
    }
}

impl CellValue for i64 {
    #[inline(always)]
    fn from_cell(c: Cell) -> Self {
        c as i64
    }
    #[inline(always)]
    fn into_cell(self) -> Cell {
        self as Cell
    }
}

impl CellValue for u64 {
    #[inline(always)]
    fn from_cell(c: Cell) -> Self {
        c
    }
    #[inline(always)]
    fn into_cell(self) -> Cell {
        self
    }
}

/// A type that linear memory stores, little-endian, and its widening to and narrowing
/// from the value type of the load or store that uses it.
pub trait MemValue: Copy {
    /// Size in bytes.
    const SIZE: usize;
    /// Reads from `SIZE` little-endian bytes.
    ///
    /// # Safety
    /// `p` must be valid for reading `SIZE` bytes.
    unsafe fn read(p: *const u8) -> Self;
    /// Writes as `SIZE` little-endian bytes.
    ///
    /// # Safety
    /// `p` must be valid for writing `SIZE` bytes.
    unsafe fn write(self, p: *mut u8);
}

macro_rules! mem_value {
    ($($t:ty),*) => {$(
        impl MemValue for $t {
            const SIZE: usize = core::mem::size_of::<$t>();
            #[inline(always)]
            unsafe fn read(p: *const u8) -> Self {
                // SAFETY: the caller guarantees SIZE readable bytes; no alignment needed.
                <$t>::from_le_bytes(unsafe { p.cast::<[u8; core::mem::size_of::<$t>()]>().read_unaligned() })
            }
            #[inline(always)]
            unsafe fn write(self, p: *mut u8) {
                // SAFETY: the caller guarantees SIZE writable bytes; no alignment needed.
                unsafe { p.cast::<[u8; core::mem::size_of::<$t>()]>().write_unaligned(self.to_le_bytes()) }
            }
        }
    )*};
}
mem_value!(i8, u8, i16, u16, i32, u32, i64, u64);
