/* LEB128 decoding and encoding (spec 5.2.2). Every expectation comes from
 * the spec's rule: an N-bit integer takes at most ceil(N/7) bytes, and in the
 * last permitted byte the bits beyond N must be zero (unsigned) or copies of
 * the sign bit (signed). So u32: 5 bytes, 4 payload bits in byte 5; s32: 5
 * bytes, bit 3 of byte 5 is the sign and bits 4..6 must equal it; s33: bit 4
 * is the sign, bits 5..6 copies; u64/s64: 10 bytes, 1 payload bit in byte 10
 * (s64: byte 10 is 0x00 or 0x7f). */
#include "unit.h"

#define OK TW_LEB_OK
#define TRUNC TW_LEB_TRUNCATED
#define LONG TW_LEB_OVERLONG
#define OVF TW_LEB_OVERFLOW

typedef struct row {
  uint8_t in[12];
  size_t avail;    /* bytes the decoder may read */
  int status;
  uint64_t value;  /* unsigned rows; signed rows use svalue */
  int64_t svalue;
  size_t len;      /* consumed bytes on success */
} row;

static const char *st_name(int s) {
  static const char *const n[] = {"OK", "TRUNCATED", "OVERLONG", "OVERFLOW"};
  return s >= 0 && s < 4 ? n[s] : "?";
}

/* ---- u32 ---------------------------------------------------------------- */
static const row u32_rows[] = {
    {{0x00}, 1, OK, 0, 0, 1},
    {{0x7f}, 1, OK, 127, 0, 1},
    {{0x80, 0x01}, 2, OK, 128, 0, 2},
    {{0xff, 0x01}, 2, OK, 255, 0, 2},
    {{0xe5, 0x8e, 0x26}, 3, OK, 624485, 0, 3},
    {{0xff, 0x7f}, 2, OK, 16383, 0, 2},
    {{0x80, 0x80, 0x01}, 3, OK, 16384, 0, 3},
    {{0x05, 0xff, 0xff}, 3, OK, 5, 0, 1},                    /* stops at the first byte */
    {{0x80, 0x00}, 2, OK, 0, 0, 2},                          /* padded zero, within 5 bytes */
    {{0x80, 0x80, 0x80, 0x80, 0x00}, 5, OK, 0, 0, 5},        /* spec: valid 5-byte u32 */
    {{0x85, 0x80, 0x80, 0x80, 0x00}, 5, OK, 5, 0, 5},
    {{0xff, 0xff, 0xff, 0xff, 0x0f}, 5, OK, UINT32_MAX, 0, 5},
    {{0x80, 0x80, 0x80, 0x80, 0x08}, 5, OK, 0x80000000u, 0, 5},
    {{0x80, 0x80, 0x80, 0x80, 0x10}, 5, OVF, 0, 0, 0},       /* bit 32 set */
    {{0xff, 0xff, 0xff, 0xff, 0x1f}, 5, OVF, 0, 0, 0},
    {{0x80, 0x80, 0x80, 0x80, 0x40}, 5, OVF, 0, 0, 0},
    {{0xff, 0xff, 0xff, 0xff, 0x7f}, 5, OVF, 0, 0, 0},
    {{0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 6, LONG, 0, 0, 0}, /* 6-byte zero */
    {{0xff, 0xff, 0xff, 0xff, 0x8f, 0x00}, 6, LONG, 0, 0, 0},
    {{0x80, 0x80, 0x80, 0x80, 0x80}, 5, LONG, 0, 0, 0},       /* 5th byte continues */
    {{0}, 0, TRUNC, 0, 0, 0},                                 /* nothing at all */
    {{0x80}, 1, TRUNC, 0, 0, 0},
    {{0xff, 0xff, 0xff, 0xff}, 4, TRUNC, 0, 0, 0},
    {{0x80, 0x00}, 1, TRUNC, 0, 0, 0},                        /* avail cuts it short */
    {{0xff, 0xff, 0xff, 0xff, 0x0f}, 4, TRUNC, 0, 0, 0},
};

static void test_u32(void **state) {
  (void)state;
  for (size_t i = 0; i < COUNT(u32_rows); i++) {
    const row *r = &u32_rows[i];
    uint32_t v = 0xdeadbeef;
    size_t len = 99;
    const int s = tw_leb_read_u32(r->in, r->avail, &v, &len);
    if (s != r->status) ROW_FAIL(i, "status %s, want %s", st_name(s), st_name(r->status));
    if (s == OK && (v != r->value || len != r->len))
      ROW_FAIL(i, "value %u len %zu, want %llu len %zu", v, len, (unsigned long long)r->value,
               r->len);
  }
}

/* ---- u64 ---------------------------------------------------------------- */
#define FF9 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff
#define X809 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80
static const row u64_rows[] = {
    {{0x00}, 1, OK, 0, 0, 1},
    {{0x7f}, 1, OK, 127, 0, 1},
    {{0x80, 0x01}, 2, OK, 128, 0, 2},
    {{0xff, 0xff, 0xff, 0xff, 0x0f}, 5, OK, UINT32_MAX, 0, 5},
    {{0x80, 0x80, 0x80, 0x80, 0x10}, 5, OK, 1ull << 32, 0, 5}, /* a u32 overflow, fine here */
    {{0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 6, OK, 0, 0, 6},    /* a u32 overlong, fine here */
    {{FF9, 0x01}, 10, OK, UINT64_MAX, 0, 10},
    {{X809, 0x01}, 10, OK, 1ull << 63, 0, 10},
    {{X809, 0x00}, 10, OK, 0, 0, 10},
    {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, 8, OK, (1ull << 56) - 1, 0, 8},
    {{X809, 0x02}, 10, OVF, 0, 0, 0},  /* bit 64 */
    {{FF9, 0x7f}, 10, OVF, 0, 0, 0},
    {{X809, 0x80, 0x00}, 11, LONG, 0, 0, 0},
    {{X809, 0x81}, 10, LONG, 0, 0, 0},
    {{FF9}, 9, TRUNC, 0, 0, 0},
    {{0x80, 0x80}, 2, TRUNC, 0, 0, 0},
};

static void test_u64(void **state) {
  (void)state;
  for (size_t i = 0; i < COUNT(u64_rows); i++) {
    const row *r = &u64_rows[i];
    uint64_t v = 0xdeadbeef;
    size_t len = 99;
    const int s = tw_leb_read_u64(r->in, r->avail, &v, &len);
    if (s != r->status) ROW_FAIL(i, "status %s, want %s", st_name(s), st_name(r->status));
    if (s == OK && (v != r->value || len != r->len))
      ROW_FAIL(i, "value %llu len %zu, want %llu len %zu", (unsigned long long)v, len,
               (unsigned long long)r->value, r->len);
  }
}

/* ---- s32 ---------------------------------------------------------------- */
static const row s32_rows[] = {
    {{0x00}, 1, OK, 0, 0, 1},
    {{0x7f}, 1, OK, 0, -1, 1},
    {{0x3f}, 1, OK, 0, 63, 1},
    {{0x40}, 1, OK, 0, -64, 1},
    {{0xc0, 0x00}, 2, OK, 0, 64, 2},
    {{0xbf, 0x7f}, 2, OK, 0, -65, 2},
    {{0xff, 0x00}, 2, OK, 0, 127, 2},
    {{0x80, 0x7f}, 2, OK, 0, -128, 2},
    {{0xc0, 0xbb, 0x78}, 3, OK, 0, -123456, 3},
    {{0xe5, 0x8e, 0x26}, 3, OK, 0, 624485, 3},
    {{0xff, 0xff, 0xff, 0xff, 0x07}, 5, OK, 0, INT32_MAX, 5},
    {{0x80, 0x80, 0x80, 0x80, 0x78}, 5, OK, 0, INT32_MIN, 5},
    {{0xff, 0xff, 0xff, 0xff, 0x7f}, 5, OK, 0, -1, 5},        /* padded -1 */
    {{0x80, 0x80, 0x80, 0x80, 0x00}, 5, OK, 0, 0, 5},         /* padded 0 */
    {{0xff, 0xff, 0xff, 0xff, 0x4f}, 5, OVF, 0, 0, 0},        /* bits 4..6 = 100, sign 1 */
    {{0xff, 0xff, 0xff, 0xff, 0x0f}, 5, OVF, 0, 0, 0},        /* sign 1, bits 4..6 zero */
    {{0x80, 0x80, 0x80, 0x80, 0x08}, 5, OVF, 0, 0, 0},        /* 2^31 */
    {{0x80, 0x80, 0x80, 0x80, 0x70}, 5, OVF, 0, 0, 0},        /* sign 0, bits 4..6 ones */
    {{0xff, 0xff, 0xff, 0xff, 0x77}, 5, OVF, 0, 0, 0},
    {{0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, 6, LONG, 0, 0, 0},
    {{0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 6, LONG, 0, 0, 0},
    {{0}, 0, TRUNC, 0, 0, 0},
    {{0xff}, 1, TRUNC, 0, 0, 0},
    {{0x80, 0x80, 0x80, 0x80}, 4, TRUNC, 0, 0, 0},
};

static void test_s32(void **state) {
  (void)state;
  for (size_t i = 0; i < COUNT(s32_rows); i++) {
    const row *r = &s32_rows[i];
    int32_t v = 0x5a5a;
    size_t len = 99;
    const int s = tw_leb_read_s32(r->in, r->avail, &v, &len);
    if (s != r->status) ROW_FAIL(i, "status %s, want %s", st_name(s), st_name(r->status));
    if (s == OK && (v != r->svalue || len != r->len))
      ROW_FAIL(i, "value %d len %zu, want %lld len %zu", v, len, (long long)r->svalue, r->len);
  }
}

/* ---- s33 (block types, heap types) -------------------------------------- */
static const row s33_rows[] = {
    {{0x00}, 1, OK, 0, 0, 1},
    {{0x40}, 1, OK, 0, -64, 1},   /* the empty block type byte */
    {{0x7f}, 1, OK, 0, -1, 1},
    {{0xff, 0xff, 0xff, 0xff, 0x0f}, 5, OK, 0, 4294967295ll, 5},  /* max: 2^32 - 1 */
    {{0x80, 0x80, 0x80, 0x80, 0x70}, 5, OK, 0, -4294967296ll, 5}, /* min: -2^32 */
    {{0xff, 0xff, 0xff, 0xff, 0x07}, 5, OK, 0, INT32_MAX, 5},
    {{0x80, 0x80, 0x80, 0x80, 0x08}, 5, OK, 0, 2147483648ll, 5}, /* s32 overflow, fine here */
    {{0xff, 0xff, 0xff, 0xff, 0x7f}, 5, OK, 0, -1, 5},
    {{0xff, 0xff, 0xff, 0xff, 0x1f}, 5, OVF, 0, 0, 0},  /* sign (bit 4) 1, bits 5..6 zero */
    {{0x80, 0x80, 0x80, 0x80, 0x10}, 5, OVF, 0, 0, 0},
    {{0x80, 0x80, 0x80, 0x80, 0x60}, 5, OVF, 0, 0, 0},  /* sign 0, bits 5..6 ones */
    {{0xff, 0xff, 0xff, 0xff, 0x4f}, 5, OVF, 0, 0, 0},
    {{0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 6, LONG, 0, 0, 0},
    {{0xc0}, 1, TRUNC, 0, 0, 0},
};

static void test_s33(void **state) {
  (void)state;
  for (size_t i = 0; i < COUNT(s33_rows); i++) {
    const row *r = &s33_rows[i];
    int64_t v = 0x5a5a;
    size_t len = 99;
    const int s = tw_leb_read_s33(r->in, r->avail, &v, &len);
    if (s != r->status) ROW_FAIL(i, "status %s, want %s", st_name(s), st_name(r->status));
    if (s == OK && (v != r->svalue || len != r->len))
      ROW_FAIL(i, "value %lld len %zu, want %lld len %zu", (long long)v, len,
               (long long)r->svalue, r->len);
  }
}

/* ---- s64 ---------------------------------------------------------------- */
static const row s64_rows[] = {
    {{0x00}, 1, OK, 0, 0, 1},
    {{0x7f}, 1, OK, 0, -1, 1},
    {{0xc0, 0xbb, 0x78}, 3, OK, 0, -123456, 3},
    {{FF9, 0x00}, 10, OK, 0, INT64_MAX, 10},
    {{X809, 0x7f}, 10, OK, 0, INT64_MIN, 10},
    {{FF9, 0x7f}, 10, OK, 0, -1, 10},
    {{X809, 0x00}, 10, OK, 0, 0, 10},
    {{0x80, 0x80, 0x80, 0x80, 0x10}, 5, OK, 0, 1ll << 32, 5},
    {{0x80, 0x80, 0x80, 0x80, 0x70}, 5, OK, 0, -(1ll << 32), 5},
    {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3f}, 9, OK, 0, (1ll << 62) - 1, 9},
    {{X809, 0x01}, 10, OVF, 0, 0, 0},   /* sign 1, bits 1..6 zero */
    {{FF9, 0x7e}, 10, OVF, 0, 0, 0},    /* sign 0, bits 1..6 ones */
    {{FF9, 0x40}, 10, OVF, 0, 0, 0},
    {{X809, 0x80, 0x00}, 11, LONG, 0, 0, 0},
    {{FF9, 0xff}, 10, LONG, 0, 0, 0},
    {{FF9}, 9, TRUNC, 0, 0, 0},
    {{0}, 0, TRUNC, 0, 0, 0},
};

static void test_s64(void **state) {
  (void)state;
  for (size_t i = 0; i < COUNT(s64_rows); i++) {
    const row *r = &s64_rows[i];
    int64_t v = 0x5a5a;
    size_t len = 99;
    const int s = tw_leb_read_s64(r->in, r->avail, &v, &len);
    if (s != r->status) ROW_FAIL(i, "status %s, want %s", st_name(s), st_name(r->status));
    if (s == OK && (v != r->svalue || len != r->len))
      ROW_FAIL(i, "value %lld len %zu, want %lld len %zu", (long long)v, len,
               (long long)r->svalue, r->len);
  }
}

/* ---- encoding ------------------------------------------------------------- */
static void test_size_u64(void **state) {
  (void)state;
  static const struct {
    uint64_t v;
    size_t n;
  } t[] = {
      {0, 1}, {1, 1}, {127, 1}, {128, 2}, {16383, 2}, {16384, 3}, {(1u << 21) - 1, 3},
      {1u << 21, 4}, {(1u << 28) - 1, 4}, {1u << 28, 5}, {UINT32_MAX, 5}, {(1ull << 35) - 1, 5},
      {1ull << 35, 6}, {(1ull << 56) - 1, 8}, {1ull << 56, 9}, {(1ull << 63) - 1, 9},
      {1ull << 63, 10}, {UINT64_MAX, 10},
  };
  for (size_t i = 0; i < COUNT(t); i++) {
    const size_t n = tw_leb_size_u64(t[i].v);
    if (n != t[i].n)
      ROW_FAIL(i, "size of %llu is %zu, want %zu", (unsigned long long)t[i].v, n, t[i].n);
  }
}

typedef struct wrow {
  uint64_t v;
  size_t width;
  uint8_t want[10];
  size_t n;
} wrow;

static void test_write_u64(void **state) {
  (void)state;
  static const wrow t[] = {
      {0, 0, {0x00}, 1},
      {127, 0, {0x7f}, 1},
      {128, 0, {0x80, 0x01}, 2},
      {624485, 0, {0xe5, 0x8e, 0x26}, 3},
      {UINT32_MAX, 0, {0xff, 0xff, 0xff, 0xff, 0x0f}, 5},
      {UINT64_MAX, 0, {FF9, 0x01}, 10},
      {1ull << 63, 0, {X809, 0x01}, 10},
      /* padded */
      {0, 1, {0x00}, 1},
      {0, 5, {0x80, 0x80, 0x80, 0x80, 0x00}, 5},
      {5, 5, {0x85, 0x80, 0x80, 0x80, 0x00}, 5},
      {128, 3, {0x80, 0x81, 0x00}, 3},
      {624485, 3, {0xe5, 0x8e, 0x26}, 3},
      {624485, 4, {0xe5, 0x8e, 0xa6, 0x00}, 4},
      {UINT32_MAX, 5, {0xff, 0xff, 0xff, 0xff, 0x0f}, 5},
      {1, 2, {0x81, 0x00}, 2},
  };
  for (size_t i = 0; i < COUNT(t); i++) {
    uint8_t out[16];
    memset(out, 0xaa, sizeof out);
    const size_t n = tw_leb_write_u64(out, t[i].v, t[i].width);
    if (n != t[i].n || memcmp(out, t[i].want, n) != 0) {
      hex_dump("got", out, n);
      ROW_FAIL(i, "write_u64(%llu, width %zu) wrong", (unsigned long long)t[i].v, t[i].width);
    }
    if (out[n] != 0xaa) ROW_FAIL(i, "wrote past the %zu bytes it reported", n);
    /* Padded encodings of u32 values decode back, consuming the full width. */
    if (t[i].v <= UINT32_MAX && n <= 5) {
      uint32_t v = 0;
      size_t len = 0;
      if (tw_leb_read_u32(out, n, &v, &len) != OK || v != t[i].v || len != n)
        ROW_FAIL(i, "u32 read-back gave %u / %zu", v, len);
    }
  }
}

static void test_write_s64(void **state) {
  (void)state;
  static const struct {
    int64_t v;
    uint8_t want[10];
    size_t n;
  } t[] = {
      {0, {0x00}, 1},
      {-1, {0x7f}, 1},
      {63, {0x3f}, 1},
      {64, {0xc0, 0x00}, 2},
      {-64, {0x40}, 1},
      {-65, {0xbf, 0x7f}, 2},
      {12, {0x0c}, 1},
      {-123456, {0xc0, 0xbb, 0x78}, 3},
      {INT32_MAX, {0xff, 0xff, 0xff, 0xff, 0x07}, 5},
      {INT32_MIN, {0x80, 0x80, 0x80, 0x80, 0x78}, 5},
      {INT64_MAX, {FF9, 0x00}, 10},
      {INT64_MIN, {X809, 0x7f}, 10},
  };
  for (size_t i = 0; i < COUNT(t); i++) {
    uint8_t out[16];
    memset(out, 0xaa, sizeof out);
    const size_t n = tw_leb_write_s64(out, t[i].v);
    if (n != t[i].n || memcmp(out, t[i].want, n) != 0) {
      hex_dump("got", out, n);
      ROW_FAIL(i, "write_s64(%lld) wrong", (long long)t[i].v);
    }
    if (out[n] != 0xaa) ROW_FAIL(i, "wrote past the %zu bytes it reported", n);
  }
}

/* Deterministic value sweep: powers of two and their neighbours, plus an
 * LCG; each value goes write -> read through every decoder whose range
 * holds it. */
static uint64_t sweep_value(size_t k) {
  if (k < 64 * 3) {
    const uint64_t p = 1ull << (k / 3);
    return k % 3 == 0 ? p - 1 : k % 3 == 1 ? p : p + 1;
  }
  uint64_t x = 0x9e3779b97f4a7c15ull * (k + 1);
  x ^= x >> 29;
  return x >> (k % 64); /* spread over all widths */
}

static void test_round_trip(void **state) {
  (void)state;
  for (size_t k = 0; k < 4000; k++) {
    const uint64_t u = sweep_value(k);
    uint8_t buf[16];
    size_t len = 0;
    /* unsigned */
    size_t n = tw_leb_write_u64(buf, u, 0);
    if (n != tw_leb_size_u64(u)) ROW_FAIL(k, "u64 %llu: wrote %zu", (unsigned long long)u, n);
    uint64_t got = 0;
    if (tw_leb_read_u64(buf, n, &got, &len) != OK || got != u || len != n)
      ROW_FAIL(k, "u64 %llu round trip", (unsigned long long)u);
    if (u <= UINT32_MAX) {
      uint32_t g32 = 0;
      if (tw_leb_read_u32(buf, n, &g32, &len) != OK || g32 != u || len != n)
        ROW_FAIL(k, "u32 %llu round trip", (unsigned long long)u);
      /* Every width up to 5 is a valid u32 encoding. */
      for (size_t w = n; w <= 5; w++) {
        const size_t m = tw_leb_write_u64(buf, u, w);
        if (m != w || tw_leb_read_u32(buf, m, &g32, &len) != OK || g32 != u || len != w)
          ROW_FAIL(k, "u32 %llu padded to %zu", (unsigned long long)u, w);
      }
    } else {
      uint32_t g32 = 0;
      if (tw_leb_read_u32(buf, n, &g32, &len) == OK)
        ROW_FAIL(k, "u32 decoded %llu, which does not fit", (unsigned long long)u);
    }
    /* signed: both u and its negation */
    for (int neg = 0; neg < 2; neg++) {
      const int64_t s = neg ? (int64_t)(0 - u) : (int64_t)u;
      n = tw_leb_write_s64(buf, s);
      int64_t g = 0;
      if (tw_leb_read_s64(buf, n, &g, &len) != OK || g != s || len != n)
        ROW_FAIL(k, "s64 %lld round trip", (long long)s);
      const bool fits33 = s >= -(1ll << 32) && s < (1ll << 32);
      const int st33 = tw_leb_read_s33(buf, n, &g, &len);
      if (fits33 ? (st33 != OK || g != s || len != n) : st33 == OK)
        ROW_FAIL(k, "s33 %lld: status %s", (long long)s, st_name(st33));
      int32_t g32 = 0;
      const bool fits32 = s >= INT32_MIN && s <= INT32_MAX;
      const int st32 = tw_leb_read_s32(buf, n, &g32, &len);
      if (fits32 ? (st32 != OK || g32 != s || len != n) : st32 == OK)
        ROW_FAIL(k, "s32 %lld: status %s", (long long)s, st_name(st32));
    }
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_u32),       cmocka_unit_test(test_u64),
      cmocka_unit_test(test_s32),       cmocka_unit_test(test_s33),
      cmocka_unit_test(test_s64),       cmocka_unit_test(test_size_u64),
      cmocka_unit_test(test_write_u64), cmocka_unit_test(test_write_s64),
      cmocka_unit_test(test_round_trip),
  };
  return cmocka_run_group_tests_name("leb128", tests, NULL, NULL);
}
