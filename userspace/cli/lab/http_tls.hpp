// glass lab http: TLS 1.3 with OpenSSL over any connected socket, with a
// throw-away self-signed certificate (CN=glass) made in memory, and a
// record of every read() OpenSSL makes on the socket underneath.
#pragma once

#include <openssl/ssl.h>

#include <functional>
#include <memory>
#include <string>

namespace glass::cli::lab {

struct SslCtxFree {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
struct SslFree {
  void operator()(SSL* s) const { SSL_free(s); }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxFree>;
using SslPtr = std::unique_ptr<SSL, SslFree>;

// A server context with a fresh P-256 key and self-signed certificate, and
// a client context that trusts exactly that certificate. TLS 1.3 only, no
// session tickets (the wire then holds the handshake and the request only).
struct TlsPair {
  SslCtxPtr server;
  SslCtxPtr client;
};
TlsPair make_tls_pair();

// An SSL on fd for ctx; on_read(bytes) is called after every read() the
// library makes on the socket (bytes <= 0: EOF or error).
SslPtr ssl_on(SSL_CTX* ctx, int fd, std::function<void(long)>* on_read);

// The library's last error as text ("SSL_connect: ...").
std::string ssl_error(const char* call);

}  // namespace glass::cli::lab
