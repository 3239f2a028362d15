// `glass lab http`: the request's journey. One HTTP/1.1 POST from a client
// to a server over glass, each side an ordinary socket program, followed
// step by step: connect and the handshake, the client's write() landing in
// its send buffer, the segments and ACKs on the wire (an AF_PACKET tap on
// the server's device), the bytes waiting in the server's receive buffer,
// the server's read() calls, the parser building the request, the response
// going back. Once in clear and once under TLS 1.3 (OpenSSL): the wire
// carries ciphertext, the application gets the same request.
#include "common.hpp"
#include "http_parser.hpp"
#include "http_tls.hpp"
#include "http_wire.hpp"
#include "validators.hpp"

#include <openssl/ssl.h>
#include <poll.h>
#include <unistd.h>

#include <linux/glass.h>
#include <linux/glass_wire.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace glass::cli::lab {
namespace {

// The rows of the timeline plot, from the client's program to the server's.
enum Lane : int {
  kClientApp = 1,
  kClientSndbuf,
  kWireOut,
  kWireBack,
  kServerRcvbuf,
  kServerRead,
  kServerTls,
  kParser,
};

constexpr const char* kNeedle = "POST /journey";

struct Step {
  double t_ms = 0;
  int lane = 0;
  long bytes = 0;
  std::string what;
  bool label = true;  // labelled on the plot (every step is a point and a CSV row)
};

// Steps too dense to label on the plot: each header, partial bodies, and
// OpenSSL's reads of the handshake (before the request is written).
bool plot_label(const Step& s, double t_write_ms) {
  if (s.lane == kParser)
    return s.what == "request line" || s.what == "complete" ||
           s.what.starts_with("headers complete");
  if (s.what.starts_with("socket read()")) return s.t_ms >= t_write_ms;
  return true;
}

// Everything one run (clear or TLS) saw.
struct Journey {
  bool tls = false;
  std::vector<Step> steps;  // both threads append under mu
  std::vector<WireFrame> wire;
  std::string request;         // the bytes the client's program sent
  HttpParser server_view;      // what the server's parser built
  HttpParser client_view;      // the response, as the client parsed it
  std::string expected_reply;  // the response body the server sent
  std::uint32_t unread_before_read = 0;
  int socket_reads = 0;      // read()s the server made on the socket
  int app_reads = 0;         // reads that gave the server's program bytes
  double t_write_ms = NAN;   // the client's write() of the request
  double t_parsed_ms = NAN;  // the server's parser: request complete
  double t_reply_ms = NAN;   // the client's parser: response complete
  double connect_ms = NAN;
  double t_connected_ms = NAN;     // connect() returned
  double t_connect_called_ms = 0;  // the origin of the times written out
  double tls_handshake_ms = NAN;
  std::uint64_t handshake_bytes = 0;  // payload both ways before the request (TLS)
  std::string error;
  std::mutex mu;
};

struct HttpOptions {
  int body = 3000;  // request body bytes
  int rtt_ms = 10;  // round trip added with netem (half on each device)
};

// Kernel timestamps of frames (SO_TIMESTAMPNS) are only taken on the way
// in and out while some socket wants them (a static key that a work item
// switches on some time after the first socket asks). Until then af_packet
// dates a frame when the tap reads it, late. This socket asks for them for
// the whole scenario, and the wait lets the work run before the first frame.
class TimestampsOn {
 public:
  TimestampsOn() : fd_(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {
    const int on = 1;
    if (fd_.get() < 0 || ::setsockopt(fd_.get(), SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on)) != 0)
      throw Error("setsockopt(SO_TIMESTAMPNS)", errno);
    sleep_ms(200);
  }

 private:
  Fd fd_;
};

std::string make_request(std::uint16_t port, int body) {
  std::string b;
  while (static_cast<int>(b.size()) < body) b += "the request's journey over glass. ";
  b.resize(static_cast<std::size_t>(body));
  return std::string(kNeedle) + " HTTP/1.1\r\nHost: " + Testbed::kGlassB + ":" +
         std::to_string(port) +
         "\r\nUser-Agent: glass-lab\r\nContent-Type: text/plain\r\nContent-Length: " +
         std::to_string(body) + "\r\n\r\n" + b;
}

std::string make_response(const std::string& text) {
  return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " +
         std::to_string(text.size()) + "\r\nConnection: close\r\n\r\n" + text;
}

// The connection as the program sees it: plain socket calls or OpenSSL.
class Stream {
 public:
  Stream(int fd, SSL* ssl) : fd_(fd), ssl_(ssl) {}
  // Returns bytes read, 0 at EOF; throws on error.
  long read(char* buf, int n) {
    if (ssl_ == nullptr) {
      for (;;) {
        const ssize_t r = ::read(fd_, buf, static_cast<std::size_t>(n));
        if (r >= 0) return r;
        if (errno != EINTR) throw Error("read", errno);
      }
    }
    const int r = SSL_read(ssl_, buf, n);
    if (r > 0) return r;
    if (SSL_get_error(ssl_, r) == SSL_ERROR_ZERO_RETURN) return 0;
    if (SSL_get_error(ssl_, r) == SSL_ERROR_SYSCALL && errno == 0)
      return 0;  // EOF, no close_notify
    throw Error("SSL_read", EPROTO, ssl_error("SSL_read"));
  }
  void write(const std::string& data) {
    if (ssl_ == nullptr) {
      write_all(fd_, std::as_bytes(std::span(data.data(), data.size())));
      return;
    }
    if (SSL_write(ssl_, data.data(), static_cast<int>(data.size())) !=
        static_cast<int>(data.size()))
      throw Error("SSL_write", EPROTO, ssl_error("SSL_write"));
  }

 private:
  int fd_;
  SSL* ssl_;
};

class Http : public Scenario {
 public:
  const char* name() const override { return "http"; }
  const char* title() const override {
    return "The request's journey: one HTTP request over glass, in clear and under TLS";
  }
  const char* help() const override {
    return "A client sends one HTTP/1.1 POST to a server over glass and reads the answer; both "
           "are ordinary socket programs (an HTTP parser of a few dozen lines, OpenSSL for "
           "TLS). Every step is timed from the client's connect(): the handshake (SYN, "
           "SYN-ACK, ACK), the client's write() returning as soon as the request is copied "
           "into its send buffer, the data segments and ACKs on the wire (seen by a packet "
           "tap on the server's glass device), the bytes waiting unread in the server's "
           "receive buffer, the server's read() calls and what each gave it, the parser "
           "building the request line, headers and body, and the response going back. The "
           "run is made twice: in clear, where the wire carries the request's text, and "
           "under TLS 1.3, where it carries ciphertext (the tap finds no plaintext), the "
           "handshake adds round trips and bytes before the request, and the server's "
           "program gets no byte of the request until a whole TLS record has arrived and "
           "been decrypted, yet parses the same request. glass only: the transport is the "
           "point of the other scenarios; this one is about what sits above it. netem delays "
           "both glass devices by half the round trip (--rtt), as a network would, so the "
           "steps are spread out in time.";
  }

  void add_options(CLI::App& sub) override {
    sub.add_option("--body", o_.body, "Bytes of the request's body")
        ->transform(size_validator(0, 60000))
        ->capture_default_str();
    sub.add_option("--rtt", o_.rtt_ms, "Round-trip delay added with netem, ms (0: none)")
        ->check(CLI::Range(0, 1000))
        ->capture_default_str();
  }

  void run(LabRun& run) override {
    TestbedSpec spec{"http"};
    const Testbed tb(spec);
    if (o_.rtt_ms > 0) {
      const std::string half = num(o_.rtt_ms / 2.0) + "ms";
      tb.netem(tb.a(), Testbed::kDevA, {"delay", half});
      tb.netem(tb.b(), Testbed::kDevB, {"delay", half});
    }
    TlsPair tls = make_tls_pair();
    const TimestampsOn stamps;
    run.note(
        "one POST of " + std::to_string(o_.body) +
        " body bytes from 10.7.0.1 to 10.7.0.2 over glass (netem: " + std::to_string(o_.rtt_ms) +
        " ms round trip), in clear, then under TLS 1.3; the server reads 4096 bytes at a "
        "time");
    run.fact("rtt_ms", o_.rtt_ms, "");
    Journey clear, secure;
    clear.tls = false;
    secure.tls = true;
    run_one(tb, nullptr, 7480, clear);
    run_one(tb, &tls, 7481, secure);
    for (Journey* j : {&clear, &secure}) {
      write_csv(run, *j);
      describe(run, *j);
    }
    judge(run, clear, secure);
    run.set_plot(plot(), 1200, 900);
    run.set_explanation(title(), explanation());
  }

 private:
  static const char* key(const Journey& j) { return j.tls ? "tls" : "clear"; }

  // One request, end to end; fills j (the server runs on its own thread).
  void run_one(const Testbed& tb, TlsPair* tls, std::uint16_t port, Journey& j) const {
    j.request = make_request(port, o_.body);
    const std::uint64_t t0 = mono_ns();
    const auto now = [t0] { return static_cast<double>(mono_ns() - t0) / 1e6; };
    const auto step = [&](int lane, long bytes, std::string what) {
      const std::lock_guard lock(j.mu);
      j.steps.push_back({now(), lane, bytes, std::move(what)});
    };
    const Endpoint ep = glass_endpoint(tb, port);
    Fd listener = listen_on(ep, 4);
    WireTap tap(tb.b(), Testbed::kDevB, port, t0, kNeedle);
    std::jthread server([&] {
      try {
        serve(listener.get(), tls, j, step, now);
      } catch (const std::exception& e) {
        const std::lock_guard lock(j.mu);
        j.error += std::string("server: ") + e.what() + "; ";
      }
    });
    try {
      client(ep, tls, j, step, now);
    } catch (const std::exception& e) {
      const std::lock_guard lock(j.mu);
      j.error += std::string("client: ") + e.what() + "; ";
    }
    server.join();
    j.wire = tap.finish();
    for (const WireFrame& f : j.wire)
      j.steps.push_back({f.t_ms, f.to_server ? kWireOut : kWireBack, static_cast<long>(f.len),
                         frame_label(f) + (f.plaintext ? " (plaintext)" : "")});
    std::stable_sort(j.steps.begin(), j.steps.end(),
                     [](const Step& a, const Step& b) { return a.t_ms < b.t_ms; });
    // Times from the client's connect() call.
    const double origin = j.t_connect_called_ms;
    for (Step& st : j.steps) st.t_ms -= origin;
    for (WireFrame& f : j.wire) f.t_ms -= origin;
    for (double* t : {&j.t_connected_ms, &j.t_write_ms, &j.t_parsed_ms, &j.t_reply_ms})
      *t -= origin;
    for (Step& st : j.steps) st.label = plot_label(st, j.t_write_ms);
  }

  template <typename StepFn, typename NowFn>
  void client(const Endpoint& ep, TlsPair* tls, Journey& j, StepFn step, NowFn now) const {
    const double t_connect = now();
    j.t_connect_called_ms = t_connect;
    step(kClientApp, 0, "connect() called");
    const Fd fd = connect_to(ep);
    j.connect_ms = now() - t_connect;
    j.t_connected_ms = now();
    step(kClientApp, 0, "connect() returned: established");
    SslPtr ssl;
    std::function<void(long)> no_hook;
    if (tls != nullptr) {
      ssl = ssl_on(tls->client.get(), fd.get(), &no_hook);
      const double t = now();
      step(kClientApp, 0, "SSL_connect() called: TLS handshake");
      if (SSL_connect(ssl.get()) != 1) throw Error("SSL_connect", EPROTO, ssl_error("SSL_connect"));
      j.tls_handshake_ms = now() - t;
      const glass_info gi = info_of(fd.get());
      j.handshake_bytes = gi.gi_bytes_sent + gi.gi_bytes_received;
      step(kClientApp, static_cast<long>(j.handshake_bytes),
           std::string("handshake done: ") + SSL_get_version(ssl.get()) + " " +
               SSL_get_cipher_name(ssl.get()));
    }
    Stream s(fd.get(), ssl.get());
    const glass_info before = info_of(fd.get());
    j.t_write_ms = now();
    step(kClientApp, static_cast<long>(j.request.size()),
         "write() of the request: " + std::to_string(j.request.size()) + " B");
    s.write(j.request);
    const glass_info after = info_of(fd.get());
    const long queued = static_cast<long>(after.gi_unsent) + static_cast<long>(after.gi_unacked);
    const auto to_socket = static_cast<long>(after.gi_bytes_sent - before.gi_bytes_sent) +
                           static_cast<long>(after.gi_unsent);
    step(kClientApp, to_socket,
         "write() returned: " + std::to_string(to_socket) +
             " B given to "
             "the socket");
    step(kClientSndbuf, queued,
         "send buffer: " + std::to_string(after.gi_unsent) + " B unsent + " +
             std::to_string(after.gi_unacked) + " B awaiting ACK");
    const std::uint64_t want = before.gi_bytes_acked + static_cast<std::uint64_t>(to_socket);
    for (int i = 0; i < 5000 && info_of(fd.get()).gi_bytes_acked < want; ++i) sleep_ms(1);
    step(kClientSndbuf, 0, "all ACKed: send buffer empty");
    std::vector<char> buf(16384);
    while (!j.client_view.complete()) {
      const long n = s.read(buf.data(), static_cast<int>(buf.size()));
      if (n == 0) break;
      const auto events = j.client_view.feed(std::string_view(buf.data(), n));
      step(kClientApp, n, "read() -> " + std::to_string(n) + " B" + joined(events));
    }
    j.t_reply_ms = now();
    if (ssl) SSL_shutdown(ssl.get());
    ::shutdown(fd.get(), SHUT_WR);
    // Read to the server's FIN (and past its close_notify): closing with
    // unread bytes would be an abortive close, an RST racing the server's
    // last read.
    while (::read(fd.get(), buf.data(), buf.size()) > 0) {
    }
    step(kClientApp, 0, "response complete; close");
  }

  template <typename StepFn, typename NowFn>
  void serve(int listen_fd, TlsPair* tls, Journey& j, StepFn step, NowFn now) const {
    const Fd conn = accept_from(listen_fd);
    step(kServerRead, 0, "accept() returned");
    SslPtr ssl;
    std::function<void(long)> on_read = [&](long n) {
      step(kServerRead, n, "socket read() -> " + std::to_string(n) + " B of TLS records");
      const std::lock_guard lock(j.mu);
      j.socket_reads++;
    };
    if (tls != nullptr) {
      ssl = ssl_on(tls->server.get(), conn.get(), &on_read);
      if (SSL_accept(ssl.get()) != 1) throw Error("SSL_accept", EPROTO, ssl_error("SSL_accept"));
      step(kServerTls, 0, "TLS handshake done");
    }
    pollfd p{conn.get(), POLLIN, 0};
    while (::poll(&p, 1, 10000) < 0 && errno == EINTR) {
    }
    j.unread_before_read = info_of(conn.get()).gi_unread;
    step(kServerRcvbuf, static_cast<long>(j.unread_before_read),
         std::to_string(j.unread_before_read) + " B wait unread in the receive buffer");
    Stream s(conn.get(), ssl.get());
    std::vector<char> buf(4096);
    while (!j.server_view.complete() && !j.server_view.failed()) {
      const long n = s.read(buf.data(), static_cast<int>(buf.size()));
      if (n == 0) break;
      {
        const std::lock_guard lock(j.mu);
        j.app_reads++;
        if (ssl == nullptr) j.socket_reads++;
      }
      if (ssl == nullptr) {
        step(kServerRead, n, "read() -> " + std::to_string(n) + " B");
      } else {
        step(kServerTls, n, "SSL_read() -> " + std::to_string(n) + " B plaintext");
      }
      for (const std::string& e : j.server_view.feed(std::string_view(buf.data(), n)))
        step(kParser, static_cast<long>(j.server_view.head_bytes() + j.server_view.body().size()),
             e);
    }
    j.t_parsed_ms = now();
    j.expected_reply = "got " + std::to_string(j.server_view.body().size()) + " bytes for " +
                       j.server_view.first_line() + "\n";
    const std::string reply = make_response(j.expected_reply);
    step(kServerRead, static_cast<long>(reply.size()),
         "write() of the response: " + std::to_string(reply.size()) + " B");
    s.write(reply);
    if (ssl) SSL_shutdown(ssl.get());
    ::shutdown(conn.get(), SHUT_WR);
    // Until the client closes: its FIN is the last frame of the run.
    while (s.read(buf.data(), static_cast<int>(buf.size())) > 0) {
    }
  }

  static std::string joined(const std::vector<std::string>& events) {
    std::string s;
    for (const std::string& e : events) s += (s.empty() ? ": " : ", ") + e;
    return s;
  }

  static void write_csv(LabRun& run, const Journey& j) {
    Csv csv({"t_ms", "lane", "bytes", "label", "shown", "dy"});
    int n = 0;
    for (const Step& s : j.steps) {
      std::string label = s.what;
      for (char& c : label)
        if (c == ',' || c == '"' || c == '\'') c = ';';
      // Labels alternate above and below their point, so neighbours overlap less.
      const double dy = s.label ? ((n++ % 2) == 0 ? 0.28 : -0.28) : 0;
      csv.row({num(std::round(s.t_ms * 1000) / 1000), num(s.lane), num(s.bytes), label,
               s.label ? "1" : "0", num(dy)});
    }
    run.write_csv(csv, key(j));
  }

  // Payload bytes one way, each sequence byte once (a retransmission, such
  // as a tail loss probe when an ACK was slow, is not protocol overhead);
  // and whether any frame held plaintext.
  static std::uint64_t wire_bytes(const Journey& j, bool to_server) {
    std::uint64_t n = 0;
    std::optional<std::uint32_t> top;  // end of the highest sequence byte counted
    for (const WireFrame& f : j.wire) {
      if (f.to_server != to_server || f.len == 0) continue;
      const std::uint32_t end = f.seq + f.len;
      const std::uint32_t from = top.value_or(f.seq);
      if (static_cast<std::int32_t>(end - from) <= 0) continue;
      n += std::min<std::uint32_t>(end - from, f.len);
      top = end;
    }
    return n;
  }
  static bool plaintext_seen(const Journey& j) {
    return std::any_of(j.wire.begin(), j.wire.end(),
                       [](const WireFrame& f) { return f.plaintext; });
  }

  static void describe(LabRun& run, const Journey& j) {
    const std::string k = key(j);
    run.note(std::string(j.tls ? "under TLS 1.3" : "in clear") +
             ", step by step (ms since "
             "connect()):");
    static const char* const kLaneNames[] = {"",        "client",     "client sndbuf",
                                             "wire ->", "wire <-",    "server rcvbuf",
                                             "server",  "server TLS", "parser"};
    for (const Step& s : j.steps) {
      char line[400];
      std::snprintf(line, sizeof(line), "  %8.3f  %-13s %s", s.t_ms, kLaneNames[s.lane],
                    s.what.c_str());
      run.note(line);
    }
    if (!j.error.empty()) run.note(k + ": " + j.error);
    run.fact(k + "_connect_ms", j.connect_ms, "");
    run.fact(k + "_request_bytes", static_cast<double>(j.request.size()), "");
    run.fact(k + "_wire_bytes_to_server", static_cast<double>(wire_bytes(j, true)), "");
    run.fact(k + "_wire_bytes_to_client", static_cast<double>(wire_bytes(j, false)), "");
    run.fact(k + "_frames", static_cast<double>(j.wire.size()), "");
    run.fact(k + "_plaintext_on_wire", plaintext_seen(j) ? 1 : 0, "");
    run.fact(k + "_unread_before_read", j.unread_before_read, "");
    run.fact(k + "_socket_reads", j.socket_reads, "");
    run.fact(k + "_app_reads", j.app_reads, "");
    run.fact(k + "_write_to_parsed_ms", j.t_parsed_ms - j.t_write_ms, "");
    run.fact(k + "_write_to_reply_ms", j.t_reply_ms - j.t_write_ms, "");
    if (j.tls) {
      run.fact("tls_handshake_ms", j.tls_handshake_ms, "");
      run.fact("tls_handshake_bytes", static_cast<double>(j.handshake_bytes), "");
    }
  }

  // SYN, SYN-ACK, ACK are the first three frames, in that order and direction.
  static bool handshake_seen(const Journey& j) {
    if (j.wire.size() < 3) return false;
    const WireFrame& a = j.wire[0];
    const WireFrame& b = j.wire[1];
    const WireFrame& c = j.wire[2];
    // The extension area (SACK permitted) may ride on the SYNs.
    const auto bare = [](const WireFrame& w) { return w.flags & ~GLASS_EXT; };
    return a.to_server && bare(a) == GLASS_SYN && !b.to_server &&
           bare(b) == (GLASS_SYN | GLASS_ACK) && c.to_server && (c.flags & GLASS_ACK) != 0 &&
           (c.flags & GLASS_SYN) == 0;
  }

  // Every byte the client sent was acknowledged by a frame from the server.
  static bool data_acked(const Journey& j) {
    std::uint32_t end = 0;
    bool any = false;
    for (const WireFrame& f : j.wire) {
      if (f.to_server && f.len > 0) {
        end = f.seq + f.len;
        any = true;
      }
    }
    if (!any) return false;
    return std::any_of(j.wire.begin(), j.wire.end(), [end](const WireFrame& f) {
      return !f.to_server && (f.flags & GLASS_ACK) != 0 &&
             static_cast<std::int32_t>(f.ack - end) >= 0;
    });
  }

  static bool same_request(const Journey& j) {
    const HttpParser& p = j.server_view;
    HttpParser sent;
    sent.feed(j.request);
    return p.complete() && p.first_line() == sent.first_line() && p.headers() == sent.headers() &&
           p.body() == sent.body();
  }

  static void judge(LabRun& run, const Journey& clear, const Journey& tls) {
    for (const Journey* j : {&clear, &tls}) {
      const std::string who = j->tls ? "under TLS" : "in clear";
      run.check(j->error.empty(), who + ": the exchange ran without error");
      run.check(handshake_seen(*j), who + ": the wire shows SYN, SYN-ACK, ACK first");
      run.check(handshake_seen(*j) && j->wire[1].t_ms <= j->t_connected_ms,
                who +
                    ": the wire's times are the kernel's (the SYN-ACK came before connect() "
                    "returned)");
      run.check(same_request(*j), who + ": the server parsed exactly the request sent");
      run.check(j->client_view.complete() && j->client_view.body() == j->expected_reply,
                who + ": the client got the whole response");
      run.check(data_acked(*j), who + ": the server acknowledged every byte of the client's");
      run.check(j->unread_before_read > 0,
                who + ": bytes waited in the receive buffer before the server read them");
    }
    run.check(plaintext_seen(clear), "in clear: the wire carries the request's text");
    run.check(!plaintext_seen(tls), "under TLS: no frame carries the request's text");
    run.check(wire_bytes(tls, true) > wire_bytes(clear, true),
              "under TLS: more bytes on the wire (handshake, record overhead)");
    char head[400];
    std::snprintf(head, sizeof(head),
                  "the %zu-byte request reached the parser %.1f ms after write() in clear, %.1f "
                  "ms under TLS (after a %.1f ms handshake of %llu B); the wire carried "
                  "%llu B to the server in clear (the text), %llu B under TLS (ciphertext)",
                  clear.request.size(), clear.t_parsed_ms - clear.t_write_ms,
                  tls.t_parsed_ms - tls.t_write_ms, tls.tls_handshake_ms,
                  static_cast<unsigned long long>(tls.handshake_bytes),
                  static_cast<unsigned long long>(wire_bytes(clear, true)),
                  static_cast<unsigned long long>(wire_bytes(tls, true)));
    run.headline(head);
  }

  static std::string plot() {
    const std::string panel =
        " using 't_ms':'lane' with points pt 7 ps 0.7 lc 1 notitle, '' using "
        "'t_ms':(column('lane') + column('dy')):(column('shown') > 0 ? stringcolumn('label') : "
        "'') with labels left offset 0.4,0 font ',7' notitle\n";
    return "set multiplot layout 2,1 title 'glass lab http: one request, step by step'\n"
           "set ytics ('client program' 1, 'client send buffer' 2, 'wire: to server' 3, "
           "'wire: to client' 4, 'server receive buffer' 5, 'server read()' 6, "
           "'server TLS' 7, 'server HTTP parser' 8)\n"
           "set yrange [0.5:8.5]\nset xrange [0:*]\n"
           "set xlabel 'ms since the client called connect()'\n"
           "set title 'in clear: the wire carries the text'\nplot 'http-clear.csv'" +
           panel +
           "set title 'under TLS 1.3: ciphertext on the wire; the parser gets bytes only "
           "after a whole record is decrypted'\nplot 'http-tls.csv'" +
           panel + "unset multiplot\n";
  }

  static std::string explanation() {
    return "A program's `write()` returns as soon as its bytes are copied into the kernel's "
           "send buffer: the client's request is \"sent\" long before anyone has read it. "
           "The kernel cuts it into segments of at most the MSS, sends what the peer's window "
           "allows, and keeps every byte until an ACK covers it (the send buffer empties when "
           "the ACKs come back). On the server, segments land in the receive buffer; the "
           "bytes wait there, unread, until the server's program calls `read()`, and each "
           "`read()` returns whatever has arrived, up to the size asked for, never a "
           "\"request\". The server's program learns that someone sent it a request only "
           "when its HTTP parser has seen the request line, every header, the blank line and "
           "Content-Length bytes of body, which may take several reads.\n\n"
           "Under TLS two more things happen between the wire and the parser. Before any "
           "request byte, the handshake (ClientHello, ServerHello with the certificate, "
           "Finished) costs round trips and a few kilobytes. Then the request travels as "
           "TLS records: the wire carries ciphertext (the tap finds no plaintext), and the "
           "server's program gets no byte of the request until a whole record (up to 16 KiB) "
           "has arrived and been decrypted: OpenSSL's reads on the socket (the record header, "
           "then the rest) come first, and only then does `SSL_read()` hand plaintext to the "
           "parser, which builds the same request as in clear.\n\n"
           "The tap sits on the server's glass device: a frame to the server is dated when "
           "it arrives there, a frame to the client when it leaves; netem delays each device's "
           "frames by half the round trip on their way out.\n\n"
           "In the plot, each row is a layer, from the client's program (bottom) to the "
           "server's parser (top); each point is one event with its byte count. Compare the "
           "gap between the client's write() and the parser's \"complete\" in the two panels, "
           "and the frames on the wire before the request under TLS. The tables above list "
           "every step with its time; facts.txt the totals.";
  }

  HttpOptions o_;
};

}  // namespace
}  // namespace glass::cli::lab

std::unique_ptr<glass::cli::Scenario> glass::cli::make_http() {
  return std::make_unique<lab::Http>();
}
