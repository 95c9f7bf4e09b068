/*
 * Test-only stand-in for Windows' bcryptprimitives.dll, for running weft's Windows test
 * binaries under wine 8, which lacks `ProcessPrng`. Rust's std imports it (to seed
 * HashMap's RandomState), so without it the loader refuses to start any Rust program.
 *
 * NOT a source of secure randomness: it fills the buffer from a xorshift generator seeded
 * from a counter and the address of a stack variable. Never ship it.
 *
 * Built by scripts/cross-test with
 *   x86_64-w64-mingw32-gcc -O2 -shared -s -o bcryptprimitives.dll bcryptprimitives.c
 * and copied beside each test executable; the run sets
 *   WINEDLLOVERRIDES=bcryptprimitives=n,b
 * so wine prefers this native DLL to any builtin one.
 */
#include <stddef.h>

typedef int BOOL;
typedef unsigned char BYTE;

static unsigned long long state;

__declspec(dllexport) BOOL __stdcall ProcessPrng(BYTE *data, size_t len)
{
    if (state == 0) {
        volatile int marker = 0;
        state = 0x9e3779b97f4a7c15ULL ^ (unsigned long long)(size_t)&marker;
    }
    for (size_t i = 0; i < len; i++) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        data[i] = (BYTE)(state >> 24);
    }
    return 1;
}
