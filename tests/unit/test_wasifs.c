/* The embedded WASI data (src/wasifs.c; docs/abi.md, "Embedded WASI
 * data"): the options' validation, the segment's layout, the trees read
 * from disk, the lookup table and its function, and which stubs serve it. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, symlink */
#include "unit.h"

#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "builder.h"
#include "edit.h"
#include "emit.h"
#include "name.h"
#include "opcodes.h"
#include "options.h"
#include "plan.h"
#include "stubs.h"
#include "verify.h"
#include "wasifs.h"

static uint32_t le32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void test_lists_layout(void **state) {
  (void)state;
  static const char *const args[] = {"prog", "", "a b"};
  static const char *const env[] = {"A=1", "B=x=y"};
  tw_options o;
  tw_options_init(&o);
  o.stub_args = args, o.stub_args_count = 3;
  o.stub_env = env, o.stub_env_count = 2;
  tw_err err = {0};
  tw_wasi_image *img = tw_wasi_image_build(&o, &err);
  assert_non_null(img);
  /* 3 offsets, "prog\0" "\0" "a b\0", 2 offsets, "A=1\0" "B=x=y\0" */
  static const uint8_t want[] = {0, 0, 0, 0, 5, 0, 0, 0, 6, 0, 0, 0, 'p', 'r', 'o', 'g', 0, 0,
                                 'a', ' ', 'b', 0, 0, 0, 0, 0, 4, 0, 0, 0, 'A', '=', '1', 0,
                                 'B', '=', 'x', '=', 'y', 0};
  assert_int_equal(img->segment_len, sizeof want);
  assert_memory_equal(img->segment, want, sizeof want);
  assert_int_equal(img->args.count, 3);
  assert_int_equal(img->args.table_at, 0);
  assert_int_equal(img->args.strings_at, 12);
  assert_int_equal(img->args.size, 10);
  assert_int_equal(img->env.table_at, 22);
  assert_int_equal(img->env.strings_at, 30);
  assert_int_equal(img->env.size, 10);
  assert_true(tw_wasi_image_used(img));
  tw_stub_env senv;
  memset(&senv, 0, sizeof senv);
  tw_wasi_stub_env(img, 7, &senv);
  assert_int_equal(senv.data_segment, 7);
  assert_int_equal(senv.argc, 3);
  assert_int_equal(senv.env_strings, 30);
  tw_wasi_image_free(img);
}

typedef struct vrow {
  const char *arg, *env, *dir;
  const char *message; /* a part of the error */
} vrow;

static void test_refused_values(void **state) {
  (void)state;
  static const vrow rows[] = {
      {"\xff", NULL, NULL, "--stub-wasi-arg value 1 is not valid UTF-8"},
      {NULL, "A=\xc3", NULL, "--stub-wasi-env value 1 is not valid UTF-8"},
      {NULL, "NOEQUALS", NULL, "needs NAME=VALUE with a non-empty NAME"},
      {NULL, "=value", NULL, "needs NAME=VALUE with a non-empty NAME"},
      {NULL, NULL, "=/", "needs GUEST=HOSTDIR, both non-empty"},
      {NULL, NULL, "/g=", "needs GUEST=HOSTDIR, both non-empty"},
      {NULL, NULL, "nodir", "needs GUEST=HOSTDIR, both non-empty"},
      {NULL, NULL, "\xfe=/", "GUEST is not valid UTF-8"},
      {NULL, NULL, "/g=/nonexistent/taskwrap-unit", "is not a directory"},
  };
  for (size_t i = 0; i < COUNT(rows); i++) {
    tw_options o;
    tw_options_init(&o);
    o.stub_args = &rows[i].arg, o.stub_args_count = rows[i].arg != NULL;
    o.stub_env = &rows[i].env, o.stub_env_count = rows[i].env != NULL;
    o.stub_dirs = &rows[i].dir, o.stub_dirs_count = rows[i].dir != NULL;
    tw_err err = {0};
    tw_wasi_image *img = tw_wasi_image_build(&o, &err);
    if (img) ROW_FAIL(i, "accepted, want \"%s\"", rows[i].message);
    if (err.code == TW_OK || !strstr(err.message, rows[i].message))
      ROW_FAIL(i, "message \"%s\", want \"%s\"", err.message, rows[i].message);
  }
}

/* Lists past the segment's limit are refused, never laid out: one list
 * alone past it (two arguments of 33 MiB), and both together (each under
 * it). */
static void test_lists_limit(void **state) {
  (void)state;
  const size_t big = 33u << 20;
  char *s = malloc(big + 1);
  assert_non_null(s);
  memset(s, 'a', big);
  s[big] = 0;
  const char *two[] = {s, s}, *one[] = {s};
  static const struct {
    size_t nargs, nenv;
  } rows[] = {{2, 0}, {0, 2}, {1, 1}};
  for (size_t i = 0; i < COUNT(rows); i++) {
    tw_options o;
    tw_options_init(&o);
    o.stub_args = rows[i].nargs == 2 ? two : one, o.stub_args_count = rows[i].nargs;
    o.stub_env = rows[i].nenv == 2 ? two : one, o.stub_env_count = rows[i].nenv;
    s[0] = rows[i].nenv ? 'A' : 'a', s[1] = rows[i].nenv ? '=' : 'a'; /* NAME=VALUE */
    tw_err err = {0};
    tw_wasi_image *img = tw_wasi_image_build(&o, &err);
    if (img) ROW_FAIL(i, "%zu bytes of lists laid out", (rows[i].nargs + rows[i].nenv) * big);
    if (!strstr(err.message, "passes the limit of 67108864 bytes"))
      ROW_FAIL(i, "message \"%s\"", err.message);
  }
  free(s);
}

static char dir[64]; /* the tree, under $TMPDIR */

static void put_file(const char *rel, const char *text) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, rel);
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static void make_tree(void) {
  const char *tmp = getenv("TMPDIR");
  snprintf(dir, sizeof dir, "%s/tw-unit-XXXXXX", tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
  assert_non_null(mkdtemp(dir));
  char path[256];
  snprintf(path, sizeof path, "%s/sub", dir);
  assert_int_equal(mkdir(path, 0755), 0);
  put_file("b.txt", "bb");
  put_file("a.txt", "hello");
  put_file("sub/z", "z");
}

static void remove_tree(void) {
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
}

static void test_tree(void **state) {
  (void)state;
  make_tree();
  char opt[128];
  snprintf(opt, sizeof opt, "/data=%s", dir);
  const char *dirs[] = {opt};
  tw_options o;
  tw_options_init(&o);
  o.stub_dirs = dirs, o.stub_dirs_count = 1;
  tw_err err = {0};
  tw_wasi_image *img = tw_wasi_image_build(&o, &err);
  if (!img) fail_msg("%s", err.message);
  /* the root, then its children sorted (a.txt, b.txt, sub), then sub's */
  assert_int_equal(img->nentries, 5);
  assert_int_equal(img->npreopens, 1);
  assert_int_equal(img->nfiles, 3);
  assert_int_equal(img->ndirs, 2);
  assert_int_equal(img->file_bytes, 8);
  static const char *const names[] = {"/data", "a.txt", "b.txt", "sub", "z"};
  for (uint32_t i = 0; i < 5; i++) assert_string_equal(img->entries[i].name, names[i]);
  assert_int_equal(img->entries[0].first, 1);
  assert_int_equal(img->entries[0].count, 3);
  assert_int_equal(img->entries[3].first, 4);
  assert_int_equal(img->entries[4].parent, 3);
  /* names in entry order, then the contents */
  static const char seg[] = "/dataa.txtb.txtsubzhellobbz";
  assert_int_equal(img->segment_len, sizeof seg - 1);
  assert_memory_equal(img->segment, seg, sizeof seg - 1);
  /* the table: a.txt (entry 1) is a file of 5 bytes at 19, parent 0 */
  assert_int_equal(img->rom[5 * 1 + 0], 0u << 1);
  assert_int_equal(img->rom[5 * 1 + 1], 5);
  assert_int_equal(img->rom[5 * 1 + 2], 19);
  assert_int_equal(img->rom[5 * 1 + 4], 5);
  /* sub (entry 3): a directory, one child from entry 4 */
  assert_int_equal(img->rom[5 * 3 + 0], 1u);
  assert_int_equal(img->rom[5 * 3 + 1], 4);
  assert_int_equal(img->rom[5 * 3 + 2], 1);
  /* the root's name "/data" packed from word 25 */
  const uint32_t w3 = img->rom[3];
  assert_int_equal(w3 & 0xff, 5);
  assert_int_equal(w3 >> 8, 25);
  assert_int_equal(img->rom[25], le32((const uint8_t *)"/dat"));
  assert_int_equal(img->rom[26], 'a');
  /* the slots: the one preopen open, the rest closed */
  int64_t init[TW_WASI_SLOTS];
  tw_wasi_slot_init(img, init);
  assert_int_equal(init[0], 1 | 0x10000);
  assert_int_equal(init[1], 0);
  /* the lookup function: a binary search with the words at its leaves */
  tw_buf b = {0};
  tw_wasi_encode_rom(&b, img);
  assert_false(b.failed);
  assert_int_equal(b.data[0], 0); /* no locals */
  assert_int_equal(b.data[1], OP_LOCAL_GET);
  assert_int_equal(b.data[b.len - 1], OP_END);
  tw_buf_free(&b);
  tw_wasi_image_free(img);

  /* A symbolic link is refused, naming it. */
  char link[256], target[256];
  snprintf(link, sizeof link, "%s/sub/link", dir);
  snprintf(target, sizeof target, "%s/a.txt", dir);
  assert_int_equal(symlink(target, link), 0);
  memset(&err, 0, sizeof err);
  assert_null(tw_wasi_image_build(&o, &err));
  assert_non_null(strstr(err.message, "sub/link is a symbolic link"));
  remove_tree();
}

static void test_classify(void **state) {
  (void)state;
  /* (i32 i32) -> i32 and (i32) -> i32, as the builder would write them */
  tw_module m;
  memset(&m, 0, sizeof m);
  static const uint8_t types[] = {VT_I32, VT_I32, VT_I32};
  m.data = types;
  const tw_functype two = {true, 2, 1, 0, 2, 2, 3}, one = {true, 1, 1, 0, 1, 2, 3};
  bool mismatch = false;
  const uint8_t *prestat = (const uint8_t *)"fd_prestat_get";
  assert_int_equal(tw_stub_classify(&m, prestat, 14, &two, 0, &mismatch), TW_STUB_EBADF);
  assert_int_equal(tw_stub_classify(&m, prestat, 14, &two, TW_EMBED_ARGS, &mismatch), TW_STUB_EBADF);
  assert_int_equal(tw_stub_classify(&m, prestat, 14, &two, TW_EMBED_FILES, &mismatch),
                   TW_STUB_FS_FD_PRESTAT_GET);
  const uint8_t *close = (const uint8_t *)"fd_close";
  assert_int_equal(tw_stub_classify(&m, close, 8, &one, TW_EMBED_FILES, &mismatch),
                   TW_STUB_FS_FD_CLOSE);
  const uint8_t *args = (const uint8_t *)"args_get";
  assert_int_equal(tw_stub_classify(&m, args, 8, &two, 0, &mismatch), TW_STUB_SUCCESS);
  assert_int_equal(tw_stub_classify(&m, args, 8, &two, TW_EMBED_ENV, &mismatch), TW_STUB_SUCCESS);
  assert_int_equal(tw_stub_classify(&m, args, 8, &two, TW_EMBED_ARGS, &mismatch), TW_STUB_ARGS_GET);
  const uint8_t *env = (const uint8_t *)"environ_sizes_get";
  assert_int_equal(tw_stub_classify(&m, env, 17, &two, TW_EMBED_ENV, &mismatch), TW_STUB_ENV_SIZES);
  const uint8_t *sync = (const uint8_t *)"fd_datasync", *renumber = (const uint8_t *)"fd_renumber";
  assert_int_equal(tw_stub_classify(&m, sync, 11, &one, 0, &mismatch), TW_STUB_EBADF);
  assert_int_equal(tw_stub_classify(&m, sync, 11, &one, TW_EMBED_FILES, &mismatch), TW_STUB_FS_FD_SYNC);
  assert_int_equal(tw_stub_classify(&m, renumber, 11, &two, TW_EMBED_FILES, &mismatch),
                   TW_STUB_FS_FD_RENUMBER);
  assert_false(tw_stub_needs_memory(TW_STUB_FS_FD_RENUMBER));
  assert_true(tw_stub_needs_memory(TW_STUB_FS_PATH_READLINK)); /* it reads the path */
  /* a known name with another type keeps the generic stub */
  assert_int_equal(tw_stub_classify(&m, prestat, 14, &one, TW_EMBED_FILES, &mismatch), TW_STUB_EBADF);
  assert_true(mismatch);
}

/* Untrusted names in messages (name.h): valid UTF-8 stays, everything a
 * terminal could take as a command or that is not UTF-8 is \hh. */
static void test_describe(void **state) {
  (void)state;
  static const struct {
    const char *in, *want;
  } rows[] = {
      {"a\xff\x1b[31mb", "a\\ff\\1b[31mb"},
      {"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"},
      {"\xc2\x9b" "2J", "\\c2\\9b2J"},           /* C1 CSI */
      {"\xc2\xa0", "\xc2\xa0"},                    /* U+00A0 is no control */
      {"x\xed\xa0\x80", "x\\ed\\a0\\80"},        /* a surrogate */
      {"\xe2\x82", "\\e2\\82"},                    /* cut short */
      {"\xc0\xaf", "\\c0\\af"},                    /* overlong */
      {"q\"\\\n", "q\\22\\5c\\0a"},
  };
  char out[64];
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    tw_name_describe((const uint8_t *)rows[i].in, strlen(rows[i].in), out, sizeof out);
    assert_string_equal(out, rows[i].want);
  }
  /* cut to fit: never a sequence split, never past cap */
  memset(out, 'Z', sizeof out);
  tw_name_describe((const uint8_t *)"\xf0\x9f\x98\x80\xf0\x9f\x98\x80", 8, out, 9);
  assert_string_equal(out, "\xf0\x9f\x98\x80");
  assert_int_equal(out[9], 'Z');
}

/* The table lookup's type [i32] -> [i32]: the input's when it has one,
 * else appended after its types (edit.h, tw_edit_type). The verifier reads
 * the appended type itself: an edit that appends one the input has, one
 * no added function needs, or gives the lookup another type, is refused on
 * the segment list and on the bytes. */
typedef enum { AT_NONE, AT_APPEND_PRESENT, AT_APPEND_UNUSED, AT_ROM_OTHER } at_tamper;

static void test_added_type(void **state) {
  (void)state;
  make_tree();
  char opt[128];
  snprintf(opt, sizeof opt, "/d=%s", dir);
  const char *dirs[] = {opt};
  static const char *const notype[] = {"ii->i"}, *const withtype[] = {"ii->i", "i->i"};
  static const mb_import imps[] = {{"wasi_snapshot_preview1", "fd_prestat_get", 0, 0, {0}},
                                   {"wasi_snapshot_preview1", "fd_close", 0, 1, {0}}};
  static const struct {
    bool has_type;
    at_tamper tamper;
    uint32_t want_type; /* the lookup's type in the output */
    const char *message; /* NULL: accepted */
  } rows[] = {
      {false, AT_NONE, 1, NULL},
      {true, AT_NONE, 1, NULL},
      {true, AT_APPEND_PRESENT, 2, "appends the type [i32] -> [i32], and input type 1 is one"},
      {false, AT_APPEND_UNUSED, 2, "appends the type [i32] -> [], and no added function"},
      {false, AT_ROM_OTHER, 0, "appends the type [i32] -> [i32], and no added function"},
  };
  for (size_t i = 0; i < COUNT(rows); i++) {
    const mb_module mod = {.types = rows[i].has_type ? withtype : notype,
                           .ntypes = rows[i].has_type ? 2 : 1, .imports = imps,
                           .nimports = rows[i].has_type ? 2 : 1,
                           .sections = {[5] = {B(0x01, 0x00, 0x01)}}};
    wb in = {0};
    mb_build(&in, &mod, NULL);
    tw_module m;
    tw_edit e;
    tw_out out = {0};
    tw_err err = {0};
    assert_true(tw_module_parse(&m, in.d, in.n, &err));
    tw_options o;
    tw_options_init(&o);
    o.stub_wasi = 1;
    o.stub_dirs = dirs, o.stub_dirs_count = 1;
    if (!tw_edit_init(&e, &m, &err) || !tw_plan_task_hooks(&e, &o, &err) ||
        !tw_plan_stub_wasi(&e, &o, &err))
      ROW_FAIL(i, "planning: %s", err.message);
    assert_int_not_equal(e.rom_fn, TW_NONE);
    tw_fn *rom = &e.fns[e.rom_fn - m.nfuncs];
    assert_int_equal(e.add_type[TW_TYPE_ROM], !rows[i].has_type);
    if (rows[i].tamper == AT_APPEND_PRESENT)
      e.add_type[TW_TYPE_ROM] = true, rom->type = TW_TYPE_PENDING + TW_TYPE_ROM;
    if (rows[i].tamper == AT_APPEND_UNUSED) e.add_type[TW_TYPE_HOOK] = true;
    if (rows[i].tamper == AT_ROM_OTHER) rom->type = 0;
    if (!tw_edit_finalise(&e, &err) || !tw_emit(&m, &e, &out, &err))
      ROW_FAIL(i, "emitting: %s", err.message);
    if (rom->type != rows[i].want_type)
      ROW_FAIL(i, "the lookup has type %u, want %u", rom->type, rows[i].want_type);
    tw_err seg = {0}, bytes = {0};
    const bool seg_ok = tw_verify_segments(&m, &e, &out, &seg);
    uint8_t *flat = malloc((size_t)out.size);
    assert_non_null(flat);
    assert_true(tw_out_read(&out, in.d, 0, flat, (size_t)out.size));
    const bool bytes_ok = tw_verify_bytes(&m, &e, flat, (size_t)out.size, &bytes);
    if (rows[i].message == NULL && (!seg_ok || !bytes_ok))
      ROW_FAIL(i, "refused: %s %s", seg.message, bytes.message);
    if (rows[i].message != NULL &&
        (seg_ok || bytes_ok || !strstr(seg.message, rows[i].message) ||
         !strstr(bytes.message, rows[i].message)))
      ROW_FAIL(i, "accepted or refused for something else: \"%s\" / \"%s\"", seg.message,
               bytes.message);
    free(flat);
    tw_out_free(&out);
    tw_edit_free(&e);
    tw_module_free(&m);
    wb_free(&in);
  }
  remove_tree();
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_lists_layout),
      cmocka_unit_test(test_refused_values),
      cmocka_unit_test(test_lists_limit),
      cmocka_unit_test(test_tree),
      cmocka_unit_test(test_classify),
      cmocka_unit_test(test_describe),
      cmocka_unit_test(test_added_type),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
