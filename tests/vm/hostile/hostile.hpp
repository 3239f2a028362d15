// Helpers of the hostile-conditions suite: RAII descriptors, shell capture,
// the fault injector through `glass fault`, procfs tables, sysctls, frames
// forged with AF_PACKET (Internet checksum, a model of the module's frame
// validation) and SHA-256 for stream verification.
#pragma once

#include <linux/glass.h>
#include <linux/glass_wire.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "support.hpp"

namespace hostile {

// An owned file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(Fd&& o) noexcept : fd_(o.release()) {}
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) reset(o.release());
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset(int fd = -1);
  explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

// Writes s to path; false if it could not.
bool write_file(const std::string& path, const std::string& s);

// Runs `sh -c cmd`, returns its stdout; *rc gets the exit status.
std::string capture(const std::string& cmd, int* rc = nullptr);

// The fault injector of dev in namespace ns, through the glass CLI.
struct Fault {
  std::map<std::string, uint64_t> v;  // seed, loss_ppm, ..., frames, lost, ...
  uint64_t operator[](const std::string& k) const;
};
void set_fault(const std::string& ns, const std::string& dev, const std::string& args);
Fault show_fault(const std::string& ns, const std::string& dev);

// net.glass.NAME in namespace ns.
void set_sysctl(const std::string& ns, const std::string& name, int value);
// A device statistic (/sys/class/net/DEV/statistics/NAME) in namespace ns.
uint64_t dev_stat(const std::string& ns, const std::string& dev, const std::string& name);

// /proc/thread-self/net/glass of the calling thread's namespace.
struct ProcTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  int col(const std::string& name) const;  // -1 when absent
  // The row whose `local` (or `remote` when by_remote) column equals key.
  const std::vector<std::string>* find(const std::string& column, const std::string& value) const;
  uint64_t num(const std::vector<std::string>& row, const std::string& column) const;
};
ProcTable proc_table();
// /proc/thread-self/net/glass_stat.
std::map<std::string, uint64_t> counters();
// Sum of every drop_* counter.
uint64_t drops(const std::map<std::string, uint64_t>& c);
// after - before for every counter of after.
std::map<std::string, uint64_t> delta(const std::map<std::string, uint64_t>& after,
                                      const std::map<std::string, uint64_t>& before);
// Drops every privilege: groups, gid and uid become 65534 (nobody), as
// any local user. False if a step failed.
bool become_nobody();

// /sys/module/glass/refcnt.
long module_refcnt();

// A connection across a gt::Pair: client in h1 (10.7.0.1), server in h2.
struct Conn {
  Fd listener;  // in h2, on 10.7.0.2:port
  Fd client;    // in h1
  Fd server;    // accepted in h2
};
Conn connect_pair(const gt::Pair& p, uint16_t port);

// Sets fd non-blocking.
void nonblock(int fd);

// SHA-256.
class Sha256 {
 public:
  Sha256();
  void update(const void* data, size_t n);
  std::string hex();  // finishes

 private:
  void block(const uint8_t* p);
  uint32_t h_[8];
  uint8_t buf_[64];
  size_t buf_len_ = 0;
  uint64_t total_ = 0;
};

// A deterministic byte stream: the bytes of stream `id` at offset off.
void fill_pattern(uint32_t id, uint64_t off, uint8_t* p, size_t n);

// Internet checksum (RFC 1071), returned in host order, of n bytes.
uint16_t inet_checksum(const uint8_t* p, size_t n);

// A glass frame: Ethernet header + glass header + payload.
struct Frame {
  std::vector<uint8_t> bytes;
};
struct MacPair {
  uint8_t src[6];
  uint8_t dst[6];
};
// MAC address of dev in the calling thread's namespace.
void mac_of(const std::string& dev, uint8_t out[6]);
// Builds a frame with a correct checksum (unless the caller breaks it).
Frame make_frame(const MacPair& m, const glass_hdr& h, const std::vector<uint8_t>& payload);
// Recomputes the glass checksum of a frame (whole frame after Ethernet).
void fix_checksum(Frame& f);

// What glass_validate() in the module does with a frame (after Ethernet):
// which counter it bumps before any socket sees it. kPass: it goes on.
enum class Verdict { kTruncated, kChecksum, kMalformed, kNotLocal, kPass };
Verdict predict(const uint8_t* glass, size_t n, uint32_t local_addr_be);

// An AF_PACKET socket that sends raw frames on dev (calling thread's netns).
class Injector {
 public:
  explicit Injector(const std::string& dev);
  bool send(const Frame& f);

 private:
  Fd fd_;
};

}  // namespace hostile
