// `glass capture DEV -w FILE`: what tcpdump -w does, for guests that have no
// tcpdump. libpcap opens the device (AF_PACKET, both directions, link type
// Ethernet), applies an optional filter expression and writes a pcap file
// that Wireshark and tshark read with the glass dissector
// (docs/wireshark.md).
#include "capture.hpp"
#include "stop_signal.hpp"

#include "validators.hpp"

#include <glass/error.hpp>

#include <pcap/pcap.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <limits>
#include <memory>

namespace glass::cli {
namespace {

constexpr int kMaxSnaplen = 262144;  // tcpdump's -s 0
constexpr int kPollMs = 100;         // the longest wait between checks of the clock and signals

struct PcapClose {
  void operator()(pcap_t* p) const { pcap_close(p); }
};
struct DumperClose {
  void operator()(pcap_dumper_t* d) const { pcap_dump_close(d); }
};
using Pcap = std::unique_ptr<pcap_t, PcapClose>;
using Dumper = std::unique_ptr<pcap_dumper_t, DumperClose>;

// A compiled filter, freed with pcap_freecode.
class Program {
 public:
  Program() = default;
  ~Program() {
    if (compiled_) pcap_freecode(&prog_);
  }
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;
  // pcap_compile; false with the error in pcap_geterr(p).
  bool compile(pcap_t* p, const std::string& expr) {
    compiled_ = pcap_compile(p, &prog_, expr.c_str(), 1, PCAP_NETMASK_UNKNOWN) == 0;
    return compiled_;
  }
  bpf_program* get() { return &prog_; }

 private:
  bpf_program prog_{};
  bool compiled_ = false;
};

void dump_one(u_char* user, const pcap_pkthdr* h, const u_char* bytes) {
  pcap_dump(user, h, bytes);
}

[[noreturn]] void pcap_fail(const std::string& call, const std::string& text) {
  throw Error(call, 0, text.empty() ? "failed" : text);
}

// Creates and activates the handle; warnings from pcap_activate go to stderr.
Pcap open_device(const CaptureOptions& o) {
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  Pcap p(pcap_create(o.device.c_str(), errbuf));
  if (!p) pcap_fail("pcap_create(" + o.device + ")", errbuf);
  pcap_set_snaplen(p.get(), o.snaplen);
  pcap_set_promisc(p.get(), 0);
  pcap_set_immediate_mode(p.get(), 1);  // each frame as it comes: exact -c, no block timeout
  pcap_set_buffer_size(p.get(), static_cast<int>(o.buffer));
  const int rc = pcap_activate(p.get());
  if (rc < 0) {
    std::string why = pcap_statustostr(rc);
    const std::string detail = pcap_geterr(p.get());
    if (!detail.empty()) why += ": " + detail;
    const bool perm = rc == PCAP_ERROR_PERM_DENIED;
    throw Error("pcap_activate(" + o.device + ")", perm ? EPERM : 0, why,
                perm ? std::string(kNeedsNetAdmin) : std::string());
  }
  if (rc > 0)
    std::cerr << "glass capture: " << o.device << ": " << pcap_statustostr(rc) << ": "
              << pcap_geterr(p.get()) << "\n";
  return p;
}

}  // namespace

std::string capture_filter(const CaptureOptions& opts) {
  std::string expr;
  for (const std::string& w : opts.filter) {
    if (!expr.empty()) expr += ' ';
    expr += w;
  }
  return expr;
}

std::string check_capture_filter(const std::string& filter, int snaplen) {
  Pcap dead(pcap_open_dead(DLT_EN10MB, snaplen));
  if (!dead) return "cannot compile filters (pcap_open_dead failed)";
  Program prog;
  if (prog.compile(dead.get(), filter)) return {};
  return pcap_geterr(dead.get());
}

CLI::App* add_capture_options(CLI::App& parent, CaptureOptions& opts, std::function<void()> then) {
  CLI::App* c = parent.add_subcommand(
      "capture", "Write the frames of a device to a pcap file (tcpdump -w for the guest)");
  c->add_option("DEV", opts.device, "The device to capture on (a glass device, or any other)")
      ->required()
      ->check(ifname_validator());
  c->add_option("-w,--write", opts.file, "Write the frames to FILE (pcap; '-' for stdout)")
      ->required()
      ->type_name("FILE");
  c->add_option("-c,--count", opts.count, "Stop after N frames")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 40))
      ->type_name("N");
  c->add_option("--duration", opts.duration, "Stop after SECONDS (fractions allowed)")
      ->check(CLI::Range(0.001, 31536000.0))
      ->type_name("SECONDS");
  c->add_option("-s,--snaplen", opts.snaplen,
                "Keep at most BYTES of each frame (default 65600: a whole 64 KiB train)")
      ->check(CLI::Range(64, kMaxSnaplen))
      ->type_name("BYTES");
  c->add_option("-B,--buffer", opts.buffer,
                "Kernel capture buffer (K, M, G suffixes; default 32M), as tcpdump -B")
      ->transform(size_validator(1ULL << 20, 1ULL << 30))
      ->type_name("SIZE");
  c->add_option("filter", opts.filter,
                "A pcap filter expression, as tcpdump takes (e.g. 'ether proto 0x88b5')")
      ->type_name("EXPR...");
  c->footer(
      "Frames go to FILE as they arrive, in both directions, with link type Ethernet\n"
      "(EN10MB); a glass frame is EtherType 0x88B5. Stops at -c frames, after\n"
      "--duration, or on SIGINT/SIGTERM, and then prints to stderr how many frames it\n"
      "captured and how many the kernel dropped. tcpdump works on glass devices too\n"
      "('tcpdump -i ga -w f.pcap'). Wireshark and tshark read the file with the glass\n"
      "dissector (make install puts it in their plugin folder; else -X lua_script:FILE):\n"
      "  tshark -r f.pcap -Y 'glass.analysis.flags'\n"
      "Examples:\n  glass capture gb -w /share/gb.pcap -c 100\n"
      "  glass capture ga -w ga.pcap --duration 2.5 'ether proto 0x88b5'\n"
      "Needs CAP_NET_RAW. Exit status: 0 success, 1 runtime error, 2 usage error.");
  c->callback([&opts, then = std::move(then)] {
    const std::string expr = capture_filter(opts);
    if (!expr.empty()) {
      const std::string err = check_capture_filter(expr, opts.snaplen);
      if (!err.empty()) throw CLI::ValidationError("capture", "bad filter '" + expr + "': " + err);
    }
    if (then) then();
  });
  return c;
}

int run_capture(const CaptureOptions& opts) {
  Pcap p = open_device(opts);
  const std::string expr = capture_filter(opts);
  Program prog;
  if (!expr.empty()) {
    if (!prog.compile(p.get(), expr)) pcap_fail("pcap_compile(" + expr + ")", pcap_geterr(p.get()));
    if (pcap_setfilter(p.get(), prog.get()) != 0)
      pcap_fail("pcap_setfilter(" + expr + ")", pcap_geterr(p.get()));
  }
  Dumper d(pcap_dump_open(p.get(), opts.file.c_str()));
  if (!d) pcap_fail("pcap_dump_open(" + opts.file + ")", pcap_geterr(p.get()));
  const int link = pcap_datalink(p.get());
  std::cerr << "listening on " << opts.device << ", link-type " << pcap_datalink_val_to_name(link)
            << " (" << pcap_datalink_val_to_description(link) << "), snapshot length "
            << opts.snaplen << " bytes" << std::endl;

  using Clock = std::chrono::steady_clock;
  const auto deadline = opts.duration > 0
                            ? Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                 std::chrono::duration<double>(opts.duration))
                            : Clock::time_point::max();
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  if (pcap_setnonblock(p.get(), 1, errbuf) != 0)
    pcap_fail("pcap_setnonblock(" + opts.device + ")", errbuf);
  const int fd = pcap_get_selectable_fd(p.get());
  if (fd < 0) pcap_fail("pcap_get_selectable_fd(" + opts.device + ")", "no selectable descriptor");
  std::int64_t got = 0;
  {
    // Our own poll(), which SIGINT/SIGTERM interrupt, checking the flag at
    // least every kPollMs: libpcap's blocking read restarts its poll on
    // EINTR and, on Linux, may never time out on an idle device.
    const StopOnSignal stop;
    while (!StopOnSignal::stopped() && (opts.count == 0 || got < opts.count)) {
      const auto now = Clock::now();
      if (now >= deadline) break;
      const std::int64_t left = opts.count == 0 ? -1 : opts.count - got;
      const int want =
          left < 0 || left > std::numeric_limits<int>::max() ? -1 : static_cast<int>(left);
      const int n = pcap_dispatch(p.get(), want, dump_one, reinterpret_cast<u_char*>(d.get()));
      if (n < 0) pcap_fail("pcap_dispatch(" + opts.device + ")", pcap_geterr(p.get()));
      got += n;
      if (n > 0) {
        if (pcap_dump_flush(d.get()) != 0) throw_errno("write(" + opts.file + ")", errno);
        continue;
      }
      // Nothing waiting: sleep in poll() until a frame, a signal, the
      // deadline or kPollMs.
      const auto until_deadline =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count() + 1;
      pollfd pfd{fd, POLLIN, 0};
      poll(&pfd, 1, static_cast<int>(std::min<std::int64_t>(kPollMs, until_deadline)));
    }
  }
  if (pcap_dump_flush(d.get()) != 0) throw_errno("write(" + opts.file + ")", errno);
  pcap_stat st{};
  const bool have_stats = pcap_stats(p.get(), &st) == 0;
  std::cerr << got << " packets captured\n";
  if (have_stats) {
    std::cerr << st.ps_recv << " packets received by filter\n"
              << st.ps_drop << " packets dropped by kernel\n";
  }
  return kExitOk;
}

void setup_capture(CLI::App& parent, Context& ctx) {
  auto opts = std::make_shared<CaptureOptions>();
  add_capture_options(parent, *opts,
                      [opts, &ctx] { ctx.action = [opts] { return run_capture(*opts); }; });
}
}  // namespace glass::cli
