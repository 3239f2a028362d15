// Table and Counters: parsers for /proc/net/glass and /proc/net/glass_stat.
#include <glass/error.hpp>
#include <glass/fd.hpp>
#include <glass/procfs.hpp>

#include <algorithm>
#include <cctype>
#include <unordered_map>

namespace glass {
namespace {

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

std::vector<std::string> split_fields(std::string_view line) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_space(line[i])) ++i;
    const std::size_t start = i;
    while (i < line.size() && !is_space(line[i])) ++i;
    if (i > start) out.emplace_back(line.substr(start, i - start));
  }
  return out;
}

// Calls fn(line_number, line) for every line (without its '\n').
template <typename Fn>
void for_each_line(std::string_view text, Fn fn) {
  std::size_t lineno = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    fn(++lineno, line);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
  }
}

bool parse_u64(std::string_view s, std::uint64_t* out) {
  if (s.empty() || s.size() > 20) return false;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  *out = v;
  return true;
}

}  // namespace

Table Table::parse(std::string_view text, std::string_view source,
                   std::initializer_list<std::string_view> required) {
  Table t;
  t.source_ = source;
  bool have_header = false;
  for_each_line(text, [&](std::size_t lineno, std::string_view line) {
    std::vector<std::string> fields = split_fields(line);
    if (fields.empty()) return;  // blank line
    if (!have_header) {
      if (lineno != 1) throw ParseError(source, lineno, "header is not on the first line");
      t.columns_ = std::move(fields);
      have_header = true;
      return;
    }
    if (fields.size() != t.columns_.size()) {
      const bool short_row = fields.size() < t.columns_.size();
      throw ParseError(source, lineno,
                       std::string(short_row ? "truncated row: " : "row has extra fields: ") +
                           std::to_string(fields.size()) + " fields, header has " +
                           std::to_string(t.columns_.size()) + " columns");
    }
    t.rows_.push_back(Row{std::move(fields), lineno});
  });
  if (!have_header) throw ParseError(source, 1, "empty file: no header line");
  for (std::string_view col : required) t.index(col);
  return t;
}

Table Table::read(const std::string& path, std::initializer_list<std::string_view> required) {
  return parse(read_file(path, kProcMissingHint), path, required);
}

std::optional<std::size_t> Table::find(std::string_view column) const noexcept {
  const auto it = std::find(columns_.begin(), columns_.end(), column);
  if (it == columns_.end()) return std::nullopt;
  return static_cast<std::size_t>(it - columns_.begin());
}

std::size_t Table::index(std::string_view column) const {
  const auto i = find(column);
  if (!i) throw ParseError(source_, 1, "missing column '" + std::string(column) + "' in header");
  return *i;
}

const std::string& Table::get(const Row& row, std::string_view column) const {
  return row.fields.at(index(column));
}

Counters parse_counters(std::string_view text, std::string_view source) {
  Counters out;
  for_each_line(text, [&](std::size_t lineno, std::string_view line) {
    const std::vector<std::string> fields = split_fields(line);
    if (fields.empty()) return;
    if (fields.size() != 2)
      throw ParseError(source, lineno,
                       "expected 'name value', got " + std::to_string(fields.size()) + " fields");
    std::uint64_t v = 0;
    if (!parse_u64(fields[1], &v))
      throw ParseError(
          source, lineno,
          "value of '" + fields[0] + "' is not an unsigned number: '" + fields[1] + "'");
    out.emplace_back(fields[0], v);
  });
  return out;
}

Counters read_counters(const std::string& path) {
  return parse_counters(read_file(path, kProcMissingHint), path);
}

std::string format_counters(const Counters& counters) {
  std::string out;
  for (const auto& [name, value] : counters) out += name + " " + std::to_string(value) + "\n";
  return out;
}

Counters counter_deltas(const Counters& now, const Counters& before) {
  std::unordered_map<std::string_view, std::uint64_t> old;
  for (const auto& [name, value] : before) old[name] = value;
  Counters out;
  out.reserve(now.size());
  for (const auto& [name, value] : now) {
    const auto it = old.find(name);
    const std::uint64_t base = (it == old.end() || it->second > value) ? 0 : it->second;
    out.emplace_back(name, value - base);
  }
  return out;
}

}  // namespace glass
