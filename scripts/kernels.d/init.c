/* PID 1 of a cancelfuzz kernel-matrix guest (scripts/kernels).
 *
 * The host packs this program (static), a static cancelfuzz, the corpus and a
 * plan into an initramfs and boots a kernel with it under QEMU. The kernel's own
 * log goes to the first serial port (console=ttyS0); this init writes results,
 * and nothing else, to the second (/dev/ttyS1), so a kernel message can never
 * land inside a result.
 *
 * The plan (/plan) is read line by line; words are separated by single spaces
 * and nothing is quoted (the host writes every path itself):
 *
 *   env NAME=VALUE              set a variable for the commands that follow
 *   write PATH VALUE            write VALUE to PATH (a sysctl under /proc/sys)
 *   mkdir PATH
 *   run LABEL SECONDS ARGV...   run ARGV with stdout and stderr captured;
 *                               SIGKILL after SECONDS. A word with a '*' is
 *                               a glob(3) pattern; when one matches nothing
 *                               the command is skipped (rc=skipped)
 *   files LABEL DIR             send every regular file directly in DIR
 *   kmsg LABEL                  send what /dev/kmsg holds now
 *
 * Frames on ttyS1, one per line, the payload of each line after "| ":
 *
 *   @@CF begin LABEL
 *   | output line
 *   @@CF end LABEL rc=N ms=M          rc=timeout when it was killed
 *   @@CF file LABEL NAME SIZE         followed by SIZE bytes as base64 lines
 *   @@CF done                         the plan ran to its end
 *
 * Then the guest powers off. A guest that never says "done" hung or crashed;
 * the host's watchdog and the kernel log tell which. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define MAX_WORDS 64

static int out_fd = -1;

static void out_raw(const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(out_fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

static void out_line(const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	out_raw(buf, (size_t)n);
}

/* The result port, raw: no CR added, no echo, no line discipline surprises.
 * Falls back to the console when the kernel has one serial port only. */
static void open_output(void)
{
	struct termios t;

	out_fd = open("/dev/ttyS1", O_WRONLY | O_NOCTTY);
	if (out_fd < 0) {
		out_fd = open("/dev/console", O_WRONLY | O_NOCTTY);
		if (out_fd < 0)
			out_fd = 2;
		out_line("@@CF note no /dev/ttyS1 (%s): results share the console", strerror(errno));
		return;
	}
	if (tcgetattr(out_fd, &t) == 0) {
		cfmakeraw(&t);
		cfsetospeed(&t, B115200);
		tcsetattr(out_fd, TCSANOW, &t);
	}
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sends captured output, each line framed with "| "; a partial last line is
 * kept in *pending until more arrives or the command ends. */
static void emit_chunk(char *pending, size_t *plen, size_t cap, const char *data, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (data[i] == '\n' || *plen == cap - 1) {
			pending[*plen] = 0;
			out_line("| %s", pending);
			*plen = 0;
			if (data[i] == '\n')
				continue;
		}
		pending[(*plen)++] = data[i];
	}
}

/* Expands the words of argv that hold a '*'; 0 when one matched nothing. */
static int expand(char **w, int nw, glob_t *g)
{
	int flags = 0;

	memset(g, 0, sizeof(*g));
	for (int i = 0; i < nw; i++) {
		if (!strchr(w[i], '*')) {
			/* glob of a plain word gives the word itself (GLOB_NOCHECK) */
			glob(w[i], flags | GLOB_NOCHECK | GLOB_NOESCAPE, NULL, g);
		} else if (glob(w[i], flags | GLOB_NOESCAPE, NULL, g) != 0) {
			return 0;
		}
		flags = GLOB_APPEND;
	}
	return 1;
}

static void cmd_run(char **words, int nwords)
{
	char pending[4096], **w;
	size_t plen = 0;
	int pfd[2], status = 0, killed = 0;
	long long start, deadline;
	glob_t g;
	pid_t pid;

	if (nwords < 4) {
		out_line("@@CF error run needs LABEL SECONDS ARGV");
		return;
	}
	out_line("@@CF begin %s", words[1]);
	if (!expand(words, nwords, &g)) {
		globfree(&g);
		out_line("@@CF end %s rc=skipped ms=0", words[1]);
		return;
	}
	w = g.gl_pathv;
	if (pipe(pfd) < 0) {
		out_line("@@CF end %s rc=error ms=0 pipe: %s", w[1], strerror(errno));
		globfree(&g);
		return;
	}
	start = now_ms();
	deadline = start + atol(w[2]) * 1000;
	pid = fork();
	if (pid == 0) {
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		close(pfd[0]);
		close(pfd[1]);
		setsid();
		execv(w[3], &w[3]);
		fprintf(stderr, "exec %s: %s\n", w[3], strerror(errno));
		_exit(127);
	}
	close(pfd[1]);
	if (pid < 0) {
		close(pfd[0]);
		out_line("@@CF end %s rc=error ms=0 fork: %s", w[1], strerror(errno));
		globfree(&g);
		return;
	}
	for (;;) {
		struct pollfd p = { .fd = pfd[0], .events = POLLIN };
		long long left = deadline - now_ms();
		char buf[4096];
		ssize_t n;

		if (left <= 0 && !killed) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			killed = 1;
		}
		if (poll(&p, 1, left > 0 ? (int)(left > 1000 ? 1000 : left) : 1000) <= 0)
			continue;
		n = read(pfd[0], buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		emit_chunk(pending, &plen, sizeof(pending), buf, (size_t)n);
	}
	close(pfd[0]);
	if (plen) {
		pending[plen] = 0;
		out_line("| %s", pending);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (killed)
		out_line("@@CF end %s rc=timeout ms=%lld", w[1], now_ms() - start);
	else if (WIFEXITED(status))
		out_line("@@CF end %s rc=%d ms=%lld", w[1], WEXITSTATUS(status), now_ms() - start);
	else
		out_line("@@CF end %s rc=signal%d ms=%lld", w[1], WTERMSIG(status), now_ms() - start);
	globfree(&g);
}

static void send_base64(const unsigned char *data, size_t len)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char line[80];
	size_t n = 0;

	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned)data[i] << 16;

		if (i + 1 < len)
			v |= (unsigned)data[i + 1] << 8;
		if (i + 2 < len)
			v |= data[i + 2];
		line[n++] = tab[(v >> 18) & 63];
		line[n++] = tab[(v >> 12) & 63];
		line[n++] = i + 1 < len ? tab[(v >> 6) & 63] : '=';
		line[n++] = i + 2 < len ? tab[v & 63] : '=';
		if (n == 76 || i + 3 >= len) {
			line[n++] = '\n';
			out_raw(line, n);
			n = 0;
		}
	}
}

static void send_file(const char *label, const char *dir, const char *name)
{
	char path[4096];
	unsigned char *buf;
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > (16 << 20)) {
		if (fd >= 0)
			close(fd);
		return;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf && read(fd, buf, (size_t)st.st_size) == st.st_size) {
		out_line("@@CF file %s %s %lld", label, name, (long long)st.st_size);
		send_base64(buf, (size_t)st.st_size);
	}
	free(buf);
	close(fd);
}

static void cmd_files(char **w, int nw)
{
	struct dirent **list;
	int n;

	if (nw != 3)
		return;
	n = scandir(w[2], &list, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		if (list[i]->d_name[0] != '.')
			send_file(w[1], w[2], list[i]->d_name);
		free(list[i]);
	}
	if (n >= 0)
		free(list);
}

/* /dev/kmsg records are "PRIO,SEQ,USEC,FLAGS;text"; continuation lines start
 * with a space and are dropped. */
static void cmd_kmsg(char **w, int nw)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	char rec[8192];

	if (nw != 2)
		return;
	out_line("@@CF begin %s", w[1]);
	for (; fd >= 0;) {
		ssize_t n = read(fd, rec, sizeof(rec) - 1);
		char *text;

		if (n < 0 && errno == EPIPE)
			continue; /* overwritten records: go on with the next */
		if (n <= 0)
			break;
		rec[n] = 0;
		text = strchr(rec, ';');
		if (!text)
			continue;
		text++;
		text[strcspn(text, "\n")] = 0;
		out_line("| %s", text);
	}
	out_line("@@CF end %s rc=%d ms=0", w[1], fd < 0 ? errno : 0);
	if (fd >= 0)
		close(fd);
}

static void cmd_write(char **w, int nw)
{
	int fd;

	if (nw != 3)
		return;
	fd = open(w[1], O_WRONLY);
	if (fd < 0 || write(fd, w[2], strlen(w[2])) < 0)
		out_line("@@CF note cannot write %s: %s", w[1], strerror(errno));
	if (fd >= 0)
		close(fd);
}

static void run_plan(void)
{
	FILE *plan = fopen("/plan", "r");
	char line[8192];

	if (!plan) {
		out_line("@@CF error no /plan: %s", strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), plan)) {
		char *w[MAX_WORDS + 1], *save = NULL;
		int nw = 0;

		line[strcspn(line, "\n")] = 0;
		for (char *t = strtok_r(line, " ", &save); t && nw < MAX_WORDS;
		     t = strtok_r(NULL, " ", &save))
			w[nw++] = t;
		w[nw] = NULL;
		if (nw == 0 || w[0][0] == '#')
			continue;
		if (strcmp(w[0], "run") == 0)
			cmd_run(w, nw);
		else if (strcmp(w[0], "files") == 0)
			cmd_files(w, nw);
		else if (strcmp(w[0], "kmsg") == 0)
			cmd_kmsg(w, nw);
		else if (strcmp(w[0], "write") == 0)
			cmd_write(w, nw);
		else if (strcmp(w[0], "mkdir") == 0 && nw == 2)
			mkdir(w[1], 0755);
		else if (strcmp(w[0], "env") == 0 && nw == 2)
			putenv(strdup(w[1]));
		else
			out_line("@@CF error unknown plan line: %s", w[0]);
	}
	fclose(plan);
	out_line("@@CF done");
}

int main(void)
{
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("tmpfs", "/tmp", "tmpfs", 0, "size=256m");
	mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL);
	setenv("PATH", "/bin", 1);
	open_output();
	signal(SIGPIPE, SIG_IGN);
	run_plan();
	tcdrain(out_fd);
	sync();
	reboot(RB_POWER_OFF);
	/* No ACPI power-off: a reset ends QEMU too, which runs with -no-reboot. */
	reboot(RB_AUTOBOOT);
	for (;;)
		pause();
}
