/* wasi-libc has no setjmp.h: longjmp needs Wasm exception handling, which neither WASI
 * preview1 nor weft has. Lua's ldo.c includes it unconditionally; lua_wasi.h replaces
 * the only uses (LUAI_THROW, LUAI_TRY), so this header is empty on purpose. */
