// `glass trace retrans | life | states | rtt`: each view against a workload
// whose answer is known; -d stops the tracer by itself; CSV and text.
#include <gtest/gtest.h>
#include <linux/glass.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "trace_util.hpp"

namespace {

// Sends n bytes from `from` to `to` while a thread reads them.
void transfer(int from, int to, size_t n) {
  std::vector<char> out(n, 'x'), in(n);
  std::thread reader([&] { EXPECT_TRUE(gt::read_all(to, in.data(), n)); });
  EXPECT_TRUE(gt::write_all(from, out.data(), n));
  reader.join();
  EXPECT_TRUE(tr::wait_acked(from, 30000));
}

std::vector<tr::Json> without_summary(std::vector<tr::Json> v) {
  EXPECT_FALSE(v.empty());
  if (!v.empty()) {
    EXPECT_TRUE(v.back().count("lost")) << "no final summary record";
    EXPECT_EQ(tr::num(v.back(), "records"), v.size() - 1);
    v.pop_back();
  }
  return v;
}

}  // namespace

TEST(TraceRetrans, NetemLossShowsRetransmissionsMatchingLife) {
  constexpr uint16_t kPort = 7311;
  constexpr size_t kUp = 100000, kDown = 3000;
  tr::Conn c(kPort);
  c.sysctl("rto_min_ms", 50);
  // netem drops whole frames: one segment per frame (no trains) makes 30%
  // a rate per segment, so 100 kB cannot slip through in a few lucky frames.
  c.pair.h1().run("/usr/sbin/ip link set ga gso_max_segs 1");
  const std::string port = std::to_string(kPort);
  tr::Glass retrans({"trace", "retrans", "--json", "--port", port});
  tr::Glass life({"trace", "life", "--json", "--port", port});
  ASSERT_TRUE(retrans.attached()) << retrans.err();
  ASSERT_TRUE(life.attached()) << life.err();

  c.open();
  ASSERT_GE(c.server, 0);
  c.pair.h1().netem("ga", "loss 30%");
  transfer(c.client, c.server, kUp);
  transfer(c.server, c.client, kDown);
  c.pair.h1().exec([] { EXPECT_EQ(gt::qdisc_del_root("ga"), 0); });
  // Every byte acknowledged on both sides, so no retransmission is still
  // due, and the retransmission tracer stopped before the close: the
  // counters read here and the records compared with them cover the same
  // span (a FIN retransmitted at rto_min 50 ms during a slow close would
  // be traced but counted after this read).
  const auto all_acked = [](int fd) {
    const glass_info gi = gt::info(fd);
    return gi.gi_unacked == 0 && gi.gi_unsent == 0;
  };
  ASSERT_TRUE(gt::wait_until([&] { return all_acked(c.client) && all_acked(c.server); }));
  const glass_info ci = gt::info(c.client), si = gt::info(c.server);
  ASSERT_EQ(retrans.stop(), 0) << retrans.err();
  ASSERT_TRUE(c.close_all(10000));
  ASSERT_EQ(life.stop(), 0) << life.err();

  const std::vector<tr::Json> rt = without_summary(retrans.records());
  ASSERT_FALSE(rt.empty()) << "no retransmission under 30% loss";
  uint64_t from_client = 0, from_server = 0;
  for (const tr::Json& r : rt) {
    const std::string reason = tr::str(r, "reason");
    EXPECT_TRUE(reason == "rto" || reason == "fast" || reason == "probe" || reason == "syn")
        << reason;
    EXPECT_FALSE(tr::str(r, "time").empty());
    EXPECT_FALSE(tr::str(r, "state").empty());
    const bool client_side = tr::str(r, "laddr") == gt::Pair::kAddr1;
    EXPECT_EQ(tr::num(r, "lport"), client_side ? c.client_port : kPort);
    EXPECT_EQ(tr::str(r, "raddr"), client_side ? gt::Pair::kAddr2 : gt::Pair::kAddr1);
    EXPECT_EQ(tr::num(r, "rport"), client_side ? kPort : c.client_port);
    if (reason != "probe") ++(client_side ? from_client : from_server);
  }
  EXPECT_GT(from_client, 0u);
  EXPECT_EQ(from_client, ci.gi_retransmits);
  EXPECT_EQ(from_server, si.gi_retransmits);

  const std::vector<tr::Json> lf = without_summary(life.records());
  ASSERT_EQ(lf.size(), 2u) << life.out();
  for (const tr::Json& l : lf) {
    const bool client_side = tr::str(l, "laddr") == gt::Pair::kAddr1;
    SCOPED_TRACE(client_side ? "client" : "server");
    // TX is bytes_acked: payload only, the acknowledged FIN is not counted.
    EXPECT_EQ(tr::num(l, "tx_bytes"), client_side ? kUp : kDown);
    EXPECT_EQ(tr::num(l, "rx_bytes"), client_side ? kDown : kUp);
    EXPECT_EQ(tr::num(l, "retransmits"), client_side ? from_client : from_server);
    EXPECT_GT(std::stod(tr::str(l, "ms")), 0.0);
  }
}

TEST(TraceStates, DurationStopsTheTracerAndTimesAreSpentInOldState) {
  constexpr uint16_t kPort = 7321;
  tr::Conn c(kPort);
  tr::Glass states({"trace", "states", "--json", "--port", std::to_string(kPort), "-d", "3"});
  ASSERT_TRUE(states.attached()) << states.err();
  c.open();
  ASSERT_GE(c.server, 0);
  ASSERT_TRUE(tr::wait_state(c.client, GLASS_ESTABLISHED));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_TRUE(c.close_all());
  // -d 3: exits by itself, with status 0.
  ASSERT_EQ(states.wait(8000), 0) << states.err();
  EXPECT_NE(states.err().find("lost 0 events"), std::string::npos) << states.err();

  const std::vector<tr::Json> st = without_summary(states.records());
  bool saw_client_estab_end = false;
  for (const tr::Json& s : st) {
    EXPECT_FALSE(tr::str(s, "time").empty());
    if (tr::str(s, "laddr") == gt::Pair::kAddr1 && tr::str(s, "oldstate") == "ESTABLISHED") {
      saw_client_estab_end = true;
      EXPECT_GE(std::stod(tr::str(s, "ms")), 290.0);  // the 300 ms sleep
      EXPECT_LT(std::stod(tr::str(s, "ms")), 5000.0);
    }
  }
  EXPECT_TRUE(saw_client_estab_end) << states.out();
}

TEST(TraceRtt, HistogramCountsSamplesAroundTheDelay) {
  constexpr uint16_t kPort = 7331;
  tr::Conn c(kPort);
  c.pair.h1().netem("ga", "delay 5ms");
  c.pair.h2().netem("gb", "delay 5ms");
  tr::Glass rtt({"trace", "rtt", "--json", "--port", std::to_string(kPort)});
  ASSERT_TRUE(rtt.attached()) << rtt.err();
  c.open();
  ASSERT_GE(c.server, 0);
  transfer(c.client, c.server, 50000);
  ASSERT_TRUE(c.close_all());
  ASSERT_EQ(rtt.stop(), 0) << rtt.err();

  // {"ts_us":..,"unit":"usecs","samples":N,"buckets":[{"low":..,"high":..,"count":..},...]}
  const std::string out = rtt.out();
  const size_t p = out.find("\"samples\":");
  ASSERT_NE(p, std::string::npos) << out;
  EXPECT_GT(std::stoull(out.substr(p + 10)), 0u) << out;
  // A 10 ms round trip lands in the 8192 -> 16383 us bucket (or next to it).
  EXPECT_TRUE(out.find("\"low\":8192") != std::string::npos ||
              out.find("\"low\":16384") != std::string::npos)
      << out;
}

TEST(TraceFormats, CsvHasAHeaderAndTextHasColumns) {
  std::string csv, text;
  EXPECT_EQ(tr::run_glass({"trace", "life", "--csv", "-d", "0.3"}, &csv), 0) << csv;
  EXPECT_EQ(csv.rfind("ts_us,time,cookie,laddr,lport,raddr,rport,tx_bytes,rx_bytes,ms,", 0), 0u)
      << csv;
  EXPECT_EQ(tr::run_glass({"trace", "retrans", "-d", "0.3"}, &text), 0) << text;
  EXPECT_NE(text.find("LADDR:LPORT"), std::string::npos) << text;
  EXPECT_NE(text.find("REASON"), std::string::npos) << text;
  EXPECT_NE(text.find("lost 0 events"), std::string::npos) << text;
  std::string bad;
  EXPECT_EQ(tr::run_glass({"trace", "events", "--event", "nosuch"}, &bad), 2) << bad;
}

TEST(TraceFormats, AnUnprivilegedUserIsToldToBeRoot) {
  std::string msg;
  EXPECT_EQ(tr::run_glass({"trace", "events", "-d", "1"}, &msg, 20000, 65534), 1) << msg;
  EXPECT_NE(msg.find("needs root"), std::string::npos) << msg;
}

TEST(TraceLost, ATinyRingCountsWhatItDrops) {
  constexpr uint16_t kPort = 7341;
  tr::Conn c(kPort);
  // 4 KiB holds ~39 records; a 2 MB transfer makes thousands of events.
  tr::Glass ev({"trace", "events", "--json", "--ring-kb", "4", "--port", std::to_string(kPort)});
  ASSERT_TRUE(ev.attached()) << ev.err();
  c.open();
  ASSERT_GE(c.server, 0);
  transfer(c.client, c.server, 2 << 20);
  ASSERT_TRUE(c.close_all());
  ASSERT_EQ(ev.stop(), 0) << ev.err();
  const std::vector<tr::Json> all = ev.records();
  ASSERT_FALSE(all.empty());
  const tr::Json& summary = all.back();
  ASSERT_TRUE(summary.count("lost")) << "the last record is not the summary";
  EXPECT_EQ(tr::num(summary, "records"), all.size() - 1);
  EXPECT_NE(ev.err().find("lost " + tr::str(summary, "lost") + " events"), std::string::npos);
  // Every record the ring had no room for is counted: the totals cover at
  // least the segments the client sent (2 MB / MSS).
  EXPECT_GT(tr::num(summary, "records") + tr::num(summary, "lost"), (2u << 20) / 16384);
  std::cout << "[ INFO     ] records=" << tr::num(summary, "records")
            << " lost=" << tr::num(summary, "lost") << "\n";
}
