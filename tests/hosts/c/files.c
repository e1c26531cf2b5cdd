/* Arguments, environment and files baked into the module with
   --stub-wasi-arg, --stub-wasi-env and --stub-wasi-dir (files.opts): /data
   is ../tree, /more is ../tree/sub, both read only. Prints what it finds
   through stdio, fopen/fread, opendir/readdir and stat, and the errno of
   what a read-only tree refuses; files.txt has the expected text (what
   wasmtime 49 prints with its own WASI and a read-only copy of the tree). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/libc.h>
#include "check.h"

static const char *errname(int e) {
  switch (e) {
  case 0: return "0";
  case EACCES: return "EACCES";
  case EBADF: return "EBADF";
  case EEXIST: return "EEXIST";
  case EINVAL: return "EINVAL";
  case EIO: return "EIO";
  case EILSEQ: return "EILSEQ";
  case EISDIR: return "EISDIR";
  case ENAMETOOLONG: return "ENAMETOOLONG";
  case ENOENT: return "ENOENT";
  case ENOSYS: return "ENOSYS";
  case ENOTCAPABLE: return "ENOTCAPABLE";
  case ENOTDIR: return "ENOTDIR";
  case ENOTEMPTY: return "ENOTEMPTY";
  case ENOTSUP: return "ENOTSUP";
  case EPERM: return "EPERM";
  case EROFS: return "EROFS";
  case ESPIPE: return "ESPIPE";
  default: return "other";
  }
}

struct entry {
  char *name;
  ino_t ino;
};

static int by_name(const void *a, const void *b) {
  return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

/* The entries of DIR sorted by name (readdir's order is the host's), each
   with its type and size from stat, and d_ino equal to stat's st_ino. */
static void list(const char *dir) {
  struct entry ents[16];
  int n = 0;
  DIR *d = opendir(dir);
  CHECK(d != NULL);
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    CHECK(n < 16);
    ents[n].ino = e->d_ino;
    ents[n++].name = strdup(e->d_name);
  }
  CHECK(closedir(d) == 0);
  printf("%s: %d entries\n", dir, n);
  qsort(ents, n, sizeof ents[0], by_name);
  for (int i = 0; i < n; i++) {
    char path[256];
    struct stat st;
    /* "." and ".." come from readdir as on any host; stat of ".." would
       leave the preopen. */
    const char *name = ents[i].name;
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
      printf("  %s\n", name);
      free(ents[i].name);
      continue;
    }
    snprintf(path, sizeof path, "%s/%s", dir, name);
    CHECK(stat(path, &st) == 0);
    CHECK(st.st_ino == ents[i].ino);
    printf("  %s %s %lld\n", name, S_ISDIR(st.st_mode) ? "dir" : S_ISREG(st.st_mode) ? "file" : "other",
           S_ISDIR(st.st_mode) ? 0LL : (long long)st.st_size);
    free(ents[i].name);
  }
}

/* open(PATH, FLAGS): "opened" or the errno. */
static void try_open(const char *what, const char *path, int flags) {
  errno = 0;
  int fd = open(path, flags);
  printf("%s: %s\n", what, fd >= 0 ? "opened" : errname(errno));
  if (fd >= 0) close(fd);
}

/* The errno of a call that returned R (0 when it succeeded). */
static void result(const char *what, long r) {
  printf("%s: %s\n", what, r >= 0 ? "0" : errname(errno));
}

static void try_fopen(const char *path, const char *mode) {
  errno = 0;
  FILE *f = fopen(path, mode);
  printf("fopen %s \"%s\": %s\n", path, mode, f ? "opened" : errname(errno));
  if (f) fclose(f);
}

int main(int argc, char **argv) {
  printf("argc %d\n", argc);
  for (int i = 0; i < argc; i++) printf("argv[%d] \"%s\"\n", i, argv[i]);
  CHECK(argv[argc] == NULL);
  const char *g = getenv("GREETING");
  printf("GREETING %s\n", g ? g : "(unset)");
  printf("HOME %s\n", getenv("HOME") ? "set" : "(unset)");

  char buf[64];
  FILE *f = fopen("/data/hello.txt", "r");
  CHECK(f != NULL);
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = 0;
  CHECK(feof(f) && !ferror(f));
  CHECK(fclose(f) == 0);
  printf("hello.txt %zu bytes: %s", n, buf);

  /* lines.txt in 100-byte reads: 200 lines "line NNN\n". */
  f = fopen("/data/lines.txt", "r");
  CHECK(f != NULL);
  size_t total = 0, lines = 0;
  unsigned sum = 0;
  while ((n = fread(buf, 1, 100, f)) > 0) {
    for (size_t i = 0; i < n; i++) {
      sum = sum * 31 + (unsigned char)buf[i];
      lines += buf[i] == '\n';
    }
    total += n;
  }
  printf("lines.txt %zu bytes, %zu lines, hash %08x\n", total, lines, sum);
  CHECK(fseek(f, -9, SEEK_END) == 0 && ftell(f) == 1791);
  CHECK(fgets(buf, sizeof buf, f) != NULL);
  printf("last line: %s", buf);
  CHECK(fseek(f, 9 * 41, SEEK_SET) == 0);
  CHECK(fgets(buf, sizeof buf, f) != NULL);
  printf("line 42: %s", buf);
  CHECK(fclose(f) == 0);

  /* pread on a descriptor. */
  int fd = open("/more/nested.txt", O_RDONLY);
  CHECK(fd >= 0);
  CHECK(pread(fd, buf, 3, 2) == 3);
  buf[3] = 0;
  printf("pread /more/nested.txt at 2: %s\n", buf);
  CHECK(close(fd) == 0);

  list("/data");
  list("/data/sub");
  list("/more");

  struct stat a, b;
  CHECK(stat("/data/hello.txt", &a) == 0 && stat("/data/lines.txt", &b) == 0);
  printf("stat: same st_dev %d, distinct st_ino %d\n", a.st_dev == b.st_dev, a.st_ino != b.st_ino);
  CHECK(stat("/data/sub/nested.txt", &a) == 0 && stat("/more/nested.txt", &b) == 0);
  printf("stat /data/sub/nested.txt and /more/nested.txt: size %lld %lld\n",
         (long long)a.st_size, (long long)b.st_size);

  /* What a read-only tree refuses, and what is not there. */
  try_fopen("/data/nope.txt", "r");
  try_fopen("/data/new.txt", "w");
  try_fopen("/data/hello.txt", "w");
  try_fopen("/data/hello.txt", "a");
  try_fopen("/data/hello.txt", "r+");
  try_fopen("/nowhere/x", "r");
  errno = 0;
  printf("opendir of a file: %s\n", opendir("/data/hello.txt") ? "opened" : errname(errno));
  errno = 0;
  printf("mkdir: %s\n", mkdir("/data/newdir", 0755) == 0 ? "made" : errname(errno));
  errno = 0;
  printf("unlink: %s\n", unlink("/data/hello.txt") == 0 ? "removed" : errname(errno));
  struct stat st;
  errno = 0;
  printf("stat of a missing file: %s\n", stat("/data/sub/nope", &st) == 0 ? "found" : errname(errno));
  fd = open("/data", O_RDONLY | O_DIRECTORY);
  CHECK(fd >= 0);
  errno = 0;
  printf("read of a directory: %s\n", read(fd, buf, 1) >= 0 ? "read" : errname(errno));
  CHECK(fstat(fd, &st) == 0 && S_ISDIR(st.st_mode));
  errno = 0;
  result("pread of a directory", pread(fd, buf, 1, 0));
  errno = 0;
  result("lseek of a directory", lseek(fd, 0, SEEK_CUR));
  errno = 0;
  result("write to a directory", write(fd, "x", 1));
  CHECK(close(fd) == 0);

  try_open("open sub/../hello.txt", "/data/sub/../hello.txt", O_RDONLY);
  try_open("open sub/../../x", "/data/sub/../../x", O_RDONLY);
  try_open("open hello.txt/", "/data/hello.txt/", O_RDONLY);
  try_open("open hello.txt O_DIRECTORY", "/data/hello.txt", O_RDONLY | O_DIRECTORY);
  try_open("open sub/", "/data/sub/", O_RDONLY);
  try_open("open sub O_WRONLY", "/data/sub", O_WRONLY);
  try_open("open hello.txt O_CREAT|O_EXCL", "/data/hello.txt", O_RDONLY | O_CREAT | O_EXCL);
  try_open("open hello.txt O_TRUNC", "/data/hello.txt", O_RDONLY | O_TRUNC);

  fd = open("/data/lines.txt", O_RDONLY);
  CHECK(fd >= 0);
  errno = 0;
  result("write to a file opened for reading", write(fd, "x", 1));
  errno = 0;
  result("lseek to -1", lseek(fd, -1, SEEK_SET));
  printf("lseek past the end: %lld\n", (long long)lseek(fd, 5000, SEEK_SET));
  printf("read past the end: %ld\n", (long)read(fd, buf, 8));
  printf("pread past the end: %ld\n", (long)pread(fd, buf, 8, 1800));
  printf("posix_fadvise: %d\n", posix_fadvise(fd, 0, 100, POSIX_FADV_SEQUENTIAL));
  CHECK(close(fd) == 0);
  errno = 0;
  result("close of a closed descriptor", close(fd));

  errno = 0;
  result("rmdir sub", rmdir("/data/sub"));
  errno = 0;
  result("rename", rename("/data/hello.txt", "/data/renamed.txt"));
  errno = 0;
  result("symlink", symlink("hello.txt", "/data/link"));
  errno = 0;
  result("truncate", truncate("/data/hello.txt", 0));
  errno = 0;
  result("access R_OK", access("/data/hello.txt", R_OK));
  errno = 0;
  result("stat sub/", stat("/data/sub/", &st));

  /* path_open's checks before and after the walk, in wasmtime's order. */
  try_open("open nodir/x O_CREAT", "/data/nodir/x", O_RDONLY | O_CREAT);
  try_open("open sub O_CREAT", "/data/sub", O_RDONLY | O_CREAT);
  try_open("open hello.txt/ O_CREAT", "/data/hello.txt/", O_RDONLY | O_CREAT);
  try_open("open sub O_DIRECTORY|O_TRUNC", "/data/sub", O_RDONLY | O_DIRECTORY | O_TRUNC);
  try_open("open hello.txt O_DSYNC", "/data/hello.txt", O_RDONLY | O_DSYNC);
  try_open("open hello.txt O_SYNC", "/data/hello.txt", O_RDONLY | O_SYNC);
  try_open("open a name not in UTF-8", "/data/\xff", O_RDONLY);
  char longname[6 + 256 + 1] = "/data/";
  memset(longname + 6, 'x', 256);
  longname[6 + 256] = 0;
  try_open("open a 256-byte name", longname, O_RDONLY);

  /* What a file opened for reading answers to the calls that would change
     it (the tree's owner is not the caller), and what a directory answers. */
  char link[16];
  errno = 0;
  result("readlink of a file", readlink("/data/hello.txt", link, sizeof link));
  errno = 0;
  result("readlink of a directory", readlink("/data/sub", link, sizeof link));
  errno = 0;
  result("readlink of a missing name", readlink("/data/nope", link, sizeof link));
  errno = 0;
  result("readlink hello.txt/", readlink("/data/hello.txt/", link, sizeof link));
  fd = open("/data/lines.txt", O_RDONLY);
  CHECK(fd >= 0);
  errno = 0;
  result("fsync", fsync(fd));
  errno = 0;
  result("fdatasync", fdatasync(fd));
  errno = 0;
  result("fcntl F_SETFL O_NONBLOCK", fcntl(fd, F_SETFL, O_NONBLOCK));
  errno = 0;
  result("fcntl F_SETFL O_APPEND", fcntl(fd, F_SETFL, O_APPEND));
  errno = 0;
  result("fcntl F_SETFL O_DSYNC", fcntl(fd, F_SETFL, O_DSYNC));
  errno = 0;
  result("ftruncate", ftruncate(fd, 0));
  printf("posix_fallocate: %s\n", errname(posix_fallocate(fd, 0, 10)));
  errno = 0;
  result("futimens now", futimens(fd, NULL));
  int other = open("/data/hello.txt", O_RDONLY);
  CHECK(other >= 0 && lseek(fd, 5, SEEK_SET) == 5);
  errno = 0;
  result("renumber", __wasilibc_fd_renumber(fd, other));
  CHECK(read(other, buf, 3) == 3);
  buf[3] = 0;
  printf("read after renumber: %s\n", buf);
  errno = 0;
  result("close of the renumbered descriptor", close(fd));
  CHECK(close(other) == 0);
  fd = open("/data/sub", O_RDONLY | O_DIRECTORY);
  CHECK(fd >= 0);
  errno = 0;
  result("fsync of a directory", fsync(fd));
  errno = 0;
  result("ftruncate of a directory", ftruncate(fd, 0));
  errno = 0;
  result("futimens now of a directory", futimens(fd, NULL));
  CHECK(close(fd) == 0);
  return 0;
}
