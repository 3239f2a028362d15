// Tracer: the skeleton's lifecycle (open → configure → load → attach) with
// RAII deleters, and the checks that turn libbpf errors into messages.
#include "bpf.hpp"

#include <glass/error.hpp>

#include <bpf/libbpf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <string>

#include "glass_trace.skel.h"

namespace glass::cli {
namespace {

bool g_verbose = false;

int libbpf_print(enum libbpf_print_level level, const char* fmt, va_list args) {
  if (!g_verbose || level == LIBBPF_DEBUG) return 0;
  return std::vfprintf(stderr, fmt, args);
}

constexpr const char* kNeedsRoot =
    "glass trace needs root (CAP_BPF and CAP_PERFMON, and access to tracefs)";

[[noreturn]] void fail(const std::string& call, int err, const std::string& detail = {}) {
  const bool priv = err == EPERM || err == EACCES;
  throw Error(call, err, detail, priv ? kNeedsRoot : "");
}

bpf_program* program_for(glass_trace_bpf& s, int event) {
  switch (event) {
    case GLASS_EV_SEGMENT_SEND:
      return s.progs.glass_segment_send;
    case GLASS_EV_SEGMENT_RECV:
      return s.progs.glass_segment_recv;
    case GLASS_EV_RETRANSMIT:
      return s.progs.glass_retransmit;
    case GLASS_EV_STATE_CHANGE:
      return s.progs.glass_state_change;
    case GLASS_EV_WINDOW:
      return s.progs.glass_window;
    case GLASS_EV_DROP:
      return s.progs.glass_drop;
    case GLASS_EV_SNDBUF:
      return s.progs.glass_sndbuf;
    case GLASS_EV_DESTROY_SOCK:
      return s.progs.glass_destroy_sock;
    default:
      return nullptr;
  }
}

}  // namespace

void check_trace_events() {
  bool have_events = false;
  for (const std::string root : {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"}) {
    struct stat st {};
    if (::stat((root + "/events/glass").c_str(), &st) == 0) return;
    if (errno == EACCES || errno == EPERM) fail("stat(" + root + "/events/glass)", errno);
    if (::stat((root + "/events").c_str(), &st) == 0) have_events = true;
  }
  if (have_events)
    throw Error("glass trace", ENOENT,
                "glass module not loaded (no /sys/kernel/tracing/events/glass)",
                std::string(kRunInGuest));
  throw Error("glass trace", ENOENT, "tracefs not mounted (no /sys/kernel/tracing/events)",
              "mount -t tracefs tracefs /sys/kernel/tracing");
}

void Tracer::SkelDeleter::operator()(glass_trace_bpf* s) const {
  glass_trace_bpf__destroy(s);
}

void Tracer::RingDeleter::operator()(ring_buffer* rb) const {
  ring_buffer__free(rb);
}

Tracer::Tracer(const TracerConfig& cfg, Handler on_record) : on_record_(std::move(on_record)) {
  check_trace_events();
  g_verbose = cfg.verbose;
  libbpf_set_print(libbpf_print);

  skel_.reset(glass_trace_bpf__open());
  if (!skel_) fail("bpf open", errno);
  glass_trace_bpf& s = *skel_;
  bpf_object* obj = s.obj;
  bpf_program* prog = nullptr;
  bpf_object__for_each_program(prog, obj) bpf_program__set_autoload(prog, false);
  for (const int ev : cfg.events) {
    if (bpf_program* p = program_for(s, ev)) bpf_program__set_autoload(p, true);
  }
  if (cfg.rtt) bpf_program__set_autoload(s.progs.glass_rtt, true);
  s.rodata->filter_port = cfg.port;
  s.rodata->filter_addr = cfg.addr.value_or(0);
  s.rodata->filter_addr_set = cfg.addr ? 1 : 0;
  if (int err = bpf_map__set_max_entries(s.maps.events, cfg.events.empty() ? 4096 : cfg.ring_bytes))
    fail("bpf ring buffer size", -err);

  if (int err = glass_trace_bpf__load(&s))
    fail("bpf load", -err,
         std::string(std::strerror(-err)) +
             (cfg.verbose ? "" : " (run with -v for libbpf's messages)"));
  if (int err = glass_trace_bpf__attach(&s)) {
    if (-err == ENOENT) check_trace_events();  // the module went away meanwhile
    fail("bpf attach", -err);
  }
  bpf_object__for_each_program(prog, obj) attached_ += bpf_program__autoload(prog) ? 1 : 0;

  if (!cfg.events.empty()) {
    rb_.reset(ring_buffer__new(bpf_map__fd(s.maps.events), &Tracer::on_sample, this, nullptr));
    if (!rb_) fail("ring_buffer__new", errno);
  }
}

Tracer::~Tracer() = default;

int Tracer::on_sample(void* ctx, void* data, std::size_t size) {
  auto* self = static_cast<Tracer*>(ctx);
  glass_trace_record rec{};
  std::memcpy(&rec, data, std::min(size, sizeof(rec)));
  self->on_record_(rec);
  return 0;
}

int Tracer::poll(int timeout_ms) {
  if (!rb_) {
    ::usleep(static_cast<useconds_t>(timeout_ms) * 1000U);
    return 0;
  }
  const int n = ring_buffer__poll(rb_.get(), timeout_ms);
  if (n == -EINTR) return 0;
  if (n < 0) fail("ring_buffer__poll", -n);
  return n;
}

int Tracer::drain() {
  if (!rb_) return 0;
  const int n = ring_buffer__consume(rb_.get());
  return n < 0 ? 0 : n;
}

std::uint64_t Tracer::lost() const {
  return __atomic_load_n(&skel_->bss->lost, __ATOMIC_RELAXED);
}

std::vector<std::uint64_t> Tracer::rtt_histogram(bool reset) {
  std::vector<std::uint64_t> h(GLASS_RTT_SLOTS);
  for (int i = 0; i < GLASS_RTT_SLOTS; ++i) {
    __u64* slot = &skel_->bss->rtt_hist[i];
    h[i] = reset ? __atomic_exchange_n(slot, 0, __ATOMIC_RELAXED)
                 : __atomic_load_n(slot, __ATOMIC_RELAXED);
  }
  return h;
}

}  // namespace glass::cli
