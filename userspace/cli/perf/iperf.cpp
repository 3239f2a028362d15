// iperf3-shaped text and JSON for glass perf -c / -s.
#include "iperf.hpp"

#include "json.hpp"
#include "units.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace glass::cli {
namespace {

std::string interval_text(double a, double b) {
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%6.2f-%-6.2f sec", a, b);
  return buf;
}

void line(std::ostream& out, const std::string& id, double a, double b, std::uint64_t bytes,
          char unit, const char* role) {
  char idb[16];
  std::snprintf(idb, sizeof(idb), "[%5s]", id.c_str());
  const double secs = b - a;
  char rest[96];
  std::snprintf(rest, sizeof(rest), "  %12s  %16s",
                format_bytes(static_cast<double>(bytes)).c_str(),
                secs > 0 ? format_rate(static_cast<double>(bytes) / secs, unit).c_str() : "-");
  out << idb << " " << interval_text(a, b) << rest << (role ? std::string("  ") + role : "")
      << "\n";
}

// {"start":a,"end":b,"seconds":..,"bytes":..,"bits_per_second":..}
std::string span_json(double a, double b, std::uint64_t bytes, const char* extra = "") {
  return std::string("{\"start\":") + json_number(a) + ",\"end\":" + json_number(b) +
         ",\"seconds\":" + json_number(b - a) + ",\"bytes\":" + std::to_string(bytes) +
         ",\"bits_per_second\":" + json_number(bits_per_second(bytes, b - a)) + extra + "}";
}

std::string intervals_json(const IperfRun& r) {
  std::string s = "[";
  for (std::size_t k = 0; k < r.intervals.size(); k++) {
    const IntervalSample& iv = r.intervals[k];
    std::string streams = "[";
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < iv.bytes.size(); i++) {
      streams += (i ? "," : "") + std::string("{\"socket\":") + std::to_string(i + 1) + "," +
                 span_json(iv.start, iv.end, iv.bytes[i]).substr(1);
      sum += iv.bytes[i];
    }
    s += (k ? "," : "") + std::string("{\"streams\":") + streams +
         "],\"sum\":" + span_json(iv.start, iv.end, sum) + "}";
  }
  return s + "]";
}

std::string end_json(const IperfRun& r) {
  std::string streams = "[";
  for (std::size_t i = 0; i < r.sent.bytes.size() && i < r.received.bytes.size(); i++) {
    const std::string sock = ",\"socket\":" + std::to_string(i + 1);
    streams += (i ? "," : "") + std::string("{\"sender\":") +
               span_json(0, r.sent.seconds, r.sent.bytes[i], (sock + ",\"sender\":true").c_str()) +
               ",\"receiver\":" +
               span_json(0, r.received.seconds, r.received.bytes[i],
                         (sock + ",\"sender\":false").c_str()) +
               "}";
  }
  const auto [lo, hi] = stream_spread(r);
  const SideResult& local = r.reverse ? r.received : r.sent;
  const SideResult& remote = r.reverse ? r.sent : r.received;
  const auto pct = [](const SideResult& s) {
    return s.seconds > 0 ? 100.0 * s.cpu_seconds / s.seconds : 0.0;
  };
  return "{\"streams\":" + streams +
         "],\"sum_sent\":" + span_json(0, r.sent.seconds, r.sent.total(), ",\"sender\":true") +
         ",\"sum_received\":" +
         span_json(0, r.received.seconds, r.received.total(), ",\"sender\":false") +
         ",\"cpu_utilization_percent\":{\"host_total\":" + json_number(pct(local)) +
         ",\"remote_total\":" + json_number(pct(remote)) + "},\"cpu_us_per_mb\":{\"sender\":" +
         json_number(cpu_us_per_mb(r.sent.cpu_seconds, r.sent.total())) +
         ",\"receiver\":" + json_number(cpu_us_per_mb(r.received.cpu_seconds, r.received.total())) +
         "},\"streams_spread\":{\"min_bits_per_second\":" + json_number(lo) +
         ",\"max_bits_per_second\":" + json_number(hi) +
         ",\"min_over_max\":" + json_number(hi > 0 ? lo / hi : NAN) + "}}";
}

}  // namespace

double bits_per_second(std::uint64_t bytes, double seconds) {
  return seconds > 0 ? 8.0 * static_cast<double>(bytes) / seconds : 0;
}

double cpu_us_per_mb(double cpu_seconds, std::uint64_t bytes) {
  return bytes ? cpu_seconds * 1e6 / (static_cast<double>(bytes) / 1e6) : 0;
}

std::pair<double, double> stream_spread(const IperfRun& r) {
  if (r.received.bytes.empty()) return {0, 0};
  const auto [lo, hi] = std::minmax_element(r.received.bytes.begin(), r.received.bytes.end());
  return {bits_per_second(*lo, r.received.seconds), bits_per_second(*hi, r.received.seconds)};
}

void iperf_text_start(std::ostream& out, const IperfRun& r, bool server) {
  if (server) {
    out << "Accepted a client over " << r.transport << ": " << r.streams << " stream(s), "
        << (r.reverse ? "the server sends" : "the client sends") << "\n";
  } else {
    out << "Connecting to host " << r.host << ", port " << r.port << " over " << r.transport
        << (r.reverse ? " (reverse: the server sends)" : "") << "\n";
  }
  out << "[   ID] Interval                Transfer           Bitrate\n";
}

void iperf_text_interval(std::ostream& out, const IntervalSample& s, char unit) {
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < s.bytes.size(); i++) {
    if (s.bytes.size() <= 16)
      line(out, std::to_string(i + 1), s.start, s.end, s.bytes[i], unit, nullptr);
    sum += s.bytes[i];
  }
  if (s.bytes.size() > 1) line(out, "SUM", s.start, s.end, sum, unit, nullptr);
}

void iperf_text_end(std::ostream& out, const IperfRun& r, char unit, bool server) {
  out << "- - - - - - - - - - - - - - - - - - - - - - - - -\n"
      << "[   ID] Interval                Transfer           Bitrate\n";
  const std::size_t n = std::min(r.sent.bytes.size(), r.received.bytes.size());
  for (std::size_t i = 0; i < n && n <= 16; i++) {
    line(out, std::to_string(i + 1), 0, r.sent.seconds, r.sent.bytes[i], unit, "sender");
    line(out, std::to_string(i + 1), 0, r.received.seconds, r.received.bytes[i], unit, "receiver");
  }
  if (n > 1 || server) {
    line(out, "SUM", 0, r.sent.seconds, r.sent.total(), unit, "sender");
    line(out, "SUM", 0, r.received.seconds, r.received.total(), unit, "receiver");
  }
  if (n > 1) {
    const auto [lo, hi] = stream_spread(r);
    out << "streams (receiver): slowest " << format_rate(lo / 8, unit) << ", fastest "
        << format_rate(hi / 8, unit) << ", slowest/fastest " << three_digits(hi > 0 ? lo / hi : 0)
        << "\n";
  }
  out << "CPU per MB moved: sender "
      << three_digits(cpu_us_per_mb(r.sent.cpu_seconds, r.sent.total())) << " us, receiver "
      << three_digits(cpu_us_per_mb(r.received.cpu_seconds, r.received.total()))
      << " us (user+system time of the thread that moved the bytes)\n";
}

std::string iperf_json(const IperfRun& r) {
  const std::string start =
      "{\"connecting_to\":{\"host\":" + json_string(r.host) +
      ",\"port\":" + std::to_string(r.port) +
      "},\"timestamp\":{\"timesecs\":" + json_number(r.timesecs) +
      "},\"test_start\":{\"protocol\":" + json_string(r.transport) +
      ",\"num_streams\":" + std::to_string(r.streams) +
      ",\"blksize\":" + std::to_string(r.blksize) + ",\"duration\":" + json_number(r.duration) +
      ",\"bytes\":" + std::to_string(r.bytes) + ",\"reverse\":" + (r.reverse ? "1" : "0") + "}}";
  return "{\"start\":" + start + ",\"intervals\":" + intervals_json(r) + ",\"end\":" + end_json(r) +
         "}";
}

}  // namespace glass::cli
