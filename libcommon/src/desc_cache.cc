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

size_t DescCache::size() const {
  std::lock_guard lock(mu_);
  return descs_.size();
}

}  // namespace common
