// skiff-init: PID 1 of a Skiff micro-VM and the agent the host talks to. It mounts /proc, /sys, /dev, devpts and
// cgroup2, opens the virtio-serial port named "skiff", brings up the loopback, lets the boot's deferred work finish,
// prints SKIFF-READY on the console (the moment the host may snapshot a template VM) and waits for the host's
// CONFIGURE: the wall clock, a random seed, hostname, eth0's MAC, address and gateway, then the pod's 9p share (tag
// "pod") mounted at /pod — so that one booted template serves every pod of its size, restored from a snapshot. Then it serves the host: run a container (its rootfs and volumes on /pod), exec in it, stdin/resize/signals, output
// and exit reports (code, signal, OOM), and port-forward connections to 127.0.0.1. The protocol is in
// docs/microvm.md; frames are <u32 length><u8 type><u32 id><payload>, little-endian.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <poll.h>
#include <pty.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/random.h>
#include <linux/seccomp.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

enum {
  H_RUN = 1, H_EXEC = 2, H_STDIN = 3, H_STDIN_EOF = 4, H_RESIZE = 5, H_SIGNAL = 6, H_CONNECT = 7, H_DATA = 8,
  H_CLOSE = 9, H_POWEROFF = 10, H_LIST = 11, H_STATS = 12, H_CONFIGURE = 13,
  G_HELLO = 64, G_STARTED = 65, G_FAILED = 66, G_OUTPUT = 67, G_EXIT = 68, G_CONNECTED = 69, G_DATA = 70,
  G_CLOSE = 71, G_LOG = 72, G_RUNNING = 73, G_STATS = 74,
};

#define MAX_FRAME (1 << 20)
#define MAX_PROCS 512
#define MAX_CONNS 1024

struct proc {
  uint32_t id;
  pid_t pid;
  int container;      // 1: a container's first process, 0: an exec
  int in, out, err;   // pipes (or the pty master in `out`, with in == out)
  int tty;
  int exited, status;
  long long exited_at;  // ms, when the process was reaped
  char cgroup[80];
};

struct conn {
  uint32_t id;
  int fd;
};

static int port = -1;
static struct proc procs[MAX_PROCS];
static struct conn conns[MAX_CONNS];
static int connected = 1;

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void write_all(int fd, const void *buf, size_t len) {
  const char *p = buf;
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) {
        struct pollfd pfd = {fd, POLLOUT, 0};
        poll(&pfd, 1, 100);
        continue;
      }
      return;
    }
    p += n;
    len -= (size_t)n;
  }
}

static void send_frame(uint8_t type, uint32_t id, const void *a, size_t alen, const void *b, size_t blen) {
  unsigned char head[9];
  uint32_t len = (uint32_t)(5 + alen + blen);
  memcpy(head, &len, 4);
  head[4] = type;
  memcpy(head + 5, &id, 4);
  write_all(port, head, 9);
  if (alen) write_all(port, a, alen);
  if (blen) write_all(port, b, blen);
}

static void say(uint8_t type, uint32_t id, const char *fmt, ...) {
  char text[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  if (n < 0) n = 0;
  if (n >= (int)sizeof text) n = sizeof text - 1;
  send_frame(type, id, text, (size_t)n, NULL, 0);
}

// ---- payloads: NUL-terminated "key=value" strings; repeated keys (arg, env, mount) keep their order ----

struct kv {
  const char *p;
  size_t len;
};

static const char *kv_get(struct kv *kv, const char *key) {
  size_t klen = strlen(key);
  for (const char *s = kv->p; s < kv->p + kv->len; s += strlen(s) + 1) {
    if (strncmp(s, key, klen) == 0 && s[klen] == '=') return s + klen + 1;
  }
  return NULL;
}

static int kv_all(struct kv *kv, const char *key, char **out, int max) {
  size_t klen = strlen(key);
  int n = 0;
  for (const char *s = kv->p; s < kv->p + kv->len && n < max; s += strlen(s) + 1) {
    if (strncmp(s, key, klen) == 0 && s[klen] == '=') out[n++] = (char *)(s + klen + 1);
  }
  out[n] = NULL;
  return n;
}

static long kv_num(struct kv *kv, const char *key, long fallback) {
  const char *v = kv_get(kv, key);
  return v && *v ? strtol(v, NULL, 10) : fallback;
}

// ---- boot ----

static void mkdirs(const char *path, mode_t mode) {
  char buf[4096];
  snprintf(buf, sizeof buf, "%s", path);
  for (char *p = buf + 1; *p; p++) {
    if (*p != '/') continue;
    *p = 0;
    mkdir(buf, mode);
    *p = '/';
  }
  mkdir(buf, mode);
}

static void write_file(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return;
  write_all(fd, text, strlen(text));
  close(fd);
}

static char cmdline[4096];

static const char *cmdline_arg(const char *key) {
  static char value[256];
  size_t klen = strlen(key);
  for (char *s = cmdline; *s;) {
    while (*s == ' ' || *s == '\n') s++;
    char *end = s;
    while (*end && *end != ' ' && *end != '\n') end++;
    if ((size_t)(end - s) > klen && strncmp(s, key, klen) == 0 && s[klen] == '=') {
      size_t n = (size_t)(end - s) - klen - 1;
      if (n >= sizeof value) n = sizeof value - 1;
      memcpy(value, s + klen + 1, n);
      value[n] = 0;
      return value;
    }
    s = end;
  }
  return NULL;
}

static void set_addr(struct sockaddr *sa, in_addr_t addr) {
  struct sockaddr_in *in = (struct sockaddr_in *)sa;
  memset(in, 0, sizeof *in);
  in->sin_family = AF_INET;
  in->sin_addr.s_addr = addr;
}

static void link_up(int s, const char *name) {
  struct ifreq ifr = {0};
  snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
  if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
    ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
    ioctl(s, SIOCSIFFLAGS, &ifr);
  }
}

static void configure_network(const char *ip, const char *gw, const char *mac) {
  int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0) return;
  unsigned int m[6];
  if (mac && sscanf(mac, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]) == 6) {
    // The template's MAC is in the restored device; the pod's own goes to the device (virtio-net's control queue).
    struct ifreq ifr = {0};
    snprintf(ifr.ifr_name, IFNAMSIZ, "eth0");
    ifr.ifr_hwaddr.sa_family = 1;  // ARPHRD_ETHER
    for (int i = 0; i < 6; i++) ifr.ifr_hwaddr.sa_data[i] = (char)m[i];
    ioctl(s, SIOCSIFHWADDR, &ifr);
  }
  if (ip) {
    char addr[64];
    snprintf(addr, sizeof addr, "%s", ip);
    char *slash = strchr(addr, '/');
    int prefix = 32;
    if (slash) {
      *slash = 0;
      prefix = atoi(slash + 1);
    }
    struct ifreq ifr = {0};
    snprintf(ifr.ifr_name, IFNAMSIZ, "eth0");
    set_addr(&ifr.ifr_addr, inet_addr(addr));
    ioctl(s, SIOCSIFADDR, &ifr);
    set_addr(&ifr.ifr_netmask, prefix ? htonl(0xffffffffu << (32 - prefix)) : 0);
    ioctl(s, SIOCSIFNETMASK, &ifr);
    link_up(s, "eth0");
  }
  if (gw) {
    struct rtentry rt = {0};
    set_addr(&rt.rt_dst, 0);
    set_addr(&rt.rt_genmask, 0);
    set_addr(&rt.rt_gateway, inet_addr(gw));
    rt.rt_flags = RTF_UP | RTF_GATEWAY;
    rt.rt_dev = (char *)"eth0";
    ioctl(s, SIOCADDRT, &rt);
  }
  close(s);
}

// Every VM restored from one template starts with the template's random state: the host's seed is mixed in and
// the kernel's generator reseeded from it before anything of the pod runs.
static void add_seed(const char *hex) {
  size_t n = strlen(hex) / 2;
  if (n == 0 || n > 256) return;
  struct {
    struct rand_pool_info info;
    unsigned char bytes[256];
  } pool;
  for (size_t i = 0; i < n; i++) {
    unsigned int byte;
    if (sscanf(hex + 2 * i, "%2x", &byte) != 1) return;
    pool.bytes[i] = (unsigned char)byte;
  }
  pool.info.entropy_count = (int)(n * 8);
  pool.info.buf_size = (int)n;
  int fd = open("/dev/urandom", O_WRONLY | O_CLOEXEC);
  if (fd < 0) return;
  ioctl(fd, RNDADDENTROPY, &pool);
  ioctl(fd, RNDRESEEDCRNG);
  close(fd);
}

// What every pod's guest has the same is done before SKIFF-READY, where a template is saved: each VM restored from
// it runs its guest code through QEMU's translator anew (TCG keeps no translations in a snapshot), so work left
// for after the restore costs every pod. The loopback comes up here, and the boot's deferred work is waited for:
// the TSC's refined calibration (1 s after the clocksource starts) switches the clocksource from tsc-early to tsc
// through stop_machine and two kernel messages. (eth0 brought up here as well saved nothing: CONFIGURE then changes
// its MAC and makes its link-local address, which cost as much as the link coming up.)
static const char spare_cgroup[] = "/sys/fs/cgroup/c0";

static void settle(void) {
  mkdir(spare_cgroup, 0755);
  int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s >= 0) {
    link_up(s, "lo");
    close(s);
  }
  for (int tries = 0; tries < 300; tries++) {
    char name[32] = {0};
    int fd = open("/sys/devices/system/clocksource/clocksource0/current_clocksource", O_RDONLY | O_CLOEXEC);
    if (fd < 0) break;
    ssize_t n = read(fd, name, sizeof name - 1);
    close(fd);
    if (n <= 0 || strcmp(name, "tsc-early\n") != 0) break;
    usleep(10000);
  }
  usleep(200000);  // what the switch deferred (its messages' console pass, RCU callbacks) runs here too
}

static int open_port(void) {
  for (int tries = 0; tries < 500; tries++) {
    DIR *d = opendir("/sys/class/virtio-ports");
    struct dirent *e;
    while (d && (e = readdir(d))) {
      if (e->d_name[0] == '.') continue;
      char path[512], name[64] = {0};
      snprintf(path, sizeof path, "/sys/class/virtio-ports/%s/name", e->d_name);
      int fd = open(path, O_RDONLY | O_CLOEXEC);
      if (fd < 0) continue;
      ssize_t n = read(fd, name, sizeof name - 1);
      close(fd);
      if (n > 0 && strncmp(name, "skiff", 5) == 0 && (name[5] == '\n' || name[5] == 0)) {
        snprintf(path, sizeof path, "/dev/%s", e->d_name);
        closedir(d);
        return open(path, O_RDWR | O_CLOEXEC);
      }
    }
    if (d) closedir(d);
    usleep(10000);
  }
  return -1;
}

static void boot(void) {
  mkdir("/proc", 0555);
  mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
  mkdir("/sys", 0555);
  mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
  mkdir("/dev", 0755);
  mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
  mkdir("/dev/pts", 0755);
  mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620");
  mount("cgroup2", "/sys/fs/cgroup", "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
  write_file("/sys/fs/cgroup/cgroup.subtree_control", "+memory +pids +cpu");
  mkdir("/tmp", 01777);
  mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, NULL);
  int fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    ssize_t n = read(fd, cmdline, sizeof cmdline - 1);
    if (n > 0) cmdline[n] = 0;
    close(fd);
  }
  mkdir("/pod", 0755);
  write_file("/proc/sys/vm/overcommit_memory", "1");
  write_file("/proc/sys/kernel/pid_max", "4194304");
}

// ---- processes ----

static struct proc *proc_new(uint32_t id) {
  for (int i = 0; i < MAX_PROCS; i++) {
    if (procs[i].id == 0) {
      memset(&procs[i], 0, sizeof procs[i]);
      procs[i].id = id;
      procs[i].in = procs[i].out = procs[i].err = -1;
      return &procs[i];
    }
  }
  return NULL;
}

static struct proc *proc_of(uint32_t id) {
  for (int i = 0; i < MAX_PROCS; i++)
    if (procs[i].id == id) return &procs[i];
  return NULL;
}

static void close_fd(int *fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

static void proc_free(struct proc *p) {
  if (p->tty) {
    close_fd(&p->out);
    p->in = -1;
  } else {
    close_fd(&p->in);
    close_fd(&p->out);
    close_fd(&p->err);
  }
  if (p->cgroup[0]) rmdir(p->cgroup);
  p->id = 0;
}

// Everything the child does before exec; on failure the message goes to `errfd` and the child exits.
static void fail(int errfd, const char *what, const char *arg) {
  char msg[1024];
  int n = snprintf(msg, sizeof msg, "%s%s%s: %s", what, arg ? " " : "", arg ? arg : "", strerror(errno));
  write_all(errfd, msg, (size_t)(n > 0 ? n : 0));
  _exit(127);
}

static void mount_in(int errfd, const char *root, const char *src, const char *dst, const char *type,
                     unsigned long flags, const char *data) {
  char target[4096];
  snprintf(target, sizeof target, "%s%s", root, dst);
  mkdirs(target, 0755);
  if (mount(src, target, type, flags, data) != 0) fail(errfd, "mount", dst);
}

static void mknod_in(const char *root, const char *name, int major_, int minor_) {
  char path[4096];
  snprintf(path, sizeof path, "%s/dev/%s", root, name);
  mknod(path, S_IFCHR | 0666, makedev(major_, minor_));
  chmod(path, 0666);
}

static void symlink_in(const char *root, const char *target, const char *name) {
  char path[4096];
  snprintf(path, sizeof path, "%s/dev/%s", root, name);
  symlink(target, path);
}

// A volume or file bind-mounted into the container: "source\x1ftarget\x1fro|rw".
static void bind_in(int errfd, const char *root, char *spec) {
  char *src = spec, *dst = strchr(spec, '\x1f');
  if (!dst) return;
  *dst++ = 0;
  char *mode = strchr(dst, '\x1f');
  if (mode) *mode++ = 0;
  char target[4096];
  snprintf(target, sizeof target, "%s%s", root, dst);
  struct stat st;
  if (stat(src, &st) != 0) fail(errfd, "stat", src);
  if (S_ISDIR(st.st_mode)) {
    mkdirs(target, 0755);
  } else {
    char parent[4096];
    snprintf(parent, sizeof parent, "%s", target);
    char *slash = strrchr(parent, '/');
    if (slash) {
      *slash = 0;
      mkdirs(parent, 0755);
    }
    int fd = open(target, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
    if (fd >= 0) close(fd);
  }
  if (mount(src, target, NULL, MS_BIND | MS_REC, NULL) != 0) fail(errfd, "bind mount", dst);
  if (mode && strcmp(mode, "ro") == 0) mount(NULL, target, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC, NULL);
}

static void set_limits(struct kv *kv) {
  const char *names[] = {"nofile", "nproc"};
  int resources[] = {RLIMIT_NOFILE, RLIMIT_NPROC};
  for (int i = 0; i < 2; i++) {
    const char *v = kv_get(kv, names[i]);
    if (!v) continue;
    struct rlimit rl;
    rl.rlim_cur = strtoul(v, NULL, 10);
    const char *colon = strchr(v, ':');
    rl.rlim_max = colon ? strtoul(colon + 1, NULL, 10) : rl.rlim_cur;
    setrlimit(resources[i], &rl);
  }
}

// The container's capabilities (a hex mask, as the host computed them from the runtime default, add and drop):
// the bounding set is cut before the user changes; a root process keeps exactly the mask.
static void drop_bounding(struct kv *kv) {
  const char *caps = kv_get(kv, "caps");
  if (!caps) return;
  uint64_t mask = strtoull(caps, NULL, 16);
  for (int cap = 0; cap <= CAP_LAST_CAP; cap++)
    if (!(mask >> cap & 1)) prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
}

static void set_caps(int errfd, struct kv *kv) {
  const char *caps = kv_get(kv, "caps");
  if (caps && getuid() == 0) {
    uint64_t mask = strtoull(caps, NULL, 16);
    struct __user_cap_header_struct head = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    for (int i = 0; i < 2; i++) {
      data[i].effective = data[i].permitted = data[i].inheritable = (uint32_t)(mask >> (32 * i));
    }
    if (syscall(SYS_capset, &head, data) != 0) fail(errfd, "capset", NULL);
  }
  if (kv_num(kv, "nonewprivs", 0) && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) fail(errfd, "no_new_privs", NULL);
}

// The container's seccomp filter (a classic BPF program the host compiled, hex): as runc, installed while still
// privileged unless no_new_privs is set, in which case it is the last step before exec.
static void install_seccomp(int errfd, struct kv *kv) {
  const char *hex = kv_get(kv, "seccomp");
  if (!hex) return;
  size_t n = strlen(hex) / 2;
  static unsigned char bytes[4096 * sizeof(struct sock_filter)];
  if (n == 0 || n % sizeof(struct sock_filter) || n > sizeof bytes) {
    errno = EINVAL;
    fail(errfd, "seccomp filter", NULL);
  }
  for (size_t i = 0; i < n; i++) {
    char pair[3] = {hex[2 * i], hex[2 * i + 1], 0};
    bytes[i] = (unsigned char)strtoul(pair, NULL, 16);
  }
  struct sock_fprog prog = {(unsigned short)(n / sizeof(struct sock_filter)), (struct sock_filter *)bytes};
  if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0) fail(errfd, "seccomp", NULL);
}

static void become_user(int errfd, struct kv *kv) {
  gid_t groups[64];
  int ngroups = 0;
  const char *g = kv_get(kv, "groups");
  for (const char *s = g; s && *s && ngroups < 64;) {
    groups[ngroups++] = (gid_t)strtoul(s, NULL, 10);
    s = strchr(s, ',');
    if (s) s++;
  }
  if (setgroups((size_t)ngroups, groups) != 0) fail(errfd, "setgroups", NULL);
  if (setgid((gid_t)kv_num(kv, "gid", 0)) != 0) fail(errfd, "setgid", NULL);
  if (setuid((uid_t)kv_num(kv, "uid", 0)) != 0) fail(errfd, "setuid", NULL);
}

static void exec_command(int errfd, struct kv *kv) {
  static char *argv[1024], *envp[4096];
  kv_all(kv, "arg", argv, 1023);
  kv_all(kv, "env", envp, 4095);
  if (!argv[0]) {
    errno = EINVAL;
    fail(errfd, "no command specified", NULL);
  }
  const char *cwd = kv_get(kv, "cwd");
  if (cwd && *cwd && chdir(cwd) != 0) fail(errfd, "chdir to cwd", cwd);
  environ = envp;
  if (!getenv("PATH")) setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 1);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  execvpe(argv[0], argv, environ);
  if (errno == ENOENT && !strchr(argv[0], '/')) {
    char msg[1024];
    int n = snprintf(msg, sizeof msg, "exec: \"%s\": executable file not found in $PATH", argv[0]);
    write_all(errfd, msg, (size_t)n);
    _exit(127);
  }
  char what[1100];
  snprintf(what, sizeof what, "exec: \"%s\"", argv[0]);
  fail(errfd, what, NULL);
}

// The container's own /proc, /dev (with the VM's devpts, shm) and /sys inside its root, its volumes, then chroot.
static void enter_container_root(int errfd, struct kv *kv) {
  const char *root = kv_get(kv, "root");
  if (!root) {
    errno = EINVAL;
    fail(errfd, "no root", NULL);
  }
  mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
  if (mount(root, root, NULL, MS_BIND | MS_REC, NULL) != 0) fail(errfd, "bind mount", root);
  mount_in(errfd, root, "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
  mount_in(errfd, root, "tmpfs", "/dev", "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k");
  mknod_in(root, "null", 1, 3);
  mknod_in(root, "zero", 1, 5);
  mknod_in(root, "full", 1, 7);
  mknod_in(root, "random", 1, 8);
  mknod_in(root, "urandom", 1, 9);
  mknod_in(root, "tty", 5, 0);
  // The VM's own devpts: the terminals skiff-init opens for a pod's processes are the ones they see (ttyname).
  mount_in(errfd, root, "/dev/pts", "/dev/pts", NULL, MS_BIND, NULL);
  symlink_in(root, "pts/ptmx", "ptmx");
  symlink_in(root, "/proc/self/fd", "fd");
  symlink_in(root, "/proc/self/fd/0", "stdin");
  symlink_in(root, "/proc/self/fd/1", "stdout");
  symlink_in(root, "/proc/self/fd/2", "stderr");
  mount_in(errfd, root, "shm", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=65536k");
  mount_in(errfd, root, "mqueue", "/dev/mqueue", "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
  mount_in(errfd, root, "sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, NULL);
  static char *mounts[256];
  kv_all(kv, "mount", mounts, 255);
  for (int i = 0; mounts[i]; i++) bind_in(errfd, root, mounts[i]);
  if (kv_num(kv, "readonly", 0) && mount(NULL, root, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) != 0)
    fail(errfd, "remount read-only", root);
  if (chdir(root) != 0) fail(errfd, "chdir", root);
  if (chroot(".") != 0) fail(errfd, "chroot", root);
  chdir("/");
}

static void child_stdio(struct proc *p, int slave, int pin[2], int pout[2], int perr[2]) {
  setsid();
  if (p->tty) {
    ioctl(slave, TIOCSCTTY, 0);
    dup2(slave, 0);
    dup2(slave, 1);
    dup2(slave, 2);
    if (slave > 2) close(slave);
    return;
  }
  dup2(pin[0], 0);
  dup2(pout[1], 1);
  dup2(perr[1], 2);
  for (int i = 0; i < 2; i++) {
    if (pin[i] > 2) close(pin[i]);
    if (pout[i] > 2) close(pout[i]);
    if (perr[i] > 2) close(perr[i]);
  }
}

static void write_cgroup(const char *dir, const char *file, const char *value) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, file);
  write_file(path, value);
}

// The pod's shared PID namespace (shareProcessNamespace), made on first use: its PID 1 is a "pause" process that
// only reaps, as the pause container is on a node.
static pid_t pause_pid = -1;

static pid_t pod_pause(void) {
  if (pause_pid > 0 && kill(pause_pid, 0) == 0) return pause_pid;
  pid_t pid = (pid_t)syscall(SYS_clone, SIGCHLD | CLONE_NEWPID, 0, 0, 0, 0);
  if (pid == 0) {
    for (int fd = 3; fd < 1024; fd++) close(fd);  // it must hold no pipe of the process being started
    prctl(PR_SET_NAME, "pause", 0, 0, 0);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    for (;;)
      if (waitpid(-1, NULL, 0) < 0) pause();
  }
  pause_pid = pid;
  return pid;
}

// What a started process does before exec, on its own stack in skiff-init's memory (see start).
struct child {
  struct proc *p;
  struct kv *kv;
  int container, target, rootfd, slave, errfd;
  int pin[2], pout[2], perr[2];
};

static char child_stack[256 * 1024] __attribute__((aligned(16)));

static int child_main(void *arg) {
  struct child *c = arg;
  struct kv *kv = c->kv;
  int errfd = c->errfd;
  write_file("/proc/self/oom_score_adj", "0");
  char cg[128];
  snprintf(cg, sizeof cg, "%s/cgroup.procs", c->p->cgroup);
  write_file(cg, "0");
  if (c->container) {
    enter_container_root(errfd, kv);
  } else {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/ns/mnt", c->target);
    int mnt = open(path, O_RDONLY | O_CLOEXEC);
    if (mnt < 0 || setns(mnt, CLONE_NEWNS) != 0) fail(errfd, "setns", "mnt");
    if (fchdir(c->rootfd) != 0 || chroot(".") != 0) fail(errfd, "chroot", NULL);
    chdir("/");
  }
  child_stdio(c->p, c->slave, c->pin, c->pout, c->perr);
  set_limits(kv);
  drop_bounding(kv);
  int nnp = kv_num(kv, "nonewprivs", 0);
  if (!nnp) install_seccomp(errfd, kv);
  become_user(errfd, kv);
  set_caps(errfd, kv);
  if (nnp) install_seccomp(errfd, kv);
  exec_command(errfd, kv);
  return 127;
}

// RUN (a container's first process, in its own pid and mount namespace) and EXEC (a process joining them).
static void start(uint32_t id, struct kv *kv, int container) {
  struct proc *p = proc_new(id);
  if (!p) {
    say(G_FAILED, id, "too many processes");
    return;
  }
  p->container = container;
  p->tty = kv_num(kv, "tty", 0) != 0;
  int target = -1;
  if (!container) {
    struct proc *c = proc_of((uint32_t)kv_num(kv, "container", 0));
    if (!c || c->exited) {
      p->id = 0;
      say(G_FAILED, id, "container not running");
      return;
    }
    target = c->pid;
    snprintf(p->cgroup, sizeof p->cgroup, "%s", c->cgroup);
  } else {
    // The first container takes the cgroup made before the template's snapshot; later ones make their own.
    static int spare = 1;
    if (spare && access(spare_cgroup, F_OK) == 0) snprintf(p->cgroup, sizeof p->cgroup, "%s", spare_cgroup);
    else snprintf(p->cgroup, sizeof p->cgroup, "/sys/fs/cgroup/c%u", id);
    spare = 0;
    mkdir(p->cgroup, 0755);
    const char *memory = kv_get(kv, "memory");
    if (memory && *memory) write_cgroup(p->cgroup, "memory.max", memory);
    const char *cpu = kv_get(kv, "cpu");
    if (cpu && *cpu) write_cgroup(p->cgroup, "cpu.max", cpu);
    const char *weight = kv_get(kv, "cpuweight");
    if (weight && *weight) write_cgroup(p->cgroup, "cpu.weight", weight);
  }
  int pin[2] = {-1, -1}, pout[2] = {-1, -1}, perr[2] = {-1, -1}, perror_[2] = {-1, -1};
  int master = -1, slave = -1;
  if (p->tty) {
    struct winsize ws = {(unsigned short)kv_num(kv, "rows", 24), (unsigned short)kv_num(kv, "cols", 80), 0, 0};
    if (openpty(&master, &slave, NULL, NULL, &ws) != 0) {
      say(G_FAILED, id, "openpty: %s", strerror(errno));
      p->id = 0;
      return;
    }
    fcntl(master, F_SETFD, FD_CLOEXEC);
  } else if (pipe2(pin, O_CLOEXEC) || pipe2(pout, O_CLOEXEC) || pipe2(perr, O_CLOEXEC)) {
    say(G_FAILED, id, "pipe: %s", strerror(errno));
    p->id = 0;
    return;
  }
  pipe2(perror_, O_CLOEXEC);
  int ownpid = -1, rootfd = -1;
  // A container's PID namespace: its own (default), the VM's ("pod": shareProcessNamespace, skiff-init standing
  // for the pause process), or another container's (its guest id: kubectl debug --target).
  const char *pidns = container ? kv_get(kv, "pidns") : NULL;
  if (pidns) {
    struct proc *t = strcmp(pidns, "pod") == 0 ? NULL : proc_of((uint32_t)strtoul(pidns, NULL, 10));
    pid_t holder = strcmp(pidns, "pod") == 0 ? pod_pause() : t && !t->exited ? t->pid : -1;
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/ns/pid", holder);
    int nsfd = open(path, O_RDONLY | O_CLOEXEC);
    ownpid = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
    if (nsfd < 0 || setns(nsfd, CLONE_NEWPID) != 0) {
      say(G_FAILED, id, "joining the PID namespace: %s", holder > 0 ? strerror(errno) : "its holder is not running");
      if (nsfd >= 0) close(nsfd);
      close(ownpid);
      p->id = 0;
      return;
    }
    close(nsfd);
  }
  if (!container) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/ns/pid", target);
    int nsfd = open(path, O_RDONLY | O_CLOEXEC);
    ownpid = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
    snprintf(path, sizeof path, "/proc/%d/root", target);
    rootfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (nsfd < 0 || rootfd < 0 || setns(nsfd, CLONE_NEWPID) != 0) {
      say(G_FAILED, id, "joining the container: %s", strerror(errno));
      if (nsfd >= 0) close(nsfd);
      if (rootfd >= 0) close(rootfd);
      close(ownpid);
      p->id = 0;
      return;
    }
    close(nsfd);
  }
  // The child shares skiff-init's memory until it execs (CLONE_VM | CLONE_VFORK, as posix_spawn): no page tables
  // copied, no copy-on-write faults, nothing to tear down at exec. skiff-init waits meanwhile.
  struct child c = {p, kv, container, target, rootfd, slave, perror_[1], {pin[0], pin[1]}, {pout[0], pout[1]},
                    {perr[0], perr[1]}};
  int flags = CLONE_VM | CLONE_VFORK | SIGCHLD | (container ? CLONE_NEWNS | (pidns ? 0 : CLONE_NEWPID) : 0);
  pid_t pid = clone(child_main, child_stack + sizeof child_stack, flags, &c);
  if (ownpid >= 0) {
    setns(ownpid, CLONE_NEWPID);
    close(ownpid);
  }
  if (rootfd >= 0) close(rootfd);
  close(perror_[1]);
  if (pid < 0) {
    say(G_FAILED, id, "clone: %s", strerror(errno));
    close(perror_[0]);
    p->id = 0;
    return;
  }
  char msg[1024];
  ssize_t n, got = 0;
  while ((n = read(perror_[0], msg + got, sizeof msg - 1 - (size_t)got)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0) got += n;
  close(perror_[0]);
  p->pid = pid;
  if (p->tty) {
    close(slave);
    p->in = p->out = master;
    fcntl(master, F_SETFL, O_NONBLOCK);
  } else {
    close(pin[0]);
    close(pout[1]);
    close(perr[1]);
    p->in = pin[1];
    p->out = pout[0];
    p->err = perr[0];
    if (!kv_num(kv, "stdin", 0)) close_fd(&p->in);
  }
  if (got > 0) {
    msg[got] = 0;
    say(G_FAILED, id, "%s", msg);
    waitpid(pid, NULL, 0);
    proc_free(p);
    return;
  }
  uint32_t wire = (uint32_t)pid;
  send_frame(G_STARTED, id, &wire, 4, NULL, 0);
}

static int oom_killed(struct proc *p) {
  if (!p->container || !p->cgroup[0]) return 0;
  char path[128], text[512] = {0};
  snprintf(path, sizeof path, "%s/memory.events", p->cgroup);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  ssize_t n = read(fd, text, sizeof text - 1);
  close(fd);
  char *line = n > 0 ? strstr(text, "oom_kill ") : NULL;
  return line && atoi(line + 9) > 0;
}

static void report_exit(struct proc *p) {
  int32_t body[3] = {0, 0, 0};
  if (WIFEXITED(p->status)) body[0] = WEXITSTATUS(p->status);
  if (WIFSIGNALED(p->status)) {
    body[1] = WTERMSIG(p->status);
    body[0] = 128 + body[1];
  }
  body[2] = oom_killed(p);
  send_frame(G_EXIT, p->id, body, sizeof body, NULL, 0);
  proc_free(p);
}

static void reap(void) {
  int status;
  pid_t pid;
  while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
    for (int i = 0; i < MAX_PROCS; i++) {
      if (procs[i].id && procs[i].pid == pid && !procs[i].exited) {
        procs[i].exited = 1;
        procs[i].status = status;
        procs[i].exited_at = now_ms();
      }
    }
  }
}

// A container's cgroup numbers: CPU time (ns) and working set (memory.current less inactive file pages).
static void send_stats(uint32_t id) {
  struct proc *p = proc_of(id);
  uint64_t body[2] = {0, 0};
  if (p && p->container && p->cgroup[0]) {
    char path[160], text[4096];
    snprintf(path, sizeof path, "%s/cpu.stat", p->cgroup);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, text, sizeof text - 1) : -1;
    if (fd >= 0) close(fd);
    if (n > 0) {
      text[n] = 0;
      char *at = strstr(text, "usage_usec ");
      if (at) body[0] = strtoull(at + 11, NULL, 10) * 1000;
    }
    snprintf(path, sizeof path, "%s/memory.current", p->cgroup);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    n = fd >= 0 ? read(fd, text, sizeof text - 1) : -1;
    if (fd >= 0) close(fd);
    uint64_t current = 0, inactive = 0;
    if (n > 0) {
      text[n] = 0;
      current = strtoull(text, NULL, 10);
    }
    snprintf(path, sizeof path, "%s/memory.stat", p->cgroup);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    n = fd >= 0 ? read(fd, text, sizeof text - 1) : -1;
    if (fd >= 0) close(fd);
    if (n > 0) {
      text[n] = 0;
      char *at = strstr(text, "inactive_file ");
      if (at) inactive = strtoull(at + 14, NULL, 10);
    }
    body[1] = current > inactive ? current - inactive : 0;
  }
  send_frame(G_STATS, id, body, sizeof body, NULL, 0);
}

// ---- port-forward ----

static void connect_port(uint32_t id, uint16_t tcp_port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_in sa = {0};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(tcp_port);
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
    int e = errno;
    if (fd >= 0) close(fd);
    say(G_CLOSE, id, "failed to connect to localhost:%u inside the pod: %s", tcp_port, strerror(e));
    return;
  }
  for (int i = 0; i < MAX_CONNS; i++) {
    if (conns[i].id == 0) {
      conns[i].id = id;
      conns[i].fd = fd;
      fcntl(fd, F_SETFL, O_NONBLOCK);
      send_frame(G_CONNECTED, id, NULL, 0, NULL, 0);
      return;
    }
  }
  close(fd);
  say(G_CLOSE, id, "too many connections");
}

static struct conn *conn_of(uint32_t id) {
  for (int i = 0; i < MAX_CONNS; i++)
    if (conns[i].id == id) return &conns[i];
  return NULL;
}

// ---- the host's frames ----

static int configured = 0;

// CONFIGURE: applied once (a host that reconnects after an agent restart sends it again, empty), answered with
// HELLO and the kernel release, or FAILED when the pod's share cannot be mounted.
static void configure(uint32_t id, struct kv *kv) {
  if (!configured) {
    const char *time_ns = kv_get(kv, "time");
    if (time_ns && *time_ns) {
      long long ns = strtoll(time_ns, NULL, 10);
      struct timespec ts = {ns / 1000000000LL, ns % 1000000000LL};
      clock_settime(CLOCK_REALTIME, &ts);
    }
    const char *seed = kv_get(kv, "seed");
    if (seed) add_seed(seed);
    const char *host = kv_get(kv, "hostname");
    if (host) sethostname(host, strlen(host));
    configure_network(kv_get(kv, "ip"), kv_get(kv, "gw"), kv_get(kv, "mac"));
    if (mount("pod", "/pod", "9p", 0, "trans=virtio,version=9p2000.L,msize=262144,cache=none,access=client") != 0) {
      say(G_FAILED, id, "mounting the pod's share: %s", strerror(errno));
      return;
    }
    configured = 1;
  }
  struct utsname u;
  uname(&u);
  say(G_HELLO, id, "%s", u.release);
}

static void handle(uint8_t type, uint32_t id, char *body, size_t len) {
  struct kv kv = {body, len};
  struct proc *p;
  struct conn *c;
  switch (type) {
    case H_RUN:
    case H_EXEC:
      if (len == 0) break;
      body[len - 1] = 0;
      start(id, &kv, type == H_RUN);
      break;
    case H_STDIN:
      if ((p = proc_of(id)) && p->in >= 0) write_all(p->in, body, len);
      break;
    case H_STDIN_EOF:
      if ((p = proc_of(id))) {
        if (p->tty) write_all(p->in, "\x04", 1);
        else close_fd(&p->in);
      }
      break;
    case H_RESIZE:
      if ((p = proc_of(id)) && p->tty && len >= 4) {
        uint16_t cols, rows;
        memcpy(&cols, body, 2);
        memcpy(&rows, body + 2, 2);
        struct winsize ws = {rows, cols, 0, 0};
        ioctl(p->out, TIOCSWINSZ, &ws);
      }
      break;
    case H_SIGNAL:
      if ((p = proc_of(id)) && !p->exited && len >= 4) {
        int32_t sig;
        memcpy(&sig, body, 4);
        kill(p->pid, sig);
      }
      break;
    case H_CONNECT:
      if (len >= 2) {
        uint16_t tcp_port;
        memcpy(&tcp_port, body, 2);
        connect_port(id, tcp_port);
      }
      break;
    case H_DATA:
      if ((c = conn_of(id))) {
        int flags = fcntl(c->fd, F_GETFL);
        fcntl(c->fd, F_SETFL, flags & ~O_NONBLOCK);
        write_all(c->fd, body, len);
        fcntl(c->fd, F_SETFL, flags);
      }
      break;
    case H_CLOSE:
      if ((c = conn_of(id))) {
        if (len == 1 && body[0] == 'w') {
          shutdown(c->fd, SHUT_WR);
        } else {
          close(c->fd);
          c->id = 0;
        }
      }
      break;
    case H_POWEROFF:
      sync();
      reboot(RB_AUTOBOOT);
      break;
    case H_STATS:
      send_stats(id);
      break;
    case H_CONFIGURE:
      if (len > 0) body[len - 1] = 0;
      configure(id, &kv);
      break;
    case H_LIST:
      for (int i = 0; i < MAX_PROCS; i++) {
        if (procs[i].id && procs[i].container) {
          uint32_t wire = (uint32_t)procs[i].pid;
          send_frame(G_RUNNING, procs[i].id, &wire, 4, NULL, 0);
        }
      }
      send_frame(G_RUNNING, 0, NULL, 0, NULL, 0);
      break;
  }
}

static char rbuf[MAX_FRAME + 16];
static size_t rlen;

static void read_port(void) {
  ssize_t n = read(port, rbuf + rlen, sizeof rbuf - rlen);
  if (n <= 0) {
    if (n == 0 || errno != EINTR) connected = 0;
    return;
  }
  rlen += (size_t)n;
  size_t at = 0;
  while (rlen - at >= 4) {
    uint32_t flen;
    memcpy(&flen, rbuf + at, 4);
    if (flen < 5 || flen > MAX_FRAME) {  // a broken stream: drop what we have
      rlen = at = 0;
      break;
    }
    if (rlen - at < 4 + flen) break;
    uint8_t type = (uint8_t)rbuf[at + 4];
    uint32_t id;
    memcpy(&id, rbuf + at + 5, 4);
    char *body = rbuf + at + 9;
    size_t blen = flen - 5;
    char saved = body[blen];
    handle(type, id, body, blen ? blen : 0);
    body[blen] = saved;
    at += 4 + flen;
  }
  memmove(rbuf, rbuf + at, rlen - at);
  rlen -= at;
}

// Output of a process: a frame per read; at EOF the fd is closed.
static void pump(struct proc *p, int *fd, uint8_t stream) {
  char buf[32768];
  ssize_t n = read(*fd, buf, sizeof buf);
  if (n > 0) {
    send_frame(G_OUTPUT, p->id, &stream, 1, buf, (size_t)n);
  } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
    if (p->tty) {
      close_fd(fd);
      p->in = -1;
    } else {
      close_fd(fd);
    }
  }
}

static void pump_conn(struct conn *c) {
  char buf[32768];
  ssize_t n = read(c->fd, buf, sizeof buf);
  if (n > 0) {
    send_frame(G_DATA, c->id, buf, (size_t)n, NULL, 0);
  } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
    send_frame(G_CLOSE, c->id, NULL, 0, NULL, 0);
    close(c->fd);
    c->id = 0;
  }
}

static void serve(void) {
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGCHLD);
  sigprocmask(SIG_BLOCK, &mask, NULL);
  int sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
  int waits = 0;
  static struct pollfd fds[1 + 2 * MAX_PROCS + MAX_CONNS];
  static void *owners[1 + 2 * MAX_PROCS + MAX_CONNS];
  static int kinds[1 + 2 * MAX_PROCS + MAX_CONNS];
  for (;;) {
    reap();
    long long now = now_ms();
    int timeout = 1000;
    for (int i = 0; i < MAX_PROCS; i++) {
      struct proc *p = &procs[i];
      if (!p->id || !p->exited || !connected) continue;
      // The exit is reported once its output is drained (or 500 ms after, when a descendant holds it open).
      if ((p->out < 0 && p->err < 0) || now - p->exited_at > 500) report_exit(p);
      else timeout = 50;
    }
    if (!connected) {
      // No host on the port (the agent restarts): exits and output wait in the kernel until one is back.
      struct pollfd probe = {port, POLLIN, 0};
      poll(&probe, 1, 200);
      // A port without a host reads as hung up (and readable: a read returns 0) until one connects; the first
      // seconds are polled finely, since a VM restored from a template was snapshotted here and its host connects
      // at once.
      if (!(probe.revents & POLLHUP)) {
        connected = 1;
        waits = 0;
      } else {
        usleep(waits++ < 500 ? 5000 : 200000);
      }
      continue;
    }
    int n = 0;
    fds[n] = (struct pollfd){port, POLLIN, 0};
    kinds[n++] = 0;
    fds[n] = (struct pollfd){sfd, POLLIN, 0};
    kinds[n++] = 4;
    {
      for (int i = 0; i < MAX_PROCS; i++) {
        struct proc *p = &procs[i];
        if (!p->id) continue;
        if (p->out >= 0) {
          fds[n] = (struct pollfd){p->out, POLLIN, 0};
          owners[n] = p;
          kinds[n++] = 1;
        }
        if (p->err >= 0 && !p->tty) {
          fds[n] = (struct pollfd){p->err, POLLIN, 0};
          owners[n] = p;
          kinds[n++] = 2;
        }
      }
      for (int i = 0; i < MAX_CONNS; i++) {
        if (!conns[i].id) continue;
        fds[n] = (struct pollfd){conns[i].fd, POLLIN, 0};
        owners[n] = &conns[i];
        kinds[n++] = 3;
      }
    }
    int ready = poll(fds, (nfds_t)n, timeout);
    if (ready < 0) continue;
    if (fds[0].revents & POLLIN) read_port();
    else if (fds[0].revents & POLLHUP) connected = 0;
    if (fds[1].revents & POLLIN) {
      struct signalfd_siginfo info;
      while (read(sfd, &info, sizeof info) > 0) {
      }
    }
    for (int i = 2; i < n; i++) {
      if (!fds[i].revents) continue;
      if (kinds[i] == 3) {
        pump_conn(owners[i]);
      } else {
        struct proc *p = owners[i];
        if (!p->id) continue;
        pump(p, kinds[i] == 1 ? &p->out : &p->err, (uint8_t)kinds[i]);
      }
    }
  }
}

int main(void) {
  if (getpid() != 1) {
    fprintf(stderr, "skiff-init: must run as PID 1 of a Skiff micro-VM\n");
    return 2;
  }
  boot();
  if (cmdline_arg("skiff.probe")) {  // the host's acceleration probe: booting this far is the answer
    int console = open("/dev/console", O_WRONLY | O_CLOEXEC);
    write_all(console, "SKIFF-PROBE-OK\n", 15);
    reboot(RB_AUTOBOOT);
  }
  port = open_port();
  if (port < 0) {
    fprintf(stderr, "skiff-init: no virtio-serial port named skiff\n");
    reboot(RB_AUTOBOOT);
  }
  settle();
  int console = open("/dev/console", O_WRONLY | O_CLOEXEC);
  write_all(console, "SKIFF-READY\n", 12);
  close(console);
  serve();
  return 0;
}
