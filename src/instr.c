/* The instruction decoder renumbering needs: it finds every
 * function index in code and constant expressions, so it must step over the
 * immediates of every instruction correctly. Opcode tables follow the
 * WebAssembly 3.0 binary format (spec 5.4) plus the proposals of the spec
 * testsuite: threads (0xfe), relaxed SIMD (0xfd 0x100..0x113) and legacy
 * exception handling (try/catch/rethrow/delegate). */
#include <string.h>

#include "err.h"
#include "instr.h"
#include "taskwrap.h"
#include "valtype.h"

/* Immediate shapes. */
enum imm {
  I_BAD = 0,    /* not an opcode */
  I_NONE,
  I_BLOCK,      /* blocktype, opens a block */
  I_TRY_TABLE,  /* blocktype vec(catch), opens a block */
  I_IDX,        /* one u32 index (label, local, global, table, type, tag, data, elem, memory) */
  I_IDX2,       /* two u32 indices */
  I_FUNC,       /* a function index */
  I_BR_TABLE,   /* vec(label) label */
  I_SELECT_T,   /* vec(valtype) */
  I_MEMARG,     /* align (bit 6: a memory index follows) and offset */
  I_MEMARG_LANE,
  I_LANE,       /* one lane byte */
  I_BYTES16,    /* v128.const, i8x16.shuffle */
  I_I32, I_I64, I_F32, I_F64,
  I_HEAP,       /* heap type */
  I_BR_ON_CAST, /* castflags label heaptype heaptype */
  I_FENCE,      /* atomic.fence: one reserved zero byte */
  I_END,        /* end: closes a block */
  I_DELEGATE    /* delegate label: closes a try */
};

/* One-byte opcodes (spec 5.4): numeric and sign extension 0x45-0xc4,
 * memory 0x28-0x3e, variables 0x20-0x26, and the rest one by one. A table,
 * because this is the decoder's hottest lookup. */
static const uint8_t one_byte_kind[256] = {
    I_NONE, I_NONE, I_BLOCK, I_BLOCK,
    I_BLOCK, I_NONE, I_BLOCK, I_IDX,
    I_IDX, I_IDX, I_NONE, I_END,
    I_IDX, I_IDX, I_BR_TABLE, I_NONE,
    I_FUNC, I_IDX2, I_FUNC, I_IDX2,
    I_IDX, I_IDX, I_BAD, I_BAD,
    I_DELEGATE, I_NONE, I_NONE, I_NONE,
    I_SELECT_T, I_BAD, I_BAD, I_TRY_TABLE,
    I_IDX, I_IDX, I_IDX, I_IDX,
    I_IDX, I_IDX, I_IDX, I_BAD,
    I_MEMARG, I_MEMARG, I_MEMARG, I_MEMARG,
    I_MEMARG, I_MEMARG, I_MEMARG, I_MEMARG,
    I_MEMARG, I_MEMARG, I_MEMARG, I_MEMARG,
    I_MEMARG, I_MEMARG, I_MEMARG, I_MEMARG,
    I_MEMARG, I_MEMARG, I_MEMARG, I_MEMARG,
    I_MEMARG, I_MEMARG, I_MEMARG, I_IDX,
    I_IDX, I_I32, I_I64, I_F32,
    I_F64, I_NONE, I_NONE, I_NONE,
    I_NONE, I_NONE, I_NONE, I_NONE,
    I_NONE, I_NONE, I_NONE, I_NONE,
    I_NONE, I_NONE, I_NONE, I_NONE,
    I_NONE, I_NONE, I_NONE, I_NONE,
    I_NONE, I_NONE, I_NONE, I_NONE,
    I_NONE, I_NONE, I_NONE, I_NONE,
    I_NONE, I_NONE, I_NONE, I_NONE,
    I_NONE, I_NONE, I_NONE, I_NONE,
    I_NONE, I_NONE, I_NONE, I_NONE,
    I_NONE, I_NONE, I_NONE, I_NONE,
    I_NONE, I_NONE, I_NONE, I_NONE,
    I_NONE, I_NONE, I_NONE, I_NONE,
    I_NONE, I_NONE, I_NONE, I_NONE,
    I_NONE, I_NONE, I_NONE, I_NONE,
    I_NONE, I_NONE, I_NONE, I_NONE,
    I_NONE, I_NONE, I_NONE, I_NONE,
    I_NONE, I_NONE, I_NONE, I_NONE,
    I_NONE, I_NONE, I_NONE, I_NONE,
    I_NONE, I_NONE, I_NONE, I_NONE,
    I_NONE, I_NONE, I_NONE, I_NONE,
    I_NONE, I_NONE, I_NONE, I_NONE,
    I_NONE, I_NONE, I_NONE, I_NONE,
    I_NONE, I_NONE, I_NONE, I_NONE,
    I_NONE, I_NONE, I_NONE, I_NONE,
    I_NONE, I_NONE, I_NONE, I_NONE,
    I_NONE, I_NONE, I_NONE, I_NONE,
    I_NONE, I_NONE, I_NONE, I_NONE,
    I_NONE, I_NONE, I_NONE, I_NONE,
    I_NONE, I_NONE, I_NONE, I_NONE,
    I_NONE, I_NONE, I_NONE, I_NONE,
    I_NONE, I_NONE, I_NONE, I_NONE,
    I_NONE, I_BAD, I_BAD, I_BAD,
    I_BAD, I_BAD, I_BAD, I_BAD,
    I_BAD, I_BAD, I_BAD, I_BAD,
    I_HEAP, I_NONE, I_FUNC, I_NONE,
    I_NONE, I_IDX, I_IDX, I_BAD,
    I_BAD, I_BAD, I_BAD, I_BAD,
    I_BAD, I_BAD, I_BAD, I_BAD,
    I_BAD, I_BAD, I_BAD, I_BAD,
    I_BAD, I_BAD, I_BAD, I_BAD,
    I_BAD, I_BAD, I_BAD, I_BAD,
    I_BAD, I_BAD, I_BAD, I_BAD,
    I_BAD, I_BAD, I_BAD, I_BAD,
    I_BAD, I_BAD, I_BAD, I_BAD,
    I_BAD, I_BAD, I_BAD, I_BAD,
    I_BAD, I_BAD, I_BAD, I_BAD,
};

/* 0xfb: GC (spec 5.4.7). */
static enum imm gc_op(uint32_t sub) {
  switch (sub) {
  case 0: case 1: case 6: case 7: case 11: case 12: case 13: case 14: case 16: return I_IDX;
  case 2: case 3: case 4: case 5: case 8: case 9: case 10: case 17: case 18: case 19: return I_IDX2;
  case 15: case 26: case 27: case 28: case 29: case 30: return I_NONE;
  case 20: case 21: case 22: case 23: return I_HEAP;
  case 24: case 25: return I_BR_ON_CAST;
  default: return I_BAD;
  }
}

/* 0xfc: saturating truncation, bulk memory, tables. */
static enum imm misc_op(uint32_t sub) {
  if (sub <= 7) return I_NONE;
  switch (sub) {
  case 8: case 10: case 12: case 14: return I_IDX2; /* memory.init d m, memory.copy, table.init e t, table.copy */
  case 9: case 11: case 13: case 15: case 16: case 17: return I_IDX;
  default: return I_BAD;
  }
}

/* 0xfd: SIMD. The gaps are opcodes the SIMD proposal retired. */
static enum imm simd_op(uint32_t sub) {
  if (sub <= 11 || sub == 92 || sub == 93) return I_MEMARG;
  if (sub == 12 || sub == 13) return I_BYTES16;
  if (sub >= 21 && sub <= 34) return I_LANE;
  if (sub >= 84 && sub <= 91) return I_MEMARG_LANE;
  if (sub >= 0x100 && sub <= 0x113) return I_NONE; /* relaxed SIMD */
  if (sub > 0xff) return I_BAD;
  static const uint8_t retired[] = {0x9a, 0xa2, 0xa5, 0xa6, 0xaf, 0xb0, 0xb2, 0xb3, 0xb4, 0xbb,
                                    0xc2, 0xc5, 0xc6, 0xcf, 0xd0, 0xd2, 0xd3, 0xd4, 0xe2, 0xee};
  return memchr(retired, (int)sub, sizeof retired) ? I_BAD : I_NONE;
}

/* 0xfe: threads. */
static enum imm atomic_op(uint32_t sub) {
  if (sub <= 2 || (sub >= 0x10 && sub <= 0x4e)) return I_MEMARG;
  return sub == 3 ? I_FENCE : I_BAD;
}

static bool read_block_type(tw_cursor *c) {
  if (c->pos >= c->end) return tw_read_u8(c, &(uint8_t){0}, "block type");
  const uint8_t b = c->base[c->pos];
  if (b == 0x40) return tw_skip(c, 1, "block type");
  if ((b & 0xc0) == 0x40 || b == 0x63 || b == 0x64) /* a value type (negative s33) */
    return tw_read_val_type(c, false, "block type");
  const size_t at = c->pos;
  int64_t idx = 0;
  if (!tw_read_s33(c, &idx, "block type index")) return false;
  if (idx < 0) { /* negative block types are the one-byte forms above */
    tw_err_set(c->err, TW_ERR_MALFORMED, at, "malformed block type");
    c->pos = at;
    return false;
  }
  return true;
}

static bool read_memarg(tw_cursor *c) {
  uint32_t align = 0, mem = 0;
  uint64_t offset = 0;
  const size_t at = c->pos;
  if (!tw_read_u32(c, &align, "memory alignment")) return false;
  if (align >= 128) { /* bits 0-5 alignment, bit 6 memory index (spec 5.4.6) */
    tw_err_set(c->err, TW_ERR_MALFORMED, at, "malformed memory argument flags %u", align);
    return false;
  }
  if ((align & 0x40) && !tw_read_u32(c, &mem, "memory index")) return false; /* multi-memory */
  return tw_read_u64(c, &offset, "memory offset"); /* u64 covers memory64 */
}

static bool read_vec(tw_cursor *c, bool valtypes, const char *what) {
  uint32_t n = 0, v = 0;
  if (!tw_read_u32(c, &n, what)) return false;
  for (uint32_t i = 0; i < n; i++) {
    if (valtypes ? !tw_read_val_type(c, false, what) : !tw_read_u32(c, &v, what)) return false;
  }
  return true;
}

static bool read_catches(tw_cursor *c) {
  uint32_t n = 0, idx = 0;
  if (!tw_read_u32(c, &n, "catch clauses")) return false;
  for (uint32_t i = 0; i < n; i++) {
    const size_t at = c->pos;
    uint8_t kind = 0;
    if (!tw_read_u8(c, &kind, "catch kind")) return false;
    if (kind > 3) {
      tw_err_set(c->err, TW_ERR_MALFORMED, at, "malformed catch kind 0x%02x", kind);
      return false;
    }
    if (kind < 2 && !tw_read_u32(c, &idx, "catch tag")) return false; /* catch, catch_ref */
    if (!tw_read_u32(c, &idx, "catch label")) return false;
  }
  return true;
}

static bool read_immediates(tw_cursor *c, enum imm kind, tw_instr *out) {
  uint32_t u = 0;
  int32_t s32 = 0;
  int64_t s64 = 0;
  uint8_t b = 0;
  switch (kind) {
  case I_NONE: case I_END: return true;
  case I_BLOCK: return read_block_type(c);
  case I_TRY_TABLE: return read_block_type(c) && read_catches(c);
  case I_IDX: case I_DELEGATE: return tw_read_u32(c, &u, "index");
  case I_IDX2: return tw_read_u32(c, &u, "index") && tw_read_u32(c, &u, "index");
  case I_FUNC:
    out->has_func = true;
    out->func_pos = c->pos;
    if (!tw_read_u32(c, &out->func, "function index")) return false;
    out->func_len = c->pos - out->func_pos;
    return true;
  case I_BR_TABLE: return read_vec(c, false, "br_table labels") && tw_read_u32(c, &u, "label");
  case I_SELECT_T: return read_vec(c, true, "select types");
  case I_MEMARG: return read_memarg(c);
  case I_MEMARG_LANE: return read_memarg(c) && tw_read_u8(c, &b, "lane index");
  case I_LANE: return tw_read_u8(c, &b, "lane index");
  case I_BYTES16: return tw_skip(c, 16, "16-byte immediate");
  case I_I32: return tw_read_s32(c, &s32, "i32 constant");
  case I_I64: return tw_read_s64(c, &s64, "i64 constant");
  case I_F32: return tw_skip(c, 4, "f32 constant");
  case I_F64: return tw_skip(c, 8, "f64 constant");
  case I_HEAP: return tw_read_heap_type(c, "heap type");
  case I_BR_ON_CAST:
    if (!tw_read_u8(c, &b, "cast flags")) return false;
    if (b > 3) { /* bit 0: source nullable, bit 1: target nullable */
      tw_err_set(c->err, TW_ERR_MALFORMED, c->pos - 1, "malformed cast flags 0x%02x", b);
      return false;
    }
    return tw_read_u32(c, &u, "label") &&
           tw_read_heap_type(c, "heap type") && tw_read_heap_type(c, "heap type");
  case I_FENCE:
    if (!tw_read_u8(c, &b, "atomic.fence flags")) return false;
    if (b != 0) {
      tw_err_set(c->err, TW_ERR_MALFORMED, c->pos - 1, "atomic.fence: malformed flags 0x%02x", b);
      return false;
    }
    return true;
  case I_BAD: break;
  }
  return false;
}

/* The common shapes with one-byte immediates, decoded in place; anything
 * else (and anything near the end) takes the general path. */
static bool fast_path(tw_cursor *c, tw_instr *out) {
  const size_t at = c->pos;
  if (c->end - at < 3) return false;
  const uint8_t *p = c->base + at;
  const uint8_t op = p[0];
  size_t n = 0;
  int nest = TW_NEST_NONE;
  switch ((enum imm)one_byte_kind[op]) {
  case I_NONE: n = 1; break;
  case I_END: n = 1, nest = TW_NEST_CLOSE; break;
  case I_IDX: case I_I32:
    if (p[1] >= 0x80) return false;
    n = 2;
    break;
  case I_MEMARG:
    if (p[1] >= 0x40 || p[2] >= 0x80) return false; /* no memory index, one-byte offset */
    n = 3;
    break;
  case I_BLOCK: /* empty or a number type: one byte */
    if (p[1] != 0x40 && (p[1] < 0x7b || p[1] > 0x7f)) return false;
    n = 2, nest = TW_NEST_OPEN;
    break;
  case I_FUNC:
    if (p[1] >= 0x80) return false;
    out->has_func = true;
    out->func = p[1];
    out->func_pos = at + 1;
    out->func_len = 1;
    n = 2;
    break;
  default: return false;
  }
  out->prefix = 0;
  out->code = op;
  out->start = at;
  out->nest = nest;
  out->end = at + n;
  c->pos = at + n;
  return true;
}

bool tw_instr_next(tw_cursor *c, tw_instr *out) {
  out->has_func = false;
  if (fast_path(c, out)) return true;
  const size_t at = c->pos;
  out->prefix = 0;
  out->has_func = false;
  out->func = 0;
  out->func_pos = out->func_len = 0;
  out->start = at;
  uint8_t op = 0;
  if (!tw_read_u8(c, &op, "instruction")) return false;
  enum imm kind;
  if (op == 0xfb || op == 0xfc || op == 0xfd || op == 0xfe) {
    out->prefix = op;
    if (!tw_read_u32(c, &out->code, "sub-opcode")) {
      c->pos = at;
      return false;
    }
    kind = op == 0xfb ? gc_op(out->code)
         : op == 0xfc ? misc_op(out->code)
         : op == 0xfd ? simd_op(out->code)
                      : atomic_op(out->code);
  } else {
    out->code = op;
    kind = (enum imm)one_byte_kind[op];
  }
  if (kind == I_BAD) {
    if (out->prefix)
      tw_err_set(c->err, TW_ERR_UNSUPPORTED, at, "unknown opcode 0x%02x %u", out->prefix,
                 out->code);
    else
      tw_err_set(c->err, TW_ERR_UNSUPPORTED, at, "unknown opcode 0x%02x", op);
    c->pos = at;
    return false;
  }
  if (!read_immediates(c, kind, out)) {
    c->pos = at;
    return false;
  }
  out->nest = (kind == I_BLOCK || kind == I_TRY_TABLE) ? TW_NEST_OPEN
            : (kind == I_END || kind == I_DELEGATE)    ? TW_NEST_CLOSE
                                                       : TW_NEST_NONE;
  out->end = c->pos;
  return true;
}

bool tw_skip_locals(tw_cursor *c) {
  const size_t at = c->pos;
  uint32_t n = 0, count = 0;
  uint64_t total = 0;
  if (!tw_read_u32(c, &n, "local declarations")) return false;
  for (uint32_t i = 0; i < n; i++) {
    const size_t decl = c->pos;
    if (!tw_read_u32(c, &count, "local count") || !tw_read_val_type(c, false, "local type")) {
      c->pos = at;
      return false;
    }
    total += count;
    if (total > UINT32_MAX) { /* spec 5.5.13: fewer than 2^32 locals */
      tw_err_set(c->err, TW_ERR_MALFORMED, decl, "too many locals");
      c->pos = at;
      return false;
    }
  }
  return true;
}
