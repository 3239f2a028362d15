// Error and ParseError: the messages every failure of the library carries.
#include <glass/error.hpp>

#include <cerrno>
#include <cstring>

namespace glass {

std::string format_error(std::string_view call, int err, std::string_view detail,
                         std::string_view hint) {
  std::string msg(call);
  msg += ": ";
  if (!detail.empty())
    msg += detail;
  else
    msg += std::strerror(err);
  if (!hint.empty()) {
    msg += ": ";
    msg += hint;
  }
  return msg;
}

std::string_view privilege_hint(int err) {
  return (err == EPERM || err == EACCES) ? kNeedsNetAdmin : std::string_view{};
}

Error::Error(std::string call, int err, std::string detail, std::string hint)
    : std::runtime_error(format_error(call, err, detail, hint)),
      call_(std::move(call)),
      err_(err),
      detail_(std::move(detail)),
      hint_(std::move(hint)) {}

ParseError::ParseError(const std::string& message) : std::runtime_error(message) {}

ParseError::ParseError(std::string_view source, std::size_t line, std::string_view message)
    : std::runtime_error(std::string(source) + ":" + std::to_string(line) + ": " +
                         std::string(message)),
      line_(line) {}

void throw_errno(std::string call, int err) {
  throw Error(std::move(call), err);
}

}  // namespace glass
