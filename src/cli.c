/* wasm-taskwrap: command-line interface. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io.h"
#include "linkcheck.h"
#include "options.h"
#include "platform.h"
#include "taskwrap.h"

enum { EXIT_OK = 0, EXIT_BAD = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
    "Usage: wasm-taskwrap [OPTIONS] INPUT -o FILE\n"
    "       wasm-taskwrap --check [OPTIONS] INPUT OUTPUT\n"
    "       wasm-taskwrap --check-link [--abi ABI] [NAME=]LIBRARY...\n"
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
    "                         with an in-module stub (docs/usage.md, \"What the\n"
    "                         stubs do\"); proc_exit's code is in the exported\n"
    "                         global " "taskwrap_exit_code" "\n"
    "      --stub-wasi-output MODULE:NAME\n"
    "                         with --stub-wasi: fd_write to fd 1 and 2 also\n"
    "                         calls this new import (fd, ptr, len: i32) -> ()\n"
    "      --stub-wasi-arg ARG\n"
    "                         with --stub-wasi: one argument the stubs serve\n"
    "                         (repeatable, in order; the first is argv[0])\n"
    "      --stub-wasi-env NAME=VALUE\n"
    "                         with --stub-wasi: one environment variable\n"
    "                         (repeatable, in order)\n"
    "      --stub-wasi-dir GUEST=HOSTDIR\n"
    "                         with --stub-wasi: embed the tree under HOSTDIR,\n"
    "                         read now, as a read-only preopened directory\n"
    "                         GUEST (repeatable: descriptors 3, 4, ...)\n"
    "      --strip-debug      drop the .debug_* custom sections\n"
    "      --only PATTERN     wrap only the exports whose names match a glob\n"
    "                         (repeatable; for modules without an embedded world)\n"
    "      --exclude PATTERN  never wrap the exports whose names match (repeatable)\n"
    "      --check            write nothing: verify that OUTPUT is exactly what\n"
    "                         a rewrite of INPUT with these options writes; the\n"
    "                         first violation is reported at its offset in OUTPUT\n"
    "      --check-link       (first argument) read a set of shared libraries\n"
    "                         (dylink.0) and exit 1 naming each one that makes the\n"
    "                         set inconsistent for `wasm-tools component link`\n"
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

/* -o FILE, --output FILE, --output=FILE: 1 with *value set (NULL when the
 * file name is missing), 0 when argv[*i] is not this option. */
static int output_option(int argc, char **argv, int *i, const char **value) {
  const char *a = argv[*i];
  if (strncmp(a, "--output=", 9) == 0) {
    *value = a + 9;
    return 1;
  }
  if (strcmp(a, "-o") != 0 && strcmp(a, "--output") != 0) return 0;
  *value = *i + 1 < argc ? argv[++*i] : NULL;
  return 1;
}

/* The descriptor the output is written through, or -1 for a file (which
 * is replaced). "-" is standard output; so is any name of it (/dev/stdout,
 * /dev/fd/1, /proc/self/fd/1, a link to one), and /dev/fd/N is descriptor
 * N: written at the descriptor's offset, whatever it is, as a shell's
 * redirection wants (a file opened with >> is appended to, a { ...; } > f
 * group keeps what comes before and after), never replaced. */
static int output_fd(const char *output) {
  return strcmp(output, "-") == 0 ? TW_STDOUT : tw_output_descriptor(output);
}

/* What was asked of libwabt in a build without it (TW_WITH_WABT=OFF, every
 * Windows build): a usage error, like an option this build lacks. */
static const char *needs_wabt(const cli *c) {
  if (tw_have_wabt()) return NULL;
  if (c->text) return "-t (--wat) writes text with libwabt's writer; write the binary and use wasm2wat";
  if (c->opts.verify == TW_VERIFY_FULL)
    return "--verify=full validates with libwabt; --verify=fast checks what wasm-taskwrap wrote";
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
      /* Longer than stdio's buffer: a failed write is seen here, with its
       * errno, not only as ferror when standard output is closed. */
      if (fputs(usage_text, stdout) < 0 || fflush(stdout) != 0) {
        fprintf(stderr, "wasm-taskwrap: <stdout>: error: cannot write: %s\n",
                tw_plat_strerror(errno));
        return EXIT_BAD;
      }
      return EXIT_OK;
    } else if (strcmp(a, "--version") == 0) {
      printf("wasm-taskwrap %s\n", TW_VERSION_STRING);
      return EXIT_OK;
    } else if (strcmp(a, "--dry-run") == 0) {
      c->dry_run = 1;
    } else if (strcmp(a, "--plan") == 0) {
      c->plan = 1;
    } else if (strcmp(a, "--json") == 0) {
      c->json = 1;
    } else if (strcmp(a, "-t") == 0 || strcmp(a, "--wat") == 0) {
      c->text = 1;
    } else if (output_option(argc, argv, &i, &v)) {
      if (!v || !*v) return usage_error("%s needs a file name", a[1] == 'o' ? "-o" : "--output");
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
  const char *missing = needs_wabt(c);
  if (missing) return usage_error("this build has no libwabt: %s", missing);
  if (c->check) {
    if (!c->checked) return usage_error("%s", "--check needs INPUT and OUTPUT");
    if (c->output || c->dry_run || c->text || c->plan || c->json)
      return usage_error("%s", "--check writes nothing: drop -o, --dry-run, -t, --plan and --json");
    return -1;
  }
  if (c->checked) return usage_error("more than one input: '%s'", c->checked);
  if (tw_options_conflict(&c->opts)) return usage_error("%s", tw_options_conflict(&c->opts));
  if (!c->dry_run && !c->output)
    return usage_error("%s", "no output: pass -o FILE (or -o - for standard output), or --dry-run");
  if (c->dry_run && c->output) return usage_error("%s", "--dry-run writes nothing; drop -o");
  if (c->output && output_fd(c->output) >= 0 && !c->text &&
      tw_plat_is_terminal(output_fd(c->output)))
    return usage_error("%s", "refusing to write a binary module to a terminal; redirect it or use -o FILE");
  return -1;
}

static const char *display_name(const char *path) {
  return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

/* Would the output be written over the input: the input's own descriptor
 * (/dev/stdin for "-", /dev/fd/N for the descriptor the input was opened
 * on), or the input's regular file by any name? Asked once the input is
 * open, of its descriptor: what /dev/fd/N names is only known then. (The
 * library would replace the input correctly; the command line refuses, so
 * that a typo never costs the input.) */
static int output_is_input(const cli *c, const tw_result *res, int out_fd) {
  const int in_fd = strcmp(c->input, "-") == 0 ? TW_STDIN : tw_result_input_fd(res);
  if (out_fd >= 0 && out_fd == in_fd) return 1;
  /* The platform's identity of a file (Windows: volume and file index). */
  tw_file_state a, b;
  if (!(in_fd >= 0 ? tw_plat_fd_state(in_fd, &a) : tw_plat_path_state(c->input, &a))) return 0;
  if (!(out_fd >= 0 ? tw_plat_fd_state(out_fd, &b) : tw_plat_path_state(c->output, &b))) return 0;
  return a.regular && a.dev == b.dev && a.ino == b.ino;
}

static void report_error(const char *name, const tw_result *res);

/* A failed write is about the output, unless the input changed under it. */
static int write_error(const cli *c, const char *path, const tw_result *res) {
  if (tw_result_status(res) == TW_ERR_CHANGED) path = display_name(c->input);
  fprintf(stderr, "wasm-taskwrap: %s: error: %s\n", path, tw_result_error_message(res));
  return EXIT_BAD;
}

static const char *output_name(const cli *c) {
  return strcmp(c->output, "-") == 0 ? "<stdout>" : c->output;
}

static int write_binary(const cli *c, tw_result *res) {
  const int fd = output_fd(c->output);
  const tw_status st = fd >= 0 ? tw_result_write_fd(res, fd) : tw_result_write(res, c->output);
  return st == TW_OK ? EXIT_OK : write_error(c, output_name(c), res);
}

/* Text output is streamed into the file (or the descriptor) as libwabt
 * writes it. */
static int write_text(const cli *c, tw_result *res) {
  const int fd = output_fd(c->output);
  const tw_status st = fd >= 0 ? tw_result_write_text_fd(res, fd)
                               : tw_result_write_text(res, c->output);
  if (st == TW_OK) return EXIT_OK;
  if (st == TW_ERR_IO || st == TW_ERR_CHANGED) return write_error(c, output_name(c), res);
  report_error(display_name(c->input), res);
  return EXIT_BAD;
}

/* FILE:0xOFFSET for binary input, FILE:LINE:COLUMN for text (wabt's). */
static void report_error(const char *name, const tw_result *res) {
  const tw_status st = tw_result_status(res);
  if (st == TW_ERR_IO || st == TW_ERR_CHANGED) /* about the file, not a byte in it */
    fprintf(stderr, "wasm-taskwrap: %s: error: %s\n", name, tw_result_error_message(res));
  else if (tw_result_error_line(res) > 0)
    fprintf(stderr, "wasm-taskwrap: %s:%d:%d: error: %s\n", name, tw_result_error_line(res),
            tw_result_error_column(res), tw_result_error_message(res));
  else
    fprintf(stderr, "wasm-taskwrap: %s:0x%llx: error: %s\n", name,
            (unsigned long long)tw_result_error_offset(res), tw_result_error_message(res));
}

static int run(cli *cp);

/* What went to standard output must have arrived: a write error there
 * (a full disk, /dev/full) fails the run, as it would for a file. A
 * standard output closed before the start is no error when nothing was
 * written to it. */
static int close_stdout(int rc) {
  const int pending = tw_plat_fpending(stdout) != 0;
  const int failed_before = ferror(stdout) != 0;
  const int failed = fclose(stdout) != 0;
  if (!failed_before && (!failed || (errno == EBADF && !pending))) return rc;
  if (rc != EXIT_OK) return rc; /* already reported */
  fprintf(stderr, "wasm-taskwrap: <stdout>: error: cannot write: %s\n",
          failed && !failed_before ? tw_plat_strerror(errno) : "a write failed");
  return EXIT_BAD;
}

int main(int argc, char **argv) {
  /* A write past the file size limit (ulimit -f) fails with EFBIG, an
   * error like a full disk (exit 1), rather than ending the tool; the
   * library takes that case back whatever the action, so ignoring SIGXFSZ
   * matters for a SIGXFSZ sent from outside: it does nothing (it is not
   * held back and delivered, as the other terminating signals are). */
  tw_plat_ignore_fsize();
  tw_plat_args(&argc, &argv);
  tw_plat_binary_stdio();
  /* A mode of its own, over a set of shared libraries (linkcheck.h). */
  if (argc > 1 && strcmp(argv[1], "--check-link") == 0) return close_stdout(tw_check_link_main(argc, argv));
  cli c;
  int rc = parse_args(&c, argc, argv);
  if (rc < 0) rc = run(&c);
  tw_option_parser_free(&c.options);
  return close_stdout(rc);
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
  /* A descriptor the output names (-, /dev/fd/N) must be open before the
   * input is opened, which would otherwise take its number and be called
   * the output. */
  const int out_fd = c.output ? output_fd(c.output) : -1;
  if (out_fd >= 0 && !tw_plat_fd_is_open(out_fd)) {
    fprintf(stderr, "wasm-taskwrap: %s: error: cannot write output: %s\n", output_name(&c),
            tw_plat_strerror(EBADF));
    return EXIT_BAD;
  }
  const char *name = display_name(c.input);
  c.opts.input_name = name;
  tw_result *res = NULL;
  const tw_status st = tw_rewrite_file(c.input, &c.opts, &res);
  if (st != TW_OK) {
    report_error(name, res);
    /* Text input without libwabt: what this build lacks, as for -t. */
    const int usage = !tw_have_wabt() && tw_result_input_was_text(res);
    tw_result_free(res);
    return usage ? EXIT_USAGE : EXIT_BAD;
  }
  if (c.output && output_is_input(&c, res, output_fd(c.output))) {
    fprintf(stderr,
            "wasm-taskwrap: %s: error: the output is the input file; write to another file "
            "and rename it\n",
            c.output);
    tw_result_free(res);
    return EXIT_BAD;
  }
  for (size_t i = 0; i < tw_result_warning_count(res); i++)
    fprintf(stderr, "wasm-taskwrap: %s: warning: %s\n", name, tw_result_warning(res, i));
  if (c.verbose) print_changes(name, res);

  if (c.dry_run || c.plan || c.json) {
    const char *plan = c.json ? tw_result_plan_json(res) : tw_result_plan_text(res);
    /* With the module on stdout, the plan goes to stderr. */
    FILE *to = (c.output && output_fd(c.output) == TW_STDOUT) ? stderr : stdout;
    if (!plan) {
      fprintf(stderr, "wasm-taskwrap: %s: error: out of memory\n", name);
      rc = EXIT_BAD;
    } else if (fputs(plan, to) < 0 || fflush(to) != 0 || ferror(to)) {
      /* A plan cut short fails the run, and no module is written after it. */
      fprintf(stderr, "wasm-taskwrap: %s: error: cannot write the plan: %s\n",
              to == stdout ? "<stdout>" : "<stderr>", tw_plat_strerror(errno));
      rc = EXIT_BAD;
    }
  }
  if (rc == EXIT_OK && !c.dry_run) rc = c.text ? write_text(&c, res) : write_binary(&c, res);
  tw_result_free(res);
  return rc;
}
