// `glass ss` output: filtering rows and rendering them as text or JSON.
// Columns are looked up by header name; columns this file does not know are
// shown as they are with -e and always in JSON.
#include "json.hpp"
#include "ss.hpp"

#include <glass/address.hpp>
#include <glass/error.hpp>
#include <glass/state.hpp>

#include <algorithm>
#include <array>
#include <charconv>

namespace glass::cli {
namespace {

struct Col {
  std::string title;
  std::size_t index;
};

// ss's titles for the columns it always shows.
constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kDefault{{
    {"state", "State"},
    {"recvq", "Recv-Q"},
    {"sendq", "Send-Q"},
    {"local", "Local Address:Port"},
    {"remote", "Peer Address:Port"},
}};

std::string cell(const Table& t, const Table::Row& row, std::size_t i) {
  const std::string& v = row.fields[i];
  if (t.columns()[i] != "state") return v;
  int n = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  return (ec == std::errc() && end == v.data() + v.size()) ? state_name(n) : v;
}

std::vector<Col> columns(const Table& t, bool extended) {
  std::vector<Col> cols;
  cols.reserve(t.columns().size());
  for (const auto& [name, title] : kDefault) cols.push_back({std::string(title), t.index(name)});
  if (!extended) return cols;
  for (std::size_t i = 0; i < t.columns().size(); ++i) {
    const bool shown =
        std::any_of(cols.begin(), cols.end(), [i](const Col& c) { return c.index == i; });
    if (!shown) cols.push_back({t.columns()[i], i});
  }
  return cols;
}

Address row_address(const Table& t, const Table::Row& row, std::string_view col) {
  try {
    return Address::parse(t.get(row, col));
  } catch (const ParseError& e) {
    throw ParseError("line " + std::to_string(row.line) + ": column '" + std::string(col) +
                     "': " + e.what());
  }
}

bool numeric(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::vector<const Table::Row*> ss_select(const Table& t, const SsOptions& opts) {
  std::vector<int> states;
  for (const std::string& s : opts.states)
    if (auto n = state_from_name(s)) states.push_back(*n);
  const std::optional<std::uint32_t> addr =
      opts.addr.empty() ? std::nullopt : std::optional(parse_ipv4(opts.addr));
  std::vector<const Table::Row*> out;
  for (const Table::Row& row : t.rows()) {
    if (!states.empty()) {
      const std::string name = cell(t, row, t.index("state"));
      if (std::none_of(states.begin(), states.end(), [&](int s) { return state_name(s) == name; }))
        continue;
    }
    if (opts.port >= 0 || addr) {
      const Address l = row_address(t, row, "local");
      const Address r = row_address(t, row, "remote");
      if (opts.port >= 0 && l.port() != opts.port && r.port() != opts.port) continue;
      if (addr && l.addr() != *addr && r.addr() != *addr) continue;
    }
    out.push_back(&row);
  }
  return out;
}

std::string ss_render_text(const Table& t, const SsOptions& opts) {
  const std::vector<Col> cols = columns(t, opts.extended);
  std::vector<std::vector<std::string>> lines;
  lines.emplace_back();
  for (const Col& c : cols) lines.back().push_back(c.title);
  for (const Table::Row* row : ss_select(t, opts)) {
    lines.emplace_back();
    for (const Col& c : cols) lines.back().push_back(cell(t, *row, c.index));
  }
  std::vector<std::size_t> width(cols.size(), 0);
  std::vector<bool> right(cols.size(), lines.size() > 1);
  for (std::size_t i = 0; i < lines.size(); ++i)
    for (std::size_t c = 0; c < cols.size(); ++c) {
      width[c] = std::max(width[c], lines[i][c].size());
      if (i > 0 && !numeric(lines[i][c])) right[c] = false;
    }
  std::string out;
  for (const auto& line : lines) {
    std::string text;
    for (std::size_t c = 0; c < cols.size(); ++c) {
      const std::string pad(width[c] - line[c].size(), ' ');
      text += right[c] ? pad + line[c] : line[c] + pad;
      if (c + 1 < cols.size()) text += "  ";
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out += text + "\n";
  }
  return out;
}

std::string ss_render_json(const Table& t, const SsOptions& opts) {
  std::string out = "[";
  bool first_row = true;
  for (const Table::Row* row : ss_select(t, opts)) {
    out += first_row ? "\n  {" : ",\n  {";
    first_row = false;
    for (std::size_t i = 0; i < t.columns().size(); ++i) {
      if (i > 0) out += ", ";
      out += json_string(t.columns()[i]) + ": " + json_scalar(cell(t, *row, i));
    }
    out += "}";
  }
  return out + (first_row ? "]\n" : "\n]\n");
}

}  // namespace glass::cli
