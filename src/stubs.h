/* The WASI preview 1 stubs as data (src/stubs.c): each stub's body is one
 * instruction list, the single specification of its bytes. tw_stub_encode
 * writes a list; the verifier (verify.c) decodes the output and compares it
 * with the same list. Only the immediate shapes the stubs use exist here. */
#ifndef TW_STUBS_H
#define TW_STUBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "module.h"

#define TW_WASI_MODULE "wasi_snapshot_preview1"
typedef enum tw_stub_kind {
  TW_STUB_FD_WRITE, TW_STUB_CLOCK_TIME_GET, TW_STUB_CLOCK_RES_GET, TW_STUB_RANDOM_GET,
  TW_STUB_SIZES_ZERO, TW_STUB_SUCCESS, TW_STUB_POLL_ONEOFF, TW_STUB_PROC_EXIT,
  TW_STUB_EBADF, TW_STUB_ENOSYS, TW_STUB_NO_RESULT, TW_STUB_TRAP
} tw_stub_kind;

/* The virtual clock: first reading and step, in nanoseconds. */
#define TW_STUB_CLOCK_START INT64_C(1700000000000000000) /* 2023-11-14T22:13:20Z */
#define TW_STUB_CLOCK_STEP INT64_C(1000000)              /* 1 ms */
#define TW_STUB_RANDOM_SEED INT64_C(0x2545f4914f6cdd1d)

/* Output indices the stub bodies refer to (UINT32_MAX: none). */
typedef struct tw_stub_env {
  uint32_t output_func;   /* --stub-wasi-output import */
  uint32_t exit_global, clock_global, random_global;
} tw_stub_env;

/* The stub for import `name` of type t; *signature_mismatch when the name is
 * a known function but its type is not WASI's. */
tw_stub_kind tw_stub_classify(const tw_module *m, const uint8_t *name, size_t len,
                              const tw_functype *t, bool *signature_mismatch);
const char *tw_stub_kind_name(tw_stub_kind k);
bool tw_stub_needs_memory(tw_stub_kind k);
/* The body (locals, instructions, end) without its size. */
void tw_stub_encode(tw_buf *b, tw_stub_kind kind, const tw_stub_env *env);

/* How an instruction's immediate is encoded. */
typedef enum tw_imm {
  TW_IMM_NONE = 0,   /* the opcode alone */
  TW_IMM_U32 = 1,    /* one unsigned LEB128, minimal (local, label, global, function index) */
  TW_IMM_S32 = 2,    /* i32.const: signed LEB128, minimal */
  TW_IMM_S64 = 3,    /* i64.const: signed LEB128, minimal */
  TW_IMM_BYTE = 4,   /* one byte (a block type: 0x40) */
  TW_IMM_MEMARG = 5  /* align, offset: two unsigned LEB128, minimal (memory 0) */
} tw_imm;

/* Symbolic references to tw_stub_env, resolved when encoding or verifying. */
typedef enum tw_stub_ref {
  TW_REF_NONE = 0,
  TW_REF_OUTPUT_FUNC = 1,   /* env->output_func */
  TW_REF_EXIT_GLOBAL = 2,   /* env->exit_global */
  TW_REF_CLOCK_GLOBAL = 3,  /* env->clock_global */
  TW_REF_RANDOM_GLOBAL = 4  /* env->random_global */
} tw_stub_ref;

typedef struct tw_stub_insn {
  uint8_t op;     /* the opcode byte (no prefixed opcodes in stubs) */
  uint8_t imm;    /* tw_imm */
  uint8_t ref;    /* tw_stub_ref: the TW_IMM_U32 immediate is that env field, not `a` */
  uint8_t cond;   /* tw_stub_ref: present only when that env field is not UINT32_MAX */
  int64_t a;      /* the immediate; for TW_IMM_MEMARG the alignment (log2 bytes) */
  uint32_t b;     /* TW_IMM_MEMARG: the offset */
} tw_stub_insn;

typedef struct tw_stub_spec {
  uint32_t nlocals;          /* 0: no local declaration (`00`); else one group */
  uint8_t local_type;        /* that group's value type */
  const tw_stub_insn *code;  /* the instructions, ending with `end` */
  size_t ncode;
} tw_stub_spec;

/* The body of a stub kind (never NULL for a valid kind). */
const tw_stub_spec *tw_stub_spec_of(tw_stub_kind kind);
/* The value of a reference under env (UINT32_MAX: absent). */
uint32_t tw_stub_ref_value(const tw_stub_env *env, uint8_t ref);
/* Is the instruction part of the body under env? */
bool tw_stub_insn_present(const tw_stub_insn *i, const tw_stub_env *env);
/* The immediate of a TW_IMM_U32/S32/S64/BYTE instruction under env. */
int64_t tw_stub_insn_value(const tw_stub_insn *i, const tw_stub_env *env);

#endif /* TW_STUBS_H */
