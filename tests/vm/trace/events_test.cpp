// `glass trace events`: a known exchange between two hosts shows up as the
// exact sequence of segments and state changes, in order, with sequence
// numbers relative to each side's ISN.
#include <gtest/gtest.h>
#include <linux/glass.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <string>
#include <vector>

#include "trace_util.hpp"

namespace {

constexpr uint16_t kPort = 7301;

// "S seq=0 len=0", "P. seq=1 ack=1 len=5": a segment relative to the ISNs.
std::string segment(const tr::Json& e, uint32_t own_isn, uint32_t peer_isn) {
  const std::string flags = tr::str(e, "flags");
  std::string s = flags + " seq=" + std::to_string(uint32_t(tr::num(e, "seq") - own_isn));
  if (flags.find('.') != std::string::npos)
    s += " ack=" + std::to_string(uint32_t(tr::num(e, "ack") - peer_isn));
  return s + " len=" + tr::str(e, "len");
}

bool from(const tr::Json& e, const char* addr, uint16_t port) {
  return tr::str(e, "saddr") == addr && tr::num(e, "sport") == port;
}

std::string dump(const std::vector<tr::Json>& events) {
  std::string s;
  for (const tr::Json& e : events) {
    for (const auto& [k, v] : e) s.append(k).append("=").append(v).append(" ");
    s += "\n";
  }
  return s;
}

size_t index_of(const std::vector<tr::Json>& ev, const std::string& event, const char* saddr,
                const std::string& what) {
  for (size_t i = 0; i < ev.size(); ++i) {
    if (tr::str(ev[i], "event") != event || tr::str(ev[i], "saddr") != saddr) continue;
    if (what.empty() || tr::str(ev[i], "flags") == what ||
        tr::str(ev[i], "oldstate") + ">" + tr::str(ev[i], "newstate") == what)
      return i;
  }
  ADD_FAILURE() << "no " << event << " " << what << " from " << saddr;
  return ev.size();
}

}  // namespace

TEST(TraceEvents, HandshakeDataAndFinAreTracedInOrder) {
  tr::Conn c(kPort);
  tr::Glass trace({"trace", "events", "--json", "--port", std::to_string(kPort), "-d", "60"});
  ASSERT_TRUE(trace.attached()) << trace.err();

  c.open();
  ASSERT_GE(c.server, 0);
  ASSERT_TRUE(tr::wait_state(c.client, GLASS_ESTABLISHED));
  ASSERT_TRUE(tr::wait_state(c.server, GLASS_ESTABLISHED));
  const uint32_t isn_c = gt::info(c.client).gi_iss, isn_s = gt::info(c.server).gi_iss;

  char buf[16];
  ASSERT_TRUE(gt::write_all(c.client, "hello", 5));
  ASSERT_TRUE(gt::read_all(c.server, buf, 5));
  ASSERT_TRUE(tr::wait_acked(c.client));
  ASSERT_TRUE(gt::write_all(c.server, "world!", 6));
  ASSERT_TRUE(gt::read_all(c.client, buf, 6));
  ASSERT_TRUE(tr::wait_acked(c.server));
  ASSERT_EQ(shutdown(c.client, SHUT_WR), 0);
  ASSERT_EQ(read(c.server, buf, sizeof(buf)), 0);
  ASSERT_TRUE(tr::wait_state(c.client, GLASS_FIN_WAIT2));
  close(c.server);
  c.server = -1;
  ASSERT_TRUE(tr::wait_state(c.client, GLASS_TIME_WAIT));
  ASSERT_TRUE(c.close_all());
  ASSERT_EQ(trace.stop(), 0) << trace.err();

  std::vector<tr::Json> ev = trace.records();
  ASSERT_FALSE(ev.empty());
  const tr::Json summary = ev.back();
  ev.pop_back();
  EXPECT_EQ(tr::num(summary, "lost"), 0u);
  EXPECT_EQ(tr::num(summary, "records"), ev.size());
  SCOPED_TRACE(dump(ev));

  const char* ca = gt::Pair::kAddr1;
  const char* sa = gt::Pair::kAddr2;
  std::vector<std::string> sent_c, sent_s, recv_c, recv_s, states_c, states_s, states_l;
  for (const tr::Json& e : ev) {
    const std::string type = tr::str(e, "event");
    EXPECT_NE(type, "drop");
    EXPECT_NE(type, "retransmit");
    const bool client_side = from(e, ca, c.client_port);
    if (type == "segment_send") {
      (client_side ? sent_c : sent_s)
          .push_back(client_side ? segment(e, isn_c, isn_s) : segment(e, isn_s, isn_c));
    } else if (type == "segment_recv") {
      // A received segment carries the sender's addresses.
      (client_side ? recv_s : recv_c)
          .push_back(client_side ? segment(e, isn_c, isn_s) : segment(e, isn_s, isn_c));
    } else if (type == "state_change") {
      const std::string t = tr::str(e, "oldstate") + ">" + tr::str(e, "newstate");
      if (client_side)
        states_c.push_back(t);
      else if (tr::num(e, "dport") == 0)
        states_l.push_back(t);
      else
        states_s.push_back(t);
    }
  }

  EXPECT_EQ(sent_c, (std::vector<std::string>{
                        "S seq=0 len=0",         // SYN
                        ". seq=1 ack=1 len=0",   // handshake ACK
                        ". seq=1 ack=1 len=5",   // "hello" (glass sets no PSH)
                        ". seq=6 ack=7 len=0",   // ACK of "world!"
                        "F. seq=6 ack=7 len=0",  // FIN (shutdown)
                        ". seq=7 ack=8 len=0",   // ACK of the server's FIN
                    }));
  EXPECT_EQ(sent_s, (std::vector<std::string>{
                        "S. seq=0 ack=1 len=0",  // SYN-ACK
                        ". seq=1 ack=6 len=0",   // ACK of "hello"
                        ". seq=1 ack=6 len=6",   // "world!"
                        ". seq=7 ack=7 len=0",   // ACK of the FIN
                        "F. seq=7 ack=7 len=0",  // FIN (close)
                    }));
  // Nothing was lost: each side received exactly what the other sent.
  EXPECT_EQ(recv_s, sent_c);
  EXPECT_EQ(recv_c, sent_s);
  EXPECT_EQ(states_c, (std::vector<std::string>{"CLOSE>SYN_SENT", "SYN_SENT>ESTABLISHED",
                                                "ESTABLISHED>FIN_WAIT1", "FIN_WAIT1>FIN_WAIT2",
                                                "FIN_WAIT2>TIME_WAIT", "TIME_WAIT>CLOSE"}));
  EXPECT_EQ(states_s, (std::vector<std::string>{"CLOSE>SYN_RECV", "SYN_RECV>ESTABLISHED",
                                                "ESTABLISHED>CLOSE_WAIT", "CLOSE_WAIT>LAST_ACK",
                                                "LAST_ACK>CLOSE"}));
  EXPECT_EQ(states_l, (std::vector<std::string>{"CLOSE>LISTEN", "LISTEN>CLOSE"}));

  // Causality across the hosts: the SYN leaves the client before the server
  // sees it, the child is born before its SYN-ACK, the client is
  // established only after the SYN-ACK arrives.
  const size_t syn_out = index_of(ev, "segment_send", ca, "S");
  const size_t syn_in = index_of(ev, "segment_recv", ca, "S");
  const size_t child = index_of(ev, "state_change", sa, "CLOSE>SYN_RECV");
  const size_t synack_out = index_of(ev, "segment_send", sa, "S.");
  const size_t synack_in = index_of(ev, "segment_recv", sa, "S.");
  const size_t estab_c = index_of(ev, "state_change", ca, "SYN_SENT>ESTABLISHED");
  EXPECT_LT(index_of(ev, "state_change", ca, "CLOSE>SYN_SENT"), syn_out);
  EXPECT_LT(syn_out, syn_in);
  EXPECT_LT(syn_in, child);
  EXPECT_LT(child, synack_out);
  EXPECT_LT(synack_out, synack_in);
  EXPECT_LT(synack_in, estab_c);

  // Both sockets of the connection report their lifetime totals.
  int destroyed = 0;
  for (const tr::Json& e : ev) {
    if (tr::str(e, "event") != "destroy_sock" || tr::num(e, "dport") == 0) continue;
    ++destroyed;
    const bool client_side = from(e, ca, c.client_port);
    EXPECT_EQ(tr::num(e, "bytes_received"), client_side ? 6u : 5u);
    EXPECT_EQ(tr::num(e, "bytes_sent"), client_side ? 5u : 6u);
    // Payload only: the acknowledged FIN is not a byte.
    EXPECT_EQ(tr::num(e, "bytes_acked"), client_side ? 5u : 6u);
    EXPECT_EQ(tr::num(e, "retransmits"), 0u);
  }
  EXPECT_EQ(destroyed, 2);
}

TEST(TraceEvents, EventAndAddressFiltersSelectWhatIsAttachedAndShown) {
  constexpr uint16_t kFilteredPort = 7302;
  tr::Conn c(kFilteredPort);
  tr::Glass trace({"trace", "events", "--json", "--event", "state_change,destroy_sock", "--addr",
                   gt::Pair::kAddr1, "--port", std::to_string(kFilteredPort)});
  ASSERT_TRUE(trace.attached()) << trace.err();
  EXPECT_NE(trace.err().find("(2 programs attached)"), std::string::npos) << trace.err();
  c.open();
  ASSERT_GE(c.server, 0);
  ASSERT_TRUE(c.close_all());
  ASSERT_EQ(trace.stop(), 0) << trace.err();

  std::vector<tr::Json> ev = trace.records();
  ASSERT_FALSE(ev.empty());
  ev.pop_back();  // the summary
  SCOPED_TRACE(dump(ev));
  int destroyed = 0;
  std::map<std::string, std::vector<std::string>> states;  // by cookie
  for (const tr::Json& e : ev) {
    const std::string type = tr::str(e, "event");
    EXPECT_TRUE(type == "state_change" || type == "destroy_sock") << type;
    // The listener (10.7.0.2, no peer) does not match --addr 10.7.0.1.
    EXPECT_TRUE(tr::str(e, "saddr") == gt::Pair::kAddr1 || tr::str(e, "daddr") == gt::Pair::kAddr1);
    if (type == "destroy_sock") ++destroyed;
    if (type == "state_change") states[tr::str(e, "cookie")].push_back(tr::str(e, "newstate"));
  }
  EXPECT_EQ(destroyed, 2);
  // Client and server child, each from birth to CLOSE (the closing path
  // depends on timing: both sides close at once).
  ASSERT_EQ(states.size(), 2u);
  for (const auto& [cookie, seq] : states) {
    ASSERT_GE(seq.size(), 4u);
    EXPECT_TRUE(seq[0] == "SYN_SENT" || seq[0] == "SYN_RECV") << seq[0];
    EXPECT_EQ(seq[1], "ESTABLISHED");
    EXPECT_EQ(seq.back(), "CLOSE");
  }
}

namespace {

// SO_COOKIE's cookie of a socket, 0 on error.
uint64_t so_cookie(int fd) {
  uint64_t cookie = 0;
  socklen_t len = sizeof(cookie);
  return getsockopt(fd, SOL_SOCKET, SO_COOKIE, &cookie, &len) == 0 ? cookie : 0;
}

}  // namespace

// The id in every event is the socket cookie a program reads with
// SO_COOKIE (and BPF with bpf_get_socket_cookie()), so a program's own
// socket can be picked out of a trace.
TEST(TraceEvents, CookieIsTheSocketsSoCookie) {
  tr::Conn c(kPort + 1);
  tr::Glass trace({"trace", "events", "--json", "--port", std::to_string(kPort + 1), "-d", "60"});
  ASSERT_TRUE(trace.attached()) << trace.err();
  c.open();
  ASSERT_GE(c.server, 0);
  ASSERT_TRUE(tr::wait_state(c.client, GLASS_ESTABLISHED));
  const uint64_t cc = so_cookie(c.client), cs = so_cookie(c.server);
  ASSERT_NE(cc, 0u);
  ASSERT_NE(cs, 0u);
  ASSERT_NE(cc, cs);
  char buf[4];
  ASSERT_TRUE(gt::write_all(c.client, "ping", 4));
  ASSERT_TRUE(gt::read_all(c.server, buf, 4));
  ASSERT_TRUE(gt::write_all(c.server, "pong", 4));
  ASSERT_TRUE(gt::read_all(c.client, buf, 4));
  ASSERT_TRUE(tr::wait_acked(c.client));
  ASSERT_TRUE(tr::wait_acked(c.server));
  ASSERT_EQ(trace.stop(), 0) << trace.err();
  ASSERT_TRUE(c.close_all());

  std::vector<tr::Json> ev = trace.records();
  ASSERT_FALSE(ev.empty());
  ev.pop_back();  // the summary
  SCOPED_TRACE(dump(ev));
  int client_data = 0, server_data = 0;
  for (const tr::Json& e : ev) {
    if (tr::str(e, "event") != "segment_send" || tr::num(e, "len") == 0) continue;
    const bool client_side = from(e, gt::Pair::kAddr1, c.client_port);
    EXPECT_EQ(tr::num(e, "cookie"), client_side ? cc : cs);
    ++(client_side ? client_data : server_data);
  }
  EXPECT_EQ(client_data, 1);
  EXPECT_EQ(server_data, 1);
}
