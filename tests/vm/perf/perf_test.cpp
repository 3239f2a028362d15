// Guest tests of `glass perf -s` / `-c ADDR` (iperf3's two-host mode) over a
// glass pair between two namespaces, with a veth pair for --tcp: the
// server and the client agree on every byte, and the JSON has iperf3's
// fields. No timing is asserted.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "support.hpp"

namespace {

const std::string kOut = "/tmp/vmtest-perf";
const std::string kNsA = "perf-a", kNsB = "perf-b";

// The number after "key": at or after `from` in json (-1 when absent).
double field(const std::string& json, const std::string& key, std::size_t from = 0) {
  const auto at = json.find("\"" + key + "\":", from);
  if (at == std::string::npos) return -1;
  return std::stod(json.substr(at + key.size() + 3));
}

// The object that follows "key": in json, as a string (brace-matched).
std::string object(const std::string& json, const std::string& key, std::size_t from = 0) {
  auto at = json.find("\"" + key + "\":{", from);
  if (at == std::string::npos) return "";
  at = json.find('{', at);
  int depth = 0;
  for (std::size_t i = at; i < json.size(); i++) {
    depth += json[i] == '{' ? 1 : json[i] == '}' ? -1 : 0;
    if (depth == 0) return json.substr(at, i - at + 1);
  }
  return "";
}

class PerfRemote : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    gt::sh("mkdir -p " + kOut);
    gt::must("/usr/sbin/ip netns add " + kNsA);
    gt::must("/usr/sbin/ip netns add " + kNsB);
    gt::must("/usr/sbin/ip netns exec " + kNsA + " glass link add pa peer pb netns " + kNsB);
    gt::must("/usr/sbin/ip -n " + kNsA + " link add va type veth peer name vb netns " + kNsB);
    for (const auto& [ns, g, v, n] : {std::tuple{kNsA, "pa", "va", "1"}, {kNsB, "pb", "vb", "2"}}) {
      gt::must("/usr/sbin/ip -n " + ns + " link set lo up");
      gt::must("/usr/sbin/ip -n " + ns + " addr add 10.77.0." + n + "/24 dev " + g);
      gt::must("/usr/sbin/ip -n " + ns + " addr add 10.78.0." + n + "/24 dev " + v);
      gt::must("/usr/sbin/ip -n " + ns + " link set " + g + " up");
      gt::must("/usr/sbin/ip -n " + ns + " link set " + v + " up");
    }
  }
  static void TearDownTestSuite() {
    gt::sh("/usr/sbin/ip netns del " + kNsA);
    gt::sh("/usr/sbin/ip netns del " + kNsB);
  }

  // Starts `glass perf -s -p PORT ARGS` in netns B in the background,
  // output to FILE; returns its pid once it listens. Each test has its own
  // port: a server started on the port of the server the previous test
  // stopped with SIGTERM did not come up within 10 s in one run (not
  // understood yet; a server that exits by itself (-1) frees its port).
  static pid_t server(int port, const std::string& args, const std::string& file) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      const std::string cmd = "exec glass perf -s --netns " + kNsB + " -p " + std::to_string(port) +
                              " " + args + " > " + file + " 2>&1";
      ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    // It listens when its glass port shows up in B's socket table.
    EXPECT_TRUE(gt::wait_until(
        [port] {
          return gt::sh("glass ss -N " + kNsB + " -l | grep -q ':" + std::to_string(port) + "'") ==
                 0;
        },
        gt::scaled_ms(10000)));
    return pid;
  }
  static int wait_exit(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
};

TEST_F(PerfRemote, OneClientThreeStreamsEveryByteCounted) {
  const std::string sfile = kOut + "/server1.json", cfile = kOut + "/client1.json";
  const pid_t srv = server(5301, "-1 -J", sfile);
  const int rc = gt::sh("glass perf -c 10.77.0.2 -p 5301 --netns " + kNsA +
                        " -P 3 -n 3M -i 0.2 -J > " + cfile + " 2> " + kOut + "/client1.err");
  ASSERT_EQ(rc, 0) << gt::read_file(kOut + "/client1.err") << gt::read_file(cfile);
  EXPECT_EQ(wait_exit(srv), 0) << gt::read_file(sfile);
  const std::string c = gt::read_file(cfile), s = gt::read_file(sfile);
  std::cout << c << s;
  for (const std::string& j : {c, s}) {
    for (const char* key : {"\"start\":", "\"intervals\":", "\"end\":", "\"sum_sent\":",
                            "\"sum_received\":", "\"bits_per_second\":", "\"seconds\":",
                            "\"connecting_to\":", "\"test_start\":", "\"streams_spread\":"})
      EXPECT_NE(j.find(key), std::string::npos) << key << " in " << j;
    EXPECT_EQ(field(object(j, "test_start"), "num_streams"), 3);
    EXPECT_EQ(field(object(j, "sum_sent"), "bytes"), 3 << 20);
    EXPECT_EQ(field(object(j, "sum_received"), "bytes"), 3 << 20);
    EXPECT_GT(field(object(j, "sum_received"), "bits_per_second"), 0);
  }
  EXPECT_NE(c.find("\"protocol\":\"glass\""), std::string::npos);
  // Each stream got its even share: 1 MiB.
  const std::string streams = c.substr(c.find("\"end\":{\"streams\":"));
  EXPECT_EQ(field(object(streams, "receiver"), "bytes"), 1 << 20) << streams;
}

TEST_F(PerfRemote, ReverseAndTcpCompareAgainstTheSameServer) {
  const std::string sfile = kOut + "/server2.txt", cfile = kOut + "/client2.json";
  const pid_t srv = server(5303, "", sfile);
  const int rc = gt::sh("glass perf -c 10.77.0.2 -p 5303 --netns " + kNsA +
                        " --tcp --tcp-addr 10.78.0.2 -R -P 2 -n 2M -J > " + cfile + " 2> " + kOut +
                        "/client2.err");
  ::kill(srv, SIGTERM);
  wait_exit(srv);
  ASSERT_EQ(rc, 0) << gt::read_file(kOut + "/client2.err") << gt::read_file(cfile);
  const std::string c = gt::read_file(cfile), s = gt::read_file(sfile);
  std::cout << c << s;
  const std::string glass = object(c, "glass"), tcp = object(c, "tcp");
  ASSERT_FALSE(glass.empty()) << c;
  ASSERT_FALSE(tcp.empty()) << c;
  EXPECT_NE(glass.find("\"protocol\":\"glass\""), std::string::npos);
  EXPECT_NE(tcp.find("\"protocol\":\"tcp\""), std::string::npos);
  for (const std::string& j : {glass, tcp}) {
    EXPECT_EQ(field(object(j, "test_start"), "reverse"), 1);
    EXPECT_EQ(field(object(j, "sum_received"), "bytes"), 2 << 20);
  }
  EXPECT_GT(field(object(c, "ratio"), "bits_per_second"), 0);
  // The server printed both clients in iperf3's text form.
  EXPECT_NE(s.find("over glass"), std::string::npos) << s;
  EXPECT_NE(s.find("over tcp"), std::string::npos) << s;
  EXPECT_NE(s.find("[  SUM]"), std::string::npos) << s;
}

// A client killed while the server sends to it (-R) costs the server that
// test only: it reports the error and serves the next client.
TEST_F(PerfRemote, ServerOutlivesAClientKilledMidTest) {
  const std::string sfile = kOut + "/server3.txt";
  const pid_t srv = server(5305, "", sfile);
  const pid_t victim = ::fork();
  if (victim == 0) {
    const std::string cmd =
        "exec glass perf -c 10.77.0.2 -p 5305 --netns " + kNsA + " -R -P 2 -t 30 > /dev/null 2>&1";
    ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // Kill it once the server has its data connections (3 established
  // sockets in A; the earlier tests left some in TIME-WAIT).
  EXPECT_TRUE(gt::wait_until(
      [] {
        return gt::sh("[ $(glass ss -N " + kNsA +
                      " state established | grep -c ':5305') -ge 3 ]") == 0;
      },
      gt::scaled_ms(10000)));
  ::kill(victim, SIGKILL);
  wait_exit(victim);
  const int rc = gt::sh("glass perf -c 10.77.0.2 -p 5305 --netns " + kNsA + " -n 1M -J > " + kOut +
                        "/client3.json 2>&1");
  ::kill(srv, SIGTERM);
  EXPECT_EQ(wait_exit(srv), 128 + SIGTERM) << "the server died before it was stopped";
  EXPECT_EQ(rc, 0) << gt::read_file(kOut + "/client3.json") << gt::read_file(sfile);
  EXPECT_EQ(field(object(gt::read_file(kOut + "/client3.json"), "sum_received"), "bytes"), 1 << 20);
  EXPECT_NE(gt::read_file(sfile).find("glass: perf server:"), std::string::npos)
      << gt::read_file(sfile);
}

TEST_F(PerfRemote, ClientWithoutServerIsARuntimeError) {
  EXPECT_EQ(gt::sh("glass perf -c 10.77.0.2 -p 5302 --netns " + kNsA + " -t 0.2 > /dev/null 2>&1"),
            1);
}

}  // namespace

namespace {

// `glass perf --tests idle` (one-host mode, its own namespaces) weighs idle
// connected pairs of glass and TCP in one run: both figures of both
// transports are there, in KB, as numbers.
TEST(PerfIdle, ReportsMemoryPerPairForGlassAndTcp) {
  // KASAN's redzones and kmemleak's records weigh every object: a memory
  // figure of the debug kernel says nothing about glass.
  if (gt::debug_kernel()) GTEST_SKIP() << "a memory figure: make test runs this case";
  const std::string file = kOut + "-idle.json";
  ASSERT_EQ(gt::sh("glass perf --tests idle --transports glass,tcp-veth --idle 200 --json > " +
                   file + " 2>&1"),
            0)
      << gt::read_file(file);
  const std::string json = gt::read_file(file);
  for (const char* transport : {"glass", "tcp-veth"}) {
    for (const char* figure : {"mem-per-pair", "slab-per-pair"}) {
      const std::string key =
          std::string("\"transport\":\"") + transport + "\",\"figure\":\"" + figure + "\"";
      const auto at = json.find(key);
      ASSERT_NE(at, std::string::npos) << key << " missing from " << json;
      EXPECT_NE(json.find("\"unit\":\"KB\"", at), std::string::npos) << json;
      // A number (NaN would print as null).
      const auto v = json.find("\"value\":", at);
      ASSERT_NE(v, std::string::npos) << json;
      const char c = json[v + 8];
      EXPECT_TRUE(c == '-' || (c >= '0' && c <= '9')) << json;
    }
  }
}

}  // namespace

namespace {

// Runs `glass perf ARGS --json` (output in kOut-NAME.json) and returns what
// it printed, after checking that it exited 0.
std::string perf_json(const std::string& args, const std::string& name) {
  const std::string file = kOut + "-" + name + ".json";
  EXPECT_EQ(gt::sh("mkdir -p " + kOut + " && glass perf " + args + " --json > " + file + " 2>&1"),
            0)
      << gt::read_file(file);
  return gt::read_file(file);
}

// The value of one figure of a one-host --json run (-1 when absent).
double figure_value(const std::string& json, const std::string& transport,
                    const std::string& figure) {
  const auto at = json.find("\"transport\":\"" + transport + "\",\"figure\":\"" + figure + "\"");
  return at == std::string::npos ? -1 : field(json, "value", at);
}

}  // namespace

// Several streams report the data phase apart (while-writing: bytes read by
// the time the writer stopped, over that time), beside the whole run's
// throughput; one stream does not report it.
TEST(PerfStreams, SeveralStreamsReportTheDataPhaseApart) {
  const std::string json =
      perf_json("--tests bulk --transports glass,unix -P 3 -t 1 -l 16K", "streams");
  for (const char* transport : {"glass", "unix"}) {
    const double all = figure_value(json, transport, "throughput");
    const double writing = figure_value(json, transport, "while-writing");
    ASSERT_GT(all, 0) << transport << ": " << json;
    EXPECT_GT(writing, 0) << transport << ": " << json;
  }
  const std::string one = perf_json("--tests bulk --transports unix -t 0.5", "stream");
  EXPECT_GT(figure_value(one, "unix", "throughput"), 0) << one;
  EXPECT_EQ(figure_value(one, "unix", "while-writing"), -1) << one;
}

// --mtu sets the MTU of both pairs, so glass and TCP cross the same one: the
// run reports the MTUs it reads back from ga and va.
TEST(PerfMtu, BothPairsGetTheMtu) {
  const std::string json =
      perf_json("--tests connect --transports glass,tcp-veth --connections 5 --mtu 9000", "mtu");
  EXPECT_NE(json.find("\"mtu\":{\"glass\":9000,\"veth\":9000}"), std::string::npos) << json;
  EXPECT_GT(figure_value(json, "tcp-veth", "rate"), 0) << json;
  const std::string plain =
      perf_json("--tests connect --transports glass --connections 5", "nomtu");
  EXPECT_EQ(plain.find("\"mtu\""), std::string::npos) << plain;
}
