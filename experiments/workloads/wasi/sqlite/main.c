/* The driver for SQLite on WASI: `sqlite ARG...` opens an in-memory database and runs
 * each ARG in order: `@FILE` runs the SQL in FILE, anything else is SQL itself. Rows are
 * printed as `a|b|c` lines, as the sqlite3 shell's default list mode prints them
 * (NULL as empty). An error prints `error: MESSAGE` to stderr and exits 1.
 * libsqlite3-sys ships the amalgamation, not the shell (shell.c), whose interactive
 * parts WASI cannot serve anyway. */
#include <stdio.h>
#include <stdlib.h>
#include "sqlite3.h"

static int print_row(void *unused, int n, char **values, char **names) {
  (void)unused;
  (void)names;
  for (int i = 0; i < n; i++) {
    if (i > 0) fputc('|', stdout);
    if (values[i]) fputs(values[i], stdout);
  }
  fputc('\n', stdout);
  return 0;
}

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, len = 0;
  char *buf = malloc(cap);
  size_t got;
  while (buf && (got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
    len += got;
    if (cap - len - 1 == 0) {
      char *bigger = realloc(buf, cap * 2);
      if (!bigger) { free(buf); buf = NULL; break; }
      buf = bigger;
      cap *= 2;
    }
  }
  fclose(f);
  if (buf) buf[len] = '\0';
  return buf;
}

int main(int argc, char **argv) {
  sqlite3 *db;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
    fprintf(stderr, "error: cannot open an in-memory database\n");
    return 1;
  }
  for (int i = 1; i < argc; i++) {
    char *sql = argv[i];
    char *owned = NULL;
    if (sql[0] == '@') {
      owned = sql = read_file(sql + 1);
      if (!sql) {
        fprintf(stderr, "error: cannot read %s\n", argv[i] + 1);
        return 1;
      }
    }
    char *err = NULL;
    if (sqlite3_exec(db, sql, print_row, NULL, &err) != SQLITE_OK) {
      fprintf(stderr, "error: %s\n", err ? err : "unknown");
      return 1;
    }
    free(owned);
  }
  sqlite3_close(db);
  return 0;
}
