/* Rewrite options (options.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "name.h"
#include "options.h"
#include "stubs.h"

/* The added import is written into the module as it is: its names must be
 * valid UTF-8 (spec 5.2.4, names), and it must not be a WASI import, which
 * --stub-wasi exists to remove (it would be one with a non-WASI type). */
const char *tw_output_import_problem(const char *module, const char *name) {
  if (!tw_utf8_valid((const uint8_t *)module, strlen(module)))
    return "the module name is not valid UTF-8";
  if (!tw_utf8_valid((const uint8_t *)name, strlen(name)))
    return "the import name is not valid UTF-8";
  if (strcmp(module, TW_WASI_MODULE) == 0)
    return "the import cannot be in " TW_WASI_MODULE ", whose imports --stub-wasi removes "
           "(name one the host provides, e.g. env:log)";
  return NULL;
}

/* Is arg the option `name`, alone or as `name=VALUE`? */
static int is_option(const char *arg, const char *name, const char **inline_value) {
  const size_t n = strlen(name);
  if (strncmp(arg, name, n) != 0 || (arg[n] != 0 && arg[n] != '=')) return 0;
  *inline_value = arg[n] == '=' ? arg + n + 1 : NULL;
  return 1;
}

static int fail(char *msg, size_t cap, const char *fmt, const char *arg) {
  snprintf(msg, cap, fmt, arg);
  return -1;
}

typedef enum { SWITCH_KEEP, SWITCH_INIT_ONCE, SWITCH_STUB_WASI, SWITCH_STRIP, SWITCH_FSYNC } sw;

static const struct {
  const char *name;
  sw which;
} switches[] = {
    {"--keep-hook-export", SWITCH_KEEP}, {"--init-once", SWITCH_INIT_ONCE},
    {"--stub-wasi", SWITCH_STUB_WASI},   {"--strip-debug", SWITCH_STRIP},
    {"--fsync", SWITCH_FSYNC},
};

static void set_switch(tw_options *o, sw which) {
  switch (which) {
  case SWITCH_KEEP: o->keep_hook_export = 1; break;
  case SWITCH_INIT_ONCE: o->init_once = 1; break;
  case SWITCH_STUB_WASI: o->stub_wasi = 1; break;
  case SWITCH_STRIP: o->strip_debug = 1; break;
  case SWITCH_FSYNC: o->fsync = 1; break;
  }
}

static int add_pattern(tw_option_parser *p, int only, const char *v) {
  const char ***list = only ? &p->only : &p->exclude;
  size_t *n = only ? &p->opts->only_count : &p->opts->exclude_count;
  size_t *cap = only ? &p->only_cap : &p->exclude_cap;
  if (!tw_grow_to((void **)list, cap, *n + 1, SIZE_MAX, sizeof **list)) return 0;
  (*list)[(*n)++] = v;
  p->opts->only = p->only;
  p->opts->exclude = p->exclude;
  return 1;
}

/* A --stub-wasi-arg/-env/-dir value, kept in order. */
static int add_value(const char ***list, size_t *cap, const char *const **field, size_t *n,
                     const char *v) {
  if (!tw_grow_to((void **)list, cap, *n + 1, SIZE_MAX, sizeof **list)) return 0;
  (*list)[(*n)++] = v;
  *field = *list;
  return 1;
}

int tw_option_parse(tw_option_parser *p, int argc, char *const *argv, int *i, char *msg,
                    size_t cap) {
  const char *a = argv[*i], *v = NULL;
  for (size_t k = 0; k < sizeof switches / sizeof switches[0]; k++) {
    if (!is_option(a, switches[k].name, &v)) continue;
    if (v) return fail(msg, cap, "%s takes no value", switches[k].name);
    set_switch(p->opts, switches[k].which);
    return 1;
  }
  enum { ABI, VERIFY, OUTPUT, ONLY, EXCLUDE, ARG, ENV, DIR, NVALUED };
  static const char *const valued[NVALUED] = {
      [ABI] = "--abi", [VERIFY] = "--verify", [OUTPUT] = "--stub-wasi-output",
      [ONLY] = "--only", [EXCLUDE] = "--exclude", [ARG] = "--stub-wasi-arg",
      [ENV] = "--stub-wasi-env", [DIR] = "--stub-wasi-dir"};
  int which = 0;
  while (which < NVALUED && !is_option(a, valued[which], &v)) which++;
  if (which == NVALUED) return 0;
  if (!v && *i + 1 < argc) v = argv[++*i];
  tw_options *o = p->opts;
  switch (which) {
  case ABI:
    if (!v) return fail(msg, cap, "%s needs auto, task-hook or init-task", a);
    if (strcmp(v, "auto") == 0) o->abi = TW_ABI_AUTO;
    else if (strcmp(v, "task-hook") == 0) o->abi = TW_ABI_TASK_HOOK;
    else if (strcmp(v, "init-task") == 0) o->abi = TW_ABI_INIT_TASK;
    else return fail(msg, cap, "unknown ABI '%s' (auto, task-hook or init-task)", v);
    return 1;
  case VERIFY:
    if (!v) return fail(msg, cap, "%s needs fast, full or none", a);
    if (strcmp(v, "fast") == 0) o->verify = TW_VERIFY_FAST;
    else if (strcmp(v, "full") == 0) o->verify = TW_VERIFY_FULL;
    else if (strcmp(v, "none") == 0) o->verify = TW_VERIFY_NONE;
    else return fail(msg, cap, "unknown verification mode '%s' (fast, full or none)", v);
    return 1;
  case OUTPUT: {
    /* The last colon splits: module names like "wasi:cli/stdout" have one. */
    const char *colon = v ? strrchr(v, ':') : NULL;
    if (!colon || colon == v || colon[1] == 0) return fail(msg, cap, "%s needs MODULE:NAME", a);
    free(p->output_module);
    p->output_module = malloc((size_t)(colon - v) + 1); /* strndup: not in C11 */
    if (!p->output_module) return fail(msg, cap, "%s", "out of memory");
    memcpy(p->output_module, v, (size_t)(colon - v));
    p->output_module[colon - v] = 0;
    o->stub_output_module = p->output_module;
    o->stub_output_name = colon + 1;
    const char *problem = tw_output_import_problem(o->stub_output_module, o->stub_output_name);
    if (problem) {
      snprintf(msg, cap, "%s: %s", valued[OUTPUT], problem);
      return -1;
    }
    return 1;
  }
  case ARG: /* any string, the empty one included */
    if (!v) return fail(msg, cap, "%s needs an argument", a);
    if (!add_value(&p->args, &p->args_cap, &o->stub_args, &o->stub_args_count, v))
      return fail(msg, cap, "%s", "out of memory");
    return 1;
  case ENV:
    if (!v) return fail(msg, cap, "%s needs NAME=VALUE", a);
    if (!add_value(&p->env, &p->env_cap, &o->stub_env, &o->stub_env_count, v))
      return fail(msg, cap, "%s", "out of memory");
    return 1;
  case DIR:
    if (!v) return fail(msg, cap, "%s needs GUEST=HOSTDIR", a);
    if (!add_value(&p->dirs, &p->dirs_cap, &o->stub_dirs, &o->stub_dirs_count, v))
      return fail(msg, cap, "%s", "out of memory");
    return 1;
  default: /* ONLY, EXCLUDE */
    if (!v || !*v) return fail(msg, cap, "%s needs a pattern", a);
    if (!add_pattern(p, which == ONLY, v)) return fail(msg, cap, "%s", "out of memory");
    return 1;
  }
}

const char *tw_options_conflict(const tw_options *o) {
  if (o->stub_output_module && !o->stub_wasi) return "--stub-wasi-output needs --stub-wasi";
  if (o->stub_args_count && !o->stub_wasi) return "--stub-wasi-arg needs --stub-wasi";
  if (o->stub_env_count && !o->stub_wasi) return "--stub-wasi-env needs --stub-wasi";
  if (o->stub_dirs_count && !o->stub_wasi) return "--stub-wasi-dir needs --stub-wasi";
  return NULL;
}

void tw_option_parser_free(tw_option_parser *p) {
  if (!p) return;
  free(p->output_module);
  free(p->only);
  free(p->exclude);
  free(p->args);
  free(p->env);
  free(p->dirs);
  p->output_module = NULL;
  p->only = p->exclude = NULL;
  p->args = p->env = p->dirs = NULL;
  p->only_cap = p->exclude_cap = p->args_cap = p->env_cap = p->dirs_cap = 0;
}
