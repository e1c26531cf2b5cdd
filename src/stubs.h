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
  TW_STUB_EBADF, TW_STUB_ENOSYS, TW_STUB_NO_RESULT, TW_STUB_TRAP,
  /* Over the embedded data (wasifs.h): only with the matching options. */
  TW_STUB_ARGS_SIZES, TW_STUB_ARGS_GET, TW_STUB_ENV_SIZES, TW_STUB_ENV_GET,
  /* Over the embedded files (src/wasifs-stubs.wat). */
  TW_STUB_FS_FD_PRESTAT_GET, TW_STUB_FS_FD_PRESTAT_DIR_NAME, TW_STUB_FS_FD_CLOSE,
  TW_STUB_FS_FD_READ, TW_STUB_FS_FD_PREAD, TW_STUB_FS_FD_SEEK, TW_STUB_FS_FD_TELL,
  TW_STUB_FS_FD_ADVISE, TW_STUB_FS_FD_FDSTAT_GET, TW_STUB_FS_FD_FILESTAT_GET,
  TW_STUB_FS_PATH_FILESTAT_GET, TW_STUB_FS_PATH_OPEN, TW_STUB_FS_FD_READDIR,
  TW_STUB_FS_FD_SYNC, TW_STUB_FS_FD_FDSTAT_SET_FLAGS, TW_STUB_FS_FD_FILESTAT_SET_TIMES,
  TW_STUB_FS_FD_ALLOCATE, TW_STUB_FS_FD_FILESTAT_SET_SIZE, TW_STUB_FS_FD_FDSTAT_SET_RIGHTS,
  TW_STUB_FS_PATH_READLINK, TW_STUB_FS_FD_RENUMBER,
  TW_STUB_FS_READONLY, TW_STUB_FS_READONLY3
} tw_stub_kind;

/* The descriptors the file stubs serve: fds 3 .. 3 + TW_WASI_SLOTS - 1, one
 * mutable i64 global each (docs/abi.md, "Embedded WASI data"). */
#define TW_WASI_SLOTS 16

/* What the module embeds, which picks the stubs that serve it. */
enum { TW_EMBED_ARGS = 1, TW_EMBED_ENV = 2, TW_EMBED_FILES = 4 };

/* The virtual clock: first reading and step, in nanoseconds. */
#define TW_STUB_CLOCK_START INT64_C(1700000000000000000) /* 2023-11-14T22:13:20Z */
#define TW_STUB_CLOCK_STEP INT64_C(1000000)              /* 1 ms */
#define TW_STUB_RANDOM_SEED INT64_C(0x2545f4914f6cdd1d)

/* Output indices the stub bodies refer to (UINT32_MAX: none). */
typedef struct tw_stub_env {
  uint32_t output_func;   /* --stub-wasi-output import */
  uint32_t exit_global, clock_global, random_global;
  /* The embedded data (wasifs.h): its passive segment and where the
   * argument and environment lists are in it. */
  uint32_t data_segment;
  uint32_t argc, args_table, args_strings, args_size;
  uint32_t envc, env_table, env_strings, env_size;
  uint32_t rom_func;      /* the embedded table's lookup function */
  uint32_t slot_global;   /* the first descriptor slot's global */
} tw_stub_env;

/* The stub for import `name` of type t, given what is embedded (TW_EMBED_*);
 * *signature_mismatch when the name is a known function but its type is not
 * WASI's. */
tw_stub_kind tw_stub_classify(const tw_module *m, const uint8_t *name, size_t len,
                              const tw_functype *t, unsigned embedded, bool *signature_mismatch);
const char *tw_stub_kind_name(tw_stub_kind k);
bool tw_stub_needs_memory(tw_stub_kind k);
/* Does the stub copy from the embedded segment (memory.init)? */
bool tw_stub_uses_data(tw_stub_kind k);
/* Is it a stub over the embedded files (its body refers to the table
 * lookup function and the descriptor slots)? */
bool tw_stub_is_fs(tw_stub_kind k);
/* The body (locals, instructions, end) without its size. */
void tw_stub_encode(tw_buf *b, tw_stub_kind kind, const tw_stub_env *env);

/* How an instruction's immediate is encoded. */
typedef enum tw_imm {
  TW_IMM_NONE = 0,   /* the opcode alone */
  TW_IMM_U32 = 1,    /* one unsigned LEB128, minimal (local, label, global, function index) */
  TW_IMM_S32 = 2,    /* i32.const: signed LEB128, minimal */
  TW_IMM_S64 = 3,    /* i64.const: signed LEB128, minimal */
  TW_IMM_BYTE = 4,   /* one byte (a block type: 0x40) */
  TW_IMM_MEMARG = 5, /* align, offset: two unsigned LEB128, minimal (memory 0) */
  /* memory.init: the opcode byte is 0xfc, then 8, the segment (minimal
   * unsigned LEB128) and memory 0 (one byte 0) */
  TW_IMM_MEMORY_INIT = 6
} tw_imm;

/* Symbolic references to tw_stub_env, resolved when encoding or verifying. */
typedef enum tw_stub_ref {
  TW_REF_NONE = 0,
  TW_REF_OUTPUT_FUNC = 1,   /* env->output_func */
  TW_REF_EXIT_GLOBAL = 2,   /* env->exit_global */
  TW_REF_CLOCK_GLOBAL = 3,  /* env->clock_global */
  TW_REF_RANDOM_GLOBAL = 4, /* env->random_global */
  TW_REF_DATA_SEGMENT = 5,  /* env->data_segment */
  TW_REF_ARGC = 6, TW_REF_ARGS_TABLE = 7, TW_REF_ARGS_STRINGS = 8, TW_REF_ARGS_SIZE = 9,
  TW_REF_ENVC = 10, TW_REF_ENV_TABLE = 11, TW_REF_ENV_STRINGS = 12, TW_REF_ENV_SIZE = 13,
  TW_REF_ROM_FUNC = 14,     /* env->rom_func */
  TW_REF_SLOT0 = 15         /* env->slot_global, plus the row's `a` (the slot) */
} tw_stub_ref;

typedef struct tw_stub_insn {
  uint8_t op;     /* the opcode byte (0xfc only with TW_IMM_MEMORY_INIT) */
  uint8_t imm;    /* tw_imm */
  uint8_t ref;    /* tw_stub_ref: the immediate is that env field plus `a` */
  uint8_t cond;   /* tw_stub_ref: present only when that env field is not UINT32_MAX */
  int64_t a;      /* the immediate; for TW_IMM_MEMARG the alignment (log2 bytes) */
  uint32_t b;     /* TW_IMM_MEMARG: the offset */
} tw_stub_insn;

typedef struct tw_stub_spec {
  uint32_t nlocals;          /* 0: no local declaration (`00`); else one group */
  uint8_t local_type;        /* that group's value type */
  const tw_stub_insn *code;  /* the instructions, ending with `end` */
  size_t ncode;
  uint32_t nlocals64;        /* non-zero: a second group of i64 locals */
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
