// glass lab http: an incremental HTTP/1.1 message parser, fed the bytes each
// read() returned, that says what it has built so far ("request line",
// "header Host", "headers complete", "body 4000/6000", "complete"): the work
// between read() and "someone sent me a request".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace glass::cli::lab {

class HttpParser {
 public:
  // The first line is a request line ("POST /x HTTP/1.1") or, for a
  // response, a status line ("HTTP/1.1 200 OK").
  // Feeds the next bytes of the stream; returns what they completed, in
  // order (empty when they only added to a partial line or body).
  std::vector<std::string> feed(std::string_view data);

  bool complete() const { return state_ == State::kDone; }
  // Protocol errors (a line without ':', a bad Content-Length) end the parse.
  bool failed() const { return state_ == State::kFailed; }
  const std::string& first_line() const { return first_line_; }
  const std::vector<std::pair<std::string, std::string>>& headers() const { return headers_; }
  const std::string& body() const { return body_; }
  std::size_t head_bytes() const { return head_bytes_; }  // request line + headers + CRLF

 private:
  enum class State { kFirstLine, kHeaders, kBody, kDone, kFailed };
  void line(const std::string& text, std::vector<std::string>& events);
  State state_ = State::kFirstLine;
  std::string pending_;  // bytes of an unfinished line
  std::string first_line_;
  std::vector<std::pair<std::string, std::string>> headers_;
  std::string body_;
  std::size_t content_length_ = 0;
  std::size_t head_bytes_ = 0;
};

}  // namespace glass::cli::lab
