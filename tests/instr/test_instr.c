/* The instruction decoder (tw_instr_next, tw_skip_locals in src/instr.c)
 * against an independent table: every opcode of wabt 1.0.32's opcode.def
 * (one-byte, 0xfc, 0xfd with relaxed SIMD 0x100..0x113, 0xfe; wabt's
 * interpreter-only 0xe0..0xe6 are not wasm and must be refused) plus the
 * wasm 3.0 opcodes wabt lacks (throw_ref 0x0a, return_call_ref 0x15,
 * try_table 0x1f, ref.eq/ref.as_non_null/br_on_null/br_on_non_null
 * 0xd3..0xd6, GC 0xfb 0..30): 571 opcodes in all (199 one-byte, 31 0xfb,
 * 18 0xfc, 256 0xfd, 67 0xfe).
 *
 * The immediates of each opcode come from the specification, not from the
 * decoder: WebAssembly 3.0 binary/instructions (index of instructions and
 * the GC, exception-handling, multi-memory, memory64, SIMD, relaxed-SIMD,
 * threads, tail-call and function-references proposals). In particular:
 *   blocktype   0x40 | valtype | s33 type index >= 0
 *   heaptype    an abstract heap type byte 0x69..0x74 | s33 type index >= 0
 *   valtype     0x7b..0x7f | 0x63 ht | 0x64 ht | an abstract heap type byte
 *   memarg      u32 flags; if 64 <= flags < 128 a u32 memory index follows;
 *               then a u64 offset (memory64)
 *   laneidx     one byte; v128.const and i8x16.shuffle: 16 bytes
 *   castflags   one byte 0..3 (br_on_cast, br_on_cast_fail)
 *   catch       0x00 tag label | 0x01 tag label | 0x02 label | 0x03 label
 *   locals      vec(u32 count, valtype), total count < 2^32
 * and every sub-opcode after a prefix is a u32 LEB128 (so it may be padded).
 *
 * Each opcode is encoded with non-trivial immediates (multi-byte LEBs, a
 * memory index, a 33-bit offset, raw bytes with the high bit set so that a
 * decoder reading them as LEB128 overruns), minimally and with every LEB
 * padded to its maximum width, and must decode to exactly that length; every
 * truncation (with the rest of the bytes still in memory past the cursor's
 * end) must fail; every LEB field made one byte too long, or given bits
 * beyond its type in its last byte, must fail as malformed. */
#include "unit.h"

#define MAL TW_ERR_MALFORMED
#define UNS TW_ERR_UNSUPPORTED

/* Immediate letters, in encoding order:
 *   i  u32 index (type, label, local, memory, ...)   f  u32 function index
 *   s  s32   S  s64   4 / 8  raw f32 / f64 bytes     V  16 raw bytes
 *   B  blocktype (sample: an s33 type index)         L  one lane byte
 *   H  heaptype as an s33 type index                 h  an abstract heaptype byte
 *   m  memarg   T  br_table vector + default   Y  select's vec(valtype)
 *   C  try_table's vec(catch)   K  castflags byte   Z  atomic.fence's 0x00 byte */
typedef struct op {
  uint8_t prefix; /* 0 for one-byte opcodes */
  uint32_t code;
  const char *name;
  const char *imm;
} op;

static const op OPS[] = {
    {0x00, 0x00, "unreachable",                       ""},
    {0x00, 0x01, "nop",                               ""},
    {0x00, 0x02, "block",                             "B"},
    {0x00, 0x03, "loop",                              "B"},
    {0x00, 0x04, "if",                                "B"},
    {0x00, 0x05, "else",                              ""},
    {0x00, 0x06, "try",                               "B"},
    {0x00, 0x07, "catch",                             "i"},
    {0x00, 0x08, "throw",                             "i"},
    {0x00, 0x09, "rethrow",                           "i"},
    {0x00, 0x0a, "throw_ref",                         ""},
    {0x00, 0x0b, "end",                               ""},
    {0x00, 0x0c, "br",                                "i"},
    {0x00, 0x0d, "br_if",                             "i"},
    {0x00, 0x0e, "br_table",                          "T"},
    {0x00, 0x0f, "return",                            ""},
    {0x00, 0x10, "call",                              "f"},
    {0x00, 0x11, "call_indirect",                     "ii"},
    {0x00, 0x12, "return_call",                       "f"},
    {0x00, 0x13, "return_call_indirect",              "ii"},
    {0x00, 0x14, "call_ref",                          "i"},
    {0x00, 0x15, "return_call_ref",                   "i"},
    {0x00, 0x18, "delegate",                          "i"},
    {0x00, 0x19, "catch_all",                         ""},
    {0x00, 0x1a, "drop",                              ""},
    {0x00, 0x1b, "select",                            ""},
    {0x00, 0x1c, "select",                            "Y"},
    {0x00, 0x1f, "try_table",                         "BC"},
    {0x00, 0x20, "local.get",                         "i"},
    {0x00, 0x21, "local.set",                         "i"},
    {0x00, 0x22, "local.tee",                         "i"},
    {0x00, 0x23, "global.get",                        "i"},
    {0x00, 0x24, "global.set",                        "i"},
    {0x00, 0x25, "table.get",                         "i"},
    {0x00, 0x26, "table.set",                         "i"},
    {0x00, 0x28, "i32.load",                          "m"},
    {0x00, 0x29, "i64.load",                          "m"},
    {0x00, 0x2a, "f32.load",                          "m"},
    {0x00, 0x2b, "f64.load",                          "m"},
    {0x00, 0x2c, "i32.load8_s",                       "m"},
    {0x00, 0x2d, "i32.load8_u",                       "m"},
    {0x00, 0x2e, "i32.load16_s",                      "m"},
    {0x00, 0x2f, "i32.load16_u",                      "m"},
    {0x00, 0x30, "i64.load8_s",                       "m"},
    {0x00, 0x31, "i64.load8_u",                       "m"},
    {0x00, 0x32, "i64.load16_s",                      "m"},
    {0x00, 0x33, "i64.load16_u",                      "m"},
    {0x00, 0x34, "i64.load32_s",                      "m"},
    {0x00, 0x35, "i64.load32_u",                      "m"},
    {0x00, 0x36, "i32.store",                         "m"},
    {0x00, 0x37, "i64.store",                         "m"},
    {0x00, 0x38, "f32.store",                         "m"},
    {0x00, 0x39, "f64.store",                         "m"},
    {0x00, 0x3a, "i32.store8",                        "m"},
    {0x00, 0x3b, "i32.store16",                       "m"},
    {0x00, 0x3c, "i64.store8",                        "m"},
    {0x00, 0x3d, "i64.store16",                       "m"},
    {0x00, 0x3e, "i64.store32",                       "m"},
    {0x00, 0x3f, "memory.size",                       "i"},
    {0x00, 0x40, "memory.grow",                       "i"},
    {0x00, 0x41, "i32.const",                         "s"},
    {0x00, 0x42, "i64.const",                         "S"},
    {0x00, 0x43, "f32.const",                         "4"},
    {0x00, 0x44, "f64.const",                         "8"},
    {0x00, 0x45, "i32.eqz",                           ""},
    {0x00, 0x46, "i32.eq",                            ""},
    {0x00, 0x47, "i32.ne",                            ""},
    {0x00, 0x48, "i32.lt_s",                          ""},
    {0x00, 0x49, "i32.lt_u",                          ""},
    {0x00, 0x4a, "i32.gt_s",                          ""},
    {0x00, 0x4b, "i32.gt_u",                          ""},
    {0x00, 0x4c, "i32.le_s",                          ""},
    {0x00, 0x4d, "i32.le_u",                          ""},
    {0x00, 0x4e, "i32.ge_s",                          ""},
    {0x00, 0x4f, "i32.ge_u",                          ""},
    {0x00, 0x50, "i64.eqz",                           ""},
    {0x00, 0x51, "i64.eq",                            ""},
    {0x00, 0x52, "i64.ne",                            ""},
    {0x00, 0x53, "i64.lt_s",                          ""},
    {0x00, 0x54, "i64.lt_u",                          ""},
    {0x00, 0x55, "i64.gt_s",                          ""},
    {0x00, 0x56, "i64.gt_u",                          ""},
    {0x00, 0x57, "i64.le_s",                          ""},
    {0x00, 0x58, "i64.le_u",                          ""},
    {0x00, 0x59, "i64.ge_s",                          ""},
    {0x00, 0x5a, "i64.ge_u",                          ""},
    {0x00, 0x5b, "f32.eq",                            ""},
    {0x00, 0x5c, "f32.ne",                            ""},
    {0x00, 0x5d, "f32.lt",                            ""},
    {0x00, 0x5e, "f32.gt",                            ""},
    {0x00, 0x5f, "f32.le",                            ""},
    {0x00, 0x60, "f32.ge",                            ""},
    {0x00, 0x61, "f64.eq",                            ""},
    {0x00, 0x62, "f64.ne",                            ""},
    {0x00, 0x63, "f64.lt",                            ""},
    {0x00, 0x64, "f64.gt",                            ""},
    {0x00, 0x65, "f64.le",                            ""},
    {0x00, 0x66, "f64.ge",                            ""},
    {0x00, 0x67, "i32.clz",                           ""},
    {0x00, 0x68, "i32.ctz",                           ""},
    {0x00, 0x69, "i32.popcnt",                        ""},
    {0x00, 0x6a, "i32.add",                           ""},
    {0x00, 0x6b, "i32.sub",                           ""},
    {0x00, 0x6c, "i32.mul",                           ""},
    {0x00, 0x6d, "i32.div_s",                         ""},
    {0x00, 0x6e, "i32.div_u",                         ""},
    {0x00, 0x6f, "i32.rem_s",                         ""},
    {0x00, 0x70, "i32.rem_u",                         ""},
    {0x00, 0x71, "i32.and",                           ""},
    {0x00, 0x72, "i32.or",                            ""},
    {0x00, 0x73, "i32.xor",                           ""},
    {0x00, 0x74, "i32.shl",                           ""},
    {0x00, 0x75, "i32.shr_s",                         ""},
    {0x00, 0x76, "i32.shr_u",                         ""},
    {0x00, 0x77, "i32.rotl",                          ""},
    {0x00, 0x78, "i32.rotr",                          ""},
    {0x00, 0x79, "i64.clz",                           ""},
    {0x00, 0x7a, "i64.ctz",                           ""},
    {0x00, 0x7b, "i64.popcnt",                        ""},
    {0x00, 0x7c, "i64.add",                           ""},
    {0x00, 0x7d, "i64.sub",                           ""},
    {0x00, 0x7e, "i64.mul",                           ""},
    {0x00, 0x7f, "i64.div_s",                         ""},
    {0x00, 0x80, "i64.div_u",                         ""},
    {0x00, 0x81, "i64.rem_s",                         ""},
    {0x00, 0x82, "i64.rem_u",                         ""},
    {0x00, 0x83, "i64.and",                           ""},
    {0x00, 0x84, "i64.or",                            ""},
    {0x00, 0x85, "i64.xor",                           ""},
    {0x00, 0x86, "i64.shl",                           ""},
    {0x00, 0x87, "i64.shr_s",                         ""},
    {0x00, 0x88, "i64.shr_u",                         ""},
    {0x00, 0x89, "i64.rotl",                          ""},
    {0x00, 0x8a, "i64.rotr",                          ""},
    {0x00, 0x8b, "f32.abs",                           ""},
    {0x00, 0x8c, "f32.neg",                           ""},
    {0x00, 0x8d, "f32.ceil",                          ""},
    {0x00, 0x8e, "f32.floor",                         ""},
    {0x00, 0x8f, "f32.trunc",                         ""},
    {0x00, 0x90, "f32.nearest",                       ""},
    {0x00, 0x91, "f32.sqrt",                          ""},
    {0x00, 0x92, "f32.add",                           ""},
    {0x00, 0x93, "f32.sub",                           ""},
    {0x00, 0x94, "f32.mul",                           ""},
    {0x00, 0x95, "f32.div",                           ""},
    {0x00, 0x96, "f32.min",                           ""},
    {0x00, 0x97, "f32.max",                           ""},
    {0x00, 0x98, "f32.copysign",                      ""},
    {0x00, 0x99, "f64.abs",                           ""},
    {0x00, 0x9a, "f64.neg",                           ""},
    {0x00, 0x9b, "f64.ceil",                          ""},
    {0x00, 0x9c, "f64.floor",                         ""},
    {0x00, 0x9d, "f64.trunc",                         ""},
    {0x00, 0x9e, "f64.nearest",                       ""},
    {0x00, 0x9f, "f64.sqrt",                          ""},
    {0x00, 0xa0, "f64.add",                           ""},
    {0x00, 0xa1, "f64.sub",                           ""},
    {0x00, 0xa2, "f64.mul",                           ""},
    {0x00, 0xa3, "f64.div",                           ""},
    {0x00, 0xa4, "f64.min",                           ""},
    {0x00, 0xa5, "f64.max",                           ""},
    {0x00, 0xa6, "f64.copysign",                      ""},
    {0x00, 0xa7, "i32.wrap_i64",                      ""},
    {0x00, 0xa8, "i32.trunc_f32_s",                   ""},
    {0x00, 0xa9, "i32.trunc_f32_u",                   ""},
    {0x00, 0xaa, "i32.trunc_f64_s",                   ""},
    {0x00, 0xab, "i32.trunc_f64_u",                   ""},
    {0x00, 0xac, "i64.extend_i32_s",                  ""},
    {0x00, 0xad, "i64.extend_i32_u",                  ""},
    {0x00, 0xae, "i64.trunc_f32_s",                   ""},
    {0x00, 0xaf, "i64.trunc_f32_u",                   ""},
    {0x00, 0xb0, "i64.trunc_f64_s",                   ""},
    {0x00, 0xb1, "i64.trunc_f64_u",                   ""},
    {0x00, 0xb2, "f32.convert_i32_s",                 ""},
    {0x00, 0xb3, "f32.convert_i32_u",                 ""},
    {0x00, 0xb4, "f32.convert_i64_s",                 ""},
    {0x00, 0xb5, "f32.convert_i64_u",                 ""},
    {0x00, 0xb6, "f32.demote_f64",                    ""},
    {0x00, 0xb7, "f64.convert_i32_s",                 ""},
    {0x00, 0xb8, "f64.convert_i32_u",                 ""},
    {0x00, 0xb9, "f64.convert_i64_s",                 ""},
    {0x00, 0xba, "f64.convert_i64_u",                 ""},
    {0x00, 0xbb, "f64.promote_f32",                   ""},
    {0x00, 0xbc, "i32.reinterpret_f32",               ""},
    {0x00, 0xbd, "i64.reinterpret_f64",               ""},
    {0x00, 0xbe, "f32.reinterpret_i32",               ""},
    {0x00, 0xbf, "f64.reinterpret_i64",               ""},
    {0x00, 0xc0, "i32.extend8_s",                     ""},
    {0x00, 0xc1, "i32.extend16_s",                    ""},
    {0x00, 0xc2, "i64.extend8_s",                     ""},
    {0x00, 0xc3, "i64.extend16_s",                    ""},
    {0x00, 0xc4, "i64.extend32_s",                    ""},
    {0x00, 0xd0, "ref.null",                          "H"},
    {0x00, 0xd1, "ref.is_null",                       ""},
    {0x00, 0xd2, "ref.func",                          "f"},
    {0x00, 0xd3, "ref.eq",                            ""},
    {0x00, 0xd4, "ref.as_non_null",                   ""},
    {0x00, 0xd5, "br_on_null",                        "i"},
    {0x00, 0xd6, "br_on_non_null",                    "i"},
    {0xfb, 0x00, "struct.new",                        "i"},
    {0xfb, 0x01, "struct.new_default",                "i"},
    {0xfb, 0x02, "struct.get",                        "ii"},
    {0xfb, 0x03, "struct.get_s",                      "ii"},
    {0xfb, 0x04, "struct.get_u",                      "ii"},
    {0xfb, 0x05, "struct.set",                        "ii"},
    {0xfb, 0x06, "array.new",                         "i"},
    {0xfb, 0x07, "array.new_default",                 "i"},
    {0xfb, 0x08, "array.new_fixed",                   "ii"},
    {0xfb, 0x09, "array.new_data",                    "ii"},
    {0xfb, 0x0a, "array.new_elem",                    "ii"},
    {0xfb, 0x0b, "array.get",                         "i"},
    {0xfb, 0x0c, "array.get_s",                       "i"},
    {0xfb, 0x0d, "array.get_u",                       "i"},
    {0xfb, 0x0e, "array.set",                         "i"},
    {0xfb, 0x0f, "array.len",                         ""},
    {0xfb, 0x10, "array.fill",                        "i"},
    {0xfb, 0x11, "array.copy",                        "ii"},
    {0xfb, 0x12, "array.init_data",                   "ii"},
    {0xfb, 0x13, "array.init_elem",                   "ii"},
    {0xfb, 0x14, "ref.test",                          "H"},
    {0xfb, 0x15, "ref.test null",                     "h"},
    {0xfb, 0x16, "ref.cast",                          "H"},
    {0xfb, 0x17, "ref.cast null",                     "h"},
    {0xfb, 0x18, "br_on_cast",                        "KihH"},
    {0xfb, 0x19, "br_on_cast_fail",                   "KiHh"},
    {0xfb, 0x1a, "any.convert_extern",                ""},
    {0xfb, 0x1b, "extern.convert_any",                ""},
    {0xfb, 0x1c, "ref.i31",                           ""},
    {0xfb, 0x1d, "i31.get_s",                         ""},
    {0xfb, 0x1e, "i31.get_u",                         ""},
    {0xfc, 0x00, "i32.trunc_sat_f32_s",               ""},
    {0xfc, 0x01, "i32.trunc_sat_f32_u",               ""},
    {0xfc, 0x02, "i32.trunc_sat_f64_s",               ""},
    {0xfc, 0x03, "i32.trunc_sat_f64_u",               ""},
    {0xfc, 0x04, "i64.trunc_sat_f32_s",               ""},
    {0xfc, 0x05, "i64.trunc_sat_f32_u",               ""},
    {0xfc, 0x06, "i64.trunc_sat_f64_s",               ""},
    {0xfc, 0x07, "i64.trunc_sat_f64_u",               ""},
    {0xfc, 0x08, "memory.init",                       "ii"},
    {0xfc, 0x09, "data.drop",                         "i"},
    {0xfc, 0x0a, "memory.copy",                       "ii"},
    {0xfc, 0x0b, "memory.fill",                       "i"},
    {0xfc, 0x0c, "table.init",                        "ii"},
    {0xfc, 0x0d, "elem.drop",                         "i"},
    {0xfc, 0x0e, "table.copy",                        "ii"},
    {0xfc, 0x0f, "table.grow",                        "i"},
    {0xfc, 0x10, "table.size",                        "i"},
    {0xfc, 0x11, "table.fill",                        "i"},
    {0xfd, 0x00, "v128.load",                         "m"},
    {0xfd, 0x01, "v128.load8x8_s",                    "m"},
    {0xfd, 0x02, "v128.load8x8_u",                    "m"},
    {0xfd, 0x03, "v128.load16x4_s",                   "m"},
    {0xfd, 0x04, "v128.load16x4_u",                   "m"},
    {0xfd, 0x05, "v128.load32x2_s",                   "m"},
    {0xfd, 0x06, "v128.load32x2_u",                   "m"},
    {0xfd, 0x07, "v128.load8_splat",                  "m"},
    {0xfd, 0x08, "v128.load16_splat",                 "m"},
    {0xfd, 0x09, "v128.load32_splat",                 "m"},
    {0xfd, 0x0a, "v128.load64_splat",                 "m"},
    {0xfd, 0x0b, "v128.store",                        "m"},
    {0xfd, 0x0c, "v128.const",                        "V"},
    {0xfd, 0x0d, "i8x16.shuffle",                     "V"},
    {0xfd, 0x0e, "i8x16.swizzle",                     ""},
    {0xfd, 0x0f, "i8x16.splat",                       ""},
    {0xfd, 0x10, "i16x8.splat",                       ""},
    {0xfd, 0x11, "i32x4.splat",                       ""},
    {0xfd, 0x12, "i64x2.splat",                       ""},
    {0xfd, 0x13, "f32x4.splat",                       ""},
    {0xfd, 0x14, "f64x2.splat",                       ""},
    {0xfd, 0x15, "i8x16.extract_lane_s",              "L"},
    {0xfd, 0x16, "i8x16.extract_lane_u",              "L"},
    {0xfd, 0x17, "i8x16.replace_lane",                "L"},
    {0xfd, 0x18, "i16x8.extract_lane_s",              "L"},
    {0xfd, 0x19, "i16x8.extract_lane_u",              "L"},
    {0xfd, 0x1a, "i16x8.replace_lane",                "L"},
    {0xfd, 0x1b, "i32x4.extract_lane",                "L"},
    {0xfd, 0x1c, "i32x4.replace_lane",                "L"},
    {0xfd, 0x1d, "i64x2.extract_lane",                "L"},
    {0xfd, 0x1e, "i64x2.replace_lane",                "L"},
    {0xfd, 0x1f, "f32x4.extract_lane",                "L"},
    {0xfd, 0x20, "f32x4.replace_lane",                "L"},
    {0xfd, 0x21, "f64x2.extract_lane",                "L"},
    {0xfd, 0x22, "f64x2.replace_lane",                "L"},
    {0xfd, 0x23, "i8x16.eq",                          ""},
    {0xfd, 0x24, "i8x16.ne",                          ""},
    {0xfd, 0x25, "i8x16.lt_s",                        ""},
    {0xfd, 0x26, "i8x16.lt_u",                        ""},
    {0xfd, 0x27, "i8x16.gt_s",                        ""},
    {0xfd, 0x28, "i8x16.gt_u",                        ""},
    {0xfd, 0x29, "i8x16.le_s",                        ""},
    {0xfd, 0x2a, "i8x16.le_u",                        ""},
    {0xfd, 0x2b, "i8x16.ge_s",                        ""},
    {0xfd, 0x2c, "i8x16.ge_u",                        ""},
    {0xfd, 0x2d, "i16x8.eq",                          ""},
    {0xfd, 0x2e, "i16x8.ne",                          ""},
    {0xfd, 0x2f, "i16x8.lt_s",                        ""},
    {0xfd, 0x30, "i16x8.lt_u",                        ""},
    {0xfd, 0x31, "i16x8.gt_s",                        ""},
    {0xfd, 0x32, "i16x8.gt_u",                        ""},
    {0xfd, 0x33, "i16x8.le_s",                        ""},
    {0xfd, 0x34, "i16x8.le_u",                        ""},
    {0xfd, 0x35, "i16x8.ge_s",                        ""},
    {0xfd, 0x36, "i16x8.ge_u",                        ""},
    {0xfd, 0x37, "i32x4.eq",                          ""},
    {0xfd, 0x38, "i32x4.ne",                          ""},
    {0xfd, 0x39, "i32x4.lt_s",                        ""},
    {0xfd, 0x3a, "i32x4.lt_u",                        ""},
    {0xfd, 0x3b, "i32x4.gt_s",                        ""},
    {0xfd, 0x3c, "i32x4.gt_u",                        ""},
    {0xfd, 0x3d, "i32x4.le_s",                        ""},
    {0xfd, 0x3e, "i32x4.le_u",                        ""},
    {0xfd, 0x3f, "i32x4.ge_s",                        ""},
    {0xfd, 0x40, "i32x4.ge_u",                        ""},
    {0xfd, 0x41, "f32x4.eq",                          ""},
    {0xfd, 0x42, "f32x4.ne",                          ""},
    {0xfd, 0x43, "f32x4.lt",                          ""},
    {0xfd, 0x44, "f32x4.gt",                          ""},
    {0xfd, 0x45, "f32x4.le",                          ""},
    {0xfd, 0x46, "f32x4.ge",                          ""},
    {0xfd, 0x47, "f64x2.eq",                          ""},
    {0xfd, 0x48, "f64x2.ne",                          ""},
    {0xfd, 0x49, "f64x2.lt",                          ""},
    {0xfd, 0x4a, "f64x2.gt",                          ""},
    {0xfd, 0x4b, "f64x2.le",                          ""},
    {0xfd, 0x4c, "f64x2.ge",                          ""},
    {0xfd, 0x4d, "v128.not",                          ""},
    {0xfd, 0x4e, "v128.and",                          ""},
    {0xfd, 0x4f, "v128.andnot",                       ""},
    {0xfd, 0x50, "v128.or",                           ""},
    {0xfd, 0x51, "v128.xor",                          ""},
    {0xfd, 0x52, "v128.bitselect",                    ""},
    {0xfd, 0x53, "v128.any_true",                     ""},
    {0xfd, 0x54, "v128.load8_lane",                   "mL"},
    {0xfd, 0x55, "v128.load16_lane",                  "mL"},
    {0xfd, 0x56, "v128.load32_lane",                  "mL"},
    {0xfd, 0x57, "v128.load64_lane",                  "mL"},
    {0xfd, 0x58, "v128.store8_lane",                  "mL"},
    {0xfd, 0x59, "v128.store16_lane",                 "mL"},
    {0xfd, 0x5a, "v128.store32_lane",                 "mL"},
    {0xfd, 0x5b, "v128.store64_lane",                 "mL"},
    {0xfd, 0x5c, "v128.load32_zero",                  "m"},
    {0xfd, 0x5d, "v128.load64_zero",                  "m"},
    {0xfd, 0x5e, "f32x4.demote_f64x2_zero",           ""},
    {0xfd, 0x5f, "f64x2.promote_low_f32x4",           ""},
    {0xfd, 0x60, "i8x16.abs",                         ""},
    {0xfd, 0x61, "i8x16.neg",                         ""},
    {0xfd, 0x62, "i8x16.popcnt",                      ""},
    {0xfd, 0x63, "i8x16.all_true",                    ""},
    {0xfd, 0x64, "i8x16.bitmask",                     ""},
    {0xfd, 0x65, "i8x16.narrow_i16x8_s",              ""},
    {0xfd, 0x66, "i8x16.narrow_i16x8_u",              ""},
    {0xfd, 0x67, "f32x4.ceil",                        ""},
    {0xfd, 0x68, "f32x4.floor",                       ""},
    {0xfd, 0x69, "f32x4.trunc",                       ""},
    {0xfd, 0x6a, "f32x4.nearest",                     ""},
    {0xfd, 0x6b, "i8x16.shl",                         ""},
    {0xfd, 0x6c, "i8x16.shr_s",                       ""},
    {0xfd, 0x6d, "i8x16.shr_u",                       ""},
    {0xfd, 0x6e, "i8x16.add",                         ""},
    {0xfd, 0x6f, "i8x16.add_sat_s",                   ""},
    {0xfd, 0x70, "i8x16.add_sat_u",                   ""},
    {0xfd, 0x71, "i8x16.sub",                         ""},
    {0xfd, 0x72, "i8x16.sub_sat_s",                   ""},
    {0xfd, 0x73, "i8x16.sub_sat_u",                   ""},
    {0xfd, 0x74, "f64x2.ceil",                        ""},
    {0xfd, 0x75, "f64x2.floor",                       ""},
    {0xfd, 0x76, "i8x16.min_s",                       ""},
    {0xfd, 0x77, "i8x16.min_u",                       ""},
    {0xfd, 0x78, "i8x16.max_s",                       ""},
    {0xfd, 0x79, "i8x16.max_u",                       ""},
    {0xfd, 0x7a, "f64x2.trunc",                       ""},
    {0xfd, 0x7b, "i8x16.avgr_u",                      ""},
    {0xfd, 0x7c, "i16x8.extadd_pairwise_i8x16_s",     ""},
    {0xfd, 0x7d, "i16x8.extadd_pairwise_i8x16_u",     ""},
    {0xfd, 0x7e, "i32x4.extadd_pairwise_i16x8_s",     ""},
    {0xfd, 0x7f, "i32x4.extadd_pairwise_i16x8_u",     ""},
    {0xfd, 0x80, "i16x8.abs",                         ""},
    {0xfd, 0x81, "i16x8.neg",                         ""},
    {0xfd, 0x82, "i16x8.q15mulr_sat_s",               ""},
    {0xfd, 0x83, "i16x8.all_true",                    ""},
    {0xfd, 0x84, "i16x8.bitmask",                     ""},
    {0xfd, 0x85, "i16x8.narrow_i32x4_s",              ""},
    {0xfd, 0x86, "i16x8.narrow_i32x4_u",              ""},
    {0xfd, 0x87, "i16x8.extend_low_i8x16_s",          ""},
    {0xfd, 0x88, "i16x8.extend_high_i8x16_s",         ""},
    {0xfd, 0x89, "i16x8.extend_low_i8x16_u",          ""},
    {0xfd, 0x8a, "i16x8.extend_high_i8x16_u",         ""},
    {0xfd, 0x8b, "i16x8.shl",                         ""},
    {0xfd, 0x8c, "i16x8.shr_s",                       ""},
    {0xfd, 0x8d, "i16x8.shr_u",                       ""},
    {0xfd, 0x8e, "i16x8.add",                         ""},
    {0xfd, 0x8f, "i16x8.add_sat_s",                   ""},
    {0xfd, 0x90, "i16x8.add_sat_u",                   ""},
    {0xfd, 0x91, "i16x8.sub",                         ""},
    {0xfd, 0x92, "i16x8.sub_sat_s",                   ""},
    {0xfd, 0x93, "i16x8.sub_sat_u",                   ""},
    {0xfd, 0x94, "f64x2.nearest",                     ""},
    {0xfd, 0x95, "i16x8.mul",                         ""},
    {0xfd, 0x96, "i16x8.min_s",                       ""},
    {0xfd, 0x97, "i16x8.min_u",                       ""},
    {0xfd, 0x98, "i16x8.max_s",                       ""},
    {0xfd, 0x99, "i16x8.max_u",                       ""},
    {0xfd, 0x9b, "i16x8.avgr_u",                      ""},
    {0xfd, 0x9c, "i16x8.extmul_low_i8x16_s",          ""},
    {0xfd, 0x9d, "i16x8.extmul_high_i8x16_s",         ""},
    {0xfd, 0x9e, "i16x8.extmul_low_i8x16_u",          ""},
    {0xfd, 0x9f, "i16x8.extmul_high_i8x16_u",         ""},
    {0xfd, 0xa0, "i32x4.abs",                         ""},
    {0xfd, 0xa1, "i32x4.neg",                         ""},
    {0xfd, 0xa3, "i32x4.all_true",                    ""},
    {0xfd, 0xa4, "i32x4.bitmask",                     ""},
    {0xfd, 0xa7, "i32x4.extend_low_i16x8_s",          ""},
    {0xfd, 0xa8, "i32x4.extend_high_i16x8_s",         ""},
    {0xfd, 0xa9, "i32x4.extend_low_i16x8_u",          ""},
    {0xfd, 0xaa, "i32x4.extend_high_i16x8_u",         ""},
    {0xfd, 0xab, "i32x4.shl",                         ""},
    {0xfd, 0xac, "i32x4.shr_s",                       ""},
    {0xfd, 0xad, "i32x4.shr_u",                       ""},
    {0xfd, 0xae, "i32x4.add",                         ""},
    {0xfd, 0xb1, "i32x4.sub",                         ""},
    {0xfd, 0xb5, "i32x4.mul",                         ""},
    {0xfd, 0xb6, "i32x4.min_s",                       ""},
    {0xfd, 0xb7, "i32x4.min_u",                       ""},
    {0xfd, 0xb8, "i32x4.max_s",                       ""},
    {0xfd, 0xb9, "i32x4.max_u",                       ""},
    {0xfd, 0xba, "i32x4.dot_i16x8_s",                 ""},
    {0xfd, 0xbc, "i32x4.extmul_low_i16x8_s",          ""},
    {0xfd, 0xbd, "i32x4.extmul_high_i16x8_s",         ""},
    {0xfd, 0xbe, "i32x4.extmul_low_i16x8_u",          ""},
    {0xfd, 0xbf, "i32x4.extmul_high_i16x8_u",         ""},
    {0xfd, 0xc0, "i64x2.abs",                         ""},
    {0xfd, 0xc1, "i64x2.neg",                         ""},
    {0xfd, 0xc3, "i64x2.all_true",                    ""},
    {0xfd, 0xc4, "i64x2.bitmask",                     ""},
    {0xfd, 0xc7, "i64x2.extend_low_i32x4_s",          ""},
    {0xfd, 0xc8, "i64x2.extend_high_i32x4_s",         ""},
    {0xfd, 0xc9, "i64x2.extend_low_i32x4_u",          ""},
    {0xfd, 0xca, "i64x2.extend_high_i32x4_u",         ""},
    {0xfd, 0xcb, "i64x2.shl",                         ""},
    {0xfd, 0xcc, "i64x2.shr_s",                       ""},
    {0xfd, 0xcd, "i64x2.shr_u",                       ""},
    {0xfd, 0xce, "i64x2.add",                         ""},
    {0xfd, 0xd1, "i64x2.sub",                         ""},
    {0xfd, 0xd5, "i64x2.mul",                         ""},
    {0xfd, 0xd6, "i64x2.eq",                          ""},
    {0xfd, 0xd7, "i64x2.ne",                          ""},
    {0xfd, 0xd8, "i64x2.lt_s",                        ""},
    {0xfd, 0xd9, "i64x2.gt_s",                        ""},
    {0xfd, 0xda, "i64x2.le_s",                        ""},
    {0xfd, 0xdb, "i64x2.ge_s",                        ""},
    {0xfd, 0xdc, "i64x2.extmul_low_i32x4_s",          ""},
    {0xfd, 0xdd, "i64x2.extmul_high_i32x4_s",         ""},
    {0xfd, 0xde, "i64x2.extmul_low_i32x4_u",          ""},
    {0xfd, 0xdf, "i64x2.extmul_high_i32x4_u",         ""},
    {0xfd, 0xe0, "f32x4.abs",                         ""},
    {0xfd, 0xe1, "f32x4.neg",                         ""},
    {0xfd, 0xe3, "f32x4.sqrt",                        ""},
    {0xfd, 0xe4, "f32x4.add",                         ""},
    {0xfd, 0xe5, "f32x4.sub",                         ""},
    {0xfd, 0xe6, "f32x4.mul",                         ""},
    {0xfd, 0xe7, "f32x4.div",                         ""},
    {0xfd, 0xe8, "f32x4.min",                         ""},
    {0xfd, 0xe9, "f32x4.max",                         ""},
    {0xfd, 0xea, "f32x4.pmin",                        ""},
    {0xfd, 0xeb, "f32x4.pmax",                        ""},
    {0xfd, 0xec, "f64x2.abs",                         ""},
    {0xfd, 0xed, "f64x2.neg",                         ""},
    {0xfd, 0xef, "f64x2.sqrt",                        ""},
    {0xfd, 0xf0, "f64x2.add",                         ""},
    {0xfd, 0xf1, "f64x2.sub",                         ""},
    {0xfd, 0xf2, "f64x2.mul",                         ""},
    {0xfd, 0xf3, "f64x2.div",                         ""},
    {0xfd, 0xf4, "f64x2.min",                         ""},
    {0xfd, 0xf5, "f64x2.max",                         ""},
    {0xfd, 0xf6, "f64x2.pmin",                        ""},
    {0xfd, 0xf7, "f64x2.pmax",                        ""},
    {0xfd, 0xf8, "i32x4.trunc_sat_f32x4_s",           ""},
    {0xfd, 0xf9, "i32x4.trunc_sat_f32x4_u",           ""},
    {0xfd, 0xfa, "f32x4.convert_i32x4_s",             ""},
    {0xfd, 0xfb, "f32x4.convert_i32x4_u",             ""},
    {0xfd, 0xfc, "i32x4.trunc_sat_f64x2_s_zero",      ""},
    {0xfd, 0xfd, "i32x4.trunc_sat_f64x2_u_zero",      ""},
    {0xfd, 0xfe, "f64x2.convert_low_i32x4_s",         ""},
    {0xfd, 0xff, "f64x2.convert_low_i32x4_u",         ""},
    {0xfd, 0x100, "i8x16.relaxed_swizzle",             ""},
    {0xfd, 0x101, "i32x4.relaxed_trunc_f32x4_s",       ""},
    {0xfd, 0x102, "i32x4.relaxed_trunc_f32x4_u",       ""},
    {0xfd, 0x103, "i32x4.relaxed_trunc_f64x2_s_zero",  ""},
    {0xfd, 0x104, "i32x4.relaxed_trunc_f64x2_u_zero",  ""},
    {0xfd, 0x105, "f32x4.relaxed_madd",                ""},
    {0xfd, 0x106, "f32x4.relaxed_nmadd",               ""},
    {0xfd, 0x107, "f64x2.relaxed_madd",                ""},
    {0xfd, 0x108, "f64x2.relaxed_nmadd",               ""},
    {0xfd, 0x109, "i8x16.relaxed_laneselect",          ""},
    {0xfd, 0x10a, "i16x8.relaxed_laneselect",          ""},
    {0xfd, 0x10b, "i32x4.relaxed_laneselect",          ""},
    {0xfd, 0x10c, "i64x2.relaxed_laneselect",          ""},
    {0xfd, 0x10d, "f32x4.relaxed_min",                 ""},
    {0xfd, 0x10e, "f32x4.relaxed_max",                 ""},
    {0xfd, 0x10f, "f64x2.relaxed_min",                 ""},
    {0xfd, 0x110, "f64x2.relaxed_max",                 ""},
    {0xfd, 0x111, "i16x8.relaxed_q15mulr_s",           ""},
    {0xfd, 0x112, "i16x8.dot_i8x16_i7x16_s",           ""},
    {0xfd, 0x113, "i32x4.dot_i8x16_i7x16_add_s",       ""},
    {0xfe, 0x00, "memory.atomic.notify",              "m"},
    {0xfe, 0x01, "memory.atomic.wait32",              "m"},
    {0xfe, 0x02, "memory.atomic.wait64",              "m"},
    {0xfe, 0x03, "atomic.fence",                      "Z"},
    {0xfe, 0x10, "i32.atomic.load",                   "m"},
    {0xfe, 0x11, "i64.atomic.load",                   "m"},
    {0xfe, 0x12, "i32.atomic.load8_u",                "m"},
    {0xfe, 0x13, "i32.atomic.load16_u",               "m"},
    {0xfe, 0x14, "i64.atomic.load8_u",                "m"},
    {0xfe, 0x15, "i64.atomic.load16_u",               "m"},
    {0xfe, 0x16, "i64.atomic.load32_u",               "m"},
    {0xfe, 0x17, "i32.atomic.store",                  "m"},
    {0xfe, 0x18, "i64.atomic.store",                  "m"},
    {0xfe, 0x19, "i32.atomic.store8",                 "m"},
    {0xfe, 0x1a, "i32.atomic.store16",                "m"},
    {0xfe, 0x1b, "i64.atomic.store8",                 "m"},
    {0xfe, 0x1c, "i64.atomic.store16",                "m"},
    {0xfe, 0x1d, "i64.atomic.store32",                "m"},
    {0xfe, 0x1e, "i32.atomic.rmw.add",                "m"},
    {0xfe, 0x1f, "i64.atomic.rmw.add",                "m"},
    {0xfe, 0x20, "i32.atomic.rmw8.add_u",             "m"},
    {0xfe, 0x21, "i32.atomic.rmw16.add_u",            "m"},
    {0xfe, 0x22, "i64.atomic.rmw8.add_u",             "m"},
    {0xfe, 0x23, "i64.atomic.rmw16.add_u",            "m"},
    {0xfe, 0x24, "i64.atomic.rmw32.add_u",            "m"},
    {0xfe, 0x25, "i32.atomic.rmw.sub",                "m"},
    {0xfe, 0x26, "i64.atomic.rmw.sub",                "m"},
    {0xfe, 0x27, "i32.atomic.rmw8.sub_u",             "m"},
    {0xfe, 0x28, "i32.atomic.rmw16.sub_u",            "m"},
    {0xfe, 0x29, "i64.atomic.rmw8.sub_u",             "m"},
    {0xfe, 0x2a, "i64.atomic.rmw16.sub_u",            "m"},
    {0xfe, 0x2b, "i64.atomic.rmw32.sub_u",            "m"},
    {0xfe, 0x2c, "i32.atomic.rmw.and",                "m"},
    {0xfe, 0x2d, "i64.atomic.rmw.and",                "m"},
    {0xfe, 0x2e, "i32.atomic.rmw8.and_u",             "m"},
    {0xfe, 0x2f, "i32.atomic.rmw16.and_u",            "m"},
    {0xfe, 0x30, "i64.atomic.rmw8.and_u",             "m"},
    {0xfe, 0x31, "i64.atomic.rmw16.and_u",            "m"},
    {0xfe, 0x32, "i64.atomic.rmw32.and_u",            "m"},
    {0xfe, 0x33, "i32.atomic.rmw.or",                 "m"},
    {0xfe, 0x34, "i64.atomic.rmw.or",                 "m"},
    {0xfe, 0x35, "i32.atomic.rmw8.or_u",              "m"},
    {0xfe, 0x36, "i32.atomic.rmw16.or_u",             "m"},
    {0xfe, 0x37, "i64.atomic.rmw8.or_u",              "m"},
    {0xfe, 0x38, "i64.atomic.rmw16.or_u",             "m"},
    {0xfe, 0x39, "i64.atomic.rmw32.or_u",             "m"},
    {0xfe, 0x3a, "i32.atomic.rmw.xor",                "m"},
    {0xfe, 0x3b, "i64.atomic.rmw.xor",                "m"},
    {0xfe, 0x3c, "i32.atomic.rmw8.xor_u",             "m"},
    {0xfe, 0x3d, "i32.atomic.rmw16.xor_u",            "m"},
    {0xfe, 0x3e, "i64.atomic.rmw8.xor_u",             "m"},
    {0xfe, 0x3f, "i64.atomic.rmw16.xor_u",            "m"},
    {0xfe, 0x40, "i64.atomic.rmw32.xor_u",            "m"},
    {0xfe, 0x41, "i32.atomic.rmw.xchg",               "m"},
    {0xfe, 0x42, "i64.atomic.rmw.xchg",               "m"},
    {0xfe, 0x43, "i32.atomic.rmw8.xchg_u",            "m"},
    {0xfe, 0x44, "i32.atomic.rmw16.xchg_u",           "m"},
    {0xfe, 0x45, "i64.atomic.rmw8.xchg_u",            "m"},
    {0xfe, 0x46, "i64.atomic.rmw16.xchg_u",           "m"},
    {0xfe, 0x47, "i64.atomic.rmw32.xchg_u",           "m"},
    {0xfe, 0x48, "i32.atomic.rmw.cmpxchg",            "m"},
    {0xfe, 0x49, "i64.atomic.rmw.cmpxchg",            "m"},
    {0xfe, 0x4a, "i32.atomic.rmw8.cmpxchg_u",         "m"},
    {0xfe, 0x4b, "i32.atomic.rmw16.cmpxchg_u",        "m"},
    {0xfe, 0x4c, "i64.atomic.rmw8.cmpxchg_u",         "m"},
    {0xfe, 0x4d, "i64.atomic.rmw16.cmpxchg_u",        "m"},
    {0xfe, 0x4e, "i64.atomic.rmw32.cmpxchg_u",        "m"},
};

/* ---- encoding the samples --------------------------------------------- */
typedef enum kind { K_RAW, K_U32, K_U64, K_S32, K_S33, K_S64 } kind;
static const size_t MAX_WIDTH[] = {1, 5, 10, 5, 5, 10}; /* ceil(N/7) bytes */

typedef struct atom {
  kind k;
  int64_t v;
  bool func;
} atom;

typedef struct seq {
  atom a[64];
  size_t n;
} seq;

static void put(seq *s, kind k, int64_t v) {
  assert_true(s->n < COUNT(s->a));
  s->a[s->n++] = (atom){k, v, false};
}

#define FUNC_INDEX 624485 /* 3 bytes: e5 8e 26 */

/* The fields of one sample instruction. With memidx, memargs carry a memory
 * index (flags bit 6); without, they do not. */
static void expand(const op *o, bool memidx, seq *s) {
  static const int64_t idx[] = {300, 70000, 129, 2097157}; /* 2, 3, 2, 4 bytes */
  size_t next = 0;
  s->n = 0;
  if (o->prefix) {
    put(s, K_RAW, o->prefix);
    put(s, K_U32, o->code);
  } else {
    put(s, K_RAW, o->code);
  }
  for (const char *p = o->imm; *p; p++) {
    switch (*p) {
    case 'i': put(s, K_U32, idx[next++ % COUNT(idx)]); break;
    case 'f':
      put(s, K_U32, FUNC_INDEX);
      s->a[s->n - 1].func = true;
      break;
    case 's': put(s, K_S32, -123456); break;
    case 'S': put(s, K_S64, -0x123456789abcdefLL); break; /* 9 bytes */
    case 'B': put(s, K_S33, 0x12345); break;
    case 'H': put(s, K_S33, 300); break;
    case 'h': put(s, K_RAW, 0x6e); break; /* any */
    case 'K': put(s, K_RAW, 3); break;
    case 'L': put(s, K_RAW, 0x8f); break;
    case 'Z': put(s, K_RAW, 0); break;
    case '4':
      for (int i = 0; i < 4; i++) put(s, K_RAW, 0x80 | i);
      break;
    case '8':
      for (int i = 0; i < 8; i++) put(s, K_RAW, 0xc0 | i);
      break;
    case 'V':
      for (int i = 0; i < 16; i++) put(s, K_RAW, 0x80 | (i * 7));
      break;
    case 'm':
      put(s, K_U32, memidx ? 0x43 : 0x03); /* align 2^3 */
      if (memidx) put(s, K_U32, 300);
      put(s, K_U64, 0x123456789LL); /* needs memory64: more than 32 bits */
      break;
    case 'T':
      put(s, K_U32, 3);
      put(s, K_U32, 1);
      put(s, K_U32, 200);
      put(s, K_U32, 70000);
      put(s, K_U32, 300); /* default */
      break;
    case 'Y':
      put(s, K_U32, 2);
      put(s, K_RAW, 0x7f);
      put(s, K_RAW, 0x63); /* (ref null 300) */
      put(s, K_S33, 300);
      break;
    case 'C':
      put(s, K_U32, 4);
      put(s, K_RAW, 0x00), put(s, K_U32, 300), put(s, K_U32, 2);      /* catch */
      put(s, K_RAW, 0x01), put(s, K_U32, 70000), put(s, K_U32, 129);  /* catch_ref */
      put(s, K_RAW, 0x02), put(s, K_U32, 5);                          /* catch_all */
      put(s, K_RAW, 0x03), put(s, K_U32, 16384);                      /* catch_all_ref */
      break;
    default: fail_msg("%s: unknown immediate letter '%c'", o->name, *p);
    }
  }
}

static bool is_signed(kind k) { return k == K_S32 || k == K_S33 || k == K_S64; }

/* LEB128 of v in exactly `width` bytes, or minimal when width is 0. */
static size_t leb(uint8_t *out, int64_t v, bool sgn, size_t width) {
  size_t n = 0;
  for (;;) {
    const uint8_t b = (uint8_t)(v & 0x7f);
    v = sgn ? (v < 0 ? ~(~v >> 7) : v >> 7) : (int64_t)((uint64_t)v >> 7);
    const bool last = width ? n + 1 == width
                            : (sgn ? (v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40)) : v == 0);
    out[n++] = last ? b : (uint8_t)(b | 0x80);
    if (last) return n;
  }
}

typedef enum mode {
  MINIMAL,  /* every LEB minimal */
  PADDED,   /* every LEB at its maximum width (valid) */
  OVERLONG, /* LEB number `target` one byte longer than allowed */
  OVERFLOW  /* LEB number `target` at maximum width, with unused bits set */
} mode;

typedef struct enc {
  uint8_t b[256];
  size_t n;
  size_t func_pos, func_len; /* relative; func_len 0 if none */
  size_t nlebs;              /* LEB fields in the encoding */
} enc;

static void encode(const seq *s, mode m, size_t target, enc *e) {
  e->n = e->func_pos = e->func_len = e->nlebs = 0;
  for (size_t i = 0; i < s->n; i++) {
    const atom *a = &s->a[i];
    if (a->k == K_RAW) {
      e->b[e->n++] = (uint8_t)a->v;
      continue;
    }
    const size_t lebno = e->nlebs++;
    size_t width = m == PADDED ? MAX_WIDTH[a->k] : 0;
    if (lebno == target && m == OVERLONG) width = MAX_WIDTH[a->k] + 1;
    if (lebno == target && m == OVERFLOW) width = MAX_WIDTH[a->k];
    const size_t at = e->n;
    e->n += leb(e->b + e->n, a->v, is_signed(a->k), width);
    /* Last byte: flip bit 6, beyond the type's bits (u32: bits 4..6 must be
     * 0; s32: bits 4..6 copy bit 3; s33: bits 5..6 copy bit 4; 64-bit: the
     * tenth byte is 0x00/0x01, or 0x00/0x7f when signed). */
    if (lebno == target && m == OVERFLOW) e->b[e->n - 1] ^= 0x40;
    if (a->func) {
      e->func_pos = at;
      e->func_len = e->n - at;
    }
  }
}

/* ---- checking one encoding ---------------------------------------------- */
#define AT 3 /* the instruction's absolute offset in the buffer */

static int want_nest(const op *o) {
  if (o->prefix) return TW_NEST_NONE;
  switch (o->code) {
  case 0x02: case 0x03: case 0x04: case 0x06: case 0x1f: return TW_NEST_OPEN;
  case 0x0b: case 0x18: return TW_NEST_CLOSE;
  default: return TW_NEST_NONE;
  }
}

/* `ctx` names the case in failure messages. */
static void expect_ok(const char *ctx, const op *o, const enc *e) {
  uint8_t buf[AT + 256 + 8];
  memset(buf, 0x0b, sizeof buf);
  memcpy(buf + AT, e->b, e->n);
  /* Once with the cursor ending right after the instruction, once with
   * trailing bytes that must not be consumed. */
  for (int trailing = 0; trailing < 2; trailing++) {
    tw_err err = {0};
    tw_cursor c = tw_cursor_make(buf, AT, trailing ? AT + e->n + 8 : AT + e->n, &err);
    tw_instr in;
    memset(&in, 0x5a, sizeof in);
    if (!tw_instr_next(&c, &in)) {
      hex_dump(ctx, e->b, e->n);
      fail_msg("%s: decode failed (status %d at %llu): %s", ctx, err.code,
               (unsigned long long)err.offset, err.message);
    }
    if (err.code != TW_OK) fail_msg("%s: success with an error set", ctx);
    if (in.start != AT || in.end != AT + e->n || c.pos != AT + e->n) {
      hex_dump(ctx, e->b, e->n);
      fail_msg("%s: start %zu end %zu pos %zu, want %d %zu", ctx, in.start, in.end, c.pos, AT,
               AT + e->n);
    }
    if (in.prefix != o->prefix || in.code != o->code)
      fail_msg("%s: prefix 0x%02x code 0x%x, want 0x%02x 0x%x", ctx, in.prefix, in.code,
               o->prefix, o->code);
    if (in.nest != want_nest(o)) fail_msg("%s: nest %d, want %d", ctx, in.nest, want_nest(o));
    const bool has_func = e->func_len != 0;
    if (in.has_func != has_func) fail_msg("%s: has_func %d, want %d", ctx, in.has_func, has_func);
    if (has_func && (in.func != FUNC_INDEX || in.func_pos != AT + e->func_pos ||
                     in.func_len != e->func_len))
      fail_msg("%s: func %u at %zu len %zu, want %u at %zu len %zu", ctx, in.func, in.func_pos,
               in.func_len, (unsigned)FUNC_INDEX, AT + e->func_pos, e->func_len);
  }
}

/* Decoding buf[AT .. AT+avail) must fail with `want`, leave the cursor
 * where it was, and name an offset inside the instruction's bytes. */
static void expect_fail_in(const char *ctx, const uint8_t *buf, size_t full, size_t avail,
                           tw_status want) {
  tw_err err = {0};
  tw_cursor c = tw_cursor_make(buf, AT, AT + avail, &err);
  tw_instr in;
  if (tw_instr_next(&c, &in)) {
    hex_dump(ctx, buf + AT, full);
    fail_msg("%s: decoded %zu of %zu bytes (end %zu), want failure", ctx, avail, full, in.end);
  }
  if (err.code != want) {
    hex_dump(ctx, buf + AT, full);
    fail_msg("%s (%zu of %zu bytes): status %d, want %d: %s", ctx, avail, full, err.code, want,
             err.message);
  }
  if (c.pos != AT) fail_msg("%s: cursor moved to %zu on failure", ctx, c.pos);
  if (err.offset < AT || err.offset > AT + full)
    fail_msg("%s: error offset %llu outside the instruction [%d, %zu]", ctx,
             (unsigned long long)err.offset, AT, AT + full);
}

static void expect_fail(const char *ctx, const uint8_t *bytes, size_t n, tw_status want) {
  uint8_t buf[AT + 256];
  memset(buf, 0x0b, sizeof buf);
  assert_true(n <= 256);
  memcpy(buf + AT, bytes, n);
  expect_fail_in(ctx, buf, n, n, want);
}

/* Every proper prefix of the encoding fails as malformed, though the
 * missing bytes are in memory right past the cursor's end. */
static size_t expect_truncations_fail(const char *ctx, const enc *e) {
  uint8_t buf[AT + 256];
  memset(buf, 0x0b, sizeof buf);
  memcpy(buf + AT, e->b, e->n);
  for (size_t k = 0; k < e->n; k++) expect_fail_in(ctx, buf, e->n, k, MAL);
  return e->n;
}

static const op *find_op(uint8_t prefix, uint32_t code) {
  for (size_t i = 0; i < COUNT(OPS); i++)
    if (OPS[i].prefix == prefix && OPS[i].code == code) return &OPS[i];
  return NULL;
}

/* ---- the table ----------------------------------------------------------- */
static void test_table_sane(void **state) {
  (void)state;
  size_t per[5] = {0}; /* one-byte, fb, fc, fd, fe */
  for (size_t i = 0; i < COUNT(OPS); i++) {
    const op *o = &OPS[i];
    if (find_op(o->prefix, o->code) != o) fail_msg("duplicate row %s", o->name);
    if (o->prefix == 0 && (o->code > 0xff || o->code >= 0xfb))
      fail_msg("row %s: bad one-byte code", o->name);
    per[o->prefix ? o->prefix - 0xfa : 0]++;
  }
  assert_int_equal(per[0], 199);
  assert_int_equal(per[1], 31);
  assert_int_equal(per[2], 18);
  assert_int_equal(per[3], 256);
  assert_int_equal(per[4], 67);
  assert_int_equal(COUNT(OPS), 571);
}

/* Every opcode wabt 1.0.32 knows is in the table under the same name
 * (wabt's interpreter-only 0xe0..0xe6 are not wasm and must be refused). */
static void test_table_covers_wabt(void **state) {
  (void)state;
#if defined(__has_include)
#if __has_include(<wabt/opcode.def>)
#define HAVE_OPCODE_DEF 1
  static const struct {
    unsigned prefix, code;
    const char *name;
  } wabt[] = {
#define WABT_OPCODE(rtype, type1, type2, type3, mem_size, prefix, code, Name, text, decomp) \
  {prefix, code, text},
#include <wabt/opcode.def>
#undef WABT_OPCODE
  };
  size_t seen = 0;
  for (size_t i = 0; i < COUNT(wabt); i++) {
    if (wabt[i].prefix == 0 && wabt[i].code >= 0xe0 && wabt[i].code <= 0xe6) {
      const uint8_t b[] = {(uint8_t)wabt[i].code, 0, 0, 0, 0, 0, 0, 0};
      expect_fail(wabt[i].name, b, sizeof b, UNS);
      continue;
    }
    const op *o = find_op((uint8_t)wabt[i].prefix, wabt[i].code);
    if (!o) fail_msg("wabt's %s (0x%02x 0x%x) is not in the table", wabt[i].name,
                     wabt[i].prefix, wabt[i].code);
    if (strcmp(o->name, wabt[i].name) != 0)
      fail_msg("0x%02x 0x%x: table says %s, wabt %s", wabt[i].prefix, wabt[i].code, o->name,
               wabt[i].name);
    seen++;
  }
  assert_int_equal(seen, 533); /* 540 entries, 7 interpreter-only */
#endif
#endif
#ifndef HAVE_OPCODE_DEF
  skip(); /* wabt's headers are not installed */
#endif
}

/* ---- every opcode ---------------------------------------------------------- */
static void test_every_opcode(void **state) {
  (void)state;
  size_t decoded = 0, truncated = 0, broken = 0;
  for (size_t i = 0; i < COUNT(OPS); i++) {
    const op *o = &OPS[i];
    const bool has_memarg = strchr(o->imm, 'm') != NULL;
    for (int memidx = 1; memidx >= (has_memarg ? 0 : 1); memidx--) {
      seq s;
      enc e;
      char ctx[160];
      expand(o, memidx, &s);
      for (mode m = MINIMAL; m <= PADDED; m++) {
        snprintf(ctx, sizeof ctx, "0x%02x 0x%x %s (%s%s)", o->prefix, o->code, o->name,
                 m == PADDED ? "padded LEBs" : "minimal LEBs",
                 has_memarg ? (memidx ? ", memory index" : ", no memory index") : "");
        encode(&s, m, SIZE_MAX, &e);
        expect_ok(ctx, o, &e);
        decoded++;
        truncated += expect_truncations_fail(ctx, &e);
      }
      encode(&s, MINIMAL, SIZE_MAX, &e);
      const size_t nlebs = e.nlebs;
      for (size_t t = 0; t < nlebs; t++) {
        for (mode m = OVERLONG; m <= OVERFLOW; m++) {
          snprintf(ctx, sizeof ctx, "0x%02x 0x%x %s: LEB field %zu %s", o->prefix, o->code,
                   o->name, t, m == OVERLONG ? "one byte too long" : "with unused bits set");
          encode(&s, m, t, &e);
          expect_fail(ctx, e.b, e.n, MAL);
          broken++;
        }
      }
    }
  }
  /* 571 opcodes, 111 with a memarg also without a memory index; each
   * minimal and padded. */
  assert_int_equal(decoded, (571 + 111) * 2);
  assert_true(truncated > 3000 && broken > 1000);
}

/* ---- opcodes that do not exist ------------------------------------------- */
static void test_unknown_opcodes(void **state) {
  (void)state;
  size_t n = 0;
  /* One-byte: everything not in the table and not a prefix, with zero bytes
   * after it so that a failure cannot come from running out of input.
   * Among them: 0x16 0x17 0x1d 0x1e 0x27 0xc5..0xcf 0xd7..0xfa 0xff. */
  for (unsigned b = 0; b <= 0xff; b++) {
    if ((b >= 0xfb && b <= 0xfe) || find_op(0, b)) continue;
    uint8_t in[17] = {(uint8_t)b};
    char ctx[32];
    snprintf(ctx, sizeof ctx, "opcode 0x%02x", b);
    expect_fail(ctx, in, sizeof in, UNS);
    n++;
  }
  assert_int_equal(n, 256 - 199 - 4);
  /* Prefixed: sub-opcodes 0..0x1ff not in the table (0xfb 31, 0xfc 18,
   * 0xfd 0x9a and the other retired SIMD codes, 0xfd 0x114, 0xfe 4, ...),
   * and a few large ones, minimal and padded to 5 bytes. */
  static const uint8_t prefixes[] = {0xfb, 0xfc, 0xfd, 0xfe};
  static const uint32_t big[] = {0x3fff, 0x4000, 0x10000, 0x7fffffff, UINT32_MAX};
  for (size_t p = 0; p < COUNT(prefixes); p++) {
    for (uint32_t code = 0; code < 0x200 + COUNT(big); code++) {
      const uint32_t sub = code < 0x200 ? code : big[code - 0x200];
      if (find_op(prefixes[p], sub)) continue;
      for (size_t width = 0; width <= 5; width += 5) {
        uint8_t in[24] = {prefixes[p]};
        leb(in + 1, sub, false, width);
        char ctx[64];
        snprintf(ctx, sizeof ctx, "0x%02x sub-opcode 0x%x (LEB width %zu)", prefixes[p], sub,
                 width);
        expect_fail(ctx, in, sizeof in, UNS);
        n++;
      }
    }
  }
  assert_true(n > 1500);
}

/* ---- immediates in detail -------------------------------------------------- */
typedef struct kase {
  const char *what;
  const uint8_t *in;
  size_t n;
  tw_status status;
  size_t len; /* TW_OK: the instruction's length (the rest is trailing bytes) */
} kase;

#define OK TW_OK
#define F9 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff
#define Z9 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80

static const kase cases[] = {
    /* memarg: the memory index is there exactly when flags bit 6 is set */
    {"load, no memory index", B(0x28, 0x02, 0xac, 0x02, 0x0b), OK, 4},
    {"load, flags 0x40 memidx 0", B(0x28, 0x40, 0x00, 0x05, 0x0b), OK, 4},
    {"store, flags 0x7f", B(0x36, 0x7f, 0x01, 0x00, 0x0b), OK, 4},
    {"load, flags/memidx/offset padded", B(0x28, 0xc2, 0x80, 0x80, 0x80, 0x00, 0x81, 0x80, 0x80,
                                           0x80, 0x00, 0x05, 0x0b), OK, 12},
    {"load, offset 2^64-1", B(0x28, 0x03, F9, 0x01, 0x0b), OK, 12},
    {"load, offset 2^64", B(0x28, 0x03, Z9, 0x02), MAL, 0},
    {"load, offset 11 bytes", B(0x28, 0x03, Z9, 0x80, 0x00), MAL, 0},
    {"load, memidx 6 bytes", B(0x28, 0x40, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x00), MAL, 0},
    {"atomic load with memidx", B(0xfe, 0x10, 0x42, 0x01, 0x00, 0x0b), OK, 5},
    {"load8_lane, no memidx", B(0xfd, 0x54, 0x00, 0x00, 0x0f, 0x0b), OK, 5},
    {"load8_lane, memidx", B(0xfd, 0x54, 0x40, 0x01, 0x00, 0x0f, 0x0b), OK, 6},
    {"v128.load, sub-opcode padded", B(0xfd, 0x80, 0x80, 0x00, 0x04, 0x10, 0x0b), OK, 6},
    {"memory.size 0", B(0x3f, 0x00, 0x0b), OK, 2},
    {"memory.grow, memidx padded", B(0x40, 0x80, 0x00, 0x0b), OK, 3},
    {"memory.init, memidx 129", B(0xfc, 0x08, 0x05, 0x81, 0x01, 0x0b), OK, 5},
    {"memory.copy 1 2", B(0xfc, 0x0a, 0x01, 0x02, 0x0b), OK, 4},
    {"memory.fill 0", B(0xfc, 0x0b, 0x00, 0x0b), OK, 3},
    {"call_indirect 0 0", B(0x11, 0x00, 0x00, 0x0b), OK, 3},
    /* blocktype */
    {"block empty", B(0x02, 0x40, 0x0b), OK, 2},
    {"block i32", B(0x02, 0x7f, 0x0b), OK, 2},
    {"block i64", B(0x02, 0x7e, 0x0b), OK, 2},
    {"block f32", B(0x02, 0x7d, 0x0b), OK, 2},
    {"block f64", B(0x02, 0x7c, 0x0b), OK, 2},
    {"block v128", B(0x02, 0x7b, 0x0b), OK, 2},
    {"block exnref", B(0x02, 0x69, 0x0b), OK, 2},
    {"block arrayref", B(0x02, 0x6a, 0x0b), OK, 2},
    {"block structref", B(0x02, 0x6b, 0x0b), OK, 2},
    {"block i31ref", B(0x02, 0x6c, 0x0b), OK, 2},
    {"block eqref", B(0x02, 0x6d, 0x0b), OK, 2},
    {"block anyref", B(0x02, 0x6e, 0x0b), OK, 2},
    {"block externref", B(0x02, 0x6f, 0x0b), OK, 2},
    {"block funcref", B(0x02, 0x70, 0x0b), OK, 2},
    {"block nullref", B(0x02, 0x71, 0x0b), OK, 2},
    {"block nullexternref", B(0x02, 0x72, 0x0b), OK, 2},
    {"block nullfuncref", B(0x02, 0x73, 0x0b), OK, 2},
    {"block nullexnref", B(0x02, 0x74, 0x0b), OK, 2},
    {"block (ref null func)", B(0x02, 0x63, 0x70, 0x0b), OK, 3},
    {"block (ref any)", B(0x02, 0x64, 0x6e, 0x0b), OK, 3},
    {"block (ref null 300)", B(0x02, 0x63, 0xac, 0x02, 0x0b), OK, 4},
    {"if (ref 0)", B(0x04, 0x64, 0x00, 0x0b), OK, 3},
    {"loop type 0", B(0x03, 0x00, 0x0b), OK, 2},
    {"loop type 63 (one byte)", B(0x03, 0x3f, 0x0b), OK, 2},
    {"loop type 64 (two bytes)", B(0x03, 0xc0, 0x00, 0x0b), OK, 3},
    {"try type 2^32-1", B(0x06, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x0b), OK, 6},
    {"block 0x7a", B(0x02, 0x7a, 0x0b), MAL, 0},
    {"block 0x79", B(0x02, 0x79, 0x0b), MAL, 0},
    {"block i8 (packed, not a value type)", B(0x02, 0x78, 0x0b), MAL, 0},
    {"block i16 (packed, not a value type)", B(0x02, 0x77, 0x0b), MAL, 0},
    {"block 0x60 (func)", B(0x02, 0x60, 0x0b), MAL, 0},
    {"block 0x5f (struct)", B(0x02, 0x5f, 0x0b), MAL, 0},
    {"block 0x5e (array)", B(0x02, 0x5e, 0x0b), MAL, 0},
    {"block 0x50 (sub)", B(0x02, 0x50, 0x0b), MAL, 0},
    {"block 0x4e (rec)", B(0x02, 0x4e, 0x0b), MAL, 0},
    {"block 0x41", B(0x02, 0x41, 0x0b), MAL, 0},
    {"block s33 with bad sign bits", B(0x02, 0x80, 0x80, 0x80, 0x80, 0x20, 0x0b), MAL, 0},
    {"block type index 6 bytes", B(0x02, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0b), MAL, 0},
    {"block (ref null i32)", B(0x02, 0x63, 0x7f, 0x0b), MAL, 0},
    {"block (ref 0x40)", B(0x02, 0x64, 0x40, 0x0b), MAL, 0},
    /* heaptype */
    {"ref.null exn", B(0xd0, 0x69, 0x0b), OK, 2},
    {"ref.null array", B(0xd0, 0x6a, 0x0b), OK, 2},
    {"ref.null struct", B(0xd0, 0x6b, 0x0b), OK, 2},
    {"ref.null i31", B(0xd0, 0x6c, 0x0b), OK, 2},
    {"ref.null eq", B(0xd0, 0x6d, 0x0b), OK, 2},
    {"ref.null any", B(0xd0, 0x6e, 0x0b), OK, 2},
    {"ref.null extern", B(0xd0, 0x6f, 0x0b), OK, 2},
    {"ref.null func", B(0xd0, 0x70, 0x0b), OK, 2},
    {"ref.null none", B(0xd0, 0x71, 0x0b), OK, 2},
    {"ref.null noextern", B(0xd0, 0x72, 0x0b), OK, 2},
    {"ref.null nofunc", B(0xd0, 0x73, 0x0b), OK, 2},
    {"ref.null noexn", B(0xd0, 0x74, 0x0b), OK, 2},
    {"ref.null 0", B(0xd0, 0x00, 0x0b), OK, 2},
    {"ref.null 300", B(0xd0, 0xac, 0x02, 0x0b), OK, 3},
    {"ref.null i32", B(0xd0, 0x7f, 0x0b), MAL, 0},
    {"ref.null v128", B(0xd0, 0x7b, 0x0b), MAL, 0},
    {"ref.null 0x40", B(0xd0, 0x40, 0x0b), MAL, 0},
    {"ref.null 0x63", B(0xd0, 0x63, 0x70, 0x0b), MAL, 0},
    {"ref.null 0x64", B(0xd0, 0x64, 0x70, 0x0b), MAL, 0},
    {"ref.null -1 in two bytes", B(0xd0, 0xff, 0x7f, 0x0b), MAL, 0},
    {"ref.test any", B(0xfb, 0x14, 0x6e, 0x0b), OK, 3},
    {"ref.cast null 300", B(0xfb, 0x17, 0xac, 0x02, 0x0b), OK, 4},
    {"ref.cast i32", B(0xfb, 0x16, 0x7f, 0x0b), MAL, 0},
    /* br_on_cast: castflags 0..3, label, two heap types */
    {"br_on_cast flags 0", B(0xfb, 0x18, 0x00, 0x00, 0x6e, 0x6b, 0x0b), OK, 6},
    {"br_on_cast_fail flags 2 types 1 2", B(0xfb, 0x19, 0x02, 0x05, 0x01, 0x02, 0x0b), OK, 6},
    {"br_on_cast bad second heap type", B(0xfb, 0x18, 0x03, 0x00, 0x6e, 0x7f, 0x0b), MAL, 0},
    /* select t */
    {"select (empty vector)", B(0x1c, 0x00, 0x0b), OK, 2},
    {"select v128", B(0x1c, 0x01, 0x7b, 0x0b), OK, 3},
    {"select (ref func)", B(0x1c, 0x01, 0x64, 0x70, 0x0b), OK, 4},
    {"select externref", B(0x1c, 0x01, 0x6f, 0x0b), OK, 3},
    {"select i8", B(0x1c, 0x01, 0x78, 0x0b), MAL, 0},
    {"select 0x40", B(0x1c, 0x01, 0x40, 0x0b), MAL, 0},
    {"select 2 types, 1 there", B(0x1c, 0x02, 0x7f), MAL, 0},
    /* try_table */
    {"try_table no catches", B(0x1f, 0x40, 0x00, 0x0b), OK, 3},
    {"try_table catch_ref, catch_all_ref",
     B(0x1f, 0x7f, 0x02, 0x01, 0x00, 0x00, 0x03, 0x00, 0x0b), OK, 8},
    {"try_table catch kind 4", B(0x1f, 0x40, 0x01, 0x04, 0x00, 0x0b), MAL, 0},
    {"try_table 2 catches, 1 there", B(0x1f, 0x40, 0x02, 0x02, 0x00), MAL, 0},
    /* br_table */
    {"br_table default only", B(0x0e, 0x00, 0x00, 0x0b), OK, 3},
    {"br_table count 2^32-1", B(0x0e, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00, 0x00), MAL, 0},
    {"br_table count with bit 32", B(0x0e, 0x80, 0x80, 0x80, 0x80, 0x10, 0x00), MAL, 0},
    /* constants */
    {"i32.const INT32_MAX", B(0x41, 0xff, 0xff, 0xff, 0xff, 0x07, 0x0b), OK, 6},
    {"i32.const INT32_MIN", B(0x41, 0x80, 0x80, 0x80, 0x80, 0x78, 0x0b), OK, 6},
    {"i32.const -1 padded", B(0x41, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x0b), OK, 6},
    {"i32.const 5th byte 0x0f", B(0x41, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x0b), MAL, 0},
    {"i32.const 5th byte 0x70", B(0x41, 0x80, 0x80, 0x80, 0x80, 0x70, 0x0b), MAL, 0},
    {"i64.const INT64_MIN", B(0x42, Z9, 0x7f, 0x0b), OK, 11},
    {"i64.const INT64_MAX", B(0x42, F9, 0x00, 0x0b), OK, 11},
    {"i64.const 10th byte 0x01", B(0x42, Z9, 0x01, 0x0b), MAL, 0},
    {"f32.const", B(0x43, 0x00, 0x00, 0x80, 0x7f, 0x0b), OK, 5},
    {"f64.const", B(0x44, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0x7f, 0x0b), OK, 9},
    {"v128.const", B(0xfd, 0x0c, F9, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0b), OK, 18},
    {"atomic.fence", B(0xfe, 0x03, 0x00, 0x0b), OK, 3},
    {"atomic.fence, reserved byte 1", B(0xfe, 0x03, 0x01, 0x0b), MAL, 0},
    /* nothing at all, or only a prefix */
    {"empty", B(0x0b), MAL, 0}, /* n is cut to 0 below */
    {"prefix only", B(0xfd), MAL, 0},
    {"prefix, sub-opcode 6 bytes", B(0xfc, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00), MAL, 0},
    {"prefix, sub-opcode beyond u32", B(0xfc, 0x80, 0x80, 0x80, 0x80, 0x10, 0x00), MAL, 0},
};

static void test_cases(void **state) {
  (void)state;
  for (size_t i = 0; i < COUNT(cases); i++) {
    const kase *k = &cases[i];
    const size_t n = strcmp(k->what, "empty") == 0 ? 0 : k->n;
    if (k->status != TW_OK) {
      expect_fail(k->what, k->in, n, k->status);
      continue;
    }
    uint8_t buf[AT + 64];
    memset(buf, 0x0b, sizeof buf);
    memcpy(buf + AT, k->in, n);
    tw_err err = {0};
    tw_cursor c = tw_cursor_make(buf, AT, AT + n, &err);
    tw_instr in;
    if (!tw_instr_next(&c, &in))
      fail_msg("%s: decode failed (status %d): %s", k->what, err.code, err.message);
    if (in.end != AT + k->len || c.pos != AT + k->len)
      fail_msg("%s: length %zu, want %zu", k->what, in.end - AT, k->len);
    /* ... and every truncation of it fails */
    for (size_t t = 0; t < k->len; t++) expect_fail_in(k->what, buf, k->len, t, MAL);
  }
}

/* ---- a body, instruction by instruction ------------------------------------ */
static void test_sequence(void **state) {
  (void)state;
  static const struct {
    uint8_t len;
    int nest;
    int64_t func; /* -1: none */
  } want[] = {
      {2, TW_NEST_OPEN, -1},  /* block */
      {2, TW_NEST_OPEN, -1},  /* loop i32 */
      {2, TW_NEST_OPEN, -1},  /* if */
      {1, TW_NEST_NONE, -1},  /* else */
      {1, TW_NEST_CLOSE, -1}, /* end */
      {2, TW_NEST_OPEN, -1},  /* try */
      {2, TW_NEST_NONE, -1},  /* catch 0 */
      {1, TW_NEST_NONE, -1},  /* catch_all */
      {1, TW_NEST_CLOSE, -1}, /* end */
      {2, TW_NEST_OPEN, -1},  /* try */
      {2, TW_NEST_CLOSE, -1}, /* delegate 0 */
      {5, TW_NEST_OPEN, -1},  /* try_table (catch_all 0) */
      {1, TW_NEST_NONE, -1},  /* throw_ref */
      {1, TW_NEST_CLOSE, -1}, /* end */
      {2, TW_NEST_NONE, -1},  /* i32.const 0 */
      {1, TW_NEST_CLOSE, -1}, /* end (loop) */
      {1, TW_NEST_NONE, -1},  /* drop */
      {1, TW_NEST_CLOSE, -1}, /* end (block) */
      {2, TW_NEST_NONE, 5},   /* ref.func 5 */
      {2, TW_NEST_NONE, -1},  /* call_ref 0 */
      {3, TW_NEST_NONE, 128}, /* call 128 */
      {6, TW_NEST_NONE, 1},   /* return_call 1, padded */
      {1, TW_NEST_CLOSE, -1}, /* end (function) */
  };
  static const uint8_t body[] = {
      0x02, 0x40, 0x03, 0x7f, 0x04, 0x40, 0x05, 0x0b, 0x06, 0x40, 0x07, 0x00,
      0x19, 0x0b, 0x06, 0x40, 0x18, 0x00, 0x1f, 0x40, 0x01, 0x02, 0x00, 0x0a,
      0x0b, 0x41, 0x00, 0x0b, 0x1a, 0x0b, 0xd2, 0x05, 0x14, 0x00, 0x10, 0x80,
      0x01, 0x12, 0x81, 0x80, 0x80, 0x80, 0x00, 0x0b};
  tw_err err = {0};
  tw_cursor c = tw_cursor_make(body, 0, sizeof body, &err);
  size_t pos = 0;
  int depth = 1;
  for (size_t i = 0; i < COUNT(want); i++) {
    tw_instr in;
    if (!tw_instr_next(&c, &in)) fail_msg("instruction %zu: %s", i, err.message);
    if (in.start != pos || in.end != pos + want[i].len)
      fail_msg("instruction %zu: [%zu, %zu), want [%zu, %zu)", i, in.start, in.end, pos,
               pos + want[i].len);
    if (in.nest != want[i].nest) fail_msg("instruction %zu: nest %d", i, in.nest);
    if (in.has_func != (want[i].func >= 0) || (in.has_func && in.func != want[i].func))
      fail_msg("instruction %zu: has_func %d func %u", i, in.has_func, in.func);
    depth += in.nest;
    pos = in.end;
  }
  assert_int_equal(depth, 0);
  assert_int_equal(pos, sizeof body);
  assert_int_equal(c.pos, sizeof body);
}

/* ---- local declarations ---------------------------------------------------- */
typedef struct lcase {
  const char *what;
  const uint8_t *in;
  size_t n;
  tw_status status;
  size_t len;
} lcase;

static const lcase locals[] = {
    {"none", B(0x00, 0x0b), OK, 1},
    {"3 i32, 128 i64", B(0x02, 0x03, 0x7f, 0x80, 0x01, 0x7e, 0x0b), OK, 6},
    {"v128, (ref null 300), 2 anyref",
     B(0x03, 0x01, 0x7b, 0x01, 0x63, 0xac, 0x02, 0x02, 0x6e, 0x0b), OK, 9},
    {"(ref func)", B(0x01, 0x01, 0x64, 0x70, 0x0b), OK, 4},
    {"vector count padded", B(0x81, 0x80, 0x80, 0x80, 0x00, 0x02, 0x7f, 0x0b), OK, 7},
    {"local count padded", B(0x01, 0x85, 0x80, 0x80, 0x80, 0x00, 0x7d, 0x0b), OK, 7},
    {"2^32-1 locals", B(0x01, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 0x0b), OK, 7},
    {"zero locals of a type", B(0x01, 0x00, 0x7c, 0x0b), OK, 3},
    {"i8 is not a value type", B(0x01, 0x02, 0x78, 0x0b), MAL, 0},
    {"0x40 is not a value type", B(0x01, 0x02, 0x40, 0x0b), MAL, 0},
    {"(ref null i32)", B(0x01, 0x01, 0x63, 0x7f, 0x0b), MAL, 0},
    {"two entries, one there", B(0x02, 0x01, 0x7f), MAL, 0},
    {"vector count 6 bytes", B(0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0b), MAL, 0},
    {"local count 6 bytes", B(0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x7f, 0x0b), MAL, 0},
    {"local count beyond u32", B(0x01, 0x80, 0x80, 0x80, 0x80, 0x10, 0x7f, 0x0b), MAL, 0},
    {"empty", B(0x0b), MAL, 0}, /* n is cut to 0 below */
};

static void test_skip_locals(void **state) {
  (void)state;
  for (size_t i = 0; i < COUNT(locals); i++) {
    const lcase *k = &locals[i];
    uint8_t buf[AT + 64];
    memset(buf, 0x0b, sizeof buf);
    memcpy(buf + AT, k->in, k->n);
    /* OK cases: the cursor ends after the declarations (the rest of the
     * bytes are code); failing cases: it ends with the bytes. */
    const size_t n = strcmp(k->what, "empty") == 0 ? 0 : k->n;
    const size_t limits[] = {n, k->len};
    const size_t nlimits = k->status == TW_OK ? 2 : 1;
    for (size_t l = 0; l < nlimits; l++) {
      tw_err err = {0};
      tw_cursor c = tw_cursor_make(buf, AT, AT + limits[l], &err);
      const bool ok = tw_skip_locals(&c);
      if (k->status == TW_OK) {
        if (!ok) fail_msg("%s: failed: %s", k->what, err.message);
        if (c.pos != AT + k->len) fail_msg("%s: pos %zu, want %zu", k->what, c.pos - AT, k->len);
      } else {
        if (ok) fail_msg("%s: accepted (pos %zu)", k->what, c.pos - AT);
        if (err.code != k->status) fail_msg("%s: status %d: %s", k->what, err.code, err.message);
        if (c.pos != AT) fail_msg("%s: cursor moved to %zu", k->what, c.pos - AT);
      }
    }
    if (k->status != TW_OK) continue;
    for (size_t t = 0; t < k->len; t++) {
      tw_err err = {0};
      tw_cursor c = tw_cursor_make(buf, AT, AT + t, &err);
      if (tw_skip_locals(&c)) fail_msg("%s: accepted %zu of %zu bytes", k->what, t, k->len);
      if (err.code != MAL || c.pos != AT)
        fail_msg("%s cut to %zu: status %d pos %zu", k->what, t, err.code, c.pos - AT);
    }
  }
}

/* ---- side conditions of the binary format ---------------------------------
 * Encodings the grammar rejects by a side condition rather than by their
 * shape. Each must fail as malformed with the cursor unchanged; all are
 * checked, and every one the decoder accepts is listed before failing.
 *   memarg:    flags n < 2^6, or 2^6 <= n < 2^7 with a memory index
 *              (multi-memory, binary/instructions "memory argument")
 *   blocktype: x:s33 only if x >= 0; 0x40 and value types are single bytes
 *              (binary/instructions "block type")
 *   castflags: the bytes 0..3 only (GC, binary/instructions "cast flags")
 *   locals:    |concat((t*)*)| < 2^32 (binary/modules "code section"; the
 *              testsuite's binary.wast asserts "too many locals") */
static const lcase side_conditions[] = {
    /* len: 1 = an instruction, 0 = local declarations */
    {"i32.load, memarg flags 128", B(0x28, 0x80, 0x01, 0x00, 0x00, 0x00), MAL, 1},
    {"i32.load, memarg flags 0xc2", B(0x28, 0xc2, 0x01, 0x00, 0x00, 0x00), MAL, 1},
    {"v128.load, memarg flags 2^31", B(0xfd, 0x00, 0x80, 0x80, 0x80, 0x80, 0x08, 0x00), MAL, 1},
    {"i32.atomic.load, memarg flags 0x100", B(0xfe, 0x10, 0x80, 0x02, 0x00, 0x00), MAL, 1},
    {"block, type index -1 in two bytes", B(0x02, 0xff, 0x7f, 0x0b), MAL, 1},
    {"loop, type index -64 in two bytes", B(0x03, 0xc0, 0x7f, 0x0b), MAL, 1},
    {"if, type index -2^32", B(0x04, 0x80, 0x80, 0x80, 0x80, 0x70, 0x0b), MAL, 1},
    {"try_table, type index -1", B(0x1f, 0xff, 0x7f, 0x00, 0x0b), MAL, 1},
    {"br_on_cast, castflags 4", B(0xfb, 0x18, 0x04, 0x00, 0x6e, 0x6b, 0x0b), MAL, 1},
    {"br_on_cast_fail, castflags 0xff", B(0xfb, 0x19, 0xff, 0x00, 0x6e, 0x6b, 0x0b), MAL, 1},
    {"locals: 2^32-1 i32 + 1 i64",
     B(0x02, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 0x01, 0x7e, 0x0b), MAL, 0},
    {"locals: 4 x 2^30 (binary.wast)",
     B(0x04, 0x80, 0x80, 0x80, 0x80, 0x04, 0x7f, 0x80, 0x80, 0x80, 0x80, 0x04, 0x7e, 0x80, 0x80,
       0x80, 0x80, 0x04, 0x7d, 0x80, 0x80, 0x80, 0x80, 0x04, 0x7c, 0x0b), MAL, 0},
};

static void test_side_conditions(void **state) {
  (void)state;
  size_t accepted = 0;
  for (size_t i = 0; i < COUNT(side_conditions); i++) {
    const lcase *k = &side_conditions[i];
    tw_err err = {0};
    tw_cursor c = tw_cursor_make(k->in, 0, k->n, &err);
    tw_instr in;
    const bool ok = k->len ? tw_instr_next(&c, &in) : tw_skip_locals(&c);
    if (ok || err.code != k->status || c.pos != 0) {
      print_error("%s: %s (status %d, cursor at %zu), want malformed\n", k->what,
                  ok ? "accepted" : "refused", err.code, c.pos);
      accepted++;
    }
  }
  if (accepted)
    fail_msg("%zu of %zu side conditions not enforced", accepted, COUNT(side_conditions));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_table_sane),      cmocka_unit_test(test_table_covers_wabt),
      cmocka_unit_test(test_every_opcode),    cmocka_unit_test(test_unknown_opcodes),
      cmocka_unit_test(test_cases),           cmocka_unit_test(test_sequence),
      cmocka_unit_test(test_skip_locals),     cmocka_unit_test(test_side_conditions),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
