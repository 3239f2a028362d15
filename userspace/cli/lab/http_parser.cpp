// The lab's incremental HTTP/1.1 parser (http_parser.hpp).
#include "http_parser.hpp"

#include <charconv>

namespace glass::cli::lab {

std::vector<std::string> HttpParser::feed(std::string_view data) {
  std::vector<std::string> events;
  while (!data.empty() && state_ != State::kDone && state_ != State::kFailed) {
    if (state_ == State::kBody) {
      const std::size_t take = std::min(data.size(), content_length_ - body_.size());
      body_.append(data.substr(0, take));
      data.remove_prefix(take);
      events.push_back("body " + std::to_string(body_.size()) + "/" +
                       std::to_string(content_length_) + " B");
      if (body_.size() == content_length_) {
        state_ = State::kDone;
        events.emplace_back("complete");
      }
      continue;
    }
    const std::size_t nl = data.find('\n');
    if (nl == std::string_view::npos) {
      pending_.append(data);
      break;
    }
    pending_.append(data.substr(0, nl + 1));
    data.remove_prefix(nl + 1);
    head_bytes_ += pending_.size();
    std::string text = pending_.substr(0, pending_.size() - 1);
    if (!text.empty() && text.back() == '\r') text.pop_back();
    pending_.clear();
    line(text, events);
  }
  return events;
}

// One complete line of the head.
void HttpParser::line(const std::string& text, std::vector<std::string>& events) {
  if (state_ == State::kFirstLine) {
    first_line_ = text;
    state_ = State::kHeaders;
    events.emplace_back(text.starts_with("HTTP/") ? "status line" : "request line");
    return;
  }
  if (text.empty()) {
    events.push_back("headers complete (" + std::to_string(head_bytes_) + " B)");
    state_ = content_length_ > 0 ? State::kBody : State::kDone;
    if (state_ == State::kDone) events.emplace_back("complete");
    return;
  }
  const std::size_t colon = text.find(':');
  if (colon == std::string::npos) {
    state_ = State::kFailed;
    events.emplace_back("malformed header line");
    return;
  }
  std::string name = text.substr(0, colon);
  std::string value = text.substr(colon + 1);
  while (!value.empty() && value.front() == ' ') value.erase(0, 1);
  if (name == "Content-Length" || name == "content-length") {
    const auto [end, ec] =
        std::from_chars(value.data(), value.data() + value.size(), content_length_);
    if (ec != std::errc() || end != value.data() + value.size()) {
      state_ = State::kFailed;
      events.emplace_back("bad Content-Length");
      return;
    }
  }
  events.push_back("header " + name);
  headers_.emplace_back(std::move(name), std::move(value));
}

}  // namespace glass::cli::lab
