// The first guest test: a loopback glass device carries bytes both ways.
#include <gtest/gtest.h>
#include <unistd.h>

#include <thread>
#include <vector>

#include "support.hpp"

TEST(Smoke, LoopbackEchoIsByteExact) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  int l = gt::listener(gt::Loopback::kAddr, 7000);
  std::vector<char> sent(1 << 20);
  for (size_t i = 0; i < sent.size(); i++) sent[i] = static_cast<char>(i * 131 + 7);
  std::thread server([&] {
    int c = accept(l, nullptr, nullptr);
    ASSERT_GE(c, 0);
    std::vector<char> got(sent.size());
    EXPECT_TRUE(gt::read_all(c, got.data(), got.size()));
    EXPECT_EQ(got, sent);
    EXPECT_TRUE(gt::write_all(c, "ok", 2));
    close(c);
  });
  int s = gt::connect_to(gt::Loopback::kAddr, 7000);
  ASSERT_TRUE(gt::write_all(s, sent.data(), sent.size()));
  char reply[2];
  ASSERT_TRUE(gt::read_all(s, reply, 2));
  EXPECT_EQ(std::string(reply, 2), "ok");
  EXPECT_EQ(read(s, reply, 1), 0);
  server.join();
  EXPECT_EQ(gt::info(s).gi_bytes_acked, sent.size() + 0u);
  close(s);
  close(l);
}

TEST(Smoke, PairAcrossNamespacesCarriesBytes) {
  gt::Pair pair;
  int l;
  {
    gt::InNetns in(pair.h2().name());
    l = gt::listener(gt::Pair::kAddr2, 7001);
  }
  std::thread server([&] {
    int c = accept(l, nullptr, nullptr);
    ASSERT_GE(c, 0);
    char buf[5];
    EXPECT_TRUE(gt::read_all(c, buf, 5));
    EXPECT_TRUE(gt::write_all(c, buf, 5));
    close(c);
  });
  int s;
  {
    gt::InNetns in(pair.h1().name());
    s = gt::connect_to(gt::Pair::kAddr2, 7001);
  }
  ASSERT_TRUE(gt::write_all(s, "hello", 5));
  char back[5];
  ASSERT_TRUE(gt::read_all(s, back, 5));
  EXPECT_EQ(std::string(back, 5), "hello");
  server.join();
  close(s);
  close(l);
}
