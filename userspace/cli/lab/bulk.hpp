// A pattern-checked bulk transfer on one connection: a writer thread and a
// reader thread, with counters the sampler can read while they run.
#pragma once

#include "common.hpp"

#include <atomic>
#include <string>
#include <thread>

namespace glass::cli::lab {

class Bulk {
 public:
  // Sends `total` bytes (0: until stop()) in `chunk`-byte writes from
  // c.client, reads them on c.server and checks every byte. With
  // `hold_at`, the writer stops once it has written that many bytes, until
  // release(): what follows is written only when the caller is ready.
  Bulk(Connection& c, std::uint64_t total, int chunk, std::uint64_t seed,
       std::uint64_t hold_at = 0);
  ~Bulk();
  Bulk(const Bulk&) = delete;
  Bulk& operator=(const Bulk&) = delete;

  // Asks an open-ended writer to finish; join() waits for the reader's EOF.
  void stop() {
    stop_ = true;
    release();
  }
  void join();
  void release() {
    released_ = true;
    released_.notify_all();
  }

  std::uint64_t written() const { return written_.load(); }
  std::uint64_t received() const { return received_.load(); }
  bool done() const { return done_.load(); }
  // After join(): every byte arrived, in order, unchanged, and no error.
  bool exact() const { return exact_ && error().empty() && received_ == written_; }
  std::string error() const { return writer_error_ + reader_error_; }

 private:
  void write_loop(int fd, std::uint64_t total, int chunk);
  void read_loop(int fd);

  Pattern pattern_;
  std::atomic<std::uint64_t> written_{0}, received_{0};
  std::uint64_t hold_at_;
  std::atomic<bool> stop_{false}, done_{false}, released_{false};
  bool exact_ = true;
  std::string writer_error_, reader_error_;
  std::jthread writer_, reader_;
};

}  // namespace glass::cli::lab
