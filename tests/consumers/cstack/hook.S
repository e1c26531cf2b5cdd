/* __wasm_task_hook for cstack.c, shaped like wasi-libc's
 * (libc-bottom-half/sources/__wasm_task_hook.S): switch to a stack of the
 * hook's own, call the C part with the code and the stack pointer the task
 * had, and install the stack pointer the C part returns. C cannot write
 * __stack_pointer; the wasm assembler can (global.set). Also read_sp, the
 * stack pointer as it is, for the bodies to log. (A .S file goes through the
 * C preprocessor: hence C comments, and cstack.h.) */
#include "cstack.h"

	.globaltype	__stack_pointer, i32
	.functype	task_hook_c (i32, i32) -> (i32)
	.export_name	__wasm_task_hook, __wasm_task_hook

	.text
	.globl	__wasm_task_hook
	.type	__wasm_task_hook,@function
__wasm_task_hook:
	.functype	__wasm_task_hook (i32) -> ()
	local.get	0
	global.get	__stack_pointer
	i32.const	hook_stack+HOOK_STACK_SIZE
	global.set	__stack_pointer
	call	task_hook_c
	global.set	__stack_pointer
	end_function

	.globl	read_sp
	.type	read_sp,@function
read_sp:
	.functype	read_sp () -> (i32)
	global.get	__stack_pointer
	end_function
