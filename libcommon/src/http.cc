#include "common/http.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <stdexcept>

namespace common {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::string HttpRequest::Param(std::string_view key) const {
  auto it = params.find(std::string(key));
  return it == params.end() ? std::string() : it->second;
}

std::vector<std::string> HttpRequest::Params(std::string_view key) const {
  std::vector<std::string> out;
  auto [b, e] = params.equal_range(std::string(key));
  for (auto it = b; it != e; ++it) out.push_back(it->second);
  return out;
}

std::string HttpRequest::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name)) return v;
  }
  return {};
}

bool HttpRequest::AcceptsGzip() const {
  // Accept-Encoding: gzip, deflate;q=0.5 — any listed gzip not at q=0.
  std::string ae = Header("Accept-Encoding");
  std::transform(ae.begin(), ae.end(), ae.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  size_t pos = 0;
  while (pos <= ae.size()) {
    size_t end = ae.find(',', pos);
    if (end == std::string::npos) end = ae.size();
    std::string_view item(ae.data() + pos, end - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    if (item.starts_with("gzip") || item.starts_with("*")) {
      size_t q = item.find("q=");
      if (q == std::string_view::npos) return true;
      std::string qs(item.substr(q + 2));
      if (std::strtod(qs.c_str(), nullptr) > 0) return true;
    }
    pos = end + 1;
  }
  return false;
}

namespace {

// One deflate stream per thread, reset between uses: deflateInit2 allocates
// about 270 KB of state, above malloc's mmap threshold, so a fresh stream per
// scrape would cost an mmap, page faults and an munmap every time.
class Deflater {
 public:
  Deflater() {
    // Level 1: scrape bodies are repetitive text, and the fast level keeps
    // the CPU cost of compression below that of collecting.
    ok_ = deflateInit2(&zs_, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) ==
          Z_OK;
  }
  ~Deflater() {
    if (ok_) deflateEnd(&zs_);
  }
  void Compress(std::string_view in, std::string& out) {
    if (!ok_ || deflateReset(&zs_) != Z_OK)
      throw std::runtime_error("gzip: deflate init failed");
    out.resize(deflateBound(&zs_, in.size()));
    zs_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs_.avail_in = static_cast<uInt>(in.size());
    zs_.next_out = reinterpret_cast<Bytef*>(out.data());
    zs_.avail_out = static_cast<uInt>(out.size());
    if (deflate(&zs_, Z_FINISH) != Z_STREAM_END)
      throw std::runtime_error("gzip: deflate failed");
    out.resize(zs_.total_out);
  }

 private:
  z_stream zs_{};
  bool ok_ = false;
};

}  // namespace

void GzipCompress(std::string_view in, std::string& out) {
  thread_local Deflater deflater;
  deflater.Compress(in, out);
}

}  // namespace common
