// Bulk transfer: 256 MiB across a glass pair arrive intact, checked by a
// SHA-256 of what was written against one of what was read.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <iostream>
#include <memory>
#include <thread>
#include <vector>

#include "transfer.hpp"

namespace {

using Digest = std::vector<unsigned char>;

class Sha256 {
 public:
  Sha256() : ctx_(EVP_MD_CTX_new(), EVP_MD_CTX_free) {
    EXPECT_EQ(EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr), 1);
  }
  void update(const void* p, size_t n) { EVP_DigestUpdate(ctx_.get(), p, n); }
  Digest final() {
    Digest d(EVP_MAX_MD_SIZE);
    unsigned int n = 0;
    EVP_DigestFinal_ex(ctx_.get(), d.data(), &n);
    d.resize(n);
    return d;
  }

 private:
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx_;
};

std::string hex(const Digest& d) {
  static const char* x = "0123456789abcdef";
  std::string s;
  for (unsigned char c : d) {
    s += x[c >> 4];
    s += x[c & 15];
  }
  return s;
}

}  // namespace

TEST(Bulk, QuarterGibibyteArrivesWithMatchingSha256) {
  constexpr uint64_t kTotal = 256ull << 20;
  constexpr size_t kChunk = 1 << 20;
  tt::Link link;
  link.open();
  ASSERT_GE(link.server, 0);

  Digest got_digest;
  uint64_t got_bytes = 0;
  std::thread reader([&] {
    Sha256 h;
    std::vector<unsigned char> buf(kChunk);
    gt::FaultScope faults;
    for (;;) {
      ssize_t r = read(link.server, buf.data(), buf.size());
      if (r <= 0) {
        EXPECT_EQ(r, 0) << "read: " << strerror(errno);
        break;
      }
      h.update(buf.data(), static_cast<size_t>(r));
      got_bytes += static_cast<uint64_t>(r);
    }
    got_digest = h.final();
  });

  // The stream is 1 MiB blocks of pattern, each block's first 8 bytes
  // replaced by its index, so no two blocks are alike and a misplaced one
  // changes the hash. The digest of what is sent is computed on a thread
  // of its own, so the writer keeps the link busy.
  auto make_block = [](std::vector<unsigned char>& b, uint64_t i) {
    if (i == 0) tt::pattern_fill(42, 0, b.data(), b.size());
    std::memcpy(b.data(), &i, sizeof(i));
  };
  Digest sent_digest;
  std::thread hasher([&] {
    Sha256 h;
    std::vector<unsigned char> b(kChunk);
    for (uint64_t i = 0; i < kTotal / kChunk; i++) {
      make_block(b, i);
      h.update(b.data(), b.size());
    }
    sent_digest = h.final();
  });
  std::vector<unsigned char> block(kChunk);
  auto t0 = std::chrono::steady_clock::now();
  bool wrote = true;
  for (uint64_t i = 0; wrote && i < kTotal / kChunk; i++) {
    make_block(block, i);
    wrote = gt::write_all(link.client, block.data(), block.size());
  }
  EXPECT_TRUE(wrote) << strerror(errno);
  // A connection that failed sends no FIN (as TCP after a timeout), so the
  // reader would wait for one forever: end its wait here.
  if (!wrote) shutdown(link.server, SHUT_RD);
  EXPECT_EQ(shutdown(link.client, SHUT_WR), 0);
  reader.join();
  auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  hasher.join();

  EXPECT_EQ(got_bytes, kTotal);
  EXPECT_EQ(hex(got_digest), hex(sent_digest));
  ASSERT_TRUE(tt::wait_all_acked(link.client));
  glass_info gi = gt::info(link.client);
  EXPECT_EQ(gi.gi_bytes_acked, kTotal);
  EXPECT_EQ(gt::info(link.server).gi_bytes_received, kTotal);
  std::cout << "[ figures  ] 256 MiB in " << secs << " s ("
            << static_cast<double>(kTotal) / (1 << 20) / secs << " MiB/s), " << gi.gi_data_segs_out
            << " data segments, " << gi.gi_retransmits << " retransmitted, sha256 "
            << hex(sent_digest) << "\n";
  RecordProperty("seconds", std::to_string(secs));
  // What the engine had to repair on a clean link (for the log only).
  for (const auto* ns : {&link.h1(), &link.h2()}) {
    std::cout << "[ figures  ] " << ns->name() << ":";
    for (const auto& [k, v] : tt::stats(*ns))
      if (v && (k.rfind("drop_", 0) == 0 || k.find("retrans") != std::string::npos ||
                k == "timeouts" || k == "duplicate_acks"))
        std::cout << " " << k << "=" << v;
    std::cout << "\n";
  }
}
