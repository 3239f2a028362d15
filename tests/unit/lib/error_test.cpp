// Error messages (error.cpp) and the errors of calls that fail on any host.
#include <gtest/gtest.h>
#include <glass/error.hpp>
#include <glass/fd.hpp>
#include <glass/procfs.hpp>
#include <glass/socket.hpp>

#include <fcntl.h>

#include <cerrno>

namespace glass {
namespace {

TEST(Error, NamesCallAndErrno) {
  const Error e("connect(10.7.0.2:7000)", ECONNREFUSED);
  EXPECT_STREQ(e.what(), "connect(10.7.0.2:7000): Connection refused");
  EXPECT_EQ(e.code(), ECONNREFUSED);
  EXPECT_EQ(e.call(), "connect(10.7.0.2:7000)");
}

TEST(Error, DetailReplacesStrerror) {
  const Error e("socket(AF_GLASS)", EAFNOSUPPORT, std::string(kModuleNotLoaded));
  EXPECT_STREQ(e.what(),
               "socket(AF_GLASS): glass module not loaded (glass runs in the guest: make shell, or "
               "vm/run -- glass ...)");
}

// The hints for a missing module point to the guest, never to loading the
// module on the host (the project never loads it there).
TEST(Error, ModuleHintsPointToTheGuest) {
  EXPECT_EQ(kRunInGuest, "glass runs in the guest: make shell, or vm/run -- glass ...");
  for (const std::string_view hint : {kModuleNotLoaded, kProcMissingHint}) {
    EXPECT_NE(hint.find(kRunInGuest), std::string_view::npos) << hint;
    EXPECT_EQ(hint.find("modprobe"), std::string_view::npos) << hint;
    EXPECT_EQ(hint.find("insmod"), std::string_view::npos) << hint;
  }
}

TEST(Error, HintIsAppended) {
  const Error e("link add ga", EPERM, {}, std::string(privilege_hint(EPERM)));
  EXPECT_STREQ(e.what(), "link add ga: Operation not permitted: needs CAP_NET_ADMIN (run as root)");
  EXPECT_EQ(privilege_hint(EACCES), kNeedsNetAdmin);
  EXPECT_TRUE(privilege_hint(ENOENT).empty());
}

TEST(Error, ParseErrorWithLine) {
  const ParseError e("/proc/net/glass", 3, "truncated row");
  EXPECT_STREQ(e.what(), "/proc/net/glass:3: truncated row");
  EXPECT_EQ(e.line(), 3u);
}

TEST(Error, MissingProcFileHasHint) {
  try {
    Table::read("/nonexistent/proc/net/glass");
    FAIL() << "no exception";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ENOENT);
    EXPECT_STREQ(e.what(),
                 "open(/nonexistent/proc/net/glass): No such file or directory: is the glass "
                 "module loaded? (glass runs in the guest: make shell, or vm/run -- glass ...)");
  }
}

// On the host (no glass module) socket(AF_GLASS) fails with EAFNOSUPPORT; if
// the module happens to be loaded the test has nothing to check.
TEST(Error, SocketWithoutModule) {
  try {
    Socket s = Socket::create();
    GTEST_SKIP() << "AF_GLASS is available here";
  } catch (const Error& e) {
    if (e.code() != EAFNOSUPPORT) GTEST_SKIP() << e.what();
    EXPECT_STREQ(
        e.what(),
        "socket(AF_GLASS): glass module not loaded (glass runs in the guest: make shell, or "
        "vm/run -- glass ...)");
  }
}

TEST(Fd, ClosesAndMoves) {
  Fd a = Fd::open("/dev/null", O_RDONLY);
  const int raw = a.get();
  ASSERT_GE(raw, 0);
  Fd b(std::move(a));
  EXPECT_FALSE(a.valid());  // NOLINT(bugprone-use-after-move): moved-from state is specified
  EXPECT_EQ(b.get(), raw);
  b.reset();
  EXPECT_EQ(::fcntl(raw, F_GETFD), -1);
  EXPECT_THROW(Fd::open("/nonexistent", O_RDONLY), Error);
}

}  // namespace
}  // namespace glass
