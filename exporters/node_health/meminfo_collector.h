#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/collector.h"
#include "common/desc_cache.h"

namespace node_health {

// One line of /proc/meminfo.
struct MeminfoField {
  std::string_view name;  // as the kernel writes it, e.g. "Active(anon)"
  double value = 0;       // bytes when `bytes`, else the raw count
  bool bytes = false;     // the kernel gave a kB unit
};

// Parses /proc/meminfo; kB values are converted to bytes. Throws
// common::ParseError on an empty text, a line without a value, a non-number
// or a unit other than kB.
std::vector<MeminfoField> ParseMeminfo(std::string_view text);

// Returns node_exporter's metric name of a field: "Active(anon)" ->
// "node_memory_Active_anon_bytes", "HugePages_Total" (no unit) ->
// "node_memory_HugePages_Total". Characters not allowed in metric names
// become '_'.
std::string MeminfoMetricName(std::string_view field, bool bytes);

// node_memory_<Field>[_bytes] gauges, one per /proc/meminfo line.
class MeminfoCollector : public common::Collector {
 public:
  explicit MeminfoCollector(const common::Paths& paths);
  void Update(common::MetricSink& sink) override;

 private:
  std::string path_;
  // Keyed by kernel field name plus '+' when the value is in bytes.
  common::DescCache descs_;
};

// The spec of the meminfo collector (enabled by default).
common::CollectorSpec MeminfoSpec();

}  // namespace node_health
