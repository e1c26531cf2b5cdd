/* The verifier (src/verify.c): it accounts for every byte of the output
 * from the input and the finalised edit (docs/output-layout.md, "The
 * output, byte by byte" and "What the verifier checks besides the bytes").
 * Independent of the emitter: it never encodes, and takes no number from
 * bodies.c or emit.c. Errors are TW_ERR_VERIFY at an offset in the OUTPUT. */
#ifndef TW_VERIFY_H
#define TW_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "edit.h"
#include "err.h"
#include "module.h"
#include "out.h"

/* After a rewrite: copied ranges are checked by source, place and length in
 * the segment list (their bytes are not read); everything else is decoded. */
bool tw_verify_segments(const tw_module *in, const tw_edit *e, const tw_out *out, tw_err *err);
/* --check: the same, on the output's bytes, which are read completely. */
bool tw_verify_bytes(const tw_module *in, const tw_edit *e, const uint8_t *out, size_t size,
                     tw_err *err);

#endif /* TW_VERIFY_H */
