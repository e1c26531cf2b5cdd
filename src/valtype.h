/* Value types, heap types and limits (spec 5.3; src/valtype.c), read with
 * the cursor and shared by the module reader, the instruction decoder and
 * the section walkers. Constructs libwabt 1.0.32 cannot read (GC and typed
 * references, custom page sizes) are noted through the cursor's gap. */
#ifndef TW_VALTYPE_H
#define TW_VALTYPE_H

#include "cursor.h"

/* `storage` also admits the packed types i8 and i16. */
bool tw_read_val_type(tw_cursor *c, bool storage, const char *what);
bool tw_read_heap_type(tw_cursor *c, const char *what);
/* Table or memory limits (spec 5.3.7, with memory64, threads and custom page
 * sizes); *flags (if non-NULL) gets the flags byte. */
bool tw_read_limits(tw_cursor *c, bool table, uint8_t *flags, const char *what);

#endif /* TW_VALTYPE_H */
