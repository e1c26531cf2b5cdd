// A C reactor built with the system clang 14 and wasm-ld 14 (run.sh), for
// the world of hook.wit: real linker output, with every call and type index
// padded to 5 bytes and call_indirect's table index too
// (-mreference-types: 11 80 80 80 80 00 80 80 80 80 00), the exported table
// (--export-table), and wasm-ld's own producers and target_features.
// clang 14 predates LLVM's wasip3 ABI, so the libcalls that ABI would call
// for the stack pointer and TLS base (docs/abi.md, "What current toolchains
// produce") are declared
// here as the same env imports and called explicitly; the functions below
// need no stack frame, so clang's own __stack_pointer global is never used.
// One WASI import (declared as wasi-libc's bottom half declares it) makes
// --stub-wasi renumber this real linker output.
#include <stdint.h>

#define ENV(name) __attribute__((import_module("env"), import_name(#name)))
ENV(__wasm_get_stack_pointer) uintptr_t get_sp(void);
ENV(__wasm_set_stack_pointer) void set_sp(uintptr_t);
ENV(__wasm_get_tls_base) uintptr_t get_tls(void);
ENV(__wasm_set_tls_base) void set_tls(uintptr_t);
__attribute__((import_module("wasi_snapshot_preview1"), import_name("sched_yield")))
int32_t wasi_sched_yield(void);

struct tls { uint32_t magic, counter; };
static const struct tls tls_image = { 0x544c5331, 41 };
static struct tls main_tls;
static _Alignas(16) unsigned char main_stack[4096];
static int main_busy;

// As wasi-libc's hook does for a task that finds the main stack free: a
// start code gives the task the main stack and a fresh TLS block, a finish
// code takes them back. (There is one stack here: a start while it is
// taken traps.)
__attribute__((export_name("__wasm_task_hook"))) void task_hook(int code) {
  switch (code) {
  case 0: case 2: case 6: case 8: case 12:
    if (main_busy) __builtin_trap();
    main_busy = 1;
    main_tls = tls_image;
    set_tls((uintptr_t)&main_tls);
    set_sp((uintptr_t)(main_stack + sizeof main_stack));
    break;
  case 1: case 5: case 7: case 9: case 13:
    main_busy = 0;
    set_tls(0);
    set_sp(0);
    break;
  }
}

static uint32_t dbl(uint32_t x) { return 2 * x; }
static uint32_t neg(uint32_t x) { return -x; }
uint32_t (*volatile table[])(uint32_t) = { dbl, neg };

// Where the body's stack pointer and TLS base are, relative to the main
// stack and TLS block: 4096 (the stack's top) and 0 under the hook.
__attribute__((export_name("sp"))) uint32_t sp(void) { return get_sp() - (uintptr_t)main_stack; }
__attribute__((export_name("tls-base"))) uint32_t tls_base(void) { return get_tls() - (uintptr_t)&main_tls; }
__attribute__((export_name("counter"))) uint32_t counter(void) { return ++((struct tls *)get_tls())->counter; }
__attribute__((export_name("dispatch"))) uint32_t dispatch(uint32_t slot, uint32_t x) { return table[slot - 1](x); }
__attribute__((export_name("yield"))) uint32_t yield(void) { return wasi_sched_yield() + counter(); }
