/* wasm-taskwrap --check-link (linkcheck.h): each library is planned as
 * `wasm-taskwrap --abi ABI` would rewrite it, and the set is checked
 * against docs/abi.md, "Shared libraries": one library defines the hook;
 * once any library is rewritten, every library is, so that the hook runs
 * once for each lifted export, never twice and never not at all. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "dylink.h"
#include "edit.h"
#include "linkcheck.h"
#include "map.h"
#include "module.h"
#include "name.h"
#include "opcodes.h"
#include "report.h"
#include "taskwrap.h"
#include "world.h"

typedef struct lib {
  const char *name, *path;
  char *owned_name;
  tw_result *res;
  bool ok;                 /* planned: the facts below are known */
  long defines_public;     /* export offset of the public hook, or -1 */
  long defines_private;    /* export offset of the private hook, or -1 */
  long imports_private;    /* import offset of env.<private>, or -1 */
  long imports_public;     /* import offset of env.<public hook>, or -1 */
  long unwrapped;          /* export that a rewrite would wrap, or -1 */
  tw_abi private_abi;      /* the ABI its private names belong to, or TW_ABI_NONE */
  long private_at;         /* where the first of them is */
  long bad_type;           /* import offset of a private import of the wrong type, or -1 */
  struct tw_world *world;  /* its embedded world, or NULL */
} lib;

static int usage(const char *msg, const char *arg) {
  fprintf(stderr, "wasm-taskwrap: --check-link: ");
  fprintf(stderr, msg, arg);
  fprintf(stderr, "\nTry 'wasm-taskwrap --help'.\n");
  return 2;
}

/* NAME=FILE, or FILE named after its file name, as `wasm-tools component
 * link` names it (libfoo.1.so is "libfoo.1.so"). */
static void name_library(lib *l, const char *arg) {
  const char *eq = strchr(arg, '=');
  if (eq && eq > arg) {
    l->owned_name = malloc((size_t)(eq - arg) + 1);
    if (l->owned_name) memcpy(l->owned_name, arg, (size_t)(eq - arg)), l->owned_name[eq - arg] = 0;
    l->path = eq + 1;
  } else {
    const char *base = arg;
    for (const char *p = arg; *p; p++)
      if (*p == '/' || *p == '\\') base = p + 1;
    const size_t n = strlen(base);
    l->owned_name = malloc(n + 1);
    if (l->owned_name) memcpy(l->owned_name, base, n), l->owned_name[n] = 0;
    l->path = arg;
  }
  l->name = l->owned_name ? l->owned_name : arg;
}

static long find_export(const tw_module *m, const char *name) {
  for (uint32_t i = 0; i < m->nexports; i++)
    if (tw_name_is(m->data + m->exports[i].name, m->exports[i].name_len, name))
      return (long)m->exports[i].start;
  return -1;
}

static long find_env_import(const tw_module *m, const char *name) {
  for (uint32_t i = 0; i < m->nimports; i++) {
    const tw_import *im = &m->imports[i];
    if (tw_name_is(m->data + im->mod, im->mod_len, TW_DYLINK_IMPORT_MODULE) &&
        tw_name_is(m->data + im->name, im->name_len, name))
      return (long)im->start;
  }
  return -1;
}

static void fail(const lib *l, long at, const char *msg, const char *a, const char *b) {
  fprintf(stderr, "wasm-taskwrap: %s:0x%lx: error: library %s ", l->path, at < 0 ? 0L : at, l->name);
  fprintf(stderr, msg, a, b);
  fputc('\n', stderr);
}

/* Which ABI the library's private names (docs/abi.md, "Shared libraries")
 * belong to, whatever --abi says, and whether an import of one has the
 * type the definer's export has: [i32] -> [] for the task hook, [] -> []
 * for the init-task pair. */
static void private_names(lib *l) {
  const tw_module *m = &l->res->m;
  l->private_abi = TW_ABI_NONE, l->private_at = -1, l->bad_type = -1;
  for (uint32_t i = 0; i < m->nexports + m->nimports; i++) {
    const bool exp = i < m->nexports;
    const tw_import *im = exp ? NULL : &m->imports[i - m->nexports];
    const uint8_t *name = exp ? m->data + m->exports[i].name : m->data + im->name;
    const size_t len = exp ? m->exports[i].name_len : im->name_len;
    if (!exp && !tw_name_is(m->data + im->mod, im->mod_len, TW_DYLINK_IMPORT_MODULE)) continue;
    const bool task = tw_name_is(name, len, TW_PRIVATE_TASK_HOOK);
    if (!task && !tw_dylink_is_private(name, len)) continue;
    const tw_abi abi = task ? TW_ABI_TASK_HOOK : TW_ABI_INIT_TASK;
    if (l->private_abi == TW_ABI_NONE) {
      l->private_abi = abi;
      l->private_at = (long)(exp ? m->exports[i].start : im->start);
    }
    if (!exp && im->kind == TW_KIND_FUNC && l->bad_type < 0) {
      const tw_functype *t = im->type < m->ntypes ? &m->types[im->type] : NULL;
      const bool right = t && t->is_func && t->nresults == 0 &&
                         (task ? t->nparams == 1 && m->data[t->params] == VT_I32 : t->nparams == 0);
      if (!right) l->bad_type = (long)im->start;
    }
  }
}

/* The library as the rewrite would plan it, and the names it holds. */
static bool plan_library(lib *l, tw_abi abi) {
  tw_options o;
  tw_options_init(&o);
  o.abi = abi;
  o.input_name = l->path;
  if (tw_rewrite_file(l->path, &o, &l->res) != TW_OK) {
    const tw_result *r = l->res;
    fprintf(stderr, "wasm-taskwrap: %s:0x%llx: error: %s\n", l->path,
            (unsigned long long)tw_result_error_offset(r), tw_result_error_message(r));
    return false;
  }
  const tw_module *m = &l->res->m;
  const tw_edit *e = &l->res->edit;
  if (e->lib == TW_LIB_NONE) {
    fprintf(stderr, "wasm-taskwrap: %s:0x0: error: not a shared library (no dylink.0 section)\n",
            l->path);
    return false;
  }
  const bool task_hook = abi == TW_ABI_TASK_HOOK;
  const char *pub = task_hook ? "__wasm_task_hook" : "__wasm_init_task";
  const char *priv = tw_dylink_import_name(abi);
  l->defines_public = find_export(m, pub);
  l->defines_private = find_export(m, priv);
  l->imports_private = find_env_import(m, priv);
  l->imports_public = find_env_import(m, pub);
  l->unwrapped = -1;
  tw_err scratch = {0};
  if (!tw_world_decode(m, &l->world, &scratch)) l->world = NULL;
  for (uint32_t i = 0; e->lib == TW_LIB_IMPORTS && i < m->nexports && l->unwrapped < 0; i++)
    if (e->exports[i].wrapper != TW_NONE) l->unwrapped = (long)i;
  private_names(l);
  return l->ok = true;
}

static const char *state(const lib *l) {
  if (l->defines_private >= 0) return "defines the hook under its private name (rewritten)";
  if (l->defines_public >= 0) return "defines the hook (not rewritten)";
  if (l->imports_private >= 0) return "imports the hook under its private name (rewritten)";
  if (l->unwrapped >= 0) return "has exports to wrap (not rewritten)";
  return "nothing to wrap";
}

/* Does the rewrite wrap this export of library l (docs/abi.md, "Shared
 * libraries": the names the link path wraps in every library, then the
 * world's lifted exports)? Rewritten or not, the answer is the same. */
static bool wrapped_in(const lib *l, const uint8_t *name, size_t len, tw_abi abi) {
  tw_role r = tw_dylink_role_by_name(name, len);
  if (r == TW_ROLE_UNLIFTED && l->world) {
    tw_wit_match why;
    r = tw_world_classify(l->world, name, len, &why);
    if (r == TW_ROLE_REALLOC || r == TW_ROLE_INITIALIZE) r = TW_ROLE_UNLIFTED;
  }
  uint8_t codes[2];
  return tw_role_hook_codes(r, abi, false, codes) > 0;
}

/* Every library's wrapped function exports by name, so that each import is
 * looked up once (the check stays linear in exports and imports): a chain
 * of (library, export) per name, its head in the map. */
typedef struct xref {
  uint32_t lib, exp;
  uint32_t next; /* the next ref of the same name + 1, or 0 */
} xref;

typedef struct xindex {
  const lib *v;
  xref *refs;
  tw_map map;
} xindex;

typedef struct xprobe {
  const xindex *x;
  const uint8_t *name;
  size_t len;
} xprobe;

static bool xref_eq(const void *ctx, uint64_t stored, uint64_t key) {
  (void)key;
  const xprobe *p = ctx;
  const xref *r = &p->x->refs[stored];
  const tw_module *m = &p->x->v[r->lib].res->m;
  const tw_export *e = &m->exports[r->exp];
  return e->name_len == p->len && memcmp(m->data + e->name, p->name, p->len) == 0;
}

static bool xindex_build(xindex *x, const lib *v, size_t n, tw_abi abi) {
  size_t total = 0;
  for (size_t j = 0; j < n; j++)
    if (v[j].ok) total += v[j].res->m.nexports;
  x->v = v;
  x->refs = malloc((total ? total : 1) * sizeof *x->refs);
  if (!x->refs || !tw_map_init(&x->map, total)) return false;
  uint32_t k = 0;
  for (size_t j = 0; j < n; j++) {
    if (!v[j].ok) continue;
    const tw_module *m = &v[j].res->m;
    for (uint32_t e = 0; e < m->nexports; e++) {
      const tw_export *ex = &m->exports[e];
      if (ex->kind != TW_KIND_FUNC || !wrapped_in(&v[j], m->data + ex->name, ex->name_len, abi))
        continue;
      x->refs[k] = (xref){(uint32_t)j, e, 0};
      const xprobe p = {x, m->data + ex->name, ex->name_len};
      bool found = false;
      const size_t s = tw_map_slot(&x->map, tw_hash_bytes(p.name, p.len), 0, xref_eq, &p, &found);
      if (found) {
        xref *head = &x->refs[x->map.keys[s] - 1];
        x->refs[k].next = head->next;
        head->next = k + 1;
      } else {
        x->map.keys[s] = (uint64_t)k + 1;
      }
      k++;
    }
  }
  return true;
}

static void xindex_free(xindex *x) {
  free(x->refs);
  tw_map_free(&x->map);
}

/* The library other than v[self] that exports function `name` wrapped, or
 * NULL. */
static const lib *wrapped_exporter(const xindex *x, size_t self, const uint8_t *name,
                                   size_t len) {
  const xprobe p = {x, name, len};
  bool found = false;
  const size_t s = tw_map_slot(&x->map, tw_hash_bytes(name, len), 0, xref_eq, &p, &found);
  for (uint32_t r = found ? (uint32_t)x->map.keys[s] : 0; r; r = x->refs[r - 1].next)
    if (x->refs[r - 1].lib != self) return &x->v[x->refs[r - 1].lib];
  return NULL;
}

/* Calls into another library's wrapped export. Through `env` (a warning,
 * not an error) the call runs the hook inside a running task, where the
 * link path's fixup module leaves such calls alone. Through `GOT.func` (a
 * function pointer: an error once the set is rewritten) the slot holds the
 * wrapper, whose hook starts a task on a fresh stack while one runs. */
static bool check_wrapped_imports(const lib *v, size_t n, tw_abi abi, bool rewritten) {
  xindex xi = {0};
  if (!xindex_build(&xi, v, n, abi)) {
    xindex_free(&xi);
    fputs("wasm-taskwrap: --check-link: out of memory\n", stderr);
    return false;
  }
  bool ok = true;
  for (size_t i = 0; i < n; i++) {
    if (!v[i].ok) continue;
    const tw_module *m = &v[i].res->m;
    for (uint32_t k = 0; k < m->nimports; k++) {
      const tw_import *im = &m->imports[k];
      const bool env = im->kind == TW_KIND_FUNC &&
                       tw_name_is(m->data + im->mod, im->mod_len, TW_DYLINK_IMPORT_MODULE);
      const bool got = rewritten && tw_name_is(m->data + im->mod, im->mod_len, "GOT.func");
      if (!env && !got) continue;
      const uint8_t *name = m->data + im->name;
      const lib *x = wrapped_exporter(&xi, i, name, im->name_len);
      if (!x) continue;
      char nm[80];
      tw_name_describe(name, im->name_len, nm, sizeof nm);
      if (got) {
        fail(&v[i], (long)im->start, "takes the address of %s through GOT.func, which library "
             "%s exports wrapped: a call through that pointer would run the task hook inside a "
             "running task", nm, x->name);
        ok = false;
        continue;
      }
      fprintf(stderr, "wasm-taskwrap: %s:0x%lx: warning: library %s imports env.%s, which "
              "library %s exports wrapped: its calls run the task hook inside a running task, "
              "where the link path's component calls %s directly\n", v[i].path,
              (long)im->start, v[i].name, nm, x->name, nm);
    }
  }
  xindex_free(&xi);
  return ok;
}

/* The rules of docs/abi.md, "Shared libraries"; every library is judged. */
static bool check_set(lib *v, size_t n, tw_abi abi) {
  const char *pub = abi == TW_ABI_TASK_HOOK ? "__wasm_task_hook" : "__wasm_init_task";
  const char *priv = tw_dylink_import_name(abi);
  bool ok = true, rewritten = false;
  const lib *definer = NULL, *private_definer = NULL, *public_definer = NULL;
  for (size_t i = 0; i < n; i++) {
    if (!v[i].ok) continue;
    rewritten |= v[i].defines_private >= 0 || v[i].imports_private >= 0;
    if (v[i].defines_private >= 0) private_definer = &v[i];
    if (v[i].defines_public >= 0) public_definer = &v[i];
    for (size_t j = 0; j < i; j++)
      if (strcmp(v[i].name, v[j].name) == 0) {
        fail(&v[i], 0, "is given twice (also as %s)%s", v[j].path, "");
        ok = false;
      }
    if (v[i].defines_private < 0 && v[i].defines_public < 0) continue;
    if (definer) {
      fail(&v[i], v[i].defines_private >= 0 ? v[i].defines_private : v[i].defines_public,
           "defines the task hook, and so does library %s: one library of a set may define "
           "it%s", definer->name, "");
      ok = false;
    } else {
      definer = &v[i];
    }
  }
  for (size_t i = 0; rewritten && i < n; i++) {
    lib *l = &v[i];
    if (!l->ok) continue;
    const tw_module *m = &l->res->m;
    if (l->defines_public >= 0) {
      fail(l, l->defines_public, "still exports %s beside rewritten libraries: `wasm-tools "
           "component link` would wrap their wrapped exports a second time; rewrite it too%s",
           pub, "");
      ok = false;
    }
    if (l->unwrapped >= 0) {
      const tw_export *x = &m->exports[l->unwrapped];
      char nm[80];
      tw_name_describe(m->data + x->name, x->name_len, nm, sizeof nm);
      fail(l, (long)x->start, "has exports the task hook must wrap (\"%s\") and was not "
           "rewritten: the hook would never run for them; rewrite it with --abi %s", nm,
           tw_abi_name(abi));
      ok = false;
    }
    if (l->imports_private >= 0 && !private_definer) {
      fail(l, l->imports_private, "imports env.%s, and no library of the set exports it: "
           "rewrite the library that defines %s too", priv, pub);
      ok = false;
    }
    if (l->imports_public >= 0 && !public_definer) {
      fail(l, l->imports_public, "imports env.%s, which no library exports once the hook has "
           "its private name (%s)", pub, priv);
      ok = false;
    }
  }
  return ok;
}

/* One ABI for the whole set: the private names present decide it when
 * --abi does not (the libraries are planned again under it), and a set
 * that holds both ABIs' private names, or a private import whose type is
 * not the hook's, cannot link. */
static bool check_abis(lib *v, size_t n, tw_abi *abi, bool given) {
  const lib *first[3] = {NULL, NULL, NULL};
  bool ok = true;
  for (size_t i = 0; i < n; i++) {
    if (!v[i].ok) continue;
    if (v[i].private_abi != TW_ABI_NONE && !first[v[i].private_abi]) first[v[i].private_abi] = &v[i];
    if (v[i].bad_type >= 0) {
      fail(&v[i], v[i].bad_type, "imports the hook under its private name with a type that is "
           "not the hook's%s%s", "", "");
      ok = false;
    }
  }
  const lib *task = first[TW_ABI_TASK_HOOK], *init = first[TW_ABI_INIT_TASK];
  if (task && init) {
    fail(init, init->private_at, "holds the init-task pair's private names, and library %s the "
         "task hook's: rewrite every library with the same --abi%s", task->name, "");
    return false;
  }
  const tw_abi found = task ? TW_ABI_TASK_HOOK : init ? TW_ABI_INIT_TASK : *abi;
  if (found == *abi) return ok;
  if (given) {
    const lib *l = task ? task : init;
    fail(l, l->private_at, "was rewritten with --abi %s, not the --abi given%s",
         tw_abi_name(found), "");
    return false;
  }
  *abi = found;
  for (size_t i = 0; i < n; i++) {
    tw_world_free(v[i].world);
    tw_result_free(v[i].res);
    v[i].world = NULL, v[i].res = NULL, v[i].ok = false;
    ok &= plan_library(&v[i], found);
  }
  return ok;
}

int tw_check_link_main(int argc, char **argv) {
  tw_abi abi = TW_ABI_TASK_HOOK;
  bool abi_given = false;
  int first = 2;
  if (first < argc && strncmp(argv[first], "--abi", 5) == 0) {
    const char *v = argv[first][5] == '=' ? argv[first] + 6
                  : argv[first][5] == 0 && first + 1 < argc ? argv[++first]
                                                            : NULL;
    if (!v || (strcmp(v, "task-hook") != 0 && strcmp(v, "init-task") != 0))
      return usage("%s", "--abi takes task-hook or init-task");
    abi = strcmp(v, "task-hook") == 0 ? TW_ABI_TASK_HOOK : TW_ABI_INIT_TASK;
    abi_given = true;
    first++;
  }
  bool dashes = false;
  if (first < argc && strcmp(argv[first], "--") == 0) first++, dashes = true;
  const size_t n = argc > first ? (size_t)(argc - first) : 0;
  if (n == 0) return usage("%s", "no library given");
  for (int i = first; i < argc && !dashes; i++)
    if (argv[i][0] == '-') return usage("unknown option '%s' (options go before the libraries)", argv[i]);
  for (int i = first; i < argc; i++) {
    const char *eq = strchr(argv[i], '=');
    if (eq && eq > argv[i] && !eq[1]) return usage("'%s' names no file", argv[i]);
  }
  lib *v = calloc(n, sizeof *v);
  if (!v) return fputs("wasm-taskwrap: --check-link: out of memory\n", stderr), 1;
  bool ok = true;
  for (size_t i = 0; i < n; i++) {
    name_library(&v[i], argv[first + (int)i]);
    ok &= plan_library(&v[i], abi);
  }
  ok &= check_abis(v, n, &abi, abi_given);
  ok &= check_set(v, n, abi);
  bool rewritten = false;
  for (size_t i = 0; i < n; i++)
    rewritten |= v[i].ok && (v[i].defines_private >= 0 || v[i].imports_private >= 0);
  ok &= check_wrapped_imports(v, n, abi, rewritten);
  for (size_t i = 0; i < n; i++)
    if (v[i].ok) printf("%s: %s: %s\n", v[i].name, v[i].path, state(&v[i]));
  for (size_t i = 0; i < n; i++) {
    tw_world_free(v[i].world);
    tw_result_free(v[i].res);
    free(v[i].owned_name);
  }
  free(v);
  return ok ? 0 : 1;
}
