// libglass_preload.so: the TCP sockets of an unmodified, dynamically linked
// program become glass sockets when the address they bind or connect to
// belongs to glass. `glass run` loads it with LD_PRELOAD (docs/run.md).
//
// Implementation notes:
// - socket() cannot know where a socket will go, so it stays the kernel's
//   TCP socket until bind, listen or connect names a glass address. Then a
//   glass socket is made, given the TCP socket's O_NONBLOCK, the options
//   the program set on it so far and its bind, the operation runs on it,
//   and dup3() puts it on the program's fd number (keeping FD_CLOEXEC);
//   epoll registrations of the old socket are made again on the new one.
// - A glass socket made here carries a tag in SO_INCOMING_CPU (which glass
//   never updates): a magic number and the program's address family. So
//   sockets passed through fork, exec, dup or SCM_RIGHTS are recognised
//   with one getsockopt and no table, and a program's own AF_GLASS sockets
//   (not tagged) are left alone.
// - The only table is of TCP sockets not yet connected ("candidates"): the
//   options and bind the program gave them and their epoll registrations,
//   keyed by fd and checked against the socket's inode. One mutex guards
//   it; fork holds it across (pthread_atfork).
// - Calls on glass sockets are translated: addresses to and from the
//   program's family (AF_INET, or AF_INET6 with ::ffff:A.B.C.D), TCP_NODELAY,
//   TCP_CORK and TCP_MAXSEG to their SOL_GLASS options, TCP_INFO from
//   GLASS_INFO, SO_DOMAIN and SO_PROTOCOL answered as TCP's. What cannot be
//   mapped fails with an errno and one line on stderr (once per kind),
//   never by falling back to TCP.
// - Nothing here throws; every interposed call keeps errno as the program
//   expects it.
#include <dlfcn.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "nets.hpp"
#include "options.hpp"
#include "route.hpp"

#define GLASS_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

using glass::preload::Net;
using glass::preload::V4;

// --- the real functions -----------------------------------------------------

template <typename Fn>
Fn next_fn(const char* name, std::atomic<void*>* slot) {
  void* p = slot->load(std::memory_order_relaxed);
  if (p == nullptr) {
    p = dlsym(RTLD_NEXT, name);
    slot->store(p, std::memory_order_relaxed);
  }
  return reinterpret_cast<Fn>(p);
}

#define NEXT(fn)                                 \
  ([] {                                          \
    static std::atomic<void*> slot{nullptr};     \
    return next_fn<decltype(&::fn)>(#fn, &slot); \
  }())

int real_getsockopt(int fd, int level, int name, void* val, socklen_t* len) noexcept {
  return NEXT(getsockopt)(fd, level, name, val, len);
}
int real_setsockopt(int fd, int level, int name, const void* val, socklen_t len) noexcept {
  return NEXT(setsockopt)(fd, level, name, val, len);
}

// --- configuration (environment, set by glass run) --------------------------

struct Config {
  bool nets_mode = false;      // GLASS_NETS given: only these nets are glass
  std::vector<Net> nets;       // host order
  bool wildcard_glass = true;  // GLASS_WILDCARD=glass|tcp: listeners on 0.0.0.0 / ::
  bool verbose = false;        // GLASS_RUN_VERBOSE=1: a line per socket made glass
};

void say(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void say(const char* fmt, ...) {
  char line[512];
  va_list ap;
  va_start(ap, fmt);
  const int n = std::snprintf(line, sizeof(line), "glass run[%d]: ", static_cast<int>(getpid()));
  std::vsnprintf(line + n, sizeof(line) - static_cast<std::size_t>(n) - 1, fmt, ap);
  va_end(ap);
  std::strcat(line, "\n");
  // One write: lines of concurrent processes do not interleave.
  const ssize_t unused = write(STDERR_FILENO, line, std::strlen(line));
  (void)unused;
}

Config load_config() {
  Config c;
  const char* nets = std::getenv("GLASS_NETS");
  if (nets != nullptr && *nets != '\0') {
    std::string why;
    auto parsed = glass::preload::parse_nets(nets, &why);
    c.nets_mode = true;
    if (parsed) {
      c.nets = std::move(*parsed);
    } else {
      say("GLASS_NETS: %s; no address is glass", why.c_str());
    }
  }
  const char* wild = std::getenv("GLASS_WILDCARD");
  if (wild != nullptr && std::strcmp(wild, "tcp") == 0) c.wildcard_glass = false;
  const char* verbose = std::getenv("GLASS_RUN_VERBOSE");
  c.verbose = verbose != nullptr && std::strcmp(verbose, "1") == 0;
  return c;
}

// Never destroyed: a program may use sockets while exiting.
const Config& config() {
  static const Config& c = *new Config(load_config());
  return c;
}

// --- locks, fork, messages --------------------------------------------------

pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;

class Lock {
 public:
  Lock() { pthread_mutex_lock(&g_mu); }
  ~Lock() { pthread_mutex_unlock(&g_mu); }
  Lock(const Lock&) = delete;
  Lock& operator=(const Lock&) = delete;
};

// One line on stderr per key, for the life of the process.
void note_once(const std::string& key, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
void note_once(const std::string& key, const char* fmt, ...) {
  static std::set<std::string>& seen = *new std::set<std::string>;
  {
    Lock lock;
    if (!seen.insert(key).second) return;
  }
  char text[400];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(text, sizeof(text), fmt, ap);
  va_end(ap);
  say("%s", text);
}

// Fails a call that glass cannot map: errno err, one line on stderr.
int refuse(int err, const std::string& key, const char* what) {
  note_once(key, "%s (%s)", what, strerrorname_np(err));
  errno = err;
  return -1;
}

// --- what a socket is -------------------------------------------------------

constexpr int kTagMagic = 0x676c0000;  // "gl" in SO_INCOMING_CPU's high half
constexpr int kTagMask = 0x7fff0000;

enum class Kind {
  kOther,   // not a socket, or not one of ours to touch
  kTcp,     // an AF_INET/AF_INET6 TCP socket: may become glass
  kOurs,    // a glass socket this library made; family is the program's
  kNative,  // an AF_GLASS socket the program made itself: left alone
};

struct Sock {
  Kind kind = Kind::kOther;
  int family = 0;
};

int int_opt(int fd, int level, int name, int* out) {
  socklen_t len = sizeof(*out);
  return real_getsockopt(fd, level, name, out, &len);
}

Sock classify(int fd) {
  const int saved = errno;
  Sock s;
  int domain = 0;
  if (int_opt(fd, SOL_SOCKET, SO_DOMAIN, &domain) == 0) {
    int v = 0;
    if (domain == AF_GLASS) {
      const bool tagged =
          int_opt(fd, SOL_SOCKET, SO_INCOMING_CPU, &v) == 0 && (v & kTagMask) == kTagMagic;
      s.kind = tagged ? Kind::kOurs : Kind::kNative;
      s.family = tagged ? (v & 0xffff) : AF_GLASS;
    } else if (domain == AF_INET || domain == AF_INET6) {
      int type = 0;
      if (int_opt(fd, SOL_SOCKET, SO_TYPE, &type) == 0 && type == SOCK_STREAM &&
          int_opt(fd, SOL_SOCKET, SO_PROTOCOL, &v) == 0 && v == IPPROTO_TCP) {
        s.kind = Kind::kTcp;
        s.family = domain;
      }
    }
  }
  errno = saved;
  return s;
}

void tag(int fd, int family) {
  const int v = kTagMagic | family;
  real_setsockopt(fd, SOL_SOCKET, SO_INCOMING_CPU, &v, sizeof(v));
}

ino_t inode_of(int fd) {
  struct stat st {};
  return fstat(fd, &st) == 0 ? st.st_ino : 0;
}

// The TCP socket has neither connected, nor started to, nor listened.
bool tcp_unused(int fd) {
  tcp_info ti{};
  socklen_t len = sizeof(ti);
  return real_getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0 && ti.tcpi_state == TCP_CLOSE;
}

// --- glass or not -----------------------------------------------------------

bool wildcard(const V4& a) {
  return a.addr == 0;
}

// connect: the destination is glass's.
bool glass_destination(const V4& a) {
  const Config& c = config();
  if (c.nets_mode) return glass::preload::in_nets(c.nets, a.addr);
  return glass::preload::reached_over_glass(a.addr);
}

// bind: the (non-wildcard) local address is glass's.
bool glass_local(const V4& a) {
  const Config& c = config();
  if (c.nets_mode) return glass::preload::in_nets(c.nets, a.addr);
  return glass::preload::assigned_to_glass(a.addr);
}

// --- candidates: TCP sockets not yet connected ------------------------------

struct SavedOpt {
  int level = 0;
  int name = 0;
  std::vector<unsigned char> value;
};

struct Candidate {
  ino_t ino = 0;
  std::vector<SavedOpt> opts;
  std::vector<std::pair<int, epoll_event>> epolls;  // (epfd, event)
  bool bound = false;  // the program called bind(): bind_to is its address
  V4 bind_to;
};

std::unordered_map<int, Candidate>& candidates() {
  static std::unordered_map<int, Candidate>& m = *new std::unordered_map<int, Candidate>;
  return m;
}
std::atomic<int> g_ncandidates{0};

// Under the lock: the record of fd if it is still the same socket.
Candidate* find_candidate(int fd, ino_t ino) {
  auto it = candidates().find(fd);
  if (it == candidates().end()) return nullptr;
  if (it->second.ino != ino) {
    candidates().erase(it);
    g_ncandidates.fetch_sub(1);
    return nullptr;
  }
  return &it->second;
}

void forget_candidate(int fd) {
  if (g_ncandidates.load(std::memory_order_relaxed) == 0) return;
  Lock lock;
  if (candidates().erase(fd) != 0) g_ncandidates.fetch_sub(1);
}

void remember_candidate(int fd) {
  const int saved = errno;
  const ino_t ino = inode_of(fd);
  errno = saved;
  Lock lock;
  Candidate& c = candidates()[fd];
  if (c.ino == 0) g_ncandidates.fetch_add(1);
  c = Candidate{};
  c.ino = ino;
}

// Copies the record out (under the lock) for the conversion.
Candidate take_candidate(int fd) {
  const int saved = errno;
  const ino_t ino = inode_of(fd);
  errno = saved;
  Lock lock;
  Candidate* c = find_candidate(fd, ino);
  return c != nullptr ? *c : Candidate{};
}

// --- making a socket glass --------------------------------------------------

// Gives the glass socket g an option the program set on the TCP socket.
void carry_option(int g, const SavedOpt& o) {
  char buf[64];
  const char* name = glass::preload::option_name(o.level, o.name, buf, sizeof(buf));
  const auto len = static_cast<socklen_t>(o.value.size());
  if (o.level == SOL_SOCKET) {
    // SO_ZEROCOPY: glass's switch is at its own level (set_glass_option()).
    const bool zc = o.name == SO_ZEROCOPY;
    if (real_setsockopt(g, zc ? SOL_GLASS : SOL_SOCKET, zc ? GLASS_ZEROCOPY : o.name,
                        o.value.data(), len) != 0)
      note_once(std::string("carry ") + name, "%s could not be set on the glass socket (%s)", name,
                strerrorname_np(errno));
    return;
  }
  if (o.level == IPPROTO_TCP) {
    if (const auto gopt = glass::preload::glass_option_for_tcp(o.name)) {
      if (real_setsockopt(g, SOL_GLASS, *gopt, o.value.data(), len) != 0)
        note_once(std::string("carry ") + name, "%s could not be set on the glass socket (%s)",
                  name, strerrorname_np(errno));
      return;
    }
  }
  // IPV6_V6ONLY off says what a glass socket of an AF_INET6 program is.
  int v = 1;
  if (o.level == IPPROTO_IPV6 && o.name == IPV6_V6ONLY && o.value.size() >= sizeof(int)) {
    std::memcpy(&v, o.value.data(), sizeof(v));
    if (v == 0) return;
  }
  note_once(std::string("carry ") + name,
            "%s was set before the socket became glass; glass has no equivalent: not carried over",
            name);
}

// Operations that leave the new socket in use even though they "failed".
bool keeps_socket(int rc, int err) {
  return rc == 0 || err == EINPROGRESS || err == EINTR;
}

// Replaces the TCP socket fd (family: the program's) by a glass socket on
// which op(g) ran: see the notes at the top. Returns op's result with its
// errno. what/where say what happened, for GLASS_RUN_VERBOSE.
template <typename Op>
int make_glass(int fd, int family, const char* what, const V4& where, Op op) {
  const int fl = fcntl(fd, F_GETFL);
  const int fdfl = fcntl(fd, F_GETFD);
  if (fl < 0 || fdfl < 0) return -1;
  const int g = NEXT(socket)(AF_GLASS, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (g < 0) {
    const int err = errno;
    return refuse(err, "socket",
                  "cannot make a glass socket: is glass.ko loaded? the call fails rather than "
                  "use TCP");
  }
  if ((fl & O_NONBLOCK) != 0) fcntl(g, F_SETFL, O_NONBLOCK);
  Candidate cand = take_candidate(fd);
  for (const SavedOpt& o : cand.opts) carry_option(g, o);
  tag(g, family);
  const int rc = op(g, cand);
  const int err = errno;
  if (!keeps_socket(rc, err)) {
    close(g);
    errno = err;
    return rc;
  }
  for (const auto& [epfd, ev] : cand.epolls) NEXT(epoll_ctl)(epfd, EPOLL_CTL_DEL, fd, nullptr);
  if (dup3(g, fd, (fdfl & FD_CLOEXEC) != 0 ? O_CLOEXEC : 0) < 0) {
    const int dup_err = errno;
    close(g);
    return refuse(dup_err, "dup3", "cannot put the glass socket on the program's descriptor");
  }
  close(g);
  for (auto [epfd, ev] : cand.epolls) NEXT(epoll_ctl)(epfd, EPOLL_CTL_ADD, fd, &ev);
  forget_candidate(fd);
  if (config().verbose)
    say("fd %d is glass: %s %s", fd, what, glass::preload::format_v4(where).c_str());
  errno = err;
  return rc;
}

// Binds g where the program bound the TCP socket (connect after bind).
int bind_like(int g, const Candidate& cand, int fd) {
  V4 local = cand.bind_to;
  if (!cand.bound) {
    // Not recorded (a socket from before exec, or dup'ed): ask the kernel.
    sockaddr_storage ss{};
    socklen_t len = sizeof(ss);
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return -1;
    const auto v4 = glass::preload::v4_of(reinterpret_cast<sockaddr*>(&ss), len);
    if (!v4 || (v4->addr == 0 && v4->port == 0)) return 0;
    local = *v4;
  }
  const sockaddr_glass sg = glass::preload::to_glass(local);
  return NEXT(bind)(g, reinterpret_cast<const sockaddr*>(&sg), sizeof(sg));
}

// --- address helpers for calls on our glass sockets -------------------------

// The program's address as glass wants it; refuses what cannot be mapped.
bool to_glass_addr(const sockaddr* sa, socklen_t len, const char* call, sockaddr_glass* out) {
  const auto v4 = glass::preload::v4_of(sa, len);
  if (!v4) {
    refuse(EAFNOSUPPORT, std::string(call) + " family",
           (std::string(call) +
            " on a glass socket with an address that is not IPv4 (glass speaks IPv4, or "
            "IPv4-mapped IPv6)")
               .c_str());
    return false;
  }
  *out = glass::preload::to_glass(*v4);
  return true;
}

template <typename Fn>
int get_name(int fd, sockaddr* addr, socklen_t* len, Fn fn) {
  const Sock s = classify(fd);
  if (s.kind != Kind::kOurs || len == nullptr) return fn(fd, addr, len);
  sockaddr_glass sg{};
  socklen_t glen = sizeof(sg);
  const int rc = fn(fd, reinterpret_cast<sockaddr*>(&sg), &glen);
  if (rc != 0) return rc;
  glass::preload::to_program(glass::preload::from_glass(sg), s.family, addr, len);
  return 0;
}

int accept_common(int fd, sockaddr* addr, socklen_t* len, int flags) {
  const Sock s = classify(fd);
  if (s.kind != Kind::kOurs) return NEXT(accept4)(fd, addr, len, flags);
  sockaddr_glass sg{};
  socklen_t glen = sizeof(sg);
  const int nfd = NEXT(accept4)(fd, reinterpret_cast<sockaddr*>(&sg), &glen, flags);
  if (nfd < 0) return nfd;
  const int saved = errno;
  tag(nfd, s.family);
  errno = saved;
  if (addr != nullptr && len != nullptr)
    glass::preload::to_program(glass::preload::from_glass(sg), s.family, addr, len);
  return nfd;
}

// setsockopt on one of our glass sockets.
int set_glass_option(int fd, int level, int name, const void* val, socklen_t len) {
  char buf[64];
  const char* oname = glass::preload::option_name(level, name, buf, sizeof(buf));
  if (level == IPPROTO_TCP) {
    if (const auto gopt = glass::preload::glass_option_for_tcp(name))
      return real_setsockopt(fd, SOL_GLASS, *gopt, val, len);
    return refuse(ENOPROTOOPT, std::string("set ") + oname,
                  (std::string("setsockopt ") + oname + ": glass has no equivalent").c_str());
  }
  // Linux 6.1 takes SO_ZEROCOPY for INET sockets only: glass has it at its level.
  if (level == SOL_SOCKET && name == SO_ZEROCOPY)
    return real_setsockopt(fd, SOL_GLASS, GLASS_ZEROCOPY, val, len);
  if (level == SOL_SOCKET && name == SO_INCOMING_CPU)
    return refuse(ENOPROTOOPT, "set SO_INCOMING_CPU",
                  "setsockopt SO_INCOMING_CPU: glass run keeps its tag there");
  if (level == IPPROTO_IP || level == IPPROTO_IPV6)
    return refuse(ENOPROTOOPT, std::string("set ") + oname,
                  (std::string("setsockopt ") + oname + ": glass has no IP header").c_str());
  return real_setsockopt(fd, level, name, val, len);
}

int put_int(void* val, socklen_t* len, int v) {
  if (val == nullptr || len == nullptr) {
    errno = EFAULT;
    return -1;
  }
  const socklen_t n = std::min<socklen_t>(*len, sizeof(v));
  std::memcpy(val, &v, n);
  *len = n;
  return 0;
}

int get_tcp_info(int fd, void* val, socklen_t* len) {
  glass_info gi{};
  socklen_t glen = sizeof(gi);
  if (real_getsockopt(fd, SOL_GLASS, GLASS_INFO, &gi, &glen) != 0) return -1;
  if (val == nullptr || len == nullptr) {
    errno = EFAULT;
    return -1;
  }
  *len = static_cast<socklen_t>(glass::preload::tcp_info_from_glass(gi, val, *len));
  return 0;
}

// getsockopt on one of our glass sockets.
int get_glass_option(int fd, int family, int level, int name, void* val, socklen_t* len) {
  char buf[64];
  const char* oname = glass::preload::option_name(level, name, buf, sizeof(buf));
  if (level == SOL_SOCKET) {
    if (name == SO_DOMAIN) return put_int(val, len, family);
    if (name == SO_PROTOCOL) return put_int(val, len, IPPROTO_TCP);
    if (name == SO_INCOMING_CPU) return put_int(val, len, -1);
    return real_getsockopt(fd, level, name, val, len);
  }
  if (level == IPPROTO_TCP) {
    if (name == TCP_INFO) return get_tcp_info(fd, val, len);
    if (const auto gopt = glass::preload::glass_option_for_tcp(name))
      return real_getsockopt(fd, SOL_GLASS, *gopt, val, len);
    return refuse(ENOPROTOOPT, std::string("get ") + oname,
                  (std::string("getsockopt ") + oname + ": glass has no equivalent").c_str());
  }
  if (level == IPPROTO_IPV6 && name == IPV6_V6ONLY && family == AF_INET6)
    return put_int(val, len, 0);
  if (level == IPPROTO_IP || level == IPPROTO_IPV6)
    return refuse(ENOPROTOOPT, std::string("get ") + oname,
                  (std::string("getsockopt ") + oname + ": glass has no IP header").c_str());
  return real_getsockopt(fd, level, name, val, len);
}

// Records a setsockopt the program made on a candidate TCP socket.
void record_option(int fd, int level, int name, const void* val, socklen_t len) {
  if (level != SOL_SOCKET && level != IPPROTO_TCP && level != IPPROTO_IP && level != IPPROTO_IPV6)
    return;
  if (g_ncandidates.load(std::memory_order_relaxed) == 0 || val == nullptr) return;
  const int saved = errno;
  const ino_t ino = inode_of(fd);
  errno = saved;
  Lock lock;
  Candidate* c = find_candidate(fd, ino);
  if (c == nullptr) return;
  const auto* p = static_cast<const unsigned char*>(val);
  for (SavedOpt& o : c->opts) {
    if (o.level == level && o.name == name) {
      o.value.assign(p, p + len);
      return;
    }
  }
  c->opts.push_back(SavedOpt{level, name, std::vector<unsigned char>(p, p + len)});
}

void record_bind(int fd, const V4& where) {
  if (g_ncandidates.load(std::memory_order_relaxed) == 0) return;
  const int saved = errno;
  const ino_t ino = inode_of(fd);
  errno = saved;
  Lock lock;
  if (Candidate* c = find_candidate(fd, ino)) {
    c->bound = true;
    c->bind_to = where;
  }
}

void record_epoll(int epfd, int op, int fd, const epoll_event* ev) {
  if (g_ncandidates.load(std::memory_order_relaxed) == 0) return;
  const int saved = errno;
  const ino_t ino = inode_of(fd);
  errno = saved;
  Lock lock;
  Candidate* c = find_candidate(fd, ino);
  if (c == nullptr) return;
  auto& regs = c->epolls;
  std::erase_if(regs, [epfd](const auto& r) { return r.first == epfd; });
  if (op != EPOLL_CTL_DEL && ev != nullptr) regs.emplace_back(epfd, *ev);
}

void atfork_prepare() {
  pthread_mutex_lock(&g_mu);
}
void atfork_release() {
  pthread_mutex_unlock(&g_mu);
}

__attribute__((constructor)) void preload_init() {
  (void)config();
  pthread_atfork(atfork_prepare, atfork_release, atfork_release);
}

}  // namespace

// --- the interposed calls ---------------------------------------------------

GLASS_EXPORT int socket(int domain, int type, int protocol) noexcept {
  const int fd = NEXT(socket)(domain, type, protocol);
  if (fd >= 0 && (domain == AF_INET || domain == AF_INET6) && (type & 0xf) == SOCK_STREAM &&
      (protocol == 0 || protocol == IPPROTO_TCP))
    remember_candidate(fd);
  return fd;
}

GLASS_EXPORT int close(int fd) {
  forget_candidate(fd);
  return NEXT(close)(fd);
}

GLASS_EXPORT int bind(int fd, const sockaddr* addr, socklen_t len) noexcept {
  const Sock s = classify(fd);
  if (s.kind == Kind::kOurs) {
    sockaddr_glass sg{};
    if (!to_glass_addr(addr, len, "bind", &sg)) return -1;
    return NEXT(bind)(fd, reinterpret_cast<const sockaddr*>(&sg), sizeof(sg));
  }
  if (s.kind != Kind::kTcp) return NEXT(bind)(fd, addr, len);
  const auto v4 = glass::preload::v4_of(addr, len);
  if (!v4 || wildcard(*v4) || !tcp_unused(fd) || !glass_local(*v4)) {
    const int rc = NEXT(bind)(fd, addr, len);
    if (rc == 0 && v4) record_bind(fd, *v4);
    return rc;
  }
  const V4 where = *v4;
  return make_glass(fd, s.family, "bind", where, [&](int g, const Candidate&) {
    const sockaddr_glass sg = glass::preload::to_glass(where);
    return NEXT(bind)(g, reinterpret_cast<const sockaddr*>(&sg), sizeof(sg));
  });
}

GLASS_EXPORT int listen(int fd, int backlog) noexcept {
  const Sock s = classify(fd);
  if (s.kind != Kind::kTcp || !config().wildcard_glass || !tcp_unused(fd))
    return NEXT(listen)(fd, backlog);
  // Where the TCP socket is bound: a wildcard (or nothing) listens on glass.
  sockaddr_storage ss{};
  socklen_t len = sizeof(ss);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return -1;
  const auto v4 = glass::preload::v4_of(reinterpret_cast<sockaddr*>(&ss), len);
  if (!v4 || !wildcard(*v4)) return NEXT(listen)(fd, backlog);
  const V4 where = *v4;
  return make_glass(fd, s.family, "listen", where, [&](int g, const Candidate&) {
    const sockaddr_glass sg = glass::preload::to_glass(where);
    if (NEXT(bind)(g, reinterpret_cast<const sockaddr*>(&sg), sizeof(sg)) != 0) return -1;
    return NEXT(listen)(g, backlog);
  });
}

GLASS_EXPORT int connect(int fd, const sockaddr* addr, socklen_t len) {
  const Sock s = classify(fd);
  if (s.kind == Kind::kOurs) {
    if (addr != nullptr && len >= static_cast<socklen_t>(sizeof(sa_family_t)) &&
        addr->sa_family == AF_UNSPEC)
      return NEXT(connect)(fd, addr, len);
    sockaddr_glass sg{};
    if (!to_glass_addr(addr, len, "connect", &sg)) return -1;
    const int rc = NEXT(connect)(fd, reinterpret_cast<const sockaddr*>(&sg), sizeof(sg));
    if (rc != 0 && errno == ENETUNREACH)
      return refuse(ENETUNREACH, "connect unreachable",
                    "connect from a glass socket to an address not reached over glass");
    return rc;
  }
  if (s.kind != Kind::kTcp) return NEXT(connect)(fd, addr, len);
  const auto v4 = glass::preload::v4_of(addr, len);
  if (!v4 || wildcard(*v4) || !tcp_unused(fd) || !glass_destination(*v4)) {
    const int rc = NEXT(connect)(fd, addr, len);
    if (rc == 0 || errno == EINPROGRESS) forget_candidate(fd);
    return rc;
  }
  const V4 where = *v4;
  return make_glass(fd, s.family, "connect", where, [&](int g, const Candidate& cand) {
    if (bind_like(g, cand, fd) != 0) return -1;
    const sockaddr_glass sg = glass::preload::to_glass(where);
    return NEXT(connect)(g, reinterpret_cast<const sockaddr*>(&sg), sizeof(sg));
  });
}

GLASS_EXPORT int accept(int fd, sockaddr* addr, socklen_t* len) {
  return accept_common(fd, addr, len, 0);
}

GLASS_EXPORT int accept4(int fd, sockaddr* addr, socklen_t* len, int flags) {
  return accept_common(fd, addr, len, flags);
}

GLASS_EXPORT int getsockname(int fd, sockaddr* addr, socklen_t* len) noexcept {
  return get_name(fd, addr, len, NEXT(getsockname));
}

GLASS_EXPORT int getpeername(int fd, sockaddr* addr, socklen_t* len) noexcept {
  return get_name(fd, addr, len, NEXT(getpeername));
}

GLASS_EXPORT int setsockopt(int fd, int level, int name, const void* val, socklen_t len) noexcept {
  if (level == SOL_GLASS) return real_setsockopt(fd, level, name, val, len);
  const Sock s = classify(fd);
  if (s.kind == Kind::kOurs) return set_glass_option(fd, level, name, val, len);
  const int rc = real_setsockopt(fd, level, name, val, len);
  if (rc == 0 && s.kind == Kind::kTcp) record_option(fd, level, name, val, len);
  return rc;
}

GLASS_EXPORT int getsockopt(int fd, int level, int name, void* val, socklen_t* len) noexcept {
  if (level == SOL_GLASS) return real_getsockopt(fd, level, name, val, len);
  const Sock s = classify(fd);
  if (s.kind == Kind::kOurs) return get_glass_option(fd, s.family, level, name, val, len);
  return real_getsockopt(fd, level, name, val, len);
}

GLASS_EXPORT int epoll_ctl(int epfd, int op, int fd, epoll_event* ev) noexcept {
  const int rc = NEXT(epoll_ctl)(epfd, op, fd, ev);
  if (rc == 0) record_epoll(epfd, op, fd, ev);
  return rc;
}

// TCP Fast Open connects from sendto/sendmsg: glass has no such thing.
GLASS_EXPORT ssize_t sendto(int fd, const void* buf, size_t n, int flags, const sockaddr* addr,
                            socklen_t len) {
  if ((flags & MSG_FASTOPEN) != 0 && addr != nullptr && classify(fd).kind == Kind::kTcp) {
    const auto v4 = glass::preload::v4_of(addr, len);
    if (v4 && glass_destination(*v4))
      return refuse(EOPNOTSUPP, "fastopen", "TCP Fast Open (MSG_FASTOPEN) to a glass address");
  }
  return NEXT(sendto)(fd, buf, n, flags, addr, len);
}

GLASS_EXPORT ssize_t sendmsg(int fd, const msghdr* msg, int flags) {
  if ((flags & MSG_FASTOPEN) != 0 && msg != nullptr && msg->msg_name != nullptr &&
      classify(fd).kind == Kind::kTcp) {
    const auto v4 =
        glass::preload::v4_of(static_cast<const sockaddr*>(msg->msg_name), msg->msg_namelen);
    if (v4 && glass_destination(*v4))
      return refuse(EOPNOTSUPP, "fastopen", "TCP Fast Open (MSG_FASTOPEN) to a glass address");
  }
  return NEXT(sendmsg)(fd, msg, flags);
}
