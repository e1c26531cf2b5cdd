/* Internal interfaces of wasm-taskwrap. Not installed. */
#ifndef TW_INTERNAL_H
#define TW_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "taskwrap.h"

/* ---- errors -------------------------------------------------------------
 * The first error wins: later tw_err_set calls are ignored, so a failure deep
 * in a helper keeps its precise offset and message. */
typedef struct tw_err {
  tw_status code;
  uint64_t offset;
  char message[320];
} tw_err;

#if defined(__GNUC__)
#define TW_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define TW_PRINTF(a, b)
#endif

void tw_err_set(tw_err *err, tw_status code, uint64_t offset, const char *fmt, ...)
    TW_PRINTF(4, 5);
static inline bool tw_err_failed(const tw_err *err) { return err->code != TW_OK; }
/* The input is not a well-formed module, at byte `at`. */
#define TW_MALFORMED(err, at, ...) tw_err_set((err), TW_ERR_MALFORMED, (at), __VA_ARGS__)

/* ---- LEB128 --------------------------------------------------------------
 * Strict decoding as the spec's binary format requires: at most ceil(N/7)
 * bytes, and the unused bits of the last byte must be zero (unsigned) or a
 * sign extension (signed). */
typedef enum tw_leb_status {
  TW_LEB_OK = 0,
  TW_LEB_TRUNCATED = 1, /* input ended before the last byte */
  TW_LEB_OVERLONG = 2,  /* more bytes than the type allows */
  TW_LEB_OVERFLOW = 3   /* last byte has bits that do not fit the type */
} tw_leb_status;

tw_leb_status tw_leb_read_u32(const uint8_t *p, size_t avail, uint32_t *out, size_t *len);
tw_leb_status tw_leb_read_u64(const uint8_t *p, size_t avail, uint64_t *out, size_t *len);
tw_leb_status tw_leb_read_s32(const uint8_t *p, size_t avail, int32_t *out, size_t *len);
tw_leb_status tw_leb_read_s33(const uint8_t *p, size_t avail, int64_t *out, size_t *len);
tw_leb_status tw_leb_read_s64(const uint8_t *p, size_t avail, int64_t *out, size_t *len);
/* Bytes of the minimal unsigned encoding of v. */
size_t tw_leb_size_u64(uint64_t v);
/* Encode into out (at least 10 bytes); width 0 means minimal, otherwise pad
 * with 0x80 continuation bytes to exactly width bytes (width must be at least
 * the minimal size and at most 5 for u32 values). Returns the bytes written. */
size_t tw_leb_write_u64(uint8_t *out, uint64_t v, size_t width);
size_t tw_leb_write_s64(uint8_t *out, int64_t v);

/* Allocation, in one place: a zeroed array of n entries (room for one when
 * n is 0), refusing sizes that overflow; on failure a TW_ERR_NOMEM at `at`
 * naming `what`, and NULL. */
void *tw_alloc_array(size_t n, size_t elem, tw_err *err, uint64_t at, const char *what);
/* Room for entry n of *p (capacity *cap, doubling): false when out of
 * memory or past UINT32_MAX entries; *p is unchanged then. */
bool tw_grow(void **p, uint32_t *cap, uint32_t n, size_t elem);

/* "No index": an absent function, item or edit id. */
#define TW_NONE UINT32_MAX

/* ---- reader cursor -------------------------------------------------------
 * Offsets are absolute in the whole input so errors point at the right byte.
 * Every read returns false on failure, records the error, and leaves pos
 * unchanged. */
typedef struct tw_cursor {
  const uint8_t *base; /* start of the whole input */
  size_t pos;          /* absolute offset of the next byte */
  size_t end;          /* absolute offset one past the last readable byte */
  tw_err *err;
  const char **gap;    /* if set: where to note the first encoding libwabt
                          1.0.32 cannot read (for --verify=full) */
} tw_cursor;

tw_cursor tw_cursor_make(const uint8_t *base, size_t pos, size_t end, tw_err *err);
static inline size_t tw_cursor_left(const tw_cursor *c) { return c->end - c->pos; }
bool tw_read_u8_slow(tw_cursor *c, uint8_t *out, const char *what);
bool tw_read_u32_slow(tw_cursor *c, uint32_t *out, const char *what);
/* The common cases inline (decoding every body is the cost of renumbering
 * and of its check): a byte that is there, a one-byte LEB128. */
static inline bool tw_read_u8(tw_cursor *c, uint8_t *out, const char *what) {
  if (c->pos < c->end) {
    *out = c->base[c->pos++];
    return true;
  }
  return tw_read_u8_slow(c, out, what);
}
static inline bool tw_read_u32(tw_cursor *c, uint32_t *out, const char *what) {
  if (c->pos < c->end && c->base[c->pos] < 0x80) {
    *out = c->base[c->pos++];
    return true;
  }
  return tw_read_u32_slow(c, out, what);
}
bool tw_read_u64_slow(tw_cursor *c, uint64_t *out, const char *what);
bool tw_read_s32_slow(tw_cursor *c, int32_t *out, const char *what);
static inline bool tw_read_u64(tw_cursor *c, uint64_t *out, const char *what) {
  if (c->pos < c->end && c->base[c->pos] < 0x80) {
    *out = c->base[c->pos++];
    return true;
  }
  return tw_read_u64_slow(c, out, what);
}
static inline bool tw_read_s32(tw_cursor *c, int32_t *out, const char *what) {
  if (c->pos < c->end && c->base[c->pos] < 0x80) { /* bit 6 is the sign */
    const uint8_t b = c->base[c->pos++];
    *out = (b & 0x40) ? (int32_t)b - 0x80 : (int32_t)b;
    return true;
  }
  return tw_read_s32_slow(c, out, what);
}
bool tw_read_s33(tw_cursor *c, int64_t *out, const char *what);
bool tw_read_s64(tw_cursor *c, int64_t *out, const char *what);
/* A length-prefixed byte string; *start is its absolute offset. */
bool tw_read_bytes(tw_cursor *c, size_t *start, uint32_t *len, const char *what);
/* Like tw_read_bytes, and the bytes must be valid UTF-8 (spec 5.2.4). */
bool tw_read_name(tw_cursor *c, size_t *start, uint32_t *len, const char *what);
bool tw_skip(tw_cursor *c, size_t n, const char *what);
/* A subsection of the name section (spec 7.4.1): its id and its contents. */
typedef struct tw_subsection {
  size_t start;   /* its id byte */
  uint8_t id;
  size_t body;    /* its contents */
  uint32_t len;
} tw_subsection;
bool tw_read_subsection(tw_cursor *c, tw_subsection *out);
bool tw_utf8_valid(const uint8_t *p, size_t n);

/* Value and heap types (spec 5.3), shared by the module reader and the
 * instruction decoder. `storage` also admits the packed types i8 and i16. */
bool tw_read_val_type(tw_cursor *c, bool storage, const char *what);
bool tw_read_heap_type(tw_cursor *c, const char *what);
/* Table or memory limits (spec 5.3.7, with memory64, threads and custom page
 * sizes); *flags (if non-NULL) gets the flags byte. */
bool tw_read_limits(tw_cursor *c, bool table, uint8_t *flags, const char *what);

/* ---- instructions (src/instr.c) -------------------------------------------
 * One instruction of the spec (wasm 3.0) and of the proposals binaryen and
 * wabt implement: SIMD and relaxed SIMD, threads, legacy and new exception
 * handling, tail calls, typed function references, GC, bulk memory,
 * multi-memory and memory64. Only immediates are decoded; nothing is
 * validated beyond their encoding. */
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

/* ---- output buffer ---------------------------------------------------------
 * One growable buffer with a sticky failure flag: callers append freely and
 * check once at the end. */
typedef struct tw_buf {
  uint8_t *data;
  size_t len;
  size_t cap;
  bool failed;
} tw_buf;

void tw_buf_free(tw_buf *b);
bool tw_buf_reserve(tw_buf *b, size_t extra);
void tw_buf_put_u8(tw_buf *b, uint8_t v);
void tw_buf_put(tw_buf *b, const void *p, size_t n);
void tw_buf_put_uleb(tw_buf *b, uint64_t v);
/* Unsigned LEB in at least `width` bytes (the original field's width), so an
 * unchanged-width field keeps later offsets stable. */
void tw_buf_put_uleb_width(tw_buf *b, uint64_t v, size_t width);
void tw_buf_put_sleb(tw_buf *b, int64_t v);

/* ---- the parsed module ---------------------------------------------------- */
enum {
  TW_SEC_CUSTOM = 0, TW_SEC_TYPE = 1, TW_SEC_IMPORT = 2, TW_SEC_FUNCTION = 3,
  TW_SEC_TABLE = 4, TW_SEC_MEMORY = 5, TW_SEC_GLOBAL = 6, TW_SEC_EXPORT = 7,
  TW_SEC_START = 8, TW_SEC_ELEM = 9, TW_SEC_CODE = 10, TW_SEC_DATA = 11,
  TW_SEC_DATACOUNT = 12, TW_SEC_TAG = 13
};

/* A section as a slice of the input: [start, end) covers the id byte, the
 * size LEB and the contents; contents start at body. */
typedef struct tw_section {
  uint8_t id;
  size_t start;
  size_t body;
  size_t end;
  size_t name_start; /* custom sections: the name's bytes */
  uint32_t name_len;
} tw_section;

typedef struct tw_functype {
  bool is_func;       /* false for struct and array types */
  uint32_t nparams;
  uint32_t nresults;
  size_t params;      /* absolute offset of the first param valtype */
  size_t params_end;
  size_t results;
  size_t results_end;
} tw_functype;

typedef struct tw_export {
  size_t start, end;  /* the whole entry */
  size_t name;        /* absolute offset of the name bytes */
  uint32_t name_len;
  uint8_t kind;
  uint32_t index;
} tw_export;

typedef struct tw_import {
  size_t start, end;  /* the whole entry */
  size_t mod, name;   /* absolute offsets of the module and field names */
  uint32_t mod_len, name_len;
  uint8_t kind;
  uint32_t type;      /* functions: type index */
  uint8_t flags;      /* memories: limits flags */
} tw_import;

typedef struct tw_body {
  size_t start;       /* the size LEB */
  size_t code;        /* first byte after the size LEB */
  size_t end;
} tw_body;

typedef struct tw_module {
  const uint8_t *data;
  size_t size;

  tw_section *sections;
  size_t nsections;
  /* Index into sections, or -1. */
  long sec_type, sec_import, sec_function, sec_export, sec_code, sec_name;

  tw_functype *types;
  uint32_t ntypes;

  tw_import *imports;   /* every import entry, in order */
  uint32_t nimports;
  uint32_t nfunc_imports;
  uint32_t *func_types; /* type index of every function, imports first */
  uint32_t nfuncs;      /* imports + defined */

  /* Function section: where its entries start (after the count LEB). */
  size_t funcsec_entries;
  size_t funcsec_count_width;

  tw_export *exports;
  uint32_t nexports;
  size_t exports_entries; /* first byte after the count LEB */
  size_t exports_count_width;

  tw_body *bodies;
  uint32_t nbodies;
  size_t code_entries;      /* first byte after the count LEB */
  size_t code_count_width;

  /* Name section, function-names subsection (id 1), when it parses. */
  bool names_ok;            /* name section present and well-framed */
  size_t names_func_start;  /* subsection start (its id byte), 0 if absent */
  size_t names_func_body;   /* first byte after its size LEB */
  size_t names_func_end;
  size_t names_func_count_width;
  uint32_t names_func_count;
  size_t names_func_entries; /* first entry */
  size_t names_insert_at;    /* where a new function-names subsection goes */

  /* Where data's bytes come from when they are not all in memory: a file
   * read on demand (input.c), or NULL. Anything read beyond what the parser
   * read itself is asked for first with tw_module_need. */
  struct tw_source *src;
  /* Globals (imported + defined) and memory 0, for the host features. */
  uint32_t nglobals;
  bool has_memory0, memory0_is64;

  /* The first construct libwabt 1.0.32 cannot read (GC types, typed
   * references, ...), or NULL: --verify=full then cannot verify. */
  const char *wabt_gap;
} tw_module;

/* Parse the framing and the sections wasm-taskwrap needs. Everything else
 * is kept as a byte range. Returns false with err set on malformed input. */
/* Rank of a non-custom section id in the required order, -1 if unknown. */
int tw_section_rank(uint8_t id);
/* A custom section whose name is `prefix` (whole) or starts with it. */
bool tw_section_named(const tw_module *m, const tw_section *s, const char *prefix, bool whole);
bool tw_module_parse(tw_module *m, const uint8_t *data, size_t size, tw_err *err);
/* The same for a file read on demand (src, see io.h): data is its address
 * range, and the parser reads in what it decodes (the header, every section
 * header, the sections it decodes, each code body's size as it walks them,
 * the name section's subsection headers), nothing else. */
bool tw_module_parse_source(tw_module *m, const uint8_t *data, size_t size,
                            struct tw_source *src, tw_err *err);
/* Make input bytes [off, off+len) readable at m->data + off, before reading
 * anything the parser did not: a no-op for a module in memory. false when a
 * read failed or came short (the file changed): the bytes it could not read
 * are zeros, and api.c reports the changed input. (Only if no page at all
 * could be made accessible is the range still unreadable.) */
bool tw_module_need(const tw_module *m, size_t off, size_t len);
void tw_module_free(tw_module *m);
const tw_functype *tw_module_func_type(const tw_module *m, uint32_t func);
/* "[i32 i32] -> [i32]" into out. */
void tw_module_format_type(const tw_module *m, const tw_functype *t, char *out, size_t cap);

/* ---- WASI preview 1 stubs (src/stubs.c) ----------------------------------- */
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

/* Export names the task-hook ABIs reserve and the other roles of docs/abi.md's
 * "Export roles", by name alone (taskhook.c). */
tw_role tw_classify_name(const uint8_t *name, size_t len);
/* "func", "table", "memory", "global", "tag" (or "?"). */
const char *tw_kind_name(uint8_t kind);
bool tw_has_prefix(const uint8_t *s, size_t n, const char *prefix);
bool tw_name_is(const uint8_t *s, size_t n, const char *str);
/* A name from the module, for a message: on one line, with control
 * characters, '"' and '\\' escaped as \hh (the text format's escapes), cut to
 * fit cap (abi.c). */
void tw_name_describe(const uint8_t *s, size_t n, char *out, size_t cap);

#endif /* TW_INTERNAL_H */
