// glass_script: parse a packetdrill-style script and run it against the
// glass stack. The stack side is a glass device "gs" (192.0.2.1/24) in a
// fresh network namespace; its pair "gw" lives in a second namespace where
// an AF_PACKET socket plays the remote host: it injects the "<" segments
// (frames sent on gw arrive at gs) and captures what the stack sends for
// the ">" lines. Syscalls run on the stack side in helper threads.
#include "script.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/glass.h>
#include <linux/glass_wire.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glass/netlink.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <variant>
#include <vector>

namespace glass::script {
namespace {

// ---------------------------------------------------------------- errors

// A script that cannot be parsed.
struct SyntaxError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// A script whose run did not match (the message says how).
struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string fmt_time(double t) {
  char b[32];
  snprintf(b, sizeof b, "%.3f", t);
  return b;
}

std::string errno_name(int e) {
  const char* n = strerrorname_np(e);
  return n ? n : std::to_string(e);
}

// ---------------------------------------------------------------- model

struct Time {
  enum Kind { kAbsolute, kRelative, kAny } kind = kAbsolute;
  double at = 0;          // seconds (absolute, or after the previous event)
  bool blocking = false;  // "T...D": the call returns D seconds after it starts
  double duration = 0;
};

struct PacketSpec {
  bool inbound = false;
  uint8_t flags = 0;
  uint32_t start = 0, end = 0, len = 0;  // relative sequence numbers
  std::optional<uint32_t> ack;           // relative to the other side's ISN
  bool win_any = true;
  uint32_t win = 65535;
  std::optional<uint16_t> mss;
  bool bad_csum = false;
  bool sack_perm = false;  // "sackOK": the extension area offers SACK
  // "sack A:B,C:D": SACK blocks, relative like ack; none when absent.
  std::vector<std::pair<uint32_t, uint32_t>> sack;
  bool bad_ext = false;  // "bad_ext": an extension area of version 2
};

struct SyscallSpec {
  std::string name;
  std::vector<std::string> args;
  bool ret_any = false;
  long ret = 0;
  int err = 0;  // expected errno when ret == -1
};

struct AssertSpec {
  bool info = false;  // info(fd) FIELD OP V, else stat NAME OP V (delta)
  int fd = -1;
  std::string field, op;
  int64_t value = 0;
};

struct ShellSpec {
  std::string cmd;
};

struct Event {
  int line = 0;
  std::string text;
  Time time;
  std::variant<PacketSpec, SyscallSpec, AssertSpec, ShellSpec> action;
};

struct Script {
  std::vector<Event> events;
  std::map<std::string, std::string> options;  // --name=value lines
};

// ---------------------------------------------------------------- parsing

std::string trim(std::string s) {
  const char* ws = " \t\r\n";
  s.erase(0, s.find_first_not_of(ws) == std::string::npos ? s.size() : s.find_first_not_of(ws));
  s.erase(s.find_last_not_of(ws) + 1);
  return s;
}

// Drops a "//" comment that is not inside backquotes.
std::string strip_comment(const std::string& line) {
  bool quoted = false;
  for (size_t i = 0; i < line.size(); i++) {
    if (line[i] == '`') quoted = !quoted;
    if (!quoted && line.compare(i, 2, "//") == 0) return line.substr(0, i);
  }
  return line;
}

std::vector<std::string> split_ws(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

double parse_number(const std::string& s, const std::string& what) {
  if (s.empty()) throw SyntaxError("missing " + what);
  char* end = nullptr;
  errno = 0;
  double v = strtod(s.c_str(), &end);
  if (errno || *end) throw SyntaxError("bad " + what + " '" + s + "'");
  return v;
}

int64_t parse_int(const std::string& s, const std::string& what) {
  if (s.empty()) throw SyntaxError("missing " + what);
  char* end = nullptr;
  errno = 0;
  long long v = strtoll(s.c_str(), &end, 0);
  if (errno || *end) throw SyntaxError("bad " + what + " '" + s + "'");
  return v;
}

Time parse_time(const std::string& tok) {
  Time t;
  if (tok == "*") {
    t.kind = Time::kAny;
    return t;
  }
  std::string s = tok;
  if (s[0] == '+') {
    t.kind = Time::kRelative;
    s = s.substr(1);
  }
  auto dots = s.find("...");
  if (dots != std::string::npos) {
    t.blocking = true;
    std::string d = s.substr(dots + 3);
    if (!d.empty() && d[0] == '+') d = d.substr(1);
    t.duration = parse_number(d, "duration");
    s = s.substr(0, dots);
  }
  t.at = parse_number(s, "time");
  if (t.at < 0 || t.duration < 0) throw SyntaxError("negative time '" + tok + "'");
  return t;
}

uint8_t parse_flags(const std::string& s) {
  uint8_t f = 0;
  for (char c : s) {
    switch (c) {
      case 'S':
        f |= GLASS_SYN;
        break;
      case 'F':
        f |= GLASS_FIN;
        break;
      case 'R':
        f |= GLASS_RST;
        break;
      case 'P':
        f |= GLASS_PSH;
        break;
      case '.':
        f |= GLASS_ACK;
        break;
      default:
        throw SyntaxError("bad flags '" + s + "' (use S F R P and . for ACK)");
    }
  }
  return f;
}

std::string flags_str(uint8_t f) {
  std::string s;
  if (f & GLASS_SYN) s += 'S';
  if (f & GLASS_FIN) s += 'F';
  if (f & GLASS_RST) s += 'R';
  if (f & GLASS_PSH) s += 'P';
  if (f & GLASS_ACK) s += '.';
  return s.empty() ? "-" : s;
}

PacketSpec parse_packet(const std::string& dir, const std::vector<std::string>& w) {
  PacketSpec p;
  p.inbound = dir == "<";
  if (w.size() < 2) throw SyntaxError("a segment needs flags and start:end(len)");
  p.flags = parse_flags(w[0]);
  // start:end(len)
  const std::string& r = w[1];
  auto colon = r.find(':'), paren = r.find('('), close = r.find(')');
  if (colon == std::string::npos || paren == std::string::npos || close != r.size() - 1 ||
      paren < colon)
    throw SyntaxError("bad sequence range '" + r + "' (want start:end(len))");
  p.start = static_cast<uint32_t>(parse_int(r.substr(0, colon), "start"));
  p.end = static_cast<uint32_t>(parse_int(r.substr(colon + 1, paren - colon - 1), "end"));
  p.len = static_cast<uint32_t>(parse_int(r.substr(paren + 1, close - paren - 1), "len"));
  if (p.end - p.start != p.len) throw SyntaxError("range '" + r + "': end - start != len");
  if (p.inbound) p.win_any = false;
  for (size_t i = 2; i < w.size(); i++) {
    const std::string& k = w[i];
    auto value = [&]() -> const std::string& {
      if (i + 1 >= w.size()) throw SyntaxError("'" + k + "' needs a value");
      return w[++i];
    };
    if (k == "ack") {
      p.ack = static_cast<uint32_t>(parse_int(value(), "ack"));
    } else if (k == "win") {
      const std::string& v = value();
      if (v == "...") {
        if (p.inbound) throw SyntaxError("an inbound segment needs a real window");
        p.win_any = true;
      } else {
        p.win_any = false;
        p.win = static_cast<uint32_t>(parse_int(v, "window"));
      }
    } else if (k == "mss") {
      p.mss = static_cast<uint16_t>(parse_int(value(), "mss"));
    } else if (k == "bad_csum") {
      if (!p.inbound) throw SyntaxError("bad_csum is for inbound segments");
      p.bad_csum = true;
    } else if (k == "sackOK") {
      p.sack_perm = true;
    } else if (k == "sack") {
      std::string v = value() + ",";
      for (size_t at = 0, comma; (comma = v.find(',', at)) != std::string::npos; at = comma + 1) {
        const std::string b = v.substr(at, comma - at);
        const auto c = b.find(':');
        if (c == std::string::npos) throw SyntaxError("bad SACK block '" + b + "' (want L:R)");
        p.sack.emplace_back(static_cast<uint32_t>(parse_int(b.substr(0, c), "left")),
                            static_cast<uint32_t>(parse_int(b.substr(c + 1), "right")));
      }
      if (p.sack.empty() || p.sack.size() > GLASS_SACK_BLOCKS)
        throw SyntaxError("1 to " + std::to_string(GLASS_SACK_BLOCKS) + " SACK blocks");
    } else if (k == "bad_ext") {
      if (!p.inbound) throw SyntaxError("bad_ext is for inbound segments");
      p.bad_ext = true;
    } else {
      throw SyntaxError("unknown segment field '" + k + "'");
    }
  }
  if ((p.flags & GLASS_ACK) && !p.ack && p.inbound)
    throw SyntaxError("an inbound segment with '.' needs 'ack N'");
  return p;
}

// Splits "a, {b, c}, d" at top-level commas.
std::vector<std::string> split_args(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  int depth = 0;
  for (char c : s) {
    if (c == '{' || c == '[') depth++;
    if (c == '}' || c == ']') depth--;
    if (c == ',' && depth == 0) {
      out.push_back(trim(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!trim(cur).empty() || !out.empty()) out.push_back(trim(cur));
  return out;
}

int errno_by_name(const std::string& n) {
  for (int e = 1; e < 200; e++) {
    const char* name = strerrorname_np(e);
    if (name && n == name) return e;
  }
  throw SyntaxError("unknown errno '" + n + "'");
}

SyscallSpec parse_syscall(const std::string& text) {
  SyscallSpec c;
  auto open = text.find('('), eq = text.rfind('=');
  if (open == std::string::npos || eq == std::string::npos || eq < open)
    throw SyntaxError("expected an action: '< seg', '> seg', `cmd`, info(), stat or call(...) = N");
  auto close = text.rfind(')', eq);
  if (close == std::string::npos || close < open) throw SyntaxError("unbalanced parentheses");
  c.name = trim(text.substr(0, open));
  c.args = split_args(text.substr(open + 1, close - open - 1));
  auto res = split_ws(text.substr(eq + 1));
  if (res.empty()) throw SyntaxError("missing result after '='");
  if (res[0] == "...") {
    c.ret_any = true;
  } else {
    c.ret = static_cast<long>(parse_int(res[0], "result"));
    if (c.ret == -1) {
      if (res.size() < 2) throw SyntaxError("-1 needs an errno name (e.g. -1 EAGAIN)");
      c.err = errno_by_name(res[1]);
    }
  }
  static const char* known[] = {"socket", "bind",       "listen",     "accept", "connect",
                                "write",  "read",       "setsockopt", "close",  "shutdown",
                                "send",   "getsockopt", "recv"};
  if (std::find_if(std::begin(known), std::end(known),
                   [&](const char* k) { return c.name == k; }) == std::end(known))
    throw SyntaxError("unknown call '" + c.name + "'");
  return c;
}

AssertSpec parse_assert(const std::string& text) {
  AssertSpec a;
  std::vector<std::string> w;
  if (text.rfind("info(", 0) == 0) {
    a.info = true;
    auto close = text.find(')');
    if (close == std::string::npos) throw SyntaxError("info(fd) needs ')'");
    a.fd = static_cast<int>(parse_int(trim(text.substr(5, close - 5)), "fd"));
    w = split_ws(text.substr(close + 1));
  } else {
    w = split_ws(text.substr(4));
  }
  if (w.size() != 3) throw SyntaxError("want: info(fd) FIELD OP VALUE or stat NAME OP VALUE");
  a.field = w[0];
  a.op = w[1];
  static const char* ops[] = {"==", "!=", ">=", "<=", ">", "<"};
  if (std::find_if(std::begin(ops), std::end(ops), [&](const char* o) { return a.op == o; }) ==
      std::end(ops))
    throw SyntaxError("unknown operator '" + a.op + "'");
  static const std::map<std::string, int> states = {{"ESTABLISHED", GLASS_ESTABLISHED},
                                                    {"SYN_SENT", GLASS_SYN_SENT},
                                                    {"SYN_RECV", GLASS_SYN_RECV},
                                                    {"FIN_WAIT1", GLASS_FIN_WAIT1},
                                                    {"FIN_WAIT2", GLASS_FIN_WAIT2},
                                                    {"TIME_WAIT", GLASS_TIME_WAIT},
                                                    {"CLOSE", GLASS_CLOSE},
                                                    {"CLOSE_WAIT", GLASS_CLOSE_WAIT},
                                                    {"LAST_ACK", GLASS_LAST_ACK},
                                                    {"LISTEN", GLASS_LISTEN},
                                                    {"CLOSING", GLASS_CLOSING}};
  std::string v = w[2];
  if (states.count(v)) v = std::to_string(states.at(v));
  for (const char* prefix : {"GLASS_", "TCP_"})
    if (v.rfind(prefix, 0) == 0 && states.count(v.substr(strlen(prefix))))
      v = std::to_string(states.at(v.substr(strlen(prefix))));
  a.value = parse_int(v, "value");
  return a;
}

Script parse(const std::string& text) {
  Script s;
  std::istringstream in(text);
  std::string raw;
  int lineno = 0;
  while (std::getline(in, raw)) {
    lineno++;
    std::string line = trim(strip_comment(raw));
    if (line.empty() || line[0] == '#') continue;
    try {
      if (line.rfind("--", 0) == 0) {
        for (const auto& opt : split_ws(line)) {
          auto eq = opt.find('=');
          if (opt.rfind("--", 0) != 0 || eq == std::string::npos)
            throw SyntaxError("bad option '" + opt + "' (want --name=value)");
          s.options[opt.substr(2, eq - 2)] = opt.substr(eq + 1);
        }
        continue;
      }
      Event ev;
      ev.line = lineno;
      auto sp = line.find_first_of(" \t");
      if (sp == std::string::npos) throw SyntaxError("want '<time> <action>'");
      ev.time = parse_time(line.substr(0, sp));
      std::string act = trim(line.substr(sp));
      ev.text = act;
      if (act[0] == '<' || act[0] == '>') {
        auto w = split_ws(act.substr(1));
        ev.action = parse_packet(act.substr(0, 1), w);
        if (std::get<PacketSpec>(ev.action).inbound && ev.time.kind == Time::kAny)
          throw SyntaxError("an inbound segment needs a time, not '*'");
      } else if (act[0] == '`') {
        if (act.size() < 2 || act.back() != '`') throw SyntaxError("unterminated `command`");
        ev.action = ShellSpec{act.substr(1, act.size() - 2)};
      } else if (act.rfind("info(", 0) == 0 || act.rfind("stat ", 0) == 0) {
        ev.action = parse_assert(act);
      } else {
        ev.action = parse_syscall(act);
      }
      bool is_call = std::holds_alternative<SyscallSpec>(ev.action);
      if (ev.time.blocking && !is_call) throw SyntaxError("'T...D' is only for calls");
      if (ev.time.kind == Time::kAny && !std::holds_alternative<PacketSpec>(ev.action))
        throw SyntaxError("'*' is only for outbound segments");
      s.events.push_back(std::move(ev));
    } catch (const SyntaxError& e) {
      throw SyntaxError("line " + std::to_string(lineno) + ": " + e.what() + "\n    " + raw);
    }
  }
  return s;
}

// ---------------------------------------------------------------- wire

// RFC 1071 Internet checksum.
uint16_t inet_csum(const uint8_t* p, size_t n) {
  uint32_t sum = 0;
  for (size_t i = 0; i + 1 < n; i += 2) sum += (p[i] << 8) | p[i + 1];
  if (n & 1) sum += p[n - 1] << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

// The payload byte at stream offset k (k = relative seq - 1): both
// directions use it, so reads and captured segments check their bytes.
uint8_t pattern(uint32_t k) {
  return static_cast<uint8_t>((k ^ (k >> 8) ^ (k >> 16)) * 151 + 17);
}

struct Captured {
  double t;
  std::vector<uint8_t> frame;
  // CHECKSUM_PARTIAL: the sender left the checksum to the "hardware" and
  // the field holds only its seed (0); nothing on a glass pair fills it.
  bool csum_not_ready = false;
};

// A captured frame decoded (host byte order).
struct Seg {
  uint8_t version, flags;
  uint16_t len, sport, dport, mss, check;  // len: payload only
  uint16_t ext_len;                        // extension area bytes
  uint32_t saddr, daddr, seq, ack, window;
  const uint8_t* payload;
  bool sack_perm = false;
  std::vector<std::pair<uint32_t, uint32_t>> sack;  // absolute
};

uint32_t be32_at(const uint8_t* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3];
}

// The extension area (docs/protocol.md), checked as strictly as the
// module checks what it receives.
bool decode_ext(const uint8_t* a, size_t avail, Seg* s, std::string* why) {
  if (avail < 4 || a[0] != GLASS_EXT_VERSION || a[1]) {
    *why = "extension area: bad version or header";
    return false;
  }
  const size_t alen = (size_t(a[2]) << 8) | a[3];
  if (alen % 4 || alen <= 4 || alen > GLASS_EXT_MAX || alen > avail) {
    *why = "extension area: bad length " + std::to_string(alen);
    return false;
  }
  for (size_t off = 4; off < alen;) {
    const uint8_t kind = a[off], ilen = a[off + 1];
    if (ilen < 4 || ilen % 4 || off + ilen > alen || a[off + 2] || a[off + 3]) {
      *why = "extension item: bad length or reserved bytes";
      return false;
    }
    if (kind == GLASS_EXT_SACK_PERM && ilen == 4) {
      s->sack_perm = true;
    } else if (kind == GLASS_EXT_SACK && (ilen - 4) % 8 == 0) {
      for (size_t b = off + 4; b < off + ilen; b += 8)
        s->sack.emplace_back(be32_at(a + b), be32_at(a + b + 4));
    } else {
      *why = "extension item of kind " + std::to_string(kind);
      return false;
    }
    off += ilen;
  }
  s->ext_len = static_cast<uint16_t>(alen);
  return true;
}

bool decode(const std::vector<uint8_t>& f, Seg* s, std::string* why) {
  if (f.size() < ETH_HLEN + GLASS_HDR_LEN) {
    *why = "frame of " + std::to_string(f.size()) + " bytes is too short";
    return false;
  }
  const uint8_t* h = f.data() + ETH_HLEN;
  glass_hdr gh;
  memcpy(&gh, h, sizeof gh);
  s->version = gh.version;
  s->flags = gh.flags;
  s->len = ntohs(gh.len);
  s->sport = ntohs(gh.sport);
  s->dport = ntohs(gh.dport);
  s->saddr = ntohl(gh.saddr);
  s->daddr = ntohl(gh.daddr);
  s->seq = ntohl(gh.seq);
  s->ack = ntohl(gh.ack);
  s->window = ntohl(gh.window);
  s->mss = ntohs(gh.mss);
  s->check = ntohs(gh.check);
  s->ext_len = 0;
  if (f.size() < static_cast<size_t>(ETH_HLEN + GLASS_HDR_LEN + s->len)) {
    *why = "header says " + std::to_string(s->len) + " bytes follow it, frame is shorter";
    return false;
  }
  if ((s->flags & GLASS_EXT) && !decode_ext(h + GLASS_HDR_LEN, s->len, s, why)) return false;
  s->len = static_cast<uint16_t>(s->len - s->ext_len);
  s->payload = h + GLASS_HDR_LEN + s->ext_len;
  return true;
}

// ---------------------------------------------------------------- system

void check_sys(int rc, const std::string& what) {
  if (rc < 0) throw Failure("setup: " + what + ": " + strerror(errno));
}

int open_netns_fd() {
  int fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  check_sys(fd, "open /proc/thread-self/ns/net");
  return fd;
}

void if_up(int sock, const char* name) {
  ifreq ifr{};
  strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
  check_sys(ioctl(sock, SIOCGIFFLAGS, &ifr), std::string("SIOCGIFFLAGS ") + name);
  ifr.ifr_flags |= IFF_UP;
  check_sys(ioctl(sock, SIOCSIFFLAGS, &ifr), std::string("SIOCSIFFLAGS ") + name);
}

void if_addr(int sock, const char* name, in_addr addr, in_addr mask) {
  ifreq ifr{};
  strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
  auto* sin = reinterpret_cast<sockaddr_in*>(&ifr.ifr_addr);
  sin->sin_family = AF_INET;
  sin->sin_addr = addr;
  check_sys(ioctl(sock, SIOCSIFADDR, &ifr), std::string("SIOCSIFADDR ") + name);
  sin->sin_addr = mask;
  check_sys(ioctl(sock, SIOCSIFNETMASK, &ifr), std::string("SIOCSIFNETMASK ") + name);
}

void if_mtu(int sock, const char* name, int mtu) {
  ifreq ifr{};
  strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
  ifr.ifr_mtu = mtu;
  check_sys(ioctl(sock, SIOCSIFMTU, &ifr), std::string("SIOCSIFMTU ") + name);
}

// gs came up without carrier (gw was down), so its qdisc is attached only
// when linkwatch runs, up to a second later under load; until then the
// device drops what the stack sends (a closed port's first RST went
// missing so). IFF_RUNNING is linkwatch's operstate, set in the same run.
void wait_running(int sock, const char* name) {
  ifreq ifr{};
  strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
  for (int i = 0; i < 1000; i++) {
    check_sys(ioctl(sock, SIOCGIFFLAGS, &ifr), std::string("SIOCGIFFLAGS ") + name);
    if (ifr.ifr_flags & IFF_RUNNING) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  throw Failure(std::string(name) + " did not come up (no IFF_RUNNING after 5 s)");
}

std::array<uint8_t, 6> if_mac(int sock, const char* name) {
  ifreq ifr{};
  strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
  check_sys(ioctl(sock, SIOCGIFHWADDR, &ifr), std::string("SIOCGIFHWADDR ") + name);
  std::array<uint8_t, 6> mac;
  memcpy(mac.data(), ifr.ifr_hwaddr.sa_data, 6);
  return mac;
}

std::map<std::string, uint64_t> read_stats() {
  std::map<std::string, uint64_t> m;
  std::ifstream in("/proc/thread-self/net/glass_stat");
  if (!in) throw Failure("cannot read /proc/net/glass_stat (is glass.ko loaded?)");
  std::string name;
  std::string value;
  while (in >> name >> value) {
    char* end = nullptr;
    unsigned long long v = strtoull(value.c_str(), &end, 10);
    if (*end == 0) m[name] = v;
  }
  return m;
}

struct InfoField {
  const char* name;
  size_t off, size;
};
#define GLASS_INFO_FIELD(f) \
  { #f, offsetof(glass_info, f), sizeof(glass_info::f) }
const InfoField kInfoFields[] = {
    GLASS_INFO_FIELD(gi_state),
    GLASS_INFO_FIELD(gi_delack),
    GLASS_INFO_FIELD(gi_nodelay),
    GLASS_INFO_FIELD(gi_cork),
    GLASS_INFO_FIELD(gi_iss),
    GLASS_INFO_FIELD(gi_irs),
    GLASS_INFO_FIELD(gi_snd_una),
    GLASS_INFO_FIELD(gi_snd_nxt),
    GLASS_INFO_FIELD(gi_rcv_nxt),
    GLASS_INFO_FIELD(gi_snd_wnd),
    GLASS_INFO_FIELD(gi_rcv_wnd),
    GLASS_INFO_FIELD(gi_unacked),
    GLASS_INFO_FIELD(gi_unsent),
    GLASS_INFO_FIELD(gi_unread),
    GLASS_INFO_FIELD(gi_ooo),
    GLASS_INFO_FIELD(gi_nagle_held),
    GLASS_INFO_FIELD(gi_sndbuf),
    GLASS_INFO_FIELD(gi_rcvbuf),
    GLASS_INFO_FIELD(gi_rcv_space),
    GLASS_INFO_FIELD(gi_mss),
    GLASS_INFO_FIELD(gi_peer_mss),
    GLASS_INFO_FIELD(gi_cwnd),
    GLASS_INFO_FIELD(gi_ssthresh),
    GLASS_INFO_FIELD(gi_srtt_us),
    GLASS_INFO_FIELD(gi_rttvar_us),
    GLASS_INFO_FIELD(gi_rto_us),
    GLASS_INFO_FIELD(gi_backoff),
    GLASS_INFO_FIELD(gi_retransmits),
    GLASS_INFO_FIELD(gi_fast_retrans),
    GLASS_INFO_FIELD(gi_timeouts),
    GLASS_INFO_FIELD(gi_probes),
    GLASS_INFO_FIELD(gi_dupacks),
    GLASS_INFO_FIELD(gi_zero_wnd_sent),
    GLASS_INFO_FIELD(gi_segs_out),
    GLASS_INFO_FIELD(gi_segs_in),
    GLASS_INFO_FIELD(gi_data_segs_out),
    GLASS_INFO_FIELD(gi_data_segs_in),
    GLASS_INFO_FIELD(gi_bytes_sent),
    GLASS_INFO_FIELD(gi_bytes_acked),
    GLASS_INFO_FIELD(gi_bytes_received),
    GLASS_INFO_FIELD(gi_writer_blocked),
    GLASS_INFO_FIELD(gi_sack),
    GLASS_INFO_FIELD(gi_ca_state),
    GLASS_INFO_FIELD(gi_cc_algo),
    GLASS_INFO_FIELD(gi_sacked),
    GLASS_INFO_FIELD(gi_sack_retrans),
    GLASS_INFO_FIELD(gi_dsacks),
    GLASS_INFO_FIELD(gi_undos),
    GLASS_INFO_FIELD(gi_tlp_probes),
};
#undef GLASS_INFO_FIELD

bool compare(int64_t a, const std::string& op, int64_t b) {
  if (op == "==") return a == b;
  if (op == "!=") return a != b;
  if (op == ">=") return a >= b;
  if (op == "<=") return a <= b;
  if (op == ">") return a > b;
  return a < b;
}

// A call running in its own thread.
struct Call {
  std::mutex mu;
  std::condition_variable cv;
  bool started = false, done = false;
  long ret = 0;
  int err = 0;
  double t_start = 0, t_done = 0;
  std::vector<uint8_t> data;  // what read() returned
};

// ---------------------------------------------------------------- runner

class Runner {
 public:
  Runner(const Script& s, const Options& opt, std::ostream& log) : s_(s), opt_(opt), log_(log) {
    auto get = [&](const char* k, const std::string& def) {
      auto it = s.options.find(k);
      return it == s.options.end() ? def : it->second;
    };
    tol_us_ = opt.tolerance_usecs;
    tol_pct_ = opt.tolerance_percent;
    if (!opt.force_tolerance) {
      tol_us_ = parse_number(get("tolerance_usecs", std::to_string(tol_us_)), "tolerance_usecs");
      tol_pct_ =
          parse_number(get("tolerance_percent", std::to_string(tol_pct_)), "tolerance_percent");
    }
    if (!inet_pton(AF_INET, get("local_ip", "192.0.2.1").c_str(), &local_ip_) ||
        !inet_pton(AF_INET, get("remote_ip", "192.0.2.2").c_str(), &remote_ip_))
      throw SyntaxError("bad --local_ip or --remote_ip");
    bind_port_ = static_cast<uint16_t>(parse_int(get("local_port", "8080"), "local_port"));
    remote_port_ = static_cast<uint16_t>(parse_int(get("remote_port", "40000"), "remote_port"));
    remote_isn_ = static_cast<uint32_t>(parse_int(get("remote_isn", "1000000"), "remote_isn"));
    mtu_ = static_cast<int>(parse_int(get("mtu", "1500"), "mtu"));
    for (const auto& opt : s.options) {
      const std::string& k = opt.first;
      static const char* known[] = {
          "tolerance_usecs", "tolerance_percent", "local_ip",   "remote_ip",
          "local_port",      "remote_port",       "remote_isn", "mtu"};
      if (std::find_if(std::begin(known), std::end(known), [&](const char* n) { return k == n; }) ==
          std::end(known))
        throw SyntaxError("unknown option --" + k);
    }
  }

  ~Runner() { teardown(); }

  void run() {
    setup();
    t0_ = std::chrono::steady_clock::now();
    timespec rt;
    clock_gettime(CLOCK_REALTIME, &rt);
    realtime_at_t0_ = rt.tv_sec + rt.tv_nsec / 1e9 - now();
    double prev = 0;
    for (const Event& ev : s_.events) {
      cur_ = &ev;
      prev = step(ev, prev);
    }
    cur_ = nullptr;
    finish_pending(1e9);
    check_unexpected();
  }

  // What was captured but not consumed, for the failure report.
  void dump_leftovers() {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::lock_guard lk(qmu_);
    int n = 0;
    for (const auto& c : queue_) {
      if (n++ == 10) {
        log_ << "    ... " << queue_.size() - 10 << " more\n";
        break;
      }
      log_ << "    captured later: " << describe(c) << "\n";
    }
  }

 private:
  // ------------------------------------------------ clock
  double now() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
  }
  void sleep_until(double t) const {
    auto when = t0_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                          std::chrono::duration<double>(t));
    std::this_thread::sleep_until(when);
  }
  double tolerance(double gap) const {
    return tol_us_ / 1e6 + tol_pct_ / 100.0 * std::max(gap, 0.0);
  }

  [[noreturn]] void fail(const std::string& msg) const {
    std::string where = cur_ ? "line " + std::to_string(cur_->line) + ": " : "";
    throw Failure(where + msg);
  }

  void note(double t, const std::string& what) {
    if (opt_.verbose) log_ << "  [" << fmt_time(t) << "] " << what << "\n";
  }

  // ------------------------------------------------ setup
  void setup() {
    if (unshare(CLONE_NEWNET) < 0) check_sys(-1, "unshare(CLONE_NEWNET) (root needed)");
    wire_ns_ = open_netns_fd();
    check_sys(unshare(CLONE_NEWNET), "unshare(CLONE_NEWNET)");
    stack_ns_ = open_netns_fd();

    {
      glass::Netlink nl;
      std::vector<char> buf(glass::kNetlinkBufSize);
      // One segment per frame, as packetdrill turns TSO/GSO off: scripts
      // describe segments, and trains would merge them.
      glass::LinkAddRequest req{
          .name = "gs", .peer = "gw", .peer_netns_fd = wire_ns_, .gso_max_segs = 1};
      nl.request(glass::build_link_add(buf, req, 1), "RTM_NEWLINK glass pair gs/gw");
    }
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    check_sys(s, "socket(AF_INET)");
    in_addr mask;
    inet_pton(AF_INET, "255.255.255.0", &mask);
    if (mtu_ != 1500) if_mtu(s, "gs", mtu_);
    if_up(s, "lo");
    if_up(s, "gs");
    if_addr(s, "gs", local_ip_, mask);
    gs_mac_ = if_mac(s, "gs");
    close(s);

    check_sys(setns(wire_ns_, CLONE_NEWNET), "setns(wire)");
    s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    check_sys(s, "socket(AF_INET) in the wire namespace");
    if (mtu_ != 1500) if_mtu(s, "gw", mtu_);
    if_up(s, "gw");
    gw_mac_ = if_mac(s, "gw");
    close(s);
    gw_ifindex_ = static_cast<int>(if_nametoindex("gw"));
    if (!gw_ifindex_) check_sys(-1, "if_nametoindex(gw)");
    pkt_ = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_GLASS));
    check_sys(pkt_, "socket(AF_PACKET)");
    sockaddr_ll sll{};
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(ETH_P_GLASS);
    sll.sll_ifindex = gw_ifindex_;
    check_sys(bind(pkt_, reinterpret_cast<sockaddr*>(&sll), sizeof sll), "bind(AF_PACKET, gw)");
    int one = 1;
    check_sys(setsockopt(pkt_, SOL_PACKET, PACKET_AUXDATA, &one, sizeof one), "PACKET_AUXDATA");
    check_sys(setsockopt(pkt_, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one), "SO_TIMESTAMPNS");
    check_sys(setns(stack_ns_, CLONE_NEWNET), "setns(stack)");
    s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    check_sys(s, "socket(AF_INET)");
    wait_running(s, "gs");
    close(s);

    stats0_ = read_stats();
    stop_ = false;
    capture_ = std::thread([this] { capture_loop(); });
  }

  void teardown() {
    for (auto& [sfd, fd] : fds_) {
      linger l{1, 0};
      setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
      close(fd);
    }
    fds_.clear();
    if (capture_.joinable()) {
      stop_ = true;
      capture_.join();
    }
    if (pkt_ >= 0) close(pkt_);
    pkt_ = -1;
    if (stack_ns_ >= 0) {
      try {
        glass::Netlink nl;
        std::vector<char> buf(glass::kNetlinkBufSize);
        nl.request(glass::build_link_del(buf, "gs", 2), "RTM_DELLINK gs");
      } catch (...) {
      }
      close(stack_ns_);
      stack_ns_ = -1;
    }
    if (wire_ns_ >= 0) close(wire_ns_);
    wire_ns_ = -1;
  }

  // Captures what arrives at gw. The time is the kernel's receive stamp
  // (SO_TIMESTAMPNS, CLOCK_REALTIME, mapped onto our monotonic clock), so a
  // slow capture thread does not make segments look late.
  void capture_loop() {
    std::vector<uint8_t> buf(70000);
    alignas(cmsghdr) char cbuf[512];
    while (!stop_) {
      pollfd p{pkt_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      sockaddr_ll from{};
      iovec iov{buf.data(), buf.size()};
      msghdr mh{};
      mh.msg_name = &from;
      mh.msg_namelen = sizeof from;
      mh.msg_iov = &iov;
      mh.msg_iovlen = 1;
      mh.msg_control = cbuf;
      mh.msg_controllen = sizeof cbuf;
      ssize_t n = recvmsg(pkt_, &mh, MSG_DONTWAIT);
      double t = now();
      if (n <= 0 || from.sll_pkttype == PACKET_OUTGOING) continue;
      bool csum_not_ready = false;
      for (cmsghdr* c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMPNS) {
          timespec ts;
          memcpy(&ts, CMSG_DATA(c), sizeof ts);
          double k = ts.tv_sec + ts.tv_nsec / 1e9 - realtime_at_t0_;
          if (k > 0 && k <= t) t = k;
        }
        if (c->cmsg_level == SOL_PACKET && c->cmsg_type == PACKET_AUXDATA) {
          tpacket_auxdata aux;
          memcpy(&aux, CMSG_DATA(c), sizeof aux);
          csum_not_ready = aux.tp_status & TP_STATUS_CSUMNOTREADY;
        }
      }
      std::lock_guard lk(qmu_);
      queue_.push_back({t, std::vector<uint8_t>(buf.begin(), buf.begin() + n), csum_not_ready});
      qcv_.notify_all();
    }
  }

  // The next captured frame stamped by deadline (script seconds). Frames
  // reach the queue a little after their kernel stamp, so wait a grace
  // period past the deadline before calling one missing.
  std::optional<Captured> next_frame(double deadline) {
    std::unique_lock lk(qmu_);
    for (;;) {
      if (!queue_.empty()) {
        if (queue_.front().t > deadline) return std::nullopt;
        Captured c = std::move(queue_.front());
        queue_.pop_front();
        return c;
      }
      double left = deadline + kCaptureGrace - now();
      if (left <= 0) return std::nullopt;
      qcv_.wait_for(lk, std::chrono::duration<double>(std::min(left, 0.05)));
    }
  }

  // ------------------------------------------------ describing segments
  uint32_t rel_out_seq(uint32_t abs) const { return abs - stack_isn_.value_or(0); }

  std::string describe(const Captured& c) const {
    Seg g;
    std::string why;
    std::ostringstream o;
    o << "> ";
    if (!decode(c.frame, &g, &why)) {
      o << "(undecodable: " << why << ")";
    } else {
      uint32_t s = rel_out_seq(g.seq);
      o << flags_str(g.flags) << " " << s << ":" << s + g.len << "(" << g.len << ")";
      if (g.flags & GLASS_ACK) o << " ack " << g.ack - remote_isn_;
      o << " win " << g.window;
      if (g.mss) o << " mss " << g.mss;
      if (g.sack_perm) o << " sackOK";
      for (size_t i = 0; i < g.sack.size(); i++)
        o << (i ? "," : " sack ") << g.sack[i].first - remote_isn_ << ":"
          << g.sack[i].second - remote_isn_;
    }
    o << " at " << fmt_time(c.t);
    return o.str();
  }

  std::string describe_spec(const PacketSpec& p) const {
    std::ostringstream o;
    o << (p.inbound ? "< " : "> ") << flags_str(p.flags) << " " << p.start << ":" << p.end << "("
      << p.len << ")";
    if (p.ack) o << " ack " << *p.ack;
    if (p.win_any)
      o << " win ...";
    else
      o << " win " << p.win;
    if (p.mss) o << " mss " << *p.mss;
    if (p.sack_perm) o << " sackOK";
    for (size_t i = 0; i < p.sack.size(); i++)
      o << (i ? "," : " sack ") << p.sack[i].first << ":" << p.sack[i].second;
    if (p.bad_ext) o << " bad_ext";
    return o.str();
  }

  void check_unexpected() {
    std::lock_guard lk(qmu_);
    if (queue_.empty()) return;
    std::string msg =
        "unexpected outbound segment before this event\n       got: " + describe(queue_.front());
    queue_.pop_front();
    fail(msg);
  }

  // ------------------------------------------------ events
  double step(const Event& ev, double prev) {
    double expect = ev.time.kind == Time::kAbsolute   ? ev.time.at
                    : ev.time.kind == Time::kRelative ? prev + ev.time.at
                                                      : prev;
    // A call that ran long (TCG, a loaded host) delays what follows it.
    double tol = tolerance(expect - prev) + call_slack_;
    call_slack_ = 0;
    poll_pending(expect);
    if (const auto* p = std::get_if<PacketSpec>(&ev.action); p && !p->inbound)
      return expect_packet(ev, *p, expect, tol);
    sleep_until(expect);
    double t = now();
    check_unexpected();
    if (const auto* p = std::get_if<PacketSpec>(&ev.action)) {
      inject(*p);
      note(t, ev.text);
    } else if (const auto* c = std::get_if<SyscallSpec>(&ev.action)) {
      t = run_call(ev, *c, t, tol);
    } else if (const auto* a = std::get_if<AssertSpec>(&ev.action)) {
      check_assert(*a);
      note(t, ev.text);
    } else if (const auto* sh = std::get_if<ShellSpec>(&ev.action)) {
      int rc = std::system(sh->cmd.c_str());
      if (rc != 0) fail("`" + sh->cmd + "` exited with status " + std::to_string(rc));
      note(t, ev.text);
    }
    return t;
  }

  double expect_packet(const Event& ev, const PacketSpec& p, double expect, double tol) {
    bool any = ev.time.kind == Time::kAny;
    double deadline = any ? expect + 30 : expect + tol;
    auto c = next_frame(deadline);
    std::string want =
        describe_spec(p) +
        (any ? " at any time" : " at " + fmt_time(expect) + " (+/- " + fmt_time(tol) + ")");
    if (!c)
      fail("expected segment missing\n  expected: " + want + "\n       got: nothing by " +
           fmt_time(deadline));
    std::string got = describe(*c);
    auto mismatch = [&](const std::string& why) {
      fail(why + "\n  expected: " + want + "\n       got: " + got);
    };
    Seg g;
    std::string why;
    if (!decode(c->frame, &g, &why)) mismatch(why);
    // Learn the stack's ISN and port from its first SYN.
    // A SYN without ACK is a new active open: its ISN and port take over.
    if ((g.flags & GLASS_SYN) && (!stack_isn_ || !(g.flags & GLASS_ACK))) stack_isn_ = g.seq;
    if (!local_port_ || ((g.flags & GLASS_SYN) && !(g.flags & GLASS_ACK))) local_port_ = g.sport;
    got = describe(*c);
    if (!any && c->t < expect - tol) mismatch("segment came too early");
    const uint8_t* f = c->frame.data();
    static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    if (memcmp(f, bcast, 6) != 0) mismatch("Ethernet destination is not broadcast");
    if (memcmp(f + 6, gs_mac_.data(), 6) != 0) mismatch("Ethernet source is not gs's MAC");
    if (g.version != GLASS_VERSION) mismatch("version " + std::to_string(g.version));
    std::vector<uint8_t> seg(f + ETH_HLEN, f + ETH_HLEN + GLASS_HDR_LEN + g.ext_len + g.len);
    seg[30] = seg[31] = 0;
    uint16_t sum = inet_csum(seg.data(), seg.size());
    if (c->csum_not_ready) {
      if (g.check != 0) mismatch("checksum left to offload, but its seed is not 0");
    } else if (sum != g.check && !(sum == 0xffff && g.check == 0) &&
               !(sum == 0 && g.check == 0xffff)) {
      mismatch("bad checksum " + std::to_string(g.check) + ", want " + std::to_string(sum));
    }
    if (g.saddr != ntohl(local_ip_.s_addr) || g.daddr != ntohl(remote_ip_.s_addr))
      mismatch("addresses are not local_ip -> remote_ip");
    if (g.sport != local_port_ || g.dport != remote_port_)
      mismatch("ports " + std::to_string(g.sport) + " -> " + std::to_string(g.dport) + ", want " +
               std::to_string(local_port_) + " -> " + std::to_string(remote_port_));
    if ((g.flags & ~GLASS_EXT) != p.flags) mismatch("flags differ");
    if (g.sack_perm != p.sack_perm) mismatch("SACK permitted differs");
    std::vector<std::pair<uint32_t, uint32_t>> blocks;
    for (const auto& [l, r] : g.sack) blocks.emplace_back(l - remote_isn_, r - remote_isn_);
    if (blocks != p.sack) mismatch("SACK blocks differ");
    uint32_t s = rel_out_seq(g.seq);
    if (s != p.start || g.len != p.len) mismatch("sequence range differs");
    if (p.ack && g.ack - remote_isn_ != *p.ack) mismatch("ack differs");
    if (!p.win_any && g.window != p.win) mismatch("window differs");
    if (p.mss && g.mss != *p.mss) mismatch("mss differs");
    for (uint32_t i = 0; i < g.len; i++) {
      if (g.payload[i] != pattern(s - 1 + i))
        mismatch("payload byte " + std::to_string(i) + " is not the byte written at offset " +
                 std::to_string(s - 1 + i));
    }
    note(c->t, ev.text + "   (got " + got + ")");
    return c->t;
  }

  // The extension area an inbound segment carries (docs/protocol.md).
  std::vector<uint8_t> build_ext(const PacketSpec& p) const {
    if (!p.sack_perm && p.sack.empty() && !p.bad_ext) return {};
    std::vector<uint8_t> a = {GLASS_EXT_VERSION, 0, 0, 0};
    if (p.bad_ext) a[0] = GLASS_EXT_VERSION + 1;
    if (p.sack_perm || p.bad_ext) a.insert(a.end(), {GLASS_EXT_SACK_PERM, 4, 0, 0});
    if (!p.sack.empty()) {
      a.insert(a.end(), {GLASS_EXT_SACK, static_cast<uint8_t>(4 + 8 * p.sack.size()), 0, 0});
      auto put32 = [&a](uint32_t v) {
        for (int sh = 24; sh >= 0; sh -= 8) a.push_back(static_cast<uint8_t>(v >> sh));
      };
      const uint32_t base = stack_isn_.value_or(0);
      for (const auto& [l, r] : p.sack) {
        put32(base + l);
        put32(base + r);
      }
    }
    a[2] = static_cast<uint8_t>(a.size() >> 8);
    a[3] = static_cast<uint8_t>(a.size() & 0xff);
    return a;
  }

  void inject(const PacketSpec& p) {
    if (!local_port_) local_port_ = bind_port_;
    const std::vector<uint8_t> ext = build_ext(p);
    std::vector<uint8_t> f(ETH_HLEN + GLASS_HDR_LEN + ext.size() + p.len);
    memset(f.data(), 0xff, 6);
    memcpy(f.data() + 6, gw_mac_.data(), 6);
    f[12] = ETH_P_GLASS >> 8;
    f[13] = ETH_P_GLASS & 0xff;
    glass_hdr gh{};
    gh.version = GLASS_VERSION;
    gh.flags = static_cast<uint8_t>(p.flags | (ext.empty() ? 0 : GLASS_EXT));
    gh.len = htons(static_cast<uint16_t>(ext.size() + p.len));
    gh.sport = htons(remote_port_);
    gh.dport = htons(local_port_);
    gh.saddr = remote_ip_.s_addr;
    gh.daddr = local_ip_.s_addr;
    gh.seq = htonl(remote_isn_ + p.start);
    gh.ack = htonl(p.ack ? stack_isn_.value_or(0) + *p.ack : 0);
    gh.window = htonl(p.win);
    gh.mss = htons(p.mss.value_or(0));
    gh.check = 0;
    uint8_t* h = f.data() + ETH_HLEN;
    memcpy(h, &gh, sizeof gh);
    std::copy(ext.begin(), ext.end(), h + GLASS_HDR_LEN);
    uint8_t* payload = h + GLASS_HDR_LEN + ext.size();
    for (uint32_t i = 0; i < p.len; i++) payload[i] = pattern(p.start - 1 + i);
    uint16_t sum = inet_csum(h, GLASS_HDR_LEN + ext.size() + p.len);
    if (p.bad_csum) sum ^= 0x00ff;
    h[30] = sum >> 8;
    h[31] = sum & 0xff;
    sockaddr_ll sll{};
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(ETH_P_GLASS);
    sll.sll_ifindex = gw_ifindex_;
    sll.sll_halen = 6;
    memset(sll.sll_addr, 0xff, 6);
    ssize_t n = sendto(pkt_, f.data(), f.size(), 0, reinterpret_cast<sockaddr*>(&sll), sizeof sll);
    if (n != static_cast<ssize_t>(f.size()))
      fail(std::string("sendto(AF_PACKET) failed: ") + strerror(errno));
  }

  // ------------------------------------------------ calls
  int real_fd(const std::string& arg) const {
    int sfd = static_cast<int>(parse_int(arg, "fd"));
    auto it = fds_.find(sfd);
    if (it == fds_.end()) fail("fd " + arg + " is not open in this script");
    return it->second;
  }

  // The last plain integer among args[from..], or def.
  static std::optional<long> int_arg(const std::vector<std::string>& args, size_t from) {
    std::optional<long> v;
    for (size_t i = from; i < args.size(); i++) {
      std::string a = args[i];
      if (!a.empty() && a.front() == '[' && a.back() == ']') a = a.substr(1, a.size() - 2);
      char* end = nullptr;
      long x = strtol(a.c_str(), &end, 0);
      if (!a.empty() && *end == 0) v = x;
    }
    return v;
  }

  // Builds the thunk that performs the call (resolving fds now).
  std::function<void(Call&)> make_call(const SyscallSpec& c) {
    const auto& a = c.args;
    auto need = [&](size_t n) {
      if (a.size() < n) fail(c.name + " needs " + std::to_string(n) + " arguments");
    };
    auto set = [](Call& k, long r) {
      k.ret = r;
      k.err = r < 0 ? errno : 0;
    };
    sockaddr_glass local{}, remote{};
    local.sg_family = remote.sg_family = AF_GLASS;
    local.sg_addr = local_ip_;
    remote.sg_addr = remote_ip_;
    remote.sg_port = htons(remote_port_);
    if (c.name == "socket") {
      int type = SOCK_STREAM;
      for (const auto& x : a)
        if (x.find("SOCK_NONBLOCK") != std::string::npos) type |= SOCK_NONBLOCK;
      return [=](Call& k) { set(k, socket(AF_GLASS, type, 0)); };
    }
    need(1);
    int fd = real_fd(a[0]);
    if (c.name == "bind") {
      auto port = int_arg(a, 1);
      if (port) bind_port_ = static_cast<uint16_t>(*port);
      local.sg_port = htons(bind_port_);
      local_port_ = bind_port_;
      return [=](Call& k) {
        set(k, bind(fd, reinterpret_cast<const sockaddr*>(&local), sizeof local));
      };
    }
    if (c.name == "listen") {
      int backlog = static_cast<int>(int_arg(a, 1).value_or(16));
      return [=](Call& k) { set(k, listen(fd, backlog)); };
    }
    if (c.name == "accept") return [=](Call& k) { set(k, accept(fd, nullptr, nullptr)); };
    if (c.name == "connect") {
      return [=](Call& k) {
        set(k, connect(fd, reinterpret_cast<const sockaddr*>(&remote), sizeof remote));
      };
    }
    if (c.name == "write" || c.name == "send") {
      auto n = int_arg(a, 1);
      if (!n || *n < 0) fail(c.name + " needs a byte count");
      int sfd = static_cast<int>(parse_int(a[0], "fd"));
      uint64_t off = write_off_[sfd];
      std::vector<uint8_t> data(*n);
      for (long i = 0; i < *n; i++) data[i] = pattern(static_cast<uint32_t>(off + i));
      return [=](Call& k) { set(k, send(fd, data.data(), data.size(), MSG_NOSIGNAL)); };
    }
    if (c.name == "read" || c.name == "recv") {
      auto n = int_arg(a, 1);
      if (!n || *n < 0) fail(c.name + " needs a byte count");
      size_t len = static_cast<size_t>(*n);
      return [=](Call& k) {
        k.data.resize(len);
        set(k, recv(fd, k.data.data(), len, 0));
        k.data.resize(k.ret > 0 ? k.ret : 0);
      };
    }
    if (c.name == "close") return [=](Call& k) { set(k, close(fd)); };
    if (c.name == "shutdown") {
      int how = SHUT_WR;
      for (const auto& x : a) {
        if (x == "SHUT_RD") how = SHUT_RD;
        if (x == "SHUT_RDWR") how = SHUT_RDWR;
      }
      return [=](Call& k) { set(k, shutdown(fd, how)); };
    }
    if (c.name == "setsockopt") {
      need(2);
      std::string opt;
      size_t at = 0;
      for (size_t i = 1; i < a.size(); i++) {
        if (a[i].rfind("GLASS_", 0) == 0 || a[i].rfind("SO_", 0) == 0) {
          opt = a[i];
          at = i;
        }
      }
      static const std::map<std::string, std::pair<int, int>> opts = {
          {"GLASS_NODELAY", {SOL_GLASS, GLASS_NODELAY}},
          {"GLASS_CORK", {SOL_GLASS, GLASS_CORK}},
          {"GLASS_MAXSEG", {SOL_GLASS, GLASS_MAXSEG}},
          {"GLASS_QUICKACK", {SOL_GLASS, GLASS_QUICKACK}},
          {"SO_RCVBUF", {SOL_SOCKET, SO_RCVBUF}},
          {"SO_SNDBUF", {SOL_SOCKET, SO_SNDBUF}},
          {"SO_REUSEADDR", {SOL_SOCKET, SO_REUSEADDR}},
          {"SO_KEEPALIVE", {SOL_SOCKET, SO_KEEPALIVE}},
          {"SO_LINGER", {SOL_SOCKET, SO_LINGER}}};
      auto it = opts.find(opt);
      if (it == opts.end()) fail("setsockopt: unknown option (want GLASS_* or SO_*)");
      // Plain copies: clang 14 cannot capture structured bindings.
      const int level = it->second.first;
      const int name = it->second.second;
      if (opt == "SO_LINGER") {
        // {onoff, linger} or {onoff=1, linger=0}
        std::string v = at + 1 < a.size() ? a[at + 1] : "";
        std::vector<long> nums;
        for (size_t i = 0; i < v.size();) {
          if (isdigit(static_cast<unsigned char>(v[i]))) {
            size_t used = 0;
            nums.push_back(std::stol(v.substr(i), &used));
            i += used;
          } else {
            i++;
          }
        }
        if (nums.size() != 2) fail("SO_LINGER wants {onoff, linger}");
        linger l{static_cast<int>(nums[0]), static_cast<int>(nums[1])};
        return [=](Call& k) { set(k, setsockopt(fd, level, name, &l, sizeof l)); };
      }
      auto v = at + 1 < a.size() ? int_arg({a[at + 1]}, 0) : std::nullopt;
      if (!v) fail("setsockopt: missing the value");
      int iv = static_cast<int>(*v);
      return [=](Call& k) { set(k, setsockopt(fd, level, name, &iv, sizeof iv)); };
    }
    fail("call '" + c.name + "' is not supported here");
  }

  std::shared_ptr<Call> launch(const SyscallSpec& c, double t) {
    auto fn = make_call(c);
    auto call = std::make_shared<Call>();
    call->t_start = t;
    std::thread([this, call, fn] {
      Call tmp;
      {
        std::lock_guard lk(call->mu);
        call->t_start = now();
        call->started = true;
        call->cv.notify_all();
      }
      fn(tmp);
      double td = now();
      std::lock_guard lk(call->mu);
      call->ret = tmp.ret;
      call->err = tmp.err;
      call->data = std::move(tmp.data);
      call->t_done = td;
      call->done = true;
      call->cv.notify_all();
    }).detach();
    // Count from when the thread is about to make the call, not from when
    // it was created: thread start-up is slow under TCG.
    std::unique_lock lk(call->mu);
    call->cv.wait(lk, [&] { return call->started; });
    return call;
  }

  bool wait_call(Call& k, double deadline) {
    std::unique_lock lk(k.mu);
    while (!k.done) {
      double left = deadline - now();
      if (left <= 0) return false;
      k.cv.wait_for(lk, std::chrono::duration<double>(left));
    }
    return true;
  }

  // Returns when the call started: the next relative time counts from there.
  // A call not written "T...D" runs inline (it must not block); a blocking
  // one runs in a thread and is checked later (poll_pending).
  double run_call(const Event& ev, const SyscallSpec& c, double t, double tol) {
    // The blocking call before this one must have returned by now: its
    // thread may just not have been scheduled yet (TCG), so wait for it
    // within its own deadline rather than failing at once.
    if (pending_) finish_pending(t);
    if (!ev.time.blocking) {
      // Inline, as packetdrill does: what the call sends happens after t.
      auto fn = make_call(c);
      Call k;
      k.t_start = now();
      fn(k);
      k.t_done = now();
      k.done = true;
      check_result(ev, c, k);
      call_slack_ = k.t_done - k.t_start;
      return k.t_start;
    }
    auto call = launch(c, t);
    {
      t = call->t_start;
      double end = t + ev.time.duration;
      pending_ = Pending{&ev, &c, call, end, tolerance(ev.time.duration)};
      note(t, ev.text + "   (started)");
      return t;
    }
    (void)tol;
    return t;
  }

  void check_result(const Event& ev, const SyscallSpec& c, Call& k) {
    std::string got = k.ret == -1 ? "-1 " + errno_name(k.err) : std::to_string(k.ret);
    std::string want = c.ret_any     ? "..."
                       : c.ret == -1 ? "-1 " + errno_name(c.err)
                                     : std::to_string(c.ret);
    // socket() and accept() name their fd: any fd matches a non-negative result.
    bool names_fd = (c.name == "socket" || c.name == "accept") && c.ret >= 0 && k.ret >= 0;
    if (!c.ret_any && !names_fd && (k.ret != c.ret || (c.ret == -1 && k.err != c.err)))
      fail(c.name + " returned " + got + ", expected " + want);
    if ((c.name == "socket" || c.name == "accept") && k.ret >= 0) {
      int sfd = c.ret_any ? static_cast<int>(k.ret) : static_cast<int>(c.ret);
      fds_[sfd] = static_cast<int>(k.ret);
    }
    if (c.name == "close" && k.ret == 0) fds_.erase(static_cast<int>(parse_int(c.args[0], "fd")));
    int sfd = c.name == "socket" ? -1 : static_cast<int>(parse_int(c.args[0], "fd"));
    if ((c.name == "write" || c.name == "send") && k.ret > 0) write_off_[sfd] += k.ret;
    if ((c.name == "read" || c.name == "recv") && k.ret > 0) {
      uint64_t off = read_off_[sfd];
      for (size_t i = 0; i < k.data.size(); i++) {
        if (k.data[i] != pattern(static_cast<uint32_t>(off + i)))
          fail("read: byte " + std::to_string(i) + " is not the peer's byte at stream offset " +
               std::to_string(off + i) + " (data out of order or corrupt)");
      }
      read_off_[sfd] += k.ret;
    }
    note(k.t_done,
         ev.text + "   (returned " + got + " after " + fmt_time(k.t_done - k.t_start) + " s)");
  }

  // A blocking call finishes: check it when it returned or when its
  // window has passed (before the event at time `at`).
  void poll_pending(double at) {
    if (!pending_) return;
    bool done;
    {
      std::lock_guard lk(pending_->call->mu);
      done = pending_->call->done;
    }
    if (done || at > pending_->end + pending_->tol) finish_pending(at);
  }

  void finish_pending(double) {
    if (!pending_) return;
    Pending p = *pending_;
    pending_.reset();
    const Event* saved = cur_;
    cur_ = p.ev;
    if (!wait_call(*p.call, p.end + p.tol))
      fail(p.spec->name + " did not return by " + fmt_time(p.end + p.tol) + " (expected at " +
           fmt_time(p.end) + ")");
    if (p.call->t_done < p.end - p.tol)
      fail(p.spec->name + " returned at " + fmt_time(p.call->t_done) + ", expected at " +
           fmt_time(p.end) + " (+/- " + fmt_time(p.tol) + ")");
    check_result(*p.ev, *p.spec, *p.call);
    cur_ = saved;
  }

  // The value an assertion reads: a glass_info field, or a counter's change.
  int64_t assert_value(const AssertSpec& a) {
    if (a.info) {
      int fd = real_fd(std::to_string(a.fd));
      glass_info gi{};
      socklen_t len = sizeof gi;
      if (getsockopt(fd, SOL_GLASS, GLASS_INFO, &gi, &len) < 0)
        fail(std::string("getsockopt(GLASS_INFO): ") + strerror(errno));
      const InfoField* f = nullptr;
      for (const auto& x : kInfoFields)
        if (a.field == x.name) f = &x;
      if (!f) fail("no glass_info field '" + a.field + "'");
      const auto* p = reinterpret_cast<const uint8_t*>(&gi) + f->off;
      if (f->size == 1) return *p;
      if (f->size == 4) return *reinterpret_cast<const uint32_t*>(p);
      if (f->size == 8) return static_cast<int64_t>(*reinterpret_cast<const uint64_t*>(p));
      return 0;
    }
    auto now_stats = read_stats();
    if (!now_stats.count(a.field)) fail("no counter '" + a.field + "' in /proc/net/glass_stat");
    return static_cast<int64_t>(now_stats[a.field] - stats0_[a.field]);
  }

  // An injected frame the stack answers nothing to (a drop) may still be
  // on its way: the device's poll can be running on the other CPU, and
  // then takes it there, after sendto() returned. So an assertion that
  // does not hold yet is read again, for up to kAssertSettle.
  void check_assert(const AssertSpec& a) {
    constexpr auto kAssertSettle = std::chrono::milliseconds(50);
    const auto give_up = std::chrono::steady_clock::now() + kAssertSettle;
    int64_t v = assert_value(a);
    while (!compare(v, a.op, a.value) && std::chrono::steady_clock::now() < give_up) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      v = assert_value(a);
    }
    if (!compare(v, a.op, a.value))
      fail("assertion failed: " + a.field + " is " + std::to_string(v) + ", expected " + a.op +
           " " + std::to_string(a.value));
  }

  struct Pending {
    const Event* ev;
    const SyscallSpec* spec;
    std::shared_ptr<Call> call;
    double end, tol;
  };

  const Script& s_;
  const Options& opt_;
  std::ostream& log_;
  double tol_us_, tol_pct_;
  in_addr local_ip_{}, remote_ip_{};
  uint16_t bind_port_ = 8080, remote_port_ = 40000, local_port_ = 0;
  uint32_t remote_isn_ = 1000000;
  std::optional<uint32_t> stack_isn_;
  int mtu_ = 1500;

  int wire_ns_ = -1, stack_ns_ = -1, pkt_ = -1, gw_ifindex_ = 0;
  std::array<uint8_t, 6> gs_mac_{}, gw_mac_{};
  std::map<std::string, uint64_t> stats0_;

  static constexpr double kCaptureGrace = 0.25;
  std::chrono::steady_clock::time_point t0_;
  double realtime_at_t0_ = 0;
  std::thread capture_;
  std::atomic<bool> stop_{false};
  std::mutex qmu_;
  std::condition_variable qcv_;
  std::deque<Captured> queue_;

  std::map<int, int> fds_;  // script fd -> real fd
  std::map<int, uint64_t> read_off_, write_off_;
  double call_slack_ = 0;  // seconds the last inline call took
  std::optional<Pending> pending_;
  const Event* cur_ = nullptr;
};

}  // namespace

bool check_script(const std::string& name, const std::string& text, std::ostream& out) {
  try {
    Script s = parse(text);
    Options o;
    std::ostringstream sink;
    Runner r(s, o, sink);  // validates the options
    return true;
  } catch (const std::exception& e) {
    out << name << ": " << e.what() << "\n";
    return false;
  }
}

bool run_script(const std::string& name, const std::string& text, const Options& opt,
                std::ostream& out) {
  Script s;
  try {
    s = parse(text);
  } catch (const SyntaxError& e) {
    out << "FAIL " << name << ": syntax: " << e.what() << "\n";
    return false;
  }
  bool ok = false;
  try {
    Runner r(s, opt, out);
    try {
      r.run();
      ok = true;
    } catch (const Failure& e) {
      out << "error: " << e.what() << "\n";
      r.dump_leftovers();
    }
  } catch (const std::exception& e) {
    out << "error: " << e.what() << "\n";
  }
  out << (ok ? "PASS " : "FAIL ") << name << "\n";
  out.flush();
  return ok;
}

bool run_isolated(const std::string& name, const std::string& text, const Options& opt,
                  int timeout_s, std::string* output) {
  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) < 0) {
    *output = std::string("pipe: ") + strerror(errno) + "\n";
    return false;
  }
  pid_t pid = fork();
  if (pid < 0) {
    *output = std::string("fork: ") + strerror(errno) + "\n";
    return false;
  }
  if (pid == 0) {
    close(pipefd[0]);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    alarm(static_cast<unsigned>(timeout_s));
    dup2(pipefd[1], STDOUT_FILENO);
    dup2(pipefd[1], STDERR_FILENO);
    close(pipefd[1]);
    std::cout << std::unitbuf;
    bool ok = run_script(name, text, opt, std::cout);
    std::cout.flush();
    _exit(ok ? 0 : 1);
  }
  close(pipefd[1]);
  output->clear();
  char buf[4096];
  for (;;) {
    ssize_t n = read(pipefd[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    output->append(buf, n);
  }
  close(pipefd[0]);
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(st)) {
    *output +=
        "FAIL " + name + ": killed by signal " + std::to_string(WTERMSIG(st)) +
        (WTERMSIG(st) == SIGALRM ? " (timed out after " + std::to_string(timeout_s) + " s)" : "") +
        "\n";
    return false;
  }
  return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

}  // namespace glass::script
