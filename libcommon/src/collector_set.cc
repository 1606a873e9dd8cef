#include "common/collector_set.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <stdexcept>

#include "common/log.h"

namespace common {

struct CollectorSet::Entry {
  CollectorSpec spec;
  bool enabled = false;
  CLI::Option* option = nullptr;
  std::unique_ptr<Collector> collector;
  // Until when (steady clock, ns) the collector is known to have no source.
  std::atomic<int64_t> no_data_until{0};
};

CollectorSet::CollectorSet(std::string metric_namespace)
    : namespace_(std::move(metric_namespace)),
      duration_desc_(namespace_ + "_scrape_collector_duration_seconds",
                     namespace_ + ": Duration of a collector scrape.",
                     MetricType::kGauge, {"collector"}),
      success_desc_(namespace_ + "_scrape_collector_success",
                    namespace_ + ": Whether a collector succeeded.",
                    MetricType::kGauge, {"collector"}) {}

CollectorSet::~CollectorSet() = default;

void CollectorSet::Register(CollectorSpec spec) {
  auto entry = std::make_unique<Entry>();
  entry->enabled = spec.enabled_by_default;
  entry->spec = std::move(spec);
  entries_.push_back(std::move(entry));
}

void CollectorSet::AddFlags(CLI::App& app) {
  app.add_flag("--collector.disable-defaults", disable_defaults_,
               "Set all collectors to disabled by default.");
  for (auto& e : entries_) {
    const std::string& n = e->spec.name;
    e->option = app.add_flag(
        "--collector." + n + ",!--no-collector." + n, e->enabled,
        "Enable the " + n + " collector (default: " +
            (e->spec.enabled_by_default ? "enabled" : "disabled") + ").");
    e->option->group("Collectors");
    if (e->spec.add_flags) e->spec.add_flags(app);
  }
}

void CollectorSet::Start(const CollectorContext& context) {
  for (auto& e : entries_) {
    bool forced = e->option != nullptr && e->option->count() > 0;
    if (disable_defaults_ && !forced) e->enabled = false;
    if (!e->enabled) continue;
    try {
      e->collector = e->spec.factory(context);
    } catch (const std::exception& ex) {
      throw std::invalid_argument("collector " + e->spec.name + ": " +
                                  ex.what());
    }
    log::Debug("collector enabled", {{"collector", e->spec.name}});
  }
}

std::vector<std::string> CollectorSet::EnabledNames() const {
  std::vector<std::string> names;
  for (const auto& e : entries_) {
    if (e->collector) names.push_back(e->spec.name);
  }
  return names;
}

void CollectorSet::Validate(const CollectorFilter& filter) const {
  if (!filter.collect.empty() && !filter.exclude.empty()) {
    throw std::invalid_argument(
        "collect[] and exclude[] cannot be used together");
  }
  // Runs on every scrape: an unfiltered one (the usual case) costs nothing.
  if (filter.collect.empty() && filter.exclude.empty()) return;
  auto enabled = EnabledNames();
  for (const auto* list : {&filter.collect, &filter.exclude}) {
    for (const auto& name : *list) {
      if (std::find(enabled.begin(), enabled.end(), name) == enabled.end()) {
        throw std::invalid_argument("collector \"" + name +
                                    "\" is not enabled");
      }
    }
  }
}

void CollectorSet::Collect(MetricSink& sink,
                           const CollectorFilter& filter) const {
  auto listed = [](const std::vector<std::string>& v, const std::string& n) {
    return std::find(v.begin(), v.end(), n) != v.end();
  };
  auto included = [&](const Entry& e) {
    if (!e.collector) return false;
    const std::string& name = e.spec.name;
    if (!filter.collect.empty() && !listed(filter.collect, name)) return false;
    return !listed(filter.exclude, name);
  };
  auto now_ns = [] {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  };
  int64_t begin_ns = now_ns();
  // Each included collector, and whether its source was absent moments ago
  // (decided once, so that Begin and Update go together).
  std::vector<std::pair<Entry*, bool>> run;
  run.reserve(entries_.size());
  for (const auto& e : entries_) {
    if (!included(*e)) continue;
    bool absent = begin_ns < e->no_data_until.load(std::memory_order_relaxed);
    run.emplace_back(e.get(), absent);
    if (absent) continue;
    try {
      e->collector->Begin(sink);
    } catch (const std::exception& ex) {
      // Update still runs, and does the work itself.
      log::Error("collector failed to begin",
                 {{"collector", e->spec.name}, {"err", ex.what()}});
    }
  }
  for (auto [e, absent] : run) {
    const std::string& name = e->spec.name;
    size_t mark = sink.size();
    auto start = std::chrono::steady_clock::now();
    if (absent) {
      // The source was absent moments ago; do not probe (and throw) again on
      // every scrape.
      sink.Add(duration_desc_, 0, {name});
      sink.Add(success_desc_, 0, {name});
      continue;
    }
    bool ok = true;
    try {
      e->collector->Update(sink);
    } catch (const NoDataError& ex) {
      ok = false;
      sink.Rollback(mark);
      e->no_data_until.store(
          now_ns() + std::chrono::nanoseconds(kNoDataRecheck).count(),
          std::memory_order_relaxed);
      log::Debug("collector returned no data",
                 {{"collector", name}, {"err", ex.what()}});
    } catch (const std::exception& ex) {
      ok = false;
      sink.Rollback(mark);
      log::Error("collector failed", {{"collector", name}, {"err", ex.what()}});
    }
    std::chrono::duration<double> took =
        std::chrono::steady_clock::now() - start;
    sink.Add(duration_desc_, took.count(), {name});
    sink.Add(success_desc_, ok ? 1 : 0, {name});
  }
}

}  // namespace common
