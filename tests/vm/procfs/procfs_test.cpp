// /proc/net/glass and /proc/net/glass_stat show exactly the state programs
// put sockets in: unread bytes, a writer stalled on a zero window, an accept
// queue, TIME_WAIT; each namespace sees only its own; a reader racing with
// connection churn never sees a torn row. Columns are found by header name.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "support.hpp"

namespace {

using Row = std::vector<std::string>;

struct Table {
  std::vector<std::string> header;
  std::vector<Row> rows;
  std::string text;
  int col(const std::string& name) const {
    for (size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return static_cast<int>(i);
    ADD_FAILURE() << "no column " << name;
    return 0;
  }
  const std::string& get(const Row& r, const std::string& c) const { return r.at(col(c)); }
  uint64_t num(const Row& r, const std::string& c) const { return std::stoull(get(r, c)); }
  // Rows whose `column` is `value`.
  std::vector<const Row*> where(const std::string& column, const std::string& value) const {
    std::vector<const Row*> out;
    for (const auto& r : rows)
      if (get(r, column) == value) out.push_back(&r);
    return out;
  }
};

// Reads the calling thread's /proc/net/glass in one read() per page, as a
// program would.
Table read_table() {
  Table t;
  std::ifstream in("/proc/thread-self/net/glass");
  std::stringstream ss;
  ss << in.rdbuf();
  t.text = ss.str();
  std::istringstream lines(t.text);
  std::string line;
  bool first = true;
  while (std::getline(lines, line)) {
    std::istringstream ls(line);
    Row fields;
    std::string f;
    while (ls >> f) fields.push_back(f);
    if (first) {
      t.header = fields;
      first = false;
    } else {
      t.rows.push_back(fields);
    }
  }
  return t;
}

std::map<std::string, uint64_t> counters() {
  std::map<std::string, uint64_t> m;
  std::ifstream in("/proc/thread-self/net/glass_stat");
  std::string name;
  uint64_t v = 0;
  while (in >> name >> v) m[name] = v;
  return m;
}

void set_sysctl(const gt::Netns& ns, const std::string& name, int value) {
  ns.run("sh -c 'echo " + std::to_string(value) + " > /proc/sys/net/glass/" + name + "'");
}

std::string endpoint(int fd, bool peer) {
  sockaddr_glass a{};
  socklen_t l = sizeof(a);
  if (peer)
    getpeername(fd, reinterpret_cast<sockaddr*>(&a), &l);
  else
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &l);
  char ip[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &a.sg_addr, ip, sizeof(ip));
  return std::string(ip) + ":" + std::to_string(ntohs(a.sg_port));
}

struct Conn {
  int lst = -1, cli = -1, srv = -1;
  ~Conn() {
    for (int fd : {srv, cli, lst})
      if (fd >= 0) close(fd);
  }
};

// Listener in h2 (10.7.0.2:port), client in h1, accepted server in h2.
void open_conn(const gt::Pair& p, uint16_t port, Conn& c, int rcvbuf = 0) {
  {
    gt::InNetns in(p.h2().name());
    c.lst = gt::glass_socket();
    if (rcvbuf) setsockopt(c.lst, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
    sockaddr_glass a = gt::addr(gt::Pair::kAddr2, port);
    ASSERT_EQ(bind(c.lst, reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
    ASSERT_EQ(listen(c.lst, 8), 0);
  }
  {
    gt::InNetns in(p.h1().name());
    c.cli = gt::connect_to(gt::Pair::kAddr2, port);
  }
  c.srv = accept(c.lst, nullptr, nullptr);
  ASSERT_GE(c.srv, 0);
}

// The row of fd's connection in ns.
Row row_of(const std::string& ns, int fd, Table* out = nullptr) {
  gt::InNetns in(ns);
  const Table t = read_table();
  const std::string local = endpoint(fd, false), remote = endpoint(fd, true);
  for (const auto& r : t.rows)
    if (t.get(r, "local") == local && t.get(r, "remote") == remote) {
      if (out) *out = t;
      return r;
    }
  ADD_FAILURE() << "no row " << local << " " << remote << " in\n" << t.text;
  if (out) *out = t;
  return Row(t.header.size(), "0");
}

TEST(ProcNetGlass, UnreadBytesShowAsRecvqAndRmem) {
  gt::Pair p;
  Conn c;
  open_conn(p, 8000, c);
  std::vector<char> data(5000, 'x');
  ASSERT_TRUE(gt::write_all(c.cli, data.data(), data.size()));
  Table t;
  ASSERT_TRUE(gt::wait_until(
      [&] { return std::stoull(row_of(p.h2().name(), c.srv, &t).at(t.col("recvq"))) == 5000; }));
  Row r = row_of(p.h2().name(), c.srv, &t);
  EXPECT_EQ(t.num(r, "state"), static_cast<uint64_t>(GLASS_ESTABLISHED));
  EXPECT_EQ(t.num(r, "recvq"), 5000u);
  EXPECT_GT(t.num(r, "rmem"), 0u);
  EXPECT_EQ(t.num(r, "ooo"), 0u);
  EXPECT_EQ(t.num(r, "sendq"), 0u);
  EXPECT_EQ(t.get(r, "local"), "10.7.0.2:8000");
  EXPECT_EQ(t.num(r, "uid"), static_cast<uint64_t>(getuid()));
  EXPECT_EQ(t.num(r, "rcvbuf"), gt::info(c.srv).gi_rcvbuf);
  // The sender's row: everything acknowledged, nothing queued.
  ASSERT_TRUE(gt::wait_until(
      [&] { return std::stoull(row_of(p.h1().name(), c.cli, &t).at(t.col("sendq"))) == 0; }));
  r = row_of(p.h1().name(), c.cli, &t);
  EXPECT_EQ(t.num(r, "unsent"), 0u);
  EXPECT_EQ(t.num(r, "wmem"), 0u);
  EXPECT_EQ(t.get(r, "timers"), "-");
  // Reading 1200 bytes leaves exactly 3800.
  std::vector<char> buf(1200);
  ASSERT_TRUE(gt::read_all(c.srv, buf.data(), buf.size()));
  r = row_of(p.h2().name(), c.srv, &t);
  EXPECT_EQ(t.num(r, "recvq"), 3800u);
  std::printf("example (h2, 3800 bytes unread):\n%s", t.text.c_str());
}

TEST(ProcNetGlass, WriterOnZeroWindowShowsUnsentAndProbes) {
  gt::Pair p;
  // SO_RCVBUF 29360 (doubled to 58720) makes the window rcvbuf/2 = 20 full
  // segments of 1468 bytes, so it closes to exactly zero instead of stalling
  // at a remainder below the sender's silly-window threshold; and 20 such
  // skbs fit the memory limit.
  Conn c;
  open_conn(p, 8001, c, 29360);
  ASSERT_EQ(gt::info(c.srv).gi_rcv_space, 29360u);
  ASSERT_EQ(gt::info(c.cli).gi_mss, 1468u);
  fcntl(c.cli, F_SETFL, fcntl(c.cli, F_GETFL) | O_NONBLOCK);
  std::vector<char> data(65536, 'z');
  size_t written = 0;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (std::chrono::steady_clock::now() < until) {
    const ssize_t n = send(c.cli, data.data(), data.size(), MSG_NOSIGNAL);
    if (n > 0) {
      written += static_cast<size_t>(n);
      continue;
    }
    ASSERT_EQ(errno, EAGAIN);
    pollfd pf{c.cli, POLLOUT, 0};
    poll(&pf, 1, 50);
  }
  Table t;
  ASSERT_TRUE(gt::wait_until(
      [&] {
        const Row r = row_of(p.h1().name(), c.cli, &t);
        return t.num(r, "peer_wnd") == 0 && t.num(r, "probes") > 0;
      },
      10000))
      << t.text << "\n"
      << read_table().text;
  const Row r = row_of(p.h1().name(), c.cli, &t);
  const glass_info ci = gt::info(c.cli);
  EXPECT_EQ(t.num(r, "peer_wnd"), 0u);
  EXPECT_GT(t.num(r, "unsent"), 0u);
  EXPECT_GE(t.num(r, "sendq"), t.num(r, "unsent"));
  EXPECT_GE(t.num(r, "probes"), 1u);
  EXPECT_EQ(t.get(r, "timers").rfind("probe", 0), 0u) << t.get(r, "timers");
  // sendq is what the writer queued minus what the peer acknowledged.
  EXPECT_EQ(t.num(r, "sendq"), written - ci.gi_bytes_acked);
  const Row s = row_of(p.h2().name(), c.srv, &t);
  EXPECT_EQ(t.num(s, "adv_wnd"), 0u);
  EXPECT_EQ(t.num(s, "recvq"), ci.gi_bytes_acked);
  std::map<std::string, uint64_t> c1, c2;
  {
    gt::InNetns in(p.h1().name());
    c1 = counters();
  }
  {
    gt::InNetns in(p.h2().name());
    c2 = counters();
  }
  EXPECT_GE(c1["zero_window_probes"], t.num(r, "probes"));
  EXPECT_GE(c2["zero_window_advertised"], 1u);
  {
    gt::InNetns in(p.h1().name());
    std::printf("example (h1, writer on a zero window):\n%s", read_table().text.c_str());
  }
}

TEST(ProcNetGlass, ListenRowRecvqIsTheAcceptQueue) {
  gt::Pair p;
  int lst;
  {
    gt::InNetns in(p.h2().name());
    lst = gt::listener(gt::Pair::kAddr2, 8002, 8);
  }
  std::vector<int> clients;
  {
    gt::InNetns in(p.h1().name());
    for (int i = 0; i < 3; ++i) clients.push_back(gt::connect_to(gt::Pair::kAddr2, 8002));
  }
  auto listen_recvq = [&] {
    gt::InNetns in(p.h2().name());
    const Table t = read_table();
    for (const Row* r : t.where("local", "10.7.0.2:8002"))
      if (t.num(*r, "state") == GLASS_LISTEN) return static_cast<long>(t.num(*r, "recvq"));
    return -1L;
  };
  EXPECT_TRUE(gt::wait_until([&] { return listen_recvq() == 3; })) << listen_recvq();
  const int a = accept(lst, nullptr, nullptr);
  EXPECT_EQ(listen_recvq(), 2);
  {
    gt::InNetns in(p.h2().name());
    const Table t = read_table();
    EXPECT_EQ(t.rows.size(), 4u);  // the listener, one accepted, two queued
  }
  close(a);
  for (int fd : clients) close(fd);
  close(lst);
}

TEST(ProcNetGlass, ActiveCloserShowsTimeWait) {
  gt::Pair p;
  set_sysctl(p.h1(), "time_wait_ms", 3000);
  Conn c;
  open_conn(p, 8003, c);
  const std::string local = endpoint(c.cli, false);
  close(c.cli);
  c.cli = -1;
  char b;
  EXPECT_EQ(read(c.srv, &b, 1), 0);  // EOF: the FIN arrived
  close(c.srv);
  c.srv = -1;
  auto tw_row = [&](Table* t) -> const Row* {
    *t = read_table();
    for (const Row* r : t->where("local", local)) return r;
    return nullptr;
  };
  gt::InNetns in(p.h1().name());
  Table t;
  ASSERT_TRUE(gt::wait_until([&] {
    const Row* r = tw_row(&t);
    return r && t.num(*r, "state") == GLASS_TIME_WAIT;
  })) << t.text;
  const Row* r = tw_row(&t);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(t.get(*r, "timers"), "timewait");
  EXPECT_EQ(t.num(*r, "sendq"), 0u);
  EXPECT_EQ(t.num(*r, "recvq"), 0u);
  EXPECT_EQ(t.num(*r, "inode"), 0u) << "an orphan has no inode";
  std::printf("example (h1, TIME_WAIT):\n%s", t.text.c_str());
  // And it goes when the time is up.
  EXPECT_TRUE(gt::wait_until([&] { return tw_row(&t) == nullptr; }, 8000));
}

TEST(ProcNetGlass, CountersMatchAKnownExchange) {
  gt::Pair p;
  // The exchange is loss-free, so its counts are exact only if no timer
  // resends anything: on a slow kernel (the debug one, about 10x) a tail
  // loss probe or an RTO can fire before a late ACK. No SACK means no
  // probes; a 10 s RTO (the SYN's included) outlasts any delay it meets.
  for (const gt::Netns* ns : {&p.h1(), &p.h2()}) {
    set_sysctl(*ns, "sack", 0);
    set_sysctl(*ns, "rto_min_ms", 10000);
    set_sysctl(*ns, "rto_initial_ms", 10000);
  }
  Conn c;
  open_conn(p, 8004, c);
  std::vector<char> data(12345, 'q');
  ASSERT_TRUE(gt::write_all(c.cli, data.data(), data.size()));
  std::vector<char> got(data.size());
  ASSERT_TRUE(gt::read_all(c.srv, got.data(), got.size()));
  ASSERT_TRUE(gt::write_all(c.srv, data.data(), 100));
  ASSERT_TRUE(gt::read_all(c.cli, got.data(), 100));
  // Both sides' data acknowledged: the last (delayed) ACK has been sent,
  // so no segment is still to come when the counters are read.
  ASSERT_TRUE(gt::wait_until(
      [&] { return gt::info(c.cli).gi_unacked == 0 && gt::info(c.srv).gi_unacked == 0; }));
  std::map<std::string, uint64_t> c1, c2;
  ASSERT_TRUE(gt::wait_until([&] {
    {
      gt::InNetns in(p.h1().name());
      c1 = counters();
    }
    {
      gt::InNetns in(p.h2().name());
      c2 = counters();
    }
    return c1["segments_out"] == c2["segments_in"] && c2["segments_out"] == c1["segments_in"];
  })) << "h1 out/in "
      << c1["segments_out"] << "/" << c1["segments_in"] << ", h2 out/in " << c2["segments_out"]
      << "/" << c2["segments_in"];
  EXPECT_EQ(c1["active_opens"], 1u);
  EXPECT_EQ(c1["passive_opens"], 0u);
  EXPECT_EQ(c2["passive_opens"], 1u);
  EXPECT_EQ(c1["bytes_out"], 12345u);
  EXPECT_EQ(c2["bytes_in"], 12345u);
  EXPECT_EQ(c2["bytes_out"], 100u);
  EXPECT_EQ(c1["bytes_in"], 100u);
  for (const auto* m : {&c1, &c2})
    for (const auto& [k, v] : *m)
      if (k.rfind("drop_", 0) == 0 || k == "retransmitted_segments") {
        EXPECT_EQ(v, 0u) << k;
      }
  const glass_info ci = gt::info(c.cli);
  EXPECT_EQ(c1["segments_out"], ci.gi_segs_out);
  EXPECT_EQ(c1["segments_in"], ci.gi_segs_in);
}

TEST(ProcNetGlass, NamespacesSeeOnlyTheirOwnRows) {
  gt::Pair p;
  Conn c;
  open_conn(p, 8005, c);
  {
    gt::InNetns in(p.h1().name());
    const Table t = read_table();
    ASSERT_EQ(t.rows.size(), 1u) << t.text;
    EXPECT_EQ(t.get(t.rows[0], "remote"), "10.7.0.2:8005");
  }
  {
    gt::InNetns in(p.h2().name());
    const Table t = read_table();
    ASSERT_EQ(t.rows.size(), 2u) << t.text;  // listener + accepted
    for (const auto& r : t.rows) EXPECT_EQ(t.get(r, "local"), "10.7.0.2:8005");
  }
}

bool parse_endpoint(const std::string& s) {
  const size_t colon = s.rfind(':');
  if (colon == std::string::npos) return false;
  in_addr a{};
  if (inet_pton(AF_INET, s.substr(0, colon).c_str(), &a) != 1) return false;
  const std::string port = s.substr(colon + 1);
  if (port.empty() || port.size() > 5) return false;
  for (char ch : port)
    if (ch < '0' || ch > '9') return false;
  return std::stoul(port) <= 65535;
}

TEST(ProcNetGlass, ReaderDuringChurnSeesNoTornRows) {
  gt::Pair p;
  set_sysctl(p.h1(), "time_wait_ms", 200);
  set_sysctl(p.h2(), "time_wait_ms", 200);
  int lst;
  {
    gt::InNetns in(p.h2().name());
    lst = gt::listener(gt::Pair::kAddr2, 8006, 64);
  }
  std::atomic<bool> stop{false};
  std::atomic<int> conns{0};
  std::thread acceptor([&] {
    fcntl(lst, F_SETFL, fcntl(lst, F_GETFL) | O_NONBLOCK);
    std::vector<char> buf(4096);
    while (!stop) {
      pollfd pf{lst, POLLIN, 0};
      if (poll(&pf, 1, 50) <= 0) continue;
      const int s = accept(lst, nullptr, nullptr);
      if (s < 0) continue;
      std::thread([s] {
        std::vector<char> b(4096);
        while (read(s, b.data(), b.size()) > 0) {
        }
        close(s);
      }).detach();
    }
  });
  std::vector<std::thread> churn;
  churn.reserve(4);
  for (int i = 0; i < 4; ++i) {
    churn.emplace_back([&, i] {
      gt::InNetns in(p.h1().name());
      std::vector<char> data(3000 + 1000 * i, 'c');
      while (!stop) {
        const int fd = socket(AF_GLASS, SOCK_STREAM, 0);
        sockaddr_glass a = gt::addr(gt::Pair::kAddr2, 8006);
        if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0) {
          gt::write_all(fd, data.data(), data.size());
          ++conns;
        }
        close(fd);
      }
    });
  }
  uint64_t reads = 0, rows = 0;
  std::vector<std::string> bad;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(6);
  while (std::chrono::steady_clock::now() < until) {
    for (const auto* ns : {&p.h1(), &p.h2()}) {
      gt::InNetns in(ns->name());
      const Table t = read_table();
      ++reads;
      if (t.header.empty() || t.header[0] != "local") bad.push_back("header: " + t.text);
      for (const auto& r : t.rows) {
        ++rows;
        if (r.size() != t.header.size()) {
          bad.push_back("field count " + std::to_string(r.size()));
          continue;
        }
        if (!parse_endpoint(t.get(r, "local")) || !parse_endpoint(t.get(r, "remote")))
          bad.push_back("address: " + t.get(r, "local") + " " + t.get(r, "remote"));
        const uint64_t st = t.num(r, "state");
        if (st < 1 || st > 11) bad.push_back("state " + std::to_string(st));
        for (const char* col : {"sendq", "unsent", "recvq", "rmem", "wmem", "rcvbuf", "sndbuf"})
          for (char ch : t.get(r, col))
            if (ch < '0' || ch > '9') bad.push_back(std::string(col) + " " + t.get(r, col));
      }
    }
  }
  stop = true;
  for (auto& t : churn) t.join();
  acceptor.join();
  close(lst);
  std::printf("churn: %llu reads, %llu rows, %d connections\n", (unsigned long long)reads,
              (unsigned long long)rows, conns.load());
  EXPECT_GT(conns.load(), 10);
  EXPECT_GT(rows, 0u);
  for (size_t i = 0; i < bad.size() && i < 10; ++i) ADD_FAILURE() << bad[i];
  EXPECT_TRUE(bad.empty()) << bad.size() << " bad rows";
}

}  // namespace
