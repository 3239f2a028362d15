// JSON strings and numbers for --json output.
#include "json.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace glass::cli {

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          std::array<char, 8> buf{};
          std::snprintf(buf.data(), buf.size(), "\\u%04x", static_cast<unsigned>(c));
          out += buf.data();
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string json_scalar(std::string_view s) {
  const bool number = !s.empty() && s.size() <= 19 && (s == "0" || s[0] != '0') &&
                      std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  return number ? std::string(s) : json_string(s);
}

std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  std::array<char, 40> buf{};
  std::snprintf(buf.data(), buf.size(), "%.9g", v);
  return buf.data();
}

}  // namespace glass::cli
