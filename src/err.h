/* Errors (src/err.c): one record per operation, with a status, the byte
 * offset it concerns and a message; printed as `file:0xOFFSET: error: ...`.
 * The first error wins: later tw_err_set calls are ignored, so a failure
 * deep in a helper keeps its precise offset and message. */
#ifndef TW_ERR_H
#define TW_ERR_H

#include <stdbool.h>
#include <stdint.h>

#include "taskwrap.h"

typedef struct tw_err {
  tw_status code;
  uint64_t offset;
  char message[320];
} tw_err;

#if defined(__MINGW32__) /* C99's printf (__USE_MINGW_ANSI_STDIO), not msvcrt's */
#define TW_PRINTF(a, b) __attribute__((format(gnu_printf, a, b)))
#elif defined(__GNUC__)
#define TW_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define TW_PRINTF(a, b)
#endif

void tw_err_set(tw_err *err, tw_status code, uint64_t offset, const char *fmt, ...)
    TW_PRINTF(4, 5);
static inline bool tw_err_failed(const tw_err *err) { return err->code != TW_OK; }
/* The input is not a well-formed module, at byte `at`. */
#define TW_MALFORMED(err, at, ...) tw_err_set((err), TW_ERR_MALFORMED, (at), __VA_ARGS__)

#endif /* TW_ERR_H */
