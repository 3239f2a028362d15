// `glass link add NAME [peer PEER [netns NS]]`, `glass link del NAME`.
// The message layout is in the library (build_link_add); this file turns the
// words the user typed into a request and reports the kernel's answer.
#include "link.hpp"

#include "validators.hpp"

#include <glass/error.hpp>
#include <glass/fd.hpp>
#include <glass/netlink.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <iostream>
#include <memory>

namespace glass::cli {
namespace {

[[noreturn]] void link_usage(const std::string& msg) {
  throw CLI::ValidationError("link add", msg);
}

void check(const CLI::Validator& v, std::string value) {
  const std::string err = v(value);
  if (!err.empty()) link_usage(err);
}

// /run/netns/NAME (or /var/run/netns/NAME), as `ip netns add` creates.
Fd open_netns(const std::string& name) {
  for (const char* dir : {"/run/netns/", "/var/run/netns/"}) {
    const std::string path = std::string(dir) + name;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) return Fd(fd);
    if (errno != ENOENT) throw_errno("open(" + path + ")", errno);
  }
  throw Error("netns " + name, ENOENT, "no such network namespace (ip netns add " + name + ")");
}

}  // namespace

void parse_link_words(LinkOptions& opts) {
  const auto& w = opts.words;
  if (w.empty()) link_usage("missing NAME");
  opts.name = w[0];
  check(ifname_validator(), opts.name);
  for (std::size_t i = 1; i < w.size(); i += 2) {
    if (i + 1 >= w.size()) link_usage("'" + w[i] + "' needs a value");
    if (w[i] == "peer" && !opts.peer) {
      opts.peer = w[i + 1];
      check(ifname_validator(), *opts.peer);
    } else if (w[i] == "netns" && !opts.netns) {
      opts.netns = w[i + 1];
      check(netns_validator(), *opts.netns);
    } else {
      link_usage("unexpected '" + w[i] + "' (expected: NAME [peer PEERNAME] [netns NSNAME])");
    }
  }
  if (opts.netns && !opts.peer) link_usage("netns applies to the peer: give 'peer PEERNAME' too");
  if (opts.peer && *opts.peer == opts.name) link_usage("the peer needs a different name");
}

CLI::App* add_link_options(CLI::App& parent, LinkOptions& opts) {
  CLI::App* link = parent.add_subcommand("link", "Create and delete glass devices");
  link->require_subcommand(1);
  link->footer("Needs CAP_NET_ADMIN. Exit status: 0 success, 1 runtime error, 2 usage error.");

  CLI::App* add = link->add_subcommand(
      "add",
      "Create a glass device: a loopback device (NAME alone), or a pair NAME <-> PEERNAME\n"
      "whose peer may be moved into the network namespace NSNAME (ip netns add NSNAME).");
  add->add_option("NAME", opts.words, "NAME [peer PEERNAME] [netns NSNAME]")
      ->required()
      ->expected(1, 5)
      ->type_name("");
  add->footer(
      "Examples:\n  glass link add glass0\n  glass link add ga peer gb\n"
      "  glass link add ga peer gb netns blue");
  add->callback([&opts] {
    opts.op = LinkOptions::Op::kAdd;
    parse_link_words(opts);
  });

  CLI::App* del = link->add_subcommand("del", "Delete a glass device (a pair goes as a whole)");
  del->add_option("name", opts.name, "Device name")->required()->check(ifname_validator());
  del->callback([&opts] { opts.op = LinkOptions::Op::kDel; });
  return link;
}

int run_link(const LinkOptions& opts) {
  std::array<char, kNetlinkBufSize> buf{};
  Netlink nl;
  if (opts.op == LinkOptions::Op::kDel) {
    nl.request(build_link_del(buf, opts.name, 1), "link del " + opts.name);
    return kExitOk;
  }
  LinkAddRequest req{.name = opts.name, .peer = opts.peer};
  Fd ns;
  if (opts.netns) {
    ns = open_netns(*opts.netns);
    req.peer_netns_fd = ns.get();
  }
  nl.request(build_link_add(buf, req, 1), "link add " + opts.name);
  return kExitOk;
}

void setup_link(CLI::App& parent, Context& ctx) {
  auto opts = std::make_shared<LinkOptions>();
  CLI::App* link = add_link_options(parent, *opts);
  link->final_callback([opts, &ctx] { ctx.action = [opts] { return run_link(*opts); }; });
}
}  // namespace glass::cli
