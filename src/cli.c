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

#include "taskwrap.h"

enum { EXIT_OK = 0, EXIT_BAD = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
    "Usage: wasm-taskwrap [OPTIONS] INPUT\n"
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
    "                         with an in-module stub (README: \"What --stub-wasi\n"
    "                         does\"); proc_exit's code is in the exported global\n"
    "                         " "taskwrap_exit_code" "\n"
    "      --stub-wasi-output MODULE:NAME\n"
    "                         with --stub-wasi: fd_write to fd 1 and 2 also\n"
    "                         calls this new import (fd, ptr, len: i32) -> ()\n"
    "      --strip-debug      drop the .debug_* custom sections\n"
    "  -h, --help             print this help and exit\n"
    "      --version          print the version and exit\n"
    "\n"
    "The plan has one line per export: its name, role, kind:index, the hook\n"
    "codes its wrapper calls in order, and the wrapper's function index.\n"
    "With --init-once or --stub-wasi it also lists the guards and stubs\n"
    "(func:BEFORE -> func:AFTER). --stub-wasi removes imports, so it renumbers\n"
    "every function index in the module; an index keeps its LEB128 width when\n"
    "it fits, and a warning says when DWARF code offsets change.\n"
    "The output is written to a temporary file beside FILE and renamed into\n"
    "place, so FILE is either the complete new module or left as it was.\n"
    "FILE may not be INPUT itself; to rewrite in place after linking, write\n"
    "to FILE.new and rename it (CMake: taskwrap_post_link does this).\n"
    "\n"
    "Exit status:\n"
    "  0  success (including a module with nothing to rewrite)\n"
    "  1  bad input, a type mismatch, a failed verification, or an I/O error\n"
    "  2  usage error\n";

typedef struct cli {
  const char *input;
  const char *output;
  int dry_run, plan, json, text;
  tw_options opts;
  char *output_module; /* --stub-wasi-output's module part */
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
  int only_positional = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v;
    if (only_positional || a[0] != '-' || strcmp(a, "-") == 0) {
      if (c->input) return usage_error("more than one input: '%s'", a);
      c->input = a;
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
    } else if (strcmp(a, "--keep-hook-export") == 0) {
      c->opts.keep_hook_export = 1;
    } else if (strcmp(a, "-o") == 0 || strncmp(a, "--output", 8) == 0) {
      v = strcmp(a, "-o") == 0 ? (i + 1 < argc ? argv[++i] : NULL)
                               : option_value(argc, argv, &i, "--output");
      if (!v || strcmp(a, "--outputs") == 0) return usage_error("%s needs a file name", a);
      c->output = v;
    } else if (strncmp(a, "--abi", 5) == 0) {
      v = option_value(argc, argv, &i, "--abi");
      if (!v) return usage_error("%s needs auto, task-hook or init-task", a);
      if (strcmp(v, "auto") == 0) c->opts.abi = TW_ABI_AUTO;
      else if (strcmp(v, "task-hook") == 0) c->opts.abi = TW_ABI_TASK_HOOK;
      else if (strcmp(v, "init-task") == 0) c->opts.abi = TW_ABI_INIT_TASK;
      else return usage_error("unknown ABI '%s' (auto, task-hook or init-task)", v);
    } else if (strcmp(a, "--init-once") == 0) {
      c->opts.init_once = 1;
    } else if (strcmp(a, "--stub-wasi") == 0) {
      c->opts.stub_wasi = 1;
    } else if (strcmp(a, "--strip-debug") == 0) {
      c->opts.strip_debug = 1;
    } else if (strncmp(a, "--stub-wasi-output", 18) == 0) {
      v = option_value(argc, argv, &i, "--stub-wasi-output");
      /* The last colon splits: module names like "wasi:cli/stdout" have one. */
      const char *colon = v ? strrchr(v, ':') : NULL;
      if (!colon || colon == v || colon[1] == 0)
        return usage_error("%s needs MODULE:NAME", a);
      c->output_module = strndup(v, (size_t)(colon - v));
      c->opts.stub_output_module = c->output_module;
      c->opts.stub_output_name = colon + 1;
    } else if (strncmp(a, "--verify", 8) == 0) {
      v = option_value(argc, argv, &i, "--verify");
      if (!v) return usage_error("%s needs fast, full or none", a);
      if (strcmp(v, "fast") == 0) c->opts.verify = TW_VERIFY_FAST;
      else if (strcmp(v, "full") == 0) c->opts.verify = TW_VERIFY_FULL;
      else if (strcmp(v, "none") == 0) c->opts.verify = TW_VERIFY_NONE;
      else return usage_error("unknown verification mode '%s' (fast, full or none)", v);
    } else {
      return usage_error("unknown option '%s'", a);
    }
  }
  if (!c->input) return usage_error("%s", "no input file");
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

static int io_error(const char *path, const char *what) {
  fprintf(stderr, "wasm-taskwrap: %s: error: %s: %s\n", path, what, strerror(errno));
  return EXIT_BAD;
}

static int read_all(const char *path, uint8_t **data, size_t *size) {
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  if (!f) return io_error(path, "cannot open input");
  /* A regular file's size is known: one exact allocation keeps peak memory
   * at input + output rather than up to twice the input while growing. */
  struct stat st;
  size_t cap = 1 << 16, len = 0;
  if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
      (uintmax_t)st.st_size < SIZE_MAX)
    cap = (size_t)st.st_size + 1; /* +1: end of file shows as a short read */
  uint8_t *buf = malloc(cap);
  int rc = EXIT_OK;
  for (;;) {
    if (!buf) {
      errno = ENOMEM;
      rc = io_error(display_name(path), "cannot read input");
      break;
    }
    const size_t n = fread(buf + len, 1, cap - len, f);
    len += n;
    if (n == 0) {
      if (ferror(f)) rc = io_error(display_name(path), "cannot read input");
      break;
    }
    if (len == cap) {
      uint8_t *nb = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
      if (!nb) free(buf);
      buf = nb;
      cap *= 2;
    }
  }
  if (f != stdin) fclose(f);
  if (rc != EXIT_OK) {
    free(buf);
    return rc;
  }
  *data = buf;
  *size = len;
  return EXIT_OK;
}

static int write_fd(int fd, const uint8_t *p, size_t n) {
  while (n > 0) {
    const ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* Write to a temporary file in the destination's directory, then rename:
 * the destination is either the whole new module or untouched. */
static int write_output(const char *path, const uint8_t *p, size_t n) {
  if (strcmp(path, "-") == 0) {
    if (write_fd(STDOUT_FILENO, p, n) != 0) return io_error("<stdout>", "cannot write output");
    return EXIT_OK;
  }
  const size_t len = strlen(path);
  char *tmp = malloc(len + 16);
  if (!tmp) return io_error(path, "cannot write output");
  memcpy(tmp, path, len);
  memcpy(tmp + len, ".tmp-XXXXXX", 12);
  const int fd = mkstemp(tmp);
  if (fd < 0) {
    const int e = errno;
    free(tmp);
    errno = e;
    return io_error(path, "cannot create output");
  }
  /* A new file gets the usual 0666 & ~umask; a file being replaced keeps its
   * permission bits (a post-link step must not turn wasm-ld's 0755 into 0644). */
  const mode_t mask = umask(0);
  umask(mask);
  struct stat old;
  const mode_t mode = stat(path, &old) == 0 ? (old.st_mode & 07777) : (0666 & ~mask);
  int rc = EXIT_OK;
  if (fchmod(fd, mode) != 0 || write_fd(fd, p, n) != 0 || fsync(fd) != 0) {
    rc = io_error(path, "cannot write output");
    close(fd);
  } else if (close(fd) != 0) {
    rc = io_error(path, "cannot write output");
  } else if (rename(tmp, path) != 0) {
    rc = io_error(path, "cannot rename output into place");
  }
  if (rc != EXIT_OK) unlink(tmp);
  free(tmp);
  return rc;
}

static int same_file(const char *a, const char *b) {
  struct stat sa, sb;
  if (strcmp(a, "-") == 0 || strcmp(b, "-") == 0) return 0;
  if (stat(a, &sa) != 0 || stat(b, &sb) != 0) return 0;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* FILE:0xOFFSET for binary input, FILE:LINE:COLUMN for text (wabt's). */
static void report_error(const char *name, const tw_result *res) {
  if (tw_result_error_line(res) > 0)
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
  free(c.output_module);
  return rc;
}

static int run(cli *cp) {
  cli c = *cp;
  int rc = -1;
  if (c.output && same_file(c.input, c.output)) {
    fprintf(stderr,
            "wasm-taskwrap: %s: error: the output is the input file; write to another file "
            "and rename it\n",
            c.output);
    return EXIT_BAD;
  }
  uint8_t *data = NULL;
  size_t size = 0;
  rc = read_all(c.input, &data, &size);
  if (rc != EXIT_OK) return rc;

  const char *name = display_name(c.input);
  c.opts.input_name = name;
  tw_result *res = NULL;
  const tw_status st = tw_rewrite(data, size, &c.opts, &res);
  if (st != TW_OK) {
    report_error(name, res);
    tw_result_free(res);
    free(data);
    return EXIT_BAD;
  }
  for (size_t i = 0; i < tw_result_warning_count(res); i++)
    fprintf(stderr, "wasm-taskwrap: %s: warning: %s\n", name, tw_result_warning(res, i));

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
  if (rc == EXIT_OK && !c.dry_run) {
    size_t n = 0;
    const uint8_t *out = tw_result_output(res, &n);
    if (c.text) {
      const char *text = NULL;
      if (tw_result_output_text(res, &text, &n) != TW_OK) {
        report_error(name, res);
        rc = EXIT_BAD;
      }
      out = (const uint8_t *)text;
    }
    if (rc == EXIT_OK) rc = write_output(c.output, out, n);
  }
  tw_result_free(res);
  free(data);
  return rc == -1 ? EXIT_OK : rc;
}
