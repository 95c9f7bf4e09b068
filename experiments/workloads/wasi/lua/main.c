/* The driver for Lua on WASI: `lua SCRIPT [ARGS...]` runs SCRIPT with the standard
 * libraries, its arguments in the global `arg` (as the stock `lua` program sets them),
 * and reports an error on stderr with exit status 1. lua-src ships the library, not the
 * stock driver (lua.c), and the stock one needs signals, which WASI lacks. */
#include <stdio.h>
#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s SCRIPT [ARGS...]\n", argv[0]);
    return 2;
  }
  lua_State *L = luaL_newstate();
  if (L == NULL) {
    fprintf(stderr, "%s: cannot create the Lua state (out of memory)\n", argv[0]);
    return 1;
  }
  luaL_openlibs(L);
  lua_createtable(L, argc - 2, 2);
  for (int i = 0; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i - 1);
  }
  lua_setglobal(L, "arg");
  int status = luaL_dofile(L, argv[1]);
  if (status != LUA_OK) {
    fprintf(stderr, "%s: %s\n", argv[0], lua_tostring(L, -1));
  }
  lua_close(L);
  return status == LUA_OK ? 0 : 1;
}
