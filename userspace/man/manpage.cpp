// Man pages from the CLI11 app; see manpage.hpp.
#include "manpage.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace glass::man {
namespace {

std::vector<const CLI::App*> subcommands(const CLI::App& app) {
  const std::vector<const CLI::App*> subs =
      app.get_subcommands([](const CLI::App*) { return true; });
  return {subs.begin(), subs.end()};
}

// A word in bold that is typed literally: every '-' is a real hyphen-minus.
std::string literal(const std::string& text) {
  std::string out;
  for (const char c : escape(text)) {
    if (c == '-')
      out += "\\-";
    else
      out += c;
  }
  return out;
}

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

// "glass trace events" for an app.
std::string path_of(const CLI::App& app) {
  std::vector<std::string> words;
  for (const CLI::App* a = &app; a != nullptr; a = a->get_parent()) words.push_back(a->get_name());
  std::reverse(words.begin(), words.end());
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

bool visible(const CLI::Option* o) {
  return !o->get_group().empty();
}

// The value an option takes, as --help shows it (TYPE, "..." when
// repeatable); "" for a flag.
bool is_flag(const CLI::Option* o) {
  return o->get_expected_max() == 0 || o->get_type_size() == 0;
}

std::string value_of(const CLI::Option* o) {
  if (is_flag(o)) return {};
  std::string v = o->get_type_name();
  if (v.empty()) v = "VALUE";
  if (o->get_expected_max() == CLI::detail::expected_max_vector_size) v += "...";
  return v;
}

// What --help adds after the description: default, required, needs, excludes.
std::string qualifiers(const CLI::Option* o) {
  std::string q;
  if (!is_flag(o) && !o->get_default_str().empty()) q += " (default: " + o->get_default_str() + ")";
  if (o->get_required()) q += " Required.";
  if (!o->get_needs().empty()) {
    q += " Needs";
    for (const CLI::Option* n : o->get_needs()) q += " " + n->get_name();
    q += ".";
  }
  if (!o->get_excludes().empty()) {
    q += " Excludes";
    for (const CLI::Option* n : o->get_excludes()) q += " " + n->get_name();
    q += ".";
  }
  return q;
}

// A sentence: capital first letter, final period.
std::string sentence(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  if (!s.empty() && s.back() != '.') s += '.';
  return s;
}

void synopsis(std::ostream& out, const CLI::App& app) {
  out << ".SY \"" << literal(path_of(app)) << "\"\n";
  bool options = false;
  for (const CLI::Option* o : app.get_options())
    if (visible(o) && !o->get_positional()) options = true;
  if (options) out << ".RI [ OPTIONS ]\n";
  for (const CLI::Option* o : app.get_options()) {
    if (!visible(o) || !o->get_positional()) continue;
    std::string name = o->get_name(true);
    if (o->get_expected_max() == CLI::detail::expected_max_vector_size || o->get_expected_max() > 1)
      name += "...";
    out << (o->get_required() ? ".I " : ".RI [ ") << escape(name) << (o->get_required() ? "" : " ]")
        << "\n";
  }
  if (!subcommands(app).empty()) out << ".I SUBCOMMAND\n.RI [ ARGS ]\n";
  out << ".YS\n";
}

void option_list(std::ostream& out, const CLI::App& app, bool positional) {
  for (const CLI::Option* o : app.get_options()) {
    if (!visible(o) || o->get_positional() != positional) continue;
    out << ".TP\n";
    if (positional) {
      out << ".I " << escape(o->get_name(true)) << "\n";
    } else {
      std::string names;
      for (const std::string& s : o->get_snames())
        names += (names.empty() ? "" : ", ") + std::string("\\fB") + literal("-" + s) + "\\fR";
      for (const std::string& l : o->get_lnames())
        names += (names.empty() ? "" : ", ") + std::string("\\fB") + literal("--" + l) + "\\fR";
      const std::string v = value_of(o);
      if (!v.empty()) names += " \\fI" + escape(v) + "\\fR";
      out << names << "\n";
    }
    out << escape(sentence(o->get_description()) + qualifiers(o)) << "\n";
  }
}

// The footer, as written (line breaks and indented examples kept).
void preformatted(std::ostream& out, const std::string& text) {
  out << ".nf\n";
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out << escape(line) << "\n";
  out << ".fi\n";
}

bool has_named_options(const CLI::App& app, bool positional) {
  const std::vector<const CLI::Option*> options = app.get_options();
  return std::any_of(options.begin(), options.end(), [positional](const CLI::Option* o) {
    return visible(o) && o->get_positional() == positional;
  });
}

// OPTIONS/ARGUMENTS of app; heading is .SH at the top of a page, .SS inside.
void body(std::ostream& out, const CLI::App& app, const std::string& heading) {
  if (has_named_options(app, true)) {
    out << heading << " ARGUMENTS\n";
    option_list(out, app, true);
  }
  if (has_named_options(app, false)) {
    out << heading << " OPTIONS\n";
    option_list(out, app, false);
  }
}

// A nested subcommand (glass trace events) as a section of its parent's page.
void section(std::ostream& out, const CLI::App& app) {
  out << ".SS \"" << literal(path_of(app)) << "\"\n";
  out << escape(sentence(app.get_description())) << "\n";
  out << ".PP\n";
  synopsis(out, app);
  option_list(out, app, true);
  if (has_named_options(app, false)) {
    out << ".PP\nOptions:\n";
    option_list(out, app, false);
  }
  if (!app.get_footer().empty()) {
    out << ".PP\n";
    preformatted(out, app.get_footer());
  }
  for (const CLI::App* sub : subcommands(app)) section(out, *sub);
}

std::string header(const std::string& name, const std::string& version) {
  return ".\\\" Generated by glass-mangen (userspace/man/) from the glass CLI's own\n"
         ".\\\" definitions: edit those, then run `make man`. Do not edit by hand.\n"
         ".TH " +
         literal(upper(name)) + " 1 \"\" \"glass " + escape(version) + "\" \"glass manual\"\n";
}

Page sub_page(const CLI::App& app, const std::string& version) {
  const std::string name = "glass-" + app.get_name();
  std::ostringstream out;
  out << header(name, version);
  out << ".SH NAME\n" << literal(name) << " \\- " << escape(app.get_description()) << "\n";
  out << ".SH SYNOPSIS\n";
  synopsis(out, app);
  out << ".SH DESCRIPTION\n" << escape(sentence(app.get_description())) << "\n";
  body(out, app, ".SH");
  if (!subcommands(app).empty()) {
    out << ".SH SUBCOMMANDS\n";
    for (const CLI::App* sub : subcommands(app)) section(out, *sub);
  }
  if (!app.get_footer().empty()) {
    out << ".SH NOTES\n";
    preformatted(out, app.get_footer());
  }
  out << ".SH SEE ALSO\n.BR glass (1)\n";
  return {name + ".1", out.str()};
}

Page main_page(const CLI::App& root, const std::vector<const CLI::App*>& subs,
               const std::string& version) {
  std::ostringstream out;
  out << header("glass", version);
  out << ".SH NAME\nglass \\- " << escape(root.get_description()) << "\n";
  out << ".SH SYNOPSIS\n";
  synopsis(out, root);
  out << ".SH DESCRIPTION\n" << escape(sentence(root.get_description())) << "\n";
  out << ".PP\nEach subcommand has a page of its own:\n";
  out << ".SH SUBCOMMANDS\n";
  for (const CLI::App* sub : subs) {
    out << ".TP\n.BR glass\\-" << literal(sub->get_name()) << " (1)\n"
        << escape(sentence(sub->get_description())) << "\n";
  }
  body(out, root, ".SH");
  if (!root.get_footer().empty()) {
    out << ".SH NOTES\n";
    preformatted(out, root.get_footer());
  }
  out << ".SH SEE ALSO\n";
  for (size_t i = 0; i < subs.size(); ++i)
    out << ".BR glass\\-" << literal(subs[i]->get_name()) << " (1)"
        << (i + 1 < subs.size() ? "," : "") << "\n";
  return {"glass.1", out.str()};
}

}  // namespace

std::string escape(const std::string& text) {
  std::string out;
  bool line_start = true;
  for (const char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    if (c == '\\')
      out += "\\e";
    else
      out += c;
    line_start = c == '\n';
  }
  return out;
}

std::vector<Page> pages(const CLI::App& root, const std::string& version) {
  const std::vector<const CLI::App*> subs = subcommands(root);
  std::vector<Page> out{main_page(root, subs, version)};
  for (const CLI::App* sub : subs) out.push_back(sub_page(*sub, version));
  return out;
}

}  // namespace glass::man
