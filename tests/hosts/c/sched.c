/* sched_yield through its stub (returns 0). */
#include <sched.h>
#include <wasi/api.h>
#include "check.h"

int main(void) {
  for (int i = 0; i < 3; i++) CHECK(sched_yield() == 0);
  CHECK(__wasi_sched_yield() == 0);
  return 0;
}
