/* Where the function indices are in the input (src/funcidx.c): a walk over
 * the grammar of the sections that hold them (spec 5.5: tables with an
 * initialiser, globals, element segments, the start function) and over
 * function bodies and constant expressions (through tw_instr_next), calling
 * back with each index and the place of its LEB128. The renumbering
 * (renumber.c) collects patches with it and the verifier (verify.c) checks
 * the output against it: one reading of the input's grammar for both, so
 * neither depends on the other. A failure is an error at its offset.
 *
 * Precondition: the cursor's bytes are in memory. The walkers read c->base
 * directly (through the cursor and tw_instr_next), never through
 * tw_module_need. That is safe for tables, globals, elements and start
 * because module.c reads those sections in full while parsing a file read
 * on demand (need_contents); code bodies are not, so a caller of
 * tw_walk_body calls tw_module_need on the code first (emit.c does before
 * renumber.c's tw_renumber_body, verify.c before its own walk; both for the
 * whole code section). */
#ifndef TW_FUNCIDX_H
#define TW_FUNCIDX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"

/* One function index at input [pos, pos+len); false stops the walk. */
typedef bool (*tw_funcidx_fn)(void *ctx, size_t pos, size_t len, uint32_t func);

/* A function body's code (after its size): its locals, then every
 * instruction to c->end. */
bool tw_walk_body(tw_cursor *c, tw_funcidx_fn site, void *ctx);
/* The start section: one function index. */
bool tw_walk_funcidx(tw_cursor *c, tw_funcidx_fn site, void *ctx);
/* The table and element sections, from their count. */
bool tw_walk_tables(tw_cursor *c, tw_funcidx_fn site, void *ctx);
bool tw_walk_elems(tw_cursor *c, tw_funcidx_fn site, void *ctx);
/* The n entries of the global section (after its count). */
bool tw_walk_globals(tw_cursor *c, uint32_t n, tw_funcidx_fn site, void *ctx);

#endif /* TW_FUNCIDX_H */
