#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/http.h"
#include "common/pool.h"

namespace common {

// Limits and timeouts of an HttpServer.
struct HttpServerOptions {
  // Connections served at once; one more is answered 503 and closed at
  // accept time, never queued.
  size_t max_connections = 64;
  // Time a client has to send a complete request head.
  std::chrono::milliseconds read_timeout{5000};
  // Time an idle kept-alive connection is held open.
  std::chrono::milliseconds idle_timeout{30000};
  // Time to write a response before the connection is dropped.
  std::chrono::milliseconds write_timeout{10000};
  // Largest request head (request line and headers) accepted.
  size_t max_header_bytes = 16 * 1024;
};

// A small HTTP/1.1 server for exporters: GET and HEAD on exact paths,
// keep-alive, a thread per connection up to a bound (leader/followers: the
// thread that accepts a connection serves it, and one more thread always
// waits to accept, so a connection over the bound is answered 503 at once),
// TCP_NODELAY, the response head and body in one write, no compression of its
// own (handlers decide; see HttpResponse::compressible) and no TLS. Binding
// uses SO_REUSEADDR only, so a second instance on the same port fails to bind.
class HttpServer {
 public:
  explicit HttpServer(HttpServerOptions options = {});
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Serves `handler` at exactly `path`. Call before Start.
  void Handle(const std::string& path, HttpHandler handler);

  // Binds and listens on `host`:`port` ("" or "::" for every address, IPv4
  // and IPv6). Port 0 picks a free port. Returns the bound port. Throws
  // std::system_error naming the address on failure.
  int Listen(const std::string& host, int port);

  // Starts accepting on every address given to Listen.
  void Start();

  // Stops accepting, wakes every connection and waits (bounded by the
  // timeouts) for their threads to finish. Returns false if a thread is still
  // running (a handler stuck in a read): the server must then not be
  // destroyed. Idempotent; safe from any thread.
  bool Stop();

  // Connections open right now.
  size_t ActiveConnections() const;

 private:
  // The loop of every server thread: accept a connection, make sure another
  // thread is left accepting, serve the connection, accept again. No
  // connection is handed from one thread to another.
  void AcceptAndServe();
  void Serve(int fd);
  bool Dispatch(int fd, const std::string& head, bool& keep_alive);

  HttpServerOptions options_;
  std::map<std::string, HttpHandler> handlers_;
  std::vector<int> listen_fds_;
  int wake_pipe_[2] = {-1, -1};
  std::atomic<bool> stopping_{false};
  mutable std::mutex mu_;
  std::condition_variable cv_;              // threads_ reached 0
  size_t active_ = 0;                       // connections being served
  size_t threads_ = 0;                      // server threads alive
  size_t accepting_ = 0;                    // threads waiting for a connection
  Pool<std::string> bodies_{kKeptObjects};  // response buffers for reuse
};

// Splits a query string into decoded key/value pairs ("a=1&b=x%20y").
std::multimap<std::string, std::string> ParseQuery(std::string_view query);

// Decodes %XX escapes and '+' (as a space) in a URL component.
std::string UrlDecode(std::string_view s);

}  // namespace common
