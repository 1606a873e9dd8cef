#include "loadavg_collector.h"

#include "common/file_util.h"

namespace node_health {

std::array<double, 3> ParseLoadavg(std::string_view text) {
  auto f = common::SplitFields(common::Trim(text));
  if (f.size() < 3)
    throw common::ParseError("loadavg: expected 3 load averages");
  return {common::ParseDouble(f[0], "loadavg load1"),
          common::ParseDouble(f[1], "loadavg load5"),
          common::ParseDouble(f[2], "loadavg load15")};
}

LoadavgCollector::LoadavgCollector(const common::Paths& paths)
    : path_(paths.Proc("loadavg")),
      load1_("node_load1", "1m load average.", common::MetricType::kGauge),
      load5_("node_load5", "5m load average.", common::MetricType::kGauge),
      load15_("node_load15", "15m load average.", common::MetricType::kGauge) {}

void LoadavgCollector::Update(common::MetricSink& sink) {
  auto load = ParseLoadavg(common::ReadFile(path_));
  sink.Add(load1_, load[0]);
  sink.Add(load5_, load[1]);
  sink.Add(load15_, load[2]);
}

common::CollectorSpec LoadavgSpec() {
  return {.name = "loadavg",
          .enabled_by_default = true,
          .add_flags = nullptr,
          .factory = [](const common::CollectorContext& ctx) {
            return std::make_unique<LoadavgCollector>(ctx.paths);
          }};
}

}  // namespace node_health
