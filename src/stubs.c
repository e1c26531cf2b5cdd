/* In-module stand-ins for WASI preview 1 functions (issue 8, --stub-wasi).
 * Each stub is a plain function body written here instruction by
 * instruction; the README's table "What --stub-wasi does" lists the same
 * behaviour. Layouts (iovec, subscription, event) and errno values follow
 * wasi_snapshot_preview1's witx: errno success 0, badf 8, inval 28, nosys 52. */
#include <string.h>

#include "tw_internal.h"

enum {
  OP_UNREACHABLE = 0x00, OP_BLOCK = 0x02, OP_LOOP = 0x03, OP_IF = 0x04, OP_END = 0x0b,
  OP_BR = 0x0c, OP_BR_IF = 0x0d, OP_RETURN = 0x0f, OP_CALL = 0x10, OP_LOCAL_GET = 0x20,
  OP_LOCAL_SET = 0x21, OP_LOCAL_TEE = 0x22, OP_GLOBAL_GET = 0x23, OP_GLOBAL_SET = 0x24,
  OP_I32_LOAD = 0x28, OP_I64_LOAD = 0x29, OP_I32_LOAD8_U = 0x2d, OP_I32_STORE = 0x36,
  OP_I64_STORE = 0x37, OP_I32_STORE8 = 0x3a, OP_I64_STORE8 = 0x3c, OP_I32_CONST = 0x41,
  OP_I64_CONST = 0x42, OP_I32_EQZ = 0x45, OP_I32_GT_U = 0x4b, OP_I32_ADD = 0x6a,
  OP_I32_SUB = 0x6b, OP_I64_ADD = 0x7c, OP_I64_SHL = 0x86, OP_I64_SHR_U = 0x88, OP_I64_XOR = 0x85,
  BT_EMPTY = 0x40, VT_I32 = 0x7f, VT_I64 = 0x7e
};

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
  }
  return "?";
}

bool tw_stub_needs_memory(tw_stub_kind k) {
  return k == TW_STUB_FD_WRITE || k == TW_STUB_CLOCK_TIME_GET || k == TW_STUB_CLOCK_RES_GET ||
         k == TW_STUB_RANDOM_GET || k == TW_STUB_SIZES_ZERO || k == TW_STUB_POLL_ONEOFF;
}

static bool types_are(const tw_module *m, size_t p, size_t end, const char *want) {
  for (; *want; want++, p++)
    if (p >= end || m->data[p] != (*want == 'i' ? VT_I32 : VT_I64)) return false;
  return p == end;
}

static bool has_prefix(const uint8_t *s, size_t n, const char *p) {
  const size_t k = strlen(p);
  return n >= k && memcmp(s, p, k) == 0;
}

tw_stub_kind tw_stub_classify(const tw_module *m, const uint8_t *name, size_t len,
                              const tw_functype *t, bool *signature_mismatch) {
  *signature_mismatch = false;
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
    if (strlen(known[i].name) != len || memcmp(known[i].name, name, len) != 0) continue;
    if (t && types_are(m, t->params, t->params_end, known[i].params) &&
        types_are(m, t->results, t->results_end, known[i].results))
      return known[i].kind;
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
  if (has_prefix(name, len, "fd_") || has_prefix(name, len, "path_") ||
      has_prefix(name, len, "sock_"))
    return TW_STUB_EBADF;
  return TW_STUB_ENOSYS;
}

/* ---- encoding ------------------------------------------------------------ */

static void op(tw_buf *b, uint8_t o) { tw_buf_put_u8(b, o); }
static void op_u(tw_buf *b, uint8_t o, uint64_t v) { op(b, o), tw_buf_put_uleb(b, v); }
static void i32c(tw_buf *b, int32_t v) { op(b, OP_I32_CONST), tw_buf_put_sleb(b, v); }
static void i64c(tw_buf *b, int64_t v) { op(b, OP_I64_CONST), tw_buf_put_sleb(b, v); }
static void get(tw_buf *b, uint32_t l) { op_u(b, OP_LOCAL_GET, l); }
static void set(tw_buf *b, uint32_t l) { op_u(b, OP_LOCAL_SET, l); }
/* Load or store on memory 0 with its natural alignment (log2 bytes). */
static void mem(tw_buf *b, uint8_t o, uint32_t align, uint32_t offset) {
  op(b, o), tw_buf_put_uleb(b, align), tw_buf_put_uleb(b, offset);
}
static void locals(tw_buf *b, uint32_t n, uint8_t vt) {
  if (n == 0) {
    tw_buf_put_u8(b, 0);
    return;
  }
  tw_buf_put_u8(b, 1), tw_buf_put_uleb(b, n), tw_buf_put_u8(b, vt);
}

/* local = local + delta */
static void bump(tw_buf *b, uint32_t l, int32_t delta) {
  get(b, l), i32c(b, delta), op(b, OP_I32_ADD), set(b, l);
}

/* `block loop (br_if 1 (i32.eqz (local.get count))) ... ` — the caller
 * writes the loop body, then close_count_loop decrements and loops. */
static void open_count_loop(tw_buf *b, uint32_t count) {
  op(b, OP_BLOCK), op(b, BT_EMPTY), op(b, OP_LOOP), op(b, BT_EMPTY);
  get(b, count), op(b, OP_I32_EQZ), op_u(b, OP_BR_IF, 1);
}
static void close_count_loop(tw_buf *b, uint32_t count) {
  bump(b, count, -1);
  op_u(b, OP_BR, 0), op(b, OP_END), op(b, OP_END);
}

/* fd_write(fd, iovs, iovs_len, nwritten): for fd 1 and 2 every iovec counts
 * as written (and is passed to the output import, if any); other fds EBADF. */
static void fd_write(tw_buf *b, const tw_stub_env *env) {
  enum { FD, IOVS, N, NWRITTEN, TOTAL };
  locals(b, 1, VT_I32);
  get(b, FD), i32c(b, 1), op(b, OP_I32_SUB), i32c(b, 1), op(b, OP_I32_GT_U); /* fd-1 >u 1 */
  op(b, OP_IF), op(b, BT_EMPTY), i32c(b, ERRNO_BADF), op(b, OP_RETURN), op(b, OP_END);
  open_count_loop(b, N);
  if (env->output_func != UINT32_MAX) { /* output(fd, iov.buf, iov.buf_len) */
    get(b, FD), get(b, IOVS), mem(b, OP_I32_LOAD, 2, 0), get(b, IOVS), mem(b, OP_I32_LOAD, 2, 4);
    op_u(b, OP_CALL, env->output_func);
  }
  get(b, TOTAL), get(b, IOVS), mem(b, OP_I32_LOAD, 2, 4), op(b, OP_I32_ADD), set(b, TOTAL);
  bump(b, IOVS, 8); /* sizeof(iovec) */
  close_count_loop(b, N);
  get(b, NWRITTEN), get(b, TOTAL), mem(b, OP_I32_STORE, 2, 0);
  i32c(b, ERRNO_SUCCESS);
}

/* clock ids 0..3 (realtime, monotonic, process, thread) are valid. */
static void check_clock_id(tw_buf *b) {
  get(b, 0), i32c(b, 3), op(b, OP_I32_GT_U);
  op(b, OP_IF), op(b, BT_EMPTY), i32c(b, ERRNO_INVAL), op(b, OP_RETURN), op(b, OP_END);
}

/* clock_time_get(id, precision, time): one virtual clock for every id that
 * starts at a non-zero time and advances TW_STUB_CLOCK_STEP ns per call, so
 * it is monotonic and every reading differs. */
static void clock_time_get(tw_buf *b, const tw_stub_env *env) {
  locals(b, 0, 0);
  check_clock_id(b);
  op_u(b, OP_GLOBAL_GET, env->clock_global), i64c(b, TW_STUB_CLOCK_STEP), op(b, OP_I64_ADD);
  op_u(b, OP_GLOBAL_SET, env->clock_global);
  get(b, 2), op_u(b, OP_GLOBAL_GET, env->clock_global), mem(b, OP_I64_STORE, 3, 0);
  i32c(b, ERRNO_SUCCESS);
}

static void clock_res_get(tw_buf *b) {
  locals(b, 0, 0);
  check_clock_id(b);
  get(b, 1), i64c(b, TW_STUB_CLOCK_STEP), mem(b, OP_I64_STORE, 3, 0);
  i32c(b, ERRNO_SUCCESS);
}

/* random_get(buf, len): xorshift64 (Marsaglia 2003), one byte per step from
 * the high half. Deterministic per instance, not cryptographic. */
static void random_get(tw_buf *b, const tw_stub_env *env) {
  enum { BUF, LEN, X };
  const uint32_t g = env->random_global;
  locals(b, 1, VT_I64);
  open_count_loop(b, LEN);
  op_u(b, OP_GLOBAL_GET, g), op_u(b, OP_GLOBAL_GET, g), i64c(b, 13), op(b, OP_I64_SHL);
  op(b, OP_I64_XOR), set(b, X);
  get(b, X), get(b, X), i64c(b, 7), op(b, OP_I64_SHR_U), op(b, OP_I64_XOR), set(b, X);
  get(b, X), get(b, X), i64c(b, 17), op(b, OP_I64_SHL), op(b, OP_I64_XOR);
  op_u(b, OP_LOCAL_TEE, X), op_u(b, OP_GLOBAL_SET, g);
  get(b, BUF), get(b, X), i64c(b, 32), op(b, OP_I64_SHR_U), mem(b, OP_I64_STORE8, 0, 0);
  bump(b, BUF, 1);
  close_count_loop(b, LEN);
  i32c(b, ERRNO_SUCCESS);
}

/* args_sizes_get / environ_sizes_get(count, buf_size): both zero. */
static void sizes_zero(tw_buf *b) {
  locals(b, 0, 0);
  get(b, 0), i32c(b, 0), mem(b, OP_I32_STORE, 2, 0);
  get(b, 1), i32c(b, 0), mem(b, OP_I32_STORE, 2, 0);
  i32c(b, ERRNO_SUCCESS);
}

/* poll_oneoff(in, out, nsubscriptions, nevents): every subscription is
 * ready at once (a sleep returns immediately): one event per subscription
 * with its userdata and type, error 0 and no bytes. Layout: subscription 48
 * bytes (userdata u64 @0, tag u8 @8); event 32 bytes (userdata @0, error u16
 * @8, type u8 @10, fd_readwrite @16..31). */
static void poll_oneoff(tw_buf *b) {
  enum { IN, OUT, N, NEVENTS };
  locals(b, 0, 0);
  get(b, NEVENTS), get(b, N), mem(b, OP_I32_STORE, 2, 0);
  open_count_loop(b, N);
  get(b, OUT), get(b, IN), mem(b, OP_I64_LOAD, 3, 0), mem(b, OP_I64_STORE, 3, 0);
  for (uint32_t off = 8; off < 32; off += 8) get(b, OUT), i64c(b, 0), mem(b, OP_I64_STORE, 3, off);
  get(b, OUT), get(b, IN), mem(b, OP_I32_LOAD8_U, 0, 8), mem(b, OP_I32_STORE8, 0, 10);
  bump(b, IN, 48);
  bump(b, OUT, 32);
  close_count_loop(b, N);
  i32c(b, ERRNO_SUCCESS);
}

void tw_stub_encode(tw_buf *b, tw_stub_kind kind, const tw_stub_env *env) {
  switch (kind) {
  case TW_STUB_FD_WRITE: fd_write(b, env); break;
  case TW_STUB_CLOCK_TIME_GET: clock_time_get(b, env); break;
  case TW_STUB_CLOCK_RES_GET: clock_res_get(b); break;
  case TW_STUB_RANDOM_GET: random_get(b, env); break;
  case TW_STUB_SIZES_ZERO: sizes_zero(b); break;
  case TW_STUB_POLL_ONEOFF: poll_oneoff(b); break;
  case TW_STUB_SUCCESS: locals(b, 0, 0), i32c(b, ERRNO_SUCCESS); break;
  case TW_STUB_EBADF: locals(b, 0, 0), i32c(b, ERRNO_BADF); break;
  case TW_STUB_ENOSYS: locals(b, 0, 0), i32c(b, ERRNO_NOSYS); break;
  case TW_STUB_NO_RESULT: locals(b, 0, 0); break;
  case TW_STUB_TRAP: locals(b, 0, 0), op(b, OP_UNREACHABLE); break;
  case TW_STUB_PROC_EXIT: /* must not return: record the code, then trap */
    locals(b, 0, 0), get(b, 0), op_u(b, OP_GLOBAL_SET, env->exit_global), op(b, OP_UNREACHABLE);
    break;
  }
  op(b, OP_END);
}
