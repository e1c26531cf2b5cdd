/* The planners (src/taskhook.c, src/initonce.c, src/stubwasi.c): each reads
 * the input module and its options and fills the edit (edit.h); none writes
 * bytes. api.c runs them in the order below, then tw_edit_finalise. */
#ifndef TW_PLAN_H
#define TW_PLAN_H

#include <stdbool.h>

#include "edit.h"
#include "err.h"
#include "module.h"
#include "taskwrap.h"

/* taskhook.c: the ABI (docs/abi.md, "Choosing the ABI"), the export roles
 * (docs/abi.md, "Export roles"), the type checks (docs/abi.md, "Type
 * requirements") and one wrapper per wrapped export. */
bool tw_plan_task_hooks(tw_edit *e, const tw_options *o, tw_err *err);
/* initonce.c: --init-once, one guard per exported function
 * (docs/output-layout.md, "Added function bodies"). */
bool tw_plan_init_once(tw_edit *e, tw_err *err);
/* stubwasi.c: --stub-wasi, a stub per WASI preview 1 import (stubs.h),
 * the --stub-wasi-output import, and the embedded data of
 * --stub-wasi-arg/-env/-dir (wasifs.h). */
bool tw_plan_stub_wasi(tw_edit *e, const tw_options *o, tw_err *err);
/* stubwasi.c: --strip-debug drops the .debug_* custom sections. */
void tw_plan_strip_debug(tw_edit *e);
/* stubwasi.c: refuse a relocatable object file (a "linking" or "reloc.*"
 * custom section) for the host features, which need wasm-ld's output. */
bool tw_plan_refuse_relocatable(const tw_module *m, tw_err *err);

#endif /* TW_PLAN_H */
