/* libFuzzer target on the rewrite option parser (src/options.c) with the
 * words of TASKWRAP_FLAGS: what wasm-taskwrap-ld reads from its environment
 * and hands to tw_option_parse, word by word, as wasm-taskwrap does with
 * its arguments.
 *
 * Input: the variable's value (up to the first NUL, as an environment string
 * ends there), split at spaces, tabs and newlines as wasm-taskwrap-ld splits
 * it (strtok_r), each word then in a buffer of exactly its size. The message
 * buffer is exactly the size passed, so ASan sees a message that overruns.
 *
 * Invariants (a trap makes libFuzzer keep the input):
 *   - tw_option_parse returns -1, 0 or 1; 1 leaves i on the same word or the
 *     next one; 0 leaves it where it was; -1 writes a message that fits
 *   - after the words: abi and verify hold one of their values, the switches
 *     0 or 1, both parts of --stub-wasi-output or neither (non-empty, the
 *     name without a colon), --only and --exclude as many patterns as given,
 *     each one of the words (or the text after its '='), non-empty
 *   - the same options written back as `--name=VALUE` words parse to the
 *     same tw_options */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

#include "invariant.h"

/* The input gives at most MAX_INPUT_WORDS words; written back, they are at
 * most 8 more. */
enum { MSG_CAP = 200, MAX_INPUT_WORDS = 48, MAX_WORDS = 64 };

typedef struct words {
  char *v[MAX_WORDS + 1];
  int n;
} words;

static void words_free(words *w) {
  for (int i = 0; i < w->n; i++) free(w->v[i]);
  w->n = 0;
}

static void add_word(words *w, const char *s, size_t len) {
  CHECK(w->n < MAX_WORDS);
  char *c = malloc(len + 1);
  CHECK(c != NULL);
  memcpy(c, s, len);
  c[len] = 0;
  w->v[w->n++] = c;
  w->v[w->n] = NULL;
}

/* Is p inside one of the words? */
static int in_words(const words *w, const char *p) {
  for (int i = 0; i < w->n; i++)
    if (p >= w->v[i] && p <= w->v[i] + strlen(w->v[i])) return 1;
  return 0;
}

/* Parses every word; 1 when all are options. */
static int parse(tw_option_parser *p, tw_options *o, words *w, char *msg, int *accepted_only,
                 int *accepted_exclude) {
  tw_options_init(o);
  *p = (tw_option_parser){.opts = o};
  *accepted_only = *accepted_exclude = 0;
  for (int i = 0; i < w->n; i++) {
    const int from = i;
    const size_t only = o->only_count, exclude = o->exclude_count;
    msg[0] = 0;
    const int r = tw_option_parse(p, w->n, w->v, &i, msg, MSG_CAP);
    CHECK(r == -1 || r == 0 || r == 1);
    if (r == -1) {
      CHECK(msg[0] != 0 && strlen(msg) < MSG_CAP);
      return 0;
    }
    if (r == 0) {
      CHECK(i == from);
      return 0;
    }
    CHECK(i == from || (i == from + 1 && i < w->n));
    *accepted_only += o->only_count != only;
    *accepted_exclude += o->exclude_count != exclude;
  }
  return 1;
}

static void check_options(const tw_options *o, const words *w, int only, int exclude) {
  CHECK(o->abi == TW_ABI_AUTO || o->abi == TW_ABI_TASK_HOOK || o->abi == TW_ABI_INIT_TASK);
  CHECK(o->verify == TW_VERIFY_FAST || o->verify == TW_VERIFY_FULL || o->verify == TW_VERIFY_NONE);
  CHECK((o->keep_hook_export | o->init_once | o->stub_wasi | o->strip_debug | o->fsync) <= 1);
  CHECK((o->stub_output_module == NULL) == (o->stub_output_name == NULL));
  if (o->stub_output_module) {
    CHECK(o->stub_output_module[0] != 0 && o->stub_output_name[0] != 0);
    CHECK(strchr(o->stub_output_name, ':') == NULL);
    CHECK(in_words(w, o->stub_output_name));
  }
  CHECK(o->only_count == (size_t)only && o->exclude_count == (size_t)exclude);
  for (size_t k = 0; k < o->only_count; k++) CHECK(o->only[k][0] && in_words(w, o->only[k]));
  for (size_t k = 0; k < o->exclude_count; k++)
    CHECK(o->exclude[k][0] && in_words(w, o->exclude[k]));
}

static void add_valued(words *w, const char *name, const char *value) {
  char *s = malloc(strlen(name) + 1 + strlen(value) + 1);
  CHECK(s != NULL);
  sprintf(s, "%s=%s", name, value);
  add_word(w, s, strlen(s));
  free(s);
}

/* The options as `--name=VALUE` words and switches. */
static void write_back(const tw_options *o, words *w) {
  static const char *const abi[] = {"auto", "task-hook", "init-task"};
  static const char *const verify[] = {[TW_VERIFY_FAST] = "fast", [TW_VERIFY_NONE] = "none",
                                       [TW_VERIFY_FULL] = "full"};
  add_valued(w, "--abi", abi[o->abi]);
  add_valued(w, "--verify", verify[o->verify]);
  if (o->keep_hook_export) add_word(w, "--keep-hook-export", 18);
  if (o->init_once) add_word(w, "--init-once", 11);
  if (o->stub_wasi) add_word(w, "--stub-wasi", 11);
  if (o->strip_debug) add_word(w, "--strip-debug", 13);
  if (o->fsync) add_word(w, "--fsync", 7);
  if (o->stub_output_module) {
    char *v = malloc(strlen(o->stub_output_module) + 1 + strlen(o->stub_output_name) + 1);
    CHECK(v != NULL);
    sprintf(v, "%s:%s", o->stub_output_module, o->stub_output_name);
    add_valued(w, "--stub-wasi-output", v);
    free(v);
  }
  for (size_t k = 0; k < o->only_count; k++) add_valued(w, "--only", o->only[k]);
  for (size_t k = 0; k < o->exclude_count; k++) add_valued(w, "--exclude", o->exclude[k]);
}

static int same_strs(const char *const *a, const char *const *b, size_t n) {
  for (size_t k = 0; k < n; k++)
    if (strcmp(a[k], b[k]) != 0) return 0;
  return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const size_t len = strnlen((const char *)data, size);
  char *value = malloc(len + 1);
  CHECK(value != NULL);
  memcpy(value, data, len);
  value[len] = 0;
  words w = {0};
  char *save = NULL;
  for (char *t = strtok_r(value, " \t\n", &save); t && w.n < MAX_INPUT_WORDS;
       t = strtok_r(NULL, " \t\n", &save))
    add_word(&w, t, strlen(t));
  free(value);

  char *msg = malloc(MSG_CAP);
  CHECK(msg != NULL);
  tw_options o;
  tw_option_parser p;
  int only = 0, exclude = 0;
  if (parse(&p, &o, &w, msg, &only, &exclude)) {
    check_options(&o, &w, only, exclude);
    words back = {0};
    write_back(&o, &back);
    tw_options o2;
    tw_option_parser p2;
    int only2 = 0, exclude2 = 0;
    CHECK(parse(&p2, &o2, &back, msg, &only2, &exclude2));
    check_options(&o2, &back, only2, exclude2);
    CHECK(o2.abi == o.abi && o2.verify == o.verify && o2.keep_hook_export == o.keep_hook_export &&
          o2.init_once == o.init_once && o2.stub_wasi == o.stub_wasi &&
          o2.strip_debug == o.strip_debug && o2.fsync == o.fsync);
    CHECK((o2.stub_output_module == NULL) == (o.stub_output_module == NULL));
    if (o.stub_output_module)
      CHECK(strcmp(o2.stub_output_module, o.stub_output_module) == 0 &&
            strcmp(o2.stub_output_name, o.stub_output_name) == 0);
    CHECK(o2.only_count == o.only_count && o2.exclude_count == o.exclude_count);
    CHECK(same_strs(o2.only, o.only, o.only_count) &&
          same_strs(o2.exclude, o.exclude, o.exclude_count));
    tw_option_parser_free(&p2);
    words_free(&back);
  }
  tw_option_parser_free(&p);
  free(msg);
  words_free(&w);
  return 0;
}
