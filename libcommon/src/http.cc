#include "common/http.h"

#include <libdeflate.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <stdexcept>

#include "common/pool.h"

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

// A compressor (about 200 KB) is reused from a small pool: allocating one
// costs more than a scrape. libdeflate compresses a whole buffer at once, about
// three times faster than zlib's streaming deflate at the same level and ratio.
class Compressor {
 public:
  // Level 1: scrape bodies are repetitive text, and the fastest level keeps
  // compression cheaper than collecting.
  Compressor() : c_(libdeflate_alloc_compressor(1)) {}
  ~Compressor() { libdeflate_free_compressor(c_); }
  Compressor(const Compressor&) = delete;
  Compressor& operator=(const Compressor&) = delete;

  void Gzip(std::string_view in, std::string& out) {
    if (c_ == nullptr)
      throw std::runtime_error("gzip: cannot allocate a compressor");
    // The scratch buffer only grows, so it is zero-filled once, not per scrape.
    size_t bound = libdeflate_gzip_compress_bound(c_, in.size());
    if (scratch_.size() < bound) scratch_.resize(bound);
    size_t n = libdeflate_gzip_compress(c_, in.data(), in.size(),
                                        scratch_.data(), bound);
    if (n == 0) throw std::runtime_error("gzip: output buffer too small");
    out.assign(scratch_.data(), n);
  }

 private:
  libdeflate_compressor* c_;
  std::string scratch_;
};

}  // namespace

void GzipCompress(std::string_view in, std::string& out) {
  // Compressors hold ~200 KB each: a few are kept for reuse, not one per
  // server thread.
  static Pool<Compressor> compressors(kKeptObjects);
  compressors.Take()->Gzip(in, out);
}

}  // namespace common
