// Helpers of the unmodified-programs suite (programs.hpp).
#include "programs.hpp"

#include "support.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace prog {

std::string capture(const std::string& cmd, int* status) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) {
    ADD_FAILURE() << "popen " << cmd;
    return out;
  }
  char buf[4096];
  size_t n = 0;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  const int rc = pclose(p);
  if (status != nullptr) *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
  return out;
}

Background::Background(const std::string& cmd, std::string log) : log_(std::move(log)) {
  pid_ = fork();
  if (pid_ == 0) {
    setpgid(0, 0);
    const std::string line = "exec " + cmd + " >" + log_ + " 2>&1 </dev/null";
    execl("/bin/sh", "sh", "-c", line.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  if (pid_ < 0) ADD_FAILURE() << "fork for " << cmd;
}

Background::~Background() {
  if (pid_ <= 0) return;
  kill(-pid_, SIGTERM);
  kill(pid_, SIGTERM);
  for (int i = 0; i < 100; ++i) {
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) return;
    usleep(50 * 1000);
  }
  kill(-pid_, SIGKILL);
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
}

bool Background::running() {
  return pid_ > 0 && waitpid(pid_, nullptr, WNOHANG) == 0;
}

std::string Background::log() const {
  std::ifstream in(log_);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

namespace {

std::string in_ns(const std::string& ns, const std::string& cmd) {
  return capture("/usr/sbin/ip netns exec " + ns + " " + cmd);
}

}  // namespace

std::string glass_rows(const std::string& ns, uint16_t port) {
  std::istringstream in(in_ns(ns, "cat /proc/net/glass"));
  std::string line, rows;
  const std::string suffix = ":" + std::to_string(port) + " ";
  while (std::getline(in, line)) {
    const auto sp = line.find(' ');
    if (sp != std::string::npos && line.substr(0, sp + 1).ends_with(suffix)) rows += line + "\n";
  }
  return rows;
}

bool glass_listening(const std::string& ns, uint16_t port) {
  std::istringstream in(glass_rows(ns, port));
  std::string local, remote, state;
  while (in >> local >> remote >> state) {
    if (state == "10") return true;
    in.ignore(1 << 16, '\n');
  }
  return false;
}

bool tcp_uses_port(const std::string& ns, uint16_t port) {
  char hex[8];
  std::snprintf(hex, sizeof(hex), ":%04X ", port);
  std::istringstream in(in_ns(ns, "cat /proc/net/tcp /proc/net/tcp6"));
  std::string line;
  while (std::getline(in, line)) {
    // local_address is the second column: ADDR:PORT
    std::istringstream w(line);
    std::string sl, local;
    w >> sl >> local;
    if ((local + " ").ends_with(hex)) return true;
  }
  return false;
}

std::map<std::string, uint64_t> glass_stat(const std::string& ns) {
  return gt::counters_from(in_ns(ns, "cat /proc/net/glass_stat"), "/proc/net/glass_stat of " + ns);
}

}  // namespace prog
