/* LEB128 (src/leb.c), as the spec's binary format requires it (spec
 * 5.2.2): strict decoding, at most ceil(N/7) bytes, and the unused bits of
 * the last byte zero (unsigned) or a sign extension (signed); encoding,
 * minimal or padded to a given width. */
#ifndef TW_LEB_H
#define TW_LEB_H

#include <stddef.h>
#include <stdint.h>

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

#endif /* TW_LEB_H */
