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

// A shown column: a table column, or cwnd in segments (computed).
struct Col {
  std::string title;
  std::size_t index;  // kCwndSegs: computed
};

constexpr std::size_t kCwndSegs = static_cast<std::size_t>(-1);

// ss's titles for the columns it always shows.
constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kDefault{{
    {"state", "State"},
    {"recvq", "Recv-Q"},
    {"sendq", "Send-Q"},
    {"local", "Local Address:Port"},
    {"remote", "Peer Address:Port"},
}};

// The columns -m (memory), -i (info) and -o (timers) add, as ss groups them.
constexpr std::array<std::string_view, 6> kMemory{"unsent", "ooo",  "sndbuf",
                                                  "rcvbuf", "wmem", "rmem"};
constexpr std::array<std::string_view, 12> kInfo{"mss",    "cwnd",          "ssthresh", "srtt_us",
                                                 "rto_us", "peer_wnd",      "adv_wnd",  "retrans",
                                                 "probes", "zero_wnd_sent", "cc",       "sack"};

template <std::size_t N>
bool in(const std::array<std::string_view, N>& group, const std::string& name) {
  return std::find(group.begin(), group.end(), name) != group.end();
}

// Whether opts asks for table column name beyond the default ones.
bool wanted(const SsOptions& opts, const std::string& name) {
  return opts.extended || (opts.memory && in(kMemory, name)) || (opts.info && in(kInfo, name)) ||
         (opts.timers && name == "timers");
}

// cwnd in whole segments (cwnd / mss, rounded down: the full-sized segments
// the window lets out), as ss prints cwnd; "-" without an mss.
std::string cwnd_segments(const Table& t, const Table::Row& row) {
  unsigned long long cwnd = 0, mss = 0;
  const std::string& c = row.fields[t.index("cwnd")];
  const std::string& m = row.fields[t.index("mss")];
  const bool ok = std::from_chars(c.data(), c.data() + c.size(), cwnd).ec == std::errc() &&
                  std::from_chars(m.data(), m.data() + m.size(), mss).ec == std::errc();
  return ok && mss > 0 ? std::to_string(cwnd / mss) : "-";
}

std::string cell(const Table& t, const Table::Row& row, std::size_t i) {
  if (i == kCwndSegs) return cwnd_segments(t, row);
  const std::string& v = row.fields[i];
  if (t.columns()[i] != "state") return v;
  int n = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  return (ec == std::errc() && end == v.data() + v.size()) ? state_name(n) : v;
}

std::vector<Col> columns(const Table& t, const SsOptions& opts) {
  std::vector<Col> cols;
  cols.reserve(t.columns().size() + 1);
  for (const auto& [name, title] : kDefault) cols.push_back({std::string(title), t.index(name)});
  const bool segs = (opts.extended || opts.info) && t.find("cwnd") && t.find("mss");
  for (std::size_t i = 0; i < t.columns().size(); ++i) {
    const bool shown =
        std::any_of(cols.begin(), cols.end(), [i](const Col& c) { return c.index == i; });
    if (shown || !wanted(opts, t.columns()[i])) continue;
    cols.push_back({t.columns()[i], i});
    if (segs && t.columns()[i] == "cwnd") cols.push_back({"cwnd_segs", kCwndSegs});
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
  const StateMask states = ss_state_filter(opts.filter);
  const bool by_addr = !opts.addr.empty();
  const std::uint32_t addr = by_addr ? parse_ipv4(opts.addr) : 0;
  const std::size_t state_col = t.index("state");
  std::vector<const Table::Row*> out;
  for (const Table::Row& row : t.rows()) {
    const std::optional<int> state = state_from_name(cell(t, row, state_col));
    if (state && *state >= 0 && *state < 32 && (states & (StateMask{1} << *state)) == 0) continue;
    if (opts.port >= 0 || by_addr) {
      const Address l = row_address(t, row, "local");
      const Address r = row_address(t, row, "remote");
      if (opts.port >= 0 && l.port() != opts.port && r.port() != opts.port) continue;
      if (by_addr && l.addr() != addr && r.addr() != addr) continue;
    }
    out.push_back(&row);
  }
  return out;
}

std::string ss_render_text(const Table& t, const SsOptions& opts) {
  const std::vector<Col> cols = columns(t, opts);
  std::vector<std::vector<std::string>> lines;
  lines.emplace_back();
  for (const Col& c : cols) lines.back().push_back(c.title);  // dropped at the end with -H
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
    if (&line == &lines.front() && !opts.header) continue;
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
