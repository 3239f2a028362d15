// Socket: an owned AF_GLASS socket; every failure names the call.
// connect() interrupted by a signal reports EINTR (the connection goes on in
// the background, as for TCP); the other calls retry EINTR.
#include <glass/error.hpp>
#include <glass/socket.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace glass {
namespace {

std::string opt_call(const char* call, int level, int name) {
  return std::string(call) + "(" + std::to_string(level) + ", " + std::to_string(name) + ")";
}

}  // namespace

Socket Socket::create(int type) {
  const int fd = ::socket(AF_GLASS, type | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    const int err = errno;
    if (err == EAFNOSUPPORT) throw Error("socket(AF_GLASS)", err, std::string(kModuleNotLoaded));
    throw_errno("socket(AF_GLASS)", err);
  }
  return Socket(Fd(fd));
}

void Socket::bind(const Address& addr) {
  if (::bind(fd(), addr.sa(), Address::size()) == 0) return;
  const int err = errno;
  std::string hint;
  if (err == EACCES && addr.port() < GLASS_PROT_SOCK)
    hint = "ports below " + std::to_string(GLASS_PROT_SOCK) +
           " need CAP_NET_BIND_SERVICE (run as root)";
  throw Error("bind(" + addr.str() + ")", err, {}, hint);
}

void Socket::listen(int backlog) {
  if (::listen(fd(), backlog) < 0) throw_errno("listen", errno);
}

Socket Socket::accept(Address* peer) {
  Address tmp;
  socklen_t len = Address::size();
  for (;;) {
    const int nfd = ::accept4(fd(), tmp.sa(), &len, SOCK_CLOEXEC);
    if (nfd >= 0) {
      if (peer != nullptr) *peer = tmp;
      return Socket(Fd(nfd));
    }
    if (errno != EINTR) throw_errno("accept", errno);
  }
}

void Socket::connect(const Address& addr) {
  if (::connect(fd(), addr.sa(), Address::size()) == 0) return;
  throw_errno("connect(" + addr.str() + ")", errno);
}

void Socket::shutdown(int how) {
  if (::shutdown(fd(), how) < 0) throw_errno("shutdown", errno);
}

std::size_t Socket::read(std::span<std::byte> buf) {
  for (;;) {
    const ssize_t n = ::read(fd(), buf.data(), buf.size());
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno != EINTR) throw_errno("read", errno);
  }
}

std::size_t Socket::write(std::span<const std::byte> buf) {
  for (;;) {
    const ssize_t n = ::send(fd(), buf.data(), buf.size(), MSG_NOSIGNAL);
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno != EINTR) throw_errno("write", errno);
  }
}

void Socket::write_all(std::span<const std::byte> buf) {
  while (!buf.empty()) buf = buf.subspan(write(buf));
}

void Socket::write_all(std::string_view text) {
  write_all(std::as_bytes(std::span(text)));
}

void Socket::set_option(int level, int name, int value) {
  set_option(level, name, &value, sizeof(value));
}

int Socket::get_option(int level, int name) const {
  int value = 0;
  get_option(level, name, &value, sizeof(value));
  return value;
}

void Socket::set_option(int level, int name, const void* value, socklen_t len) {
  if (::setsockopt(fd(), level, name, value, len) < 0)
    throw_errno(opt_call("setsockopt", level, name), errno);
}

socklen_t Socket::get_option(int level, int name, void* value, socklen_t len) const {
  if (::getsockopt(fd(), level, name, value, &len) < 0)
    throw_errno(opt_call("getsockopt", level, name), errno);
  return len;
}

void Socket::set_nonblocking(bool on) {
  const int flags = ::fcntl(fd(), F_GETFL);
  if (flags < 0) throw_errno("fcntl(F_GETFL)", errno);
  const int want = on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
  if (::fcntl(fd(), F_SETFL, want) < 0) throw_errno("fcntl(F_SETFL)", errno);
}

Address Socket::local_address() const {
  Address a;
  socklen_t len = Address::size();
  if (::getsockname(fd(), a.sa(), &len) < 0) throw_errno("getsockname", errno);
  return a;
}

Address Socket::peer_address() const {
  Address a;
  socklen_t len = Address::size();
  if (::getpeername(fd(), a.sa(), &len) < 0) throw_errno("getpeername", errno);
  return a;
}

}  // namespace glass
