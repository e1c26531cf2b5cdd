/* LEB128 as the WebAssembly binary format defines it (spec 5.2.2): an N-bit
 * integer takes at most ceil(N/7) bytes, and the bits of the last byte beyond
 * N must be zero (unsigned) or copies of the sign bit (signed). */
#include <stdbool.h>

#include "leb.h"

static tw_leb_status leb_unsigned(const uint8_t *p, size_t avail, unsigned bits, uint64_t *out,
                                  size_t *len) {
  const size_t max_bytes = (bits + 6) / 7;
  uint64_t v = 0;
  for (size_t i = 0; i < max_bytes; i++) {
    if (i >= avail) return TW_LEB_TRUNCATED;
    const uint8_t byte = p[i];
    const unsigned shift = (unsigned)(7 * i);
    if (i == max_bytes - 1) {
      /* Last permitted byte: no continuation, and no bits beyond `bits`. */
      if (byte & 0x80) return TW_LEB_OVERLONG;
      const unsigned used = bits - shift;
      if (used < 7 && (byte >> used) != 0) return TW_LEB_OVERFLOW;
    }
    v |= (uint64_t)(byte & 0x7f) << shift;
    if (!(byte & 0x80)) {
      *out = v;
      *len = i + 1;
      return TW_LEB_OK;
    }
  }
  return TW_LEB_OVERLONG; /* unreachable: the loop returns on the last byte */
}

static tw_leb_status leb_signed(const uint8_t *p, size_t avail, unsigned bits, int64_t *out,
                                size_t *len) {
  const size_t max_bytes = (bits + 6) / 7;
  uint64_t v = 0;
  for (size_t i = 0; i < max_bytes; i++) {
    if (i >= avail) return TW_LEB_TRUNCATED;
    const uint8_t byte = p[i];
    const unsigned shift = (unsigned)(7 * i);
    if (i == max_bytes - 1) {
      if (byte & 0x80) return TW_LEB_OVERLONG;
      const unsigned used = bits - shift; /* 1..7 payload bits, sign included */
      if (used < 7) {
        /* Bits from the sign bit up must be all zeros or all ones. */
        const uint8_t rest = (uint8_t)((byte & 0x7f) >> (used - 1));
        const uint8_t all = (uint8_t)(0x7f >> (used - 1));
        if (rest != 0 && rest != all) return TW_LEB_OVERFLOW;
      }
    }
    v |= (uint64_t)(byte & 0x7f) << shift;
    if (!(byte & 0x80)) {
      const unsigned total = shift + 7;
      if (total < 64 && (byte & 0x40)) v |= ~(uint64_t)0 << total;
      /* Two's complement reinterpretation without implementation-defined
       * conversion of out-of-range unsigned values. */
      *out = (v >> 63) ? -(int64_t)(~v) - 1 : (int64_t)v;
      *len = i + 1;
      return TW_LEB_OK;
    }
  }
  return TW_LEB_OVERLONG;
}

tw_leb_status tw_leb_read_u32(const uint8_t *p, size_t avail, uint32_t *out, size_t *len) {
  uint64_t v = 0;
  tw_leb_status s = leb_unsigned(p, avail, 32, &v, len);
  if (s == TW_LEB_OK) *out = (uint32_t)v;
  return s;
}

tw_leb_status tw_leb_read_u64(const uint8_t *p, size_t avail, uint64_t *out, size_t *len) {
  return leb_unsigned(p, avail, 64, out, len);
}

tw_leb_status tw_leb_read_s32(const uint8_t *p, size_t avail, int32_t *out, size_t *len) {
  int64_t v = 0;
  tw_leb_status s = leb_signed(p, avail, 32, &v, len);
  if (s == TW_LEB_OK) *out = (int32_t)v;
  return s;
}

tw_leb_status tw_leb_read_s33(const uint8_t *p, size_t avail, int64_t *out, size_t *len) {
  return leb_signed(p, avail, 33, out, len);
}

tw_leb_status tw_leb_read_s64(const uint8_t *p, size_t avail, int64_t *out, size_t *len) {
  return leb_signed(p, avail, 64, out, len);
}

size_t tw_leb_size_u64(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    n++;
  }
  return n;
}

size_t tw_leb_write_u64(uint8_t *out, uint64_t v, size_t width) {
  const size_t min = tw_leb_size_u64(v);
  const size_t n = width > min ? width : min;
  for (size_t i = 0; i < n; i++) {
    uint8_t byte = (uint8_t)(v & 0x7f);
    v >>= 7;
    if (i + 1 < n) byte |= 0x80;
    out[i] = byte;
  }
  return n;
}

size_t tw_leb_write_s64(uint8_t *out, int64_t v) {
  size_t n = 0;
  for (;;) {
    const uint8_t byte = (uint8_t)((uint64_t)v & 0x7f);
    /* Arithmetic shift of a negative value is implementation-defined in C11;
     * do it explicitly. */
    v = v < 0 ? ~(~v >> 7) : v >> 7;
    const bool done = (v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40));
    out[n++] = done ? byte : (uint8_t)(byte | 0x80);
    if (done) return n;
  }
}
