// `glass run`: set LD_PRELOAD and the preload library's settings, then exec
// the program (which keeps glass run's pid, stdio and exit status).
#include "run.hpp"

#include "nets.hpp"

#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>

namespace glass::cli {
namespace {

bool is_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string dir_of(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

}  // namespace

void setup_run(CLI::App& parent, Context& ctx) {
  auto opts = std::make_shared<RunOptions>();
  CLI::App* run = parent.add_subcommand(
      "run", "Run an unmodified program with its TCP sockets to glass addresses on glass");
  run->add_option("--nets", opts->nets,
                  "Addresses that are glass, as CIDR,... (default: an address reached through "
                  "a glass device)")
      ->type_name("CIDR,...");
  run->add_option("--wildcard", opts->wildcard,
                  "What a listener bound to 0.0.0.0 or :: listens on (default glass)")
      ->check(CLI::IsMember({"glass", "tcp"}));
  run->add_flag("-v,--verbose", opts->verbose, "Report each socket made glass on stderr");
  run->add_option("command", opts->command, "PROG ARGS...")->required();
  run->prefix_command();
  run->footer(
      "Preloads libglass_preload.so: the program's AF_INET and AF_INET6 (IPv4-mapped)\n"
      "stream sockets become glass sockets when they bind or connect to a glass address.\n"
      "Everything else (UDP, other addresses, AF_UNIX) is untouched; a call glass cannot\n"
      "map fails with an errno and one line on stderr. Children inherit it. Statically\n"
      "linked programs cannot be reached. docs/run.md lists what is mapped.\n"
      "Examples:\n  glass run -- python3 -m http.server 8000\n"
      "  glass run -- curl http://10.7.0.1:8000/\n"
      "  glass run --nets 10.7.0.0/24 -- java -cp . Server\n"
      "Exit status: the program's; 127 not found, 126 not executable, 2 usage error.");
  run->callback([run, opts, &ctx] {
    if (!opts->nets.empty()) {
      std::string why;
      if (!glass::preload::parse_nets(opts->nets, &why))
        throw CLI::ValidationError(run->get_name(), "--nets: " + why);
    }
    ctx.action = [opts] { return run_run(*opts); };
  });
}

std::vector<std::pair<std::string, std::string>> run_environment(const RunOptions& opts,
                                                                 const std::string& lib,
                                                                 const char* old_preload) {
  std::string preload = lib;
  if (old_preload != nullptr && *old_preload != '\0') {
    // LD_PRELOAD is separated by colons or spaces; do not load ours twice.
    std::string rest;
    std::string item;
    const std::string old = old_preload;
    for (std::size_t i = 0; i <= old.size(); ++i) {
      if (i == old.size() || old[i] == ':' || old[i] == ' ') {
        if (!item.empty() && item != lib) rest += ":" + item;
        item.clear();
      } else {
        item += old[i];
      }
    }
    preload += rest;
  }
  return {{"LD_PRELOAD", preload},
          {"GLASS_NETS", opts.nets},
          {"GLASS_WILDCARD", opts.wildcard},
          {"GLASS_RUN_VERBOSE", opts.verbose ? "1" : ""}};
}

std::optional<std::string> find_preload_library(const std::string& self_exe) {
  if (const char* env = std::getenv("GLASS_PRELOAD"); env != nullptr && *env != '\0') {
    if (is_file(env)) return std::string(env);
    return std::nullopt;
  }
  const std::string dir = dir_of(self_exe);
  for (const char* rel : {"/../lib/libglass_preload.so", "/../lib/glass/libglass_preload.so"}) {
    std::error_code ec;
    const auto p = std::filesystem::weakly_canonical(dir + rel, ec);
    if (!ec && is_file(p.string())) return p.string();
  }
  return std::nullopt;
}

bool is_static_elf(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  Elf64_Ehdr eh{};
  bool has_interp = false;
  bool elf = ::pread(fd, &eh, sizeof(eh), 0) == static_cast<ssize_t>(sizeof(eh)) &&
             std::memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0 && eh.e_ident[EI_CLASS] == ELFCLASS64 &&
             eh.e_phentsize == sizeof(Elf64_Phdr);
  for (unsigned i = 0; elf && i < eh.e_phnum; ++i) {
    Elf64_Phdr ph{};
    const auto off = static_cast<off_t>(eh.e_phoff + i * sizeof(Elf64_Phdr));
    if (::pread(fd, &ph, sizeof(ph), off) != static_cast<ssize_t>(sizeof(ph))) {
      elf = false;
      break;
    }
    if (ph.p_type == PT_INTERP) has_interp = true;
  }
  ::close(fd);
  return elf && !has_interp;
}

std::string find_on_path(const std::string& prog) {
  if (prog.find('/') != std::string::npos) return prog;
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    std::size_t colon = dirs.find(':', start);
    if (colon == std::string::npos) colon = dirs.size();
    std::string dir = dirs.substr(start, colon - start);
    if (dir.empty()) dir = ".";
    std::string candidate = dir;
    candidate.append("/").append(prog);
    if (is_file(candidate) && ::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = colon + 1;
  }
  return "";
}

int run_run(const RunOptions& opts) {
  std::error_code ec;
  const std::string self = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  const auto lib = find_preload_library(self);
  if (!lib) {
    std::fprintf(stderr,
                 "glass run: libglass_preload.so not found next to %s (../lib/) nor at "
                 "$GLASS_PRELOAD; build it with make userspace\n",
                 self.c_str());
    return kExitError;
  }
  const std::string& prog = opts.command.front();
  const std::string found = find_on_path(prog);
  if (!found.empty() && is_static_elf(found))
    std::fprintf(stderr,
                 "glass run: %s is statically linked: LD_PRELOAD cannot reach it, its sockets "
                 "stay TCP (its dynamically linked children are reached)\n",
                 found.c_str());
  for (const auto& [name, value] : run_environment(opts, *lib, std::getenv("LD_PRELOAD"))) {
    if (value.empty()) {
      ::unsetenv(name.c_str());
    } else {
      ::setenv(name.c_str(), value.c_str(), 1);
    }
  }
  std::vector<char*> argv;
  argv.reserve(opts.command.size() + 1);
  for (const std::string& a : opts.command) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::fflush(nullptr);
  ::execvp(prog.c_str(), argv.data());
  const int err = errno;
  std::fprintf(stderr, "glass run: %s: %s\n", prog.c_str(), std::strerror(err));
  return err == ENOENT ? 127 : 126;
}

}  // namespace glass::cli
