/* A Go-style reactor (exports plus _initialize, which runs the C
   constructors) for hosts-reactor. The constructor makes WASI calls
   (fd_write through printf, clock_time_get) and sets the state the exports
   report. With -DWITH_HOOK it also exports __wasm_task_hook, which records
   every hook code, and __log_len/__log_at to read the record (names
   starting with "__" get no task hooks). Constructor and export bodies
   record markers too: 50 = constructor, 100.. = export bodies. */
#include <stdio.h>
#include <time.h>

static int init_runs; /* how often the constructor ran */
static int state;     /* 1234 once the constructor ran with working WASI */
static long long t0;  /* monotonic ns at construction */

#ifdef WITH_HOOK
static int log_codes[64];
static int log_n;
static void note(int c) {
  if (log_n < 64) log_codes[log_n++] = c;
}
__attribute__((export_name("__wasm_task_hook"))) void task_hook(int code) {
  note(code);
}
__attribute__((export_name("__log_len"))) int log_len(void) { return log_n; }
__attribute__((export_name("__log_at"))) int log_at(int i) {
  return i >= 0 && i < log_n ? log_codes[i] : -1;
}
#else
#define note(c) ((void)0)
#endif

static long long now_ns(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) return 0;
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

__attribute__((constructor)) static void init(void) {
  init_runs++;
  note(50);
  int ok = printf("initialised\n") == 12 && fflush(stdout) == 0;
  t0 = now_ns();
  state = ok && t0 > 0 ? 1234 : -1;
}

__attribute__((export_name("get_state"))) int get_state(void) {
  note(100);
  return state;
}

__attribute__((export_name("init_runs"))) int get_init_runs(void) {
  note(101);
  return init_runs;
}

__attribute__((export_name("add"))) int add(int a, int b) {
  note(102);
  return a + b + state;
}

/* 1 if the monotonic clock has moved on since the constructor ran. */
__attribute__((export_name("clock_advanced"))) int clock_advanced(void) {
  note(103);
  return t0 > 0 && now_ns() > t0;
}

/* Every parameter type, so the guard's forwarding of i64/f64/f32 is
   exercised too. */
__attribute__((export_name("mix")))
double mix(long long a, double b, float c, int d) {
  note(104);
  return (double)a + b + (double)c + d + state;
}
