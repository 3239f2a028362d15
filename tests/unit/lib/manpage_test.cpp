// The man pages come from the CLI's own definitions: every subcommand has a
// page, every visible option of every (nested) subcommand appears in its
// page with its description, and the roff is escaped.
#include <gtest/gtest.h>

#include <cctype>
#include <functional>
#include <map>
#include <string>

#include "app.hpp"
#include "manpage.hpp"

namespace glass::cli {
namespace {

std::map<std::string, std::string> all_pages() {
  Cli cli;
  std::map<std::string, std::string> by_file;
  for (const man::Page& p : man::pages(cli.app(), "9.9")) by_file[p.file] = p.text;
  return by_file;
}

// How a name is written in roff: every '-' as "\-".
std::string roff(const std::string& s) {
  std::string out;
  for (const char c : s) out += c == '-' ? std::string("\\-") : std::string(1, c);
  return out;
}

TEST(ManPages, OnePagePerSubcommand) {
  Cli cli;
  const auto pages = all_pages();
  ASSERT_TRUE(pages.count("glass.1"));
  size_t subs = 0;
  for (const CLI::App* sub : cli.app().get_subcommands([](const CLI::App*) { return true; })) {
    ++subs;
    const std::string file = "glass-" + sub->get_name() + ".1";
    ASSERT_TRUE(pages.count(file)) << file;
    const std::string& text = pages.at(file);
    std::string upper = sub->get_name();
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_EQ(text.find(".TH GLASS\\-" + roff(upper) + " 1 "), text.find(".TH ")) << file;
    EXPECT_NE(text.find(".SH NAME\n" + roff("glass-" + sub->get_name())), std::string::npos)
        << file;
    EXPECT_NE(pages.at("glass.1").find(".BR glass\\-" + roff(sub->get_name()) + " (1)"),
              std::string::npos)
        << "glass.1 does not list " << sub->get_name();
  }
  EXPECT_EQ(pages.size(), subs + 1);
  EXPECT_NE(pages.at("glass.1").find("\"glass 9.9\""), std::string::npos);
}

// Walks every app under sub; each visible named option must be in text.
void expect_options_in(const CLI::App& app, const std::string& file, const std::string& text) {
  for (const CLI::Option* o : app.get_options()) {
    if (o->get_group().empty()) continue;
    for (const std::string& l : o->get_lnames()) {
      EXPECT_NE(text.find("\\fB" + roff("--" + l) + "\\fR"), std::string::npos)
          << file << " lacks --" << l;
    }
    for (const std::string& s : o->get_snames()) {
      EXPECT_NE(text.find("\\fB" + roff("-" + s) + "\\fR"), std::string::npos)
          << file << " lacks -" << s;
    }
    if (o->get_positional()) {
      EXPECT_NE(text.find(".I " + o->get_name(true)), std::string::npos)
          << file << " lacks argument " << o->get_name(true);
    }
  }
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    expect_options_in(*sub, file, text);
}

TEST(ManPages, EveryOptionOfEverySubcommand) {
  Cli cli;
  const auto pages = all_pages();
  for (const CLI::App* sub : cli.app().get_subcommands([](const CLI::App*) { return true; })) {
    const std::string file = "glass-" + sub->get_name() + ".1";
    expect_options_in(*sub, file, pages.at(file));
  }
  // A nested subcommand is a section of its parent's page.
  EXPECT_NE(pages.at("glass-trace.1").find(".SS \"glass trace events\""), std::string::npos);
  EXPECT_NE(pages.at("glass-capture.1").find("\\fB\\-\\-duration\\fR \\fISECONDS"),
            std::string::npos);
}

TEST(ManPages, Escaping) {
  EXPECT_EQ(man::escape("a\\b"), "a\\eb");
  EXPECT_EQ(man::escape(".start\n'quote\nmid.dle"), "\\&.start\n\\&'quote\nmid.dle");
}

}  // namespace
}  // namespace glass::cli
