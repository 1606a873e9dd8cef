#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/desc.h"
#include "common/metric_sink.h"

namespace common {

// Descs of families whose names come from the data (meminfo keys, vmstat and
// netstat fields, sockstat keys, hwmon attributes), each built once on first
// sight instead of on every scrape. Thread-safe.
class DescCache {
 public:
  // Builds the Desc of `key`, or returns std::nullopt to drop that key (a
  // filtered-out field). May throw; nothing is cached then.
  using Factory = std::function<std::optional<Desc>(std::string_view key)>;

  // At most this many keys are kept; past it, new Descs live in the scrape's
  // sink only, so a source that invents names cannot grow memory forever.
  static constexpr size_t kMaxEntries = 4096;

  explicit DescCache(Factory factory = nullptr);

  // The Desc of `key`, or nullptr if the factory dropped it. The pointer is
  // valid for the life of the cache (or of `sink`, past kMaxEntries).
  const Desc* Get(std::string_view key, MetricSink& sink);

  // Same, with the Desc built by `make` when `key` is new (for Descs whose
  // help and type come with the sample, as hwmon's).
  const Desc* Get(std::string_view key, MetricSink& sink, const Factory& make);

  // Number of keys cached.
  size_t size() const;

  // Lookups of one scrape for a source that names its fields in the same
  // order every time (/proc/vmstat, /proc/net/netstat): each key is compared
  // with the one at the same position last scrape, which spares the lock and
  // the hash. Falls back to Get when the order changes or another scrape
  // holds the memo. Use one per Update, on one thread.
  class Sequence {
   public:
    const Desc* Get(std::string_view key, MetricSink& sink);

   private:
    friend class DescCache;
    Sequence(DescCache& cache);
    DescCache& cache_;
    std::unique_lock<std::mutex> memo_lock_;
    size_t pos_ = 0;
  };
  Sequence InOrder() { return Sequence(*this); }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const {
      return std::hash<std::string_view>{}(s);
    }
  };

  Factory factory_;
  std::mutex memo_mu_;  // guards the memo, held by one Sequence at a time
  std::vector<std::string> memo_keys_;
  std::vector<const Desc*> memo_descs_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::unique_ptr<Desc>, Hash, std::equal_to<>>
      descs_;
};

}  // namespace common
