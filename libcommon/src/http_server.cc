#include "common/http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "common/log.h"

namespace common {
namespace {

using Clock = std::chrono::steady_clock;

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 413:
      return "Payload Too Large";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Unknown";
  }
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Waits until `fd` is ready for `events` or the stop pipe is readable.
// Returns false on timeout, stop or error.
bool WaitFor(int fd, short events, int stop_fd, Clock::time_point deadline) {
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - Clock::now());
    if (left.count() <= 0) return false;
    pollfd fds[2] = {{fd, events, 0}, {stop_fd, POLLIN, 0}};
    int n = ::poll(fds, 2,
                   static_cast<int>(std::min<int64_t>(left.count(), 60000)));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    if (fds[1].revents != 0) return false;
    return (fds[0].revents & (events | POLLHUP | POLLERR)) != 0;
  }
}

// Writes all of `iov` before `deadline`. Returns false if the peer went away.
bool WriteAll(int fd, iovec* iov, int count, int stop_fd,
              Clock::time_point deadline) {
  while (count > 0) {
    ssize_t n = ::writev(fd, iov, count);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN && WaitFor(fd, POLLOUT, stop_fd, deadline)) continue;
      return false;
    }
    size_t left = static_cast<size_t>(n);
    while (count > 0 && left >= iov->iov_len) {
      left -= iov->iov_len;
      ++iov;
      --count;
    }
    if (count > 0) {
      iov->iov_base = static_cast<char*>(iov->iov_base) + left;
      iov->iov_len -= left;
    }
  }
  return true;
}

std::string ResponseHead(const HttpResponse& res, size_t length,
                         bool keep_alive) {
  std::string head = "HTTP/1.1 " + std::to_string(res.status) + " ";
  head += ReasonPhrase(res.status);
  head += "\r\nContent-Type: " + res.content_type;
  head += "\r\nContent-Length: " + std::to_string(length);
  for (const auto& [k, v] : res.headers) head += "\r\n" + k + ": " + v;
  head += keep_alive ? "\r\nConnection: keep-alive\r\n\r\n"
                     : "\r\nConnection: close\r\n\r\n";
  return head;
}

// Answers `status` and closes the write side. With `quick` (the accepting
// thread turning a connection away) it neither waits to write nor drains.
void SendSimple(int fd, int status, std::string_view body, int stop_fd,
                bool quick = false) {
  HttpResponse res;
  res.status = status;
  std::string head = ResponseHead(res, body.size(), false);
  iovec iov[2] = {{head.data(), head.size()},
                  {const_cast<char*>(body.data()), body.size()}};
  if (quick) {
    ssize_t ignored = ::writev(fd, iov, 2);  // best effort: the socket is new
    (void)ignored;
    return;
  }
  WriteAll(fd, iov, 2, stop_fd, Clock::now() + std::chrono::seconds(1));
  // Closing with unread input would reset the connection and could destroy
  // the answer before the client reads it: half-close, then drain briefly.
  ::shutdown(fd, SHUT_WR);
  auto deadline = Clock::now() + std::chrono::milliseconds(200);
  char sink[4096];
  for (size_t drained = 0;
       drained < (1u << 20) && WaitFor(fd, POLLIN, stop_fd, deadline);) {
    ssize_t n = ::read(fd, sink, sizeof(sink));
    if (n <= 0) break;
    drained += static_cast<size_t>(n);
  }
}

}  // namespace

std::string UrlDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 &&
               HexValue(s[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::multimap<std::string, std::string> ParseQuery(std::string_view query) {
  std::multimap<std::string, std::string> out;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      std::string key = UrlDecode(pair.substr(0, eq));
      std::string value =
          eq == std::string_view::npos ? "" : UrlDecode(pair.substr(eq + 1));
      out.emplace(std::move(key), std::move(value));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

HttpServer::HttpServer(HttpServerOptions options) : options_(options) {
  if (::pipe2(wake_pipe_, O_CLOEXEC | O_NONBLOCK) != 0) {
    throw std::system_error(errno, std::generic_category(), "pipe");
  }
}

HttpServer::~HttpServer() {
  // With a thread still running, closing the descriptors would let it poll
  // or accept on numbers reused for something else; owners exit instead
  // (see Exporter), so leaving them open here is the lesser evil.
  if (!Stop()) return;
  for (int fd : listen_fds_) ::close(fd);
  ::close(wake_pipe_[0]);
  ::close(wake_pipe_[1]);
}

void HttpServer::Handle(const std::string& path, HttpHandler handler) {
  handlers_[path] = std::move(handler);
}

int HttpServer::Listen(const std::string& host, int port) {
  std::string shown =
      (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
      std::to_string(port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* res = nullptr;
  std::string service = std::to_string(port);
  int rc = ::getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(),
                         &hints, &res);
  if (rc != 0) {
    throw std::system_error(
        EINVAL, std::generic_category(),
        "cannot listen on " + shown + ": " + gai_strerror(rc));
  }
  // With no host, prefer the IPv6 wildcard, which also takes IPv4.
  std::vector<addrinfo*> candidates;
  for (addrinfo* a = res; a != nullptr; a = a->ai_next) candidates.push_back(a);
  std::stable_sort(candidates.begin(), candidates.end(),
                   [&](addrinfo* a, addrinfo* b) {
                     return host.empty() && a->ai_family == AF_INET6 &&
                            b->ai_family != AF_INET6;
                   });
  int err = 0;
  int fd = -1;
  for (addrinfo* a : candidates) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) {
      err = errno;
      continue;
    }
    int yes = 1, no = 0;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    if (a->ai_family == AF_INET6)
      ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &no, sizeof(no));
    if (::bind(fd, a->ai_addr, a->ai_addrlen) == 0 && ::listen(fd, 128) == 0)
      break;
    err = errno;
    ::close(fd);
    fd = -1;
  }
  ::freeaddrinfo(res);
  if (fd < 0) {
    throw std::system_error(err, std::generic_category(),
                            "cannot listen on " + shown);
  }
  sockaddr_storage bound{};
  socklen_t len = sizeof(bound);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len);
  int bound_port =
      bound.ss_family == AF_INET6
          ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
          : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  // Several threads may wake for one connection: the losers must get EAGAIN
  // from accept, not block in it.
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  listen_fds_.push_back(fd);
  return bound_port;
}

void HttpServer::Start() {
  std::lock_guard lock(mu_);
  ++threads_;
  ++accepting_;
  std::thread([this] { AcceptAndServe(); }).detach();
}

bool HttpServer::Stop() {
  if (stopping_.exchange(true)) {
    std::lock_guard lock(mu_);
    return threads_ == 0;
  }
  char c = 1;
  ssize_t ignored = ::write(wake_pipe_[1], &c, 1);
  (void)ignored;
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, options_.write_timeout + std::chrono::seconds(1),
                      [this] { return threads_ == 0; });
}

size_t HttpServer::ActiveConnections() const {
  std::lock_guard lock(mu_);
  return active_;
}

void HttpServer::AcceptAndServe() {
  // An accepting thread beyond the first leaves after this long without a
  // connection, so threads grown for a burst do not stay forever.
  constexpr int kLingerMs = 60000;
  std::vector<pollfd> fds;
  for (int fd : listen_fds_) fds.push_back({fd, POLLIN, 0});
  fds.push_back({wake_pipe_[0], POLLIN, 0});
  for (;;) {
    // Here this thread is counted in accepting_.
    for (auto& p : fds) p.revents = 0;
    int n = ::poll(fds.data(), fds.size(), kLingerMs);
    if (stopping_ || fds.back().revents != 0) break;
    if (n < 0 && errno != EINTR) break;
    if (n == 0) {
      // Leave if another thread still accepts; decided and counted under
      // one lock, so that two idle threads cannot both leave.
      std::lock_guard lock(mu_);
      if (accepting_ > 1) {
        --accepting_;
        --threads_;
        cv_.notify_all();
        return;
      }
      continue;
    }
    int fd = -1;
    for (size_t i = 0; i + 1 < fds.size() && fd < 0; ++i) {
      if (fds[i].revents == 0) continue;
      // Several threads may wake for one connection; the others get EAGAIN.
      fd = ::accept4(fds[i].fd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
      if (fd < 0 && (errno == EMFILE || errno == ENFILE)) {
        log::Error("accept failed", {{"err", std::strerror(errno)}});
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
    if (fd < 0) continue;
    int yes = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));

    bool spawn = false;
    {
      std::unique_lock lock(mu_);
      if (active_ >= options_.max_connections) {
        lock.unlock();
        // Over the bound: answer at once instead of queueing.
        SendSimple(fd, 503, "Too many open connections, try again later.\n",
                   wake_pipe_[0]);
        ::close(fd);
        continue;
      }
      ++active_;
      --accepting_;
      // Leave someone accepting while this thread serves: at most
      // max_connections serving plus one answering 503s.
      if (accepting_ == 0) {
        spawn = true;
        ++threads_;
        ++accepting_;
      }
    }
    if (spawn) {
      try {
        std::thread([this] { AcceptAndServe(); }).detach();
      } catch (const std::system_error& e) {
        // Out of threads (RLIMIT_NPROC, pids cgroup): serve this connection
        // and come back to accepting afterwards.
        log::Error("cannot start a server thread", {{"err", e.what()}});
        std::lock_guard lock(mu_);
        --threads_;
        --accepting_;
      }
    }
    Serve(fd);
    ::close(fd);
    std::lock_guard lock(mu_);
    --active_;
    ++accepting_;
  }
  std::lock_guard lock(mu_);
  --accepting_;
  --threads_;
  cv_.notify_all();
}

void HttpServer::Serve(int fd) {
  std::string buf;
  bool first = true;
  for (;;) {
    // The head must arrive within read_timeout of its first byte; between
    // requests the connection may idle for idle_timeout.
    auto deadline =
        Clock::now() + (first ? options_.read_timeout : options_.idle_timeout);
    bool started = !buf.empty();
    size_t end;
    while ((end = buf.find("\r\n\r\n")) == std::string::npos) {
      if (buf.size() > options_.max_header_bytes) {
        SendSimple(fd, 431, "Request header too large.\n", wake_pipe_[0]);
        return;
      }
      if (!WaitFor(fd, POLLIN, wake_pipe_[0], deadline)) return;
      char chunk[4096];
      ssize_t n = ::read(fd, chunk, sizeof(chunk));
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n <= 0) return;
      if (!started) {
        started = true;
        deadline = Clock::now() + options_.read_timeout;
      }
      buf.append(chunk, static_cast<size_t>(n));
    }
    if (end > options_.max_header_bytes) {
      SendSimple(fd, 431, "Request header too large.\n", wake_pipe_[0]);
      return;
    }
    std::string head = buf.substr(0, end);
    buf.erase(0, end + 4);
    first = false;
    bool keep_alive = false;
    if (!Dispatch(fd, head, keep_alive) || !keep_alive || stopping_) return;
  }
}

bool HttpServer::Dispatch(int fd, const std::string& head, bool& keep_alive) {
  HttpRequest req;
  std::string_view rest = head;
  size_t eol = rest.find("\r\n");
  std::string_view line = rest.substr(0, eol);
  rest =
      eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 2);
  size_t sp1 = line.find(' ');
  size_t sp2 = line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1) {
    SendSimple(fd, 400, "Malformed request line.\n", wake_pipe_[0]);
    return false;
  }
  req.method = std::string(line.substr(0, sp1));
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = line.substr(sp2 + 1);
  if (!version.starts_with("HTTP/1.")) {
    SendSimple(fd, 400, "Unsupported HTTP version.\n", wake_pipe_[0]);
    return false;
  }
  size_t q = target.find('?');
  req.path = UrlDecode(target.substr(0, q));
  if (q != std::string_view::npos)
    req.params = ParseQuery(target.substr(q + 1));
  size_t content_length = 0;
  keep_alive = version == "HTTP/1.1";
  while (!rest.empty()) {
    eol = rest.find("\r\n");
    std::string_view h = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? std::string_view()
                                         : rest.substr(eol + 2);
    size_t colon = h.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view name = h.substr(0, colon);
    std::string_view value = h.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t'))
      value.remove_suffix(1);
    if (IEquals(name, "Connection")) {
      if (IEquals(value, "close")) keep_alive = false;
      if (IEquals(value, "keep-alive")) keep_alive = true;
    } else if (IEquals(name, "Content-Length")) {
      content_length = 1;  // any request body
      if (value == "0") content_length = 0;
    } else if (IEquals(name, "Transfer-Encoding")) {
      content_length = 1;
    }
    req.headers.emplace(std::string(name), std::string(value));
  }
  // Exporters take no request bodies; refuse rather than parse one.
  if (content_length != 0) {
    SendSimple(fd, 413, "Request bodies are not accepted.\n", wake_pipe_[0]);
    return false;
  }
  // The body's buffer is reused from an earlier request, so a scrape does
  // not allocate and free its ~64 KB every time.
  auto kept_body = bodies_.Take();
  HttpResponse res;
  res.body.swap(*kept_body);
  res.body.clear();
  bool head_only = req.method == "HEAD";
  if (req.method != "GET" && !head_only) {
    res.status = 405;
    res.body = "Method not allowed.\n";
    res.headers.emplace_back("Allow", "GET, HEAD");
  } else if (auto it = handlers_.find(req.path); it == handlers_.end()) {
    res.status = 404;
    res.body = "404 page not found\n";
  } else {
    try {
      it->second(req, res);
    } catch (const std::exception& e) {
      log::Error("handler failed", {{"path", req.path}, {"err", e.what()}});
      res = HttpResponse{};
      res.status = 500;
      res.body = std::string("Internal error: ") + e.what() + "\n";
    } catch (...) {
      log::Error("handler failed",
                 {{"path", req.path}, {"err", "unknown exception"}});
      res = HttpResponse{};
      res.status = 500;
      res.body = "Internal error.\n";
    }
  }
  std::string head_text = ResponseHead(res, res.body.size(), keep_alive);
  iovec iov[2] = {{head_text.data(), head_text.size()},
                  {res.body.data(), head_only ? 0 : res.body.size()}};
  bool ok = WriteAll(fd, iov, 2, wake_pipe_[0],
                     Clock::now() + options_.write_timeout);
  // A rare huge body is freed rather than kept for later requests.
  if (res.body.capacity() <= kKeptBodyBytes) kept_body->swap(res.body);
  return ok;
}

}  // namespace common
