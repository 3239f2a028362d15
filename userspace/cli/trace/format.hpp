// glass CLI: how `glass trace` turns ring-buffer records into rows and rows
// into text, JSON (one object per line) or CSV.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "glass_tracer.h"

namespace glass::cli {

enum class TraceView { Events, Retrans, Life, States, Rtt };
enum class TraceFormat { Text, Json, Csv };

// One output value; numbers are printed bare in JSON, strings quoted.
struct TraceField {
  std::string key;
  std::string value;
  bool number = true;
};
using TraceRow = std::vector<TraceField>;

// What decoding needs besides the record.
struct TraceDecoder {
  std::uint64_t start_ns = 0;           // CLOCK_MONOTONIC when tracing began
  std::int64_t wall_offset_ns = 0;      // CLOCK_REALTIME - CLOCK_MONOTONIC
  std::vector<std::string> drop_names;  // /proc/net/glass_stat names, line order

  // The row a view shows for a record; nullopt when the view skips it.
  std::optional<TraceRow> row(TraceView view, const glass_trace_record& r) const;
};

// "ESTABLISHED", "SYN_SENT", ... (tcpstates' names); "UNKNOWN(n)".
std::string trace_state_name(int state);
// "S", "S.", "P.", "F." ... in the order S F R P then '.' for ACK.
std::string trace_flags(std::uint8_t flags);
// "rto", "fast", "probe", "syn"; "reason_N" otherwise.
std::string trace_retrans_reason(int reason);
// "segment_send", ...; nullopt for a number out of range.
std::optional<std::string_view> trace_event_name(int event);
// The event number of "segment_send" or "glass_segment_send".
std::optional<int> trace_event_from_name(std::string_view name);

// The value of key in row, or "" when absent.
const std::string& trace_get(const TraceRow& row, std::string_view key);

std::string trace_json(const TraceRow& row);
std::string trace_csv_header(TraceView view);
std::string trace_csv(TraceView view, const TraceRow& row);
std::string trace_text_header(TraceView view);
std::string trace_text(TraceView view, const TraceRow& row);

// The RTT histogram (GLASS_RTT_SLOTS counts, microseconds) in each format.
std::string trace_hist_text(const std::vector<std::uint64_t>& slots);
std::string trace_hist_json(std::uint64_t ts_us, const std::vector<std::uint64_t>& slots);
std::string trace_hist_csv(std::uint64_t ts_us, const std::vector<std::uint64_t>& slots);

}  // namespace glass::cli
