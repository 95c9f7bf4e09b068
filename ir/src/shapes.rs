//! Wasm modules of the shapes that make a translator's cost grow faster than the code:
//! a tall operand stack, many locals, a huge `br_table`, deep block nesting, a large body.
//! Each generator takes a size `n` and returns a valid binary module exporting one
//! function `f` of type `(param i32) (result i32)`, whose body grows linearly in `n`.
//!
//! Used by the linear-time tests (`ir/tests/linear_time.rs`) and by the experiments'
//! startup suite, which reports translation time per Wasm byte as `n` grows.

/// One stress shape: its name and its generator.
pub struct Shape {
    /// Short name, used in tables.
    pub name: &'static str,
    /// The module for size `n`.
    pub build: fn(u32) -> Vec<u8>,
}

/// Every shape, in the order the tables list them.
pub const ALL: &[Shape] = &[
    Shape {
        name: "tall-stack-adds",
        build: tall_stack_adds,
    },
    Shape {
        name: "tall-stack-local-sets",
        build: tall_stack_local_sets,
    },
    Shape {
        name: "tall-stack-br-if",
        build: tall_stack_br_if,
    },
    Shape {
        name: "tall-stack-blocks",
        build: tall_stack_blocks,
    },
    Shape {
        name: "many-locals",
        build: many_locals,
    },
    Shape {
        name: "huge-br-table",
        build: huge_br_table,
    },
    Shape {
        name: "nested-blocks",
        build: nested_blocks,
    },
    Shape {
        name: "nested-rotated-loops",
        build: nested_rotated_loops,
    },
    Shape {
        name: "long-body",
        build: long_body,
    },
];

/// At most this many locals per function (wasmparser's limit).
pub const MAX_LOCALS: u32 = 50_000;

const I32: u8 = 0x7f;
const BLOCK: u8 = 0x02;
const LOOP: u8 = 0x03;
const END: u8 = 0x0b;
const BR: u8 = 0x0c;
const BR_IF: u8 = 0x0d;
const BR_TABLE: u8 = 0x0e;
const DROP: u8 = 0x1a;
const LOCAL_GET: u8 = 0x20;
const LOCAL_SET: u8 = 0x21;
const LOCAL_TEE: u8 = 0x22;
const I32_CONST: u8 = 0x41;
const I32_ADD: u8 = 0x6a;
const I32_XOR: u8 = 0x73;
const EMPTY: u8 = 0x40;

fn uleb(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn sleb(out: &mut Vec<u8>, mut v: i64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        let done = (v == 0 && byte & 0x40 == 0) || (v == -1 && byte & 0x40 != 0);
        out.push(if done { byte } else { byte | 0x80 });
        if done {
            return;
        }
    }
}

fn section(out: &mut Vec<u8>, id: u8, payload: &[u8]) {
    out.push(id);
    uleb(out, payload.len() as u64);
    out.extend_from_slice(payload);
}

/// A module with one exported function `f: (param i32) (result i32)` that declares
/// `locals` more i32 locals and has the instruction bytes `code` (without the final `end`).
fn module(locals: u32, code: &[u8]) -> Vec<u8> {
    let mut out = b"\0asm\x01\0\0\0".to_vec();
    section(&mut out, 1, &[1, 0x60, 1, I32, 1, I32]);
    section(&mut out, 3, &[1, 0]);
    section(&mut out, 7, &[1, 1, b'f', 0, 0]);
    let mut body = Vec::new();
    if locals == 0 {
        body.push(0);
    } else {
        body.push(1);
        uleb(&mut body, u64::from(locals));
        body.push(I32);
    }
    body.extend_from_slice(code);
    body.push(END);
    let mut payload = vec![1];
    uleb(&mut payload, body.len() as u64);
    payload.extend_from_slice(&body);
    section(&mut out, 10, &payload);
    out
}

fn i32_const(code: &mut Vec<u8>, v: i32) {
    code.push(I32_CONST);
    sleb(code, i64::from(v));
}

fn op_index(code: &mut Vec<u8>, op: u8, index: u32) {
    code.push(op);
    uleb(code, u64::from(index));
}

/// `n` constants, then `n - 1` adds: the operand stack `n` deep.
pub fn tall_stack_adds(n: u32) -> Vec<u8> {
    let n = n.max(1);
    let mut code = Vec::new();
    for i in 0..n {
        i32_const(&mut code, i as i32);
    }
    code.extend(std::iter::repeat_n(I32_ADD, n as usize - 1));
    module(0, &code)
}

/// `n` references to the parameter on the stack, then `n` times a write of the parameter
/// with one more reference above them (each write must look for references to it), then
/// the values folded into one.
pub fn tall_stack_local_sets(n: u32) -> Vec<u8> {
    let n = n.max(1);
    let mut code = Vec::new();
    for _ in 0..n {
        op_index(&mut code, LOCAL_GET, 0);
    }
    for i in 0..n {
        op_index(&mut code, LOCAL_GET, 0);
        i32_const(&mut code, i as i32);
        op_index(&mut code, if i % 2 == 0 { LOCAL_SET } else { LOCAL_TEE }, 0);
        if i % 2 == 1 {
            code.push(DROP);
        }
        code.push(I32_XOR);
    }
    code.extend(std::iter::repeat_n(I32_ADD, n as usize - 1));
    module(0, &code)
}

/// A block whose result is computed under `n` constants, with `n` conditional branches out
/// of it, each carrying a value that is not in the block's result slot.
pub fn tall_stack_br_if(n: u32) -> Vec<u8> {
    let n = n.max(1);
    let mut code = vec![BLOCK, I32];
    for i in 0..n {
        i32_const(&mut code, i as i32);
    }
    for i in 0..n {
        i32_const(&mut code, i as i32);
        op_index(&mut code, LOCAL_GET, 0);
        op_index(&mut code, BR_IF, 0);
        code.push(DROP);
    }
    code.extend(std::iter::repeat_n(I32_ADD, n as usize - 1));
    code.push(END);
    module(0, &code)
}

/// `n` constants, then `n` empty blocks and loops opened and closed on top of them.
pub fn tall_stack_blocks(n: u32) -> Vec<u8> {
    let n = n.max(1);
    let mut code = Vec::new();
    for i in 0..n {
        i32_const(&mut code, i as i32);
        code.extend_from_slice(&[if i % 2 == 0 { BLOCK } else { LOOP }, EMPTY, END]);
    }
    code.extend(std::iter::repeat_n(I32_ADD, n as usize - 1));
    module(0, &code)
}

/// `n` locals (at most [`MAX_LOCALS`]), each written and read.
pub fn many_locals(n: u32) -> Vec<u8> {
    let n = n.clamp(1, MAX_LOCALS - 1);
    let mut code = Vec::new();
    for i in 1..=n {
        op_index(&mut code, LOCAL_GET, i - 1);
        op_index(&mut code, LOCAL_SET, i);
    }
    for i in (0..=n).rev() {
        op_index(&mut code, LOCAL_GET, i);
    }
    code.extend(std::iter::repeat_n(I32_ADD, n as usize));
    module(n, &code)
}

/// A `br_table` of `n` targets out of two blocks and the function, each branch carrying a
/// value that is not in its destination's result slot.
pub fn huge_br_table(n: u32) -> Vec<u8> {
    let mut code = vec![BLOCK, I32, BLOCK, I32];
    i32_const(&mut code, 1);
    i32_const(&mut code, 2);
    op_index(&mut code, LOCAL_GET, 0);
    code.push(BR_TABLE);
    uleb(&mut code, u64::from(n));
    for i in 0..n {
        uleb(&mut code, u64::from(i % 3));
    }
    uleb(&mut code, 0);
    code.extend_from_slice(&[END, END]);
    module(0, &code)
}

/// `n` nested blocks (every other one a loop), a branch from the innermost out of all of
/// them, and the constant result.
pub fn nested_blocks(n: u32) -> Vec<u8> {
    let n = n.max(1);
    let mut code = Vec::new();
    for i in 0..n {
        code.extend_from_slice(&[if i % 2 == 0 { BLOCK } else { LOOP }, EMPTY]);
    }
    op_index(&mut code, LOCAL_GET, 0);
    op_index(&mut code, BR_IF, n - 1);
    code.extend(std::iter::repeat_n(END, n as usize));
    i32_const(&mut code, 7);
    module(0, &code)
}

/// `n` nested loops, each in a block, headed by an exit test (`br_if` out of its block)
/// and ended by a branch back: with fusion every back edge is rotated, which binds a label
/// inside a header emitted long before (the outer loops' after all the inner ones). For
/// translation only: called with 0, it never returns.
pub fn nested_rotated_loops(n: u32) -> Vec<u8> {
    let n = n.max(1);
    let mut code = Vec::new();
    for _ in 0..n {
        code.extend_from_slice(&[BLOCK, EMPTY, LOOP, EMPTY]);
        op_index(&mut code, LOCAL_GET, 0);
        op_index(&mut code, BR_IF, 1);
    }
    for _ in 0..n {
        op_index(&mut code, BR, 0);
        code.extend_from_slice(&[END, END]);
    }
    i32_const(&mut code, 7);
    module(0, &code)
}

/// `n` statements of a typical shape (`x = x + c; if x != 0 { y ^= x }`): a long body whose
/// stack stays low, about 16 bytes per statement.
pub fn long_body(n: u32) -> Vec<u8> {
    let mut code = Vec::new();
    for i in 0..n {
        op_index(&mut code, LOCAL_GET, 0);
        i32_const(&mut code, i as i32 & 0xff);
        code.push(I32_ADD);
        op_index(&mut code, LOCAL_TEE, 0);
        code.extend_from_slice(&[0x04, EMPTY]); // if
        op_index(&mut code, LOCAL_GET, 1);
        op_index(&mut code, LOCAL_GET, 0);
        code.push(I32_XOR);
        op_index(&mut code, LOCAL_SET, 1);
        code.push(END);
    }
    op_index(&mut code, LOCAL_GET, 1);
    module(1, &code)
}
