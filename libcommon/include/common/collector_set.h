#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/collector.h"
#include "common/desc.h"

namespace common {

// Which collectors one scrape runs: node_exporter's ?collect[]=x and
// ?exclude[]=y query parameters (only one of the two kinds at a time).
struct CollectorFilter {
  std::vector<std::string> collect;
  std::vector<std::string> exclude;
};

// The collectors of one exporter: owns their --collector.<name>,
// --no-collector.<name> and --collector.disable-defaults flags, builds the
// enabled ones, and runs them on each scrape adding
// <ns>_scrape_collector_duration_seconds and _success{collector}.
class CollectorSet {
 public:
  // A collector that threw NoDataError (its source does not exist here) is
  // not run again for this long; meanwhile it reports success 0 at once.
  static constexpr std::chrono::seconds kNoDataRecheck{60};

  explicit CollectorSet(std::string metric_namespace);
  ~CollectorSet();
  CollectorSet(const CollectorSet&) = delete;
  CollectorSet& operator=(const CollectorSet&) = delete;

  // Adds a collector. Call before AddFlags.
  void Register(CollectorSpec spec);

  // Adds the enable/disable flags and each collector's own flags to `app`.
  void AddFlags(CLI::App& app);

  // Builds the enabled collectors. Throws std::invalid_argument (a factory's
  // complaint about its options, prefixed with the collector's name).
  void Start(const CollectorContext& context);

  // Names of the collectors that Start built, in registration order.
  std::vector<std::string> EnabledNames() const;

  // Throws std::invalid_argument if `filter` names a collector that is not
  // enabled, or uses collect[] and exclude[] together.
  void Validate(const CollectorFilter& filter) const;

  // Runs the enabled collectors that `filter` selects, one after another, into
  // `sink`. A collector that throws loses its samples for this scrape and
  // reports success 0; the others are unaffected. One whose source is absent
  // (NoDataError) is re-tried after kNoDataRecheck. Thread-safe.
  void Collect(MetricSink& sink, const CollectorFilter& filter = {}) const;

 private:
  struct Entry;
  std::string namespace_;
  std::vector<std::unique_ptr<Entry>> entries_;
  bool disable_defaults_ = false;
  Desc duration_desc_;
  Desc success_desc_;
};

}  // namespace common
