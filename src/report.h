/* The result of a rewrite or a check (api.c) and what reports on it
 * (report.c): the plan as entries, text and JSON, from the edit. */
#ifndef TW_REPORT_H
#define TW_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "edit.h"
#include "err.h"
#include "io.h"
#include "module.h"
#include "out.h"
#include "taskwrap.h"

struct tw_result {
  tw_err err;
  tw_options opts;        /* a copy (input_name cleared) */
  tw_input in;            /* tw_rewrite_file, tw_check_files: the input file */
  const uint8_t *input;   /* the binary input (assembled, for text) */
  size_t input_size;
  uint8_t *assembled;     /* text input: the binary libwabt made of it */
  bool was_text;
  int err_line, err_column;
  bool checked;           /* a --check: there is no output */
  bool output_error;      /* tw_check_files: the error is about the output file */
  bool write_error;       /* writing the output failed */
  tw_module m;
  bool have_module;
  tw_edit edit;
  bool have_edit;
  tw_out out;             /* the output's segments, when it changed */
  bool output_is_input;   /* nothing changed: the output is the input */
  uint8_t *flat;          /* the output's bytes, made on request */
  char **warnings;
  size_t nwarnings, warnings_cap;
  /* The plan (report.c). */
  tw_plan_entry *entries;
  char *names;
  tw_stub_entry *stubs;
  size_t nstubs;
  tw_guard_entry *guards;
  size_t nguards;
  int64_t exit_func;      /* the exit-code wrapper of _start, or -1 */
  char *plan_text, *plan_json, *changes_text;
  char *out_text;
  size_t out_text_size;
};

void tw_result_warn(tw_result *r, const char *fmt, ...) TW_PRINTF(2, 3);
/* The entries of a finalised edit, in output indices. */
bool tw_report_build(tw_result *r);
void tw_report_free(tw_result *r);

#endif /* TW_REPORT_H */
