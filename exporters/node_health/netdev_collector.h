#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/collector.h"
#include "common/filter.h"

namespace node_health {

// The number of counters per interface in /proc/net/dev (8 receive, 8
// transmit); columns a newer kernel appends after them are ignored.
inline constexpr size_t kNetDevStats = 16;

// The stat names of the /proc/net/dev columns, in order, as node_exporter's
// legacy names ("receive_bytes", ..., "transmit_compressed").
extern const std::array<std::string_view, kNetDevStats> kNetDevStatNames;

// One interface line of /proc/net/dev. `device` points into the parsed text.
struct NetDevLine {
  std::string_view device;
  std::array<uint64_t, kNetDevStats> stats{};
};

// Parses /proc/net/dev, skipping its two header lines. Throws
// common::ParseError on a line without "name:", with fewer than 16 counters
// or with a counter that is not a number.
std::vector<NetDevLine> ParseNetDev(std::string_view text);

// Options of the netdev collector, bound to its flags.
struct NetDevOptions {
  std::string device_include;
  std::string device_exclude;
};

// node_network_<stat>_total{device} counters from /proc/net/dev for every
// interface that passes the device filter.
class NetDevCollector : public common::Collector {
 public:
  // Throws std::invalid_argument if the device patterns are invalid or both
  // are given.
  NetDevCollector(const common::Paths& paths, const NetDevOptions& options);
  void Update(common::MetricSink& sink) override;

 private:
  std::string path_;
  common::RegexFilter filter_;
  std::vector<common::Desc> descs_;  // one per column
};

// The spec of the netdev collector (enabled by default).
common::CollectorSpec NetdevSpec();

}  // namespace node_health
