/* Install test consumer: rewrite a small module with the installed library
 * and compare with the bytes docs/abi.md prescribes. Built twice, with the CMake
 * package and with pkg-config. Exit 0 when every check holds. */
#include <stdio.h>
#include <string.h>
#include <taskwrap.h>

/* (func $hook (export "__wasm_task_hook") (param i32))
 * (func $run (export "run")) -- both with empty bodies. */
static const uint8_t input[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x08, 0x02, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x00, 0x00, /* types [i32]->[], []->[] */
  0x03, 0x03, 0x02, 0x00, 0x01,                               /* funcs: type 0, type 1 */
  0x07, 0x1a, 0x02,                                           /* exports */
  0x10, '_', '_', 'w', 'a', 's', 'm', '_', 't', 'a', 's', 'k', '_', 'h', 'o', 'o', 'k', 0x00, 0x00,
  0x03, 'r', 'u', 'n', 0x00, 0x01,
  0x0a, 0x07, 0x02, 0x02, 0x00, 0x0b, 0x02, 0x00, 0x0b,       /* code: two empty bodies */
};
/* The hook export removed, "run" names wrapper 2 (type 1):
 * i32.const 0; call 0; call 1; i32.const 1; call 0. */
static const uint8_t expected[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x08, 0x02, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x00, 0x00,
  0x03, 0x04, 0x03, 0x00, 0x01, 0x01,
  0x07, 0x07, 0x01, 0x03, 'r', 'u', 'n', 0x00, 0x02,
  0x0a, 0x14, 0x03, 0x02, 0x00, 0x0b, 0x02, 0x00, 0x0b,
  0x0c, 0x00, 0x41, 0x00, 0x10, 0x00, 0x10, 0x01, 0x41, 0x01, 0x10, 0x00, 0x0b,
};

static int failures;
#define CHECK(cond)                                             \
  do {                                                          \
    if (!(cond)) {                                              \
      fprintf(stderr, "consumer: check failed: %s\n", #cond);   \
      failures++;                                               \
    }                                                           \
  } while (0)

int main(void) {
  printf("taskwrap %s\n", TW_VERSION_STRING);
  tw_options opts;
  tw_options_init(&opts);
  tw_result *res = NULL;
  tw_status st = tw_rewrite(input, sizeof input, &opts, &res);
  if (st != TW_OK) {
    fprintf(stderr, "consumer: tw_rewrite: %s: %s\n", tw_status_name(st),
            res ? tw_result_error_message(res) : "(no result)");
    tw_result_free(res);
    return 1;
  }
  size_t n = 0;
  const uint8_t *out = tw_result_output(res, &n);
  CHECK(tw_result_changed(res));
  CHECK(tw_result_abi(res) == TW_ABI_TASK_HOOK);
  CHECK(tw_result_wrapper_count(res) == 1);
  CHECK(n == sizeof expected && memcmp(out, expected, n) == 0);
  CHECK(tw_result_plan_count(res) == 2);
  if (tw_result_plan_count(res) == 2) {
    const tw_plan_entry *hook = tw_result_plan_entry(res, 0);
    const tw_plan_entry *run = tw_result_plan_entry(res, 1);
    CHECK(hook->role == TW_ROLE_HOOK && hook->removed);
    CHECK(strcmp(run->name, "run") == 0 && run->role == TW_ROLE_SYNC);
    CHECK(run->nhooks == 2 && run->hooks[0] == 0 && run->hooks[1] == 1);
    CHECK(run->wrapper == 2 && run->target == 2 && run->guard == -1 && !run->removed);
    CHECK(hook->target == -1 && hook->nhooks == 0);
  }
  fputs(tw_result_plan_text(res), stdout);

  /* The output as segments: concatenated, they are the output. */
  size_t at = 0;
  int segments_ok = 1;
  for (size_t i = 0; i < tw_result_segment_count(res); i++) {
    tw_segment seg;
    if (!tw_result_segment(res, i, &seg) || at + seg.size > n) {
      segments_ok = 0;
      break;
    }
    const uint8_t *p = seg.kind == TW_SEGMENT_INPUT ? input + seg.input_offset : seg.bytes;
    if (seg.kind == TW_SEGMENT_INPUT && seg.input_offset + seg.size > sizeof input) segments_ok = 0;
    else if (memcmp(p, out + at, seg.size) != 0) segments_ok = 0;
    at += seg.size;
  }
  CHECK(segments_ok && at == n);

  /* --check: the expected bytes pass, a copy with one byte changed does not. */
  tw_result *chk = NULL;
  CHECK(tw_check(input, sizeof input, expected, sizeof expected, &opts, &chk) == TW_OK);
  tw_result_free(chk);
  uint8_t bad[sizeof expected];
  memcpy(bad, expected, sizeof bad);
  bad[sizeof bad - 2] = 0x02; /* the wrapper's last call: call 2 instead of call 0 */
  chk = NULL;
  CHECK(tw_check(input, sizeof input, bad, sizeof bad, &opts, &chk) == TW_ERR_VERIFY);
  CHECK(chk && tw_result_error_offset(chk) <= sizeof bad - 2 && tw_result_error_in_output(chk));
  tw_result_free(chk);

  /* The output has no hook export left: a second run changes nothing. */
  tw_result *again = NULL;
  CHECK(tw_rewrite(out, n, &opts, &again) == TW_OK);
  if (again) {
    size_t m = 0;
    const uint8_t *out2 = tw_result_output(again, &m);
    CHECK(!tw_result_changed(again) && m == n && memcmp(out2, out, n) == 0);
    CHECK(tw_result_abi(again) == TW_ABI_NONE);
  }
  tw_result_free(again);
  tw_result_free(res);
  if (failures) return 1;
  puts("consumer: ok");
  return 0;
}
