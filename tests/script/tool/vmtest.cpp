// vmtest_script: every embedded tests/script/*.gs as one GoogleTest test
// (Script.<name>), so `make test` counts each script. Each runs in a forked
// child with its own network namespaces; its event log is printed.
#include <gtest/gtest.h>

#include <iostream>
#include <string>

#include "embedded.hpp"
#include "script.hpp"

namespace {

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
    std::string out;
    bool ok = glass::script::run_isolated(s_->name, s_->text, opt, 150, &out);
    std::cout << out << std::flush;
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
