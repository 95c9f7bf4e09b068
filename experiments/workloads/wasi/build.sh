#!/usr/bin/env bash
# Rebuilds the WASI suite: each program for wasm32-wasip1 (-> <name>.wasm here) and
# natively, then writes every case's expected stdout (expected/<name>.<case>.stdout) from
# the NATIVE build, run on the committed inputs, so no expected output ever comes from an
# interpreter. suite.toml lists the cases; the versions below pin the sources.
#
# Needs: clang, lld, wasi-libc and libclang-rt-14-dev-wasm32 (Debian: apt-get install -y
# clang lld wasi-libc libclang-rt-14-dev-wasm32), python3 (3.11+, for tomllib), and
# `rustup target add wasm32-wasip1`. Scratch files go to $WASI_SUITE_WORK (default
# /tmp/weft-wasi-suite), outside the repository.
set -euo pipefail

LUA_SRC=551.1.0          # crates.io `lua-src`: Lua 5.4.9's C sources
LIBSQLITE3_SYS=0.40.0    # crates.io `libsqlite3-sys`: the SQLite amalgamation it bundles
PULLDOWN_CMARK=0.13.6    # crates.io `pulldown-cmark`: its own CLI, built with --locked
JAQ=1.5.1                # crates.io `jaq`: its own CLI (see below for why not --locked)
SZIP=1.0.0               # crates.io `szip`: the Snappy compressor's own CLI, --locked
# molt (Tcl): pinned in tcl/Cargo.toml and tcl/Cargo.lock. (rhai was the first choice;
# rhai 1.23.6 and 1.27.0 do not compile with rustc 1.95: its codegen's `::rhai` paths no
# longer resolve to its `extern crate self as rhai`.)

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="${WASI_SUITE_WORK:-/tmp/weft-wasi-suite}"
native="$work/native"
mkdir -p "$work" "$native"
export CARGO_TARGET_DIR="$work/target"
# The CLIs are installed as their authors ship them, but small: size-optimised, stripped.
export CARGO_PROFILE_RELEASE_OPT_LEVEL=s CARGO_PROFILE_RELEASE_STRIP=true

# --- C sources, fetched from crates.io by cargo ---------------------------------------
fetch="$work/fetch"
mkdir -p "$fetch/src"
cat > "$fetch/Cargo.toml" <<TOML
[package]
name = "fetch-sources"
version = "0.0.0"
edition = "2021"
[dependencies]
lua-src = "=$LUA_SRC"
libsqlite3-sys = { version = "=$LIBSQLITE3_SYS", features = ["bundled"] }
[workspace]
TOML
echo 'fn main() {}' > "$fetch/src/main.rs"
cargo fetch --manifest-path "$fetch/Cargo.toml"
src_of() {
    cargo metadata --manifest-path "$fetch/Cargo.toml" --format-version 1 |
        python3 -c "import json,sys,os; print(next(os.path.dirname(p['manifest_path']) for p in json.load(sys.stdin)['packages'] if p['name']=='$1'))"
}
lua="$(src_of lua-src)/lua-5.4.9"
sqlite="$(src_of libsqlite3-sys)/sqlite3"

wasi_cc=(clang --target=wasm32-wasi -O2)

# --- Lua 5.4.9 ------------------------------------------------------------------------
# WASI has no setjmp/longjmp: lua/compat makes a raised Lua error print and abort.
"${wasi_cc[@]}" -I"$here/lua/compat" -include "$here/lua/compat/lua_wasi.h" \
    -D_WASI_EMULATED_PROCESS_CLOCKS -D_WASI_EMULATED_SIGNAL -I"$lua" \
    "$here/lua/main.c" "$lua"/*.c \
    -lwasi-emulated-process-clocks -lwasi-emulated-signal -o "$here/lua.wasm"
clang -O2 -I"$lua" "$here/lua/main.c" "$lua"/*.c -lm -o "$native/lua"

# --- SQLite (the amalgamation of libsqlite3-sys) --------------------------------------
# The flags libsqlite3-sys uses for wasm32-wasi, plus no extensions and temp files in memory.
sqlite_flags=(-DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_TEMP_STORE=3)
"${wasi_cc[@]}" -Os "${sqlite_flags[@]}" -DLONGDOUBLE_TYPE=double \
    -D_WASI_EMULATED_MMAN -D_WASI_EMULATED_GETPID -D_WASI_EMULATED_SIGNAL \
    -D_WASI_EMULATED_PROCESS_CLOCKS -I"$sqlite" "$here/sqlite/main.c" "$sqlite/sqlite3.c" \
    -lwasi-emulated-mman -lwasi-emulated-getpid -lwasi-emulated-signal \
    -lwasi-emulated-process-clocks -o "$here/sqlite.wasm"
clang -O2 "${sqlite_flags[@]}" -I"$sqlite" "$here/sqlite/main.c" "$sqlite/sqlite3.c" -lm \
    -o "$native/sqlite"

# --- molt, a Tcl interpreter in Rust, through the small driver in tcl/ ------------------
cargo build --manifest-path "$here/tcl/Cargo.toml" --locked --release --target wasm32-wasip1
cp "$CARGO_TARGET_DIR/wasm32-wasip1/release/molt-run.wasm" "$here/tcl.wasm"
cargo build --manifest-path "$here/tcl/Cargo.toml" --locked --release
cp "$CARGO_TARGET_DIR/release/molt-run" "$native/tcl"

# --- Rust CLIs from crates.io, as published ---------------------------------------------
install() { # crate version bin out [cargo install flags...]
    local crate=$1 version=$2 bin=$3 out=$4
    shift 4
    cargo install "$crate@$version" --force --root "$work/wasm" --target wasm32-wasip1 "$@"
    cp "$work/wasm/bin/$bin.wasm" "$here/$out.wasm"
    cargo install "$crate@$version" --force --root "$work/host" "$@"
    cp "$work/host/bin/$bin" "$native/$out"
}
install pulldown-cmark "$PULLDOWN_CMARK" pulldown-cmark markdown --locked
# jaq 2 and 3 need a line editor (rustyline, fd-lock) that does not build for WASI. jaq
# 1.5.1's own Cargo.lock pins a `time` that no longer compiles with rustc 1.95, so it is
# built without --locked: its dependencies are the newest semver-compatible ones on the day
# of the build. Its default feature is mimalloc, a C allocator; Rust's serves the same.
install jaq "$JAQ" jaq jaq --no-default-features
install szip "$SZIP" szip szip --locked

# --- expected outputs, from the native builds -----------------------------------------
python3 "$here/expect.py" "$here" "$native"

for f in "$here"/*.wasm; do
    printf '%-14s %9d bytes\n' "$(basename "$f")" "$(wc -c < "$f")"
done
