/*
 * rusage_of: runs a command and writes what it cost, for the clients bench/run cannot measure
 * from the inside (wrk, h2load). bench/run builds it with `cc -O2` into its work dir.
 *
 *   rusage_of OUTFILE COMMAND [ARG...]
 *
 * The command's stdin/stdout/stderr are passed through. When it has ended, OUTFILE gets one
 * line: "RUSAGE cpu_us=U maxrss_kib=K status=S", with user + system CPU time in microseconds
 * and peak RSS of the command (and anything it waited for) from wait4(), and S its exit code
 * (128 + signal number when it was killed). Exit code: the command's; 127 when it could not
 * be started; 2 on bad arguments.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: rusage_of OUTFILE COMMAND [ARG...]\n");
    return 2;
  }
  pid_t child = fork();
  if (child < 0) {
    perror("rusage_of: fork");
    return 127;
  }
  if (child == 0) {
    execvp(argv[2], argv + 2);
    fprintf(stderr, "rusage_of: cannot run %s: %s\n", argv[2], strerror(errno));
    _exit(127);
  }
  int status = 0;
  struct rusage ru;
  memset(&ru, 0, sizeof ru);
  while (wait4(child, &status, 0, &ru) < 0) {
    if (errno != EINTR) {
      perror("rusage_of: wait4");
      return 127;
    }
  }
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  double cpu_us = (double)ru.ru_utime.tv_sec * 1e6 + (double)ru.ru_utime.tv_usec +
                  (double)ru.ru_stime.tv_sec * 1e6 + (double)ru.ru_stime.tv_usec;
  FILE *out = fopen(argv[1], "w");
  if (!out) {
    perror("rusage_of: OUTFILE");
    return 127;
  }
  fprintf(out, "RUSAGE cpu_us=%.0f maxrss_kib=%ld status=%d\n", cpu_us, ru.ru_maxrss, code);
  fclose(out);
  return code;
}
