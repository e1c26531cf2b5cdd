/* A hook of the wrong type: the rewrite fails, and so must the link. */
__attribute__((export_name("__wasm_task_hook"))) void hook(void) {}
__attribute__((export_name("run"))) int run(void) { return 1; }
