/* testutil.h - helpers shared by the cmocka tests. */
#ifndef GR_TESTUTIL_H
#define GR_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* A fresh empty folder under $TMPDIR; returns a malloc'd path. */
char *tu_tempdir(void);
/* rm -rf of a folder made by tu_tempdir. */
void tu_rmtree(const char *path);
/* Path under tests/data (static buffer, valid until the next call). */
const char *tu_data(const char *rel);
/* Path under ../shared/data, or NULL when it is absent (then skip). */
const char *tu_shared(const char *rel);
/* Path of a built program (greeter, greeterd). Static buffer. */
const char *tu_bin(const char *name);
/* Read a whole file into a malloc'd, NUL-terminated buffer (*len its size
 * without the NUL); fails the test when it cannot be read. */
char *tu_slurp(const char *path, size_t *len);
/* Write a whole file; returns 0 on success. */
int tu_write(const char *path, const char *text);
/* Run a shell command, capturing stdout+stderr into a malloc'd string
 * (*out, may be NULL) and returning the exit status (or -1). */
int tu_run(const char *cmd, char **out);

#endif
