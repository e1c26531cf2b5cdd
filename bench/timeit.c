/* timeit: run a command once as a whole process and print
 *   WALL_SECONDS PEAK_RSS_KB EXIT_STATUS
 * Wall time is CLOCK_MONOTONIC around fork..wait4; peak resident memory is
 * wait4's ru_maxrss (what `/usr/bin/time -f %M` prints), with microsecond
 * wall resolution instead of time(1)'s 10 ms.
 * If RM is not "-", that file is removed first (untimed), so the tool
 * writes a new file instead of replacing one.
 * Options, before RM (both untimed):
 *   -e FILE  FILE must exist before the run (the tool writes onto an existing
 *            output); if it does not, exit 2 without running anything
 *   -s       sync() first, so no dirty data of earlier runs is written back
 *            while this one is timed (the existing output is on disk, as it
 *            is when a build replaces the output of an earlier build)
 * usage: timeit [-s] [-e FILE] RM|- CMD [ARGS...]
 * (the command's stdout goes to /dev/null) */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int do_sync = 0;
  const char *must_exist = NULL;
  for (;;) {
    if (argc > 1 && strcmp(argv[1], "-s") == 0) {
      do_sync = 1;
      argv++, argc--;
    } else if (argc > 2 && strcmp(argv[1], "-e") == 0) {
      must_exist = argv[2];
      argv += 2, argc -= 2;
    } else {
      break;
    }
  }
  if (argc < 3) {
    fprintf(stderr, "usage: timeit [-s] [-e FILE] RM|- CMD [ARGS...]\n");
    return 2;
  }
  if (strcmp(argv[1], "-") != 0) unlink(argv[1]);
  if (must_exist && access(must_exist, F_OK) != 0) {
    fprintf(stderr, "timeit: %s does not exist (the tool must write onto an existing output)\n", must_exist);
    return 2;
  }
  if (do_sync) sync();
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  pid_t pid = fork();
  if (pid < 0) return perror("fork"), 2;
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    if (null >= 0) dup2(null, 1);
    execvp(argv[2], argv + 2);
    perror(argv[2]);
    _exit(127);
  }
  int status;
  struct rusage ru;
  if (wait4(pid, &status, 0, &ru) < 0) return perror("wait4"), 2;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double wall = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  printf("%.6f %ld %d\n", wall, ru.ru_maxrss, code);
  return 0;
}
