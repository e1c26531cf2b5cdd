/* The error record (err.h). */
#include <stdarg.h>
#include <stdio.h>

#include "err.h"

void tw_err_set(tw_err *err, tw_status code, uint64_t offset, const char *fmt, ...) {
  if (err == NULL || err->code != TW_OK) return; /* the first error wins */
  err->code = code;
  err->offset = offset;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->message, sizeof err->message, fmt, ap);
  va_end(ap);
}
