// glass userspace library: parsers for /proc/net/glass and /proc/net/glass_stat.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace glass {

inline constexpr std::string_view kProcSockets = "/proc/net/glass";
inline constexpr std::string_view kProcStat = "/proc/net/glass_stat";
// Hint used when a procfs file is missing.
inline constexpr std::string_view kProcMissingHint =
    "is the glass module loaded? (glass runs in the guest: make shell, or vm/run -- glass ...)";

// A whitespace-separated table: the first line names the columns, every
// following non-blank line is one row with exactly one field per column.
// Columns are found by name, so a kernel that adds columns does not break
// readers. Errors (no header, a row with too few or too many fields, a
// missing required column) throw ParseError naming the source and line.
class Table {
 public:
  struct Row {
    std::vector<std::string> fields;
    std::size_t line = 0;  // 1-based line number in the source
  };

  static Table parse(std::string_view text, std::string_view source = kProcSockets,
                     std::initializer_list<std::string_view> required = {});
  // Reads and parses a file; a missing file throws Error with kProcMissingHint.
  static Table read(const std::string& path, std::initializer_list<std::string_view> required = {});

  const std::vector<std::string>& columns() const noexcept { return columns_; }
  const std::vector<Row>& rows() const noexcept { return rows_; }
  std::optional<std::size_t> find(std::string_view column) const noexcept;
  // Index of a column; throws ParseError (line 1) when absent.
  std::size_t index(std::string_view column) const;
  // The field of `row` in `column`; throws ParseError when the column is absent.
  const std::string& get(const Row& row, std::string_view column) const;

 private:
  std::string source_;
  std::vector<std::string> columns_;
  std::vector<Row> rows_;
};

// "name value" counters, in file order.
using Counters = std::vector<std::pair<std::string, std::uint64_t>>;

// Parses "name value" lines; blank lines are skipped, anything else that is
// not a name followed by one unsigned decimal throws ParseError.
Counters parse_counters(std::string_view text, std::string_view source = kProcStat);
Counters read_counters(const std::string& path);
// Writes counters in the format parse_counters reads.
std::string format_counters(const Counters& counters);
// now - before, per name, in the order of `now`. A counter missing from
// `before` counts from 0; one that went backwards (module reloaded) counts
// from 0 as well, so the delta is its current value.
Counters counter_deltas(const Counters& now, const Counters& before);

}  // namespace glass
