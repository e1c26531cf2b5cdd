/* Opening the input.
 *
 * A regular file is read on demand: its bytes sit at their own offsets in
 * an address range reserved for the file's size, inaccessible until a
 * reader asks for a range (tw_module_need), which is then read into it with
 * pread. Nothing is mapped from the file, so a file that shrinks while the
 * tool runs makes a read come short (an error), never a SIGBUS; the pages
 * nobody asked for stay unbacked, so memory follows what the rewrite
 * decodes, not the file's size or how it sits in the page cache; and a
 * reader that forgot to ask faults at once in the tests instead of seeing
 * zeros.
 *
 * Anything else (standard input, a pipe, a device) is read into memory
 * completely, but only while its first bytes can still start a module (a
 * binary header and well-framed section headers, or the text format's
 * opening), and never beyond TW_STREAM_MAX bytes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "io.h"
#include "leb.h"
#include "platform.h"
#include "section.h"
#include "source.h"
#include "taskwrap.h"

/* ---- on-demand reading of a regular file ------------------------------------ */

/* Each separately filled run of pages is its own mapping (two at most, once
 * split off the reservation); past this many the whole reservation is made
 * accessible at once, far below the kernel's limit on mappings
 * (vm.max_map_count, 65530 by default). */
enum { GUARDED_RUNS_MAX = 1024 };

struct tw_source {
  int fd;
  uint8_t *base;         /* the reservation: byte i of the file at base + i */
  size_t size;           /* the file's size when it was opened */
  size_t span;           /* the reservation's size (whole pages) */
  size_t page;
  uint8_t *filled;       /* one bit per page: read in (or given up on) */
  unsigned runs;         /* runs made accessible so far */
  bool guarded;          /* pages not read in are inaccessible */
  bool shrank;           /* a read ended before the file's size */
  int read_errno;        /* a read failed with this, or 0 */
  tw_file_state st;      /* the file when it was opened */
};

static bool page_filled(const struct tw_source *s, size_t p) {
  return s->filled[p / 8] & (1u << (p % 8));
}

/* The whole reservation accessible: what a failed mprotect of one run, or
 * too many runs, fall back to. Only the guard is lost, never a byte. */
static bool unguard(struct tw_source *s) {
  if (!s->guarded) return true;
  if (!tw_plat_commit(s->base, s->span)) return false;
  s->guarded = false;
  return true;
}

/* Read input bytes [off, off+n) into dst; a short read (the file shrank) or
 * an error is recorded, and what could not be read is left as it was. */
static void read_at(struct tw_source *s, uint8_t *dst, size_t off, size_t n) {
  while (n > 0) {
    const long long k = tw_plat_pread(s->fd, dst, n < (1u << 30) ? n : (1u << 30), off);
    if (k < 0 && errno == EINTR) continue;
    if (k < 0) {
      if (!s->read_errno) s->read_errno = errno;
      return;
    }
    if (k == 0) {
      s->shrank = true;
      return;
    }
    dst += k, off += (size_t)k, n -= (size_t)k;
  }
}

/* Pages [p, q), none of them filled yet. */
static void fill_run(struct tw_source *s, size_t p, size_t q) {
  uint8_t *at = s->base + p * s->page;
  const size_t len = (q - p) * s->page;
  if (s->guarded && (++s->runs > GUARDED_RUNS_MAX ||
                     !tw_plat_commit(at, len)) &&
      !unguard(s)) {
    if (!s->read_errno) s->read_errno = errno ? errno : ENOMEM;
    return; /* still inaccessible: the caller is told, nothing is marked */
  }
  const size_t off = p * s->page;
  read_at(s, at, off, len < s->size - off ? len : s->size - off);
  for (size_t i = p; i < q; i++) s->filled[i / 8] |= (uint8_t)(1u << (i % 8));
}

bool tw_source_need(struct tw_source *s, size_t off, size_t len) {
  if (off >= s->size || len == 0) return !s->shrank && !s->read_errno;
  const size_t end = len < s->size - off ? off + len : s->size;
  size_t p = off / s->page;
  const size_t q = (end + s->page - 1) / s->page;
  while (p < q) {
    if (page_filled(s, p)) {
      p++;
      continue;
    }
    size_t r = p + 1;
    while (r < q && !page_filled(s, r)) r++;
    fill_run(s, p, r);
    if (!page_filled(s, p)) return false; /* could not be made accessible */
    p = r;
  }
  return !s->shrank && !s->read_errno;
}

bool tw_source_read(struct tw_source *s, size_t off, void *dst, size_t n) {
  if (off > s->size || n > s->size - off) {
    s->shrank = true;
    return false;
  }
  if (s->fd < 0) { /* released: every byte is in memory */
    memcpy(dst, s->base + off, n);
    return true;
  }
  memset(dst, 0, n); /* what a failed read leaves */
  read_at(s, dst, off, n);
  return !s->shrank && !s->read_errno;
}

static void source_free(struct tw_source *s) {
  if (!s) return;
  if (s->base) tw_plat_unreserve(s->base, s->span);
  free(s->filled);
  free(s);
}

static bool open_source(tw_input *in, int fd, const tw_file_state *st, tw_input_mode mode,
                        tw_err *err) {
  const size_t page = tw_plat_page_size();
  if ((uintmax_t)st->size > SIZE_MAX - page) {
    tw_err_set(err, TW_ERR_NOMEM, 0, "the %s is too large for this address space", in->what);
    return false;
  }
  struct tw_source *s = calloc(1, sizeof *s);
  const size_t size = (size_t)st->size, npages = (size + page - 1) / page;
  if (s) {
    s->fd = fd, s->size = size, s->page = page, s->st = *st;
    s->span = npages * page;
    s->filled = calloc(npages / 8 + 1, 1);
    /* Address space only: no memory is committed until a page is read in.
     * Read whole, it is all read in at once: no guard then. */
    s->guarded = mode == TW_INPUT_ON_DEMAND;
    s->base = tw_plat_reserve(s->span, s->guarded);
  }
  if (!s || !s->filled || !s->base) {
    source_free(s);
    tw_err_set(err, TW_ERR_NOMEM, 0, "out of memory for the %s (%zu bytes)", in->what, size);
    return false;
  }
  in->src = s;
  in->data = s->base;
  in->size = size;
  in->fd = fd;
  return true;
}

/* ---- streams ------------------------------------------------------------------ */

/* Whether the bytes so far can start a module: a binary module whose
 * section headers are well formed so far, or the text format (white space
 * and comments, then "(" and a module field). Reading stops at the first
 * byte that rules both out: the parser then reports it at its offset. */
typedef enum { START_MORE, START_TEXT, START_NOT } start_verdict;

typedef struct start_scan {
  size_t pos;        /* next byte to look at */
  int state;
  unsigned depth;    /* block comments: nesting */
  char word[8];      /* text: the field name after "(" */
  size_t word_len;
} start_scan;

enum { S_BEGIN, S_BINARY, S_SPACE, S_SEMI, S_LINE, S_PAREN, S_PAREN_SPACE, S_WORD, S_BLOCK,
       S_BLOCK_SEMI, S_BLOCK_PAREN };

static const uint8_t wasm_magic[8] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};

/* Section headers of a binary module, from sc->pos (8 after the header):
 * an id and a size, each section skipped by its size. */
static start_verdict scan_sections(start_scan *sc, const uint8_t *p, size_t n) {
  while (sc->pos < n) {
    const uint8_t id = p[sc->pos];
    uint32_t len = 0;
    size_t k = 0;
    if (id != TW_SEC_CUSTOM && tw_section_rank(id) < 0) return START_NOT;
    const tw_leb_status st = tw_leb_read_u32(p + sc->pos + 1, n - sc->pos - 1, &len, &k);
    if (st == TW_LEB_TRUNCATED) return START_MORE;
    if (st != TW_LEB_OK || (id == TW_SEC_CUSTOM && len == 0)) return START_NOT; /* no name */
    sc->pos += 1 + k + len;
  }
  return START_MORE;
}

static bool is_space(uint8_t b) { return b == ' ' || b == '\t' || b == '\n' || b == '\r'; }

bool tw_text_module_field(const uint8_t *w, size_t n) {
  static const char *const fields[] = {"module", "type", "import", "func", "table", "memory",
                                       "global", "export", "start", "elem", "data", "tag", "rec"};
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
    if (strlen(fields[i]) == n && memcmp(fields[i], w, n) == 0) return true;
  return false;
}

static start_verdict scan_start(start_scan *sc, const uint8_t *p, size_t n) {
  if (sc->state == S_BEGIN) {
    if (n == 0) return START_MORE;
    if (p[0] == 0x00) {
      const size_t k = n < 8 ? n : 8;
      if (memcmp(p, wasm_magic, k) != 0) return START_NOT;
      if (k < 8) return START_MORE;
      sc->state = S_BINARY, sc->pos = 8;
    } else {
      static const uint8_t bom[3] = {0xef, 0xbb, 0xbf};
      const size_t k = n < 3 ? n : 3;
      if (memcmp(p, bom, k) == 0 && k < 3) return START_MORE;
      sc->state = S_SPACE, sc->pos = memcmp(p, bom, k) == 0 ? 3 : 0;
    }
  }
  if (sc->state == S_BINARY) return scan_sections(sc, p, n);
  for (; sc->pos < n; sc->pos++) {
    const uint8_t b = p[sc->pos];
    switch (sc->state) {
    case S_SPACE:
      if (b == ';') sc->state = S_SEMI;
      else if (b == '(') sc->state = S_PAREN;
      else if (!is_space(b)) return START_NOT;
      break;
    case S_SEMI:
      if (b != ';') return START_NOT;
      sc->state = S_LINE;
      break;
    case S_LINE:
      if (b == '\n') sc->state = S_SPACE;
      break;
    case S_PAREN: /* right after "(": "(;" opens a block comment */
      if (b == ';') {
        sc->state = S_BLOCK, sc->depth = 1;
        break;
      }
      /* fall through */
    case S_PAREN_SPACE:
      if ((b >= 'a' && b <= 'z') || b == '_') sc->state = S_WORD, sc->word[0] = (char)b, sc->word_len = 1;
      else if (is_space(b)) sc->state = S_PAREN_SPACE;
      else return START_NOT;
      break;
    case S_WORD:
      if ((b >= 'a' && b <= 'z') || b == '_') {
        if (sc->word_len == sizeof sc->word) return START_NOT; /* longer than any field */
        sc->word[sc->word_len++] = (char)b;
        break;
      }
      return tw_text_module_field((const uint8_t *)sc->word, sc->word_len) ? START_TEXT : START_NOT;
    case S_BLOCK:
      if (b == ';') sc->state = S_BLOCK_SEMI;
      else if (b == '(') sc->state = S_BLOCK_PAREN;
      break;
    case S_BLOCK_SEMI: /* ";)" closes one level */
      if (b == ')' && --sc->depth == 0) sc->state = S_SPACE;
      else sc->state = b == ';' ? S_BLOCK_SEMI : b == '(' ? S_BLOCK_PAREN : S_BLOCK;
      break;
    case S_BLOCK_PAREN: /* "(;" opens another */
      if (b == ';') sc->depth++, sc->state = S_BLOCK;
      else sc->state = b == '(' ? S_BLOCK_PAREN : S_BLOCK;
      break;
    default: return START_NOT;
    }
  }
  return START_MORE;
}

enum { STREAM_FIRST = 1 << 20, STREAM_READ = 1 << 20 };

/* Grow the stream's buffer (an anonymous mapping: growing it moves no byte). */
static bool stream_grow(tw_input *in, size_t want) {
  const size_t page = tw_plat_page_size();
  want = (want + page - 1) / page * page;
  void *p = tw_plat_grow(in->buf, in->buf_cap, want);
  if (!p) return false;
  in->buf = p;
  in->buf_cap = want;
  return true;
}

static bool read_stream(tw_input *in, int fd, tw_err *err) {
  const size_t limit = TW_STREAM_MAX;
  start_scan sc = {0};
  start_verdict v = START_MORE;
  size_t len = 0;
  while (v != START_NOT) {
    /* One byte more than the limit tells a stream at the limit from a longer one. */
    if (len == in->buf_cap &&
        !stream_grow(in, !in->buf ? STREAM_FIRST
                         : in->buf_cap <= (limit + 1) / 2 ? in->buf_cap * 2 : limit + 1)) {
      tw_err_set(err, TW_ERR_NOMEM, 0, "out of memory for the %s (%zu bytes read)", in->what, len);
      return false;
    }
    size_t room = in->buf_cap - len;
    if (room > STREAM_READ) room = STREAM_READ;
    const long long n = tw_plat_read(fd, (uint8_t *)in->buf + len, room);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      tw_err_set(err, TW_ERR_IO, 0, "cannot read %s: %s", in->what, tw_plat_strerror(errno));
      return false;
    }
    if (n == 0) break;
    len += (size_t)n;
    if (len > limit) {
      tw_err_set(err, TW_ERR_IO, 0,
                 "the %s is a stream longer than %zu %s, the most that is read into memory: "
                 "give the module as a file", in->what,
                 limit % (1u << 30) ? limit >> 20 : limit >> 30, limit % (1u << 30) ? "MiB" : "GiB");
      return false;
    }
    if (v == START_MORE) v = scan_start(&sc, in->buf, len);
  }
  in->data = in->buf;
  in->size = len;
  return true;
}

/* ---- opening -------------------------------------------------------------------- */

bool tw_input_open(tw_input *in, const char *path, tw_input_mode mode, const char *what,
                   tw_err *err) {
  memset(in, 0, sizeof *in);
  in->fd = -1;
  in->what = what;
  const bool std_in = strcmp(path, "-") == 0;
  const int fd = std_in ? TW_STDIN : tw_plat_open_read(path);
  if (fd < 0) {
    tw_err_set(err, TW_ERR_IO, 0, "cannot open %s: %s", what, tw_plat_strerror(errno));
    return false;
  }
  tw_file_state st;
  if (!tw_plat_fd_state(fd, &st)) {
    tw_err_set(err, TW_ERR_IO, 0, "cannot read %s: %s", what, tw_plat_strerror(errno));
    if (!std_in) tw_plat_close(fd);
    return false;
  }
  /* (A regular file of size 0 may still have bytes to read: /proc's.) */
  if (std_in || !st.regular || st.size == 0) {
    const bool ok = read_stream(in, fd, err);
    tw_file_state after;
    /* Standard input may be a file: it must not change while it is read. */
    if (ok && st.regular && (!tw_plat_fd_state(fd, &after) || !tw_file_state_same(&st, &after))) {
      tw_err_set(err, TW_ERR_CHANGED, 0, "%s changed while it was being read", what);
      if (!std_in) tw_plat_close(fd);
      return false;
    }
    if (!std_in) tw_plat_close(fd);
    return ok;
  }
  if (!open_source(in, fd, &st, mode, err)) {
    tw_plat_close(fd);
    return false;
  }
  /* --check compares every byte: all of it, then, and unchanged. */
  if (mode == TW_INPUT_WHOLE) {
    tw_source_need(in->src, 0, in->size);
    return tw_input_check(in, "read", err);
  }
  return true;
}

bool tw_input_check(const tw_input *in, const char *doing, tw_err *err) {
  const struct tw_source *s = in->src;
  if (!s) return true;
  tw_file_state now;
  if (s->shrank ||
      (s->fd >= 0 && (!tw_plat_fd_state(s->fd, &now) || !tw_file_state_same(&s->st, &now)))) {
    tw_err_set(err, TW_ERR_CHANGED, 0, "%s changed while it was being %s", in->what, doing);
    return false;
  }
  if (s->read_errno) {
    tw_err_set(err, TW_ERR_IO, 0, "cannot read %s: %s", in->what, tw_plat_strerror(s->read_errno));
    return false;
  }
  return true;
}

bool tw_input_release(tw_input *in, const char *path, tw_err *err) {
  tw_file_state named;
  if (!TW_PLAT_WINDOWS || !in->src || in->src->fd < 0 || !tw_plat_path_state(path, &named) ||
      named.dev != in->src->st.dev || named.ino != in->src->st.ino)
    return true;
  tw_source_need(in->src, 0, in->size);
  if (!tw_input_check(in, "read", err)) return false;
  tw_plat_close(in->fd);
  in->fd = in->src->fd = -1;
  return true;
}

void tw_input_close(tw_input *in) {
  if (!in) return;
  source_free(in->src);
  if (in->buf) tw_plat_unreserve(in->buf, in->buf_cap);
  if (in->fd >= 0) tw_plat_close(in->fd);
  memset(in, 0, sizeof *in);
  in->fd = -1;
}
