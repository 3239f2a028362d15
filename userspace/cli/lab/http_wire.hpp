// glass lab http: the wire, seen from the server's glass device. An
// AF_PACKET socket (ETH_P_ALL, so outgoing frames are seen too) bound to
// the device in the server's namespace records every glass frame of one
// connection with the kernel's timestamp: flags, sequence and ACK numbers,
// window, payload length, and whether the payload holds a given plaintext.
#pragma once

#include <glass/fd.hpp>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace glass::cli::lab {

struct WireFrame {
  double t_ms = 0;         // since the run's origin (mono_ns() at t0_ns)
  bool to_server = false;  // client -> server (arriving at the server's device)
  std::uint8_t flags = 0;  // GLASS_SYN, GLASS_ACK, ...
  std::uint32_t seq = 0, ack = 0, window = 0;
  std::uint32_t len = 0;   // payload bytes, the extension area not included (a train
                           // carries several segments)
  bool plaintext = false;  // the payload contains the needle
};

// "SYN", "SYN-ACK", "ACK", "data 1448 B", "FIN-ACK", ...
std::string frame_label(const WireFrame& f);

class WireTap {
 public:
  // Opens the socket in netns on dev and starts reading. Frames of port
  // (either direction) are kept; times count from t0_ns (CLOCK_MONOTONIC).
  WireTap(const std::string& netns, const std::string& dev, std::uint16_t port, std::uint64_t t0_ns,
          std::string needle);
  ~WireTap();
  WireTap(const WireTap&) = delete;
  WireTap& operator=(const WireTap&) = delete;
  // Stops reading (after draining what is queued) and returns the frames.
  std::vector<WireFrame> finish();

 private:
  void loop();
  void take(const unsigned char* p, std::size_t n, bool outgoing, double t_ms);
  Fd fd_;
  std::uint16_t port_;
  std::int64_t offset_ns_;  // CLOCK_REALTIME - CLOCK_MONOTONIC
  std::uint64_t t0_ns_;
  std::string needle_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::vector<WireFrame> frames_;  // guarded by mu_
  std::thread thread_;
};

}  // namespace glass::cli::lab
