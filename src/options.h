/* The rewrite options of the command line, parsed in one place for
 * wasm-taskwrap's arguments and for wasm-taskwrap-ld's TASKWRAP_FLAGS. */
#ifndef TW_OPTIONS_H
#define TW_OPTIONS_H

#include <stddef.h>

#include "taskwrap.h"

typedef struct tw_option_parser {
  tw_options *opts;
  char *output_module;          /* --stub-wasi-output's module part */
  const char **only, **exclude; /* --only / --exclude patterns (argv strings) */
  size_t only_cap, exclude_cap; /* their capacities (alloc.h, tw_grow_to) */
  /* --stub-wasi-arg, --stub-wasi-env, --stub-wasi-dir values (argv strings) */
  const char **args, **env, **dirs;
  size_t args_cap, env_cap, dirs_cap;
} tw_option_parser;

/* If argv[*i] is a rewrite option (--abi, --verify, --keep-hook-export,
 * --init-once, --stub-wasi, --stub-wasi-output, --stub-wasi-arg,
 * --stub-wasi-env, --stub-wasi-dir, --strip-debug, --only, --exclude,
 * --fsync), applies it to p->opts and returns 1, with *i on its
 * last word (`--name VALUE` takes two, `--name=VALUE` one); returns 0 when
 * it is none of them, and -1 with a message in msg when it is one but its
 * value is missing or wrong (a switch given a value included). Values are
 * kept by reference: argv must outlive the options. */
int tw_option_parse(tw_option_parser *p, int argc, char *const *argv, int *i, char *msg,
                    size_t cap);
void tw_option_parser_free(tw_option_parser *p);
/* A usage message when the parsed options do not go together (the same
 * for the command line and TASKWRAP_FLAGS), or NULL. */
const char *tw_options_conflict(const tw_options *o);
/* What is wrong with the --stub-wasi-output import MODULE.NAME (a message),
 * or NULL: names must be valid UTF-8, and the module not WASI's. The
 * parser refuses such a value (a usage error); tw_rewrite and tw_check
 * refuse the same options with TW_ERR_INVALID_ARG. */
const char *tw_output_import_problem(const char *module, const char *name);

#endif
