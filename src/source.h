/* On-demand reading of an input file (src/input.c): the module's bytes are
 * an address range of the file's size where only the ranges asked for are
 * read in. The parser (module.c) asks through tw_module_need; tw_input
 * (io.h) owns the source. */
#ifndef TW_SOURCE_H
#define TW_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

struct tw_source;

/* Make [off, off+len) readable at its place (false when a read failed or
 * came short: the bytes that could not be read are zeros, and
 * tw_input_check reports it); or copy [off, off+n) into dst without keeping
 * it (false likewise). */
bool tw_source_need(struct tw_source *s, size_t off, size_t len);
bool tw_source_read(struct tw_source *s, size_t off, void *dst, size_t n);

#endif /* TW_SOURCE_H */
