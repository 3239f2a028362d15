// glass userspace library: Socket, an owned AF_GLASS socket.
#pragma once

#include <glass/address.hpp>
#include <glass/fd.hpp>
#include <glass/info.hpp>

#include <cstddef>
#include <span>
#include <string>

namespace glass {

// An AF_GLASS stream socket. Owns its descriptor (move-only); every call
// throws Error naming the call and its argument, e.g.
// "connect(10.7.0.2:7000): Connection refused". EINTR is retried.
class Socket {
 public:
  Socket() noexcept = default;
  explicit Socket(Fd fd) noexcept : fd_(std::move(fd)) {}

  // socket(AF_GLASS, type | SOCK_CLOEXEC, 0). EAFNOSUPPORT is reported as
  // "socket(AF_GLASS): " + kModuleNotLoaded (a hint pointing to the guest).
  static Socket create(int type = SOCK_STREAM);

  int fd() const noexcept { return fd_.get(); }
  bool valid() const noexcept { return fd_.valid(); }
  int release() noexcept { return fd_.release(); }
  void close() noexcept { fd_.reset(); }

  void bind(const Address& addr);
  void listen(int backlog = 128);
  // Returns the connected socket; stores the peer in *peer when given.
  Socket accept(Address* peer = nullptr);
  void connect(const Address& addr);
  void shutdown(int how);

  // One read(2): bytes read, 0 at end of stream.
  std::size_t read(std::span<std::byte> buf);
  // One write(2): bytes written.
  std::size_t write(std::span<const std::byte> buf);
  // Writes all of buf (loops over short writes).
  void write_all(std::span<const std::byte> buf);
  void write_all(std::string_view text);

  void set_option(int level, int name, int value);
  int get_option(int level, int name) const;
  void set_option(int level, int name, const void* value, socklen_t len);
  // Returns the length the kernel wrote.
  socklen_t get_option(int level, int name, void* value, socklen_t len) const;

  void set_nodelay(bool on) { set_option(SOL_GLASS, GLASS_NODELAY, on ? 1 : 0); }
  void set_sndbuf(int bytes) { set_option(SOL_SOCKET, SO_SNDBUF, bytes); }
  void set_rcvbuf(int bytes) { set_option(SOL_SOCKET, SO_RCVBUF, bytes); }
  void set_nonblocking(bool on);

  Address local_address() const;  // getsockname
  Address peer_address() const;   // getpeername
  Info info() const { return read_info(fd()); }

 private:
  Fd fd_;
};

}  // namespace glass
