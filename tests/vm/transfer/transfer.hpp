// Helpers of the transfer suite: a connected pair of glass sockets across two
// namespaces, per-namespace counters and sysctls, netem, and byte patterns
// that let a reader check every byte it gets against its stream offset.
#pragma once

#include <linux/glass.h>
#include <linux/glass_wire.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "support.hpp"

namespace tt {

// What to set on the sockets before the connection is made.
struct Options {
  int server_rcvbuf = 0;  // SO_RCVBUF on the listener (the child inherits it)
  int server_sndbuf = 0;  // SO_SNDBUF on the listener
  int client_rcvbuf = 0;  // SO_RCVBUF on the client
  int client_sndbuf = 0;  // SO_SNDBUF on the client
  int client_maxseg = 0;  // GLASS_MAXSEG on the client
  bool client_nodelay = false;
};

// One established connection across a glass pair: `client` lives in h1
// (10.7.0.1, device ga), `server` is the accepted socket in h2 (10.7.0.2,
// device gb). The pair is the Link's own, or one a test suite shares
// (namespaces cost seconds to make under TCG); every open() uses a port of
// its own. Set sysctls through sysctl() before calling open().
class Link {
 public:
  Link();
  explicit Link(gt::Pair& shared);
  ~Link();
  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;

  // Makes the connection; fails the test (and leaves fds at -1) on error.
  void open(const Options& o = {});
  const gt::Netns& h1() const { return pair_->h1(); }
  const gt::Netns& h2() const { return pair_->h2(); }

  int client = -1;
  int server = -1;

 private:
  std::unique_ptr<gt::Pair> owned_;
  gt::Pair* pair_;
};

// Writes net.glass.<name> in a namespace.
void sysctl(const gt::Netns& ns, const std::string& name, int value);
// A buffer sysctl of a namespace (net.glass.rmem, net.glass.wmem): min,
// default, max, as tcp_rmem and tcp_wmem.
struct BufLimits {
  int min = 0, def = 0, max = 0;
};
BufLimits read_buf_limits(const gt::Netns& ns, const std::string& name);
// Writes all three; the max read back must be the one written.
void set_buf_limits(const gt::Netns& ns, const std::string& name, const BufLimits& b);
// /proc/net/glass_stat of a namespace.
std::map<std::string, uint64_t> stats(const gt::Netns& ns);
uint64_t stat(const gt::Netns& ns, const std::string& counter);
// `tc qdisc add dev DEV root netem ARGS` in a namespace.
void netem(const gt::Netns& ns, const std::string& dev, const std::string& args);

// The byte at stream offset off of the pattern with this seed.
uint8_t pattern_byte(uint64_t seed, uint64_t off);
// Fills p[0, n) with the pattern from stream offset off.
void pattern_fill(uint64_t seed, uint64_t off, uint8_t* p, size_t n);

// Writes total pattern bytes (blocking); false on a short write.
bool send_pattern(int fd, uint64_t seed, uint64_t total, uint64_t off = 0);
// Reads total bytes and compares each with the pattern; on success returns
// true. On a mismatch or an early end, records where in *why.
bool recv_pattern(int fd, uint64_t seed, uint64_t total, std::string* why, uint64_t off = 0);

// Sets or clears O_NONBLOCK.
void set_nonblocking(int fd, bool on);
// getsockopt/setsockopt of an int at level SOL_GLASS or SOL_SOCKET.
void set_int(int fd, int level, int name, int value);

// Waits until the sender has every byte acknowledged (nothing unsent or
// unacknowledged); false after ms milliseconds.
bool wait_all_acked(int fd, int ms = 10000);

// Frames of the glass header, from a packet socket on a device.
class Capture {
 public:
  // Opens an AF_PACKET socket for ETH_P_GLASS on dev in namespace ns.
  Capture(const gt::Netns& ns, const std::string& dev);
  ~Capture();
  Capture(const Capture&) = delete;
  Capture& operator=(const Capture&) = delete;
  // Reads every frame queued so far (non-blocking) into the counts below.
  void drain();
  // Header fields of frames seen, by direction as the device saw them. A
  // frame may be a train: segments of the size in its mss field.
  uint64_t data_frames_out = 0;  // outgoing frames with payload
  uint64_t data_segs_out = 0;    // the segments they carry
  uint64_t max_seg_out = 0;      // largest segment payload sent
  uint64_t data_frames_in = 0;
  uint64_t data_segs_in = 0;
  uint64_t max_seg_in = 0;

 private:
  int fd_ = -1;
};

}  // namespace tt
