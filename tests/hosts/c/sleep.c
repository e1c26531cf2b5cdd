/* Sleeping through the poll_oneoff stub: every subscription is ready at
   once, so the calls return 0 immediately (no timing is asserted). */
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>
#include "check.h"

int main(void) {
  struct timespec req = {0, 1000000}, rem = {0, 0};
  CHECK(nanosleep(&req, &rem) == 0);
  CHECK(clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL) == 0);
  CHECK(usleep(1000) == 0);
  CHECK(sleep(2) == 0);

  /* The raw call: one event per subscription, userdata and type copied,
     error 0. */
  __wasi_subscription_t in[3] = {0};
  in[0].userdata = 0x1111222233334444ull;
  in[0].u.tag = __WASI_EVENTTYPE_CLOCK;
  in[0].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  in[0].u.u.clock.timeout = 5000000000ull;
  in[1].userdata = 7;
  in[1].u.tag = __WASI_EVENTTYPE_FD_READ;
  in[1].u.u.fd_read.file_descriptor = 0;
  in[2].userdata = 0xffffffffffffffffull;
  in[2].u.tag = __WASI_EVENTTYPE_FD_WRITE;
  in[2].u.u.fd_write.file_descriptor = 1;
  __wasi_event_t out[3];
  for (int i = 0; i < 3; i++) {
    out[i].userdata = 0; out[i].error = 99; out[i].type = 99;
  }
  __wasi_size_t n = 0;
  CHECK(__wasi_poll_oneoff(in, out, 3, &n) == 0);
  CHECK(n == 3);
  for (int i = 0; i < 3; i++) {
    CHECK(out[i].userdata == in[i].userdata);
    CHECK(out[i].error == 0);
    CHECK(out[i].type == in[i].u.tag);
  }
  return 0;
}
