#pragma once

#include <array>
#include <string_view>

#include "common/collector.h"

namespace node_health {

// Parses /proc/loadavg into the 1, 5 and 15 minute load averages.
// Throws common::ParseError.
std::array<double, 3> ParseLoadavg(std::string_view text);

// node_load1, node_load5 and node_load15 from /proc/loadavg.
class LoadavgCollector : public common::Collector {
 public:
  explicit LoadavgCollector(const common::Paths& paths);
  void Update(common::MetricSink& sink) override;

 private:
  std::string path_;
  common::Desc load1_, load5_, load15_;
};

// The spec of the loadavg collector (enabled by default).
common::CollectorSpec LoadavgSpec();

}  // namespace node_health
