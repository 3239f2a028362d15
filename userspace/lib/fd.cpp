// Fd: an owned file descriptor, and read_file for procfs.
#include <glass/error.hpp>
#include <glass/fd.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>

namespace glass {

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) reset(other.release());
  return *this;
}

int Fd::release() noexcept {
  const int fd = fd_;
  fd_ = -1;
  return fd;
}

void Fd::reset(int fd) noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

Fd Fd::open(const std::string& path, int flags, int mode) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
  if (fd < 0) throw_errno("open(" + path + ")", errno);
  return Fd(fd);
}

std::string read_file(const std::string& path, std::string_view missing_hint) {
  const int raw = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (raw < 0) {
    const int err = errno;
    throw Error("open(" + path + ")", err, {},
                err == ENOENT ? std::string(missing_hint) : std::string());
  }
  const Fd fd(raw);
  std::string text;
  std::array<char, 16384> buf{};
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("read(" + path + ")", errno);
    if (n == 0) break;
    text.append(buf.data(), static_cast<std::size_t>(n));
  }
  return text;
}

}  // namespace glass
