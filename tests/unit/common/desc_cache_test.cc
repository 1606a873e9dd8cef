#include "common/desc_cache.h"

#include <doctest/doctest.h>

namespace {

// Builds "m_<key>" gauges, drops the key "skip", and counts its calls.
common::DescCache::Factory CountingFactory(int& built) {
  return [&built](std::string_view key) -> std::optional<common::Desc> {
    ++built;
    if (key == "skip") return std::nullopt;
    return common::Desc("m_" + std::string(key), "Help.",
                        common::MetricType::kGauge);
  };
}

}  // namespace

TEST_SUITE_BEGIN("common::DescCache");

TEST_CASE("builds each Desc once and caches drops too") {
  int built = 0;
  common::DescCache cache(CountingFactory(built));
  common::MetricSink sink;
  const common::Desc* a = cache.Get("a", sink);
  REQUIRE(a != nullptr);
  CHECK(a->name() == "m_a");
  CHECK(cache.Get("a", sink) == a);
  CHECK(cache.Get("skip", sink) == nullptr);
  CHECK(cache.Get("skip", sink) == nullptr);
  CHECK(built == 2);
  CHECK(cache.size() == 2);
}

TEST_CASE("a factory that throws caches nothing") {
  common::DescCache cache(
      [](std::string_view key) -> std::optional<common::Desc> {
        return common::Desc(std::string(key), "", common::MetricType::kGauge);
      });
  common::MetricSink sink;
  CHECK_THROWS_AS(cache.Get("9invalid", sink), std::invalid_argument);
  CHECK(cache.size() == 0);
}

TEST_CASE("InOrder answers like Get, in order or not") {
  int built = 0;
  common::DescCache cache(CountingFactory(built));
  common::MetricSink sink;
  for (int round = 0; round < 3; ++round) {
    auto seq = cache.InOrder();
    CHECK(seq.Get("a", sink)->name() == "m_a");
    CHECK(seq.Get("skip", sink) == nullptr);
    CHECK(seq.Get("b", sink)->name() == "m_b");
  }
  // The order changes: a new key in the middle, a missing one at the end.
  auto seq = cache.InOrder();
  CHECK(seq.Get("a", sink)->name() == "m_a");
  CHECK(seq.Get("c", sink)->name() == "m_c");
  CHECK(seq.Get("skip", sink) == nullptr);
  CHECK(built == 4);
  // A second sequence while the first holds the memo still answers.
  auto other = cache.InOrder();
  CHECK(other.Get("b", sink)->name() == "m_b");
}

TEST_SUITE_END();
