// glass userspace library: everything in one include.
//
//   glass::Socket    owned AF_GLASS socket (socket/bind/listen/accept/connect/...)
//   glass::Address   sockaddr_glass <-> "10.7.0.1:7000"
//   glass::Info      getsockopt(SOL_GLASS, GLASS_INFO), versioned by length
//   glass::Table     /proc/net/glass (columns by header name)
//   glass::Counters  /proc/net/glass_stat ("name value")
//   glass::Error     errno + the call that failed; glass::ParseError for input
//
// See docs/library.md.
#pragma once

#include <glass/address.hpp>
#include <glass/error.hpp>
#include <glass/fd.hpp>
#include <glass/info.hpp>
#include <glass/netlink.hpp>
#include <glass/procfs.hpp>
#include <glass/socket.hpp>
#include <glass/state.hpp>
