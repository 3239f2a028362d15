// glass userspace library: the error type every call throws.
//
// An Error names the call that failed (with its argument, e.g.
// "connect(10.7.0.2:7000)"), the errno, an optional detail that replaces the
// strerror text (a netlink extack message, "glass module not loaded ...") and
// an optional hint appended for the user ("needs CAP_NET_ADMIN (run as root)").
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace glass {

// Where glass works: the module is only ever loaded in the QEMU guest, so
// every "module missing" message points there, never at loading it here.
inline constexpr std::string_view kRunInGuest =
    "glass runs in the guest: make shell, or vm/run -- glass ...";
// Text used when AF_GLASS sockets cannot be created (EAFNOSUPPORT).
inline constexpr std::string_view kModuleNotLoaded =
    "glass module not loaded (glass runs in the guest: make shell, or vm/run -- glass ...)";
// Hint appended to EPERM/EACCES from operations that need CAP_NET_ADMIN.
inline constexpr std::string_view kNeedsNetAdmin = "needs CAP_NET_ADMIN (run as root)";

// Formats "call: detail" when detail is given, else "call: strerror(err)";
// then ": hint" when a hint is given.
std::string format_error(std::string_view call, int err, std::string_view detail = {},
                         std::string_view hint = {});

// Returns kNeedsNetAdmin for EPERM and EACCES, else an empty view.
std::string_view privilege_hint(int err);

// A failed system call (or netlink request).
class Error : public std::runtime_error {
 public:
  Error(std::string call, int err, std::string detail = {}, std::string hint = {});

  const std::string& call() const noexcept { return call_; }
  int code() const noexcept { return err_; }
  const std::string& detail() const noexcept { return detail_; }
  const std::string& hint() const noexcept { return hint_; }

 private:
  std::string call_;
  int err_;
  std::string detail_;
  std::string hint_;
};

// Input that could not be parsed: an address, a procfs line, a counter line.
// what() is "source:line: message" when a line is known, "message" otherwise.
class ParseError : public std::runtime_error {
 public:
  explicit ParseError(const std::string& message);
  ParseError(std::string_view source, std::size_t line, std::string_view message);

  std::size_t line() const noexcept { return line_; }

 private:
  std::size_t line_ = 0;
};

// Throws Error(call, err) with the errno captured by the caller.
[[noreturn]] void throw_errno(std::string call, int err);

}  // namespace glass
