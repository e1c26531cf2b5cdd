/* The only C++ in wasm-taskwrap: libwabt's binary reader, validator, text
 * parser and text writer, behind this C interface (src/wabt_bridge.cc).
 * Built only with TW_WITH_WABT; otherwise tw_wabt_available() is false and the
 * callers report the features as unavailable. */
#ifndef TW_WABT_BRIDGE_H
#define TW_WABT_BRIDGE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tw_wabt_diag {
  uint64_t offset; /* binary input: byte offset wabt reported */
  int line;        /* text input: 1-based line, 0 if none */
  int column;      /* text input: 1-based column */
  char message[320];
} tw_wabt_diag;

typedef enum tw_wabt_status {
  TW_WABT_OK = 0,
  TW_WABT_INVALID = 1,    /* wabt rejects the module (diag says why and where) */
  TW_WABT_NOMEM = 2,
  TW_WABT_UNAVAILABLE = 3, /* built without libwabt */
  TW_WABT_UNREADABLE = 4,  /* wabt's binary reader stopped (diag says where) */
  TW_WABT_GAP = 5,         /* a valid construct wabt 1.0.32 refuses; diag names it */
  TW_WABT_CRASHED = 6,     /* libwabt aborted (in its worker process) */
  TW_WABT_STOPPED = 7,     /* the caller's stop() said so: the worker was ended */
  TW_WABT_IO = 8           /* writing the text failed (diag says why) */
} tw_wabt_status;

int tw_wabt_available(void);

/* Read and validate a binary module with every feature wabt 1.0.32 knows. */
tw_wabt_status tw_wabt_validate(const uint8_t *data, size_t size, tw_wabt_diag *diag);

/* Parse a text module and write its binary (names kept). *out is malloc'ed. */
tw_wabt_status tw_wabt_wat_to_wasm(const char *filename, const uint8_t *text, size_t size,
                                   uint8_t **out, size_t *out_size, tw_wabt_diag *diag);

/* Write a binary module as text, with its names, as wasm2wat does. *out is
 * malloc'ed and NUL-terminated. */
tw_wabt_status tw_wabt_wasm_to_wat(const uint8_t *data, size_t size, char **out,
                                   size_t *out_size, tw_wabt_diag *diag);

/* The same, written as it is made into fd (the worker process writes it
 * there: nothing of the text is held in memory). names = 0 leaves the name
 * section out. stop (may be NULL) is asked now and then while the worker
 * runs; when it returns non-zero the worker is ended (TW_WABT_STOPPED). */
tw_wabt_status tw_wabt_wasm_to_wat_fd(const uint8_t *data, size_t size, int names, int fd,
                                      int (*stop)(void), tw_wabt_diag *diag);

#ifdef __cplusplus
}
#endif

#endif
