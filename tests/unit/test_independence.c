/* The verifier's independence from the encoder for the stubs: what a stub
 * must call and which globals it must use, the verifier takes from its own
 * numbering of the output (docs/output-layout.md, "Rules for numbers"),
 * not from the function the stub bodies are encoded with. If both read one
 * function, a mistake in it writes a stub that calls the wrong function and
 * passes the check; this test writes exactly that output and requires
 * tw_check to refuse it. */
#include "fixture.h"

#include "instr.h"

/* The host module stubbed with an output import: fd_write's stub calls the
 * added import, output function 1 (env.kept is 0: docs/output-layout.md,
 * "Rules for numbers"). */
static tw_result *stub_host(wb *in, tw_options *o) {
  build_host(in);
  tw_options_init(o);
  o->stub_wasi = 1;
  o->stub_output_module = "host";
  o->stub_output_name = "write";
  return rewrite_ok(in->d, in->n, o);
}

/* Every call to output function `from` in the output's code section, made a
 * call to `to` (same LEB128 width); returns the offset of the first changed
 * index, or 0 if there was none. */
static size_t redirect_calls(uint8_t *d, size_t n, uint32_t from, uint32_t to) {
  tw_module m;
  tw_err err = {0};
  if (!tw_module_parse(&m, d, n, &err)) return 0;
  size_t first = 0;
  for (uint32_t i = 0; i < m.nbodies; i++) {
    tw_module_need(&m, m.bodies[i].code, m.bodies[i].end - m.bodies[i].code);
    tw_cursor c = tw_cursor_make(m.data, m.bodies[i].code, m.bodies[i].end, &err);
    if (!tw_skip_locals(&c)) break;
    tw_instr in;
    while (c.pos < c.end && tw_instr_next(&c, &in)) {
      if (!in.has_func || in.func != from || in.prefix || in.code != 0x10 || in.func_len != 1)
        continue;
      d[in.func_pos] = (uint8_t)to;
      if (!first) first = in.func_pos;
    }
  }
  tw_module_free(&m);
  return first;
}

/* The output is right; the same output with fd_write's stub calling
 * function 0 (the added import's index minus one: what an encoder that
 * numbered the output import one too low would write) is refused at that
 * call. */
static void test_stub_output_call(void **state) {
  (void)state;
  wb in = {0};
  tw_options o;
  tw_result *r = stub_host(&in, &o);
  size_t n = 0;
  uint8_t *copy = output_copy(r, 0, &n);
  check_accepts(in.d, in.n, copy, n, &o);
  const size_t at = redirect_calls(copy, n, 1, 0);
  /* None: the stub calls another function, and the rewrite's own check
   * (run by rewrite_ok) passed it: the verifier shares the encoder's
   * mistake. */
  if (at == 0) fail_msg("no stub calls the output import (function 1), and the rewrite passed");
  check_refuses(in.d, in.n, copy, n, &o, at, true, "a stub calling the wrong output function");
  free(copy);
  tw_result_free(r);
  wb_free(&in);
}

/* The sabotage check of redirect_calls itself: with from == to nothing
 * changes, and tw_check must still accept (so that the refusal above is
 * the redirected call's, not the helper's). */
static void test_redirect_is_the_change(void **state) {
  (void)state;
  wb in = {0};
  tw_options o;
  tw_result *r = stub_host(&in, &o);
  size_t n = 0;
  uint8_t *copy = output_copy(r, 0, &n);
  assert_true(redirect_calls(copy, n, 1, 1) != 0);
  assert_memory_equal(copy, tw_result_output(r, &(size_t){0}), n);
  check_accepts(in.d, in.n, copy, n, &o);
  free(copy);
  tw_result_free(r);
  wb_free(&in);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_stub_output_call),
      cmocka_unit_test(test_redirect_is_the_change),
  };
  return cmocka_run_group_tests_name("independence", tests, NULL, NULL);
}
