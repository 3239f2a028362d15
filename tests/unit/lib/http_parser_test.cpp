// glass lab http's incremental HTTP/1.1 parser (userspace/cli/lab/http_parser.hpp):
// what it reports as bytes arrive in pieces, as the server's read() calls
// hand them over.
#include <gtest/gtest.h>

#include <algorithm>

#include <string>
#include <vector>

#include "lab/http_parser.hpp"

namespace {

using glass::cli::lab::HttpParser;

const std::string kRequest =
    "POST /journey HTTP/1.1\r\nHost: 10.7.0.2:7480\r\nContent-Length: 5\r\n\r\nhello";

TEST(HttpParser, WholeRequestInOneRead) {
  HttpParser p;
  const std::vector<std::string> want{
      "request line", "header Host", "header Content-Length", "headers complete (66 B)",
      "body 5/5 B",   "complete"};
  EXPECT_EQ(p.feed(kRequest), want);
  EXPECT_TRUE(p.complete());
  EXPECT_EQ(p.first_line(), "POST /journey HTTP/1.1");
  ASSERT_EQ(p.headers().size(), 2u);
  EXPECT_EQ(p.headers()[0].first, "Host");
  EXPECT_EQ(p.headers()[0].second, "10.7.0.2:7480");
  EXPECT_EQ(p.body(), "hello");
  EXPECT_EQ(p.head_bytes(), 66u);
}

TEST(HttpParser, ByteByByteGivesTheSameResult) {
  HttpParser p;
  std::vector<std::string> all;
  for (const char c : kRequest)
    for (const std::string& e : p.feed(std::string(1, c))) all.push_back(e);
  EXPECT_TRUE(p.complete());
  EXPECT_EQ(p.body(), "hello");
  EXPECT_EQ(all.front(), "request line");
  EXPECT_EQ(all.back(), "complete");
  EXPECT_EQ(std::count(all.begin(), all.end(), "body 5/5 B"), 1);
  EXPECT_EQ(all[all.size() - 3], "body 4/5 B");
}

TEST(HttpParser, PartialLineReportsNothingYet) {
  HttpParser p;
  EXPECT_TRUE(p.feed("POST /jour").empty());
  EXPECT_FALSE(p.complete());
  EXPECT_EQ(p.feed("ney HTTP/1.1\r\n"), std::vector<std::string>{"request line"});
}

TEST(HttpParser, ResponseWithoutBody) {
  HttpParser p;
  const std::vector<std::string> want{"status line", "headers complete (19 B)", "complete"};
  EXPECT_EQ(p.feed("HTTP/1.1 204 OK\r\n\r\n"), want);
  EXPECT_TRUE(p.complete());
}

TEST(HttpParser, MalformedHeaderAndBadLengthFail) {
  HttpParser a;
  a.feed("GET / HTTP/1.1\r\nno colon here\r\n");
  EXPECT_TRUE(a.failed());
  HttpParser b;
  b.feed("GET / HTTP/1.1\r\nContent-Length: 12x\r\n");
  EXPECT_TRUE(b.failed());
  EXPECT_FALSE(b.complete());
}

}  // namespace
