/* The emitter (src/emit.c): a finalised edit becomes the output as
 * segments (out.h), input ranges and new bytes, section by section as
 * docs/output-layout.md, "Sections" says. */
#ifndef TW_EMIT_H
#define TW_EMIT_H

#include <stdbool.h>

#include "edit.h"
#include "err.h"
#include "module.h"
#include "out.h"

/* Build the output of a finalised edit. Only called when e->changes. */
bool tw_emit(const tw_module *m, const tw_edit *e, tw_out *out, tw_err *err);

#endif /* TW_EMIT_H */
