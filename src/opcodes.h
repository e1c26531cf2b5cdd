/* Named opcodes and value types of the WebAssembly binary format (spec
 * 5.4, 5.3.1), for the code that writes or expects instructions. The
 * instruction decoder (instr.c) has its own tables of every opcode. */
#ifndef TW_OPCODES_H
#define TW_OPCODES_H

enum tw_opcode {
  OP_UNREACHABLE = 0x00, OP_BLOCK = 0x02, OP_LOOP = 0x03, OP_IF = 0x04, OP_END = 0x0b,
  OP_BR = 0x0c, OP_BR_IF = 0x0d, OP_RETURN = 0x0f, OP_CALL = 0x10, OP_SELECT = 0x1b,
  OP_LOCAL_GET = 0x20, OP_LOCAL_SET = 0x21, OP_LOCAL_TEE = 0x22, OP_GLOBAL_GET = 0x23,
  OP_GLOBAL_SET = 0x24, OP_I32_LOAD = 0x28, OP_I64_LOAD = 0x29, OP_I32_LOAD8_U = 0x2d,
  OP_I32_STORE = 0x36, OP_I64_STORE = 0x37, OP_I32_STORE8 = 0x3a, OP_I64_STORE8 = 0x3c,
  OP_I32_CONST = 0x41, OP_I64_CONST = 0x42, OP_I32_EQZ = 0x45, OP_I32_GT_U = 0x4b,
  OP_I32_ADD = 0x6a, OP_I32_SUB = 0x6b, OP_I64_ADD = 0x7c, OP_I64_XOR = 0x85,
  OP_I64_SHL = 0x86, OP_I64_SHR_U = 0x88, OP_I32_SHL = 0x74, OP_PREFIX_FC = 0xfc,
  OP_ELSE = 0x05, OP_I32_LT_U = 0x49
};
enum { OP_FC_MEMORY_INIT = 8 }; /* after OP_PREFIX_FC */

enum tw_valtype { VT_I32 = 0x7f, VT_I64 = 0x7e, VT_F32 = 0x7d, VT_F64 = 0x7c, VT_V128 = 0x7b };

enum { BT_EMPTY = 0x40 };          /* the empty block type */
enum { TW_FUNC_FORM = 0x60 };      /* a function type's form byte */
enum { TW_MUT_CONST = 0, TW_MUT_VAR = 1 };

/* Import and export kinds (spec 5.5.5, 5.5.10, with tags). */
enum { TW_KIND_FUNC = 0, TW_KIND_TABLE = 1, TW_KIND_MEMORY = 2, TW_KIND_GLOBAL = 3,
       TW_KIND_TAG = 4 };

#endif /* TW_OPCODES_H */
