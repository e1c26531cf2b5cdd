/* Shared by cstack.c and hook.S. */
#ifndef CSTACK_H
#define CSTACK_H
/* the hook's own stack (wasi-libc's is 1 KiB; malloc gets more room here) */
#define HOOK_STACK_SIZE 4096
#endif
