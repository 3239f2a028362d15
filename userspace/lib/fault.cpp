// The fault injector of glass devices over rtnetlink: value parsing, the
// RTM_NEWLINK/RTM_GETLINK messages, and the query/apply round trips.
#include <glass/error.hpp>
#include <glass/fault.hpp>
#include <glass/netlink.hpp>

#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

namespace glass {
namespace {

// Unsigned decimal with at most max_decimals fractional digits, scaled by
// 10^max_decimals. nullopt when malformed or too large.
std::optional<std::uint64_t> parse_fixed(std::string_view s, int max_decimals, bool* too_fine) {
  *too_fine = false;
  if (s.empty()) return std::nullopt;
  std::uint64_t whole = 0;
  std::size_t i = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    whole = whole * 10 + static_cast<unsigned>(s[i] - '0');
    if (whole > 1'000'000'000ULL) return std::nullopt;
  }
  const bool had_whole = i > 0;
  std::uint64_t frac = 0;
  int digits = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    const std::size_t start = i;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      if (digits == max_decimals) {
        if (s[i] != '0') *too_fine = true;
        continue;
      }
      frac = frac * 10 + static_cast<unsigned>(s[i] - '0');
      ++digits;
    }
    if (i == start) return std::nullopt;  // "5." has no decimals
  } else if (!had_whole) {
    return std::nullopt;
  }
  if (i != s.size() || *too_fine) return std::nullopt;
  for (; digits < max_decimals; ++digits) frac *= 10;
  std::uint64_t scale = 1;
  for (int d = 0; d < max_decimals; ++d) scale *= 10;
  return whole * scale + frac;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string quoted(std::string_view s) {
  return "'" + std::string(s) + "'";
}

nlmsghdr* put_header(std::span<char> buf, std::uint16_t type, std::uint16_t flags,
                     std::uint32_t seq, const std::string& name) {
  nlmsghdr* nlh = put_link_header(buf, type, flags, seq);
  mnl_attr_put_strz(nlh, IFLA_IFNAME, name.c_str());
  return nlh;
}

template <std::size_t N>
int collect_cb(const nlattr* attr, void* data) {
  auto* tb = static_cast<std::array<const nlattr*, N>*>(data);
  const unsigned type = mnl_attr_get_type(attr);
  if (type < N) (*tb)[type] = attr;
  return MNL_CB_OK;
}

[[noreturn]] void bad(std::string_view what) {
  throw ParseError("RTM_NEWLINK: " + std::string(what));
}

std::uint32_t get_u32(const nlattr* a, std::string_view what) {
  if (mnl_attr_validate(a, MNL_TYPE_U32) < 0) bad(std::string(what) + " is not a u32");
  return mnl_attr_get_u32(a);
}

bool module_loaded() {
  return ::access("/proc/net/glass", F_OK) == 0;
}

}  // namespace

FaultSettings FaultSettings::cleared() {
  return FaultSettings{0, 0, 0, 0, 0, 0};
}

std::uint32_t parse_percent_ppm(std::string_view text, std::string_view what) {
  std::string_view s = text;
  if (!s.empty() && s.back() == '%') s.remove_suffix(1);
  bool too_fine = false;
  const auto v = parse_fixed(s, 4, &too_fine);
  const std::string prefix = std::string(what) + ": " + quoted(text) + " ";
  if (too_fine) throw ParseError(prefix + "has more than 4 decimals (resolution 0.0001% = 1 ppm)");
  if (!v) throw ParseError(prefix + "is not a percentage (e.g. 10%, 0.5%)");
  if (*v > kFaultPpmMax) throw ParseError(prefix + "is above 100%");
  return static_cast<std::uint32_t>(*v);
}

std::uint32_t parse_delay_us(std::string_view text) {
  std::string_view s = text;
  int decimals = 3;  // milliseconds with µs resolution
  if (ends_with(s, "us")) {
    s.remove_suffix(2);
    decimals = 0;
  } else if (ends_with(s, "ms")) {
    s.remove_suffix(2);
  }
  bool too_fine = false;
  const auto v = parse_fixed(s, decimals, &too_fine);
  const std::string prefix = "delay: " + quoted(text) + " ";
  if (too_fine) throw ParseError(prefix + "is finer than 1 microsecond");
  if (!v) throw ParseError(prefix + "is not a delay (e.g. 5, 5ms, 0.25ms, 250us)");
  if (*v > kFaultDelayMaxUs) throw ParseError(prefix + "is above 10000 ms");
  return static_cast<std::uint32_t>(*v);
}

std::uint64_t parse_seed(std::string_view text) {
  std::string_view s = text;
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    s.remove_prefix(2);
    base = 16;
  }
  const std::string bad_seed = "seed: " + quoted(text) + " is not an unsigned 64-bit number";
  if (s.empty() || s.size() > 20) throw ParseError(bad_seed);
  unsigned __int128 v = 0;
  for (char c : s) {
    int d = -1;
    if (c >= '0' && c <= '9') d = c - '0';
    if (base == 16 && c >= 'a' && c <= 'f') d = c - 'a' + 10;
    if (base == 16 && c >= 'A' && c <= 'F') d = c - 'A' + 10;
    if (d < 0) throw ParseError(bad_seed);
    v = v * base + static_cast<unsigned>(d);
    if (v > UINT64_MAX) throw ParseError(bad_seed);
  }
  return static_cast<std::uint64_t>(v);
}

std::string format_ppm_percent(std::uint32_t ppm) {
  std::string out = std::to_string(ppm / 10000);
  std::uint32_t frac = ppm % 10000;
  if (frac != 0) {
    std::string digits = std::to_string(frac);
    digits.insert(0, 4 - digits.size(), '0');
    while (digits.back() == '0') digits.pop_back();
    out += "." + digits;
  }
  return out + "%";
}

std::string format_delay(std::uint32_t us) {
  std::string out = std::to_string(us / 1000);
  std::uint32_t frac = us % 1000;
  if (frac != 0) {
    std::string digits = std::to_string(frac);
    digits.insert(0, 3 - digits.size(), '0');
    while (digits.back() == '0') digits.pop_back();
    out += "." + digits;
  }
  return out + "ms";
}

nlmsghdr* build_fault_set(std::span<char> buf, const std::string& name, const FaultSettings& s,
                          std::uint32_t seq) {
  nlmsghdr* nlh = put_header(buf, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, seq, name);
  nlattr* linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
  mnl_attr_put_strz(nlh, IFLA_INFO_KIND, kLinkKind);
  nlattr* data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
  if (s.seed) mnl_attr_put_u64(nlh, GLASS_INFO_FAULT_SEED, *s.seed);
  if (s.loss_ppm) mnl_attr_put_u32(nlh, GLASS_INFO_FAULT_LOSS, *s.loss_ppm);
  if (s.duplicate_ppm) mnl_attr_put_u32(nlh, GLASS_INFO_FAULT_DUPLICATE, *s.duplicate_ppm);
  if (s.reorder_ppm) mnl_attr_put_u32(nlh, GLASS_INFO_FAULT_REORDER, *s.reorder_ppm);
  if (s.corrupt_ppm) mnl_attr_put_u32(nlh, GLASS_INFO_FAULT_CORRUPT, *s.corrupt_ppm);
  if (s.delay_us) mnl_attr_put_u32(nlh, GLASS_INFO_FAULT_DELAY_US, *s.delay_us);
  mnl_attr_nest_end(nlh, data);
  mnl_attr_nest_end(nlh, linkinfo);
  return nlh;
}

nlmsghdr* build_link_get(std::span<char> buf, const std::string& name, std::uint32_t seq) {
  nlmsghdr* nlh = put_header(buf, RTM_GETLINK, NLM_F_REQUEST, seq, name);
  // Smaller answers: no VF or per-family stats.
  mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
  return nlh;
}

FaultState parse_fault_link(const nlmsghdr* nlh) {
  if (nlh->nlmsg_type != RTM_NEWLINK) bad("not an RTM_NEWLINK message");
  if (mnl_nlmsg_get_payload_len(nlh) < sizeof(ifinfomsg)) bad("truncated ifinfomsg");
  FaultState st;
  st.ifindex = static_cast<const ifinfomsg*>(mnl_nlmsg_get_payload(nlh))->ifi_index;
  std::array<const nlattr*, IFLA_MAX + 1> tb{};
  if (mnl_attr_parse(nlh, sizeof(ifinfomsg), collect_cb<IFLA_MAX + 1>, &tb) != MNL_CB_OK)
    bad("malformed attributes");
  if (tb[IFLA_IFNAME] != nullptr && mnl_attr_validate(tb[IFLA_IFNAME], MNL_TYPE_NUL_STRING) == 0)
    st.device = mnl_attr_get_str(tb[IFLA_IFNAME]);
  if (tb[IFLA_LINKINFO] == nullptr) return st;
  std::array<const nlattr*, IFLA_INFO_MAX + 1> li{};
  if (mnl_attr_parse_nested(tb[IFLA_LINKINFO], collect_cb<IFLA_INFO_MAX + 1>, &li) != MNL_CB_OK)
    bad("malformed IFLA_LINKINFO");
  if (li[IFLA_INFO_KIND] != nullptr) {
    const auto* kind = static_cast<const char*>(mnl_attr_get_payload(li[IFLA_INFO_KIND]));
    st.kind.assign(kind, strnlen(kind, mnl_attr_get_payload_len(li[IFLA_INFO_KIND])));
  }
  if (st.kind != kLinkKind || li[IFLA_INFO_DATA] == nullptr) return st;
  std::array<const nlattr*, GLASS_INFO_MAX + 1> d{};
  if (mnl_attr_parse_nested(li[IFLA_INFO_DATA], collect_cb<GLASS_INFO_MAX + 1>, &d) != MNL_CB_OK)
    bad("malformed IFLA_INFO_DATA");
  if (d[GLASS_INFO_FAULT_SEED] != nullptr) {
    if (mnl_attr_validate(d[GLASS_INFO_FAULT_SEED], MNL_TYPE_U64) < 0)
      bad("GLASS_INFO_FAULT_SEED is not a u64");
    st.seed = mnl_attr_get_u64(d[GLASS_INFO_FAULT_SEED]);
    st.has_fault = true;
  }
  const std::pair<int, std::uint32_t*> u32s[] = {
      {GLASS_INFO_FAULT_LOSS, &st.loss_ppm},       {GLASS_INFO_FAULT_DUPLICATE, &st.duplicate_ppm},
      {GLASS_INFO_FAULT_REORDER, &st.reorder_ppm}, {GLASS_INFO_FAULT_CORRUPT, &st.corrupt_ppm},
      {GLASS_INFO_FAULT_DELAY_US, &st.delay_us},
  };
  for (const auto& [type, field] : u32s) {
    if (d[type] == nullptr) continue;
    *field = get_u32(d[type], "GLASS_INFO_FAULT attribute " + std::to_string(type));
    st.has_fault = true;
  }
  if (const nlattr* a = d[GLASS_INFO_FAULT_STATS]) {
    // Older kernels may send a shorter structure: fields are only appended.
    const std::size_t n = std::min<std::size_t>(mnl_attr_get_payload_len(a), sizeof(st.stats));
    std::memcpy(&st.stats, mnl_attr_get_payload(a), n);
    st.has_fault = true;
  }
  return st;
}

FaultState query_fault(const std::string& name) {
  check_ifname(name);
  struct Closer {
    void operator()(mnl_socket* nl) const noexcept { mnl_socket_close(nl); }
  };
  std::unique_ptr<mnl_socket, Closer> nl(mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC));
  if (!nl) throw_errno("socket(NETLINK_ROUTE)", errno);
  int one = 1;
  mnl_socket_setsockopt(nl.get(), NETLINK_EXT_ACK, &one, sizeof(one));
  mnl_socket_setsockopt(nl.get(), NETLINK_CAP_ACK, &one, sizeof(one));
  if (mnl_socket_bind(nl.get(), 0, MNL_SOCKET_AUTOPID) < 0)
    throw_errno("bind(NETLINK_ROUTE)", errno);
  const std::uint32_t portid = mnl_socket_get_portid(nl.get());
  std::vector<char> req(kNetlinkBufSize);
  const nlmsghdr* q = build_link_get(req, name, 1);
  const std::string call = "fault " + name;
  if (mnl_socket_sendto(nl.get(), q, q->nlmsg_len) < 0) throw_errno(call, errno);
  std::vector<char> buf(std::max<std::size_t>(MNL_SOCKET_BUFFER_SIZE, 32768));
  for (;;) {
    const ssize_t n = mnl_socket_recvfrom(nl.get(), buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno(call, errno);
    int len = static_cast<int>(n);
    for (auto* m = reinterpret_cast<nlmsghdr*>(buf.data()); mnl_nlmsg_ok(m, len);
         m = mnl_nlmsg_next(m, &len)) {
      if (m->nlmsg_seq != q->nlmsg_seq || m->nlmsg_pid != portid) continue;
      if (m->nlmsg_type == NLMSG_ERROR) {
        const NetlinkAck ack = parse_ack(m);
        if (ack.err == 0) continue;
        if (ack.err == ENODEV)
          throw Error(call, ENODEV, "no such device",
                      module_loaded() ? std::string{} : std::string(kModuleNotLoaded));
        throw Error(call, ack.err, ack.message);
      }
      if (m->nlmsg_type != RTM_NEWLINK) continue;
      FaultState st = parse_fault_link(m);
      if (st.kind != kLinkKind)
        throw Error(
            call, ENOTSUP,
            "not a glass device (" + (st.kind.empty() ? "no link kind" : "kind " + st.kind) + ")",
            module_loaded() ? std::string{} : std::string(kModuleNotLoaded));
      if (!st.has_fault)
        throw Error(call, ENOTSUP, "the glass module reports no fault injector (too old?)");
      return st;
    }
  }
}

void apply_fault(const std::string& name, const FaultSettings& s) {
  query_fault(name);  // a clear message for a missing or foreign device
  std::vector<char> buf(kNetlinkBufSize);
  Netlink nl;
  nl.request(build_fault_set(buf, name, s, 2), "fault " + name);
}

}  // namespace glass
