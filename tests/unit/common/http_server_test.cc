#include "common/http_server.h"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace {

// Connects to 127.0.0.1:`port`.
int Connect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  return fd;
}

// Sends `request` and reads one response (head and Content-Length body).
std::string Exchange(int fd, const std::string& request) {
  REQUIRE(::write(fd, request.data(), request.size()) ==
          static_cast<ssize_t>(request.size()));
  std::string buf;
  char chunk[4096];
  for (;;) {
    size_t end = buf.find("\r\n\r\n");
    if (end != std::string::npos) {
      size_t cl = buf.find("Content-Length: ");
      size_t len =
          cl == std::string::npos ? 0 : std::stoul(buf.substr(cl + 16));
      if (buf.size() >= end + 4 + len) return buf.substr(0, end + 4 + len);
    }
    ssize_t n = ::read(fd, chunk, sizeof(chunk));
    if (n <= 0) return buf;
    buf.append(chunk, static_cast<size_t>(n));
  }
}

}  // namespace

TEST_SUITE_BEGIN("common::HttpServer");

TEST_CASE("UrlDecode and ParseQuery") {
  CHECK(common::UrlDecode("a%20b+c%2Fd%zz") == "a b c/d%zz");
  auto q =
      common::ParseQuery("collect%5B%5D=cpu&collect[]=meminfo&empty&x=1%3D2");
  CHECK(q.count("collect[]") == 2);
  CHECK(q.find("empty")->second == "");
  CHECK(q.find("x")->second == "1=2");
}

TEST_CASE(
    "serves GET and HEAD, keeps the connection alive, answers 404 and 405") {
  common::HttpServer server;
  server.Handle("/hello",
                [](const common::HttpRequest& req, common::HttpResponse& res) {
                  res.body = "hello " + req.Param("name") + "\n";
                  res.headers.emplace_back("X-Test", req.Header("x-custom"));
                });
  int port = server.Listen("127.0.0.1", 0);
  REQUIRE(port > 0);
  server.Start();

  int fd = Connect(port);
  std::string r = Exchange(
      fd, "GET /hello?name=vigil HTTP/1.1\r\nHost: x\r\nX-Custom: yes\r\n\r\n");
  CHECK(r.starts_with("HTTP/1.1 200 OK\r\n"));
  CHECK(r.find("X-Test: yes\r\n") != std::string::npos);
  CHECK(r.find("Connection: keep-alive\r\n") != std::string::npos);
  CHECK(r.ends_with("\r\n\r\nhello vigil\n"));
  // Same connection, second request.
  r = Exchange(fd, "HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(r.starts_with("HTTP/1.1 200 OK\r\n"));
  CHECK(r.find("Content-Length: 7\r\n") != std::string::npos);
  r = Exchange(fd, "GET /nothing HTTP/1.1\r\n\r\n");
  CHECK(r.starts_with("HTTP/1.1 404 Not Found\r\n"));
  r = Exchange(fd, "DELETE /hello HTTP/1.1\r\n\r\n");
  CHECK(r.starts_with("HTTP/1.1 405 Method Not Allowed\r\n"));
  ::close(fd);

  fd = Connect(port);
  r = Exchange(
      fd, "GET /hello HTTP/1.1\r\n" + std::string(20000, 'x') + "\r\n\r\n");
  CHECK(r.starts_with("HTTP/1.1 431 "));
  ::close(fd);

  fd = Connect(port);
  r = Exchange(fd, "garbage\r\n\r\n");
  CHECK(r.starts_with("HTTP/1.1 400 "));
  ::close(fd);
  server.Stop();
}

TEST_CASE("each response has its own body, big or small, on one connection") {
  common::HttpServer server;
  server.Handle("/size",
                [](const common::HttpRequest& req, common::HttpResponse& res) {
                  // Nothing of an earlier response may show through.
                  CHECK(res.body.empty());
                  res.body.assign(std::stoul(req.Param("n")), 'a');
                  res.body += "!\n";
                });
  int port = server.Listen("127.0.0.1", 0);
  server.Start();
  int fd = Connect(port);
  for (size_t n : {100000u, 10u, 70000u, 0u}) {
    std::string r =
        Exchange(fd, "GET /size?n=" + std::to_string(n) + " HTTP/1.1\r\n\r\n");
    CHECK(r.find("Content-Length: " + std::to_string(n + 2) + "\r\n") !=
          std::string::npos);
    CHECK(r.ends_with("\r\n\r\n" + std::string(n, 'a') + "!\n"));
  }
  ::close(fd);
  server.Stop();
}

TEST_CASE("a second server cannot bind a port in use") {
  common::HttpServer a;
  int port = a.Listen("127.0.0.1", 0);
  common::HttpServer b;
  CHECK_THROWS_AS(b.Listen("127.0.0.1", port), std::system_error);
}

TEST_CASE("over max_connections a new connection gets 503 at once") {
  common::HttpServerOptions opts;
  opts.max_connections = 1;
  common::HttpServer server(opts);
  server.Handle("/", [](const common::HttpRequest&, common::HttpResponse& res) {
    res.body = "x";
  });
  int port = server.Listen("127.0.0.1", 0);
  server.Start();
  int held = Connect(port);
  CHECK(Exchange(held, "GET / HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 200 "));
  int second = Connect(port);
  CHECK(
      Exchange(second, "GET / HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 503 "));
  ::close(second);
  ::close(held);
  server.Stop();
  CHECK(server.ActiveConnections() == 0);
}

TEST_CASE("several open connections are served at once, and Stop ends them") {
  common::HttpServerOptions opts;
  opts.max_connections = 8;
  common::HttpServer server(opts);
  server.Handle("/", [](const common::HttpRequest&, common::HttpResponse& res) {
    res.body = "x";
  });
  int port = server.Listen("127.0.0.1", 0);
  server.Start();
  std::vector<int> fds;
  for (int i = 0; i < 5; ++i) {
    fds.push_back(Connect(port));
    // Each stays open (keep-alive) while the next one is served.
    CHECK(Exchange(fds.back(), "GET / HTTP/1.1\r\n\r\n")
              .starts_with("HTTP/1.1 200 "));
  }
  CHECK(server.ActiveConnections() == 5);
  server.Stop();
  CHECK(server.ActiveConnections() == 0);
  for (int fd : fds) ::close(fd);
}

TEST_SUITE_END();
