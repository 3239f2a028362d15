// `glass lab copy`: the cost of moving bytes through the socket API. Every
// write() copies from the process into the kernel send buffer and every
// read() copies out of the receive buffer; each call also pays a fixed cost
// to enter the kernel. The same transfer with writes of different sizes.
#include "bulk.hpp"
#include "validators.hpp"

#include <sys/resource.h>

#include <cmath>
#include <iostream>

namespace glass::cli::lab {
namespace {

struct Options {
  std::vector<int> sizes{64, 1024, 16384, 131072};
  double seconds = 0;  // per size; 0: 1.5 (0.6 with --quick)
};

double cpu_seconds(bool system) {
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  const timeval& tv = system ? ru.ru_stime : ru.ru_utime;
  return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
}

class Copy : public Scenario {
 public:
  const char* name() const override { return "copy"; }
  const char* title() const override { return "Copies and calls: what a byte costs"; }
  const char* help() const override {
    return "A bulk transfer over the glass pair, repeated with write() sizes from tiny to "
           "large, each for the same time. send()/write() copies the bytes from the process "
           "into the kernel's send buffer; read() copies them out of the receive buffer into "
           "the process: two copies per byte on top of the protocol work. Each call also "
           "costs a fixed amount to enter and leave the kernel and to run the protocol. With "
           "tiny writes the fixed cost per call dominates: many calls per megabyte, much CPU "
           "per megabyte, low throughput. With large writes the per-call cost is spread over "
           "many bytes and what remains is the per-byte cost: copying and checksumming. CPU "
           "time is the whole process (writer, reader, and the kernel work done on their "
           "behalf).";
  }

  void add_options(CLI::App& sub) override {
    sub.add_option("--sizes", o_.sizes, "write() sizes to compare, bytes")
        ->delimiter(',')
        ->transform(size_validator(1, 4 << 20))
        ->capture_default_str();
    sub.add_option("--seconds", o_.seconds, "Transfer time per size (default 1.5)")
        ->check(CLI::Range(0.2, 60.0));
  }

  void run(LabRun& run) override {
    const double secs = o_.seconds > 0 ? o_.seconds : (run.options().quick ? 0.6 : 1.5);
    Testbed tb({"copy"});
    Csv csv({"write_size", "bytes", "writes", "seconds", "throughput_Bps", "writes_per_MB",
             "cpu_us_per_MB", "sys_us_per_MB"});
    std::vector<double> rate, cpu;
    bool exact = true;
    std::uint16_t port = 7440;
    for (const int size : o_.sizes) {
      ConnSpec spec;
      spec.port = port++;
      spec.server_rcvbuf = 256 * 1024;
      spec.client_sndbuf = 256 * 1024;
      Connection c = connect_glass(tb, spec);
      const double u0 = cpu_seconds(false), s0 = cpu_seconds(true);
      const Stopwatch clock;
      Bulk bulk(c, 0, size, static_cast<std::uint64_t>(size));
      sleep_ms(secs * 1000);
      bulk.stop();
      bulk.join();
      const double t = clock.s();
      const double user = cpu_seconds(false) - u0, sys = cpu_seconds(true) - s0;
      const double mb = static_cast<double>(bulk.received()) / 1e6;
      const double writes = std::ceil(static_cast<double>(bulk.written()) / size);
      exact = exact && bulk.exact();
      rate.push_back(static_cast<double>(bulk.received()) / t);
      cpu.push_back((user + sys) * 1e6 / mb);
      csv.row({num(size), num(static_cast<double>(bulk.received())), num(writes), num(t),
               num(std::round(rate.back())), num(writes / mb), num(std::round(cpu.back())),
               num(std::round(sys * 1e6 / mb))});
      run.note(std::to_string(size) + "-byte writes: " + rate_text(rate.back()) + ", " +
               num(std::round(writes / mb)) + " writes/MB, " + num(std::round(cpu.back())) +
               " us CPU per MB (" + num(std::round(100 * sys / (user + sys))) + "% in the kernel)");
      run.fact("throughput_Bps_" + std::to_string(size), rate.back(), "");
      run.fact("cpu_us_per_MB_" + std::to_string(size), cpu.back(), "");
    }
    run.write_csv(csv);
    const double speedup = rate.back() / rate.front();
    run.fact("speedup", speedup,
             "largest writes moved " + num(std::round(speedup * 10) / 10) +
                 "x the bytes/s of the smallest, at " +
                 num(std::round(100 * cpu.back() / cpu.front())) + "% of the CPU per byte");
    run.check(rate.back() > rate.front(), "large writes beat tiny ones in bytes/s");
    run.check(cpu.back() < cpu.front(), "large writes cost less CPU per byte");
    run.check(exact, "every transfer arrived intact");
    run.set_plot(
        "set multiplot layout 2,1 title 'what a byte costs: write() size vs throughput and "
        "CPU'\nset logscale x 2\nset xlabel 'write() size (bytes)'\nset key outside right\n"
        "set ylabel 'MB/s'\nset title 'throughput'\n"
        "plot 'copy.csv' using 'write_size':(column('throughput_Bps')/1e6) with linespoints pt 7 "
        "lw 2 title 'glass'\n"
        "set ylabel 'us per MB'\nset logscale y\nset title 'CPU time per megabyte moved'\n"
        "plot 'copy.csv' using 'write_size':'cpu_us_per_MB' with linespoints pt 7 lw 2 title "
        "'user+system', '' using 'write_size':'sys_us_per_MB' with linespoints pt 4 title "
        "'system'\nunset multiplot\n",
        960, 640);
  }

 private:
  Options o_;
};

}  // namespace
}  // namespace glass::cli::lab

std::unique_ptr<glass::cli::Scenario> glass::cli::make_copy() {
  return std::make_unique<lab::Copy>();
}
