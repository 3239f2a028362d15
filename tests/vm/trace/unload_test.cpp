// The tracer detaches on exit: while it runs the module cannot be removed,
// once it is gone `rmmod glass` works. With the module out, `glass trace`
// says so. The module is loaded again at once for the suites that follow.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <string>

#include "trace_util.hpp"

namespace {

// Module references: sockets (and attached tracepoint programs) hold one.
int refcnt() {
  std::ifstream f("/sys/module/glass/refcnt");
  int n = -1;
  f >> n;
  return n;
}

bool loaded() {
  struct stat st {};
  return stat("/sys/module/glass", &st) == 0;
}

}  // namespace

TEST(TraceUnload, DetachOnExitLetsRmmodWorkAndAMissingModuleIsReported) {
  // Sockets of earlier tests (TIME_WAIT, namespaces being torn down) may
  // still hold the module for a moment.
  if (!gt::wait_until([] { return refcnt() == 0 && tr::proc_lines("") <= 1; }, 10000)) {
    // Say what holds the module, so a skip can be traced to its suite.
    std::string held;
    for (const auto& [name, value] : gt::counters_file("/proc/net/glass_sockstat"))
      if (name == "sockets_allocated" || name == "orphans" || name == "namespaces")
        held += " " + name + " " + std::to_string(value);
    GTEST_SKIP() << "glass sockets still exist (refcnt " << refcnt() << ";" << held
                 << "); not unloading";
  }

  {
    tr::Glass trace({"trace", "events", "--json"});
    ASSERT_TRUE(trace.attached()) << trace.err();
    EXPECT_GT(refcnt(), 0) << "attached programs should pin the module";
    EXPECT_NE(gt::sh("rmmod glass 2>/dev/null"), 0) << "rmmod succeeded while attached";
    ASSERT_TRUE(loaded());
    ASSERT_EQ(trace.stop(), 0) << trace.err();
  }
  ASSERT_EQ(refcnt(), 0);
  ASSERT_EQ(gt::sh("rmmod glass"), 0) << "rmmod failed after the tracer exited";
  ASSERT_FALSE(loaded());

  std::string msg;
  const int rc = tr::run_glass({"trace", "states", "-d", "1"}, &msg);
  const int back = gt::sh("insmod /glass/glass.ko");
  EXPECT_EQ(rc, 1) << msg;
  EXPECT_NE(msg.find("glass module not loaded"), std::string::npos) << msg;
  ASSERT_EQ(back, 0) << "insmod /glass/glass.ko failed: later suites need the module";
  ASSERT_TRUE(loaded());
}
