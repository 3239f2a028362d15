// glass run: TCP options mapped to glass options, and TCP_INFO from
// GLASS_INFO.
#include "options.hpp"

#include <gtest/gtest.h>
#include <linux/tcp.h>

#include <cstring>

namespace gp = glass::preload;

TEST(OptionMap, NodelayCorkMaxsegMapToGlass) {
  EXPECT_EQ(gp::glass_option_for_tcp(TCP_NODELAY), GLASS_NODELAY);
  EXPECT_EQ(gp::glass_option_for_tcp(TCP_CORK), GLASS_CORK);
  EXPECT_EQ(gp::glass_option_for_tcp(TCP_MAXSEG), GLASS_MAXSEG);
}

TEST(OptionMap, OthersHaveNoGlassOption) {
  for (int o : {TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT, TCP_QUICKACK, TCP_CONGESTION,
                TCP_USER_TIMEOUT, TCP_FASTOPEN, TCP_DEFER_ACCEPT, TCP_INFO})
    EXPECT_FALSE(gp::glass_option_for_tcp(o).has_value()) << o;
}

TEST(OptionName, KnownAndUnknown) {
  char buf[64];
  EXPECT_STREQ(gp::option_name(IPPROTO_TCP, TCP_KEEPIDLE, buf, sizeof(buf)), "TCP_KEEPIDLE");
  EXPECT_STREQ(gp::option_name(IPPROTO_IP, IP_TOS, buf, sizeof(buf)), "IP_TOS");
  EXPECT_STREQ(gp::option_name(IPPROTO_IPV6, IPV6_V6ONLY, buf, sizeof(buf)), "IPV6_V6ONLY");
  EXPECT_STREQ(gp::option_name(IPPROTO_TCP, 99, buf, sizeof(buf)), "level 6 option 99");
}

namespace {

glass_info sample() {
  glass_info gi{};
  gi.gi_len = sizeof(gi);
  gi.gi_state = GLASS_ESTABLISHED;
  gi.gi_mss = 1000;
  gi.gi_peer_mss = 1400;
  gi.gi_unacked = 2500;
  gi.gi_unsent = 700;
  gi.gi_cwnd = 10000;
  gi.gi_ssthresh = 40000;
  gi.gi_srtt_us = 1234;
  gi.gi_rttvar_us = 56;
  gi.gi_rto_us = 200000;
  gi.gi_backoff = 2;
  gi.gi_probes = 3;
  gi.gi_retransmits = 4;
  gi.gi_snd_wnd = 65536;
  gi.gi_rcv_wnd = 32768;
  gi.gi_rcv_space = 60000;
  gi.gi_segs_out = 100;
  gi.gi_segs_in = 90;
  gi.gi_data_segs_out = 80;
  gi.gi_data_segs_in = 70;
  gi.gi_bytes_sent = 123456;
  gi.gi_bytes_acked = 120000;
  gi.gi_bytes_received = 5555;
  return gi;
}

}  // namespace

TEST(TcpInfo, FieldsFromGlassInfo) {
  tcp_info ti{};
  EXPECT_EQ(gp::tcp_info_from_glass(sample(), &ti, sizeof(ti)), sizeof(ti));
  EXPECT_EQ(ti.tcpi_state, 1);  // TCP_ESTABLISHED: the same numbering
  EXPECT_EQ(ti.tcpi_snd_mss, 1000U);
  EXPECT_EQ(ti.tcpi_rcv_mss, 1400U);
  EXPECT_EQ(ti.tcpi_unacked, 3U);  // packets: 2500 bytes at 1000 a segment
  EXPECT_EQ(ti.tcpi_snd_cwnd, 10U);
  EXPECT_EQ(ti.tcpi_snd_ssthresh, 40U);
  EXPECT_EQ(ti.tcpi_rtt, 1234U);
  EXPECT_EQ(ti.tcpi_rttvar, 56U);
  EXPECT_EQ(ti.tcpi_rto, 200000U);
  EXPECT_EQ(ti.tcpi_backoff, 2);
  EXPECT_EQ(ti.tcpi_probes, 3);
  EXPECT_EQ(ti.tcpi_total_retrans, 4U);
  EXPECT_EQ(ti.tcpi_snd_wnd, 65536U);
  EXPECT_EQ(ti.tcpi_rcv_space, 60000U);
  EXPECT_EQ(ti.tcpi_notsent_bytes, 700U);
  EXPECT_EQ(ti.tcpi_segs_out, 100U);
  EXPECT_EQ(ti.tcpi_segs_in, 90U);
  EXPECT_EQ(ti.tcpi_data_segs_out, 80U);
  EXPECT_EQ(ti.tcpi_data_segs_in, 70U);
  EXPECT_EQ(ti.tcpi_bytes_sent, 123456U);
  EXPECT_EQ(ti.tcpi_bytes_acked, 120000U);
  EXPECT_EQ(ti.tcpi_bytes_received, 5555U);
  EXPECT_EQ(ti.tcpi_options, 0);  // no SACK, timestamps or window scaling
}

TEST(TcpInfo, SsthreshNotSetIsTcpsInfinity) {
  glass_info gi = sample();
  gi.gi_ssthresh = 0xffffffffU;
  tcp_info ti{};
  gp::tcp_info_from_glass(gi, &ti, sizeof(ti));
  EXPECT_EQ(ti.tcpi_snd_ssthresh, 0x7fffffffU);
}

TEST(TcpInfo, ShortBufferGetsThePrefix) {
  unsigned char buf[sizeof(tcp_info) + 8];
  std::memset(buf, 0xAA, sizeof(buf));
  constexpr std::size_t kOld = offsetof(tcp_info, tcpi_pacing_rate);  // glibc's struct
  EXPECT_EQ(gp::tcp_info_from_glass(sample(), buf, kOld), kOld);
  EXPECT_EQ(buf[kOld], 0xAA);
  tcp_info ti{};
  std::memcpy(&ti, buf, kOld);
  EXPECT_EQ(ti.tcpi_snd_mss, 1000U);
  EXPECT_EQ(gp::tcp_info_from_glass(sample(), buf, sizeof(buf)), sizeof(tcp_info));
}

TEST(TcpInfo, ZeroMssDoesNotDivideByZero) {
  glass_info gi = sample();
  gi.gi_mss = 0;
  tcp_info ti{};
  gp::tcp_info_from_glass(gi, &ti, sizeof(ti));
  EXPECT_EQ(ti.tcpi_unacked, 0U);
  EXPECT_EQ(ti.tcpi_snd_cwnd, 0U);
}
