/* The embedded WASI data (wasifs.h): options validated, trees read, the
 * segment laid out as docs/abi.md, "Embedded WASI data" says. */
#define _POSIX_C_SOURCE 200809L /* openat, fstatat, fdopendir */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef _WIN32
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

#include "alloc.h"
#include "name.h"
#include "opcodes.h"
#include "platform.h"
#include "wasifs.h"

static bool utf8(const char *s) { return tw_utf8_valid((const uint8_t *)s, strlen(s)); }

/* An untrusted string (an option's value, a host path) for a message: on
 * one line, escaped and cut as tw_name_describe does (name.h). */
enum { SHOWN = 200 };
static const char *show(const char *s, char out[SHOWN]) {
  tw_name_describe((const uint8_t *)s, strlen(s), out, SHOWN);
  return out;
}

/* ---- arguments and environment ------------------------------------------- */

static bool check_strings(const char *const *v, size_t n, bool env, tw_err *err) {
  const char *opt = env ? "--stub-wasi-env" : "--stub-wasi-arg";
  if (n > TW_WASI_MAX_STRINGS) {
    tw_err_set(err, TW_ERR_INVALID_ARG, 0, "%s: %zu values, more than the limit of %u", opt, n,
               TW_WASI_MAX_STRINGS);
    return false;
  }
  for (size_t i = 0; i < n; i++) {
    if (!v[i]) return tw_err_set(err, TW_ERR_INVALID_ARG, 0, "%s: no value", opt), false;
    /* Wasmtime passes only strings (UTF-8) as arguments and variables. */
    if (!utf8(v[i])) {
      tw_err_set(err, TW_ERR_INVALID_ARG, 0, "%s value %zu is not valid UTF-8", opt, i + 1);
      return false;
    }
    if (!env) continue;
    const char *eq = strchr(v[i], '=');
    if (!eq || eq == v[i]) {
      char shown[SHOWN];
      tw_err_set(err, TW_ERR_INVALID_ARG, 0, "%s '%s': needs NAME=VALUE with a non-empty NAME",
                 opt, show(v[i], shown));
      return false;
    }
  }
  return true;
}

/* ---- the trees ------------------------------------------------------------ */

typedef struct builder {
  tw_wasi_image *img;
  uint32_t cap;
  tw_err *err;
} builder;

static uint32_t add_entry(builder *b, const char *name, size_t len, uint32_t parent) {
  tw_wasi_image *img = b->img;
  if (img->nentries >= TW_WASI_MAX_ENTRIES) {
    tw_err_set(b->err, TW_ERR_UNSUPPORTED, 0,
               "--stub-wasi-dir: more than %u files and directories", TW_WASI_MAX_ENTRIES);
    return TW_NONE_ENTRY;
  }
  if (!tw_grow((void **)&img->entries, &b->cap, img->nentries, sizeof *img->entries)) {
    tw_err_set(b->err, TW_ERR_NOMEM, 0, "out of memory for the embedded files");
    return TW_NONE_ENTRY;
  }
  tw_wasi_entry *e = &img->entries[img->nentries];
  memset(e, 0, sizeof *e);
  e->parent = parent;
  e->name = malloc(len + 1);
  if (!e->name) {
    tw_err_set(b->err, TW_ERR_NOMEM, 0, "out of memory for the embedded files");
    return TW_NONE_ENTRY;
  }
  memcpy(e->name, name, len);
  e->name[len] = 0;
  e->name_len = (uint32_t)len;
  return img->nentries++;
}

#ifndef _WIN32
static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool changed(builder *b, const char *path) {
  char shown[SHOWN];
  tw_err_set(b->err, TW_ERR_CHANGED, 0, "--stub-wasi-dir: %s changed while it was read",
             show(path, shown));
  return false;
}

/* File `name` of directory dfd (host path `path`), which fstatat saw as
 * the regular file `seen`: opened without following a link and without
 * waiting (what replaced it may be a FIFO), it must still be that file, of
 * that size, from the first byte read to the last. */
static bool read_file(builder *b, int dfd, const char *name, const char *path, tw_wasi_entry *e,
                      const struct stat *seen) {
  const uint64_t size = (uint64_t)seen->st_size;
  char shown[SHOWN];
  if (size > TW_WASI_MAX_BYTES - b->img->file_bytes) {
    tw_err_set(b->err, TW_ERR_UNSUPPORTED, 0,
               "--stub-wasi-dir: %s: the embedded files pass the limit of %u bytes",
               show(path, shown), TW_WASI_MAX_BYTES);
    return false;
  }
  const int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0 && errno == ELOOP) return changed(b, path); /* a link now */
  if (fd < 0) {
    tw_err_set(b->err, TW_ERR_INVALID_ARG, 0, "--stub-wasi-dir: cannot read %s: %s",
               show(path, shown), strerror(errno));
    return false;
  }
  tw_file_state before, after;
  bool ok = tw_plat_fd_state(fd, &before) && before.regular &&
            before.dev == (uint64_t)seen->st_dev && before.ino == (uint64_t)seen->st_ino &&
            before.size == size;
  e->bytes = ok ? malloc(size ? (size_t)size : 1) : NULL;
  if (ok && !e->bytes) {
    close(fd);
    return tw_err_set(b->err, TW_ERR_NOMEM, 0, "out of memory for %s", show(path, shown)), false;
  }
  size_t got = 0;
  int read_errno = 0;
  while (ok && got < size) {
    const ssize_t n = read(fd, e->bytes + got, (size_t)size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) read_errno = errno;
    if (n <= 0) break;
    got += (size_t)n;
  }
  /* One byte more is one too many: the file grew. */
  uint8_t more;
  ssize_t extra = 0;
  while (ok && got == size && (extra = read(fd, &more, 1)) < 0 && errno == EINTR) {}
  if (ok && got == size && extra < 0) read_errno = errno;
  ok = ok && got == size && extra == 0 && tw_plat_fd_state(fd, &after) &&
       tw_file_state_same(&before, &after);
  close(fd);
  if (read_errno) {
    tw_err_set(b->err, TW_ERR_INVALID_ARG, 0, "--stub-wasi-dir: cannot read %s: %s",
               show(path, shown), strerror(read_errno));
    return false;
  }
  if (!ok) return changed(b, path);
  e->size = (uint32_t)size;
  b->img->file_bytes += size;
  b->img->nfiles++;
  return true;
}

static void free_names(char **v, size_t n) {
  for (size_t i = 0; i < n; i++) free(v[i]);
  free(v);
}

/* The names in directory dfd (host path `path`), sorted; NULL with err
 * set. No more than the entries' limit is kept in memory. */
static char **list_dir(builder *b, int dfd, const char *path, size_t *n) {
  const int own = dup(dfd); /* closedir closes it; dfd stays for openat */
  DIR *d = own >= 0 ? fdopendir(own) : NULL;
  char shown[SHOWN];
  if (!d) {
    tw_err_set(b->err, TW_ERR_INVALID_ARG, 0, "--stub-wasi-dir: cannot read the directory %s: %s",
               show(path, shown), strerror(errno));
    if (own >= 0) close(own);
    return NULL;
  }
  char **v = NULL;
  size_t cap = 0;
  *n = 0;
  bool ok = true, many = false;
  errno = 0;
  for (struct dirent *de; ok && (de = readdir(d)); errno = 0) {
    if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
    if (b->img->nentries + *n >= TW_WASI_MAX_ENTRIES) {
      ok = false, many = true;
      break;
    }
    const size_t len = strlen(de->d_name);
    char *copy = malloc(len + 1);
    ok = copy && tw_grow_to((void **)&v, &cap, *n + 1, TW_WASI_MAX_ENTRIES, sizeof *v);
    if (ok) memcpy(copy, de->d_name, len + 1), v[(*n)++] = copy;
    else free(copy);
  }
  const int list_errno = ok ? errno : 0;
  closedir(d);
  if (!ok || list_errno) {
    free_names(v, *n);
    if (many)
      tw_err_set(b->err, TW_ERR_UNSUPPORTED, 0,
                 "--stub-wasi-dir: more than %u files and directories", TW_WASI_MAX_ENTRIES);
    else if (list_errno)
      tw_err_set(b->err, TW_ERR_INVALID_ARG, 0,
                 "--stub-wasi-dir: cannot read the directory %s: %s", show(path, shown),
                 strerror(list_errno));
    else tw_err_set(b->err, TW_ERR_NOMEM, 0, "out of memory reading %s", show(path, shown));
    return NULL;
  }
  if (*n) qsort(v, *n, sizeof *v, by_name);
  if (!v) v = calloc(1, sizeof *v);
  if (!v) tw_err_set(b->err, TW_ERR_NOMEM, 0, "out of memory reading %s", show(path, shown));
  return v;
}

/* "path/name", or NULL with err set. */
static char *join(builder *b, const char *path, const char *name) {
  const size_t cap = strlen(path) + strlen(name) + 2;
  char *child = malloc(cap);
  char shown[SHOWN];
  if (child) snprintf(child, cap, "%s/%s", path, name);
  else tw_err_set(b->err, TW_ERR_NOMEM, 0, "out of memory reading %s", show(path, shown));
  return child;
}

/* One child of a directory: refused, or added (a file read). */
static bool add_child(builder *b, uint32_t dir, int dfd, const char *name, const char *child,
                      struct stat *st) {
  const size_t len = strlen(name);
  char shown[SHOWN];
  if (len > TW_WASI_MAX_NAME || !utf8(name)) {
    tw_err_set(b->err, TW_ERR_UNSUPPORTED, 0, "--stub-wasi-dir: %s: the name is %s",
               show(child, shown),
               len > TW_WASI_MAX_NAME ? "longer than 255 bytes" : "not valid UTF-8");
    return false;
  }
  if (fstatat(dfd, name, st, AT_SYMLINK_NOFOLLOW) != 0) {
    tw_err_set(b->err, TW_ERR_INVALID_ARG, 0, "--stub-wasi-dir: %s: %s", show(child, shown),
               strerror(errno));
    return false;
  }
  if (!S_ISREG(st->st_mode) && !S_ISDIR(st->st_mode)) {
    tw_err_set(b->err, TW_ERR_UNSUPPORTED, 0,
               "--stub-wasi-dir: %s is a %s: only regular files and directories are embedded",
               show(child, shown), S_ISLNK(st->st_mode) ? "symbolic link" : "special file");
    return false;
  }
  const uint32_t id = add_entry(b, name, len, dir);
  if (id == TW_NONE_ENTRY) return false;
  if (!S_ISDIR(st->st_mode)) return read_file(b, dfd, name, child, &b->img->entries[id], st);
  b->img->entries[id].is_dir = true;
  b->img->ndirs++;
  return true;
}

static bool read_dir(builder *b, uint32_t dir, int dfd, const char *path, unsigned depth);

/* Child directory `name` of dfd, which fstatat saw as `seen`: opened
 * without following a link, it must still be that directory. */
static bool read_subdir(builder *b, uint32_t id, int dfd, const char *name, const char *child,
                        const struct stat *seen, unsigned depth) {
  const int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0 && (errno == ELOOP || errno == ENOTDIR)) return changed(b, child); /* no directory now */
  if (fd < 0) {
    char shown[SHOWN];
    tw_err_set(b->err, TW_ERR_INVALID_ARG, 0, "--stub-wasi-dir: cannot read the directory %s: %s",
               show(child, shown), strerror(errno));
    return false;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || st.st_dev != seen->st_dev || st.st_ino != seen->st_ino) {
    close(fd);
    return changed(b, child);
  }
  return read_dir(b, id, fd, child, depth);
}

/* Directory entry `dir`, open as dfd (closed here), at host path `path`:
 * its children are added consecutively, then each child directory in turn
 * (so that every directory's children stay together). Every name is
 * looked up relative to dfd, never through a link. */
static bool read_dir(builder *b, uint32_t dir, int dfd, const char *path, unsigned depth) {
  char shown[SHOWN];
  if (depth > TW_WASI_MAX_DEPTH) {
    close(dfd);
    tw_err_set(b->err, TW_ERR_UNSUPPORTED, 0, "--stub-wasi-dir: %s: deeper than %u directories",
               show(path, shown), TW_WASI_MAX_DEPTH);
    return false;
  }
  size_t n = 0;
  char **names = list_dir(b, dfd, path, &n);
  if (!names) return close(dfd), false;
  struct stat *seen = calloc(n ? n : 1, sizeof *seen);
  bool ok = seen != NULL;
  if (!ok) tw_err_set(b->err, TW_ERR_NOMEM, 0, "out of memory reading %s", show(path, shown));
  const uint32_t first = b->img->nentries;
  for (size_t i = 0; ok && i < n; i++) {
    char *child = join(b, path, names[i]);
    ok = child && add_child(b, dir, dfd, names[i], child, &seen[i]);
    free(child);
  }
  if (ok) b->img->entries[dir].first = first, b->img->entries[dir].count = (uint32_t)n;
  for (size_t i = 0; ok && i < n; i++) {
    const uint32_t id = first + (uint32_t)i;
    if (!b->img->entries[id].is_dir) continue;
    char *child = join(b, path, names[i]);
    ok = child && read_subdir(b, id, dfd, names[i], child, &seen[i], depth + 1);
    free(child);
  }
  close(dfd);
  free(seen);
  free_names(names, n);
  return ok;
}
#endif

static bool read_trees(builder *b, const tw_options *o) {
  tw_wasi_image *img = b->img;
  if (o->stub_dirs_count > TW_WASI_MAX_PREOPENS) {
    tw_err_set(b->err, TW_ERR_INVALID_ARG, 0, "--stub-wasi-dir: %zu directories, more than the "
               "limit of %u", o->stub_dirs_count, TW_WASI_MAX_PREOPENS);
    return false;
  }
  /* The roots first: entries 0 .. npreopens-1. */
  char shown[SHOWN], shown_dir[SHOWN];
  for (size_t i = 0; i < o->stub_dirs_count; i++) {
    const char *v = o->stub_dirs[i];
    const char *eq = v ? strchr(v, '=') : NULL;
    if (!eq || eq == v || !eq[1]) {
      tw_err_set(b->err, TW_ERR_INVALID_ARG, 0,
                 "--stub-wasi-dir '%s': needs GUEST=HOSTDIR, both non-empty", show(v ? v : "", shown));
      return false;
    }
    if (!tw_utf8_valid((const uint8_t *)v, (size_t)(eq - v))) {
      tw_err_set(b->err, TW_ERR_INVALID_ARG, 0, "--stub-wasi-dir %zu: GUEST is not valid UTF-8",
                 i + 1);
      return false;
    }
    if ((size_t)(eq - v) > TW_WASI_MAX_NAME) {
      tw_err_set(b->err, TW_ERR_INVALID_ARG, 0, "--stub-wasi-dir %zu: GUEST is longer than %u "
                 "bytes", i + 1, TW_WASI_MAX_NAME);
      return false;
    }
#ifdef _WIN32
    /* The trees are read with POSIX calls only (openat, fstatat: no link
     * followed, no name looked up twice); HOSTDIR is still checked first,
     * so that a wrong one is said as on POSIX. */
    (void)add_entry;
    tw_file_state st;
    if (!tw_plat_path_state(eq + 1, &st) || st.regular) {
      tw_err_set(b->err, TW_ERR_INVALID_ARG, 0, "--stub-wasi-dir '%s': %s is not a directory",
                 show(v, shown), show(eq + 1, shown_dir));
      return false;
    }
    tw_err_set(b->err, TW_ERR_UNSUPPORTED, 0,
               "--stub-wasi-dir '%s': the Windows build cannot embed directories (it has "
               "no POSIX calls to read a tree with); embed them with the Linux or macOS build",
               show(v, shown));
    return false;
#else
    /* HOSTDIR is looked up as any path: a symbolic link there is followed
     * (as `cp -r HOSTDIR/` follows it); below it, none is (read_dir). */
    struct stat st;
    if (stat(eq + 1, &st) != 0 || !S_ISDIR(st.st_mode)) {
      tw_err_set(b->err, TW_ERR_INVALID_ARG, 0, "--stub-wasi-dir '%s': %s is not a directory",
                 show(v, shown), show(eq + 1, shown_dir));
      return false;
    }
    const uint32_t id = add_entry(b, v, (size_t)(eq - v), (uint32_t)i);
    if (id == TW_NONE_ENTRY) return false;
    img->entries[id].is_dir = true;
#endif
  }
  img->npreopens = img->nentries;
  img->ndirs = img->npreopens;
#ifndef _WIN32
  for (uint32_t i = 0; i < img->npreopens; i++) {
    const char *host = strchr(o->stub_dirs[i], '=') + 1;
    const int fd = open(host, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
      tw_err_set(b->err, TW_ERR_INVALID_ARG, 0, "--stub-wasi-dir: cannot read the directory %s: %s",
                 show(host, shown), strerror(errno));
      return false;
    }
    if (!read_dir(b, i, fd, host, 0)) return false;
  }
#endif
  return true;
}

/* ---- the segment ------------------------------------------------------------ */

static void put_u32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8), p[2] = (uint8_t)(v >> 16), p[3] = (uint8_t)(v >> 24);
}

/* Where each part goes (docs/abi.md, "Embedded WASI data"). */
static bool lay_out(tw_wasi_image *img, tw_err *err) {
  uint64_t at = 0;
  tw_wasi_strings *lists[2] = {&img->args, &img->env};
  /* Past the limit, `at` stays past it: nothing below is laid out or
   * copied (the offsets are 32-bit, the copies trust them). */
  for (int k = 0; k < 2 && at <= TW_WASI_MAX_BYTES; k++) {
    tw_wasi_strings *s = lists[k];
    s->table_at = (uint32_t)at;
    at += 4ull * s->count;
    s->strings_at = (uint32_t)at;
    uint64_t size = 0;
    for (uint32_t i = 0; i < s->count && size <= TW_WASI_MAX_BYTES; i++) size += strlen(s->v[i]) + 1;
    s->size = size <= TW_WASI_MAX_BYTES ? (uint32_t)size : 0;
    at += size;
  }
  for (uint32_t i = 0; i < img->nentries && at <= TW_WASI_MAX_BYTES; i++)
    img->entries[i].name_at = (uint32_t)at, at += img->entries[i].name_len;
  for (uint32_t i = 0; i < img->nentries && at <= TW_WASI_MAX_BYTES; i++)
    if (!img->entries[i].is_dir) img->entries[i].data_at = (uint32_t)at, at += img->entries[i].size;
  if (at > TW_WASI_MAX_BYTES) {
    tw_err_set(err, TW_ERR_UNSUPPORTED, 0,
               "--stub-wasi: the embedded data passes the limit of %u bytes", TW_WASI_MAX_BYTES);
    return false;
  }
  img->segment_len = (uint32_t)at;
  img->segment = malloc(at ? (size_t)at : 1);
  if (!img->segment) return tw_err_set(err, TW_ERR_NOMEM, 0, "out of memory"), false;
  for (int k = 0; k < 2; k++) {
    const tw_wasi_strings *s = lists[k];
    uint32_t off = 0;
    for (uint32_t i = 0; i < s->count; i++) {
      const size_t n = strlen(s->v[i]) + 1;
      put_u32(img->segment + s->table_at + 4 * i, off);
      memcpy(img->segment + s->strings_at + off, s->v[i], n);
      off += (uint32_t)n;
    }
  }
  for (uint32_t i = 0; i < img->nentries; i++) {
    const tw_wasi_entry *e = &img->entries[i];
    memcpy(img->segment + e->name_at, e->name, e->name_len);
    if (!e->is_dir && e->size) memcpy(img->segment + e->data_at, e->bytes, e->size);
  }
  return true;
}

/* docs/abi.md, "Embedded WASI data": 5 words an entry, then the names. */
static bool build_rom(tw_wasi_image *img, tw_err *err) {
  uint64_t n = 5ull * img->nentries;
  for (uint32_t i = 0; i < img->nentries; i++) n += (img->entries[i].name_len + 3) / 4;
  img->rom = calloc(n ? (size_t)n : 1, sizeof *img->rom);
  if (!img->rom) return tw_err_set(err, TW_ERR_NOMEM, 0, "out of memory"), false;
  img->nrom = (uint32_t)n;
  uint32_t word = 5 * img->nentries;
  for (uint32_t i = 0; i < img->nentries; i++) {
    const tw_wasi_entry *e = &img->entries[i];
    uint32_t *w = img->rom + 5 * i;
    w[0] = (uint32_t)e->is_dir | e->parent << 1;
    w[1] = e->is_dir ? e->first : e->size;
    w[2] = e->is_dir ? e->count : e->data_at;
    w[3] = e->name_len | word << 8;
    w[4] = e->name_at;
    for (uint32_t j = 0; j < e->name_len; j++)
      img->rom[word + j / 4] |= (uint32_t)(uint8_t)e->name[j] << (8 * (j % 4));
    word += (e->name_len + 3) / 4;
  }
  return true;
}

tw_wasi_image *tw_wasi_image_build(const tw_options *o, tw_err *err) {
  tw_wasi_image *img = calloc(1, sizeof *img);
  if (!img) return tw_err_set(err, TW_ERR_NOMEM, 0, "out of memory"), NULL;
  builder b = {img, 0, err};
  if (!check_strings(o->stub_args, o->stub_args_count, false, err) ||
      !check_strings(o->stub_env, o->stub_env_count, true, err) || !read_trees(&b, o)) {
    tw_wasi_image_free(img);
    return NULL;
  }
  img->args = (tw_wasi_strings){o->stub_args, (uint32_t)o->stub_args_count, 0, 0, 0};
  img->env = (tw_wasi_strings){o->stub_env, (uint32_t)o->stub_env_count, 0, 0, 0};
  if (!lay_out(img, err) || !build_rom(img, err)) {
    tw_wasi_image_free(img);
    return NULL;
  }
  return img;
}

void tw_wasi_stub_env(const tw_wasi_image *img, uint32_t segment, tw_stub_env *env) {
  if (!img) return;
  env->data_segment = segment;
  env->argc = img->args.count, env->args_table = img->args.table_at;
  env->args_strings = img->args.strings_at, env->args_size = img->args.size;
  env->envc = img->env.count, env->env_table = img->env.table_at;
  env->env_strings = img->env.strings_at, env->env_size = img->env.size;
}

static void encode_tree(tw_buf *b, const uint32_t *w, uint32_t lo, uint32_t hi) {
  if (hi - lo == 1) {
    tw_buf_put_u8(b, OP_I32_CONST), tw_buf_put_sleb(b, (int32_t)w[lo]);
    return;
  }
  const uint32_t mid = lo + (hi - lo) / 2;
  tw_buf_put_u8(b, OP_LOCAL_GET), tw_buf_put_uleb(b, 0);
  tw_buf_put_u8(b, OP_I32_CONST), tw_buf_put_sleb(b, (int32_t)mid);
  tw_buf_put_u8(b, OP_I32_LT_U);
  tw_buf_put_u8(b, OP_IF), tw_buf_put_u8(b, VT_I32);
  encode_tree(b, w, lo, mid);
  tw_buf_put_u8(b, OP_ELSE);
  encode_tree(b, w, mid, hi);
  tw_buf_put_u8(b, OP_END);
}

void tw_wasi_encode_rom(tw_buf *b, const tw_wasi_image *img) {
  tw_buf_put_u8(b, 0);
  if (!img || img->nrom == 0) tw_buf_put_u8(b, OP_I32_CONST), tw_buf_put_sleb(b, 0);
  else encode_tree(b, img->rom, 0, img->nrom);
  tw_buf_put_u8(b, OP_END);
}

void tw_wasi_slot_init(const tw_wasi_image *img, int64_t init[TW_WASI_SLOTS]) {
  for (uint32_t k = 0; k < TW_WASI_SLOTS; k++)
    init[k] = img && k < img->npreopens ? (int64_t)(k + 1) | 0x10000 : 0;
}

bool tw_wasi_image_used(const tw_wasi_image *img) {
  return img && (img->args.count || img->env.count || img->npreopens);
}

void tw_wasi_image_free(tw_wasi_image *img) {
  if (!img) return;
  for (uint32_t i = 0; i < img->nentries; i++) {
    free(img->entries[i].name);
    free(img->entries[i].bytes);
  }
  free(img->entries);
  free(img->segment);
  free(img->rom);
  free(img);
}
