// Helpers of the trace suite; see trace_util.hpp.
#include "trace_util.hpp"

#include <fcntl.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

namespace tr {
namespace {

std::string temp_file(const char* tag) {
  std::string path = std::string("/tmp/vmtest_trace_") + tag + "_XXXXXX";
  const int fd = mkstemp(path.data());
  if (fd < 0) ADD_FAILURE() << "mkstemp: " << strerror(errno);
  close(fd);
  return path;
}

pid_t spawn(const std::vector<std::string>& args, const std::string& out, const std::string& err,
            uid_t uid) {
  const pid_t pid = fork();
  if (pid == 0) {
    if (uid != 0 && (setgroups(0, nullptr) != 0 || setgid(uid) != 0 || setuid(uid) != 0))
      _exit(126);
    const int o = open(out.c_str(), O_WRONLY | O_TRUNC);
    const int e = open(err.c_str(), O_WRONLY | O_TRUNC);
    dup2(o, STDOUT_FILENO);
    dup2(e, STDERR_FILENO);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>("glass"));
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execvp("glass", argv.data());
    _exit(127);
  }
  if (pid < 0) ADD_FAILURE() << "fork: " << strerror(errno);
  return pid;
}

// Waits for pid up to ms; the exit status, 128+signal, or -1 when running.
int reap(pid_t pid, int ms) {
  for (int waited = 0;; waited += 10) {
    int st = 0;
    const pid_t r = waitpid(pid, &st, WNOHANG);
    if (r == pid) return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    if (r < 0 || waited >= ms) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace

std::optional<Json> parse_json(const std::string& line) {
  Json j;
  size_t i = 0;
  const auto ws = [&] {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\n')) ++i;
  };
  const auto string = [&](std::string* s) {
    if (i >= line.size() || line[i] != '"') return false;
    for (++i; i < line.size() && line[i] != '"'; ++i) {
      if (line[i] == '\\' && ++i >= line.size()) return false;
      *s += line[i];
    }
    return i++ < line.size();
  };
  ws();
  if (i >= line.size() || line[i++] != '{') return std::nullopt;
  ws();
  if (i < line.size() && line[i] == '}') return j;
  for (;;) {
    std::string key, value;
    ws();
    if (!string(&key)) return std::nullopt;
    ws();
    if (i >= line.size() || line[i++] != ':') return std::nullopt;
    ws();
    if (i < line.size() && line[i] == '"') {
      if (!string(&value)) return std::nullopt;
    } else {
      while (i < line.size() && line[i] != ',' && line[i] != '}') value += line[i++];
      if (value.empty() || value[0] == '[' || value[0] == '{') return std::nullopt;
    }
    j[key] = value;
    ws();
    if (i < line.size() && line[i] == ',') {
      ++i;
      continue;
    }
    if (i < line.size() && line[i] == '}') return j;
    return std::nullopt;
  }
}

uint64_t num(const Json& j, const std::string& key) {
  const auto it = j.find(key);
  return it == j.end() ? 0 : std::strtoull(it->second.c_str(), nullptr, 10);
}

std::string str(const Json& j, const std::string& key) {
  const auto it = j.find(key);
  return it == j.end() ? "" : it->second;
}

Glass::Glass(const std::vector<std::string>& args, uid_t uid)
    : out_path_(temp_file("out")), err_path_(temp_file("err")) {
  // The child writes the files after dropping privileges.
  if (uid != 0) {
    chown(out_path_.c_str(), uid, uid);
    chown(err_path_.c_str(), uid, uid);
  }
  pid_ = spawn(args, out_path_, err_path_, uid);
}

Glass::~Glass() {
  if (pid_ > 0 && status_ < 0) {
    kill(pid_, SIGKILL);
    reap(pid_, 5000);
  }
  unlink(out_path_.c_str());
  unlink(err_path_.c_str());
}

bool Glass::attached(int ms) {
  for (int waited = 0; waited <= ms; waited += 10) {
    // The whole line: stderr arrives in pieces, and callers check the rest
    // of it ("(2 programs attached)").
    const std::string e = err();
    const size_t at = e.find("Tracing glass");
    if (at != std::string::npos && e.find('\n', at) != std::string::npos) return true;
    if (status_ < 0) status_ = reap(pid_, 0);
    if (status_ >= 0) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

int Glass::stop(int ms) {
  if (status_ < 0) {
    kill(pid_, SIGINT);
    status_ = reap(pid_, ms);
  }
  return status_;
}

int Glass::wait(int ms) {
  if (status_ < 0) status_ = reap(pid_, ms);
  return status_;
}

std::string Glass::out() const {
  return gt::read_file(out_path_);
}

std::string Glass::err() const {
  return gt::read_file(err_path_);
}

std::vector<Json> Glass::records() const {
  std::vector<Json> v;
  std::istringstream in(out());
  std::string line;
  while (std::getline(in, line)) {
    std::optional<Json> j = parse_json(line);
    if (!j) {
      ADD_FAILURE() << "not a flat JSON object: " << line;
      continue;
    }
    v.push_back(std::move(*j));
  }
  return v;
}

int run_glass(const std::vector<std::string>& args, std::string* out, int ms, uid_t uid) {
  Glass g(args, uid);
  const int rc = g.wait(ms);
  if (out) *out = g.out() + g.err();
  return rc;
}

Conn::Conn(uint16_t p) : port(p) {
  sysctl("time_wait_ms", 100);
}

Conn::~Conn() {
  close_all();
}

void Conn::sysctl(const std::string& name, int value) const {
  for (const gt::Netns* ns : {&pair.h1(), &pair.h2()})
    ns->run("sh -c 'echo " + std::to_string(value) + " > /proc/sys/net/glass/" + name + "'");
}

void Conn::open() {
  {
    gt::InNetns in(pair.h2().name());
    listener = gt::listener(gt::Pair::kAddr2, port);
  }
  {
    gt::InNetns in(pair.h1().name());
    client = gt::connect_to(gt::Pair::kAddr2, port);
  }
  server = accept(listener, nullptr, nullptr);
  if (server < 0) ADD_FAILURE() << "accept: " << strerror(errno);
  sockaddr_glass a{};
  socklen_t len = sizeof(a);
  getsockname(client, reinterpret_cast<sockaddr*>(&a), &len);
  client_port = ntohs(a.sg_port);
}

bool Conn::close_all(int ms) {
  for (int* fd : {&client, &server, &listener}) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
  }
  return gt::wait_until(
      [&] { return proc_lines(pair.h1().name()) <= 1 && proc_lines(pair.h2().name()) <= 1; }, ms);
}

int proc_lines(const std::string& ns) {
  std::optional<gt::InNetns> in;
  if (!ns.empty()) in.emplace(ns);
  std::ifstream f("/proc/thread-self/net/glass");
  std::string line;
  int n = 0;
  while (std::getline(f, line))
    if (!line.empty()) ++n;
  return n;
}

bool wait_acked(int fd, int ms) {
  return gt::wait_until(
      [&] {
        const glass_info gi = gt::info(fd);
        return gi.gi_unacked == 0 && gi.gi_unsent == 0;
      },
      ms);
}

bool wait_state(int fd, int state, int ms) {
  return gt::wait_until([&] { return gt::info(fd).gi_state == state; }, ms);
}

}  // namespace tr
