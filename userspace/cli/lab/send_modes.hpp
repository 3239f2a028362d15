// Four ways to hand bytes to a socket, for `glass lab copy`: write()
// (a copy into the kernel), send(MSG_ZEROCOPY) (the kernel pins the pages
// and reports on the error queue when it let go of them), io_uring's send
// (a copy, submitted through the ring) and io_uring's send-zc (pinned
// pages, a notification CQE when they are free again).
#pragma once

#include "common.hpp"

#include <cstdint>
#include <string>

namespace glass::cli::lab {

enum class SendMode { kWrite, kMsgZerocopy, kUring, kUringZc };

inline constexpr SendMode kSendModes[] = {SendMode::kWrite, SendMode::kMsgZerocopy,
                                          SendMode::kUring, SendMode::kUringZc};

// "write", "msg_zerocopy", "uring_send", "uring_send_zc".
const char* mode_key(SendMode m);

struct ModeResult {
  std::uint64_t bytes = 0;        // written, and read back by the reader
  std::uint64_t calls = 0;        // send calls or SQEs that moved bytes
  std::uint64_t completions = 0;  // zero-copy completions (ranges or CQEs)
  std::uint64_t copied = 0;       // ... of those, the kernel copied after all
  double seconds = 0;
  double sender_user_s = 0, sender_sys_s = 0;  // the sending thread's CPU
  bool exact = false;                          // every byte arrived unchanged
  std::string error;
};

// Sends `chunk`-byte calls in mode m from c.client for `secs` seconds, from
// a ring of buffers each reused only once the kernel let go of it; reads
// and checks the pattern on c.server. Waits for every completion.
ModeResult run_send_mode(Connection& c, SendMode m, int chunk, double secs, std::uint64_t seed);

}  // namespace glass::cli::lab
