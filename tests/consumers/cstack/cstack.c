/* A wasm32-wasi reactor whose __wasm_task_hook manages task stacks the way
 * wasi-libc's does (docs/abi.md, "What current toolchains produce"): a start code (0, 2, 6, 8, 12)
 * allocates a stack for the task, block (4) frees it, resume (3) allocates
 * one again, a finish code (1, 5, 7, 9, 13) frees it. The stack a task had
 * is found by the stack pointer it leaves: the top of its stack, since
 * every function restores the stack pointer on return. After a finish or a
 * block the stack pointer is 0: code that runs without a start hook before
 * it sees 0, not a stale stack.
 *
 * wasi-libc takes the main stack when it is free and mallocs otherwise;
 * this hook always mallocs, so that each stack is an allocation the log
 * names. The hook part in assembly (switching to the hook's own stack) is
 * hook.S, as in wasi-libc.
 *
 * Everything is logged in records of four u32 words, read back by `report`
 * (cstack.mjs checks them):
 *   'A' base top code      a stack allocated for hook code `code`
 *   'F' base top code      that stack freed
 *   'H' code prev_sp new_sp  a hook call: the stack pointer before and after
 *   'B' body sp 0          a body starts; sp = the stack pointer on entry
 *   'E' event waitable code  the callback's event
 *   'w' status 0 0         future.write's result
 *   'X' code prev_sp 0     a finish/block hook that found no stack to free
 * Bodies: 'I' _initialize, 'M' cabi_realloc, 'S' sync, 'P' its post-return,
 * 'W' wait-self, 'C' its callback, 'K' stackful, 'R' report.
 *
 * The bodies must not have a stack frame of their own, so that read_sp()
 * returns the stack pointer they were entered with: they take no local's
 * address and call nothing that needs one before read_sp. Compile with
 * -O2 -c and link without -O (clang 14 would run wasm-opt). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cstack.h"

#define STACK_SIZE 16384
#define LOG_MAX 2048

static uint32_t log_buf[LOG_MAX];
static uint32_t log_len;
static uint32_t out_buf[LOG_MAX];
static uint32_t ret_area[2];

/* hook.S switches to the top of this (not static: hook.S names it) */
_Alignas(16) unsigned char hook_stack[HOOK_STACK_SIZE];
extern uintptr_t read_sp(void);

static void rec(uint32_t kind, uint32_t a, uint32_t b, uint32_t c) {
  if (log_len + 4 > LOG_MAX) __builtin_trap();
  log_buf[log_len++] = kind;
  log_buf[log_len++] = a;
  log_buf[log_len++] = b;
  log_buf[log_len++] = c;
}

#define MAX_LIVE 16
static struct { void *base; uintptr_t top; } live[MAX_LIVE];

/* Called by hook.S on the hook stack; returns the stack pointer to install. */
uintptr_t task_hook_c(uint32_t code, uintptr_t prev_sp);
uintptr_t task_hook_c(uint32_t code, uintptr_t prev_sp) {
  switch (code) {
  case 0: case 2: case 3: case 6: case 8: case 12: {
    void *base = malloc(STACK_SIZE);
    if (!base) __builtin_trap();
    uintptr_t top = ((uintptr_t)base + STACK_SIZE) & ~(uintptr_t)15;
    int i = 0;
    while (i < MAX_LIVE && live[i].base) i++;
    if (i == MAX_LIVE) __builtin_trap();
    live[i].base = base;
    live[i].top = top;
    rec('A', (uint32_t)(uintptr_t)base, (uint32_t)top, code);
    rec('H', code, (uint32_t)prev_sp, (uint32_t)top);
    return top;
  }
  case 1: case 4: case 5: case 7: case 9: case 13:
    for (int i = 0; i < MAX_LIVE; i++) {
      if (live[i].base && live[i].top == prev_sp) {
        rec('F', (uint32_t)(uintptr_t)live[i].base, (uint32_t)live[i].top, code);
        free(live[i].base);
        live[i].base = 0;
        rec('H', code, (uint32_t)prev_sp, 0);
        return 0;
      }
    }
    rec('X', code, (uint32_t)prev_sp, 0);
    return 0;
  default:
    rec('?', code, (uint32_t)prev_sp, 0);
    __builtin_trap();
  }
}

#define BODY(m) rec('B', (m), (uint32_t)read_sp(), 0)

__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size) {
  (void)old_size;
  (void)align; /* malloc's alignment (16) is enough for a string */
  BODY('M');
  return realloc(old, new_size);
}

/* Linked with -nostartfiles: this is the reactor's _initialize. */
extern void __wasm_call_ctors(void);
__attribute__((export_name("_initialize")))
void initialize(void) {
  BODY('I');
  __wasm_call_ctors();
}

__attribute__((export_name("tw:cstack/tasks#sync")))
uint32_t sync_fn(char *s, size_t n) {
  BODY('S');
  free(s);
  return (uint32_t)n;
}

__attribute__((export_name("cabi_post_tw:cstack/tasks#sync")))
void sync_post(uint32_t result) {
  (void)result;
  BODY('P');
}

/* Component-model builtins, by the import names wit-component resolves. */
#define IMPORT(m, n) __attribute__((import_module(m), import_name(n)))
IMPORT("[export]tw:cstack/tasks", "[task-return]wait-self") void wait_self_return(uint32_t);
IMPORT("[export]tw:cstack/tasks", "[task-return]stackful") void stackful_return(uint32_t);
IMPORT("$root", "[future-new-unit]") uint64_t future_new_unit(void);
IMPORT("$root", "[async-lower][future-read-unit]") uint32_t future_read_unit(uint32_t, void *);
IMPORT("$root", "[async-lower][future-write-unit]") uint32_t future_write_unit(uint32_t, const void *);
IMPORT("$root", "[future-drop-readable-unit]") void future_drop_readable_unit(uint32_t);
IMPORT("$root", "[future-drop-writable-unit]") void future_drop_writable_unit(uint32_t);
IMPORT("$root", "[waitable-set-new]") uint32_t waitable_set_new(void);
IMPORT("$root", "[waitable-join]") void waitable_join(uint32_t, uint32_t);
IMPORT("$root", "[waitable-set-drop]") void waitable_set_drop(uint32_t);

/* callback results and events of the canonical ABI */
#define CALLBACK_EXIT 0
#define CALLBACK_YIELD 1
#define CALLBACK_WAIT 2 /* | waitable set << 4 */
#define EVENT_NONE 0
#define EVENT_FUTURE_READ 4
#define STATUS_BLOCKED 0xffffffffu

static uint32_t step, reader, writer, wset;

/* wait-self: yield first (the callback then runs with EVENT_NONE); then
 * read a unit future (blocks: nothing written yet), write it (completes
 * the pending read) and WAIT on a set holding the reader; the callback runs
 * again with FUTURE_READ and returns 42. */
__attribute__((export_name("[async-lift]tw:cstack/tasks#wait-self")))
uint32_t wait_self(void) {
  BODY('W');
  step = 1;
  return CALLBACK_YIELD;
}

__attribute__((export_name("[callback][async-lift]tw:cstack/tasks#wait-self")))
uint32_t wait_self_cb(uint32_t event, uint32_t waitable, uint32_t code) {
  BODY('C');
  rec('E', event, waitable, code);
  if (step == 1) {
    if (event != EVENT_NONE) __builtin_trap();
    uint64_t rw = future_new_unit();
    reader = (uint32_t)rw;
    writer = (uint32_t)(rw >> 32);
    if (future_read_unit(reader, NULL) != STATUS_BLOCKED) __builtin_trap();
    wset = waitable_set_new();
    waitable_join(reader, wset);
    rec('w', future_write_unit(writer, NULL), 0, 0);
    step = 2;
    return CALLBACK_WAIT | (wset << 4);
  }
  if (step != 2 || event != EVENT_FUTURE_READ || waitable != reader) __builtin_trap();
  waitable_join(reader, 0);
  waitable_set_drop(wset);
  future_drop_readable_unit(reader);
  future_drop_writable_unit(writer);
  step = 0;
  wait_self_return(42);
  return CALLBACK_EXIT;
}

__attribute__((export_name("[async-lift-stackful]tw:cstack/tasks#stackful")))
void stackful(void) {
  BODY('K');
  stackful_return(7);
}

__attribute__((export_name("tw:cstack/tasks#report")))
uint32_t *report(void) {
  BODY('R');
  memcpy(out_buf, log_buf, log_len * sizeof log_buf[0]);
  ret_area[0] = (uint32_t)(uintptr_t)out_buf;
  ret_area[1] = log_len;
  log_len = 0;
  return ret_area;
}
