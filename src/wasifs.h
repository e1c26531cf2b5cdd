/* What --stub-wasi serves from data embedded in the module (src/wasifs.c):
 * the arguments, the environment and read-only preopened trees, read and
 * validated when the module is rewritten, laid out as one passive data
 * segment (docs/abi.md, "Embedded WASI data"). Every limit is checked
 * here, at rewrite time: the stubs never meet a limit at run time. */
#ifndef TW_WASIFS_H
#define TW_WASIFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "stubs.h"
#include "taskwrap.h"

/* Limits (docs/usage.md, "Limits of the embedded data"). */
#define TW_WASI_MAX_BYTES (64u * 1024 * 1024) /* the data segment */
#define TW_WASI_MAX_STRINGS 65536u            /* arguments; environment variables */
#define TW_WASI_MAX_PREOPENS 8u
#define TW_WASI_MAX_ENTRIES 4096u             /* files and directories, roots included */
#define TW_WASI_MAX_NAME 255u                 /* bytes of one file name */
#define TW_WASI_MAX_DEPTH 64u                 /* directories below a root */
#define TW_NONE_ENTRY UINT32_MAX

/* One file or directory of an embedded tree. Entries 0 .. npreopens-1 are
 * the roots, in option order; a directory's children are consecutive
 * entries, sorted by name (bytewise). */
typedef struct tw_wasi_entry {
  bool is_dir;
  uint32_t parent;        /* a root's parent is itself */
  char *name;             /* a root's: its GUEST name */
  uint32_t name_len;
  uint32_t first, count;  /* directories: the children */
  uint8_t *bytes;         /* files: the contents, read at rewrite time */
  uint32_t size;
  uint32_t data_at;       /* files: where the contents are in the segment */
  uint32_t name_at;       /* where the name is in the segment */
} tw_wasi_entry;

/* A string list (arguments or environment) in the segment: a table of
 * count u32 offsets (relative to the strings), then the strings, each with
 * its NUL. */
typedef struct tw_wasi_strings {
  const char *const *v;
  uint32_t count;
  uint32_t table_at;      /* the offset table in the segment */
  uint32_t strings_at;    /* the strings */
  uint32_t size;          /* the strings' bytes, NULs included */
} tw_wasi_strings;

/* The name of the table lookup function in the name section. */
#define TW_WASI_ROM_NAME "taskwrap:embedded-files"

typedef struct tw_wasi_image {
  tw_wasi_strings args, env;
  tw_wasi_entry *entries;
  uint32_t nentries, npreopens, nfiles, ndirs;
  uint64_t file_bytes;
  uint8_t *segment;       /* the passive data segment */
  uint32_t segment_len;
  uint32_t *rom;          /* the table the lookup function returns */
  uint32_t nrom;
} tw_wasi_image;

/* Validate the options and read the trees; NULL with err set, or an image
 * (possibly with nothing in it, when no option asks for data). */
tw_wasi_image *tw_wasi_image_build(const tw_options *o, tw_err *err);
void tw_wasi_image_free(tw_wasi_image *img);
/* The stubs' references to the image, its segment being `segment`. */
void tw_wasi_stub_env(const tw_wasi_image *img, uint32_t segment, tw_stub_env *env);
/* The lookup function's body (locals, code, end): (i32 k) -> the table's
 * word k, by a binary search over k (docs/abi.md, "Embedded WASI data"). */
void tw_wasi_encode_rom(tw_buf *b, const tw_wasi_image *img);
/* The descriptor slots' initial values: the preopens open. */
void tw_wasi_slot_init(const tw_wasi_image *img, int64_t init[TW_WASI_SLOTS]);
/* Does the image hold anything (so the module gets the segment)? */
bool tw_wasi_image_used(const tw_wasi_image *img);

#endif /* TW_WASIFS_H */
