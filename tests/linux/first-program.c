// SPDX-License-Identifier: MIT
// What a student's first programs do with files, processes and the shell: stdio on a file made
// with fopen (write, read back, append), perror, getcwd after mkdir and chdir, popen of a
// pipeline, system()'s status, a pipe to a forked child, dup2 to send stdout into a file, and a
// directory read with opendir. Each step prints what it saw; nothing that differs between two
// correct kernels (no pids, times or addresses).
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void stdio_on_a_file(void) {
    FILE* f = fopen("out", "w");
    printf("fopen(\"out\", \"w\"): %s\n", f != NULL ? "ok" : strerror(errno));
    if (f == NULL) return;
    for (int i = 1; i <= 2; ++i) fprintf(f, "line %d\n", i);
    fclose(f);
    f = fopen("out", "a");
    fputs("line 3, appended\n", f);
    fclose(f);
    char line[100];
    f = fopen("out", "r");
    while (fgets(line, sizeof line, f) != NULL) printf("read back: %s", line);
    fclose(f);
    struct stat st;
    stat("out", &st);
    printf("its size: %lld\n", (long long)st.st_size);
    fflush(stdout);
    if (fopen("/no/such/file", "r") == NULL) perror("fopen of a missing file");
}

static void directories(void) {
    char cwd[256];
    printf("getcwd: %s\n", getcwd(cwd, sizeof cwd));
    printf("mkdir dir: %d\n", mkdir("dir", 0755));
    printf("chdir dir: %d\n", chdir("dir"));
    printf("getcwd: %s\n", getcwd(cwd, sizeof cwd));
    FILE* f = fopen("inner", "w");
    fclose(f);
    printf("chdir ..: %d\n", chdir(".."));
    DIR* d = opendir("dir");
    struct dirent* e;
    int names = 0;
    while ((e = readdir(d)) != NULL) {
        printf("  in dir: %s\n", e->d_name);
        ++names;
    }
    closedir(d);
    printf("names read: %d\n", names);
}

static void the_shell(void) {
    fflush(stdout);
    FILE* p = popen("echo hello from a pipeline | busybox tr a-z A-Z", "r");
    char line[100];
    if (p != NULL && fgets(line, sizeof line, p) != NULL) printf("popen read: %s", line);
    printf("pclose: %d\n", p != NULL ? pclose(p) : -1);
    fflush(stdout);
    const int status = system("exit 3");
    printf("system(\"exit 3\"): %d, exit status %d\n", status, WEXITSTATUS(status));
    fflush(stdout);
    system("echo system runs the shell; ls dir");
}

static void a_pipe_and_a_child(void) {
    int fds[2];
    printf("pipe: %d\n", pipe(fds));
    fflush(stdout);
    const pid_t child = fork();
    if (child == 0) {
        close(fds[0]);
        const char message[] = "a message through the pipe";
        write(fds[1], message, sizeof message);
        _exit(0);
    }
    close(fds[1]);
    char buffer[100] = {0};
    const ssize_t n = read(fds[0], buffer, sizeof buffer);
    printf("the parent read %zd bytes: %s\n", n, buffer);
    printf("then end of file: %zd\n", read(fds[0], buffer, sizeof buffer));
    close(fds[0]);
    int status;
    waitpid(child, &status, 0);
    printf("the child's exit status: %d\n", WEXITSTATUS(status));
}

static void redirected_stdout(void) {
    fflush(stdout);
    const int saved = dup(1);
    const int file = open("redirected", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(file, 1);
    close(file);
    printf("this line went into a file\n");
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    char line[100] = {0};
    FILE* f = fopen("redirected", "r");
    fgets(line, sizeof line, f);
    fclose(f);
    printf("the file holds: %s", line);
}

int main(void) {
    stdio_on_a_file();
    directories();
    the_shell();
    a_pipe_and_a_child();
    redirected_stdout();
    printf("cleaned up: %d %d %d %d\n", unlink("out"), unlink("dir/inner"), rmdir("dir"),
           unlink("redirected"));
    return 0;
}
