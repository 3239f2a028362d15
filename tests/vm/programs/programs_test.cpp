// Unmodified programs over glass (docs/run.md): each test runs real programs
// from the host (vm/run --hostfs) under `glass run`, a server in one
// namespace and a client in the other, joined by a glass pair, and proves
// with /proc/net/glass_stat and /proc/net/glass that the bytes went over
// glass, and with /proc/net/tcp that TCP was not used.
#include <gtest/gtest.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "programs.hpp"
#include "support.hpp"

namespace {

// Programs under TCG start slowly (python3 ~7 s, java ~20 s on a busy host).
constexpr int kStartSecs = 120;

// In the debug kernel the JVM and python's http.server spend minutes
// starting under KASAN; what those two cases check is the preload library's
// handling of their binds and connects (userspace), and the kernel calls
// they make run there in vmtest_preload and in the two cases below, which
// still carry an unmodified program over glass (docs/debug-kernel.md).
const char* const kPreloadOnly = "the preload library's work with this program: make test runs it";

class Programs : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* p : {"python3", "curl", "java", "openssl"}) {
      if (prog::capture(std::string("command -v ") + p).empty())
        FAIL() << p << " is not in the guest: these tests need vm/run --hostfs (the default)";
    }
    dir_ = "/tmp/programs." + std::to_string(getpid()) + "." +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    gt::must("mkdir -p " + dir_);
    // TIME_WAIT rows stay long enough to be seen after the programs exit.
    for (const std::string& ns : {h1(), h2()})
      gt::must(in(ns) + "sysctl -qw net.glass.time_wait_ms=120000");
  }
  void TearDown() override { gt::sh("rm -rf " + dir_); }

  std::string h1() const { return pair_.h1().name(); }
  std::string h2() const { return pair_.h2().name(); }
  std::string in(const std::string& ns) const { return "/usr/sbin/ip netns exec " + ns + " "; }

  // Starts a server under glass run in h1 and waits for its glass listener.
  void start_server(const std::string& cmd, uint16_t port) {
    server_ = std::make_unique<prog::Background>(in(h1()) + "glass run -v -- " + cmd,
                                                 dir_ + "/server.log");
    const bool up = prog::wait_for(
        [&] { return prog::glass_listening(h1(), port) || !server_->running(); }, kStartSecs);
    ASSERT_TRUE(up && prog::glass_listening(h1(), port))
        << "no glass listener on port " << port << "; server log:\n"
        << server_->log();
    EXPECT_FALSE(prog::tcp_uses_port(h1(), port)) << "the server listens on TCP too";
  }

  // The namespaces' bytes went over glass and nothing over TCP on port.
  void expect_over_glass(uint16_t port, uint64_t server_sent, uint64_t client_sent) {
    const auto s1 = prog::glass_stat(h1());
    const auto s2 = prog::glass_stat(h2());
    EXPECT_GE(s1.at("bytes_out"), server_sent);
    EXPECT_GE(s2.at("bytes_in"), server_sent);
    EXPECT_GE(s2.at("bytes_out"), client_sent);
    EXPECT_GE(s1.at("passive_opens"), 1U);
    EXPECT_GE(s2.at("active_opens"), 1U);
    EXPECT_FALSE(prog::tcp_uses_port(h1(), port));
    EXPECT_FALSE(prog::tcp_uses_port(h2(), port));
    // The connection's row, on whichever side is in TIME_WAIT now.
    const std::string server_side = "10.7.0.1:" + std::to_string(port) + " 10.7.0.2:";
    const std::string client_side = " 10.7.0.1:" + std::to_string(port) + " ";
    const std::string t1 = prog::capture(in(h1()) + "cat /proc/net/glass");
    const std::string t2 = prog::capture(in(h2()) + "cat /proc/net/glass");
    EXPECT_TRUE(t1.find(server_side) != std::string::npos ||
                t2.find(client_side) != std::string::npos)
        << "the connection is in neither /proc/net/glass:\n"
        << t1 << t2;
  }

  gt::Pair pair_;
  std::string dir_;
  std::unique_ptr<prog::Background> server_;
};

// python3 -m http.server binds :: (AF_INET6, dual stack): the wildcard
// listener becomes glass at listen(); curl's nonblocking connect to
// 10.7.0.1 becomes glass at connect().
TEST_F(Programs, PythonHttpServerAnswersCurl) {
  if (gt::debug_kernel()) GTEST_SKIP() << kPreloadOnly;
  gt::must("head -c 300000 /dev/urandom > " + dir_ + "/blob");
  const std::string sum = prog::capture("sha256sum < " + dir_ + "/blob");
  start_server("python3 -m http.server 8000 --directory " + dir_, 8000);

  int rc = 0;
  const std::string got = prog::capture(
      in(h2()) + "glass run -- curl -sS -m 60 -o " + dir_ + "/got http://10.7.0.1:8000/blob 2>&1",
      &rc);
  EXPECT_EQ(rc, 0) << got << "\nserver log:\n" << server_->log();
  EXPECT_EQ(prog::capture("sha256sum < " + dir_ + "/got"), sum) << "the file arrived changed";
  expect_over_glass(8000, 300000, 50);
  EXPECT_NE(server_->log().find("\"GET /blob HTTP/1.1\" 200"), std::string::npos) << server_->log();
  EXPECT_NE(server_->log().find("10.7.0.2 - -"), std::string::npos)
      << "http.server saw another client address:\n"
      << server_->log();

  // Without glass run, curl speaks TCP, which a glass device does not carry.
  prog::capture(in(h2()) + "curl -sS -m 5 http://10.7.0.1:8000/blob -o /dev/null 2>&1", &rc);
  EXPECT_NE(rc, 0) << "plain curl reached the server over TCP";
}

// The Py4J shape: a Java ServerSocket server, a Python socket client.
// Java binds ::ffff:10.7.0.1 on an AF_INET6 socket: the bind becomes glass.
TEST_F(Programs, JavaServerAnswersPythonClient) {
  if (gt::debug_kernel()) GTEST_SKIP() << kPreloadOnly;
  start_server(
      "java -Xshare:auto -XX:TieredStopAtLevel=1 -cp /glass/programs GatewayServer "
      "10.7.0.1 7100",
      7100);
  int rc = 0;
  const std::string out = prog::capture(
      in(h2()) + "glass run -- python3 /glass/programs/gateway_client.py 10.7.0.1 7100 200 2>&1",
      &rc);
  EXPECT_EQ(rc, 0) << out << "\nserver log:\n" << server_->log();
  // Each side sees the other's glass address, in its own family.
  EXPECT_NE(out.find("ok rounds=200 client=10.7.0.2:"), std::string::npos) << out;
  EXPECT_NE(out.find("server=10.7.0.1:7100"), std::string::npos) << out;
  EXPECT_NE(out.find("java: local=/10.7.0.1:7100 remote=/10.7.0.2:"), std::string::npos) << out;
  EXPECT_NE(out.find("nodelay=true"), std::string::npos) << "TCP_NODELAY read back: " << out;
  expect_over_glass(7100, 200 * 8, 200 * 20);
  EXPECT_NE(server_->log().find("listening /10.7.0.1:7100"), std::string::npos) << server_->log();
}

// TLS over glass: openssl s_server and s_client, unmodified.
TEST_F(Programs, OpensslTlsOverGlass) {
  gt::must("cd " + dir_ +
           " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
           "-keyout key.pem -out cert.pem -subj /CN=glass -days 2 2>/dev/null");
  start_server("openssl s_server -accept 10.7.0.1:4433 -cert " + dir_ + "/cert.pem -key " + dir_ +
                   "/key.pem -www -naccept 1",
               4433);
  int rc = 0;
  const std::string out = prog::capture(
      "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | " + in(h2()) +
          "glass run -- openssl s_client -connect 10.7.0.1:4433 -servername glass -ign_eof 2>&1",
      &rc);
  EXPECT_EQ(rc, 0) << out << "\nserver log:\n" << server_->log();
  EXPECT_NE(out.find("HTTP/1.0 200 ok"), std::string::npos) << out;
  EXPECT_NE(out.find("New, TLSv1.3"), std::string::npos) << out;
  EXPECT_NE(out.find("CN = glass"), std::string::npos) << out;
  expect_over_glass(4433, 1000, 200);
}

// `glass cat` against a server that sends a line and its FIN, then closes
// with our line unread: the close resets the connection (RFC 2525 2.17),
// and a reset after the FIN still means our bytes were thrown away, so cat
// must fail, not end as if the exchange were complete. The error is EPIPE:
// a reset in CLOSE_WAIT sets it, as tcp_reset() does.
TEST_F(Programs, GlassCatReportsAResetAfterThePeersFin) {
  start_server(
      "python3 -c \"import select,socket\n"
      "s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
      "s.bind(('10.7.0.1', 7300)); s.listen(1); c,_=s.accept()\n"
      "c.sendall(b'bye\\n'); c.shutdown(socket.SHUT_WR)\n"
      "select.select([c], [], [], 60); c.close()\"",
      7300);
  // cat's stdin stays open (no FIN from it) until well after the reset.
  int rc = 0;
  const std::string out =
      prog::capture("(echo hello; sleep 10) | " + in(h2()) + "glass cat 10.7.0.1:7300 2>&1", &rc);
  EXPECT_NE(rc, 0) << out << "\nserver log:\n" << server_->log();
  EXPECT_NE(out.find("bye"), std::string::npos) << out;
  EXPECT_NE(out.find("Broken pipe"), std::string::npos) << out;
  EXPECT_GE(prog::glass_stat(h1()).at("resets_sent"), 1U);
}

}  // namespace
