// glass CLI: the BPF side of `glass trace` — loads the program embedded in
// the binary (a bpftool skeleton), attaches the tracepoints a view needs and
// hands ring-buffer records to a callback. Everything is detached when the
// Tracer is destroyed, so `rmmod glass` works once it is gone.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "glass_tracer.h"

struct glass_trace_bpf;
struct ring_buffer;

namespace glass::cli {

struct TracerConfig {
  std::vector<int> events;              // enum glass_trace_event numbers to attach
  bool rtt = false;                     // attach the RTT histogram program too
  std::uint16_t port = 0;               // 0: any
  std::optional<std::uint32_t> addr;    // host order; nullopt: any
  std::uint32_t ring_bytes = 1U << 20;  // power of two, at least 4096
  bool verbose = false;                 // print libbpf's own messages
};

class Tracer {
 public:
  using Handler = std::function<void(const glass_trace_record&)>;

  // Checks tracefs and privilege, loads and attaches; throws Error with a
  // message for the user (module not loaded, not root, verifier failure).
  Tracer(const TracerConfig& cfg, Handler on_record);
  ~Tracer();
  Tracer(const Tracer&) = delete;
  Tracer& operator=(const Tracer&) = delete;

  // Waits up to timeout_ms for records and handles them; returns how many
  // (0 on timeout or when a signal interrupted the wait).
  int poll(int timeout_ms);
  // Handles whatever is queued without waiting.
  int drain();
  // Records the BPF side could not reserve in the ring buffer.
  std::uint64_t lost() const;
  // The RTT histogram (GLASS_RTT_SLOTS counts); reset zeroes it after reading.
  std::vector<std::uint64_t> rtt_histogram(bool reset);
  int attached() const noexcept { return attached_; }

 private:
  struct SkelDeleter {
    void operator()(glass_trace_bpf* s) const;
  };
  struct RingDeleter {
    void operator()(ring_buffer* rb) const;
  };
  static int on_sample(void* ctx, void* data, std::size_t size);

  Handler on_record_;
  std::unique_ptr<glass_trace_bpf, SkelDeleter> skel_;
  std::unique_ptr<ring_buffer, RingDeleter> rb_;  // freed before skel_
  int attached_ = 0;
};

// Throws Error when tracing cannot work: tracefs absent, the glass module
// not loaded (no events/glass) or no permission to read tracefs.
void check_trace_events();

}  // namespace glass::cli
