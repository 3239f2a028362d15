// glass CLI: the byte pump behind `glass cat`.
#pragma once

namespace glass::cli {

// Copies in_fd → sock and sock → out_fd concurrently (poll) until the peer
// has closed its side and in_fd reached EOF; on that EOF it half-closes the
// socket (shutdown SHUT_WR) once everything read was sent. sock is switched
// to non-blocking; in_fd and out_fd are used as they are. Byte-exact.
// Stops early (returns) when the peer resets after closing. Throws Error.
void relay(int in_fd, int out_fd, int sock);

}  // namespace glass::cli
