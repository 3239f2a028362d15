// --netem: one impairment, four devices.
#include "netem.hpp"

#include <sstream>

namespace glass::cli {

std::vector<std::string> netem_words(const std::string& args) {
  std::istringstream in(args);
  std::vector<std::string> words;
  std::string w;
  while (in >> w) words.push_back(w);
  return words;
}

CLI::Validator netem_validator() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        const auto words = netem_words(s);
        if (words.empty()) return "empty netem arguments";
        for (const auto& w : words)
          for (const char c : w)
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '%' && c != '_' &&
                c != '-')
              return "netem argument '" + w + "' has a character tc does not take";
        return {};
      },
      "ARGS");
}

void apply_netem(const Testbed& tb, const std::string& args) {
  const auto words = netem_words(args);
  tb.netem(tb.a(), Testbed::kDevA, words);
  tb.netem(tb.b(), Testbed::kDevB, words);
  tb.netem(tb.a(), "va", words);
  tb.netem(tb.b(), "vb", words);
}

}  // namespace glass::cli
