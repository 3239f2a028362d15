// TLS for the lab's HTTP scenario (http_tls.hpp).
#include "http_tls.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <glass/error.hpp>

#include <cerrno>

namespace glass::cli::lab {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};

// Socket BIO callback: reports each completed read to the std::function
// stored as the BIO's callback argument.
long read_hook(BIO* bio, int oper, const char* /*argp*/, std::size_t /*len*/, int /*argi*/,
               long /*argl*/, int ret, std::size_t* processed) {
  if (oper == (BIO_CB_READ | BIO_CB_RETURN)) {
    auto* fn = reinterpret_cast<std::function<void(long)>*>(BIO_get_callback_arg(bio));
    if (fn != nullptr && *fn)
      (*fn)(ret > 0 && processed != nullptr ? static_cast<long>(*processed) : ret);
  }
  return ret;
}

void need(bool ok, const char* call) {
  if (!ok) throw Error(call, EPROTO, ssl_error(call));
}

}  // namespace

std::string ssl_error(const char* call) {
  char buf[256];
  const unsigned long e = ERR_get_error();
  if (e == 0) return std::string(call) + " failed";
  ERR_error_string_n(e, buf, sizeof(buf));
  ERR_clear_error();
  return buf;
}

TlsPair make_tls_pair() {
  std::unique_ptr<EVP_PKEY, PkeyFree> key(EVP_EC_gen("P-256"));
  need(key != nullptr, "EVP_EC_gen");
  std::unique_ptr<X509, X509Free> cert(X509_new());
  need(cert != nullptr, "X509_new");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400);
  need(X509_set_pubkey(cert.get(), key.get()) == 1, "X509_set_pubkey");
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("glass"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  need(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0, "X509_sign");

  TlsPair p;
  p.server.reset(SSL_CTX_new(TLS_server_method()));
  p.client.reset(SSL_CTX_new(TLS_client_method()));
  need(p.server && p.client, "SSL_CTX_new");
  for (SSL_CTX* c : {p.server.get(), p.client.get()}) {
    need(SSL_CTX_set_min_proto_version(c, TLS1_3_VERSION) == 1, "SSL_CTX_set_min_proto_version");
    SSL_CTX_set_options(c, SSL_OP_IGNORE_UNEXPECTED_EOF);
  }
  need(SSL_CTX_use_certificate(p.server.get(), cert.get()) == 1, "SSL_CTX_use_certificate");
  need(SSL_CTX_use_PrivateKey(p.server.get(), key.get()) == 1, "SSL_CTX_use_PrivateKey");
  SSL_CTX_set_num_tickets(p.server.get(), 0);
  need(X509_STORE_add_cert(SSL_CTX_get_cert_store(p.client.get()), cert.get()) == 1,
       "X509_STORE_add_cert");
  SSL_CTX_set_verify(p.client.get(), SSL_VERIFY_PEER, nullptr);
  return p;
}

SslPtr ssl_on(SSL_CTX* ctx, int fd, std::function<void(long)>* on_read) {
  SslPtr ssl(SSL_new(ctx));
  need(ssl != nullptr, "SSL_new");
  BIO* bio = BIO_new_socket(fd, BIO_NOCLOSE);
  need(bio != nullptr, "BIO_new_socket");
  BIO_set_callback_ex(bio, read_hook);
  BIO_set_callback_arg(bio, reinterpret_cast<char*>(on_read));
  SSL_set_bio(ssl.get(), bio, bio);
  return ssl;
}

}  // namespace glass::cli::lab
