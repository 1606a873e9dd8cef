#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace common {

// An HTTP request as handlers see it (no server library types leak out).
struct HttpRequest {
  std::string method;
  std::string path;
  // Query parameters; a repeated key (collect[]=a&collect[]=b) keeps all.
  std::multimap<std::string, std::string> params;
  // Header names as sent; look them up with Header().
  std::multimap<std::string, std::string> headers;

  // The first value of query parameter `key`, or "" if absent.
  std::string Param(std::string_view key) const;
  // Every value of query parameter `key`, in order.
  std::vector<std::string> Params(std::string_view key) const;
  // The first value of header `name` (case-insensitive), or "".
  std::string Header(std::string_view name) const;
  // True if Accept-Encoding lists gzip.
  bool AcceptsGzip() const;
};

// An HTTP response. `body` is sent as is unless `compressible` is set and the
// client accepts gzip, in which case the server compresses it.
struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  bool compressible = false;
  std::vector<std::pair<std::string, std::string>> headers;
};

// Response buffers up to this size are kept for the next request; bigger
// ones are freed.
inline constexpr size_t kKeptBodyBytes = 4 << 20;

// How many idle reusable objects of a kind (response buffers, metric sinks,
// gzip compressors) are kept between requests: enough for the scrapers of
// one exporter, few enough that a burst leaves no memory behind.
inline constexpr size_t kKeptObjects = 4;

using HttpHandler = std::function<void(const HttpRequest&, HttpResponse&)>;

// Compresses `in` as gzip at the fastest level into `out` (libdeflate).
// Throws std::runtime_error if the compressor cannot be allocated.
void GzipCompress(std::string_view in, std::string& out);

}  // namespace common
