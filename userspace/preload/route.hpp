// glass run / libglass_preload.so: asking the kernel (rtnetlink, in the
// calling thread's network namespace) whether an IPv4 address belongs to
// glass. This is the default rule of glass run (no --nets): the same
// decision glass.ko makes in glass_route() and glass_bind().
#pragma once

#include <cstdint>

namespace glass::preload {

// Is addr (host byte order) assigned to a glass device? (bind)
bool assigned_to_glass(std::uint32_t addr);
// Does the route to addr leave through a glass device, or, for a local
// address, is it a glass device's? (connect; `ip route get ADDR`)
bool reached_over_glass(std::uint32_t addr);

}  // namespace glass::preload
