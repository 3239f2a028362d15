// glass perf -s and -c: a server on one host, a client on another (or in
// another namespace), like iperf3. The server listens on glass and on TCP
// at the same port and serves clients one at a time; the client runs the
// test over glass and, with --tcp, the same test over TCP to the same
// server, and prints glass's ratio to TCP.
#pragma once

#include "perf.hpp"

namespace glass::cli {

int run_perf_server(const PerfOptions& o);
int run_perf_client(const PerfOptions& o);

}  // namespace glass::cli
