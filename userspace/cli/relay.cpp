// relay(): stdin → socket and socket → stdout with one poll loop.
//
// Rules:
// 1. stdin is read only when the previous chunk is fully sent, so a slow
//    peer pushes back on the writer of stdin instead of growing a buffer.
// 2. Socket writes are non-blocking; socket reads are written to out_fd
//    completely (blocking) before the socket is polled again.
// 3. stdin EOF + nothing pending → shutdown(SHUT_WR), exactly once.
// 4. The loop ends when the FIN was sent and the peer's FIN was read, or when
//    the peer is gone (POLLHUP/POLLERR) with nothing left to send; a reset
//    (SO_ERROR, EPIPE after the FIN) then is an error, as it is at any other time.
#include "relay.hpp"

#include <glass/error.hpp>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstddef>

namespace glass::cli {
namespace {

constexpr std::size_t kChunk = std::size_t{64} * 1024;

void write_all_fd(int fd, const std::byte* p, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) throw_errno("write(stdout)", errno);
    p += w;
    n -= static_cast<std::size_t>(w);
  }
}

struct Pump {
  int in_fd, out_fd, sock;
  std::array<std::byte, kChunk> out_buf{};  // stdin → socket
  std::array<std::byte, kChunk> in_buf{};   // socket → stdout
  std::size_t off = 0, len = 0;             // pending bytes in out_buf
  bool in_eof = false, fin_sent = false, peer_fin = false;

  void read_stdin() {
    const ssize_t n = ::read(in_fd, out_buf.data(), out_buf.size());
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (n < 0) throw_errno("read(stdin)", errno);
    if (n == 0) in_eof = true;
    off = 0;
    len = static_cast<std::size_t>(n);
  }

  void send_pending() {
    const ssize_t n = ::send(sock, out_buf.data() + off, len - off, MSG_NOSIGNAL);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (n < 0) throw_errno("write(socket)", errno);
    off += static_cast<std::size_t>(n);
    if (off == len) off = len = 0;
  }

  void read_socket() {
    const ssize_t n = ::recv(sock, in_buf.data(), in_buf.size(), 0);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (n < 0) throw_errno("read(socket)", errno);
    if (n == 0) peer_fin = true;
    write_all_fd(out_fd, in_buf.data(), static_cast<std::size_t>(n));
  }

  void maybe_send_fin() {
    if (!in_eof || len != 0 || fin_sent) return;
    if (::shutdown(sock, SHUT_WR) < 0 && errno != ENOTCONN) throw_errno("shutdown", errno);
    fin_sent = true;
  }

  // One poll round; returns false when the relay is over.
  bool step() {
    maybe_send_fin();
    if (fin_sent && peer_fin) return false;
    std::array<pollfd, 2> fds{};
    fds[0] = {(!in_eof && len == 0) ? in_fd : -1, POLLIN, 0};
    const short sev = static_cast<short>((peer_fin ? 0 : POLLIN) | (len > 0 ? POLLOUT : 0));
    fds[1] = {sock, sev, 0};
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) return true;
      throw_errno("poll", errno);
    }
    if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) read_stdin();
    const short rev = fds[1].revents;
    if (len > 0 && (rev & (POLLOUT | POLLERR | POLLHUP)) != 0) send_pending();
    if (!peer_fin && (rev & (POLLIN | POLLHUP | POLLERR)) != 0) read_socket();
    // Peer gone and nothing of ours pending: nobody left to talk to. A
    // reset after the peer's FIN still means our data may be lost, so a
    // pending error (EPIPE, ECONNRESET) fails the relay instead of ending it.
    if (peer_fin && len == 0 && (rev & (POLLHUP | POLLERR)) != 0) {
      check_socket_error();
      return false;
    }
    return true;
  }

  void check_socket_error() const {
    int err = 0;
    socklen_t l = sizeof(err);
    if (::getsockopt(sock, SOL_SOCKET, SO_ERROR, &err, &l) < 0) throw_errno("getsockopt", errno);
    if (err != 0) throw_errno("read(socket)", err);
  }
};

}  // namespace

void relay(int in_fd, int out_fd, int sock) {
  const int flags = ::fcntl(sock, F_GETFL);
  if (flags < 0 || ::fcntl(sock, F_SETFL, flags | O_NONBLOCK) < 0)
    throw_errno("fcntl(O_NONBLOCK)", errno);
  Pump pump{in_fd, out_fd, sock};
  while (pump.step()) {
  }
}

}  // namespace glass::cli
