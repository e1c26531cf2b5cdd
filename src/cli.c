/* wasm-taskwrap: command-line interface. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "options.h"
#include "taskwrap.h"

enum { EXIT_OK = 0, EXIT_BAD = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
    "Usage: wasm-taskwrap [OPTIONS] INPUT -o FILE\n"
    "       wasm-taskwrap --check [OPTIONS] INPUT OUTPUT\n"
    "       wasm-taskwrap -h | --help | --version\n"
    "\n"
    "Emit the WASI preview 3 task-init wrappers inside a linked core module:\n"
    "every lifted export is re-pointed at an in-module wrapper that calls the\n"
    "module's task hook (__wasm_task_hook, or __wasm_init_task and\n"
    "__wasm_init_async_task) exactly as wit-component would, and the hook\n"
    "export is removed. Every other byte is copied unchanged; a module without\n"
    "a hook export is written out byte-identical.\n"
    "\n"
    "INPUT is a core module, binary or text (told apart by content, not by\n"
    "name; text is assembled with libwabt), or '-' for standard input.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE      write the rewritten module to FILE ('-' for standard\n"
    "                         output; binary output to a terminal is refused)\n"
    "      --dry-run          print the plan and write nothing\n"
    "      --plan             print the plan as well as writing the output\n"
    "      --json             print the plan as JSON (implies --plan)\n"
    "      --abi ABI          auto (default), task-hook or init-task\n"
    "  -t, --wat              write the output as text (libwabt's writer, names kept)\n"
    "      --keep-hook-export keep the hook export(s) instead of removing them\n"
    "      --verify MODE      fast (default): check the output against the input\n"
    "                         and the ABI before writing it;\n"
    "                         full: first validate the whole output with libwabt\n"
    "                         (every feature wabt 1.0.32 knows), then as fast;\n"
    "                         none: no check at all (for benchmarking only)\n"
    "      --init-once        every function export first runs _initialize, once\n"
    "                         per instance (for hosts that never call it)\n"
    "      --stub-wasi        replace every wasi_snapshot_preview1 function import\n"
    "                         with an in-module stub (README: \"What the stubs\n"
    "                         do\"); proc_exit's code is in the exported global\n"
    "                         " "taskwrap_exit_code" "\n"
    "      --stub-wasi-output MODULE:NAME\n"
    "                         with --stub-wasi: fd_write to fd 1 and 2 also\n"
    "                         calls this new import (fd, ptr, len: i32) -> ()\n"
    "      --strip-debug      drop the .debug_* custom sections\n"
    "      --only PATTERN     wrap only the exports whose names match a glob\n"
    "                         (repeatable; for modules without an embedded world)\n"
    "      --exclude PATTERN  never wrap the exports whose names match (repeatable)\n"
    "      --check            write nothing: verify that OUTPUT is exactly what\n"
    "                         a rewrite of INPUT with these options writes; the\n"
    "                         first violation is reported at its offset in OUTPUT\n"
    "      --fsync            fsync the output before renaming it into place\n"
    "  -v, --verbose          say on standard error what changed, one line per\n"
    "                         change (or that the module was copied unchanged)\n"
    "  -h, --help             print this help and exit\n"
    "      --version          print the version and exit\n"
    "\n"
    "The plan has one line per export: its name, role, its kind:index in the\n"
    "input and, after '->', what it names in the output, the hook codes its\n"
    "wrapper calls in order, and the wrapper's function index; then one line\n"
    "per --init-once guard and per --stub-wasi stub (which replaces a removed\n"
    "import). Every other index is an index of the output. --stub-wasi removes\n"
    "imports, so it renumbers every function index in the module; an index\n"
    "keeps its LEB128 width when it fits, and a warning says when DWARF code\n"
    "offsets change.\n"
    "The output is written to a temporary file beside FILE and renamed into\n"
    "place, so FILE is either the complete new module or left as it was. It\n"
    "is not fsynced unless --fsync is given, as cp, ld and wasm-opt do not.\n"
    "FILE may not be INPUT itself; to rewrite in place after linking, write\n"
    "to FILE.new and rename it (CMake: taskwrap_post_link does this).\n"
    "\n"
    "Exit status:\n"
    "  0  success (including a module with nothing to rewrite)\n"
    "  1  bad input, a type mismatch, a failed verification or --check, or an\n"
    "     I/O error\n"
    "  2  usage error\n";

typedef struct cli {
  const char *input;
  const char *output;
  const char *checked; /* --check: the OUTPUT to verify */
  int dry_run, plan, json, text, check, verbose;
  tw_options opts;
  tw_option_parser options; /* the rewrite options, into opts */
} cli;

static int usage_error(const char *fmt, const char *arg) {
  fprintf(stderr, "wasm-taskwrap: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\nTry 'wasm-taskwrap --help'.\n");
  return EXIT_USAGE;
}

/* --name VALUE or --name=VALUE; returns the value or NULL. */
static const char *option_value(int argc, char **argv, int *i, const char *name) {
  const size_t n = strlen(name);
  const char *a = argv[*i];
  if (strncmp(a, name, n) != 0) return NULL;
  if (a[n] == '=') return a + n + 1;
  if (a[n] == 0 && *i + 1 < argc) return argv[++*i];
  return NULL;
}

static int parse_args(cli *c, int argc, char **argv) {
  memset(c, 0, sizeof *c);
  tw_options_init(&c->opts);
  c->options.opts = &c->opts;
  int only_positional = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v;
    if (only_positional || a[0] != '-' || strcmp(a, "-") == 0) {
      if (!c->input) c->input = a;
      else if (!c->checked) c->checked = a;
      else return usage_error("more than one input: '%s'", a);
    } else if (strcmp(a, "--") == 0) {
      only_positional = 1;
    } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      fputs(usage_text, stdout);
      exit(EXIT_OK);
    } else if (strcmp(a, "--version") == 0) {
      printf("wasm-taskwrap %s\n", TW_VERSION_STRING);
      exit(EXIT_OK);
    } else if (strcmp(a, "--dry-run") == 0) {
      c->dry_run = 1;
    } else if (strcmp(a, "--plan") == 0) {
      c->plan = 1;
    } else if (strcmp(a, "--json") == 0) {
      c->json = 1;
    } else if (strcmp(a, "-t") == 0 || strcmp(a, "--wat") == 0) {
      c->text = 1;
    } else if (strcmp(a, "-o") == 0 || strncmp(a, "--output", 8) == 0) {
      v = strcmp(a, "-o") == 0 ? (i + 1 < argc ? argv[++i] : NULL)
                               : option_value(argc, argv, &i, "--output");
      if (!v || strcmp(a, "--outputs") == 0) return usage_error("%s needs a file name", a);
      c->output = v;
    } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
      c->verbose = 1;
    } else if (strcmp(a, "--check") == 0) {
      c->check = 1;
    } else {
      char msg[200];
      const int r = tw_option_parse(&c->options, argc, argv, &i, msg, sizeof msg);
      if (r < 0) return usage_error("%s", msg);
      if (r == 0) return usage_error("unknown option '%s'", a);
    }
  }
  if (!c->input) return usage_error("%s", "no input file");
  if (c->check) {
    if (!c->checked) return usage_error("%s", "--check needs INPUT and OUTPUT");
    if (c->output || c->dry_run || c->text || c->plan || c->json)
      return usage_error("%s", "--check writes nothing: drop -o, --dry-run, -t, --plan and --json");
    return -1;
  }
  if (c->checked) return usage_error("more than one input: '%s'", c->checked);
  if (c->opts.stub_output_module && !c->opts.stub_wasi)
    return usage_error("%s", "--stub-wasi-output needs --stub-wasi");
  if (!c->dry_run && !c->output)
    return usage_error("%s", "no output: pass -o FILE (or -o - for standard output), or --dry-run");
  if (c->dry_run && c->output) return usage_error("%s", "--dry-run writes nothing; drop -o");
  if (c->output && strcmp(c->output, "-") == 0 && !c->text && isatty(STDOUT_FILENO))
    return usage_error("%s", "refusing to write a binary module to a terminal; redirect it or use -o FILE");
  return -1;
}

static const char *display_name(const char *path) {
  return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

static int same_file(const char *a, const char *b) {
  struct stat sa, sb;
  if (strcmp(a, "-") == 0 || strcmp(b, "-") == 0) return 0;
  if (stat(a, &sa) != 0 || stat(b, &sb) != 0) return 0;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static void report_error(const char *name, const tw_result *res);

static int write_error(const char *path, const tw_result *res) {
  fprintf(stderr, "wasm-taskwrap: %s: error: %s\n", path, tw_result_error_message(res));
  return EXIT_BAD;
}

static int write_binary(const cli *c, tw_result *res) {
  if (strcmp(c->output, "-") == 0)
    return tw_result_write_fd(res, STDOUT_FILENO) == TW_OK ? EXIT_OK : write_error("<stdout>", res);
  return tw_result_write(res, c->output) == TW_OK ? EXIT_OK : write_error(c->output, res);
}

/* Text output is streamed into the file (or standard output) as libwabt
 * writes it. */
static int write_text(const cli *c, tw_result *res) {
  const int out = strcmp(c->output, "-") == 0;
  const tw_status st = out ? tw_result_write_text_fd(res, STDOUT_FILENO)
                           : tw_result_write_text(res, c->output);
  if (st == TW_OK) return EXIT_OK;
  if (st == TW_ERR_IO) return write_error(out ? "<stdout>" : c->output, res);
  report_error(display_name(c->input), res);
  return EXIT_BAD;
}

/* FILE:0xOFFSET for binary input, FILE:LINE:COLUMN for text (wabt's). */
static void report_error(const char *name, const tw_result *res) {
  if (tw_result_status(res) == TW_ERR_IO) /* about the file, not a byte in it */
    fprintf(stderr, "wasm-taskwrap: %s: error: %s\n", name, tw_result_error_message(res));
  else if (tw_result_error_line(res) > 0)
    fprintf(stderr, "wasm-taskwrap: %s:%d:%d: error: %s\n", name, tw_result_error_line(res),
            tw_result_error_column(res), tw_result_error_message(res));
  else
    fprintf(stderr, "wasm-taskwrap: %s:0x%llx: error: %s\n", name,
            (unsigned long long)tw_result_error_offset(res), tw_result_error_message(res));
}

static int run(cli *cp);

int main(int argc, char **argv) {
  cli c;
  int rc = parse_args(&c, argc, argv);
  if (rc < 0) rc = run(&c);
  tw_option_parser_free(&c.options);
  return rc;
}

/* --check INPUT OUTPUT: exit 0 when OUTPUT is the rewrite of INPUT. */
static int run_check(const cli *c) {
  tw_options opts = c->opts;
  opts.input_name = display_name(c->input);
  tw_result *res = NULL;
  const tw_status st = tw_check_files(c->input, c->checked, &opts, &res);
  int rc = EXIT_OK;
  if (st != TW_OK) {
    /* A violation is at an offset in OUTPUT; a bad input, in INPUT. */
    const int about_output = st == TW_ERR_VERIFY || tw_result_error_in_output(res);
    report_error(display_name(about_output ? c->checked : c->input), res);
    rc = EXIT_BAD;
  }
  tw_result_free(res);
  return rc;
}

/* --verbose: each line of the changes, prefixed like the warnings. */
static void print_changes(const char *name, tw_result *res) {
  const char *t = tw_result_changes_text(res);
  while (t && *t) {
    const char *nl = strchr(t, '\n');
    const int n = nl ? (int)(nl - t) : (int)strlen(t);
    fprintf(stderr, "wasm-taskwrap: %s: %.*s\n", name, n, t);
    t += n + (nl != NULL);
  }
}

static int run(cli *cp) {
  cli c = *cp;
  int rc = EXIT_OK;
  if (c.check) return run_check(&c);
  if (c.output && same_file(c.input, c.output)) {
    fprintf(stderr,
            "wasm-taskwrap: %s: error: the output is the input file; write to another file "
            "and rename it\n",
            c.output);
    return EXIT_BAD;
  }
  const char *name = display_name(c.input);
  c.opts.input_name = name;
  tw_result *res = NULL;
  const tw_status st = tw_rewrite_file(c.input, &c.opts, &res);
  if (st != TW_OK) {
    report_error(name, res);
    tw_result_free(res);
    return EXIT_BAD;
  }
  for (size_t i = 0; i < tw_result_warning_count(res); i++)
    fprintf(stderr, "wasm-taskwrap: %s: warning: %s\n", name, tw_result_warning(res, i));
  if (c.verbose) print_changes(name, res);

  if (c.dry_run || c.plan || c.json) {
    const char *plan = c.json ? tw_result_plan_json(res) : tw_result_plan_text(res);
    /* With the module on stdout, the plan goes to stderr. */
    FILE *to = (c.output && strcmp(c.output, "-") == 0) ? stderr : stdout;
    if (!plan) {
      fprintf(stderr, "wasm-taskwrap: %s: error: out of memory\n", name);
      rc = EXIT_BAD;
    } else {
      fputs(plan, to);
      fflush(to);
    }
  }
  if (rc == EXIT_OK && !c.dry_run) rc = c.text ? write_text(&c, res) : write_binary(&c, res);
  tw_result_free(res);
  return rc;
}
