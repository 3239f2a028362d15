// The control lines of glass perf -s/-c: formatting and strict parsing (a
// server must not trust what arrives on its port).
#include "protocol.hpp"

#include <glass/error.hpp>

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <map>
#include <random>
#include <sstream>

namespace glass::cli {
namespace {

// "k=v k=v" after a prefix into a map; false on a word without '=' or a
// repeated key.
bool fields(const std::string& rest, std::map<std::string, std::string>& out) {
  std::istringstream in(rest);
  std::string word;
  while (in >> word) {
    const auto eq = word.find('=');
    if (eq == std::string::npos || eq == 0) return false;
    if (!out.emplace(word.substr(0, eq), word.substr(eq + 1)).second) return false;
  }
  return true;
}

template <typename T>
bool number(const std::string& s, T& v) {
  if (s.empty()) return false;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size();
}

bool real(const std::string& s, double& v) {
  if (s.empty() || s.size() > 32) return false;
  char* end = nullptr;
  v = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size() && v == v;  // NaN fails
}

std::string g(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.6f", v);
  return buf;
}

}  // namespace

std::string format_hello(const PerfHello& h) {
  return "glass-perf " + std::to_string(kPerfProtocol) + " streams=" + std::to_string(h.streams) +
         " reverse=" + (h.reverse ? "1" : "0") + " seconds=" + g(h.seconds) +
         " bytes=" + std::to_string(h.bytes) + " len=" + std::to_string(h.len) +
         " cookie=" + h.cookie +
         (h.writes_per_wake != 1 ? " burst=" + std::to_string(h.writes_per_wake) : "") + "\n";
}

std::optional<PerfHello> parse_hello(const std::string& line, std::string* err) {
  const std::string prefix = "glass-perf " + std::to_string(kPerfProtocol) + " ";
  if (line.rfind(prefix, 0) != 0) {
    *err = "not a glass perf client (or another protocol version)";
    return std::nullopt;
  }
  std::map<std::string, std::string> f;
  PerfHello h;
  int reverse = 0;
  const bool parsed = fields(line.substr(prefix.size()), f);
  const bool burst = f.count("burst") != 0;
  if (!parsed || f.size() != (burst ? 7u : 6u) ||
      (burst && !number(f["burst"], h.writes_per_wake)) || !number(f["streams"], h.streams) ||
      !number(f["reverse"], reverse) || !real(f["seconds"], h.seconds) ||
      !number(f["bytes"], h.bytes) || !number(f["len"], h.len)) {
    *err = "malformed request";
    return std::nullopt;
  }
  h.reverse = reverse == 1;
  h.cookie = f["cookie"];
  const bool hex =
      h.cookie.size() == 16 && h.cookie.find_first_not_of("0123456789abcdef") == std::string::npos;
  if (h.streams < 1 || h.streams > kPerfMaxStreams || reverse > 1 || h.len < 1 ||
      h.len > (16u << 20) || h.seconds < 0.05 || h.seconds > 3600 ||
      h.bytes > (std::uint64_t{1} << 40) || h.writes_per_wake < 1 ||
      h.writes_per_wake > kPerfMaxWritesPerWake || !hex) {
    *err = "request out of range";
    return std::nullopt;
  }
  return h;
}

std::string make_cookie() {
  std::random_device rd;
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%08x%08x", rd(), rd());
  return buf;
}

std::string format_result(const PerfResultLine& r) {
  std::string s = "result seconds=" + g(r.seconds) + " cpu=" + g(r.cpu_seconds) + " bytes=";
  for (std::size_t i = 0; i < r.bytes.size(); i++) s += (i ? "," : "") + std::to_string(r.bytes[i]);
  return s + "\n";
}

std::optional<PerfResultLine> parse_result(const std::string& line, std::size_t streams) {
  if (line.rfind("result ", 0) != 0) return std::nullopt;
  std::map<std::string, std::string> f;
  PerfResultLine r;
  if (!fields(line.substr(7), f) || f.size() != 3 || !real(f["seconds"], r.seconds) ||
      !real(f["cpu"], r.cpu_seconds))
    return std::nullopt;
  std::istringstream in(f["bytes"]);
  std::string item;
  while (std::getline(in, item, ',')) {
    std::uint64_t v = 0;
    if (!number(item, v)) return std::nullopt;
    r.bytes.push_back(v);
  }
  if (r.bytes.size() != streams) return std::nullopt;
  return r;
}

std::string read_line(int fd) {
  std::string line;
  char c = 0;
  for (;;) {
    const ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("read(control)", errno);
    if (n == 0) throw Error("read(control)", EPIPE, "the peer closed the control connection");
    if (c == '\n') return line;
    if (line.size() >= kPerfMaxLine) throw Error("read(control)", EPROTO, "line too long");
    line += c;
  }
}

}  // namespace glass::cli
