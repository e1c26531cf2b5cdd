/* The bodies of the functions the edit adds (src/bodies.c): locals,
 * instructions and end, without the size (docs/output-layout.md, "Added
 * function bodies"; docs/abi.md, "Wrapper bodies: task-hook ABI" and
 * "Wrapper bodies: init-task ABI"). Output function indices are taken
 * through e->out, so the edit must be finalised. The emitter writes them;
 * recognise.c compares an input body with tw_encode_wrapper_body; the
 * verifier never uses them (it decodes against its own tables). */
#ifndef TW_BODIES_H
#define TW_BODIES_H

#include <stdint.h>

#include "buf.h"
#include "edit.h"
#include "taskwrap.h"

void tw_encode_wrapper(tw_buf *b, const tw_edit *e, const tw_fn *f);
void tw_encode_guard(tw_buf *b, const tw_edit *e, const tw_fn *f);
void tw_encode_stub(tw_buf *b, const tw_edit *e, const tw_fn *f);
void tw_encode_exit(tw_buf *b, const tw_edit *e, const tw_fn *f);
/* --stub-wasi-dir's table lookup (wasifs.h). */
void tw_encode_rom(tw_buf *b, const tw_edit *e);
/* The name an added function gets in the name section, appended to out
 * (nothing for an added import; docs/output-layout.md, "Names of added
 * functions"). */
void tw_fn_name(const tw_edit *e, const tw_fn *f, tw_buf *out);
/* A wrapper body with explicit function indices (the output's, or the
 * input's when recognising an earlier run's wrapper). */
void tw_encode_wrapper_body(tw_buf *b, tw_abi abi, tw_role role, uint32_t hook,
                            uint32_t target, uint32_t nparams);

#endif /* TW_BODIES_H */
