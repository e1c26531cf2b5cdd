/* A reactor with a task hook: its exports get wrappers when linked through
 * wasm-taskwrap-ld. */
static int n;
__attribute__((export_name("__wasm_task_hook"))) void hook(int code) { n += code; }
__attribute__((export_name("run"))) int run(void) { return n; }
