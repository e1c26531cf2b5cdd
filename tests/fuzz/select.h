/* The options byte that starts the inputs of fuzz_rewrite and fuzz_check
 * (and their seeds, tests/fuzz/seeds.c), in one place:
 *   bits 0-1  abi: 0 auto, 1 task-hook, 2 init-task, 3 auto
 *   bit 2     keep_hook_export
 *   bit 3     (fuzz_rewrite: verify none instead of fast)
 *   bit 4     init_once
 *   bit 5     stub_wasi
 *   bit 6     strip_debug
 *   bit 7     with stub_wasi: an output import (host.write) */
#ifndef TW_FUZZ_SELECT_H
#define TW_FUZZ_SELECT_H

#include <stdint.h>

#include "taskwrap.h"

static inline void fuzz_select_options(uint8_t sel, tw_options *o) {
  tw_options_init(o);
  o->abi = (sel & 3) == 3 ? TW_ABI_AUTO : (tw_abi)(sel & 3);
  o->keep_hook_export = (sel >> 2) & 1;
  o->init_once = (sel >> 4) & 1;
  o->stub_wasi = (sel >> 5) & 1;
  o->strip_debug = (sel >> 6) & 1;
  if (o->stub_wasi && (sel >> 7)) {
    o->stub_output_module = "host";
    o->stub_output_name = "write";
  }
}

#endif
