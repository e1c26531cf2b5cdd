/* A wasm32-wasi reactor for the legacy init-task ABI (tests/cstack).
 *
 * Like a wasi-libc built for WASI preview 3, it exports __wasm_init_task and
 * __wasm_init_async_task, which give a new task a fresh stack by resetting
 * __stack_pointer. Here the stack is a dedicated static region (task_stack);
 * the two init functions live in init_task.S, because clang 14 has no
 * builtin to write __stack_pointer from C (nor does C code get to pick its
 * own stack pointer), while the wasm assembler can `global.set` it directly
 * -- which is also how wasi-libc writes them.
 *
 * The other exports observe or disturb the stack:
 *   task_entry_sp      address of a local array = stack pointer on entry
 *                      minus this function's (fixed) frame size
 *   [async-lift-stackful]task-entry-sp   the same, as an async stackful export
 *   task_trap(n)       a task that traps (n != 0) while its 4 KiB frame is
 *                      live, so __stack_pointer is never restored
 *   leak_stack(n)      (init_task.S) lowers __stack_pointer by n bytes and
 *                      returns, like a task that suspended mid-call
 *   task_stack_top     top of the task stack region (16-aligned)
 *
 * Compile with -O2 -c and link without -O (clang 14 would run wasm-opt). */
#include <stdint.h>

/* Returning a local's address is the point of task_entry_sp. */
#pragma clang diagnostic ignored "-Wreturn-stack-address"

#define TASK_STACK_SIZE 65536
static _Alignas(16) unsigned char task_stack[TASK_STACK_SIZE];

__attribute__((export_name("task_stack_top")))
uintptr_t task_stack_top(void) {
  return (uintptr_t)(task_stack + TASK_STACK_SIZE);
}

/* volatile keeps the array (and so the frame) in linear memory. */
__attribute__((export_name("task_entry_sp"), noinline))
uintptr_t task_entry_sp(void) {
  volatile unsigned char frame[32];
  frame[0] = 1;
  return (uintptr_t)frame;
}

__attribute__((export_name("[async-lift-stackful]task-entry-sp"), noinline))
uintptr_t task_entry_sp_async(void) {
  volatile unsigned char frame[32];
  frame[0] = 2;
  return (uintptr_t)frame;
}

/* Not inlined, so task_trap's frame is published in __stack_pointer (it is
 * not a leaf) before the call that traps. */
__attribute__((noinline))
void task_fail(volatile unsigned char *buf, uint32_t n) {
  buf[n & 4095] = 1;
  if (n) __builtin_trap();
}

__attribute__((export_name("task_trap")))
void task_trap(uint32_t n) {
  volatile unsigned char buf[4096];
  task_fail(buf, n);
}
