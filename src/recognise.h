/* Recognising an earlier run's output (src/recognise.c), so that running
 * wasm-taskwrap on its own output changes nothing (docs/abi.md, "The
 * rewritten module"): its task-hook wrappers and its --init-once guards.
 * The planners ask; the bodies are compared with bodies.c's encoding. */
#ifndef TW_RECOGNISE_H
#define TW_RECOGNISE_H

#include <stdbool.h>
#include <stdint.h>

#include "edit.h"
#include "module.h"
#include "taskwrap.h"

/* Is input function f already a wrapper of this role under e's ABI? */
bool tw_is_wrapper(const tw_edit *e, uint32_t f, tw_role role);
/* Is the module the output of an earlier --init-once run: the export
 * initialize_export (_initialize) names the tool's own guard, exactly, whose
 * flag is the global the tool appends, and every other function export but
 * the hook names a guard with that flag and that init (or _start the exit
 * wrapper of one)? */
bool tw_init_once_applied(const tw_module *m, uint32_t initialize_export);

#endif /* TW_RECOGNISE_H */
