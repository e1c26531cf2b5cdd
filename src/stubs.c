/* In-module stand-ins for WASI preview 1 functions (--stub-wasi).
 * Each stub's body is an instruction list (data, below): the one
 * specification that tw_stub_encode writes and the verifier (verify.c)
 * checks the output against (stubs.h). The table of
 * docs/usage.md, "What the stubs do" lists the same behaviour. Layouts
 * (iovec, subscription, event) and errno values follow
 * wasi_snapshot_preview1's witx: errno success 0, badf 8, inval 28, nosys 52. */
#include <string.h>

#include "name.h"
#include "opcodes.h"
#include "stubs.h"

enum { ERRNO_SUCCESS = 0, ERRNO_BADF = 8, ERRNO_INVAL = 28, ERRNO_NOSYS = 52 };

/* The WASI functions with a behaviour of their own; signatures as wasm
 * types: i = i32, I = i64. */
static const struct {
  const char *name;
  const char *params, *results;
  tw_stub_kind kind;
} known[] = {
    {"fd_write", "iiii", "i", TW_STUB_FD_WRITE},
    {"clock_time_get", "iIi", "i", TW_STUB_CLOCK_TIME_GET},
    {"clock_res_get", "ii", "i", TW_STUB_CLOCK_RES_GET},
    {"random_get", "ii", "i", TW_STUB_RANDOM_GET},
    {"args_sizes_get", "ii", "i", TW_STUB_SIZES_ZERO},
    {"environ_sizes_get", "ii", "i", TW_STUB_SIZES_ZERO},
    {"args_get", "ii", "i", TW_STUB_SUCCESS},
    {"environ_get", "ii", "i", TW_STUB_SUCCESS},
    {"sched_yield", "", "i", TW_STUB_SUCCESS},
    {"poll_oneoff", "iiii", "i", TW_STUB_POLL_ONEOFF},
    {"proc_exit", "i", "", TW_STUB_PROC_EXIT},
    /* served only over embedded files (TW_EMBED_FILES) */
    {"fd_prestat_get", "ii", "i", TW_STUB_FS_FD_PRESTAT_GET},
    {"fd_prestat_dir_name", "iii", "i", TW_STUB_FS_FD_PRESTAT_DIR_NAME},
    {"fd_close", "i", "i", TW_STUB_FS_FD_CLOSE},
    {"fd_read", "iiii", "i", TW_STUB_FS_FD_READ},
    {"fd_pread", "iiiIi", "i", TW_STUB_FS_FD_PREAD},
    {"fd_seek", "iIii", "i", TW_STUB_FS_FD_SEEK},
    {"fd_tell", "ii", "i", TW_STUB_FS_FD_TELL},
    {"fd_advise", "iIIi", "i", TW_STUB_FS_FD_ADVISE},
    {"fd_fdstat_get", "ii", "i", TW_STUB_FS_FD_FDSTAT_GET},
    {"fd_filestat_get", "ii", "i", TW_STUB_FS_FD_FILESTAT_GET},
    {"path_filestat_get", "iiiii", "i", TW_STUB_FS_PATH_FILESTAT_GET},
    {"path_open", "iiiiiIIii", "i", TW_STUB_FS_PATH_OPEN},
    {"fd_readdir", "iiiIi", "i", TW_STUB_FS_FD_READDIR},
    {"fd_sync", "i", "i", TW_STUB_FS_FD_SYNC},
    {"fd_datasync", "i", "i", TW_STUB_FS_FD_SYNC},
    {"fd_fdstat_set_flags", "ii", "i", TW_STUB_FS_FD_FDSTAT_SET_FLAGS},
    {"fd_filestat_set_times", "iIIi", "i", TW_STUB_FS_FD_FILESTAT_SET_TIMES},
    {"fd_allocate", "iII", "i", TW_STUB_FS_FD_ALLOCATE},
    {"fd_filestat_set_size", "iI", "i", TW_STUB_FS_FD_FILESTAT_SET_SIZE},
    {"fd_fdstat_set_rights", "iII", "i", TW_STUB_FS_FD_FDSTAT_SET_RIGHTS},
    {"path_readlink", "iiiiii", "i", TW_STUB_FS_PATH_READLINK},
    {"fd_renumber", "ii", "i", TW_STUB_FS_FD_RENUMBER},
    {"path_create_directory", "iii", "i", TW_STUB_FS_READONLY},
    {"path_remove_directory", "iii", "i", TW_STUB_FS_READONLY},
    {"path_unlink_file", "iii", "i", TW_STUB_FS_READONLY},
    {"path_rename", "iiiiii", "i", TW_STUB_FS_READONLY},
    {"path_link", "iiiiiii", "i", TW_STUB_FS_READONLY},
    {"path_filestat_set_times", "iiiiIIi", "i", TW_STUB_FS_READONLY},
    {"path_symlink", "iiiii", "i", TW_STUB_FS_READONLY3},
};

static bool is_fs_kind(tw_stub_kind k) {
  return k >= TW_STUB_FS_FD_PRESTAT_GET && k <= TW_STUB_FS_READONLY3;
}

/* The same functions served from the embedded data (wasifs.h), when the
 * module embeds what they read. */
static const struct {
  const char *name;
  unsigned needs;
  tw_stub_kind kind;
} embedded_kinds[] = {
    {"args_sizes_get", TW_EMBED_ARGS, TW_STUB_ARGS_SIZES},
    {"args_get", TW_EMBED_ARGS, TW_STUB_ARGS_GET},
    {"environ_sizes_get", TW_EMBED_ENV, TW_STUB_ENV_SIZES},
    {"environ_get", TW_EMBED_ENV, TW_STUB_ENV_GET},
};

const char *tw_stub_kind_name(tw_stub_kind k) {
  switch (k) {
  case TW_STUB_FD_WRITE: return "fd_write";
  case TW_STUB_CLOCK_TIME_GET: return "clock";
  case TW_STUB_CLOCK_RES_GET: return "clock-res";
  case TW_STUB_RANDOM_GET: return "random";
  case TW_STUB_SIZES_ZERO: return "zero-sizes";
  case TW_STUB_SUCCESS: return "success";
  case TW_STUB_POLL_ONEOFF: return "poll-ready";
  case TW_STUB_PROC_EXIT: return "exit";
  case TW_STUB_EBADF: return "ebadf";
  case TW_STUB_ENOSYS: return "enosys";
  case TW_STUB_NO_RESULT: return "return";
  case TW_STUB_TRAP: return "trap";
  case TW_STUB_ARGS_SIZES: return "args-sizes";
  case TW_STUB_ARGS_GET: return "args";
  case TW_STUB_ENV_SIZES: return "environ-sizes";
  case TW_STUB_ENV_GET: return "environ";
  case TW_STUB_FS_FD_PRESTAT_GET: return "fs-prestat";
  case TW_STUB_FS_FD_PRESTAT_DIR_NAME: return "fs-prestat-name";
  case TW_STUB_FS_FD_CLOSE: return "fs-close";
  case TW_STUB_FS_FD_READ: return "fs-read";
  case TW_STUB_FS_FD_PREAD: return "fs-pread";
  case TW_STUB_FS_FD_SEEK: return "fs-seek";
  case TW_STUB_FS_FD_TELL: return "fs-tell";
  case TW_STUB_FS_FD_ADVISE: return "fs-advise";
  case TW_STUB_FS_FD_FDSTAT_GET: return "fs-fdstat";
  case TW_STUB_FS_FD_FILESTAT_GET: return "fs-filestat";
  case TW_STUB_FS_PATH_FILESTAT_GET: return "fs-path-filestat";
  case TW_STUB_FS_PATH_OPEN: return "fs-open";
  case TW_STUB_FS_FD_READDIR: return "fs-readdir";
  case TW_STUB_FS_FD_SYNC: return "fs-sync";
  case TW_STUB_FS_FD_FDSTAT_SET_FLAGS: return "fs-set-flags";
  case TW_STUB_FS_FD_FILESTAT_SET_TIMES: return "fs-set-times";
  case TW_STUB_FS_FD_ALLOCATE: return "fs-allocate";
  case TW_STUB_FS_FD_FILESTAT_SET_SIZE: return "fs-set-size";
  case TW_STUB_FS_FD_FDSTAT_SET_RIGHTS: return "fs-set-rights";
  case TW_STUB_FS_PATH_READLINK: return "fs-readlink";
  case TW_STUB_FS_FD_RENUMBER: return "fs-renumber";
  case TW_STUB_FS_READONLY: case TW_STUB_FS_READONLY3: return "fs-read-only";
  }
  return "?";
}

/* The file stubs that neither read nor write the guest's memory. */
static bool fs_without_memory(tw_stub_kind k) {
  switch (k) {
  case TW_STUB_FS_READONLY: case TW_STUB_FS_READONLY3: case TW_STUB_FS_FD_CLOSE:
  case TW_STUB_FS_FD_SYNC: case TW_STUB_FS_FD_FDSTAT_SET_FLAGS:
  case TW_STUB_FS_FD_FILESTAT_SET_TIMES: case TW_STUB_FS_FD_ALLOCATE:
  case TW_STUB_FS_FD_FILESTAT_SET_SIZE: case TW_STUB_FS_FD_FDSTAT_SET_RIGHTS:
  case TW_STUB_FS_FD_RENUMBER:
    return true;
  default: return false;
  }
}

bool tw_stub_needs_memory(tw_stub_kind k) {
  return k == TW_STUB_FD_WRITE || k == TW_STUB_CLOCK_TIME_GET || k == TW_STUB_CLOCK_RES_GET ||
         k == TW_STUB_RANDOM_GET || k == TW_STUB_SIZES_ZERO || k == TW_STUB_POLL_ONEOFF ||
         k == TW_STUB_ARGS_SIZES || k == TW_STUB_ARGS_GET || k == TW_STUB_ENV_SIZES ||
         k == TW_STUB_ENV_GET || (is_fs_kind(k) && !fs_without_memory(k));
}

bool tw_stub_uses_data(tw_stub_kind k) {
  return k == TW_STUB_ARGS_GET || k == TW_STUB_ENV_GET || k == TW_STUB_FS_FD_PRESTAT_DIR_NAME ||
         k == TW_STUB_FS_FD_READ || k == TW_STUB_FS_FD_PREAD || k == TW_STUB_FS_FD_READDIR;
}

bool tw_stub_is_fs(tw_stub_kind k) { return is_fs_kind(k);
}

static bool types_are(const tw_module *m, size_t p, size_t end, const char *want) {
  for (; *want; want++, p++)
    if (p >= end || m->data[p] != (*want == 'i' ? VT_I32 : VT_I64)) return false;
  return p == end;
}

tw_stub_kind tw_stub_classify(const tw_module *m, const uint8_t *name, size_t len,
                              const tw_functype *t, unsigned embedded, bool *signature_mismatch) {
  *signature_mismatch = false;
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
    if (strlen(known[i].name) != len || memcmp(known[i].name, name, len) != 0) continue;
    if (is_fs_kind(known[i].kind) && !(embedded & TW_EMBED_FILES)) break; /* the generic stub */
    if (t && types_are(m, t->params, t->params_end, known[i].params) &&
        types_are(m, t->results, t->results_end, known[i].results)) {
      for (size_t k = 0; k < sizeof embedded_kinds / sizeof embedded_kinds[0]; k++)
        if (strcmp(embedded_kinds[k].name, known[i].name) == 0 &&
            (embedded & embedded_kinds[k].needs))
          return embedded_kinds[k].kind;
      return known[i].kind;
    }
    *signature_mismatch = true;
    break;
  }
  /* Every other function: an errno if it returns one i32, nothing if it
   * returns nothing, and a trap otherwise (no WASI preview 1 function
   * returns anything else). Functions whose first parameter is a file
   * descriptor say EBADF: no descriptor is open, which is also what makes
   * wasi-libc's preopen scan (fd_prestat_get from fd 3) stop cleanly. */
  if (!t || t->nresults == 0) return TW_STUB_NO_RESULT;
  if (t->nresults != 1 || m->data[t->results] != VT_I32) return TW_STUB_TRAP;
  if (tw_has_prefix(name, len, "fd_") || tw_has_prefix(name, len, "path_") ||
      tw_has_prefix(name, len, "sock_"))
    return TW_STUB_EBADF;
  return TW_STUB_ENOSYS;
}

/* ---- the bodies, as data -------------------------------------------------
 * One row per instruction. The macros only spell rows; a few expand to
 * several rows (the counted loop). */

#define ROW(o, k, r, c, x, y) {(uint8_t)(o), (uint8_t)(k), (uint8_t)(r), (uint8_t)(c), (x), (y)}
#define OP(o) ROW(o, TW_IMM_NONE, TW_REF_NONE, TW_REF_NONE, 0, 0)
#define OP_U(o, v) ROW(o, TW_IMM_U32, TW_REF_NONE, TW_REF_NONE, v, 0)
#define OP_REF(o, r) ROW(o, TW_IMM_U32, r, TW_REF_NONE, 0, 0)
#define I32C(v) ROW(OP_I32_CONST, TW_IMM_S32, TW_REF_NONE, TW_REF_NONE, v, 0)
#define I64C(v) ROW(OP_I64_CONST, TW_IMM_S64, TW_REF_NONE, TW_REF_NONE, v, 0)
#define GET(l) OP_U(OP_LOCAL_GET, l)
#define SET(l) OP_U(OP_LOCAL_SET, l)
#define TEE(l) OP_U(OP_LOCAL_TEE, l)
#define BLOCK(o) ROW(o, TW_IMM_BYTE, TW_REF_NONE, TW_REF_NONE, BT_EMPTY, 0)
/* Load or store on memory 0 with its natural alignment (log2 bytes). */
#define MEM(o, align, offset) ROW(o, TW_IMM_MEMARG, TW_REF_NONE, TW_REF_NONE, align, offset)
/* An i32.const of an env value (wasifs.h keeps every one below 2^31). */
#define I32C_REF(r) ROW(OP_I32_CONST, TW_IMM_S32, r, TW_REF_NONE, 0, 0)
/* memory.init of the embedded segment: (dest, offset, length) on the stack. */
#define MEMORY_INIT ROW(OP_PREFIX_FC, TW_IMM_MEMORY_INIT, TW_REF_DATA_SEGMENT, TW_REF_NONE, 0, 0)
/* Present only with the --stub-wasi-output import. */
#define IF_OUTPUT(o, k, r, x, y) ROW(o, k, r, TW_REF_OUTPUT_FUNC, x, y)

/* local = local + delta */
#define BUMP(l, delta) GET(l), I32C(delta), OP(OP_I32_ADD), SET(l)
/* `block loop (br_if 1 (i32.eqz (local.get count))) ...`; CLOSE_LOOP
 * decrements the count and loops. */
#define OPEN_LOOP(count) \
  BLOCK(OP_BLOCK), BLOCK(OP_LOOP), GET(count), OP(OP_I32_EQZ), OP_U(OP_BR_IF, 1)
#define CLOSE_LOOP(count) BUMP(count, -1), OP_U(OP_BR, 0), OP(OP_END), OP(OP_END)
/* p += size before CLOSE_LOOP(count). When another round follows and the
 * step passes 2^32, trap, as wasmtime does ("Pointer overflow"): the i32.add
 * must never wrap to address 0. (An access that only runs past 2^32 traps by
 * itself: every load and store adds its offset without wrapping.) */
#define STEP(p, size, count) \
  GET(count), I32C(1), OP(OP_I32_GT_U), BLOCK(OP_IF), \
  GET(p), I32C(size), OP(OP_I32_ADD), GET(p), OP(OP_I32_LT_U), \
  BLOCK(OP_IF), OP(OP_UNREACHABLE), OP(OP_END), OP(OP_END), \
  BUMP(p, size)
/* clock ids 0..3 (realtime, monotonic, process, thread) are valid. */
#define CHECK_CLOCK_ID \
  GET(0), I32C(3), OP(OP_I32_GT_U), BLOCK(OP_IF), I32C(ERRNO_INVAL), OP(OP_RETURN), OP(OP_END)

/* fd_write(fd, iovs, iovs_len, nwritten): for fd 1 and 2 every iovec counts
 * as written (and is passed to the output import, if any); other fds EBADF. */
enum { FW_FD, FW_IOVS, FW_N, FW_NWRITTEN, FW_TOTAL };
static const tw_stub_insn fd_write[] = {
    GET(FW_FD), I32C(1), OP(OP_I32_SUB), I32C(1), OP(OP_I32_GT_U), /* fd-1 >u 1 */
    BLOCK(OP_IF), I32C(ERRNO_BADF), OP(OP_RETURN), OP(OP_END),
    OPEN_LOOP(FW_N),
    /* output(fd, iov.buf, iov.buf_len) */
    IF_OUTPUT(OP_LOCAL_GET, TW_IMM_U32, TW_REF_NONE, FW_FD, 0),
    IF_OUTPUT(OP_LOCAL_GET, TW_IMM_U32, TW_REF_NONE, FW_IOVS, 0),
    IF_OUTPUT(OP_I32_LOAD, TW_IMM_MEMARG, TW_REF_NONE, 2, 0),
    IF_OUTPUT(OP_LOCAL_GET, TW_IMM_U32, TW_REF_NONE, FW_IOVS, 0),
    IF_OUTPUT(OP_I32_LOAD, TW_IMM_MEMARG, TW_REF_NONE, 2, 4),
    IF_OUTPUT(OP_CALL, TW_IMM_U32, TW_REF_OUTPUT_FUNC, 0, 0),
    GET(FW_TOTAL), GET(FW_IOVS), MEM(OP_I32_LOAD, 2, 4), OP(OP_I32_ADD), SET(FW_TOTAL),
    STEP(FW_IOVS, 8, FW_N), /* sizeof(iovec) */
    CLOSE_LOOP(FW_N),
    GET(FW_NWRITTEN), GET(FW_TOTAL), MEM(OP_I32_STORE, 2, 0),
    I32C(ERRNO_SUCCESS), OP(OP_END)};

/* clock_time_get(id, precision, time): one virtual clock for every id that
 * starts at a non-zero time and advances TW_STUB_CLOCK_STEP ns per call, so
 * it is monotonic and every reading differs. */
static const tw_stub_insn clock_time_get[] = {
    CHECK_CLOCK_ID,
    OP_REF(OP_GLOBAL_GET, TW_REF_CLOCK_GLOBAL), I64C(TW_STUB_CLOCK_STEP), OP(OP_I64_ADD),
    OP_REF(OP_GLOBAL_SET, TW_REF_CLOCK_GLOBAL),
    GET(2), OP_REF(OP_GLOBAL_GET, TW_REF_CLOCK_GLOBAL), MEM(OP_I64_STORE, 3, 0),
    I32C(ERRNO_SUCCESS), OP(OP_END)};

static const tw_stub_insn clock_res_get[] = {
    CHECK_CLOCK_ID,
    GET(1), I64C(TW_STUB_CLOCK_STEP), MEM(OP_I64_STORE, 3, 0),
    I32C(ERRNO_SUCCESS), OP(OP_END)};

/* random_get(buf, len): xorshift64 (Marsaglia 2003), one byte per step from
 * the high half. Deterministic per instance, not cryptographic. */
enum { RG_BUF, RG_LEN, RG_X };
#define RGLOBAL(o) OP_REF(o, TW_REF_RANDOM_GLOBAL)
static const tw_stub_insn random_get[] = {
    OPEN_LOOP(RG_LEN),
    RGLOBAL(OP_GLOBAL_GET), RGLOBAL(OP_GLOBAL_GET), I64C(13), OP(OP_I64_SHL), OP(OP_I64_XOR),
    SET(RG_X),
    GET(RG_X), GET(RG_X), I64C(7), OP(OP_I64_SHR_U), OP(OP_I64_XOR), SET(RG_X),
    GET(RG_X), GET(RG_X), I64C(17), OP(OP_I64_SHL), OP(OP_I64_XOR),
    TEE(RG_X), RGLOBAL(OP_GLOBAL_SET),
    GET(RG_BUF), GET(RG_X), I64C(32), OP(OP_I64_SHR_U), MEM(OP_I64_STORE8, 0, 0),
    STEP(RG_BUF, 1, RG_LEN),
    CLOSE_LOOP(RG_LEN),
    I32C(ERRNO_SUCCESS), OP(OP_END)};

/* args_sizes_get / environ_sizes_get(count, buf_size): both zero. */
static const tw_stub_insn sizes_zero[] = {
    GET(0), I32C(0), MEM(OP_I32_STORE, 2, 0),
    GET(1), I32C(0), MEM(OP_I32_STORE, 2, 0),
    I32C(ERRNO_SUCCESS), OP(OP_END)};

/* poll_oneoff(in, out, nsubscriptions, nevents): every subscription is
 * ready at once (a sleep returns immediately): one event per subscription
 * with its userdata and type, error 0 and no bytes. Layout: subscription 48
 * bytes (userdata u64 @0, tag u8 @8); event 32 bytes (userdata @0, error u16
 * @8, type u8 @10, fd_readwrite @16..31). */
enum { PO_IN, PO_OUT, PO_N, PO_NEVENTS };
static const tw_stub_insn poll_oneoff[] = {
    GET(PO_NEVENTS), GET(PO_N), MEM(OP_I32_STORE, 2, 0),
    OPEN_LOOP(PO_N),
    GET(PO_OUT), GET(PO_IN), MEM(OP_I64_LOAD, 3, 0), MEM(OP_I64_STORE, 3, 0),
    GET(PO_OUT), I64C(0), MEM(OP_I64_STORE, 3, 8),
    GET(PO_OUT), I64C(0), MEM(OP_I64_STORE, 3, 16),
    GET(PO_OUT), I64C(0), MEM(OP_I64_STORE, 3, 24),
    GET(PO_OUT), GET(PO_IN), MEM(OP_I32_LOAD8_U, 0, 8), MEM(OP_I32_STORE8, 0, 10),
    STEP(PO_IN, 48, PO_N),
    STEP(PO_OUT, 32, PO_N),
    CLOSE_LOOP(PO_N),
    I32C(ERRNO_SUCCESS), OP(OP_END)};

/* args_sizes_get / environ_sizes_get over the embedded lists
 * (docs/abi.md, "Embedded WASI data"): the count and the strings' size. */
#define SIZES(count, size) \
  GET(0), I32C_REF(count), MEM(OP_I32_STORE, 2, 0), \
  GET(1), I32C_REF(size), MEM(OP_I32_STORE, 2, 0), \
  I32C(ERRNO_SUCCESS), OP(OP_END)
/* args_get / environ_get(ptrs, buf): the offset table into ptrs, the
 * strings into buf (both memory.init from the segment, so only the
 * guest's two buffers are written), then buf added to every pointer. */
enum { LG_PTRS, LG_BUF, LG_N };
#define LIST_GET(count, table, strings, size) \
  GET(LG_PTRS), I32C_REF(table), I32C_REF(count), I32C(2), OP(OP_I32_SHL), MEMORY_INIT, \
  GET(LG_BUF), I32C_REF(strings), I32C_REF(size), MEMORY_INIT, \
  I32C_REF(count), SET(LG_N), \
  OPEN_LOOP(LG_N), \
  GET(LG_PTRS), GET(LG_PTRS), MEM(OP_I32_LOAD, 2, 0), GET(LG_BUF), OP(OP_I32_ADD), \
  MEM(OP_I32_STORE, 2, 0), \
  BUMP(LG_PTRS, 4), \
  CLOSE_LOOP(LG_N), \
  I32C(ERRNO_SUCCESS), OP(OP_END)
static const tw_stub_insn args_sizes[] = {SIZES(TW_REF_ARGC, TW_REF_ARGS_SIZE)};
static const tw_stub_insn env_sizes[] = {SIZES(TW_REF_ENVC, TW_REF_ENV_SIZE)};
static const tw_stub_insn args_get[] = {
    LIST_GET(TW_REF_ARGC, TW_REF_ARGS_TABLE, TW_REF_ARGS_STRINGS, TW_REF_ARGS_SIZE)};
static const tw_stub_insn env_get[] = {
    LIST_GET(TW_REF_ENVC, TW_REF_ENV_TABLE, TW_REF_ENV_STRINGS, TW_REF_ENV_SIZE)};

static const tw_stub_insn success[] = {I32C(ERRNO_SUCCESS), OP(OP_END)};
static const tw_stub_insn ebadf[] = {I32C(ERRNO_BADF), OP(OP_END)};
static const tw_stub_insn enosys[] = {I32C(ERRNO_NOSYS), OP(OP_END)};
static const tw_stub_insn no_result[] = {OP(OP_END)};
static const tw_stub_insn trap[] = {OP(OP_UNREACHABLE), OP(OP_END)};
/* proc_exit must not return: record the code, then trap. */
static const tw_stub_insn proc_exit[] = {
    GET(0), OP_REF(OP_GLOBAL_SET, TW_REF_EXIT_GLOBAL), OP(OP_UNREACHABLE), OP(OP_END)};

#define SPEC(n, vt, list) {n, vt, list, sizeof list / sizeof list[0], 0}
#include "wasifs_stubs.inc"
static const tw_stub_spec specs[] = {
    [TW_STUB_FD_WRITE] = SPEC(1, VT_I32, fd_write),
    [TW_STUB_CLOCK_TIME_GET] = SPEC(0, 0, clock_time_get),
    [TW_STUB_CLOCK_RES_GET] = SPEC(0, 0, clock_res_get),
    [TW_STUB_RANDOM_GET] = SPEC(1, VT_I64, random_get),
    [TW_STUB_SIZES_ZERO] = SPEC(0, 0, sizes_zero),
    [TW_STUB_SUCCESS] = SPEC(0, 0, success),
    [TW_STUB_POLL_ONEOFF] = SPEC(0, 0, poll_oneoff),
    [TW_STUB_PROC_EXIT] = SPEC(0, 0, proc_exit),
    [TW_STUB_EBADF] = SPEC(0, 0, ebadf),
    [TW_STUB_ENOSYS] = SPEC(0, 0, enosys),
    [TW_STUB_NO_RESULT] = SPEC(0, 0, no_result),
    [TW_STUB_TRAP] = SPEC(0, 0, trap),
    [TW_STUB_ARGS_SIZES] = SPEC(0, 0, args_sizes),
    [TW_STUB_ARGS_GET] = SPEC(1, VT_I32, args_get),
    [TW_STUB_ENV_SIZES] = SPEC(0, 0, env_sizes),
    [TW_STUB_ENV_GET] = SPEC(1, VT_I32, env_get),
    FS_SPECS
};

const tw_stub_spec *tw_stub_spec_of(tw_stub_kind kind) {
  return (size_t)kind < sizeof specs / sizeof specs[0] ? &specs[kind] : NULL;
}

uint32_t tw_stub_ref_value(const tw_stub_env *env, uint8_t ref) {
  switch (ref) {
  case TW_REF_OUTPUT_FUNC: return env->output_func;
  case TW_REF_EXIT_GLOBAL: return env->exit_global;
  case TW_REF_CLOCK_GLOBAL: return env->clock_global;
  case TW_REF_RANDOM_GLOBAL: return env->random_global;
  case TW_REF_DATA_SEGMENT: return env->data_segment;
  case TW_REF_ARGC: return env->argc;
  case TW_REF_ARGS_TABLE: return env->args_table;
  case TW_REF_ARGS_STRINGS: return env->args_strings;
  case TW_REF_ARGS_SIZE: return env->args_size;
  case TW_REF_ENVC: return env->envc;
  case TW_REF_ENV_TABLE: return env->env_table;
  case TW_REF_ENV_STRINGS: return env->env_strings;
  case TW_REF_ENV_SIZE: return env->env_size;
  case TW_REF_ROM_FUNC: return env->rom_func;
  case TW_REF_SLOT0: return env->slot_global;
  default: return UINT32_MAX;
  }
}

bool tw_stub_insn_present(const tw_stub_insn *i, const tw_stub_env *env) {
  return i->cond == TW_REF_NONE || tw_stub_ref_value(env, i->cond) != UINT32_MAX;
}

int64_t tw_stub_insn_value(const tw_stub_insn *i, const tw_stub_env *env) {
  if (i->ref == TW_REF_NONE) return i->a;
  const uint32_t v = tw_stub_ref_value(env, i->ref);
  return v == UINT32_MAX ? (int64_t)v : (int64_t)v + i->a;
}

/* ---- the encoder: one loop over a list ------------------------------------ */

void tw_stub_encode(tw_buf *b, tw_stub_kind kind, const tw_stub_env *env) {
  const tw_stub_spec *s = tw_stub_spec_of(kind);
  if (!s) {
    b->failed = true;
    return;
  }
  tw_buf_put_u8(b, (uint8_t)((s->nlocals != 0) + (s->nlocals64 != 0)));
  if (s->nlocals) {
    tw_buf_put_uleb(b, s->nlocals);
    tw_buf_put_u8(b, s->local_type);
  }
  if (s->nlocals64) {
    tw_buf_put_uleb(b, s->nlocals64);
    tw_buf_put_u8(b, VT_I64);
  }
  for (size_t k = 0; k < s->ncode; k++) {
    const tw_stub_insn *i = &s->code[k];
    if (!tw_stub_insn_present(i, env)) continue;
    tw_buf_put_u8(b, i->op);
    const int64_t v = tw_stub_insn_value(i, env);
    switch ((tw_imm)i->imm) {
    case TW_IMM_NONE: break;
    case TW_IMM_U32: tw_buf_put_uleb(b, (uint64_t)v); break;
    case TW_IMM_S32: case TW_IMM_S64: tw_buf_put_sleb(b, v); break;
    case TW_IMM_BYTE: tw_buf_put_u8(b, (uint8_t)v); break;
    case TW_IMM_MEMARG:
      tw_buf_put_uleb(b, (uint64_t)v);
      tw_buf_put_uleb(b, i->b);
      break;
    case TW_IMM_MEMORY_INIT:
      tw_buf_put_uleb(b, OP_FC_MEMORY_INIT);
      tw_buf_put_uleb(b, (uint64_t)v);
      tw_buf_put_u8(b, 0);
      break;
    }
  }
}
