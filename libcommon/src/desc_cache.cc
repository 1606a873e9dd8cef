#include "common/desc_cache.h"

namespace common {

DescCache::DescCache(Factory factory) : factory_(std::move(factory)) {}

const Desc* DescCache::Get(std::string_view key, MetricSink& sink) {
  return Get(key, sink, factory_);
}

const Desc* DescCache::Get(std::string_view key, MetricSink& sink,
                           const Factory& make) {
  std::lock_guard lock(mu_);
  auto it = descs_.find(key);
  if (it != descs_.end()) return it->second.get();
  std::optional<Desc> made = make(key);
  if (descs_.size() >= kMaxEntries)
    return made ? &sink.OwnDesc(std::move(*made)) : nullptr;
  auto desc = made ? std::make_unique<Desc>(std::move(*made)) : nullptr;
  return descs_.emplace(std::string(key), std::move(desc)).first->second.get();
}

DescCache::Sequence::Sequence(DescCache& cache)
    : cache_(cache), memo_lock_(cache.memo_mu_, std::try_to_lock) {}

const Desc* DescCache::Sequence::Get(std::string_view key, MetricSink& sink) {
  if (!memo_lock_.owns_lock()) return cache_.Get(key, sink);
  auto& keys = cache_.memo_keys_;
  auto& descs = cache_.memo_descs_;
  if (pos_ < keys.size() && keys[pos_] == key) return descs[pos_++];
  const Desc* desc = cache_.Get(key, sink);
  // Only Descs the cache owns may be remembered past this scrape.
  if (cache_.size() >= kMaxEntries) return desc;
  keys.resize(pos_);
  descs.resize(pos_);
  keys.emplace_back(key);
  descs.push_back(desc);
  ++pos_;
  return desc;
}

size_t DescCache::size() const {
  std::lock_guard lock(mu_);
  return descs_.size();
}

}  // namespace common
