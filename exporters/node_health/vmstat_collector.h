#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/collector.h"
#include "common/desc_cache.h"
#include "common/filter.h"

namespace node_health {

// The default of --collector.vmstat.fields, as node_exporter's.
inline constexpr std::string_view kDefaultVmstatFields =
    "^(oom_kill|pgpg|pswp|pg.*fault).*";

// One "name value" line of /proc/vmstat.
struct VmstatField {
  std::string_view name;
  double value = 0;
};

// Parses /proc/vmstat. Values are signed (some nr_* gauges can dip below
// zero on SMP). Throws common::ParseError on a line that is not "name value"
// or a non-number.
std::vector<VmstatField> ParseVmstat(std::string_view text);

// node_vmstat_<field> (untyped) for the /proc/vmstat fields that match the
// fields regex.
class VmstatCollector : public common::Collector {
 public:
  // `fields` is searched in each field name (write ^...$ to anchor).
  // Throws std::invalid_argument if it is not a valid regex.
  VmstatCollector(const common::Paths& paths, const std::string& fields);
  void Update(common::MetricSink& sink) override;

 private:
  std::string path_;
  common::RegexFilter filter_;
  // Field name -> its Desc, or none when the filter drops the field.
  common::DescCache descs_;
};

// The spec of the vmstat collector (enabled by default) with its flag
// --collector.vmstat.fields.
common::CollectorSpec VmstatSpec();

}  // namespace node_health
