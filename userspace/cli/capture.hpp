// glass CLI: `glass capture DEV -w FILE` — frames of a device into a pcap
// file (libpcap), for guests without tcpdump; Wireshark's glass dissector
// (userspace/wireshark/glass.lua) reads the file.
#pragma once

#include "command.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace glass::cli {

struct CaptureOptions {
  std::string device;
  std::string file;                    // -w: pcap file, "-" for stdout
  std::int64_t count = 0;              // -c: stop after N frames (0: no limit)
  double duration = 0;                 // --duration: stop after S seconds (0: no limit)
  int snaplen = 65600;                 // -s: bytes kept per frame (a train is up to ~64 KiB)
  std::uint64_t buffer = 32ULL << 20;  // -B: the kernel's capture buffer, bytes
  std::vector<std::string> filter;     // a pcap filter expression, as tcpdump takes
};

CLI::App* add_capture_options(CLI::App& parent, CaptureOptions& opts,
                              std::function<void()> then = {});
int run_capture(const CaptureOptions& opts);

// The filter words joined with spaces ("" when none).
std::string capture_filter(const CaptureOptions& opts);
// Compiles the filter for Ethernet frames without a device; the pcap error
// text, or "" when it compiles.
std::string check_capture_filter(const std::string& filter, int snaplen);

}  // namespace glass::cli
