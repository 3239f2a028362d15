// `glass cat [-l] ADDRESS`: connect (or listen and accept one connection),
// then relay stdin and stdout over the socket (relay.cpp).
#include "cat.hpp"

#include "netns.hpp"
#include "relay.hpp"
#include "validators.hpp"

#include <glass/address.hpp>
#include <glass/socket.hpp>

#include <unistd.h>

#include <climits>
#include <iostream>
#include <memory>

namespace glass::cli {
namespace {

// Buffer sizes before the kernel doubles them (as SO_SNDBUF does).
constexpr int kMaxBuf = INT_MAX / 2;

void apply_buffers(Socket& s, const CatOptions& opts) {
  if (opts.sndbuf > 0) s.set_sndbuf(opts.sndbuf);
  if (opts.rcvbuf > 0) s.set_rcvbuf(opts.rcvbuf);
}

Socket open_connection(const CatOptions& opts) {
  Socket s = Socket::create();
  apply_buffers(s, opts);
  if (!opts.listen) {
    const Address to = Address::parse(opts.address);
    s.connect(to);
    if (opts.verbose) std::cerr << "glass cat: connected to " << to.str() << "\n";
    return s;
  }
  s.bind(Address::parse_listen(opts.address));
  s.listen(1);
  if (opts.verbose) std::cerr << "glass cat: listening on " << s.local_address().str() << "\n";
  Address peer;
  Socket conn = s.accept(&peer);
  if (opts.verbose) std::cerr << "glass cat: connection from " << peer.str() << "\n";
  apply_buffers(conn, opts);
  return conn;
}

}  // namespace

CLI::App* add_cat_options(CLI::App& parent, CatOptions& opts, std::function<void()> then) {
  CLI::App* cat =
      parent.add_subcommand("cat", "Netcat for glass: relay stdin/stdout over one connection");
  cat->add_flag("-l,--listen", opts.listen, "Listen on [ADDR:]PORT and accept one connection");
  cat->add_option("address", opts.address, "ADDR:PORT to connect to, [ADDR:]PORT with -l")
      ->required();
  cat->add_flag("--nodelay", opts.nodelay, "Disable Nagle's algorithm (GLASS_NODELAY)");
  cat->add_option("--sndbuf", opts.sndbuf, "SO_SNDBUF (K, M suffixes; the kernel doubles it)")
      ->transform(size_validator(1, kMaxBuf));
  cat->add_option("--rcvbuf", opts.rcvbuf, "SO_RCVBUF (K, M suffixes; the kernel doubles it)")
      ->transform(size_validator(1, kMaxBuf));
  cat->add_option("-n,--netns", opts.netns, "Connect or listen in network namespace NS (ip -n)")
      ->type_name("NS")
      ->check(netns_validator());
  cat->add_flag("-v,--verbose", opts.verbose, "Report the connection on stderr");
  cat->footer(
      "Connects to ADDR:PORT (or, with -l, listens on [ADDR:]PORT and accepts one\n"
      "connection), copies stdin to the socket and the socket to stdout, byte-exact.\n"
      "On stdin EOF the sending side is shut down (half-close); glass cat exits when\n"
      "the peer has closed its side too.\n"
      "Examples:\n  glass cat -l 7000 > out.bin\n  glass cat 10.7.0.1:7000 < in.bin\n"
      "  glass cat -n h2 --sndbuf 64K 10.7.0.1:7000 < in.bin\n"
      "Exit status: 0 success, 1 runtime error, 2 usage error.");
  cat->callback([cat, &opts, then = std::move(then)] {
    std::string addr = opts.address;
    const std::string err =
        opts.listen ? listen_address_validator()(addr) : address_validator()(addr);
    if (!err.empty()) throw CLI::ValidationError(cat->get_name(), err);
    if (then) then();
  });
  return cat;
}

int run_cat(const CatOptions& opts) {
  const NetnsGuard ns(opts.netns);  // the socket keeps the namespace it was made in
  Socket s = open_connection(opts);
  if (opts.nodelay) s.set_nodelay(true);
  relay(STDIN_FILENO, STDOUT_FILENO, s.fd());
  return kExitOk;
}

void setup_cat(CLI::App& parent, Context& ctx) {
  auto opts = std::make_shared<CatOptions>();
  add_cat_options(parent, *opts, [opts, &ctx] { ctx.action = [opts] { return run_cat(*opts); }; });
}
}  // namespace glass::cli
