/* Clocks through the clock_time_get/clock_res_get stubs: non-zero,
   strictly increasing, the documented start (1.7e18 ns) and resolution
   (1 ms), EINVAL for an unknown clock id. It also imports random_get
   itself, so that wasm-ld puts that import first (wasi-libc's own imports
   come in alphabetical order): the clock and random stubs each have an i64
   state global, which must not be mixed up whatever the import order. */
#include <sys/time.h>
#include <time.h>
#include <wasi/api.h>
#include "check.h"

__attribute__((import_module("wasi_snapshot_preview1"), import_name("random_get")))
int my_random_get(unsigned char *buf, unsigned long len);

int main(void) {
  unsigned char seed[8];
  CHECK(my_random_get(seed, sizeof seed) == 0);
  /* 1.7e18 ns plus 1 ms per call: nothing before main reads the clock
     1000 times, so the first reading is within 1 s of the start. */
  __wasi_timestamp_t first;
  CHECK(__wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &first) == 0);
  CHECK(first >= 1700000000000000000ull && first < 1700000001000000000ull);

  struct timespec prev = {0, 0}, t;
  for (int i = 0; i < 5; i++) {
    CHECK(clock_gettime(CLOCK_MONOTONIC, &t) == 0);
    CHECK(t.tv_sec > 0 || t.tv_nsec > 0);
    CHECK(t.tv_sec > prev.tv_sec ||
          (t.tv_sec == prev.tv_sec && t.tv_nsec > prev.tv_nsec));
    prev = t;
  }
  CHECK(clock_gettime(CLOCK_REALTIME, &t) == 0 && t.tv_sec >= 1700000000);
  CHECK(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t) == 0);
  CHECK(clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t) == 0);
  CHECK(clock_getres(CLOCK_MONOTONIC, &t) == 0);
  CHECK(t.tv_sec == 0 && t.tv_nsec == 1000000);
  CHECK(time(NULL) >= 1700000000);
  struct timeval tv;
  CHECK(gettimeofday(&tv, NULL) == 0 && tv.tv_sec >= 1700000000);

  /* The raw calls: 1 ms per call, clock ids 0..3 only. */
  __wasi_timestamp_t a, b;
  CHECK(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &a) == 0);
  CHECK(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &b) == 0);
  CHECK(b - a == 1000000);
  CHECK(__wasi_clock_time_get(3, 1, &a) == 0);
  CHECK(__wasi_clock_time_get(4, 1, &a) == __WASI_ERRNO_INVAL);
  CHECK(__wasi_clock_time_get(0xffffffffu, 1, &a) == __WASI_ERRNO_INVAL);
  CHECK(__wasi_clock_res_get(4, &a) == __WASI_ERRNO_INVAL);
  return 0;
}
