// Helpers for the unit_lib tests.
#pragma once

#include <glass/fd.hpp>

#include <string>

namespace glass::test {

inline std::string data_path(const std::string& name) {
  return std::string(GLASS_TEST_DATA) + "/" + name;
}

inline std::string data(const std::string& name) {
  return read_file(data_path(name));
}

}  // namespace glass::test
