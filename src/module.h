/* The parsed module (src/module.c): one pass over the input that frames
 * every section and decodes only what the rewrite needs (types, imports,
 * functions, exports, code framing, the name section); everything else
 * stays a byte range of the input. */
#ifndef TW_MODULE_H
#define TW_MODULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "section.h"

/* "No index": an absent function, item or edit id. */
#define TW_NONE UINT32_MAX

typedef struct tw_functype {
  bool is_func;       /* false for struct and array types */
  uint32_t nparams;
  uint32_t nresults;
  size_t params;      /* absolute offset of the first param valtype */
  size_t params_end;
  size_t results;
  size_t results_end;
} tw_functype;

typedef struct tw_export {
  size_t start, end;  /* the whole entry */
  size_t name;        /* absolute offset of the name bytes */
  uint32_t name_len;
  uint8_t kind;
  uint32_t index;
} tw_export;

typedef struct tw_import {
  size_t start, end;  /* the whole entry */
  size_t mod, name;   /* absolute offsets of the module and field names */
  uint32_t mod_len, name_len;
  uint8_t kind;
  uint32_t type;      /* functions: type index */
  uint8_t flags;      /* memories: limits flags */
} tw_import;

typedef struct tw_body {
  size_t start;       /* the size LEB */
  size_t code;        /* first byte after the size LEB */
  size_t end;
} tw_body;

typedef struct tw_module {
  const uint8_t *data;
  size_t size;

  tw_section *sections;
  size_t nsections;
  /* Index into sections, or -1. */
  long sec_export, sec_code, sec_name;

  tw_functype *types;
  uint32_t ntypes;

  tw_import *imports;   /* every import entry, in order */
  uint32_t nimports;
  uint32_t nfunc_imports;
  uint32_t *func_types; /* type index of every function, imports first */
  uint32_t nfuncs;      /* imports + defined */

  /* Function section: where its entries start (after the count LEB). */
  size_t funcsec_entries;
  size_t funcsec_count_width;

  tw_export *exports;
  uint32_t nexports;
  size_t exports_count_width;

  tw_body *bodies;
  uint32_t nbodies;
  size_t code_entries;      /* first byte after the count LEB */
  size_t code_count_width;

  /* The name section is usable: present, its subsections framed and in
   * increasing id order, and a function-names subsection's (id 1) count
   * readable. Its entries are decoded later, when needed (edit.c). */
  bool names_ok;

  /* Where data's bytes come from when they are not all in memory: a file
   * read on demand (input.c, source.h), or NULL. Anything read beyond what
   * the parser read itself is asked for first with tw_module_need. */
  struct tw_source *src;
  /* Globals (imported + defined) and memory 0, for the host features. */
  uint32_t nglobals;
  bool has_memory0, memory0_is64;

  /* The first construct libwabt 1.0.32 cannot read (GC types, typed
   * references, ...), or NULL: --verify=full then cannot verify. */
  const char *wabt_gap;

  /* The first error in a section's contents other than the export
   * section's (code TW_OK when there is none). The framing and the exports
   * are all a module with nothing to rewrite needs: such a module is copied
   * whatever its other sections hold. After this error the later sections'
   * contents are not decoded, and nothing but the exports and the framing
   * may be read; a planner that has something to rewrite refuses the module
   * with it (tw_module_refuse_content). */
  tw_err content_error;
} tw_module;

/* Is the module's content decoded in full? If not, err gets the first
 * error in it, and false is returned. */
bool tw_module_refuse_content(const tw_module *m, tw_err *err);

/* A custom section whose name is `prefix` (whole) or starts with it. */
bool tw_section_named(const tw_module *m, const tw_section *s, const char *prefix, bool whole);
/* Parse the framing and the sections wasm-taskwrap needs. Everything else
 * is kept as a byte range. Returns false with err set on malformed input. */
bool tw_module_parse(tw_module *m, const uint8_t *data, size_t size, tw_err *err);
/* The same for a file read on demand (src, see source.h): data is its
 * address range, and the parser reads in what it decodes (the header, every
 * section header, the sections it decodes, each code body's size as it
 * walks them, the name section's subsection headers), nothing else. */
bool tw_module_parse_source(tw_module *m, const uint8_t *data, size_t size,
                            struct tw_source *src, tw_err *err);
/* The same, but false only for a malformed framing or export section: the
 * first error in another section's contents is kept in content_error, for
 * a module that turns out to have nothing to rewrite (copied as it is). */
bool tw_module_parse_framing(tw_module *m, const uint8_t *data, size_t size,
                             struct tw_source *src, tw_err *err);
/* Make input bytes [off, off+len) readable at m->data + off, before reading
 * anything the parser did not: a no-op for a module in memory. false when a
 * read failed or came short (the file changed): the bytes it could not read
 * are zeros, and api.c reports the changed input. (Only if no page at all
 * could be made accessible is the range still unreadable.) */
bool tw_module_need(const tw_module *m, size_t off, size_t len);
void tw_module_free(tw_module *m);
const tw_functype *tw_module_func_type(const tw_module *m, uint32_t func);
/* "[i32 i32] -> [i32]" into out. */
void tw_module_format_type(const tw_module *m, const tw_functype *t, char *out, size_t cap);

#endif /* TW_MODULE_H */
