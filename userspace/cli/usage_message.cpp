// One-line usage errors: CLI11's own format spans two lines, and scripts
// (and the tests) expect exactly one line on stderr.
#include "usage_message.hpp"

namespace glass::cli {

std::string one_line(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '\n') {
      if (!out.empty() && out.back() != ' ') out += "; ";
    } else {
      out += c;
    }
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == ';')) out.pop_back();
  return out;
}

namespace {

// what without a leading "SUB: " or "SUB SUB2: " that repeats the path
// (ValidationError("link add", ...) reads "link add: ...").
std::string drop_repeated_path(const std::vector<std::string>& words, const std::string& what) {
  std::string prefix;
  for (std::size_t i = words.size(); i-- > 0;) {
    std::string longer = words[i];
    if (!prefix.empty()) longer.append(" ").append(prefix);
    prefix = std::move(longer);
    if (what.rfind(prefix + ": ", 0) == 0) return what.substr(prefix.size() + 2);
  }
  return what;
}

}  // namespace

std::string usage_message(const CLI::App& root, const std::string& what) {
  std::string path = root.get_name();
  std::vector<std::string> words;
  const CLI::App* app = &root;
  // Parsing stops at the first error; the subcommands seen so far are set.
  for (;;) {
    const std::vector<CLI::App*> subs = app->get_subcommands();
    if (subs.empty()) break;
    app = subs.front();
    words.push_back(app->get_name());
    path += " " + app->get_name();
  }
  std::string text = drop_repeated_path(words, one_line(what));
  // CLI11 says "A subcommand is required" for `glass bogus`: name the word.
  const std::vector<std::string> rest = app->remaining();
  if (text.find("subcommand is required") != std::string::npos && !rest.empty())
    text = "unknown subcommand '" + rest.front() + "'";
  return path + ": " + text + " (see '" + path + " --help')";
}

}  // namespace glass::cli
