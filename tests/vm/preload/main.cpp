// vmtest_preload's main: the tests are a program run under `glass run`, so
// the binary starts itself again that way (unless libglass_preload.so is
// already in LD_PRELOAD); `--probe ...` runs one probe (preload_util.hpp).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "preload_util.hpp"

int main(int argc, char** argv) {
  if (argc >= 3 && std::strcmp(argv[1], "--probe") == 0) return pt::probe(argc - 2, argv + 2);
  const char* preload = std::getenv("LD_PRELOAD");
  if (preload == nullptr || std::strstr(preload, "libglass_preload.so") == nullptr) {
    char self[4096] = {};
    if (readlink("/proc/self/exe", self, sizeof(self) - 1) <= 0) return 1;
    std::vector<std::string> args = {"glass", "run", "--", self};
    args.insert(args.end(), argv + 1, argv + argc);
    std::vector<char*> av;
    av.reserve(args.size() + 1);
    for (auto& a : args) av.push_back(a.data());
    av.push_back(nullptr);
    execvp("glass", av.data());
    std::perror("vmtest_preload: exec glass run");
    return 1;
  }
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
