#pragma once

#include <map>
#include <string>

#include "common/collector.h"
#include "common/file_util.h"
#include "common/metric_sink.h"

namespace test {

// Paths of the node_health fixture tree under tests/fixtures/node_health.
inline common::Paths FixturePaths() {
  std::string root = std::string(VIGIL_FIXTURES_DIR) + "/node_health";
  common::Paths p;
  p.procfs = root + "/proc";
  p.sysfs = root + "/sys";
  p.rootfs = root + "/rootfs";
  p.udev_data = root + "/udev/data";
  return p;
}

// Runs one Update of `c` and returns the exposition text.
inline std::string Render(common::Collector& c) {
  common::MetricSink sink;
  c.Update(sink);
  std::string out;
  sink.Finish(out);
  return out;
}

// Parses exposition text into series -> value, the series written exactly as
// in the text: name{label="value",...}.
inline std::map<std::string, double> ParseSeries(const std::string& text) {
  std::map<std::string, double> out;
  common::ForEachLine(text, [&](std::string_view line) {
    if (line.empty() || line[0] == '#') return;
    size_t sp = line.rfind(' ');
    out[std::string(line.substr(0, sp))] =
        common::ParseDouble(line.substr(sp + 1), "test series");
  });
  return out;
}

// Runs one Update of `c` and returns series -> value.
inline std::map<std::string, double> Collect(common::Collector& c) {
  return ParseSeries(Render(c));
}

}  // namespace test
