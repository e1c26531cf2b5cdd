/* __wasm_init_task and __wasm_init_async_task for stack.c, written in
 * assembly as wasi-libc writes them: C code cannot set __stack_pointer, the
 * wasm assembler can (global.set). Also leak_stack, which lowers the stack
 * pointer and returns without restoring it, like a task that suspended
 * mid-call. (A .S file goes through the C preprocessor: hence C comments.) */
	.globaltype	__stack_pointer, i32
	.functype	task_stack_top () -> (i32)

	.export_name	__wasm_init_task, __wasm_init_task
/* Built once as is and once with -DONLY_INIT_TASK: a module that exports
 * only __wasm_init_task, so its async export must use that one. */
#ifndef ONLY_INIT_TASK
	.export_name	__wasm_init_async_task, __wasm_init_async_task
#endif
	.export_name	leak_stack, leak_stack

	.text
/* A new task starts at the top of the task stack region. */
	.globl	__wasm_init_task
	.type	__wasm_init_task,@function
__wasm_init_task:
	.functype	__wasm_init_task () -> ()
	call	task_stack_top
	global.set	__stack_pointer
	end_function

/* As in later wasi-libc: the async variant is a plain call of the sync one. */
	.globl	__wasm_init_async_task
	.type	__wasm_init_async_task,@function
__wasm_init_async_task:
	.functype	__wasm_init_async_task () -> ()
	call	__wasm_init_task
	end_function

	.globl	leak_stack
	.type	leak_stack,@function
leak_stack:
	.functype	leak_stack (i32) -> ()
	global.get	__stack_pointer
	local.get	0
	i32.sub
	global.set	__stack_pointer
	end_function
