/* The instruction decoder (src/instr.c): one instruction of the spec (wasm
 * 3.0) and of the proposals binaryen and wabt implement: SIMD and relaxed
 * SIMD, threads, legacy and new exception handling, tail calls, typed
 * function references, GC, bulk memory, multi-memory and memory64. Only
 * immediates are decoded; nothing is validated beyond their encoding. The
 * named opcodes that encoders write are in opcodes.h. */
#ifndef TW_INSTR_H
#define TW_INSTR_H

#include "cursor.h"

enum { TW_NEST_NONE = 0, TW_NEST_OPEN = 1, TW_NEST_CLOSE = -1 };
typedef struct tw_instr {
  uint8_t prefix;     /* 0 for one-byte opcodes, else 0xfb 0xfc 0xfd 0xfe */
  uint32_t code;      /* the opcode byte, or the sub-opcode after a prefix */
  size_t start, end;  /* absolute offsets of the whole instruction */
  int nest;           /* TW_NEST_OPEN: block loop if try try_table;
                         TW_NEST_CLOSE: end, delegate */
  bool has_func;      /* call, return_call, ref.func: a function index */
  uint32_t func;
  size_t func_pos, func_len; /* where that index's LEB128 is */
} tw_instr;

/* Decode the instruction at c->pos; on failure the cursor is unchanged and
 * the error (TW_ERR_MALFORMED, or TW_ERR_UNSUPPORTED for an opcode the
 * decoder does not know) names the offset. */
bool tw_instr_next(tw_cursor *c, tw_instr *out);
/* Skip a body's local declarations (vec of count + value type). */
bool tw_skip_locals(tw_cursor *c);

#endif /* TW_INSTR_H */
