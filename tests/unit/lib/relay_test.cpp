// relay() (the pump of `glass cat`) over AF_UNIX socketpairs and pipes: the
// same half-close and poll behaviour a glass socket must show.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>
#include <glass/fd.hpp>

#include <random>
#include <string>
#include <thread>

#include "relay.hpp"

namespace glass::cli {
namespace {

struct Pipe {
  Fd r, w;
  Pipe() {
    int p[2];
    EXPECT_EQ(::pipe(p), 0);
    r.reset(p[0]);
    w.reset(p[1]);
  }
};

std::string read_all(int fd) {
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::read(fd, buf, sizeof(buf))) > 0;) out.append(buf, static_cast<size_t>(n));
  return out;
}

void write_all(int fd, const std::string& s) {
  for (std::size_t off = 0; off < s.size();) {
    const ssize_t n = ::write(fd, s.data() + off, s.size() - off);
    ASSERT_GT(n, 0);
    off += static_cast<std::size_t>(n);
  }
}

std::string random_bytes(std::size_t n) {
  std::mt19937 rng(1234);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

// Both directions at once, binary data, more than any buffer holds.
TEST(Relay, BinaryBothWaysWithHalfClose) {
  int sp[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, sp), 0);
  Fd ours(sp[0]), peer(sp[1]);
  Pipe in, out;
  const std::string up = random_bytes(3 << 20);
  const std::string down = random_bytes(2 << 20) + std::string(1000, '\0');

  std::thread feeder([&] {
    write_all(in.w.get(), up);
    in.w.reset();  // stdin EOF
  });
  std::string got_up;
  std::thread remote([&] {
    std::thread reader([&] { got_up = read_all(peer.get()); });  // ends on our FIN
    write_all(peer.get(), down);
    ::shutdown(peer.get(), SHUT_WR);
    reader.join();
  });
  std::string got_down;
  std::thread drain([&] { got_down = read_all(out.r.get()); });

  relay(in.r.get(), out.w.get(), ours.get());
  out.w.reset();
  feeder.join();
  remote.join();
  drain.join();
  EXPECT_EQ(got_up.size(), up.size());
  EXPECT_TRUE(got_up == up);
  EXPECT_EQ(got_down.size(), down.size());
  EXPECT_TRUE(got_down == down);
}

// Empty stdin: the FIN goes out at once; the peer's answer still arrives.
TEST(Relay, EmptyStdinStillReceives) {
  int sp[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, sp), 0);
  Fd ours(sp[0]), peer(sp[1]);
  Pipe in, out;
  in.w.reset();
  std::thread remote([&] {
    EXPECT_EQ(read_all(peer.get()), "");  // our FIN
    write_all(peer.get(), "reply");
    ::shutdown(peer.get(), SHUT_WR);
  });
  relay(in.r.get(), out.w.get(), ours.get());
  remote.join();
  out.w.reset();
  EXPECT_EQ(read_all(out.r.get()), "reply");
}

// The peer closes completely while stdin stays open: relay returns.
TEST(Relay, PeerGoneWhileStdinOpen) {
  int sp[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, sp), 0);
  Fd ours(sp[0]), peer(sp[1]);
  Pipe in, out;
  write_all(peer.get(), "bye");
  peer.reset();
  relay(in.r.get(), out.w.get(), ours.get());
  out.w.reset();
  EXPECT_EQ(read_all(out.r.get()), "bye");
}

}  // namespace
}  // namespace glass::cli
