// glass CLI: the little JSON output the tools need (no parsing).
#pragma once

#include <string>
#include <string_view>

namespace glass::cli {

// A JSON string literal, quoted and escaped.
std::string json_string(std::string_view s);
// A JSON number when s is an unsigned decimal, a JSON string otherwise.
std::string json_scalar(std::string_view s);
// A JSON number (nine significant digits), null when v is not finite.
std::string json_number(double v);

}  // namespace glass::cli
