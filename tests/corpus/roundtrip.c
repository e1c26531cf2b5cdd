/* Byte-exact round trip over a corpus of real modules (docs/abi.md, "The
 * rewritten module": a module with no hook export comes out identical to
 * its input).
 *
 *   roundtrip [--allow-reject] [--verify-full] LIST...
 *
 * Each LIST holds one .wasm path per line; a line "# corpus: NAME" starts a
 * group that gets its own counts, other lines starting with '#' and blank
 * lines are skipped. Every module is rewritten with default options:
 *
 *  - no hook export (found by the small export scanner below, not by the
 *    library): status TW_OK, not changed, ABI none, no wrappers, one plan row
 *    per export, and output bytes == input bytes (compared against a
 *    pristine copy, so an in-place change of the input cannot hide);
 *  - a hook export (__wasm_task_hook, __wasm_init_task or
 *    __wasm_init_async_task as a function): counted apart; status TW_OK,
 *    changed, the output exports no hook any more, and rewriting the output
 *    again gives the same bytes back.
 *
 * --allow-reject: a clean refusal (TW_ERR_MALFORMED or TW_ERR_UNSUPPORTED
 * with a message) counts as "rejected", not failed, and is listed; anything
 * else is still checked as above. Used for proposal suites whose encoding
 * predates the standard one.
 *
 * --verify-full: every module is rewritten with TW_VERIFY_FULL (libwabt
 * validates the whole output (--verify=full)) and must pass as above; a module that
 * uses what libwabt 1.0.32 cannot read must instead be refused with
 * TW_ERR_UNSUPPORTED and "cannot verify fully: ..." and is counted (and
 * listed) as unverifiable.
 *
 * Ends with "N passed, M failed" and exits 1 on any failure. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taskwrap.h"
#include "test_support.h"

typedef struct counts {
  char name[128];
  unsigned long modules, passed, failed, hooked, rejected, unverifiable;
  unsigned long long bytes;
} counts;

static int allow_reject = 0;
static int verify_full = 0;

/* ---- independent export scanner ------------------------------------------- */

static int is_hook_name(const uint8_t *s, uint32_t n) {
  static const char *const names[] = {"__wasm_task_hook", "__wasm_init_task",
                                      "__wasm_init_async_task"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strlen(names[i]) == n && memcmp(names[i], s, n) == 0) return 1;
  return 0;
}

/* Counts the exports and whether one is a hook function. Returns 0 when the
 * framing cannot be followed (then the library must agree it is malformed). */
static int scan_exports(const uint8_t *p, size_t size, uint32_t *nexports, int *hooked) {
  *nexports = 0;
  *hooked = 0;
  if (size < 8 || memcmp(p, "\0asm\1\0\0\0", 8) != 0) return 0;
  size_t pos = 8;
  while (pos < size) {
    const uint8_t id = p[pos++];
    uint32_t len = 0;
    if (!tw_test_leb_u32(p, size, &pos, &len) || len > size - pos) return 0;
    const size_t end = pos + len;
    if (id == 7) {
      size_t q = pos;
      uint32_t n = 0;
      if (!tw_test_leb_u32(p, end, &q, &n)) return 0;
      for (uint32_t i = 0; i < n; i++) {
        uint32_t nlen = 0, index = 0;
        if (!tw_test_leb_u32(p, end, &q, &nlen) || nlen > end - q) return 0;
        const uint8_t *name = p + q;
        q += nlen;
        if (q >= end) return 0;
        const uint8_t kind = p[q++];
        if (!tw_test_leb_u32(p, end, &q, &index)) return 0;
        if (kind == 0 && is_hook_name(name, nlen)) *hooked = 1;
      }
      *nexports += n;
    }
    pos = end;
  }
  return 1;
}

/* ---- one module ------------------------------------------------------------- */


static void fail(counts *c, const char *path, const char *what, const tw_result *r) {
  c->failed++;
  if (r && tw_result_status(r) != TW_OK)
    printf("FAIL %s: %s: %s at 0x%llx: %s\n", path, what, tw_status_name(tw_result_status(r)),
           (unsigned long long)tw_result_error_offset(r), tw_result_error_message(r));
  else
    printf("FAIL %s: %s\n", path, what);
}

static void check_module(counts *c, const char *path) {
  size_t size = 0;
  uint8_t *data = tw_test_read_file(path, &size);
  if (!data) {
    c->modules++;
    fail(c, path, "cannot read the file", NULL);
    return;
  }
  uint8_t *pristine = malloc(size ? size : 1);
  if (!pristine) {
    fprintf(stderr, "out of memory\n");
    exit(1);
  }
  memcpy(pristine, data, size);
  c->modules++;
  c->bytes += size;

  uint32_t nexports = 0;
  int hooked = 0;
  const int framed = scan_exports(data, size, &nexports, &hooked);

  tw_options opts;
  tw_options_init(&opts);
  if (verify_full) opts.verify = TW_VERIFY_FULL;
  tw_result *r = NULL;
  const tw_status st = tw_rewrite(data, size, &opts, &r);
  size_t outn = 0;
  const uint8_t *out = st == TW_OK ? tw_result_output(r, &outn) : NULL;

  if (memcmp(data, pristine, size) != 0) {
    fail(c, path, "the input buffer was modified", NULL);
  } else if (verify_full && st == TW_ERR_UNSUPPORTED &&
             strncmp(tw_result_error_message(r), "cannot verify fully: ", 21) == 0) {
    c->unverifiable++;
    printf("unverifiable %s: %s\n", path, tw_result_error_message(r));
  } else if (st != TW_OK && allow_reject &&
             (st == TW_ERR_MALFORMED || st == TW_ERR_UNSUPPORTED) &&
             tw_result_status(r) == st && tw_result_error_message(r)[0] != '\0') {
    c->rejected++;
    printf("rejected %s: %s at 0x%llx: %s\n", path, tw_status_name(st),
           (unsigned long long)tw_result_error_offset(r), tw_result_error_message(r));
  } else if (st != TW_OK || !r || tw_result_status(r) != TW_OK) {
    fail(c, path, "rewrite failed", r);
  } else if (!framed) {
    fail(c, path, "accepted, but its export section cannot be followed", NULL);
  } else if (!out && outn != 0) {
    fail(c, path, "no output bytes", NULL);
  } else if (!hooked) {
    if (tw_result_changed(r))
      fail(c, path, "no hook export, yet the result says changed", NULL);
    else if (outn != size || (size && memcmp(out, pristine, size) != 0))
      fail(c, path, "output differs from the input", NULL);
    else if (tw_result_abi(r) != TW_ABI_NONE || tw_result_wrapper_count(r) != 0)
      fail(c, path, "no hook export, yet the plan has an ABI or wrappers", NULL);
    else if (tw_result_plan_count(r) != nexports)
      fail(c, path, "plan rows differ from the number of exports", NULL);
    else
      c->passed++;
  } else {
    c->hooked++;
    printf("hook export: %s (abi %s, %u wrappers)\n", path, tw_abi_name(tw_result_abi(r)),
           tw_result_wrapper_count(r));
    uint32_t nout = 0;
    int out_hooked = 1;
    const int out_framed = scan_exports(out, outn, &nout, &out_hooked);
    /* An exactly-sized copy again, for ASan's sake. */
    uint8_t *copy = malloc(outn ? outn : 1);
    if (!copy) {
      fprintf(stderr, "out of memory\n");
      exit(1);
    }
    if (outn) memcpy(copy, out, outn);
    tw_result *again = NULL;
    const tw_status st2 = tw_rewrite(copy, outn, &opts, &again);
    size_t n2 = 0;
    const uint8_t *out2 = st2 == TW_OK ? tw_result_output(again, &n2) : NULL;
    if (!tw_result_changed(r))
      fail(c, path, "hook export, yet the result says unchanged", NULL);
    else if (!out_framed || out_hooked)
      fail(c, path, "the output still exports a hook (or cannot be scanned)", NULL);
    else if (st2 != TW_OK)
      fail(c, path, "rewriting the output again failed", again);
    else if (tw_result_changed(again) || n2 != outn || memcmp(out2, out, outn) != 0)
      fail(c, path, "rewriting the output again is not a byte-identical no-op", NULL);
    else
      c->passed++;
    tw_result_free(again);
    free(copy);
  }
  tw_result_free(r);
  free(pristine);
  free(data);
}

/* ---- driver ------------------------------------------------------------------ */

/* Prints a group's counts and folds them into the total. */
static void close_group(counts *c, counts *total) {
  if (c->modules != 0 || c->name[0] != '\0') {
    printf("corpus %s: %lu modules, %llu bytes: %lu passed, %lu failed", c->name, c->modules,
           c->bytes, c->passed, c->failed);
    if (c->hooked) printf(", %lu with a hook export", c->hooked);
    if (allow_reject) printf(", %lu rejected", c->rejected);
    if (verify_full) printf(", %lu unverifiable", c->unverifiable);
    printf("\n");
  }
  total->modules += c->modules;
  total->bytes += c->bytes;
  total->passed += c->passed;
  total->failed += c->failed;
  total->hooked += c->hooked;
  total->rejected += c->rejected;
  total->unverifiable += c->unverifiable;
  memset(c, 0, sizeof *c);
}

int main(int argc, char **argv) {
  int first = 1;
  for (; first < argc && strncmp(argv[first], "--", 2) == 0; first++) {
    if (strcmp(argv[first], "--allow-reject") == 0) allow_reject = 1;
    else if (strcmp(argv[first], "--verify-full") == 0) verify_full = 1;
    else break;
  }
  if (first >= argc) {
    fprintf(stderr, "usage: %s [--allow-reject] [--verify-full] LIST...\n", argv[0]);
    return 2;
  }
  counts total, cur;
  memset(&total, 0, sizeof total);
  memset(&cur, 0, sizeof cur);
  for (int a = first; a < argc; a++) {
    FILE *list = fopen(argv[a], "r");
    if (!list) {
      printf("FAIL %s: cannot open the list\n", argv[a]);
      total.failed++;
      continue;
    }
    char line[4096];
    while (fgets(line, sizeof line, list)) {
      const size_t n = strcspn(line, "\r\n");
      line[n] = '\0';
      if (strncmp(line, "# corpus: ", 10) == 0) {
        close_group(&cur, &total);
        snprintf(cur.name, sizeof cur.name, "%.*s", (int)sizeof cur.name - 1, line + 10);
      } else if (n != 0 && line[0] != '#') {
        check_module(&cur, line);
        fflush(stdout);
      }
    }
    fclose(list);
    close_group(&cur, &total);
  }
  printf("total: %lu modules, %llu bytes, %lu with a hook export", total.modules, total.bytes,
         total.hooked);
  if (allow_reject) printf(", %lu rejected", total.rejected);
  if (verify_full) printf(", %lu unverifiable", total.unverifiable);
  printf("\n");
  /* An empty corpus proves nothing: count it as a failure. */
  if (total.modules == 0) {
    printf("FAIL: the lists name no module\n");
    total.failed++;
  }
  printf("%lu passed, %lu failed\n", total.passed, total.failed);
  return total.failed ? 1 : 0;
}
