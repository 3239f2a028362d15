// glass perf's iperf3-style pieces on the host: -f units, the control lines
// of -s/-c, the JSON shape, and the stream engine over AF_UNIX socketpairs.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <thread>

#include "perf/iperf.hpp"
#include "perf/netem.hpp"
#include "perf/protocol.hpp"
#include "perf/streams.hpp"
#include "perf/units.hpp"

namespace glass::cli {
namespace {

TEST(PerfUnits, BitsInPowersOf1000BytesInPowersOf1024) {
  EXPECT_EQ(format_rate(125e6, 'm'), "1000 Mbits/sec");
  EXPECT_EQ(format_rate(125e6, 'g'), "1.00 Gbits/sec");
  EXPECT_EQ(format_rate(1250, 'k'), "10.0 Kbits/sec");
  EXPECT_EQ(format_rate(1 << 20, 'M'), "1.00 MBytes/sec");
  EXPECT_EQ(format_rate(512, 'K'), "0.50 KBytes/sec");
  EXPECT_EQ(format_rate(3.0 * (1 << 30), 'G'), "3.00 GBytes/sec");
  EXPECT_EQ(format_rate(125e6, 0), "1000 Mbits/sec");  // the default is m
  EXPECT_EQ(format_bytes(113.0 * (1 << 20)), "113 MBytes");
  EXPECT_EQ(format_bytes(1.1 * (1 << 30)), "1.10 GBytes");
  EXPECT_EQ(format_bytes(100), "100 Bytes");
}

TEST(PerfProtocol, HelloRoundTrip) {
  const PerfHello h{4, true, 2.5, 0, 131072, make_cookie()};
  EXPECT_EQ(h.cookie.size(), 16u);
  EXPECT_NE(h.cookie, make_cookie());
  const std::string line = format_hello(h);
  EXPECT_EQ(line.back(), '\n');
  std::string err;
  const auto back = parse_hello(line.substr(0, line.size() - 1), &err);
  ASSERT_TRUE(back) << err;
  EXPECT_EQ(back->streams, 4);
  EXPECT_TRUE(back->reverse);
  EXPECT_DOUBLE_EQ(back->seconds, 2.5);
  EXPECT_EQ(back->len, 131072u);
  EXPECT_EQ(back->cookie, h.cookie);
  EXPECT_EQ(back->writes_per_wake, 1);
  EXPECT_EQ(line.find("burst"), std::string::npos);  // what a server before it reads
  PerfHello b = h;
  b.writes_per_wake = 10;
  const auto burst = parse_hello(format_hello(b), &err);
  ASSERT_TRUE(burst) << err;
  EXPECT_EQ(burst->writes_per_wake, 10);
}

TEST(PerfProtocol, HelloRefusesWhatIsNotOne) {
  std::string err;
  ASSERT_TRUE(parse_hello(
      "glass-perf 1 streams=1 reverse=0 seconds=1 bytes=0 len=1 cookie=0123456789abcdef", &err))
      << err;  // so each line below fails for its own reason
  for (
      const char* bad : {
          "",
          "GET / HTTP/1.1",
          "glass-perf 2 streams=1 reverse=0 seconds=1 bytes=0 len=1 cookie=0123456789abcdef",
          "glass-perf 1 streams=1 reverse=0 seconds=1 bytes=0",  // missing
          // NOLINTNEXTLINE(bugprone-suspicious-missing-comma): one literal, split
          "glass-perf 1 streams=1 streams=2 reverse=0 seconds=1 bytes=0 len=1 "
          "cookie=0123456789abcdef",  // repeated
          "glass-perf 1 streams=0 reverse=0 seconds=1 bytes=0 len=1 cookie=0123456789abcdef",  // range
          "glass-perf 1 streams=20001 reverse=0 seconds=1 bytes=0 len=1 cookie=0123456789abcdef",
          "glass-perf 1 streams=1 reverse=2 seconds=1 bytes=0 len=1 cookie=0123456789abcdef",
          "glass-perf 1 streams=1 reverse=0 seconds=nan bytes=0 len=1 cookie=0123456789abcdef",
          "glass-perf 1 streams=1 reverse=0 seconds=1 bytes=0 len=0 cookie=0123456789abcdef",
          "glass-perf 1 streams=1x reverse=0 seconds=1 bytes=0 len=1 cookie=0123456789abcdef",
          "glass-perf 1 streams=-1 reverse=0 seconds=1 bytes=0 len=1 cookie=0123456789abcdef",
          // NOLINTNEXTLINE(bugprone-suspicious-missing-comma): one literal, split
          "glass-perf 1 streams=1 reverse=0 seconds=1 bytes=0 len=1 cookie=0123456789abcdef "
          "burst=0",
          // NOLINTNEXTLINE(bugprone-suspicious-missing-comma): one literal, split
          "glass-perf 1 streams=1 reverse=0 seconds=1 bytes=0 len=1 cookie=0123456789abcdef "
          "burst=1001",
          // NOLINTNEXTLINE(bugprone-suspicious-missing-comma): one literal, split
          "glass-perf 1 streams=1 reverse=0 seconds=1 bytes=0 len=1 cookie=0123456789abcdef "
          "burst=x",
      }) {
    err.clear();
    EXPECT_FALSE(parse_hello(bad, &err)) << bad;
    EXPECT_FALSE(err.empty()) << bad;
  }
}

TEST(PerfProtocol, ResultRoundTripAndStreamCount) {
  const PerfResultLine r{2.0, 0.5, {10, 20, 30}};
  std::string line = format_result(r);
  line.pop_back();
  const auto back = parse_result(line, 3);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->bytes, (std::vector<std::uint64_t>{10, 20, 30}));
  EXPECT_DOUBLE_EQ(back->seconds, 2.0);
  EXPECT_FALSE(parse_result(line, 2));  // not the streams we opened
  EXPECT_FALSE(parse_result("result seconds=1 cpu=0 bytes=1,x", 2));
  EXPECT_FALSE(parse_result("error no", 1));
}

IperfRun sample_run() {
  IperfRun r{"glass", "10.7.0.2", 5201, 2, 65536, 1, 0, false, 1700000000.5, {}, {}, {}};
  r.intervals.push_back({0, 0.5, {250000, 250000}});
  r.intervals.push_back({0.5, 1, {200000, 300000}});
  r.sent = {1.0, 0.25, {450000, 550000}};
  r.received = {1.0, 0.5, {450000, 550000}};
  return r;
}

TEST(PerfIperf, JsonHasIperf3Fields) {
  const std::string j = iperf_json(sample_run());
  EXPECT_EQ(j.rfind("{\"start\":{\"connecting_to\":{\"host\":\"10.7.0.2\",\"port\":5201}", 0), 0u)
      << j;
  for (const char* s :
       {"\"test_start\":{\"protocol\":\"glass\",\"num_streams\":2,\"blksize\":65536",
        "\"intervals\":[{\"streams\":[{\"socket\":1,\"start\":0,\"end\":0.5,"
        "\"seconds\":0.5,\"bytes\":250000,\"bits_per_second\":4000000}",
        "\"sum\":{\"start\":0,\"end\":0.5,\"seconds\":0.5,\"bytes\":500000,"
        "\"bits_per_second\":8000000}",
        "\"sum_sent\":{\"start\":0,\"end\":1,\"seconds\":1,\"bytes\":1000000,"
        "\"bits_per_second\":8000000,\"sender\":true}",
        "\"sum_received\":{\"start\":0,\"end\":1,\"seconds\":1,\"bytes\":1000000",
        "\"cpu_us_per_mb\":{\"sender\":250000,\"receiver\":500000}",
        "\"streams_spread\":{\"min_bits_per_second\":3600000,"
        "\"max_bits_per_second\":4400000"})
    EXPECT_NE(j.find(s), std::string::npos) << s << "\n" << j;
  EXPECT_EQ(j.back(), '}');
}

TEST(PerfIperf, TextHasSenderReceiverSumAndSpread) {
  std::ostringstream out;
  const IperfRun r = sample_run();
  iperf_text_start(out, r, false);
  for (const auto& s : r.intervals) iperf_text_interval(out, s, 'm');
  iperf_text_end(out, r, 'm', false);
  const std::string t = out.str();
  EXPECT_NE(t.find("Connecting to host 10.7.0.2, port 5201 over glass"), std::string::npos) << t;
  EXPECT_NE(t.find("[  SUM]   0.00-1.00   sec"), std::string::npos) << t;
  EXPECT_NE(t.find("8.00 Mbits/sec  sender"), std::string::npos) << t;
  EXPECT_NE(t.find("8.00 Mbits/sec  receiver"), std::string::npos) << t;
  EXPECT_NE(t.find("slowest/fastest 0.82"), std::string::npos) << t;
}

TEST(PerfNetem, WordsAndValidation) {
  EXPECT_EQ(netem_words(" delay 5ms  loss 2% "),
            (std::vector<std::string>{"delay", "5ms", "loss", "2%"}));
  std::string ok = "delay 5ms loss 2%", bad = "delay 5ms; reboot", empty = "  ";
  EXPECT_EQ(netem_validator()(ok), "");
  EXPECT_NE(netem_validator()(bad), "");
  EXPECT_NE(netem_validator()(empty), "");
}

// n socketpairs: [i][0] sends, [i][1] receives.
struct Pairs {
  explicit Pairs(int n) {
    for (int i = 0; i < n; i++) {
      int sv[2];
      EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
      tx.push_back(sv[0]);
      rx.push_back(sv[1]);
    }
  }
  ~Pairs() {
    for (int fd : tx) ::close(fd);
    for (int fd : rx) ::close(fd);
  }
  std::vector<int> tx, rx;
};

void move(int n, const SendPlan& plan, SideResult& sent, SideResult& got) {
  Pairs p(n);
  StreamMeter ms(static_cast<std::size_t>(n)), mr(static_cast<std::size_t>(n));
  std::thread w([&] { sent = send_streams(p.tx, plan, ms); });
  got = recv_streams(p.rx, mr);
  w.join();
  EXPECT_EQ(mr.total(), got.total());
}

TEST(PerfStreams, ByteBudgetSplitEvenlyOverStreams) {
  SideResult sent, got;
  move(3, {0, 1000001, 4096}, sent, got);
  EXPECT_EQ(got.bytes, (std::vector<std::uint64_t>{333334, 333334, 333333}));
  EXPECT_EQ(sent.bytes, got.bytes);
  SideResult one_s, one_r;
  move(1, {0, 100000, 4096}, one_s, one_r);  // the blocking path
  EXPECT_EQ(one_r.bytes, (std::vector<std::uint64_t>{100000}));
}

TEST(PerfStreams, TimedRunEndsAndEveryByteArrives) {
  SideResult sent, got;
  move(4, {0.1, 0, 1000}, sent, got);
  EXPECT_GT(got.total(), 0u);
  EXPECT_EQ(sent.bytes, got.bytes);
  EXPECT_GE(sent.seconds, 0.1);
}

// send_burst on one non-blocking socketpair: bytes the reader can take.
int queued_bytes(int fd) {
  int n = -1;
  EXPECT_EQ(::ioctl(fd, FIONREAD, &n), 0);
  return n;
}

TEST(PerfStreams, ABurstMakesItsWritesThenStopsAtTheBudgetOrAFullBuffer) {
  Pairs p(1);
  ASSERT_EQ(::fcntl(p.tx[0], F_SETFL, O_NONBLOCK), 0);
  const std::vector<std::byte> buf(1000, std::byte{1});
  StreamMeter m(1);
  std::uint64_t left = 0;
  EXPECT_FALSE(send_burst(p.tx[0], {0, 0, 1000, 3}, m, 0, buf, left));
  EXPECT_EQ(m.get(0), 3000u);
  EXPECT_EQ(queued_bytes(p.rx[0]), 3000);
  EXPECT_FALSE(send_burst(p.tx[0], {0, 0, 1000, 1}, m, 0, buf, left));
  EXPECT_EQ(queued_bytes(p.rx[0]), 4000);
  // A budget ends the burst, with a last write of what is left.
  left = 2500;
  EXPECT_TRUE(send_burst(p.tx[0], {0, 2500, 1000, 10}, m, 0, buf, left));
  EXPECT_EQ(left, 0u);
  EXPECT_EQ(queued_bytes(p.rx[0]), 6500);
  // A full buffer ends it too: the write after would only block.
  const std::vector<std::byte> big(64 * 1024, std::byte{2});
  EXPECT_FALSE(send_burst(p.tx[0], {0, 0, big.size(), 1000}, m, 0, big, left));
  EXPECT_LT(m.get(0), 6500u + 1000u * big.size());
  EXPECT_EQ(::write(p.tx[0], big.data(), big.size()), -1);
  EXPECT_EQ(errno, EAGAIN);
}

}  // namespace
}  // namespace glass::cli
