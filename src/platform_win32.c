/* The platform layer on Windows (platform.h), built with mingw-w64.
 *
 * File names are UTF-8 inside the tool and UTF-16 at the system: every
 * name is converted and opened with the W calls, and the arguments are
 * made again from the wide command line. The C runtime's descriptors stay
 * what the rest of the tool passes around (_open_osfhandle on the handles
 * made here); everything is binary, standard streams included.
 *
 * An output is replaced as on POSIX: a temporary file beside it (.twXXXXXX,
 * CREATE_NEW), renamed over it with MoveFileExW; a link to it is followed
 * (GetFinalPathNameByHandleW) and kept. Windows refuses to replace a
 * read-only file, so the attribute is cleared for the rename and given to
 * the new file, which then reads as the POSIX build's does after it
 * replaced a file of mode 0444 (hidden and system are given too). What is
 * not a disk file (NUL, CON, a pipe: GetFileType) is written into. Windows has no signals: the
 * console's control events are held instead (tw_plat_hold_signals). */
#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0602 /* Windows 8: FileIdInfo */
#endif
#define WIN32_LEAN_AND_MEAN
#define UNICODE
#define _UNICODE
#include <windows.h>
#include <shellapi.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "glob.h"
#include "platform.h"

/* ---- names and errors ------------------------------------------------------------ */

/* The errno of a Win32 error, for the messages that name it. */
static void set_errno(DWORD e) {
  switch (e) {
  case ERROR_FILE_NOT_FOUND:
  case ERROR_PATH_NOT_FOUND:
  case ERROR_INVALID_DRIVE:
  case ERROR_BAD_NETPATH:
  case ERROR_BAD_NET_NAME:
  case ERROR_INVALID_NAME: errno = ENOENT; break;
  case ERROR_ACCESS_DENIED: errno = EACCES; break;
  case ERROR_SHARING_VIOLATION: /* another process has it open, or locked */
  case ERROR_LOCK_VIOLATION: errno = EBUSY; break;
  case ERROR_FILE_EXISTS:
  case ERROR_ALREADY_EXISTS: errno = EEXIST; break;
  case ERROR_NOT_ENOUGH_MEMORY:
  case ERROR_OUTOFMEMORY: errno = ENOMEM; break;
  case ERROR_DISK_FULL:
  case ERROR_HANDLE_DISK_FULL: errno = ENOSPC; break;
  case ERROR_BROKEN_PIPE:
  case ERROR_NO_DATA: errno = EPIPE; break;
  case ERROR_DIRECTORY: errno = ENOTDIR; break;
  case ERROR_FILENAME_EXCED_RANGE: errno = ENAMETOOLONG; break;
  case ERROR_NOT_SAME_DEVICE: errno = EXDEV; break;
  case ERROR_INVALID_HANDLE: errno = EBADF; break;
  case ERROR_WRITE_PROTECT: errno = EROFS; break;
  case ERROR_DIR_NOT_EMPTY: errno = ENOTEMPTY; break;
  case ERROR_FILE_TOO_LARGE: errno = EFBIG; break;
  default: errno = EIO; break;
  }
}

/* UTF-8 to UTF-16 and back (malloc'ed; NULL and errno on failure). */
static wchar_t *wide(const char *s) {
  const int n = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);
  wchar_t *w = n > 0 ? malloc((size_t)n * sizeof *w) : NULL;
  if (!w || MultiByteToWideChar(CP_UTF8, 0, s, -1, w, n) != n) {
    free(w);
    errno = n > 0 ? ENOMEM : ENOENT;
    return NULL;
  }
  return w;
}

static char *narrow(const wchar_t *w) {
  const int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
  char *s = n > 0 ? malloc((size_t)n) : NULL;
  if (!s || WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL) != n) {
    free(s);
    errno = ENOMEM;
    return NULL;
  }
  return s;
}

static HANDLE handle_of(int fd) { return (HANDLE)_get_osfhandle(fd); }

/* ---- names and the process -------------------------------------------------------- */

void tw_plat_args(int *argc, char ***argv) {
  int n = 0;
  wchar_t **w = CommandLineToArgvW(GetCommandLineW(), &n);
  char **v = w ? calloc((size_t)n + 1, sizeof *v) : NULL;
  bool ok = v != NULL;
  for (int i = 0; ok && i < n; i++) ok = (v[i] = narrow(w[i])) != NULL;
  if (w) LocalFree(w);
  if (!ok) { /* the runtime's own, then */
    for (int i = 0; v && i < n; i++) free(v[i]);
    free(v);
    return;
  }
  *argc = n, *argv = v; /* kept for the life of the process */
}

void tw_plat_binary_stdio(void) {
  _setmode(_fileno(stdin), _O_BINARY);
  _setmode(_fileno(stdout), _O_BINARY);
  _setmode(_fileno(stderr), _O_BINARY); /* messages end in "\n" as on POSIX */
}

/* Each variable's last value, kept until it is asked for again. */
const char *tw_plat_getenv(const char *name) {
  static struct {
    char *name, *value;
  } kept[16];
  size_t i = 0;
  while (i < 16 && kept[i].name && strcmp(kept[i].name, name) != 0) i++;
  if (i == 16) i = 15; /* more names than the tool has: the last slot is reused */
  wchar_t *wn = wide(name);
  const DWORD n = wn ? GetEnvironmentVariableW(wn, NULL, 0) : 0;
  wchar_t *wv = n ? malloc(n * sizeof *wv) : NULL;
  char *value = wv && GetEnvironmentVariableW(wn, wv, n) < n ? narrow(wv) : NULL;
  free(wn);
  free(wv);
  if (!kept[i].name || strcmp(kept[i].name, name) != 0) {
    free(kept[i].name);
    kept[i].name = _strdup(name);
  }
  free(kept[i].value);
  kept[i].value = value;
  return value;
}

/* The console, not the NUL device (a character device too). */
bool tw_plat_is_terminal(int fd) {
  const HANDLE h = handle_of(fd);
  DWORD mode;
  return h != INVALID_HANDLE_VALUE && GetFileType(h) == FILE_TYPE_CHAR &&
         GetConsoleMode(h, &mode);
}

bool tw_plat_fd_is_open(int fd) { return handle_of(fd) != INVALID_HANDLE_VALUE; }

const char *tw_plat_strerror(int e) {
  switch (e) {
  case ENOMEM: return "Cannot allocate memory";
  case ENAMETOOLONG: return "File name too long";
  case EXDEV: return "Invalid cross-device link";
  case EIO: return "Input/output error";
  case EISDIR: return "Is a directory";
  /* Only a sharing or lock violation is EBUSY here (set_errno). */
  case EBUSY: return "File in use by another process";
  default: return strerror(e);
  }
}

bool tw_plat_glob_match(const char *pattern, const char *name) {
  return tw_glob_match(pattern, name);
}

const char *tw_plat_signal_name(int sig) {
  switch (sig) {
  case SIGINT: return "Interrupt";
  case SIGTERM: return "Terminated";
  case SIGABRT: return "Aborted";
  default: return "Unknown signal";
  }
}

/* ---- memory ------------------------------------------------------------------------- */

size_t tw_plat_page_size(void) {
  SYSTEM_INFO si;
  GetSystemInfo(&si);
  return si.dwPageSize;
}

/* Committed memory is only backed once touched, as on POSIX. */
void *tw_plat_reserve(size_t len, bool guarded) {
  return VirtualAlloc(NULL, len, guarded ? MEM_RESERVE : MEM_RESERVE | MEM_COMMIT,
                      guarded ? PAGE_NOACCESS : PAGE_READWRITE);
}

bool tw_plat_commit(void *at, size_t len) {
  return VirtualAlloc(at, len, MEM_COMMIT, PAGE_READWRITE) != NULL;
}

void tw_plat_unreserve(void *base, size_t len) {
  (void)len;
  VirtualFree(base, 0, MEM_RELEASE);
}

void *tw_plat_grow(void *old, size_t old_len, size_t len) {
  void *p = VirtualAlloc(NULL, len, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
  if (!p || !old) return p;
  memcpy(p, old, old_len < len ? old_len : len);
  VirtualFree(old, 0, MEM_RELEASE);
  return p;
}

/* ---- files ------------------------------------------------------------------------- */

/* A FILETIME (100 ns since 1601) as seconds and nanoseconds since 1970. */
static void split_time(uint64_t t, int64_t *s, int64_t *ns) {
  *s = (int64_t)(t / 10000000u) - 11644473600LL;
  *ns = (int64_t)(t % 10000000u) * 100;
}

/* The file's identity as dev and ino: its volume's serial number and its
 * file index (GetFileInformationByHandle), or the same from FileIdInfo
 * where that call refuses the handle (wine's standard handles). */
static bool identity(HANDLE h, tw_file_state *st) {
  BY_HANDLE_FILE_INFORMATION i;
  if (GetFileInformationByHandle(h, &i)) {
    st->dev = i.dwVolumeSerialNumber;
    st->ino = (uint64_t)i.nFileIndexHigh << 32 | i.nFileIndexLow;
    return true;
  }
  FILE_ID_INFO id;
  if (!GetFileInformationByHandleEx(h, FileIdInfo, &id, sizeof id)) return false;
  uint64_t half[2];
  memcpy(half, id.FileId.Identifier, sizeof half);
  st->dev = id.VolumeSerialNumber;
  st->ino = half[0] ^ half[1]; /* 128 bits on ReFS; NTFS's fit the first 64 */
  return true;
}

/* Identity, size and times (the change time is NTFS's ChangeTime); a pipe
 * or a device has none, and is not regular. */
static bool handle_state(HANDLE h, tw_file_state *st) {
  memset(st, 0, sizeof *st);
  if (GetFileType(h) != FILE_TYPE_DISK) return true;
  FILE_BASIC_INFO b;
  FILE_STANDARD_INFO s;
  if (!identity(h, st) || !GetFileInformationByHandleEx(h, FileBasicInfo, &b, sizeof b) ||
      !GetFileInformationByHandleEx(h, FileStandardInfo, &s, sizeof s))
    return set_errno(GetLastError()), false;
  st->size = (uint64_t)s.EndOfFile.QuadPart;
  split_time((uint64_t)b.LastWriteTime.QuadPart, &st->mtime_s, &st->mtime_ns);
  split_time((uint64_t)b.ChangeTime.QuadPart, &st->ctime_s, &st->ctime_ns);
  st->regular = !s.Directory;
  return true;
}

bool tw_plat_fd_state(int fd, tw_file_state *st) {
  const HANDLE h = handle_of(fd);
  if (h == INVALID_HANDLE_VALUE) return errno = EBADF, false;
  return handle_state(h, st);
}

/* Every sharing allowed: another process may read, write, rename or
 * delete the file while it is open here, as on POSIX. */
enum { SHARE_ALL = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE };

static HANDLE open_path(const char *path, DWORD access, DWORD flags) {
  wchar_t *w = wide(path);
  if (!w) return INVALID_HANDLE_VALUE;
  const HANDLE h = CreateFileW(w, access, SHARE_ALL, NULL, OPEN_EXISTING, flags, NULL);
  const DWORD e = GetLastError();
  free(w);
  if (h == INVALID_HANDLE_VALUE) set_errno(e);
  return h;
}

bool tw_plat_path_state(const char *path, tw_file_state *st) {
  const HANDLE h = open_path(path, FILE_READ_ATTRIBUTES, FILE_FLAG_BACKUP_SEMANTICS);
  if (h == INVALID_HANDLE_VALUE) return false;
  const bool ok = handle_state(h, st);
  CloseHandle(h);
  return ok;
}

bool tw_file_state_same(const tw_file_state *a, const tw_file_state *b) {
  return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
         a->mtime_s == b->mtime_s && a->mtime_ns == b->mtime_ns && a->ctime_s == b->ctime_s &&
         a->ctime_ns == b->ctime_ns;
}

/* Opened with every sharing, so that the file can be replaced while it is
 * read (wasm-taskwrap-ld rewrites the linker's output in place). A
 * directory opens too, as on POSIX, and its read fails (tw_plat_read). */
int tw_plat_open_read(const char *path) {
  const HANDLE h = open_path(path, GENERIC_READ, FILE_FLAG_BACKUP_SEMANTICS);
  if (h == INVALID_HANDLE_VALUE) return -1;
  const int fd = _open_osfhandle((intptr_t)h, _O_RDONLY | _O_BINARY);
  if (fd < 0) CloseHandle(h);
  return fd;
}

FILE *tw_plat_fopen(const char *path, const char *mode) {
  wchar_t *w = wide(path), *m = wide(mode);
  FILE *f = w && m ? _wfopen(w, m) : NULL;
  free(w);
  free(m);
  return f;
}

/* At most this much in one call (the C runtime counts in an int). */
static unsigned capped(size_t n) { return n > (1u << 30) ? 1u << 30 : (unsigned)n; }

long long tw_plat_pread(int fd, void *dst, size_t n, uint64_t off) {
  const HANDLE h = handle_of(fd);
  if (h == INVALID_HANDLE_VALUE) return errno = EBADF, -1;
  OVERLAPPED o = {0};
  o.Offset = (DWORD)off, o.OffsetHigh = (DWORD)(off >> 32);
  DWORD got = 0;
  if (ReadFile(h, dst, capped(n), &got, &o)) return got;
  const DWORD e = GetLastError();
  if (e == ERROR_HANDLE_EOF) return 0;
  set_errno(e);
  return -1;
}

/* A directory's read fails with EISDIR, as read(2)'s does. */
long long tw_plat_read(int fd, void *dst, size_t n) {
  const int k = _read(fd, dst, capped(n));
  FILE_STANDARD_INFO s;
  if (k < 0 && GetFileInformationByHandleEx(handle_of(fd), FileStandardInfo, &s, sizeof s) &&
      s.Directory)
    errno = EISDIR;
  return k;
}

long long tw_plat_write(int fd, const void *src, size_t n) { return _write(fd, src, capped(n)); }

int tw_plat_close(int fd) { return _close(fd); }

bool tw_plat_fsync(int fd) {
  const HANDLE h = handle_of(fd);
  if (h != INVALID_HANDLE_VALUE && FlushFileBuffers(h)) return true;
  set_errno(h == INVALID_HANDLE_VALUE ? ERROR_INVALID_HANDLE : GetLastError());
  return false;
}

long long tw_plat_tell(int fd) { return _telli64(fd); }

bool tw_plat_empty(int fd) { return _chsize_s(fd, 0) == 0 && _lseeki64(fd, 0, SEEK_SET) == 0; }

long long tw_plat_copy_range(int in_fd, uint64_t *off, int out_fd, size_t n) {
  (void)in_fd, (void)off, (void)out_fd, (void)n;
  errno = ENOSYS; /* no kernel copy between descriptors: the writer's buffer */
  return -1;
}

/* The C runtime's FILE is not ours to look into: what is pending is
 * flushed, and a failure to flush counts as pending. */
size_t tw_plat_fpending(FILE *f) { return fflush(f) == 0 ? 0 : 1; }

/* A file or a symbolic link; a read-only one too, as unlink(2) removes one
 * whatever its mode. */
bool tw_plat_remove_ordinary(const char *path) {
  wchar_t *w = wide(path);
  if (!w) return false;
  const DWORD attrs = GetFileAttributesW(w);
  bool ok = true;
  if (attrs != INVALID_FILE_ATTRIBUTES && !(attrs & FILE_ATTRIBUTE_DIRECTORY)) {
    const bool ro = attrs & FILE_ATTRIBUTE_READONLY;
    if (ro) SetFileAttributesW(w, attrs & ~FILE_ATTRIBUTE_READONLY);
    ok = DeleteFileW(w) || GetLastError() == ERROR_FILE_NOT_FOUND;
    if (!ok) {
      const DWORD e = GetLastError();
      if (ro) SetFileAttributesW(w, attrs); /* left as it was */
      set_errno(e);
    }
  }
  free(w);
  return ok;
}

/* ---- the output ------------------------------------------------------------------- */

static bool path_fail(tw_err *err, const char *what) {
  tw_err_set(err, TW_ERR_IO, 0, "%s: %s", what, tw_plat_strerror(errno));
  return false;
}

static bool is_sep(char c) { return c == '\\' || c == '/'; }

/* The directory a temporary file goes in: "." for a bare name, "C:" for
 * "C:name", the root kept ("\\", "C:\\"). */
static char *dir_of(const char *path) {
  const char *last = NULL;
  for (const char *p = path; *p; p++)
    if (is_sep(*p)) last = p;
  const bool drive = path[0] && path[1] == ':';
  size_t n;
  if (!last) n = drive ? 2 : 0;
  else if (last == path || (drive && last == path + 2)) n = (size_t)(last - path) + 1;
  else n = (size_t)(last - path);
  if (n == 0) return _strdup(".");
  char *d = malloc(n + 1);
  if (d) memcpy(d, path, n), d[n] = 0;
  return d;
}

int tw_plat_output_descriptor(const char *path) {
  (void)path;
  return -1; /* no /dev/stdout or /dev/fd/N on Windows */
}

/* A device or a pipe (NUL, CON, \\.\pipe\NAME): written into through the
 * handle opened here. */
static bool into_handle(tw_output *o, HANDLE h, tw_err *err) {
  o->fd = _open_osfhandle((intptr_t)h, _O_WRONLY | _O_BINARY);
  if (o->fd >= 0) return true;
  CloseHandle(h);
  return path_fail(err, "cannot open output");
}

/* A DOS device's name (CON, PRN, AUX, NUL, COM1-9, LPT1-9, CONIN$,
 * CONOUT$), in any case and directory, also with an extension or trailing
 * dots or spaces ("con.wasm", "NUL. "): Windows opens the device for it,
 * and a file of that name cannot be made. */
static bool is_dos_device(const char *path) {
  const char *base = path[0] && path[1] == ':' ? path + 2 : path;
  for (const char *p = base; *p; p++)
    if (is_sep(*p)) base = p + 1;
  size_t n = strcspn(base, ".:");
  while (n && base[n - 1] == ' ') n--;
  char name[8];
  if (n == 0 || n >= sizeof name) return false;
  for (size_t i = 0; i < n; i++) name[i] = (char)tolower((unsigned char)base[i]);
  name[n] = 0;
  static const char *const devices[] = {"con", "prn", "aux", "nul", "conin$", "conout$"};
  for (size_t i = 0; i < sizeof devices / sizeof devices[0]; i++)
    if (strcmp(name, devices[i]) == 0) return true;
  return n == 4 && (memcmp(name, "com", 3) == 0 || memcmp(name, "lpt", 3) == 0) &&
         name[3] >= '1' && name[3] <= '9';
}

/* The file an existing name leads to, symbolic links and junctions
 * followed (GetFinalPathNameByHandleW: "\\?\C:\DIR\NAME"), so that its
 * target is replaced and the link kept, as on POSIX; *attrs its
 * attributes. NULL when that cannot be asked (the name given then). */
static char *final_path(const wchar_t *w, DWORD *attrs) {
  const HANDLE h = CreateFileW(w, FILE_READ_ATTRIBUTES, SHARE_ALL, NULL, OPEN_EXISTING,
                               FILE_FLAG_BACKUP_SEMANTICS, NULL);
  if (h == INVALID_HANDLE_VALUE) return NULL;
  FILE_BASIC_INFO b;
  const DWORD n = GetFinalPathNameByHandleW(h, NULL, 0, VOLUME_NAME_DOS);
  wchar_t *buf = n ? malloc(n * sizeof *buf) : NULL;
  const DWORD got = buf ? GetFinalPathNameByHandleW(h, buf, n, VOLUME_NAME_DOS) : 0;
  const bool ok =
      got > 0 && got < n && GetFileInformationByHandleEx(h, FileBasicInfo, &b, sizeof b);
  CloseHandle(h);
  char *file = ok ? narrow(buf) : NULL;
  free(buf);
  if (file) *attrs = b.FileAttributes;
  return file;
}

bool tw_plat_output_open(tw_output *o, const char *path, tw_err *err) {
  o->fd = -1, o->file = NULL, o->dir = NULL, o->mode = 0666;
  if (!*path) return errno = ENOENT, path_fail(err, "cannot write output");
  wchar_t *w = wide(path);
  if (!w) return path_fail(err, "cannot write output");
  DWORD attrs = GetFileAttributesW(w);
  if (attrs != INVALID_FILE_ATTRIBUTES && (attrs & FILE_ATTRIBUTE_DIRECTORY)) {
    free(w);
    return errno = EISDIR, path_fail(err, "cannot write output");
  }
  /* What it is, asked of the thing itself: opening a disk file to write
   * changes nothing in it, and a read-only one fails here (replaced). */
  const HANDLE h = CreateFileW(w, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                               OPEN_EXISTING, 0, NULL);
  const DWORD e = GetLastError();
  if (h != INVALID_HANDLE_VALUE) {
    const DWORD type = GetFileType(h);
    if (type == FILE_TYPE_CHAR || type == FILE_TYPE_PIPE) return free(w), into_handle(o, h, err);
    CloseHandle(h);
  } else if (is_dos_device(path) || (attrs == INVALID_FILE_ATTRIBUTES &&
                                     e != ERROR_FILE_NOT_FOUND && e != ERROR_PATH_NOT_FOUND)) {
    /* A device that does not open is never replaced by a file. */
    free(w);
    set_errno(e);
    return path_fail(err, is_dos_device(path) ? "cannot open output" : "cannot write output");
  }
  o->file = attrs != INVALID_FILE_ATTRIBUTES ? final_path(w, &attrs) : NULL;
  free(w);
  if (!o->file) o->file = _strdup(path);
  /* A file to replace (or to create): read-only stays read-only. */
  if (attrs != INVALID_FILE_ATTRIBUTES && (attrs & FILE_ATTRIBUTE_READONLY)) o->mode = 0444;
  o->dir = o->file ? dir_of(o->file) : NULL;
  if (o->file && o->dir) return true;
  tw_plat_output_free(o);
  return tw_err_set(err, TW_ERR_NOMEM, 0, "out of memory"), false;
}

void tw_plat_output_free(tw_output *o) {
  free(o->file);
  free(o->dir);
  o->file = o->dir = NULL;
}

/* ---- temporary files --------------------------------------------------------------- */

/* "DIR\.twXXXXXX" with a fresh suffix each call. */
static void temp_name(char *out, size_t cap, const char *dir) {
  static unsigned counter;
  LARGE_INTEGER t;
  QueryPerformanceCounter(&t);
  const unsigned long x =
      (unsigned long)t.QuadPart ^ ((unsigned long)GetCurrentProcessId() << 16) ^ ++counter;
  const size_t n = strlen(dir);
  const bool sep = n > 0 && !is_sep(dir[n - 1]) && !(n == 2 && dir[1] == ':');
  snprintf(out, cap, "%s%s.tw%06lx", dir, sep ? "\\" : "", x & 0xffffff);
}

bool tw_plat_temp_create(tw_temp *t, const char *dir, unsigned mode, tw_err *err) {
  t->fd = -1, t->mode = mode;
  const size_t cap = strlen(dir) + 16;
  if (!(t->name = malloc(cap))) return tw_err_set(err, TW_ERR_NOMEM, 0, "out of memory"), false;
  HANDLE h = INVALID_HANDLE_VALUE;
  DWORD e = ERROR_FILE_EXISTS;
  for (int tries = 0; h == INVALID_HANDLE_VALUE && tries < 100; tries++) {
    temp_name(t->name, cap, dir);
    wchar_t *w = wide(t->name);
    if (!w) break;
    h = CreateFileW(w, GENERIC_WRITE, 0, NULL, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL);
    e = GetLastError();
    free(w);
    if (h == INVALID_HANDLE_VALUE && e != ERROR_FILE_EXISTS && e != ERROR_ALREADY_EXISTS) break;
  }
  if (h == INVALID_HANDLE_VALUE) {
    set_errno(e);
    free(t->name);
    t->name = NULL;
    return path_fail(err, "cannot create output");
  }
  if ((t->fd = _open_osfhandle((intptr_t)h, _O_WRONLY | _O_BINARY)) >= 0) return true;
  CloseHandle(h);
  return path_fail(err, "cannot create output"); /* the name: tw_plat_temp_discard */
}

/* Renamed over path; a read-only destination has its attribute cleared
 * for the rename (and back if it fails). dest: its attributes. */
static bool move_over(const wchar_t *from, const wchar_t *to, DWORD dest, bool write_through) {
  const bool ro = dest != INVALID_FILE_ATTRIBUTES && (dest & FILE_ATTRIBUTE_READONLY);
  const DWORD rest = dest & ~(DWORD)FILE_ATTRIBUTE_READONLY;
  if (ro && !SetFileAttributesW(to, rest ? rest : FILE_ATTRIBUTE_NORMAL)) return false;
  const DWORD flags = MOVEFILE_REPLACE_EXISTING | (write_through ? MOVEFILE_WRITE_THROUGH : 0);
  if (MoveFileExW(from, to, flags)) return true;
  const DWORD e = GetLastError();
  if (ro) SetFileAttributesW(to, dest);
  SetLastError(e);
  return false;
}

bool tw_plat_temp_replace(tw_temp *t, const char *dir, const char *path, tw_err *err) {
  (void)dir;
  const int fd = t->fd;
  t->fd = -1;
  if (_close(fd) != 0) return path_fail(err, "cannot write output");
  wchar_t *from = wide(t->name), *to = wide(path);
  bool ok = from && to;
  if (!ok) tw_err_set(err, TW_ERR_NOMEM, 0, "out of memory");
  /* No write bit: the new file is read-only, as the one it replaces was;
   * it is hidden or a system file as that one was, too. Given before the
   * move, which is the last step. */
  const DWORD dest = ok ? GetFileAttributesW(to) : INVALID_FILE_ATTRIBUTES;
  DWORD give = t->mode & 0222 ? 0 : FILE_ATTRIBUTE_READONLY;
  if (dest != INVALID_FILE_ATTRIBUTES)
    give |= dest & (FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM);
  if (ok && give && !SetFileAttributesW(from, give)) {
    set_errno(GetLastError());
    ok = path_fail(err, "cannot write output");
  }
  if (ok && !move_over(from, to, dest, t->write_through)) {
    set_errno(GetLastError());
    ok = path_fail(err, "cannot rename output into place");
  }
  free(from);
  free(to);
  if (!ok) return false;
  free(t->name);
  t->name = NULL;
  return true;
}

void tw_plat_temp_discard(tw_temp *t) {
  if (t->fd >= 0) _close(t->fd);
  wchar_t *w = t->name ? wide(t->name) : NULL;
  if (w) {
    SetFileAttributesW(w, FILE_ATTRIBUTE_NORMAL); /* read-only ones too */
    DeleteFileW(w);
  }
  free(w);
  free(t->name);
  t->fd = -1, t->name = NULL;
}

/* ---- console control events (platform.h, "termination signals") ------------------- */

/* While held, an event is noted and the replacing goes on to its end or
 * its first check (tw_write_segments polls tw_plat_pending_signal). For a
 * closed console, a logoff or a shutdown the process ends as soon as the
 * handler returns, so the handler waits (less than the 5 s the system
 * gives it) until the temporary file is removed. */
static volatile LONG ctrl_held, ctrl_came;
static HANDLE ctrl_released; /* a manual-reset event */

static BOOL WINAPI on_ctrl(DWORD type) {
  if (!ctrl_held) return FALSE; /* the next handler: by default, the end */
  InterlockedExchange(&ctrl_came, 1);
  if (type != CTRL_C_EVENT && type != CTRL_BREAK_EVENT && ctrl_released)
    WaitForSingleObject(ctrl_released, 4500);
  return TRUE;
}

int tw_plat_pending_signal(void) { return ctrl_held && ctrl_came ? SIGINT : 0; }

void tw_plat_hold_signals(void) {
  if (!ctrl_released) ctrl_released = CreateEventW(NULL, TRUE, FALSE, NULL);
  if (ctrl_released) ResetEvent(ctrl_released);
  InterlockedExchange(&ctrl_came, 0);
  InterlockedExchange(&ctrl_held, 1);
  SetConsoleCtrlHandler(on_ctrl, TRUE);
}

/* An event that came ends the process now, as the default handler would
 * have: STATUS_CONTROL_C_EXIT. */
void tw_plat_release_signals(void) {
  SetConsoleCtrlHandler(on_ctrl, FALSE);
  InterlockedExchange(&ctrl_held, 0);
  if (!ctrl_came) return;
  if (ctrl_released) SetEvent(ctrl_released);
  ExitProcess((UINT)STATUS_CONTROL_C_EXIT);
}

/* No SIGXFSZ: a write past a limit fails as writes fail. */
void tw_plat_fsize_begin(void) {}
void tw_plat_fsize_taken(void) {}
void tw_plat_fsize_end(void) {}
void tw_plat_ignore_fsize(void) {}

/* ---- processes ---------------------------------------------------------------------- */

/* A file (Windows cannot tell a program by its mode: CreateProcessW does). */
bool tw_plat_runnable(const char *path) {
  wchar_t *w = wide(path);
  const DWORD attrs = w ? GetFileAttributesW(w) : INVALID_FILE_ATTRIBUTES;
  free(w);
  return attrs != INVALID_FILE_ATTRIBUTES && !(attrs & FILE_ATTRIBUTE_DIRECTORY);
}

/* The same file as this program's executable, by identity (any name,
 * case or link of it counts). */
bool tw_plat_is_self(const char *path, const char *argv0) {
  (void)argv0;
  wchar_t exe[32768];
  const DWORD n = GetModuleFileNameW(NULL, exe, sizeof exe / sizeof exe[0]);
  if (n == 0 || n >= sizeof exe / sizeof exe[0]) return false;
  char *self = narrow(exe);
  tw_file_state a, b;
  const bool same = self && tw_plat_path_state(self, &a) && tw_plat_path_state(path, &b) &&
                    a.dev == b.dev && a.ino == b.ino;
  free(self);
  return same;
}

/* A growable wide string. */
typedef struct wbuf {
  wchar_t *p;
  size_t len, cap;
} wbuf;

static bool wput(wbuf *b, wchar_t c, size_t times) {
  if (b->len + times + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (b->len + times + 1 > cap) cap *= 2;
    wchar_t *p = realloc(b->p, cap * sizeof *p);
    if (!p) return false;
    b->p = p, b->cap = cap;
  }
  while (times--) b->p[b->len++] = c;
  b->p[b->len] = 0;
  return true;
}

/* One argument as CommandLineToArgvW and the C runtime read it back: bare
 * when it has no blank or quote (and is not empty), else in quotes, with
 * the backslashes before a quote (or before the closing one) doubled and
 * each quote escaped. */
static bool quote_arg(wbuf *b, const wchar_t *a) {
  if (*a && !wcspbrk(a, L" \t\n\v\"")) {
    for (; *a; a++)
      if (!wput(b, *a, 1)) return false;
    return true;
  }
  bool ok = wput(b, L'"', 1);
  while (ok && *a) {
    size_t k = 0;
    while (a[k] == L'\\') k++;
    if (a[k] == 0) {
      ok = wput(b, L'\\', 2 * k);
      a += k;
    } else if (a[k] == L'"') {
      ok = wput(b, L'\\', 2 * k + 1) && wput(b, L'"', 1);
      a += k + 1;
    } else {
      ok = wput(b, L'\\', k) && wput(b, a[k], 1);
      a += k + 1;
    }
  }
  return ok && wput(b, L'"', 1);
}

static wchar_t *command_line(char *const argv[]) {
  wbuf b = {0};
  for (size_t i = 0; argv[i]; i++) {
    wchar_t *w = wide(argv[i]);
    const bool ok = w && (i == 0 || wput(&b, L' ', 1)) && quote_arg(&b, w);
    free(w);
    if (!ok) {
      free(b.p);
      return NULL;
    }
  }
  return b.p;
}

int tw_plat_run(char *const argv[], const char *env_name, const char *env_value,
                const char *who) {
  fflush(NULL);
  wchar_t *app = wide(argv[0]), *cmd = command_line(argv);
  wchar_t *name = wide(env_name), *value = wide(env_value);
  STARTUPINFOW si = {0};
  si.cb = sizeof si;
  si.dwFlags = STARTF_USESTDHANDLES;
  si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
  si.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
  si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
  PROCESS_INFORMATION pi;
  /* The child inherits this process's environment, the marker added. */
  bool started = app && cmd && name && value && SetEnvironmentVariableW(name, value) &&
                 CreateProcessW(app, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi);
  if (!started) set_errno(GetLastError());
  /* A directory fails as execv(2) fails on one. */
  const DWORD attrs = started || !app ? INVALID_FILE_ATTRIBUTES : GetFileAttributesW(app);
  if (attrs != INVALID_FILE_ATTRIBUTES && (attrs & FILE_ATTRIBUTE_DIRECTORY)) errno = EISDIR;
  free(app), free(cmd), free(name), free(value);
  if (!started) {
    fprintf(stderr, "%s: error: cannot run %s: %s\n", who, argv[0], tw_plat_strerror(errno));
    return 127;
  }
  DWORD code = 1;
  WaitForSingleObject(pi.hProcess, INFINITE);
  GetExitCodeProcess(pi.hProcess, &code);
  CloseHandle(pi.hThread);
  CloseHandle(pi.hProcess);
  return (int)code;
}

/* No worker processes on Windows (libwabt's are forked: not built here). */
void tw_plat_worker_start(long parent) { (void)parent; }
