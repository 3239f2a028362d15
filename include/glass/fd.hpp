// glass userspace library: Fd, an owned file descriptor.
#pragma once

#include <string>

namespace glass {

// Owns one file descriptor and closes it in the destructor. Move-only.
class Fd {
 public:
  Fd() noexcept = default;
  explicit Fd(int fd) noexcept : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(other.release()) {}
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }

  int get() const noexcept { return fd_; }
  bool valid() const noexcept { return fd_ >= 0; }
  explicit operator bool() const noexcept { return valid(); }
  // Gives up ownership and returns the descriptor.
  int release() noexcept;
  // Closes the current descriptor (if any) and takes fd.
  void reset(int fd = -1) noexcept;

  // open(2) with O_CLOEXEC added; throws Error("open(path)", errno).
  static Fd open(const std::string& path, int flags, int mode = 0);

 private:
  int fd_ = -1;
};

// Reads a whole file (procfs files report size 0, so this reads until EOF).
// Throws Error naming the path; ENOENT gets `missing_hint` as its hint.
std::string read_file(const std::string& path, std::string_view missing_hint = {});

}  // namespace glass
