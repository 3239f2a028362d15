// vmtest_script: every embedded tests/script/*.gs as one GoogleTest test
// (Script.<name>), so `make test` counts each script. Each runs in a forked
// child with its own network namespaces; its event log is printed.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "embedded.hpp"
#include "script.hpp"

namespace {

// The debug kernel (vm/run --debug, glass_debug=1) runs glass about ten
// times slower: a handshake's RTT sample alone can raise the RTO above
// rto_min, which several scripts take as their starting point. There a
// script that fails gets two more runs (each in fresh namespaces); a script
// that fails on the protocol fails all three. The stock kernel runs once.
int attempts() {
  std::ifstream f("/proc/cmdline");
  const std::string cmdline((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  return cmdline.find("glass_debug=1") != std::string::npos ? 3 : 1;
}

class ScriptTest : public testing::Test {
 public:
  explicit ScriptTest(const glass::script::EmbeddedScript* s) : s_(s) {}
  void TestBody() override {
    glass::script::Options opt;
    opt.verbose = true;
    // Under TCG on a shared host the kernel's own path (softirq, timers)
    // adds up to ~70 ms now and then: 100 ms + 25 % keeps the suite
    // steady. Scripts that set --tolerance_usecs still win.
    opt.tolerance_usecs = 100000;
    bool ok = false;
    const int tries = attempts();
    for (int i = 1; i <= tries && !ok; i++) {
      std::string out;
      ok = glass::script::run_isolated(s_->name, s_->text, opt, 150, &out);
      std::cout << out << std::flush;
      if (!ok && i < tries) std::cout << "(debug kernel: attempt " << i << " failed, again)\n";
    }
    EXPECT_TRUE(ok) << "script " << s_->name << " failed; its log is above";
  }

 private:
  const glass::script::EmbeddedScript* s_;
};

}  // namespace

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  for (size_t i = 0; i < glass::script::kEmbeddedCount; i++) {
    const auto* s = &glass::script::kEmbedded[i];
    std::string name = s->name;
    for (auto& c : name)
      if (c == '-') c = '_';
    testing::RegisterTest("Script", name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                          [s]() -> testing::Test* { return new ScriptTest(s); });
  }
  return RUN_ALL_TESTS();
}
