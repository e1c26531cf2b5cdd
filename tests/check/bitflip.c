#define _POSIX_C_SOURCE 200809L
/* Every single-bit corruption of a correct output is refused by the
 * verifier (tw_check), and the correct output is accepted.
 *
 *   bitflip INPUT.wasm [REWRITE OPTIONS]
 *
 * The output is made by tw_rewrite with the options; then for every byte,
 * bit 0x01 and bit 0x80 are flipped in a copy, one at a time, and tw_check
 * must answer TW_ERR_VERIFY, about the output, at an offset inside it.
 * Prints `N passed, N failed`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taskwrap.h"

static uint8_t *read_file(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  const long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *p = malloc(size > 0 ? (size_t)size : 1);
  if (p && fread(p, 1, (size_t)size, f) != (size_t)size) {
    free(p);
    p = NULL;
  }
  fclose(f);
  *n = (size_t)size;
  return p;
}

/* --stub-wasi-arg/-env/-dir values (at most 16 of each). */
static const char *args[16], *env[16], *dirs[16];

static int parse_options(int argc, char **argv, tw_options *o) {
  tw_options_init(o);
  o->stub_args = args;
  o->stub_env = env;
  o->stub_dirs = dirs;
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--keep-hook-export") == 0) o->keep_hook_export = 1;
    else if (strcmp(a, "--init-once") == 0) o->init_once = 1;
    else if (strcmp(a, "--stub-wasi") == 0) o->stub_wasi = 1;
    else if (strcmp(a, "--strip-debug") == 0) o->strip_debug = 1;
    else if (strcmp(a, "--abi=init-task") == 0) o->abi = TW_ABI_INIT_TASK;
    else if (strcmp(a, "--abi=task-hook") == 0) o->abi = TW_ABI_TASK_HOOK;
    else if (strncmp(a, "--stub-wasi-output=", 19) == 0) {
      char *v = strdup(a + 19), *colon = strrchr(v, ':');
      if (!colon) return 0;
      *colon = 0;
      o->stub_output_module = v;
      o->stub_output_name = colon + 1;
    } else if (strncmp(a, "--stub-wasi-arg=", 16) == 0 && o->stub_args_count < 16) {
      args[o->stub_args_count++] = a + 16;
    } else if (strncmp(a, "--stub-wasi-env=", 16) == 0 && o->stub_env_count < 16) {
      env[o->stub_env_count++] = a + 16;
    } else if (strncmp(a, "--stub-wasi-dir=", 16) == 0 && o->stub_dirs_count < 16) {
      dirs[o->stub_dirs_count++] = a + 16;
    } else {
      fprintf(stderr, "bitflip: unknown option %s\n", a);
      return 0;
    }
  }
  return 1;
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  tw_options o;
  if (!parse_options(argc, argv, &o)) return 2;
  size_t n = 0;
  uint8_t *in = read_file(argv[1], &n);
  if (!in) return fprintf(stderr, "bitflip: cannot read %s\n", argv[1]), 2;
  tw_result *res = NULL;
  if (tw_rewrite(in, n, &o, &res) != TW_OK) {
    fprintf(stderr, "bitflip: %s: rewrite failed: 0x%llx: %s\n", argv[1],
            (unsigned long long)tw_result_error_offset(res), tw_result_error_message(res));
    return 1;
  }
  if (!tw_result_changed(res)) {
    fprintf(stderr, "bitflip: %s: nothing changed, so nothing of the rewriter is tested\n", argv[1]);
    return 1;
  }
  size_t m = 0;
  const uint8_t *out = tw_result_output(res, &m);
  uint8_t *copy = malloc(m);
  memcpy(copy, out, m);
  size_t passed = 0, failed = 0;
  tw_result *chk = NULL;
  if (tw_check(in, n, copy, m, &o, &chk) == TW_OK) {
    passed++;
  } else {
    failed++;
    fprintf(stderr, "FAIL %s: the correct output is refused: 0x%llx: %s\n", argv[1],
            (unsigned long long)tw_result_error_offset(chk), tw_result_error_message(chk));
  }
  tw_result_free(chk);
  static const uint8_t masks[] = {0x01, 0x80};
  for (size_t i = 0; i < m; i++) {
    for (size_t k = 0; k < sizeof masks; k++) {
      copy[i] ^= masks[k];
      chk = NULL;
      const tw_status st = tw_check(in, n, copy, m, &o, &chk);
      const uint64_t at = tw_result_error_offset(chk);
      if (st == TW_ERR_VERIFY && tw_result_error_in_output(chk) && at <= m) {
        passed++;
      } else {
        if (failed < 20)
          fprintf(stderr, "FAIL %s: byte 0x%zx ^ 0x%02x: %s (0x%llx: %s)\n", argv[1], i, masks[k],
                  st == TW_OK ? "accepted" : tw_status_name(st), (unsigned long long)at,
                  tw_result_error_message(chk));
        failed++;
      }
      tw_result_free(chk);
      copy[i] ^= masks[k];
    }
  }
  printf("%s: %zu bytes: %zu passed, %zu failed\n", argv[1], m, passed, failed);
  free(copy);
  tw_result_free(res);
  free(in);
  free((char *)o.stub_output_module); /* strdup'ed with its name after the colon */
  return failed ? 1 : 0;
}
