#include "collectors.h"
#include "common/exporter.h"

int main(int argc, char** argv) {
  common::Exporter exporter(
      {"node_health", "node_health",
       "Host health metrics from /proc and /sys, with node_exporter's "
       "metric names.",
       ":9520"});
  exporter.EnablePathFlags();
  node_health::RegisterCollectors(exporter.Collectors());
  return exporter.Run(argc, argv);
}
