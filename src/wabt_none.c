/* Stand-in for wabt_bridge.cc when built without libwabt (TW_WITH_WABT=OFF):
 * the library stays pure C and reports the libwabt features as unavailable. */
#include <stdio.h>

#include "wabt_bridge.h"

static tw_wabt_status unavailable(tw_wabt_diag *diag) {
  if (diag) snprintf(diag->message, sizeof diag->message, "built without libwabt");
  return TW_WABT_UNAVAILABLE;
}

int tw_wabt_available(void) { return 0; }

tw_wabt_status tw_wabt_validate(const uint8_t *data, size_t size, tw_wabt_diag *diag) {
  (void)data, (void)size;
  return unavailable(diag);
}

tw_wabt_status tw_wabt_wat_to_wasm(const char *filename, const uint8_t *text, size_t size,
                                   uint8_t **out, size_t *out_size, tw_wabt_diag *diag) {
  (void)filename, (void)text, (void)size, (void)out, (void)out_size;
  return unavailable(diag);
}

tw_wabt_status tw_wabt_wasm_to_wat(const uint8_t *data, size_t size, char **out,
                                   size_t *out_size, tw_wabt_diag *diag) {
  (void)data, (void)size, (void)out, (void)out_size;
  return unavailable(diag);
}

tw_wabt_status tw_wabt_wasm_to_wat_fd(const uint8_t *data, size_t size, int names, int fd,
                                      int (*stop)(void), tw_wabt_diag *diag) {
  (void)data, (void)size, (void)names, (void)fd, (void)stop;
  return unavailable(diag);
}
