// `glass lab readiness`: the same echo load served by a blocking server, a
// poll loop, an epoll loop and an io_uring loop; system calls, wake-ups and
// context switches per request, counted in the server loops themselves.
#include "echo_servers.hpp"
#include "transport.hpp"
#include "validators.hpp"

#include <atomic>
#include <cmath>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

namespace glass::cli::lab {
namespace {

struct ReadinessOptions {
  int connections = 4;
  int requests = 0;  // per connection; 0: 400 (120 with --quick)
  int size = 64;
  std::vector<std::string> variants{"blocking", "poll", "epoll", "io_uring"};
};

using ServeFn = EchoCounts (*)(std::vector<Fd>&, std::size_t);

const std::map<std::string, ServeFn>& servers() {
  static const std::map<std::string, ServeFn> m{{"blocking", &echo_blocking},
                                                {"poll", &echo_poll},
                                                {"epoll", &echo_epoll},
                                                {"io_uring", &echo_uring}};
  return m;
}

struct VariantResult {
  std::string name;
  EchoCounts counts;
  std::uint64_t requests = 0, answered = 0;
  double seconds = 0, p50_us = 0, p99_us = 0;
  std::string client_error;
};

class Readiness : public Scenario {
 public:
  const char* name() const override { return "readiness"; }
  const char* title() const override {
    return "Blocking vs poll vs epoll vs io_uring: calls and wake-ups per request";
  }
  const char* help() const override {
    return "Clients in host a send small requests over several glass connections and wait for "
           "each echo; the server in host b is written four ways. Blocking: a thread per "
           "connection sleeps in read() until data arrives, then write()s it back. poll and "
           "epoll: one thread asks the kernel which sockets are readable, then reads each with "
           "a non-blocking read() and writes the echo; a socket's readiness comes from its "
           "receive queue, just as a blocking read's wake-up does. io_uring: one thread keeps "
           "a receive request in flight per connection and collects completions; one "
           "io_uring_enter both submits the next operations and waits, and the data is "
           "already copied when it wakes. The servers count every system call and every "
           "return of the waiting call in their own loops; getrusage gives the voluntary "
           "context switches (sleeps) of the serving threads. Every variant must answer "
           "every request. The same load then runs over TCP on a veth pair between the same "
           "namespaces: readiness is the socket layer's business, so the counts per request "
           "should match glass's (the latencies differ with each protocol's cost).";
  }

  void add_options(CLI::App& sub) override {
    sub.add_option("--connections", o_.connections, "Client connections (one thread each)")
        ->check(CLI::Range(1, 64))
        ->capture_default_str();
    sub.add_option("--requests", o_.requests, "Requests per connection (default 400)")
        ->check(CLI::Range(1, 1000000));
    sub.add_option("--size", o_.size, "Request (= reply) size in bytes")
        ->transform(size_validator(1, 65536))
        ->capture_default_str();
    std::vector<std::string> names;
    for (const auto& [n, f] : servers()) names.push_back(n);
    sub.add_option("--variants", o_.variants, "Server variants to run")
        ->delimiter(',')
        ->check(CLI::IsMember(names))
        ->capture_default_str();
  }

  void run(LabRun& run) override {
    const int requests = o_.requests > 0 ? o_.requests : (run.options().quick ? 120 : 400);
    const bool tcp = run.options().tcp;
    TestbedSpec spec{"ready"};
    spec.veth = tcp;
    const Testbed tb(spec);
    run.note(std::to_string(o_.connections) + " connections x " + std::to_string(requests) +
             " requests of " + std::to_string(o_.size) + " bytes, one at a time per connection");
    const std::vector<std::string> per{"syscalls_per_req", "wakeups_per_req", "vcsw_per_req",
                                       "p50_us",           "p99_us",          "req_per_s"};
    std::vector<std::string> cols{"variant", "requests", "answered", "syscalls",
                                  "wakeups", "vcsw",     "ivcsw"};
    cols.insert(cols.end(), per.begin(), per.end());
    if (tcp)
      for (const auto& c : per) cols.push_back("tcp_" + c);
    Csv csv(cols);
    std::uint16_t port = 7430;
    bool all_served = true;
    std::string head;
    for (const auto& v : o_.variants) {
      std::vector<std::string> row;
      for (const Transport t : kTransports) {
        if (t == Transport::kTcp && !tcp) continue;
        const VariantResult r = run_variant(tb, t, v, requests, port++);
        const bool glass = t == Transport::kGlass;
        const std::string k = glass ? "" : "tcp_";
        const std::string who = std::string(label_of(t)) + " " + v;
        const double n = static_cast<double>(std::max<std::uint64_t>(1, r.requests));
        const auto perq = [&](double x) { return x / n; };
        if (glass)
          row = {r.name,
                 num(static_cast<double>(r.requests)),
                 num(static_cast<double>(r.answered)),
                 num(static_cast<double>(r.counts.syscalls)),
                 num(static_cast<double>(r.counts.wakeups)),
                 num(r.counts.vcsw),
                 num(r.counts.ivcsw)};
        for (const double x : {perq(static_cast<double>(r.counts.syscalls)),
                               perq(static_cast<double>(r.counts.wakeups)), perq(r.counts.vcsw),
                               r.p50_us, r.p99_us, std::round(n / r.seconds)})
          row.push_back(num(x));
        run.note(who + ": " + std::to_string(r.answered) + "/" + std::to_string(r.requests) +
                 " answered; per request " +
                 num(std::round(perq(static_cast<double>(r.counts.syscalls)) * 100) / 100) +
                 " syscalls, " +
                 num(std::round(perq(static_cast<double>(r.counts.wakeups)) * 100) / 100) +
                 " wake-ups, " + num(std::round(perq(r.counts.vcsw) * 100) / 100) +
                 " voluntary switches; p50 " + num(std::round(r.p50_us)) + " us, " +
                 num(std::round(n / r.seconds)) + " req/s");
        if (!r.counts.error.empty()) run.note(who + " server error: " + r.counts.error);
        if (!r.client_error.empty()) run.note(who + " client error: " + r.client_error);
        run.fact(k + v + "_answered", static_cast<double>(r.answered), "");
        run.fact(k + v + "_syscalls_per_req", perq(static_cast<double>(r.counts.syscalls)), "");
        run.fact(k + v + "_wakeups_per_req", perq(static_cast<double>(r.counts.wakeups)), "");
        run.fact(k + v + "_vcsw_per_req", perq(r.counts.vcsw), "");
        run.fact(k + v + "_p50_us", r.p50_us, "");
        const bool ok = r.answered == r.requests && r.counts.error.empty() &&
                        r.client_error.empty() &&
                        r.counts.bytes == r.requests * static_cast<std::uint64_t>(o_.size);
        run.check(ok, who + " served every request");
        all_served = all_served && ok;
        if (v == o_.variants.back())
          head += std::string(head.empty() ? "" : "; ") + who + ": " +
                  num(std::round(perq(static_cast<double>(r.counts.syscalls)) * 100) / 100) +
                  " syscalls and " +
                  num(std::round(perq(static_cast<double>(r.counts.wakeups)) * 100) / 100) +
                  " wake-ups per request, p50 " + num(std::round(r.p50_us)) + " us";
      }
      csv.row(row);
    }
    run.fact("requests_per_variant", static_cast<double>(o_.connections) * requests, "");
    run.fact("all_served", all_served ? 1 : 0, "");
    run.headline(head);
    run.write_csv(csv);
    const auto bars = [&](const std::vector<std::pair<std::string, std::string>>& cols) {
      std::string p;
      for (const auto& [c, title] : cols) {
        if (p.empty()) {
          p.append("'readiness.csv' using '").append(c).append("':xtic(1)");
        } else {
          p.append(", '' using '").append(c).append("'");
        }
        p.append(" title 'glass ").append(title).append("'");
        if (tcp)
          p.append(", '' using 'tcp_").append(c).append("' title 'TCP ").append(title).append("'");
      }
      return p;
    };
    run.set_plot(
        "set multiplot layout 2,1 title 'the same echo load, four server loops" +
        std::string(tcp ? ", glass and TCP" : "") +
        "'\nset style data histograms\nset style histogram clustered gap 1\n"
        "set style fill solid 0.8 border -1\nset boxwidth 0.9\nset key outside right\n"
        "set yrange [0:*]\nset ylabel 'per request'\n"
        "set title 'server system calls, wake-ups and voluntary context switches per request'\n"
        "plot " +
        bars({{"syscalls_per_req", "syscalls"},
              {"wakeups_per_req", "wake-ups"},
              {"vcsw_per_req", "voluntary switches"}}) +
        "\nset ylabel 'us'\nset logscale y\nset yrange [10:*]\n"
        "set title 'request latency seen by the clients (log scale)'\nplot " +
        bars({{"p50_us", "p50"}, {"p99_us", "p99"}}) + "\nunset multiplot\n");
  }

 private:
  VariantResult run_variant(const Testbed& tb, Transport t, const std::string& v, int requests,
                            std::uint16_t port) const {
    const Endpoint ep = endpoint_of(tb, t, port);
    const Fd listener = listen_on(ep, o_.connections + 4);
    std::vector<Fd> clients, conns;
    for (int i = 0; i < o_.connections; i++) {
      clients.push_back(connect_to(ep));
      conns.push_back(accept_from(listener.get()));
      set_nodelay(clients.back().get(), ep.family, true);
      set_nodelay(conns.back().get(), ep.family, true);
    }
    VariantResult r;
    r.name = v;
    r.requests = static_cast<std::uint64_t>(requests) * clients.size();
    std::vector<double> lat;
    std::mutex mu;
    std::atomic<std::uint64_t> answered{0};
    const Stopwatch clock;
    {
      std::jthread server([&] {
        r.counts = servers().at(v)(conns, 16384);
        if (r.counts.error.empty()) return;
        for (Fd& c : clients) ::shutdown(c.get(), SHUT_RDWR);  // unblock the clients
      });
      std::vector<std::jthread> cl;
      cl.reserve(clients.size());
      for (Fd& c : clients) {
        cl.emplace_back([&, fd = c.get()] {
          std::vector<std::byte> req(static_cast<std::size_t>(o_.size)), resp(req.size());
          std::vector<double> mine;
          try {
            for (int i = 0; i < requests; i++) {
              req[0] = static_cast<std::byte>(i);
              const Stopwatch w;
              write_all(fd, req);
              if (!read_exact(fd, resp)) break;
              mine.push_back(w.us());
              if (resp == req) answered++;
            }
          } catch (const std::exception& e) {
            const std::lock_guard lock(mu);
            r.client_error = e.what();
          }
          ::shutdown(fd, SHUT_WR);
          const std::lock_guard lock(mu);
          lat.insert(lat.end(), mine.begin(), mine.end());
        });
      }
      cl.clear();
      r.seconds = clock.s();
    }
    r.answered = answered.load();
    r.p50_us = quantile(lat, 0.5);
    r.p99_us = quantile(lat, 0.99);
    return r;
  }

  ReadinessOptions o_;
};

}  // namespace
}  // namespace glass::cli::lab

std::unique_ptr<glass::cli::Scenario> glass::cli::make_readiness() {
  return std::make_unique<lab::Readiness>();
}
