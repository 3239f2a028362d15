// Info: getsockopt(SOL_GLASS, GLASS_INFO), versioned by length.
#include <glass/error.hpp>
#include <glass/info.hpp>
#include <glass/state.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstddef>
#include <cstring>

namespace glass {
namespace {

struct FieldDesc {
  std::string_view name;
  std::size_t offset;
  std::size_t size;
};

#define GLASS_FIELD(f)                                           \
  FieldDesc {                                                    \
#f, offsetof(glass_info, gi_##f), sizeof(glass_info::gi_##f) \
  }

// Every field of struct glass_info, in order. A new field appended to the ABI
// header is added here; the static_assert below catches a forgotten one.
constexpr std::array kFields{
    GLASS_FIELD(len),           GLASS_FIELD(state),          GLASS_FIELD(delack),
    GLASS_FIELD(nodelay),       GLASS_FIELD(cork),           GLASS_FIELD(iss),
    GLASS_FIELD(irs),           GLASS_FIELD(snd_una),        GLASS_FIELD(snd_nxt),
    GLASS_FIELD(rcv_nxt),       GLASS_FIELD(snd_wnd),        GLASS_FIELD(rcv_wnd),
    GLASS_FIELD(unacked),       GLASS_FIELD(unsent),         GLASS_FIELD(unread),
    GLASS_FIELD(ooo),           GLASS_FIELD(nagle_held),     GLASS_FIELD(sndbuf),
    GLASS_FIELD(rcvbuf),        GLASS_FIELD(rcv_space),      GLASS_FIELD(mss),
    GLASS_FIELD(peer_mss),      GLASS_FIELD(cwnd),           GLASS_FIELD(ssthresh),
    GLASS_FIELD(srtt_us),       GLASS_FIELD(rttvar_us),      GLASS_FIELD(rto_us),
    GLASS_FIELD(backoff),       GLASS_FIELD(retransmits),    GLASS_FIELD(fast_retrans),
    GLASS_FIELD(timeouts),      GLASS_FIELD(probes),         GLASS_FIELD(dupacks),
    GLASS_FIELD(zero_wnd_sent), GLASS_FIELD(segs_out),       GLASS_FIELD(segs_in),
    GLASS_FIELD(data_segs_out), GLASS_FIELD(data_segs_in),   GLASS_FIELD(bytes_sent),
    GLASS_FIELD(bytes_acked),   GLASS_FIELD(bytes_received), GLASS_FIELD(writer_blocked),
    GLASS_FIELD(sack),          GLASS_FIELD(ca_state),       GLASS_FIELD(cc_algo),
    GLASS_FIELD(pad1),          GLASS_FIELD(sacked),         GLASS_FIELD(sack_retrans),
    GLASS_FIELD(dsacks),        GLASS_FIELD(undos),          GLASS_FIELD(tlp_probes),
};

#undef GLASS_FIELD

static_assert(kFields.back().offset + kFields.back().size == sizeof(glass_info),
              "a glass_info field is missing from kFields");

std::uint64_t load(const glass_info& gi, const FieldDesc& f) {
  const auto* p = reinterpret_cast<const unsigned char*>(&gi) + f.offset;
  switch (f.size) {
    case 1:
      return *p;
    case 4: {
      std::uint32_t v = 0;
      std::memcpy(&v, p, sizeof(v));
      return v;
    }
    default: {
      std::uint64_t v = 0;
      std::memcpy(&v, p, sizeof(v));
      return v;
    }
  }
}

}  // namespace

Info read_info(int fd) {
  Info info;
  socklen_t len = sizeof(info.raw);
  if (::getsockopt(fd, SOL_GLASS, GLASS_INFO, &info.raw, &len) < 0)
    throw_errno("getsockopt(GLASS_INFO)", errno);
  info.filled = std::min<std::size_t>(len, sizeof(info.raw));
  return info;
}

std::vector<InfoField> info_fields(const Info& info) {
  std::vector<InfoField> out;
  for (const FieldDesc& f : kFields)
    if (f.offset + f.size <= info.filled) out.push_back({f.name, load(info.raw, f)});
  return out;
}

std::string format_info(const Info& info) {
  std::string out;
  for (const InfoField& f : info_fields(info)) {
    out += f.name;
    out += ' ';
    out += f.name == "state" ? state_name(static_cast<int>(f.value)) : std::to_string(f.value);
    out += '\n';
  }
  return out;
}

}  // namespace glass
