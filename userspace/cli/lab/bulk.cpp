// Bulk: the writer and reader threads of a checked transfer.
#include "bulk.hpp"

#include <glass/error.hpp>

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace glass::cli::lab {

Bulk::Bulk(Connection& c, std::uint64_t total, int chunk, std::uint64_t seed, std::uint64_t hold_at)
    : pattern_(seed), hold_at_(hold_at) {
  const int wfd = c.client.get(), rfd = c.server.get();
  reader_ = std::jthread([this, rfd] { read_loop(rfd); });
  writer_ = std::jthread([this, wfd, total, chunk] { write_loop(wfd, total, chunk); });
}

Bulk::~Bulk() {
  stop();
  if (writer_.joinable()) writer_.join();
  if (reader_.joinable()) reader_.join();
}

void Bulk::join() {
  if (writer_.joinable()) writer_.join();
  if (reader_.joinable()) reader_.join();
}

void Bulk::write_loop(int fd, std::uint64_t total, int chunk) {
  std::vector<std::byte> buf(static_cast<std::size_t>(chunk));
  try {
    while (!stop_.load() && (total == 0 || written_.load() < total)) {
      if (hold_at_ != 0 && written_.load() >= hold_at_) released_.wait(false);
      std::size_t n = buf.size();
      if (total != 0) n = static_cast<std::size_t>(std::min<std::uint64_t>(n, total - written_));
      const auto part = std::span(buf).first(n);
      pattern_.fill(written_.load(), part);
      write_all(fd, part);
      written_ += n;
    }
  } catch (const std::exception& e) {
    writer_error_ = std::string("writer: ") + e.what();
  }
  ::shutdown(fd, SHUT_WR);
}

void Bulk::read_loop(int fd) {
  std::vector<std::byte> buf(64 * 1024);
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      reader_error_ = "reader: read: " + std::string(std::strerror(errno));
      break;
    }
    if (n == 0) break;
    const auto got = std::span(buf).first(static_cast<std::size_t>(n));
    if (!pattern_.check(received_.load(), got)) exact_ = false;
    received_ += static_cast<std::uint64_t>(n);
  }
  done_ = true;
}

}  // namespace glass::cli::lab
