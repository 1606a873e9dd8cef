#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/collector.h"
#include "common/desc_cache.h"
#include "common/filter.h"

namespace node_health {

// A hwmon attribute file name split as <type><num>_<property>
// ("temp1_crit_alarm" -> temp, 1, crit_alarm; "beep_enable" ->
// beep_enable, 0, ""). The views point into the name.
struct HwmonFilename {
  std::string_view type;
  int64_t num = 0;
  std::string_view property;
};

// Splits a hwmon file name as node_exporter's
// ^([^0-9]+)([0-9]*)?(_(.+))?$, or returns std::nullopt when it does not
// have that form.
std::optional<HwmonFilename> ExplodeHwmonFilename(std::string_view name);

// node_exporter's cleanMetricName: lower case, every character other than
// [a-z0-9:_] replaced by '_', leading and trailing '_' removed.
std::string CleanHwmonName(std::string_view s);

// The chip label of a hwmon directory, as node_exporter's hwmonName:
// "<devtype>_<devname>" from the real path of its "device" link (empty if
// it has none), else the cleaned content of its "name" file (std::nullopt
// if absent), else the base name of the directory's real path. Returns ""
// when none gives a name.
std::string HwmonChipName(std::string_view device_realpath,
                          const std::optional<std::string>& name_file,
                          std::string_view dir_realpath);

// One sample of a hwmon sensor, before the chip label is known.
struct HwmonSample {
  std::string name;
  std::string help;
  common::MetricType type = common::MetricType::kGauge;
  double value = 0;
  std::string sensor;  // the sensor label value
};

// Turns one sensor ("temp1") and its attributes (property -> file content,
// "" for a bare "temp1" file) into samples in base units, with node_exporter's
// names and HELP texts: temp millidegrees -> celsius, in mV -> volts, curr mA
// -> amps, power uW -> watts, energy uJ -> joules, fan rpm as is, and so on.
// Values that are not numbers are skipped; never throws.
std::vector<HwmonSample> HwmonSensorSamples(
    std::string_view sensor, const std::map<std::string, std::string>& attrs);

// Options of the hwmon collector, bound to its flags.
struct HwmonOptions {
  std::string chip_include;
  std::string chip_exclude;
  std::string sensor_include;
  std::string sensor_exclude;
};

// node_hwmon_* from /sys/class/hwmon/hwmon*/ (and each chip's device
// directory), labelled {chip,sensor}, plus node_hwmon_chip_names and
// node_hwmon_sensor_label. Chips pass the chip filter by their label, and
// sensors the sensor filter as "<chip>;<sensor>".
class HwmonCollector : public common::Collector {
 public:
  // Throws std::invalid_argument if a pattern is invalid or an include and
  // an exclude pattern are combined.
  HwmonCollector(const common::Paths& paths, const HwmonOptions& options);
  // Throws common::NoDataError without /sys/class/hwmon; throws the last
  // error only when every chip failed (otherwise failed chips are logged).
  void Update(common::MetricSink& sink) override;

 private:
  const common::Desc& DescFor(common::MetricSink& sink, const HwmonSample& s);

  std::string class_dir_;
  common::RegexFilter chip_filter_;
  common::RegexFilter sensor_filter_;
  common::Desc chip_names_, sensor_label_;
  // Metric name -> Desc; never erased, so addresses stay valid.
  common::DescCache descs_;
};

// The spec of the hwmon collector (enabled by default).
common::CollectorSpec HwmonSpec();

}  // namespace node_health
