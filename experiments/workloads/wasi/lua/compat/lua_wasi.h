/* Lua error handling without longjmp (see setjmp.h here): a raised Lua error prints its
 * message to stderr and aborts (a Wasm trap), instead of unwinding to the nearest
 * pcall. Scripts in this suite raise no errors; one that does fails loudly, never
 * silently. Included into every Lua source with -include. */
#include <stdio.h>
#include <stdlib.h>
#define LUAI_THROW(L, c) \
  (fprintf(stderr, "lua: %s (error raised; this WASI build cannot unwind, aborting)\n", \
           lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(non-string error)"), \
   abort())
#define LUAI_TRY(L, c, a) { a }
#define luai_jmpbuf int
